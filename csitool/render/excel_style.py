"""The look of the Excel report: fonts by language, number formats, colours, print setup and
the chart pieces (titles, axes, text) that every sheet of ``render/excel.py`` shares.

Nothing here computes a figure. Fonts are always named (a bold font without a name makes
LibreOffice and some Excel builds fall back to a serif face), and every sheet prints: A4,
fitted to one page wide, header rows repeated, a footer with the source file, the report
date and the page number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openpyxl.chart.label import DataLabelList
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# ---- number formats ------------------------------------------------------------------
PCT = "0.0%"
ONE = "0.0"
TWO = "0.00"
THREE = "0.000"
SIGNED = "+0.0;-0.0;0.0"  # NPS, differences in points: +14.4, -3.3, 0.0
SIGNED3 = "+0.000;-0.000;0.000"  # penalty and reward coefficients
P_FMT = '[<0.001]"<0.001";0.000'  # p- and q-values: <0.001, 0.042
INT = "#,##0"  # counts and effective n (1,313, not 1312.9)
WHOLE = "0"  # answers and row numbers: no thousands separator

# ---- colours ---------------------------------------------------------------------------
DETRACTOR = "D64541"  # red
PASSIVE = "A6A6A6"  # grey
PROMOTER = "2E9E5B"  # green
NPS_COLOURS = {"detractors": DETRACTOR, "passives": PASSIVE, "promoters": PROMOTER}
# the satisfaction ladder, worst to best (dissatisfied, neutral, somewhat, very)
LADDER_COLOURS = ("D64541", "A6A6A6", "9BCB8F", "2E9E5B")
CLASS_COLOURS = {
    "pain-point": DETRACTOR,
    "wow-point": PROMOTER,
    "performance": "2F5597",
    "low impact": "A6A6A6",
    "unclassified": "A6A6A6",
}
NAVY = "1F3864"
HEAD_BLUE = "305496"
TILE_FILL = "EEF2F8"
GREY_TEXT = "595959"
RULE = "BFBFBF"

FONTS = {"ko": "맑은 고딕", "en": "Calibri"}
BODY_SIZE = 10


def font_name(lang: str) -> str:
    """The font the workbook names for ``lang`` (Korean: 맑은 고딕; English: Calibri)."""
    return FONTS.get(lang, FONTS["en"])


@dataclass(frozen=True)
class Look:
    """The fonts and fills of one workbook (its language decides the font name)."""

    lang: str

    @property
    def name(self) -> str:
        return font_name(self.lang)

    def font(self, size: float = BODY_SIZE, *, bold: bool = False, color: str | None = None,
             italic: bool = False) -> Font:  # fmt: skip
        return Font(name=self.name, size=size, bold=bold, color=color, italic=italic)

    @property
    def body(self) -> Font:
        return self.font()

    @property
    def title(self) -> Font:
        return self.font(16, bold=True, color=NAVY)

    @property
    def subtitle(self) -> Font:
        return self.font(9, color=GREY_TEXT)

    @property
    def head(self) -> Font:
        return self.font(bold=True, color="FFFFFF")

    @property
    def bold(self) -> Font:
        return self.font(bold=True)

    @property
    def section(self) -> Font:
        return self.font(12, bold=True, color=NAVY)


HEAD_FILL = PatternFill("solid", fgColor=HEAD_BLUE)
TILE = PatternFill("solid", fgColor=TILE_FILL)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top", horizontal="left")
HEAD_ALIGN = Alignment(wrap_text=True, vertical="center")
HEAD_RIGHT = Alignment(wrap_text=True, vertical="center", horizontal="right")
_thin = Side(style="thin", color=RULE)
BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
UNDERLINE = Border(bottom=Side(style="medium", color=NAVY))


def footer_text(s: str) -> str:
    """``s`` safe inside a header/footer section: ``&`` starts a code there."""
    return s.replace("&", "&&")


def print_setup(
    ws: Worksheet,
    *,
    look: Look,
    source: str,
    date: str,
    title_rows: str | None,
    landscape: bool,
) -> None:
    """A4, one page wide (as many pages tall as needed), ``title_rows`` repeated on every
    page, narrow margins, and a footer: source file (left), report date (centre), page n / N
    (right)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.2,
                                  footer=0.25)  # fmt: skip
    ws.print_options.horizontalCentered = False
    if title_rows:
        ws.print_title_rows = title_rows
    page = "&P / &N 쪽" if look.lang == "ko" else "Page &P of &N"
    face = f"{look.name},Regular"
    for part, words in (
        (ws.oddFooter.left, footer_text(source)),
        (ws.oddFooter.center, footer_text(date)),
        (ws.oddFooter.right, page),
    ):
        part.text = words
        part.size = 8
        part.font = face
        part.color = GREY_TEXT


# ---- charts ----------------------------------------------------------------------------


def _chars(look: Look, size: int, bold: bool = False, color: str | None = None) -> Any:
    props = CharacterProperties(
        sz=size, b=bold, latin=DrawingFont(typeface=look.name), ea=DrawingFont(typeface=look.name)
    )
    if color:
        props.solidFill = color
    return props


def rich(look: Look, size: int = 900, bold: bool = False, color: str | None = None) -> RichText:
    """Text properties for an axis, a legend or data labels: the workbook's font."""
    chars = _chars(look, size, bold, color)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=chars), endParaRPr=chars, r=[])])


def chart_title(look: Look, words: str, size: int = 1200) -> Title:
    """A chart title in the workbook's font (openpyxl's plain titles name no font)."""
    chars = _chars(look, size, bold=True, color=NAVY)
    para = Paragraph(pPr=ParagraphProperties(defRPr=chars), r=[RegularTextRun(rPr=chars, t=words)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def axis_title(look: Look, words: str) -> Title:
    chars = _chars(look, 900, bold=False, color=GREY_TEXT)
    para = Paragraph(pPr=ParagraphProperties(defRPr=chars), r=[RegularTextRun(rPr=chars, t=words)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def style_axes(chart: Any, look: Look, *, x_pos: str = "b", y_pos: str = "l") -> None:
    """Both axes shown (openpyxl 3.1 leaves ``delete`` unset, which newer Excel reads as
    hidden), on the sides they belong to, in the workbook's font."""
    for axis, pos in ((chart.x_axis, x_pos), (chart.y_axis, y_pos)):
        axis.delete = False
        axis.axPos = pos
        axis.txPr = rich(look, 900)
    if chart.legend is not None:
        chart.legend.txPr = rich(look, 900)


def fill_series(series: Any, colour: str) -> None:
    series.graphicalProperties.solidFill = colour
    series.graphicalProperties.line.solidFill = colour


def labels(
    *, value: bool = True, name: bool = False, num_fmt: str | None = None, pos: str | None = None
) -> DataLabelList:
    """Data labels showing the value (``num_fmt``) or the series name, nothing else (no
    legend key, category or percent). Set ``txPr`` for their font."""
    return DataLabelList(
        showVal=value,
        showSerName=name,
        showCatName=False,
        showLegendKey=False,
        showPercent=False,
        showBubbleSize=False,
        numFmt=num_fmt,
        dLblPos=pos,
    )
