"""The Excel report (openpyxl): sheets, number formats, conditional formats and native charts.

Every number comes from a ``ScoreResult`` / ``DriversResult``; nothing is computed here
except turning percents into fractions for Excel's ``0.0%`` format. Text from the survey is
always stored as text (never as a formula), and the file is written atomically with fixed
zip and document timestamps, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.formatting.rule import ColorScaleRule, DataBarRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from csitool.render import fmt
from csitool.render.fmt import safe
from csitool.render.i18n import reason_text, text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from csitool.stats.drivers import DriversResult
    from csitool.stats.score import GroupScore, ScoreResult

PCT = "0.0%"
ONE = "0.0"
TWO = "0.00"
THREE = "0.000"
P_FMT = "0.0000"
INT = "#,##0"
RISKY = ("=", "+", "-", "@", "\t", "\r")
TITLE = Font(bold=True, size=14)
HEAD = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="305496")
BOLD = Font(bold=True)
RED = Font(bold=True, color="C00000")
HEADER_ROW = 4
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# The Data quality sheet lists at most this many exclusions (a sheet holds 1,048,576 rows);
# exact counts per reason and column follow, and `score --show-excluded` lists them all.
MAX_EXCLUDED_LISTED = 10_000
CELL_KEEP = "\n\t"  # the only control characters a cell keeps (XML 1.0 refuses the rest)


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


def frac(x: float | None) -> float | None:
    """A percent (0-100) as the fraction Excel's percent format expects."""
    return None if x is None else x / 100


