"""The Excel report (openpyxl): sheets, number formats, conditional formats and native charts.

Every number comes from a ``ScoreResult`` / ``DriversResult``; nothing is computed here
except turning percents into fractions for Excel's ``0.0%`` format. Text from the survey is
always stored as text (never as a formula), and the file is written atomically with fixed
zip and document timestamps, so the same input gives the same bytes.

The workbook is meant to be forwarded as it is: the Summary leads with headline tiles and a
chart, every sheet prints on pages one wide with its header row repeated and a footer, the
header row and the label column stay frozen, every font is named (Korean 맑은 고딕, English
Calibri) and every number has a format (NPS signed, counts with thousands separators, shares
as percentages, p-values as ``<0.001``). The look lives in ``render/excel_style.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import SeriesLabel
from openpyxl.formatting.rule import ColorScaleRule, DataBarRule
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break

from csitool.render import fmt
from csitool.render.excel_style import (
    CLASS_COLOURS,
    GREY_TEXT,
    HEAD_ALIGN,
    HEAD_FILL,
    HEAD_RIGHT,
    INT,
    LADDER_COLOURS,
    NAVY,
    NPS_COLOURS,
    ONE,
    P_FMT,
    PCT,
    SIGNED,
    SIGNED3,
    THREE,
    TILE,
    TOP,
    TWO,
    WHOLE,
    WRAP,
    Look,
    axis_title,
    chart_title,
    fill_series,
    labels,
    print_setup,
    rich,
    style_axes,
)
from csitool.render.fmt import safe
from csitool.render.i18n import reason_text, text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from csitool.stats.drivers import DriversGroup, DriversResult
    from csitool.stats.score import GroupScore, ScoreResult

RISKY = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROW = 4
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# The Data quality sheet lists at most this many exclusions (a sheet holds 1,048,576 rows);
# exact counts per reason and column follow, and `score --show-excluded` lists them all.
MAX_EXCLUDED_LISTED = 10_000
CELL_KEEP = "\n\t"  # the only control characters a cell keeps (XML 1.0 refuses the rest)
MAX_WIDTH = 40  # a column is never wider than this; longer text wraps
LANDSCAPE_FROM = 7  # sheets this many columns wide (or with a chart) print landscape
CM_PER_CHAR = 0.21  # a column of width w is about w * 0.19 cm wide (Calibri 11 / 맑은 고딕 10)
ATTRIBUTES_WITH_CHART = 16  # a longer drivers table puts its chart on a page of its own
TEXT_FILL = 0.75  # printed text is narrower than its width in character units (measured)
PAGE_CM = 18.0  # printable height of a landscape A4 page at these margins, footer left out
DEFAULT_ROW_PT = 15.0
LINE_PT = 14  # height of one wrapped line of body text, in points


@dataclass
class Report:
    """What one workbook shows: the score, the drivers analysis (or why there is none) and
    every excluded row."""

    path: str
    score: ScoreResult
    drivers: DriversResult | None
    drivers_note: str | None
    excluded: list[dict[str, Any]]
    lang: str
    date: str
    by: list[str] = field(default_factory=list)
    compare: Any = None
    voc: Any = None
    by_detected: bool = False
    segments_skipped: list[tuple[str, int]] = field(default_factory=list)
    segment_values: tuple[int, int] = (2, 20)
    excluded_counts: list[tuple[str, str | None, int]] | None = None
    #: False when an engine counted the survey: ``excluded`` is empty, the counts are exact
    excluded_listed: bool = True
    #: the engine that read the survey (``pandas``, ``duckdb``, ``spark``)
    engine: str = "pandas"

    def excluded_total(self) -> int:
        """How many exclusions there are (``excluded`` may list only the first of them)."""
        if self.excluded_counts is None:
            return len(self.excluded)
        return sum(n for _, _, n in self.excluded_counts)

    def has(self, role: str) -> bool:
        """Whether the survey has an item in ``role`` (``nps``, ``sat`` or ``attrs``)."""
        return bool(self.score.roles.get(role))

    def no_drivers_text(self) -> str:
        """Why there is no drivers analysis: the library's reason, else the missing items."""
        if self.drivers_note:
            return self.drivers_note
        if not (self.has("sat") or self.has("nps")):
            return text("drivers_need_target", self.lang)
        if not self.has("attrs"):
            return text("drivers_need_attrs", self.lang)
        return text("no_drivers", self.lang)


def segment_notes(r: Report, clean: Any = str) -> list[str]:
    """The sentences above the Segments tables: segments found without ``--by``, segments
    left out for their number of values, no NPS, what the letters mean (in ``r.lang``;
    ``clean`` makes a column name safe for the page)."""
    lang, notes = r.lang, []
    if r.by_detected:
        notes.append(text("segments_detected", lang).format(cols=", ".join(map(clean, r.by))))
    if r.segments_skipped:
        cols = ", ".join(
            text("n_values", lang).format(col=clean(col), k=k) for col, k in r.segments_skipped
        )
        lo, hi = r.segment_values
        notes.append(text("segments_skipped", lang).format(cols=cols, lo=lo, hi=hi))
    if r.score.segments and not r.has("nps"):
        notes.append(text("nps_columns_empty", lang))
    if r.compare is not None and r.compare.banners:
        correction = text(f"correction.{r.compare.correction}", lang)
        notes.append(
            text("letters_note", lang).format(alpha=f"{r.compare.alpha:g}", correction=correction)
        )
    return notes


@dataclass(frozen=True)
class SegmentRow:
    """One row of a Segments table: a segment value (or the total after a column's values)
    with its compare letters (its own, and those its NPS and CSI are higher than)."""

    column: str
    group: Any
    name: str
    letters: tuple[str, str, str]
    low_base: bool
    total: bool


def segment_rows(r: Report) -> Iterator[SegmentRow]:
    """Every Segments row of the report, column by column, each column's total last."""
    banners = {b.title: b for b in r.compare.banners} if r.compare else {}
    for col, groups in r.score.segments.items():
        banner = banners.get(col)
        for k, g in enumerate([*groups, r.score.total]):
            total = g is r.score.total
            low = any(x is not None and x.low_base for x in (g.nps, g.csi))
            name = text("total", r.lang) if total else g.value
            yield SegmentRow(col, g, name, segment_letters(banner, k, len(groups)), low, total)


def segment_letters(banner: Any, k: int, n_groups: int) -> tuple[str, str, str]:
    """Column ``k`` of a compare banner: its letter, and the letters of the columns its NPS
    and its CSI are significantly higher than ("" for the Total, past the groups)."""
    if banner is None or k >= n_groups:
        return "", "", ""
    beats = {"nps": "", "csi": ""}
    for row in banner.rows:
        if row.item is None and row.measure in beats:
            beats[row.measure] = "".join(row.cells[k].sig_higher_than)
    return banner.columns[k].letter or "", beats["nps"], beats["csi"]


def frac(x: float | None) -> float | None:
    """A percent (0-100) as the fraction Excel's percent format expects."""
    return None if x is None else x / 100


def display_width(s: str) -> int:
    """Width in Excel character units: Hangul and other wide characters count twice."""
    return sum(2 if ord(ch) > 0x1100 else 1 for ch in s)