class Sheet:
    """A worksheet with a cursor: title rows, header, data rows and widths that fit."""

    def __init__(
        self, ws: Worksheet, title: str, report_path: str, date: str, lang: str,
        confidence: float = 0.95,
    ):  # fmt: skip
        self.ws = ws
        self.lang = lang
        self.ci = fmt.ci_label(confidence)  # interval headers follow the confidence in use
        self.widths: dict[int, int] = {}
        self.put(1, 1, title).font = TITLE
        self.put(2, 1, f"{text('source', lang)}: {report_path}   ·   {text('date', lang)}: {date}")
        self.row = HEADER_ROW

    def put(self, row: int, col: int, value: Any, number_format: str | None = None) -> Any:
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
            shown = value if not isinstance(value, float) else 8
            width = sum(
                2 if ord(ch) > 0x1100 else 1 for ch in str(shown if shown is not None else "")
            )
            self.widths[col] = max(self.widths.get(col, 0), min(width, 60))
        return cell

    def header(self, names: list[str], freeze: bool = False) -> int:
        for j, name in enumerate(names, 1):
            cell = self.put(self.row, j, name.replace("{ci}", self.ci))
            cell.font = HEAD
            cell.fill = HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        if freeze:
            self.ws.freeze_panes = self.ws.cell(row=self.row + 1, column=1)
        self.row += 1
        return self.row - 1

    def line(self, values: list[tuple[Any, str | None]]) -> int:
        for j, (value, number_format) in enumerate(values, 1):
            self.put(self.row, j, value, number_format)
        self.row += 1
        return self.row - 1

    def note(self, sentence: str) -> int:
        """A sentence in column A that spills over the empty cells to its right (it does not
        widen the column)."""
        widths = dict(self.widths)
        self.put(self.row, 1, sentence)
        self.widths = widths
        self.row += 1
        return self.row - 1

    def heading(self, name: str) -> None:
        self.row += 1
        self.put(self.row, 1, name).font = BOLD
        self.row += 1

    def finish(self) -> None:
        for col, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(col)].width = max(8, width + 2)


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, no []:*?/\\)."""
    base = BAD_SHEET_CHARS.sub("_", safe(name)).strip("'") or "Sheet"
    candidate, k = base[:31], 2
    while candidate.lower() in taken:
        suffix = f" ({k})"
        candidate, k = base[: 31 - len(suffix)] + suffix, k + 1
    taken.add(candidate.lower())
    return candidate


# --------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------


def _summary(sh: Sheet, r: Report) -> None:
    lang = r.lang
    t = r.score.total
    sh.header([text(k, lang) for k in ("measure", "value", "ci_low", "ci_high", "n", "n_eff")],
              freeze=True)  # fmt: skip
    if t.nps and t.nps.score is not None:
        n = t.nps
        sh.line([(text("nps", lang), None), (n.score, ONE), (n.ci_low, ONE), (n.ci_high, ONE),
                 (n.n, INT), (n.n_eff, ONE)])  # fmt: skip
        for key in ("promoters", "passives", "detractors"):
            sh.line([(text(key, lang), None), (frac(getattr(n, key)), PCT)])
    elif not r.has("nps"):
        sh.line([(text("nps", lang), None), (text("no_nps_item", lang), None)])
    if t.csi and t.csi.score is not None:
        c = t.csi
        sh.line([(f"{text('csi', lang)} ({c.method})", None), (c.score, ONE), (c.ci_low, ONE),
                 (c.ci_high, ONE), (c.n, INT), (c.n_eff, ONE)])  # fmt: skip
    elif not (r.has("sat") or r.has("attrs")):
        sh.line([(text("csi", lang), None), (text("no_csi_item", lang), None)])
    if t.ladder:
        lad = t.ladder
        for key in ("very", "somewhat", "neutral", "dissatisfied"):
            sh.line([(text(key, lang), None), (frac(getattr(lad, key)), PCT)])
        sh.line([(text("wow_gap", lang), None), (frac(lad.wow_gap), PCT),
                 (frac(lad.wow_gap_ci_low), PCT), (frac(lad.wow_gap_ci_high), PCT)])  # fmt: skip
    elif not r.has("sat"):
        sh.line([(text("wow_gap", lang), None), (text("no_sat_item", lang), None)])
    from csitool.notes import loud

    told = loud(r.score.notes)
    if told:
        sh.heading(text("reading_notes", lang))
        for note in told:
            sh.line([(note.code, None), (note.message, None)])
    q = r.score.quality
    sh.line([(text("rows_read", lang), None), (q["n_rows"], INT)])
    sh.line([(text("rows_kept", lang), None), (q["rows_kept"], INT)])
    for reason, count in q["excluded"].items():
        sh.line([(f"{text('left_out', lang)}: {reason_text(reason, lang)}", None), (count, INT)])
    d = r.drivers
    if d is not None:
        from csitool.render.drivers_view import action_sentence

        for kind in ("fix", "promote"):
            actions = [a for a in d.total.actions if a.kind == kind][:3]
            if actions:
                sh.heading(text(kind, lang))
                for a in actions:
                    sh.line([(a.rank, None), (action_sentence(a, d.target, lang), None)])
    else:
        sh.heading(text("no_drivers", lang))
        sh.line([(r.no_drivers_text(), None)])
    sh.ws.column_dimensions["A"].width = 34


def _nps(sh: Sheet, r: Report) -> None:
    lang = r.lang
    t = r.score.total
    nps_item = next((i for i in t.items if i.role == "nps"), None)
    if nps_item is None or not t.nps or t.nps.score is None:
        # no figures, so no charts: one plain sentence (the sheet stays, so every workbook
        # of a batch has the same sheets)
        sh.note(text("nps_sheet_none" if not r.has("nps") else "no_nps_item", lang))
        return
    first = sh.header([text("answer", lang), text("share", lang)], freeze=True)
    for point in nps_item.distribution:
        sh.line([(point["value"], "0"), (frac(point["share"]), PCT)])
    last = sh.row - 1
    bar = BarChart()
    bar.type = "col"
    bar.title = safe(nps_item.column)
    bar.y_axis.title = text("share", lang)
    bar.y_axis.numFmt = "0%"
    bar.legend = None
    bar.add_data(Reference(sh.ws, min_col=2, min_row=first, max_row=last), titles_from_data=True)
    bar.set_categories(Reference(sh.ws, min_col=1, min_row=first + 1, max_row=last))
    bar.height, bar.width = 7.5, 16
    sh.ws.add_chart(bar, "E4")

    sh.row = max(sh.row, 22) + 1
    groups: list[tuple[str, GroupScore]] = [(text("total", lang), t)]
    for col, gs in r.score.segments.items():
        groups.extend((f"{col}: {g.value}", g) for g in gs)
    head = sh.row
    sh.header([text("group", lang), text("detractors", lang), text("passives", lang),
               text("promoters", lang), text("nps", lang), text("n", lang)])  # fmt: skip
    for name, g in groups:
        n = g.nps
        if n is None:
            continue
        sh.line([(name, None), (frac(n.detractors), PCT), (frac(n.passives), PCT),
                 (frac(n.promoters), PCT), (n.score, ONE), (n.n, INT)])  # fmt: skip
    last = sh.row - 1
    stack = BarChart()
    stack.type = "bar"
    stack.grouping = "percentStacked"
    stack.overlap = 100
    stack.title = text("nps", lang)
    stack.add_data(Reference(sh.ws, min_col=2, max_col=4, min_row=head, max_row=last),
                   titles_from_data=True)  # fmt: skip
    stack.set_categories(Reference(sh.ws, min_col=1, min_row=head + 1, max_row=last))
    stack.height, stack.width = max(5.0, 1.2 * (last - head) + 3), 16
    sh.ws.add_chart(stack, f"H{head}")


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
        sh.line([(r.no_drivers_text(), None)])
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
            (frac(a.importance.share), PCT), (a.importance.raw_weight, "0.0000"),
            (a.importance.rank, "0"), (i.penalty, THREE),
            (i.penalty_q if bh else i.penalty_p, P_FMT),
            (i.reward, THREE), (i.reward_q if bh else i.reward_p, P_FMT), (i.ia, TWO),
            (text(i.class_, lang), None),
            (text(a.quadrant, lang), None), (a.delight.difference, ONE),
            (a.delight.p_adjusted, P_FMT), (a.dissatisfaction.difference, ONE),
            (a.dissatisfaction.p_adjusted, P_FMT),
        ])  # fmt: skip
    last = sh.row - 1
    for row in range(first + 1, last + 1):
        cls = sh.ws.cell(row=row, column=12)
        if cls.value == text("pain-point", lang):
            cls.font = RED
        elif cls.value == text("wow-point", lang):
            cls.font = Font(bold=True, color="00B050")
    # split lines: two points each, in hidden helper cells beside the table
    split = g.split
    imp_cut, perf_cut = split["importance"] / 100, split["performance"]
    shares = [a.importance.share / 100 for a in g.attributes]
    csis = [a.performance.csi or 0.0 for a in g.attributes]
    x_lo, x_hi = 0.0, max(shares) * 1.1
    y_lo, y_hi = max(0.0, min(csis) - 5), min(100.0, max(csis) + 5)
    helper = 20  # column T onwards
    ws = sh.ws
    for k, (x, y) in enumerate([(imp_cut, y_lo), (imp_cut, y_hi), (x_lo, perf_cut),
                                (x_hi, perf_cut)]):  # fmt: skip
        ws.cell(row=first + 1 + k, column=helper, value=x)
        ws.cell(row=first + 1 + k, column=helper + 1, value=y)
    ws.cell(row=first, column=helper, value=text("split_line", lang))
    chart = ScatterChart()
    chart.title = f"{text('importance_axis', lang)} × {text('performance_axis', lang)}"
    chart.style = 13
    chart.x_axis.title = text("importance_axis", lang)
    chart.y_axis.title = text("performance_axis", lang)
    chart.x_axis.numFmt = "0%"
    chart.x_axis.scaling.min, chart.x_axis.scaling.max = x_lo, x_hi
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = y_lo, y_hi
    for row in range(first + 1, last + 1):
        s = Series(
            Reference(ws, min_col=3, min_row=row),
            Reference(ws, min_col=4, min_row=row),
            title_from_data=False,
        )
        from openpyxl.chart.data_source import StrRef
        from openpyxl.chart.series import SeriesLabel

        quoted = ws.title.replace("'", "''")
        s.tx = SeriesLabel(strRef=StrRef(f"'{quoted}'!$A${row}"))
        s.marker.symbol = "circle"
        s.marker.size = 8
        s.graphicalProperties.line.noFill = True
        chart.series.append(s)
    for k in (0, 2):
        line = Series(
            Reference(ws, min_col=helper + 1, min_row=first + 1 + k, max_row=first + 2 + k),
            Reference(ws, min_col=helper, min_row=first + 1 + k, max_row=first + 2 + k),
            title=text("split_line", lang),
        )
        line.marker.symbol = "none"
        line.graphicalProperties.line.dashStyle = "dash"
        line.graphicalProperties.line.solidFill = "808080"
        chart.series.append(line)
    chart.height, chart.width = 11, 18
    ws.add_chart(chart, f"A{sh.row + 2}")
    sh.row += 25
    from csitool.render.drivers_view import action_sentence

    sh.heading(text("actions", lang))
    for kind in ("fix", "promote"):
        for act in [x for x in g.actions if x.kind == kind]:
            sh.line([(f"{text(kind, lang)} {act.rank}", None),
                     (action_sentence(act, d.target, lang), None)])  # fmt: skip


def _touchpoints(sh: Sheet, r: Report) -> None:
    lang = r.lang
    g = r.drivers.total if r.drivers else None
    if g is None:
        sh.line([(r.no_drivers_text(), None)])
        return
    if not g.stages:
        sh.line([(text("no_stages", lang), None)])
    else:
        keys = ("stage", "attribute", "stage_csi", "ci_low", "ci_high", "any_low", "weakest")
        sh.header([text(k, lang) for k in keys], freeze=True)
        for s in g.stages:
            sh.line([(s.name, None), (", ".join(s.attributes), None), (s.csi, ONE),
                     (s.ci_low, ONE), (s.ci_high, ONE), (frac(s.any_low), PCT),
                     (text("weakest", lang) if s.weakest else "", None)])  # fmt: skip
    b = g.bad_moment if g else None
    if b is None or b.share is None:
        return
    sh.heading(text("bad_moment", lang))
    sh.line([(text("bad_share", lang), None), (frac(b.share), PCT), (frac(b.ci_low), PCT),
             (frac(b.ci_high), PCT)])  # fmt: skip
    sh.header([text(k, lang) for k in ("measure", "value", "value", "difference", "ci_low",
                                       "ci_high", "p_value")])  # fmt: skip
    if b.sat_column:
        sd = b.sat_difference
        sh.line([(text("bad_sat", lang), None), (b.sat_bad, ONE), (b.sat_rest, ONE),
                 (sd.estimate, ONE), (sd.ci_low, ONE), (sd.ci_high, ONE),
                 (sd.p_value, P_FMT)])  # fmt: skip
    if b.nps_column:
        nd = b.nps_difference
        sh.line([(text("bad_nps", lang), None), (b.nps_bad, ONE), (b.nps_rest, ONE),
                 (nd.estimate, ONE), (nd.ci_low, ONE), (nd.ci_high, ONE),
                 (nd.p_value, P_FMT)])  # fmt: skip


def _segments(sh: Sheet, r: Report) -> None:
    lang = r.lang
    keys = ("segment", "segment_value", "n", "nps", "ci_low", "ci_high", "csi", "ci_low",
            "ci_high", "very", "somewhat", "wow_gap", "low_base", "letter", "nps_beats",
            "csi_beats")  # fmt: skip
    if r.by_detected:
        sh.note(text("segments_detected", lang).format(cols=", ".join(r.by)))
    if r.segments_skipped:
        cols = ", ".join(
            text("n_values", lang).format(col=col, k=k) for col, k in r.segments_skipped
        )
        lo, hi = r.segment_values
        sh.note(text("segments_skipped", lang).format(cols=cols, lo=lo, hi=hi))
    if r.score.segments and not r.has("nps"):
        sh.note(text("nps_columns_empty", lang))
    if r.compare is not None and r.compare.banners:
        sh.note(
            text("letters_note", lang).format(
                alpha=f"{r.compare.alpha:g}", correction=r.compare.correction
            )
        )
    if sh.row > HEADER_ROW:
        sh.row += 1
    sh.header([text(k, lang) for k in keys], freeze=True)
    if not r.score.segments:
        sh.note(text("segments_none", lang))
    banners = {b.title: b for b in r.compare.banners} if r.compare else {}
    for col, groups in r.score.segments.items():
        banner = banners.get(col)
        for k, g in enumerate([*groups, r.score.total]):
            name = text("total", lang) if g is r.score.total else g.value
            letter, nps_beats, csi_beats = "", "", ""
            if banner is not None and k < len(groups):
                letter = banner.columns[k].letter or ""
                for row_ in banner.rows:
                    if row_.item is None and row_.measure in ("nps", "csi"):
                        found = "".join(row_.cells[k].sig_higher_than)
                        if row_.measure == "nps":
                            nps_beats = found
                        else:
                            csi_beats = found
            n, c, lad = g.nps, g.csi, g.ladder
            low = any(x is not None and x.low_base for x in (n, c))
            row = sh.line([
                (col, None), (name, None), (g.n_rows, INT),
                (n.score if n else None, ONE), (n.ci_low if n else None, ONE),
                (n.ci_high if n else None, ONE), (c.score if c else None, ONE),
                (c.ci_low if c else None, ONE), (c.ci_high if c else None, ONE),
                (frac(lad.very) if lad else None, PCT), (frac(lad.somewhat) if lad else None, PCT),
                (frac(lad.wow_gap) if lad else None, PCT),
                (text("low_base", lang) if low else "", None),
                (letter, None), (nps_beats, None), (csi_beats, None),
            ])  # fmt: skip
            if low:
                sh.ws.cell(row=row, column=13).font = RED


def _quality(sh: Sheet, r: Report) -> None:
    lang = r.lang
    sh.header([text(k, lang) for k in ("row", "column", "value", "reason")], freeze=True)
    if not r.excluded:
        sh.line([(text("nothing_left_out", lang), None)])
    for rec in r.excluded[:MAX_EXCLUDED_LISTED]:
        sh.line([(rec["row"], "0"), (rec["column"] or text("whole_row", lang), None),
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
    v = r.voc
    if v is None:
        sh.line([(text("no_voc", lang), None)])
        return
    g = v.total
    sh.line([(text("voc_answered", lang), None), (g.answered, INT)])
    sh.line([(text("voc_untagged", lang), None), (g.untagged, INT)])
    if not (r.has("nps") or r.has("sat")):
        sh.note(text("voc_no_scores", lang))
    elif not r.has("nps"):
        sh.note(text("nps_columns_empty", lang))
    sh.row += 1
    keys = ("theme", "mentions", "share", "nps", "nps_impact", "ci_low", "ci_high",
            "sat_impact", "voiced")  # fmt: skip
    sh.header([text(k, lang) for k in keys], freeze=True)
    for t in g.themes:
        sh.line([
            (t.label, None), (t.mentions, INT), (frac(t.share), PCT), (t.nps, ONE),
            (t.nps_impact, ONE), (t.nps_impact_ci_low, ONE), (t.nps_impact_ci_high, ONE),
            (t.sat_impact, ONE), (text(t.voiced, lang) if t.voiced else "", None),
        ])  # fmt: skip
    if r.drivers is not None:
        sh.heading(text("voc_beside", lang))
        for a in r.drivers.total.actions:
            kind = text("pain-point" if a.kind == "fix" else "wow-point", lang)
            sh.line([(kind, None), (a.column, None)])
    for t in g.themes:
        if t.voiced and t.examples:
            sh.heading(f"{t.label} ({text(t.voiced, lang)})")
            for ex in t.examples:
                sh.line([(ex["row"], "0"), (ex["text"], None)])


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
    wb = Workbook()
    wb.remove(wb.active)
    lang = report.lang
    for sheet_key, title_key, fill in SHEETS:
        ws = wb.create_sheet(text(sheet_key, lang))
        sh = Sheet(ws, f"{text(title_key, lang)}: {Path(report.path).name}", report.path,
                   report.date, lang, confidence=report.score.options.confidence)  # fmt: skip
        fill(sh, report)
        sh.finish()
    _stamp(wb, report.date)
    return wb


def build_combined(reports: list[Report], lang: str, date: str) -> Workbook:
    """One workbook for a batch: a comparison sheet, then each file's summary."""
    wb = Workbook()
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
            (t.nps.score if t.nps else None, ONE), (t.nps.ci_low if t.nps else None, ONE),
            (t.nps.ci_high if t.nps else None, ONE), (t.csi.score if t.csi else None, ONE),
            (frac(t.ladder.wow_gap) if t.ladder else None, PCT),
            (pains[0] if pains else "", None), (wows[0] if wows else "", None),
        ])  # fmt: skip
    sh.finish()
    _trend(wb, reports, lang, date, taken)
    for r in reports:
        ws = wb.create_sheet(sheet_name(Path(r.path).stem, taken))
        sub = Sheet(ws, f"{text('title.summary', lang)}: {Path(r.path).name}", r.path, date, lang)
        _summary(sub, Report(**{**r.__dict__, "lang": lang}))
        sub.finish()
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
        sh.line([(Path(r.path).stem, None), (nps, ONE), (csi, ONE), (kept, INT)])
    last = sh.row - 1
    sh.finish()
    chart = LineChart()
    chart.title = f"{text('nps', lang)} / {text('csi', lang)}"
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=first, max_row=last),
                   titles_from_data=True)  # fmt: skip
    chart.set_categories(Reference(ws, min_col=1, min_row=first + 1, max_row=last))
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, "F4")


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
    wb = Workbook()
    ws = wb.active
    ws.title = "VOC"
    sh = Sheet(ws, f"VOC: {Path(source).name}", source, date, "en")
    sh.header(["row", "comment", "status", "themes", "sentiment", "contradiction"], freeze=True)
    for r in rows:
        sh.line([(r["row"], "0"), (r["comment"], None), (r["status"], None), (r["themes"], None),
                 (r["sentiment"], None), (r.get("contradiction", ""), None)])  # fmt: skip
    sh.finish()
    ws.column_dimensions["B"].width = 80
    _stamp(wb, date)
    return wb