class Sheet:
    """A worksheet with a cursor: title rows, header, data rows and widths that fit; on
    ``finish`` the frozen panes, merged sentences and print setup."""

    def __init__(
        self, ws: Worksheet, title: str, report_path: str, date: str, lang: str,
        confidence: float = 0.95,
    ):  # fmt: skip
        self.ws = ws
        self.lang = lang
        self.look = Look(lang)
        self.source = Path(report_path).name if report_path else ""
        self.date = date
        self.ci = fmt.ci_label(confidence)  # interval headers follow the confidence in use
        self.widths: dict[int, int] = {}
        self.fixed: dict[int, float] = {}  # widths set by the sheet's layout
        # wrapped text: (row, first column, last column; 0 = across the table, merged)
        self.flow: list[tuple[int, int, int]] = []
        self.first_header: int | None = None
        self.header_rows: list[int] = []
        self.max_col = 1
        self.put(1, 1, title).font = self.look.title
        self.put(2, 1, f"{text('source', lang)}: {report_path}   ·   {text('date', lang)}: {date}")
        self.ws.cell(row=2, column=1).font = self.look.subtitle
        self.ws.row_dimensions[1].height = 24
        self.row = HEADER_ROW

    def put(
        self, row: int, col: int, value: Any, number_format: str | None = None, fit: bool = True
    ) -> Any:
        """Write one cell; ``fit``: widen its column to the value (long text wraps)."""
        cell = self.ws.cell(row=row, column=col)
        if isinstance(value, str):
            # NUL, ESC and other control characters make openpyxl refuse the cell
            # (IllegalCharacterError): show them as escapes, as the terminal does
            value = safe(value, keep=CELL_KEEP)
            cell.value = value
            if value.startswith(RISKY):
                cell.data_type = "s"  # text, never a formula
                cell.quotePrefix = True
        elif isinstance(value, bool):
            cell.value = value
        elif value is not None:
            cell.value = float(value) if not isinstance(value, int) else value
            if number_format:
                cell.number_format = number_format
        if row >= HEADER_ROW:
            self.max_col = max(self.max_col, col)
        if row >= HEADER_ROW and fit:
            shown = value if not isinstance(value, float) else 8
            width = display_width(str(shown if shown is not None else ""))
            if width > MAX_WIDTH:
                cell.alignment = WRAP
                self.flow.append((row, col, col))
            self.widths[col] = max(self.widths.get(col, 0), min(width, MAX_WIDTH))
        return cell

    def header(self, names: list[str], freeze: bool = False) -> int:
        for j, name in enumerate(names, 1):
            label = name.replace("{ci}", self.ci)
            before = self.widths.get(j, 0)
            cell = self.put(self.row, j, label)
            cell.font = self.look.head
            cell.fill = HEAD_FILL
            cell.alignment = HEAD_ALIGN
            # a long header wraps rather than widening its column of numbers
            words = max((display_width(w) for w in label.split()), default=0)
            self.widths[j] = max(before, min(words, 16), min(display_width(label), 10))
            self.flow.append((self.row, j, j))
        if freeze:
            # the header row and the label column stay in view
            self.ws.freeze_panes = f"B{self.row + 1}"
        if self.first_header is None:
            self.first_header = self.row
        self.header_rows.append(self.row)
        self.row += 1
        return self.row - 1

    def line(self, values: list[tuple[Any, str | None]]) -> int:
        for j, (value, number_format) in enumerate(values, 1):
            self.put(self.row, j, value, number_format)
        self.row += 1
        return self.row - 1

    def note(self, sentence: str) -> int:
        """A sentence in column A across the table's width, wrapped (it does not widen the
        column)."""
        self.put(self.row, 1, sentence, fit=False).alignment = WRAP
        self.flow.append((self.row, 1, 0))
        self.row += 1
        return self.row - 1

    def sentence(self, label: Any, words: str, number_format: str | None = None) -> int:
        """A label in column A and a sentence from column B across the table, wrapped."""
        self.put(self.row, 1, label, number_format).alignment = TOP
        self.put(self.row, 2, words, fit=False).alignment = WRAP
        self.flow.append((self.row, 2, 0))
        self.row += 1
        return self.row - 1

    def heading(self, name: str) -> None:
        self.row += 1
        self.put(self.row, 1, name, fit=False).font = self.look.section
        self.row += 1

    def page_break(self) -> None:
        """Start a new printed page at the current row (a chart is never cut in two)."""
        if self.row > HEADER_ROW + 1:
            self.ws.row_breaks.append(Break(id=self.row - 1))

    def width_of(self, col: int) -> float:
        if col in self.fixed:
            return self.fixed[col]
        return max(8, self.widths.get(col, 0) + 2)

    def finish(self, landscape: bool | None = None, title_rows: str | None = None) -> None:
        """Column widths, sentences merged across the table, print setup."""
        for col in sorted(set(self.widths) | set(self.fixed)):
            self.ws.column_dimensions[get_column_letter(col)].width = self.width_of(col)
        last = max(self.max_col, 2)
        for head in self.header_rows:  # a header over numbers sits right, over them
            for col in range(2, last + 1):
                below = self.ws.cell(row=head + 1, column=col).value
                if isinstance(below, (int, float)) and not isinstance(below, bool):
                    self.ws.cell(row=head, column=col).alignment = HEAD_RIGHT
        heights: dict[int, int] = {}
        for row, first, end in self.flow:
            cell = self.ws.cell(row=row, column=first)
            if end == 0:
                end = last
                if first < last:
                    self.ws.merge_cells(start_row=row, start_column=first, end_row=row,
                                        end_column=last)  # fmt: skip
            room = sum(self.width_of(c) for c in range(first, end + 1)) - 1
            need = sum(
                max(1, -(-int(display_width(part) * TEXT_FILL) // max(1, int(room))))
                for part in str(cell.value or "").split("\n")
            )
            heights[row] = max(heights.get(row, 1), need)
        for row, lines in heights.items():
            if lines > 1 or self.ws.row_dimensions[row].height is None:
                self.ws.row_dimensions[row].height = LINE_PT * lines + 3
        if self.ws.freeze_panes is None:
            self.ws.freeze_panes = f"B{HEADER_ROW}"
        if landscape is None:
            landscape = last >= LANDSCAPE_FROM or bool(self.ws._charts)
        if title_rows is None and self.first_header is not None:
            title_rows = f"{self.first_header}:{self.first_header}"
        print_setup(self.ws, look=self.look, source=self.source, date=self.date,
                    title_rows=title_rows, landscape=landscape)  # fmt: skip


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, no []:*?/\\)."""
    base = BAD_SHEET_CHARS.sub("_", safe(name)).strip("'") or "Sheet"
    candidate, k = base[:31], 2
    while candidate.lower() in taken:
        suffix = f" ({k})"
        candidate, k = base[: 31 - len(suffix)] + suffix, k + 1
    taken.add(candidate.lower())
    return candidate


def new_workbook(lang: str) -> Workbook:
    """An empty workbook whose default font (every cell without its own) is the language's
    named font, so no cell falls back to another face."""
    wb = Workbook()
    wb._fonts = IndexedList([Look(lang).font()])
    return wb


# --------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------


def _ref(ws: Worksheet, col: int, first: int, last: int | None = None) -> Reference:
    return Reference(ws, min_col=col, min_row=first, max_row=last if last else first)


def group_chart(sh: Sheet, head: int, last: int, colours: tuple[str, ...], title: str) -> BarChart:
    """A 100% stacked bar per group (rows ``head+1..last``, shares in columns B.., one per
    colour), first group on top, each segment labelled with its share."""
    look = sh.look
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "percentStacked"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = chart_title(look, title)
    chart.add_data(Reference(sh.ws, min_col=2, max_col=1 + len(colours), min_row=head,
                             max_row=last), titles_from_data=True)  # fmt: skip
    chart.set_categories(_ref(sh.ws, 1, head + 1, last))
    for series, colour in zip(chart.series, colours, strict=True):
        fill_series(series, colour)
        series.dLbls = labels(num_fmt="0%")
        series.dLbls.txPr = rich(look, 800, bold=True, color="FFFFFF")
    chart.legend.position = "b"
    style_axes(chart, look, x_pos="l", y_pos="b")
    chart.x_axis.scaling.orientation = "maxMin"  # the first group (Total) on top
    chart.y_axis.delete = True  # the labels carry the shares
    chart.y_axis.majorGridlines = None
    return chart


# --------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------

# Summary columns: A holds labels (and the first tile), B-I numbers; tiles span these columns
SUMMARY_WIDTHS = {1: 26.0, **{c: 11.0 for c in range(2, 10)}}
TILES = ((1, 2), (3, 4), (5, 7), (8, 9))  # first and last column of each headline tile
TILE_ROWS = (4, 5, 6, 7)  # label, figure, interval, detail
GAP = Side(style="thick", color="FFFFFF")  # white edges keep neighbouring tiles apart


def _tile(sh: Sheet, span: tuple[int, int], label: str, value: Any, number_format: str | None,
          lines: tuple[str, str]) -> None:  # fmt: skip
    """One headline tile: a small label, the figure in large type and two lines under it."""
    look = sh.look
    first, last = span
    ws = sh.ws
    fonts = (
        look.font(9, bold=True, color=GREY_TEXT),
        look.font(24 if not isinstance(value, str) else 11, bold=True, color=NAVY),
        look.font(9, color=GREY_TEXT),
        look.font(9, color=GREY_TEXT),
    )
    for row, content, font in zip(TILE_ROWS, (label, value, *lines), fonts, strict=True):
        cell = ws.cell(row=row, column=first)
        if content is not None and content != "":
            if isinstance(content, str):
                content = safe(content, keep=CELL_KEEP)
            cell.value = content
        if row == TILE_ROWS[1] and number_format and not isinstance(value, str):
            cell.number_format = number_format
        cell.font = font
        shrink = row != TILE_ROWS[1] or isinstance(value, str)  # a sentence, not a figure
        cell.alignment = Alignment(horizontal="left", vertical="center", indent=1,
                                   shrink_to_fit=shrink)  # fmt: skip
        for col in range(first, last + 1):
            c = ws.cell(row=row, column=col)
            c.fill = TILE
            top = Side(style="thick", color=NAVY) if row == TILE_ROWS[0] else None
            c.border = Border(left=GAP if col == first else None,
                              right=GAP if col == last else None, top=top)  # fmt: skip
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _tiles(sh: Sheet, r: Report) -> None:
    """NPS with its interval and groups, CSI, wow gap and n, in large type."""
    lang = r.lang
    t = r.score.total
    ci = sh.ci
    n = t.nps
    if n is not None and n.score is not None:
        lines = (
            f"{ci} {fmt.signed(n.ci_low)} … {fmt.signed(n.ci_high)}",
            text("tile.groups", lang).format(
                p=fmt.pct(n.promoters), a=fmt.pct(n.passives), d=fmt.pct(n.detractors)
            ),
        )
        _tile(sh, TILES[0], text("title.nps", lang), n.score, SIGNED, lines)
    else:
        _tile(sh, TILES[0], text("title.nps", lang), text("no_nps_item", lang), None, ("", ""))
    c = t.csi
    if c is not None and c.score is not None:
        method = text(f"tile.csi.{c.method}", lang)
        lines = (f"{ci} {fmt.num(c.ci_low)} … {fmt.num(c.ci_high)}", method)
        _tile(sh, TILES[1], text("tile.csi", lang), c.score, ONE, lines)
    else:
        _tile(sh, TILES[1], text("tile.csi", lang), text("no_csi_item", lang), None, ("", ""))
    lad = t.ladder
    if lad is not None and lad.wow_gap is not None:
        lines = (
            f"{ci} {fmt.pct(lad.wow_gap_ci_low)} … {fmt.pct(lad.wow_gap_ci_high)}",
            f"{text('very', lang)} {fmt.pct(lad.very)} · {text('somewhat', lang)} "
            f"{fmt.pct(lad.somewhat)}",
        )
        _tile(sh, TILES[2], text("tile.wow_gap", lang), frac(lad.wow_gap), PCT, lines)
    else:
        _tile(sh, TILES[2], text("tile.wow_gap", lang), text("no_sat_item", lang), None, ("", ""))
    q = r.score.quality
    left_out = q["n_rows"] - q["rows_kept"]
    lines = (
        f"{text('rows_read', lang)} {fmt.count(q['n_rows'])}",
        f"{text('left_out', lang)} {fmt.count(left_out)}",
    )
    _tile(sh, TILES[3], text("tile.n", lang), q["rows_kept"], INT, lines)
    sh.ws.row_dimensions[TILE_ROWS[0]].height = 18
    sh.ws.row_dimensions[TILE_ROWS[1]].height = 36
    for row in TILE_ROWS[2:]:
        sh.ws.row_dimensions[row].height = 15
    sh.max_col = max(sh.max_col, TILES[-1][1])


def _groups(r: Report) -> list[tuple[str, GroupScore]]:
    """The total and every segment value, labelled ``column: value``."""
    groups: list[tuple[str, GroupScore]] = [(text("total", r.lang), r.score.total)]
    for col, gs in r.score.segments.items():
        groups.extend((f"{col}: {g.value}", g) for g in gs)
    return groups


def _nps_groups_table(sh: Sheet, r: Report, with_ci: bool) -> tuple[int, int] | None:
    """Detractors, passives and promoters (then NPS, its interval and n) per group; the rows
    of the table for a chart, or None when there is no NPS."""
    lang = r.lang
    rows = [
        (name, g.nps) for name, g in _groups(r) if g.nps is not None and g.nps.score is not None
    ]
    if not rows:
        return None
    keys = ["group", "detractors", "passives", "promoters", "nps"]
    keys += ["ci_low", "ci_high", "n"] if with_ci else ["n"]
    head = sh.header([text(k, lang) for k in keys])
    for name, n in rows:
        cells: list[tuple[Any, str | None]] = [
            (name, None), (frac(n.detractors), PCT), (frac(n.passives), PCT),
            (frac(n.promoters), PCT), (n.score, SIGNED),
        ]  # fmt: skip
        if with_ci:
            cells += [(n.ci_low, SIGNED), (n.ci_high, SIGNED)]
        sh.line([*cells, (n.n, INT)])
    return head, sh.row - 1


def _ladder_groups_table(sh: Sheet, r: Report) -> tuple[int, int] | None:
    """The satisfaction ladder (dissatisfied .. very satisfied) per group, for surveys without
    an NPS item."""
    lang = r.lang
    rows = [(name, g.ladder) for name, g in _groups(r) if g.ladder is not None]
    if not rows:
        return None
    keys = ("group", "dissatisfied", "neutral", "somewhat", "very", "wow_gap", "n")
    head = sh.header([text(k, lang) for k in keys])
    for name, lad in rows:
        sh.line([(name, None), (frac(lad.dissatisfied), PCT), (frac(lad.neutral), PCT),
                 (frac(lad.somewhat), PCT), (frac(lad.very), PCT), (frac(lad.wow_gap), PCT),
                 (lad.n, INT)])  # fmt: skip
    return head, sh.row - 1


def _used_cm(ws: Worksheet, rows: int) -> float:
    """The printed height of rows 1..``rows`` (rows without a height count 15 pt)."""
    points = sum(ws.row_dimensions[r].height or DEFAULT_ROW_PT for r in range(1, rows + 1))
    return points / 28.35


def _chart_rows(height_cm: float) -> int:
    """How many default rows (15 pt) a chart of ``height_cm`` covers."""
    return int(height_cm / 0.53) + 2


def _summary(sh: Sheet, r: Report) -> None:
    lang = r.lang
    t = r.score.total
    sh.fixed.update(SUMMARY_WIDTHS)
    _tiles(sh, r)
    width_cm = sum(SUMMARY_WIDTHS.values()) * CM_PER_CHAR
    # the groups and their chart
    sh.row = TILE_ROWS[-1] + 1
    sh.heading(
        text("nps_by_group" if t.nps and t.nps.score is not None else "ladder_by_group", lang)
    )
    table = _nps_groups_table(sh, r, with_ci=True)
    colours: tuple[str, ...] = tuple(NPS_COLOURS.values())
    title = text("nps_groups", lang)
    if table is None:
        table = _ladder_groups_table(sh, r)
        colours, title = LADDER_COLOURS, text("ladder.title", lang)
    if table is not None:
        head, last = table
        chart = group_chart(sh, head, last, colours, title)
        groups = last - head
        # on page 1 with the tiles: as tall as the groups need, squeezed to the room left
        # (never below a readable minimum; then the chart starts page 2)
        room = PAGE_CM - _used_cm(sh.ws, sh.row + 1) - 0.5
        want, least = 2.6 + 0.8 * groups, 2.2 + 0.45 * groups
        if room < least:
            sh.page_break()
        chart.height = min(12.0, want, max(room, least)) if room >= least else min(12.0, want)
        chart.width = width_cm
        sh.ws.add_chart(chart, f"A{sh.row + 1}")
        sh.row += _chart_rows(chart.height)
    # what to do first
    d = r.drivers
    if d is not None:
        from csitool.render.drivers_view import action_sentence

        for kind in ("fix", "promote"):
            actions = [a for a in d.total.actions if a.kind == kind][:3]
            if actions:
                sh.heading(text(kind, lang))
                for a in actions:
                    sh.note(f"{a.rank}. {action_sentence(a, d.target, lang)}")
    else:
        sh.heading(text("no_drivers", lang))
        sh.note(r.no_drivers_text())
    # every headline figure with its interval and base
    sh.heading(text("figures", lang))
    sh.header([text(k, lang) for k in ("measure", "value", "ci_low", "ci_high", "n", "n_eff")])
    if t.nps and t.nps.score is not None:
        n = t.nps
        sh.line([(text("nps", lang), None), (n.score, SIGNED), (n.ci_low, SIGNED),
                 (n.ci_high, SIGNED), (n.n, INT), (n.n_eff, INT)])  # fmt: skip
        for key in ("promoters", "passives", "detractors"):
            sh.line([(text(key, lang), None), (frac(getattr(n, key)), PCT)])
    elif not r.has("nps"):
        sh.line([(text("nps", lang), None), (text("no_nps_item", lang), None)])
    if t.csi and t.csi.score is not None:
        c = t.csi
        sh.line([(f"{text('csi', lang)} ({c.method})", None), (c.score, ONE), (c.ci_low, ONE),
                 (c.ci_high, ONE), (c.n, INT), (c.n_eff, INT)])  # fmt: skip
    elif not (r.has("sat") or r.has("attrs")):
        sh.line([(text("csi", lang), None), (text("no_csi_item", lang), None)])
    if t.ladder:
        lad = t.ladder
        for key in ("very", "somewhat", "neutral", "dissatisfied"):
            sh.line([(text(key, lang), None), (frac(getattr(lad, key)), PCT)])
        sh.line([(text("wow_gap", lang), None), (frac(lad.wow_gap), PCT),
                 (frac(lad.wow_gap_ci_low), PCT), (frac(lad.wow_gap_ci_high), PCT),
                 (lad.n, INT), (lad.n_eff, INT)])  # fmt: skip
    elif not r.has("sat"):
        sh.line([(text("wow_gap", lang), None), (text("no_sat_item", lang), None)])
    q = r.score.quality
    sh.line([(text("rows_read", lang), None), (q["n_rows"], INT)])
    sh.line([(text("rows_kept", lang), None), (q["rows_kept"], INT)])
    for reason, count in q["excluded"].items():
        sh.line([(f"{text('left_out', lang)}: {reason_text(reason, lang)}", None), (count, INT)])
    from csitool.notes import loud

    told = loud(r.score.notes)
    if told:
        sh.heading(text("reading_notes", lang))
        from csitool.render.i18n import note_text

        for note in told:
            sh.sentence(note.code, note_text(note, lang))
    sh.ws.freeze_panes = "B4"  # the title rows and the label column


def _nps(sh: Sheet, r: Report) -> None:
    lang = r.lang
    look = sh.look
    t = r.score.total
    nps_item = next((i for i in t.items if i.role == "nps"), None)
    if nps_item is None or not t.nps or t.nps.score is None:
        # no figures, so no charts: one plain sentence (the sheet stays, so every workbook
        # of a batch has the same sheets)
        sh.note(text("nps_sheet_none" if not r.has("nps") else "no_nps_item", lang))
        return
    first = sh.header([text("answer", lang), text("share", lang)], freeze=True)
    for point in nps_item.distribution:
        sh.line([(point["value"], WHOLE), (frac(point["share"]), PCT)])
    last = sh.row - 1
    bar = BarChart()
    bar.type = "col"
    bar.gapWidth = 40
    bar.title = chart_title(look, safe(nps_item.column))
    bar.y_axis.title = axis_title(look, text("share", lang))
    bar.y_axis.numFmt = "0%"
    bar.legend = None
    bar.add_data(_ref(sh.ws, 2, first, last), titles_from_data=True)
    bar.set_categories(_ref(sh.ws, 1, first + 1, last))
    series = bar.series[0]
    fill_series(series, NPS_COLOURS["passives"])
    from csitool.survey.scales import DETRACTOR_MAX, PROMOTER_MIN

    for k, point in enumerate(nps_item.distribution):
        value = point["value"]
        if value <= DETRACTOR_MAX:
            group = "detractors"
        elif value < PROMOTER_MIN:
            group = "passives"
        else:
            group = "promoters"
        dot = DataPoint(idx=k)
        dot.graphicalProperties.solidFill = NPS_COLOURS[group]
        dot.graphicalProperties.line.solidFill = NPS_COLOURS[group]
        series.dPt.append(dot)
    series.dLbls = labels(num_fmt="0%")
    series.dLbls.txPr = rich(look, 800)
    style_axes(bar, look)
    bar.height, bar.width = 7.5, 16
    sh.ws.add_chart(bar, "D4")

    sh.row = max(sh.row, 20) + 1
    sh.page_break()
    table = _nps_groups_table(sh, r, with_ci=True)
    if table is None:
        return
    head, last = table
    chart = group_chart(sh, head, last, tuple(NPS_COLOURS.values()), text("nps_groups", lang))
    chart.height, chart.width = min(14.0, 3.2 + 1.0 * (last - head)), 16
    sh.ws.add_chart(chart, f"A{sh.row + 1}")
    sh.row += _chart_rows(chart.height)


def _attributes(sh: Sheet, r: Report) -> None:
    lang = r.lang
    keys = ("item", "role", "scale", "n", "mean", "csi", "ci_low", "ci_high", "top_box",
            "top2_box", "bottom2_box", "very", "somewhat")  # fmt: skip
    first = sh.header([text(k, lang) for k in keys], freeze=True)
    for it in r.score.total.items:
        sh.line([
            (it.column, None), (it.role, None), (it.scale, None), (it.n, INT), (it.mean, TWO),
            (it.csi, ONE), (it.ci_low, ONE), (it.ci_high, ONE), (frac(it.top_box), PCT),
            (frac(it.top2_box), PCT), (frac(it.bottom2_box), PCT),
            (frac(it.ladder.very), PCT), (frac(it.ladder.somewhat), PCT),
        ])  # fmt: skip
    last = sh.row - 1
    if last > first:
        ws = sh.ws
        ws.conditional_formatting.add(
            f"F{first + 1}:F{last}",
            DataBarRule(start_type="num", start_value=0, end_type="num", end_value=100,
                        color="5B9BD5"),
        )  # fmt: skip
        for col, (lo, hi) in (("I", ("FFFFFF", "63BE7B")), ("K", ("FFFFFF", "F8696B"))):
            ws.conditional_formatting.add(
                f"{col}{first + 1}:{col}{last}",
                ColorScaleRule(start_type="min", start_color=lo, end_type="max", end_color=hi),
            )


def _drivers(sh: Sheet, r: Report) -> None:
    lang = r.lang
    d = r.drivers
    if d is None:
        sh.note(r.no_drivers_text())
        return
    g = d.total
    bh = d.options.adjust == "bh"
    pq = "q" if bh else "p"
    keys = ("attribute", "stage", "csi", "importance", "raw_weight", "rank", "penalty", pq,
            "reward", pq, "ia", "class", "quadrant", "delight", "q", "dissat", "q")  # fmt: skip
    first = sh.header([text(k, lang) for k in keys], freeze=True)
    for a in g.attributes:
        i = a.impact
        sh.line([
            (a.column, None), (a.stage, None), (a.performance.csi, ONE),
            (frac(a.importance.share), PCT), (a.importance.raw_weight, THREE),
            (a.importance.rank, WHOLE), (i.penalty, SIGNED3),
            (i.penalty_q if bh else i.penalty_p, P_FMT),
            (i.reward, SIGNED3), (i.reward_q if bh else i.reward_p, P_FMT), (i.ia, TWO),
            (text(i.class_, lang), None),
            (text(a.quadrant, lang), None), (a.delight.difference, SIGNED),
            (a.delight.p_adjusted, P_FMT), (a.dissatisfaction.difference, SIGNED),
            (a.dissatisfaction.p_adjusted, P_FMT),
        ])  # fmt: skip
    last = sh.row - 1
    for row, a in zip(range(first + 1, last + 1), g.attributes, strict=True):
        colour = CLASS_COLOURS.get(a.impact.class_)
        if a.impact.class_ in ("pain-point", "wow-point") and colour:
            sh.ws.cell(row=row, column=12).font = sh.look.font(bold=True, color=colour)
    if g.attributes:
        if len(g.attributes) > ATTRIBUTES_WITH_CHART:
            sh.page_break()
        chart = _scatter(sh, g, first, last)
        chart.height, chart.width = 13, 24
        sh.ws.add_chart(chart, f"A{sh.row + 1}")
        sh.row += _chart_rows(chart.height)
        split = g.split
        sh.note(
            text("scatter_note", lang).format(
                imp=fmt.pct(split["importance"]), perf=fmt.num(split["performance"])
            )
        )
    from csitool.render.drivers_view import action_sentence

    sh.heading(text("actions", lang))
    for kind in ("fix", "promote"):
        for act in [x for x in g.actions if x.kind == kind]:
            sh.sentence(f"{text(kind, lang)} {act.rank}", action_sentence(act, d.target, lang))


def _scatter(sh: Sheet, g: DriversGroup, first: int, last: int) -> ScatterChart:
    """Importance (x) against CSI (y): one point per attribute, labelled with its name (the
    series name, read from its cell) and coloured by its class; the quadrant split lines
    are dashed and have no name (their end points sit in two hidden columns); no legend."""
    look = sh.look
    lang = sh.lang
    ws = sh.ws
    split = g.split
    imp_cut, perf_cut = split["importance"] / 100, split["performance"]
    shares = [a.importance.share / 100 for a in g.attributes]
    csis = [a.performance.csi or 0.0 for a in g.attributes]
    x_lo, x_hi = 0.0, max(max(shares) * 1.15, imp_cut * 1.2)
    y_lo = max(0.0, 5 * (min(min(csis), perf_cut) // 5) - 5)
    y_hi = min(100.0, 5 * (max(max(csis), perf_cut) // 5) + 10)
    chart = ScatterChart()
    chart.scatterStyle = "lineMarker"
    chart.title = chart_title(look, f"{text('importance_axis', lang)} × {text('csi', lang)}")
    chart.x_axis.title = axis_title(look, text("importance_axis", lang))
    chart.y_axis.title = axis_title(look, text("performance_axis", lang))
    chart.x_axis.numFmt = "0%"
    chart.y_axis.numFmt = "0"
    chart.x_axis.scaling.min, chart.x_axis.scaling.max = x_lo, x_hi
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = y_lo, y_hi
    chart.x_axis.majorGridlines = None
    chart.y_axis.majorGridlines = None
    chart.legend = None
    places = label_places(shares, csis, (x_hi - x_lo, y_hi - y_lo))
    quoted = ws.title.replace("'", "''")
    for row, a, place in zip(range(first + 1, last + 1), g.attributes, places, strict=True):
        s = Series(_ref(ws, 3, row), _ref(ws, 4, row), title_from_data=False)
        s.tx = SeriesLabel(strRef=StrRef(f"'{quoted}'!$A${row}"))
        colour = CLASS_COLOURS.get(a.impact.class_, CLASS_COLOURS["unclassified"])
        s.marker.symbol = "circle"
        s.marker.size = 9
        s.marker.graphicalProperties = None
        fill_marker(s, colour)
        s.graphicalProperties.line.noFill = True
        s.dLbls = labels(name=True, value=False, pos=place)
        s.dLbls.txPr = rich(look, 800)
        chart.series.append(s)
    # the split lines: two points each, in cells of a hidden column pair right of the table
    # (charts plot hidden cells because ``visible_cells_only`` is off)
    helper = sh.max_col + 2
    ends = [(imp_cut, y_lo), (imp_cut, y_hi), (x_lo, perf_cut), (x_hi, perf_cut)]
    for k, (x, y) in enumerate(ends):
        ws.cell(row=first + 1 + k, column=helper, value=x).number_format = PCT
        ws.cell(row=first + 1 + k, column=helper + 1, value=y).number_format = ONE
    for col in (helper, helper + 1):
        ws.column_dimensions[get_column_letter(col)].hidden = True
    chart.visible_cells_only = False
    for k in (0, 2):
        line = Series(
            _ref(ws, helper + 1, first + 1 + k, first + 2 + k),
            _ref(ws, helper, first + 1 + k, first + 2 + k),
        )
        line.marker.symbol = "none"
        line.graphicalProperties.line.dashStyle = "dash"
        line.graphicalProperties.line.solidFill = "808080"
        line.graphicalProperties.line.width = 12700
        chart.series.append(line)
    style_axes(chart, look)
    return chart


def label_places(xs: list[float], ys: list[float], span: tuple[float, float]) -> list[str]:
    """Where each point's label goes: right of the point, unless another point sits close
    beside it; then the upper of the two is labelled above and the lower below (left and
    right when they are level)."""
    places = ["r"] * len(xs)
    near_x, near_y = 0.06 * span[0], 0.05 * span[1]
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            if abs(xs[i] - xs[j]) < near_x and abs(ys[i] - ys[j]) < near_y:
                if abs(ys[i] - ys[j]) < 0.01 * span[1]:
                    left, right = (i, j) if xs[i] <= xs[j] else (j, i)
                    places[left], places[right] = "l", "r"
                else:
                    upper, lower = (i, j) if ys[i] > ys[j] else (j, i)
                    places[upper], places[lower] = "t", "b"
    return places


def fill_marker(series: Any, colour: str) -> None:
    from openpyxl.chart.shapes import GraphicalProperties

    series.marker.graphicalProperties = GraphicalProperties(solidFill=colour)
    series.marker.graphicalProperties.line.solidFill = colour


def _touchpoints(sh: Sheet, r: Report) -> None:
    stages = _touchpoint_tables(sh, r)
    if stages is not None and r.drivers is not None:
        _stage_chart(sh, r.drivers.total, *stages)


def _touchpoint_tables(sh: Sheet, r: Report) -> tuple[int, int] | None:
    """The stages and the one-bad-moment figures; the rows of the stage table, if any."""
    lang = r.lang
    stages = None
    g = r.drivers.total if r.drivers else None
    if g is None:
        sh.note(r.no_drivers_text())
        return None
    if not g.stages:
        sh.note(text("no_stages", lang))
    else:
        keys = ("stage", "attribute", "stage_csi", "ci_low", "ci_high", "any_low", "weakest")
        first = sh.header([text(k, lang) for k in keys], freeze=True)
        for s in g.stages:
            row = sh.line([(s.name, None), (", ".join(s.attributes), None), (s.csi, ONE),
                           (s.ci_low, ONE), (s.ci_high, ONE), (frac(s.any_low), PCT),
                           (text("weakest", lang) if s.weakest else "", None)])  # fmt: skip
            sh.ws.cell(row=row, column=2).alignment = WRAP
            sh.flow.append((row, 2, 2))
            if s.weakest:
                sh.ws.cell(row=row, column=7).font = sh.look.font(
                    bold=True, color=CLASS_COLOURS["pain-point"]
                )
        sh.fixed[2] = 36.0
        stages = first, sh.row - 1
    b = g.bad_moment if g else None
    if b is None or b.share is None:
        return stages
    sh.heading(text("bad_moment", lang))
    sh.line([(text("bad_share", lang), None), (frac(b.share), PCT), (frac(b.ci_low), PCT),
             (frac(b.ci_high), PCT)])  # fmt: skip
    sh.header([text(k, lang) for k in ("measure", "bad_group", "rest_group", "difference",
                                       "ci_low", "ci_high", "p_value")])  # fmt: skip
    if b.sat_column:
        sd = b.sat_difference
        sh.line([(text("bad_sat", lang), None), (b.sat_bad, ONE), (b.sat_rest, ONE),
                 (sd.estimate, SIGNED), (sd.ci_low, SIGNED), (sd.ci_high, SIGNED),
                 (sd.p_value, P_FMT)])  # fmt: skip
    if b.nps_column:
        nd = b.nps_difference
        sh.line([(text("bad_nps", lang), None), (b.nps_bad, SIGNED), (b.nps_rest, SIGNED),
                 (nd.estimate, SIGNED), (nd.ci_low, SIGNED), (nd.ci_high, SIGNED),
                 (nd.p_value, P_FMT)])  # fmt: skip
    return stages


def _stage_chart(sh: Sheet, g: DriversGroup, first: int, last: int) -> None:
    """Stage CSI as bars in journey order, the weakest stage in red, under the tables."""
    look = sh.look
    chart = BarChart()
    chart.type = "col"
    chart.gapWidth = 60
    chart.title = chart_title(look, text("stage_csi", sh.lang))
    chart.add_data(_ref(sh.ws, 3, first, last), titles_from_data=True)
    chart.set_categories(_ref(sh.ws, 1, first + 1, last))
    series = chart.series[0]
    fill_series(series, CLASS_COLOURS["performance"])
    for k, stage in enumerate(g.stages):
        if stage.weakest:
            dot = DataPoint(idx=k)
            dot.graphicalProperties.solidFill = CLASS_COLOURS["pain-point"]
            dot.graphicalProperties.line.solidFill = CLASS_COLOURS["pain-point"]
            series.dPt.append(dot)
    series.dLbls = labels(num_fmt="0.0")
    series.dLbls.txPr = rich(look, 800)
    chart.legend = None
    chart.y_axis.numFmt = "0"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    style_axes(chart, look)
    chart.height, chart.width = 7.0, 16.0
    sh.ws.add_chart(chart, f"A{sh.row + 2}")
    sh.row += 2 + _chart_rows(chart.height)


def _segments(sh: Sheet, r: Report) -> None:
    lang = r.lang
    keys = ("segment", "segment_value", "n", "nps", "ci_low", "ci_high", "csi", "ci_low",
            "ci_high", "very", "somewhat", "wow_gap", "low_base", "letter", "nps_beats",
            "csi_beats")  # fmt: skip
    for sentence in segment_notes(r):
        sh.note(sentence)
    if sh.row > HEADER_ROW:
        sh.row += 1
    sh.header([text(k, lang) for k in keys], freeze=True)
    if not r.score.segments:
        sh.note(text("segments_none", lang))
    for s in segment_rows(r):
        col, g, name, low = s.column, s.group, s.name, s.low_base
        letter, nps_beats, csi_beats = s.letters
        n, c, lad = g.nps, g.csi, g.ladder
        row = sh.line([
            (col, None), (name, None), (g.n_rows, INT),
            (n.score if n else None, SIGNED), (n.ci_low if n else None, SIGNED),
            (n.ci_high if n else None, SIGNED), (c.score if c else None, ONE),
            (c.ci_low if c else None, ONE), (c.ci_high if c else None, ONE),
            (frac(lad.very) if lad else None, PCT), (frac(lad.somewhat) if lad else None, PCT),
            (frac(lad.wow_gap) if lad else None, PCT),
            (text("low_base", lang) if low else "", None),
            (letter, None), (nps_beats, None), (csi_beats, None),
        ])  # fmt: skip
        if low:
            sh.ws.cell(row=row, column=13).font = sh.look.font(bold=True, color="C00000")
        if s.total:
            for j in range(1, len(keys) + 1):
                cell = sh.ws.cell(row=row, column=j)
                cell.border = Border(top=Side(style="thin", color=GREY_TEXT))
                cell.font = sh.look.bold


def _quality(sh: Sheet, r: Report) -> None:
    lang = r.lang
    if not r.excluded_listed:  # counted by an engine: the counts, and how to list the rows
        total = r.excluded_total()
        if not total:
            sh.note(text("nothing_left_out", lang))
            return
        file = Path(r.path).name
        sh.note(text("excluded_counted", lang).format(engine=r.engine, total=total, file=file))
        sh.header([text(k, lang) for k in ("reason", "column", "n")], freeze=True)
        for reason, column, n in r.excluded_counts or []:
            sh.line([(reason_text(reason, lang), None),
                     (column or text("whole_row", lang), None), (n, INT)])  # fmt: skip
        return
    sh.header([text(k, lang) for k in ("row", "column", "value", "reason")], freeze=True)
    if not r.excluded:
        sh.note(text("nothing_left_out", lang))
    for rec in r.excluded[:MAX_EXCLUDED_LISTED]:
        sh.line([(rec["row"], WHOLE), (rec["column"] or text("whole_row", lang), None),
                 (rec["value"], None),
                 (reason_text(rec["reason"], lang), None)])  # fmt: skip
    total = r.excluded_total()
    listed = min(len(r.excluded), MAX_EXCLUDED_LISTED)
    if total > listed:
        sh.heading(
            text("excluded_more", lang).format(listed=listed, total=total, file=Path(r.path).name)
        )
        sh.header([text(k, lang) for k in ("reason", "column", "n")])
        counts = r.excluded_counts or _counts(r.excluded)
        for reason, column, n in counts:
            sh.line([(reason_text(reason, lang), None),
                     (column or text("whole_row", lang), None), (n, INT)])  # fmt: skip


def _counts(records: list[dict[str, Any]]) -> list[tuple[str, str | None, int]]:
    """Exclusions counted by reason and column (for a report built from a full list)."""
    from collections import Counter

    found = Counter((rec["reason"], rec["column"]) for rec in records)
    return [(reason, column, n) for (reason, column), n in found.items()]


def _voc(sh: Sheet, r: Report) -> None:
    lang = r.lang
    look = sh.look
    v = r.voc
    if v is None:
        sh.note(text("no_voc", lang))
        return
    from csitool.render.voc_words import (
        contradiction_count,
        nps_mix,
        sentiment_counts,
        sentiment_mix,
    )

    g = v.total
    sh.line([(text("voc_answered", lang), None), (g.answered, INT)])
    sh.line([(text("voc_untagged", lang), None), (g.untagged, INT)])
    if v.sentiment_method != "off":
        sh.note(sentiment_counts(g, v.sentiment_method, lang))
    against = contradiction_count(g, lang)
    if against is not None:
        sh.note(against[1])
    if not (r.has("nps") or r.has("sat")):
        sh.note(text("voc_no_scores", lang))
    elif not r.has("nps"):
        sh.note(text("nps_columns_empty", lang))
    sh.row += 1
    keys = ("theme", "mentions", "share", "nps", "nps_impact", "ci_low", "ci_high",
            "sat_impact", "voiced", "v.nps_mix", "v.sentiment")  # fmt: skip
    first = sh.header([text(k, lang) for k in keys], freeze=True)
    for t in g.themes:
        row = sh.line([
            (t.label, None), (t.mentions, INT), (frac(t.share), PCT), (t.nps, SIGNED),
            (t.nps_impact, SIGNED), (t.nps_impact_ci_low, SIGNED), (t.nps_impact_ci_high, SIGNED),
            (t.sat_impact, SIGNED), (text(t.voiced, lang) if t.voiced else "", None),
            (nps_mix(t), None), (sentiment_mix(t), None),
        ])  # fmt: skip
        if t.voiced:
            colour = CLASS_COLOURS.get(t.voiced)
            sh.ws.cell(row=row, column=9).font = look.font(bold=True, color=colour)
    last = sh.row - 1
    # the impact chart: NPS impact when the survey has NPS, else the satisfaction impact
    impacts = [t.nps_impact for t in g.themes] if r.has("nps") else [t.sat_impact for t in g.themes]
    if last > first and any(x is not None for x in impacts):
        col = 5 if r.has("nps") else 8
        sh.page_break()
        chart = BarChart()
        chart.type = "bar"
        chart.gapWidth = 50
        name = "nps_impact" if r.has("nps") else "sat_impact"
        chart.title = chart_title(look, text(f"voc_chart.{name}", lang))
        chart.add_data(_ref(sh.ws, col, first, last), titles_from_data=True)
        chart.set_categories(_ref(sh.ws, 1, first + 1, last))
        series = chart.series[0]
        fill_series(series, CLASS_COLOURS["low impact"])
        for k, x in enumerate(impacts):
            if x is None:
                continue
            dot = DataPoint(idx=k, invertIfNegative=False)
            colour = CLASS_COLOURS["pain-point"] if x < 0 else CLASS_COLOURS["wow-point"]
            dot.graphicalProperties.solidFill = colour
            dot.graphicalProperties.line.solidFill = colour
            series.dPt.append(dot)
        series.invertIfNegative = False
        series.dLbls = labels(num_fmt="+0.0;-0.0;0.0")
        series.dLbls.txPr = rich(look, 800)
        chart.legend = None
        style_axes(chart, look, x_pos="l", y_pos="b")
        chart.x_axis.scaling.orientation = "maxMin"  # the first theme on top
        chart.x_axis.tickLblPos = "low"  # theme names left of the plot, also for negatives
        chart.y_axis.numFmt = "+0.0;-0.0;0"
        chart.height = min(16.0, 3.0 + 0.55 * (last - first))
        chart.width = 22
        sh.ws.add_chart(chart, f"A{sh.row + 1}")
        sh.row += _chart_rows(chart.height)
    if r.drivers is not None:
        sh.heading(text("voc_beside", lang))
        for a in r.drivers.total.actions:
            kind = text("pain-point" if a.kind == "fix" else "wow-point", lang)
            sh.line([(kind, None), (a.column, None)])
    for t in g.themes:
        if t.voiced and t.examples:
            sh.heading(f"{t.label} ({text(t.voiced, lang)})")
            seen: set[str] = set()
            for ex in t.examples:
                said = str(ex["text"]).strip()
                if said in seen:
                    continue  # the same words again add nothing
                seen.add(said)
                sh.sentence(ex["row"], ex["text"], WHOLE)


SHEETS = (
    ("sheet.summary", "title.summary", _summary),
    ("sheet.nps", "title.nps", _nps),
    ("sheet.attributes", "title.attributes", _attributes),
    ("sheet.drivers", "title.drivers", _drivers),
    ("sheet.touchpoints", "title.touchpoints", _touchpoints),
    ("sheet.segments", "title.segments", _segments),
    ("sheet.voc", "title.voc", _voc),
    ("sheet.quality", "title.quality", _quality),
)


def build_workbook(report: Report) -> Workbook:
    """The report's workbook, sheet by sheet."""
    lang = report.lang
    wb = new_workbook(lang)
    wb.remove(wb.active)
    for sheet_key, title_key, fill in SHEETS:
        ws = wb.create_sheet(text(sheet_key, lang))
        sh = Sheet(ws, f"{text(title_key, lang)}: {Path(report.path).name}", report.path,
                   report.date, lang, confidence=report.score.options.confidence)  # fmt: skip
        fill(sh, report)
        # sheets that open with a chart or tiles repeat their title rows, the others the
        # header row of their table
        own_rows = fill in (_summary, _nps, _voc)
        sh.finish(
            landscape=True if fill is _summary else None, title_rows="1:2" if own_rows else None
        )
    _stamp(wb, report.date)
    return wb


def build_combined(reports: list[Report], lang: str, date: str) -> Workbook:
    """One workbook for a batch: a comparison sheet, then each file's summary."""
    wb = new_workbook(lang)
    ws = wb.active
    taken: set[str] = set()
    ws.title = sheet_name(text("sheet.comparison", lang), taken)
    sh = Sheet(ws, text("title.comparison", lang), f"{len(reports)} files", date, lang)
    keys = ("file", "n", "nps", "ci_low", "ci_high", "csi", "wow_gap", "top_pain", "top_wow")
    sh.header([text(k, lang) for k in keys], freeze=True)
    for r in reports:
        t = r.score.total
        pains = [a.column for a in r.drivers.total.actions if a.kind == "fix"] if r.drivers else []
        wows = (
            [a.column for a in r.drivers.total.actions if a.kind == "promote"] if r.drivers else []
        )
        sh.line([
            (r.path, None), (r.score.quality["rows_kept"], INT),
            (t.nps.score if t.nps else None, SIGNED), (t.nps.ci_low if t.nps else None, SIGNED),
            (t.nps.ci_high if t.nps else None, SIGNED), (t.csi.score if t.csi else None, ONE),
            (frac(t.ladder.wow_gap) if t.ladder else None, PCT),
            (pains[0] if pains else "", None), (wows[0] if wows else "", None),
        ])  # fmt: skip
    sh.finish()
    _trend(wb, reports, lang, date, taken)
    for r in reports:
        ws = wb.create_sheet(sheet_name(Path(r.path).stem, taken))
        sub = Sheet(ws, f"{text('title.summary', lang)}: {Path(r.path).name}", r.path, date, lang)
        _summary(sub, Report(**{**r.__dict__, "lang": lang}))
        sub.finish(landscape=True, title_rows="1:2")
    _stamp(wb, date)
    return wb


def _trend(wb: Workbook, reports: list[Report], lang: str, date: str, taken: set[str]) -> None:
    """The files in order as waves: NPS and CSI with a native line chart."""
    from openpyxl.chart import LineChart

    ws = wb.create_sheet(sheet_name(text("sheet.trend", lang), taken))
    sh = Sheet(ws, text("title.trend", lang), f"{len(reports)} files", date, lang)
    first = sh.header([text(k, lang) for k in ("file", "nps", "csi", "n")], freeze=True)
    for r in reports:
        t = r.score.total
        nps = t.nps.score if t.nps else None
        csi = t.csi.score if t.csi else None
        kept = r.score.quality["rows_kept"]
        sh.line([(Path(r.path).stem, None), (nps, SIGNED), (csi, ONE), (kept, INT)])
    last = sh.row - 1
    chart = LineChart()
    chart.title = chart_title(sh.look, f"{text('nps', lang)} / {text('csi', lang)}")
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=first, max_row=last),
                   titles_from_data=True)  # fmt: skip
    chart.set_categories(Reference(ws, min_col=1, min_row=first + 1, max_row=last))
    for series, colour in zip(chart.series, ("2F5597", "ED7D31"), strict=True):
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 28575
        series.marker.symbol = "circle"
        series.marker.size = 7
        fill_marker(series, colour)
    chart.legend.position = "b"
    style_axes(chart, sh.look)
    chart.y_axis.numFmt = "0"  # one axis for NPS and CSI: no sign
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, "F4")
    sh.finish(landscape=True)


def _stamp(wb: Workbook, date: str) -> None:
    when = dt.datetime.fromisoformat(date)
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "csitool"
    wb.properties.lastModifiedBy = "csitool"


def save_atomic(wb: Workbook, path: Path, date: str, label: str = "output") -> None:
    """Write ``wb`` to ``path`` through a temporary file in the same folder, with fixed
    timestamps inside the zip, then rename: the old file or the new one, never half
    (``csitool.io.write.write_bytes_atomic``; ``label`` names the output in its errors)."""
    buf = io.BytesIO()
    wb.save(buf)
    stamp = dt.datetime.fromisoformat(date).timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        iso = dt.datetime.fromisoformat(date).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps "modified" with the clock on save: pin it to the report date
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + iso, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)  # type: ignore[arg-type]
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)
    from csitool.io.write import write_bytes_atomic

    write_bytes_atomic(path, out.getvalue(), label)


def tagged_workbook(rows: list[dict[str, Any]], source: str, date: str) -> Workbook:
    """Every comment with its row, themes and sentiment, as text that can never run."""
    wb = new_workbook("en")
    ws = wb.active
    ws.title = "VOC"
    sh = Sheet(ws, f"VOC: {Path(source).name}", source, date, "en")
    sh.header(["row", "comment", "status", "themes", "sentiment", "contradiction"], freeze=True)
    for r in rows:
        sh.line([(r["row"], WHOLE), (r["comment"], None), (r["status"], None), (r["themes"], None),
                 (r["sentiment"], None), (r.get("contradiction", ""), None)])  # fmt: skip
    sh.fixed[2] = 80
    sh.finish(landscape=True)
    _stamp(wb, date)
    return wb
