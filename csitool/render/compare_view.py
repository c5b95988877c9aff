"""``csitool compare`` as a crosstab: terminal table with letters, and flat CSV/Markdown rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from csitool.render import fmt
from csitool.render.console import T
from csitool.render.i18n import text
from csitool.stats.compare import TIDY_COLUMNS, Banner, CompareResult, Row

if TYPE_CHECKING:
    from rich.console import Console

NAMES = {
    "nps": "NPS",
    "promoters": "promoters %",
    "passives": "passives %",
    "detractors": "detractors %",
    "csi": "CSI",
    "very": "very satisfied %",
    "somewhat": "somewhat satisfied %",
    "neutral": "neutral %",
    "dissatisfied": "dissatisfied %",
    "wow_gap": "wow gap %",
    "item_csi": "CSI",
    "item_top_box": "top box %",
}


def row_name(r: Row, lang: str = "en") -> str:
    base = text(f"m.{r.measure}", lang) if lang != "en" else NAMES.get(r.measure, r.measure)
    return f"{r.item}: {base}" if r.item else base


def _value(r: Row, v: float | None) -> str:
    if v is None:
        return fmt.DASH
    return fmt.signed(v) if r.measure == "nps" else fmt.num(v)


def _change(result: CompareResult, d: Any) -> str:
    if d is None or d.estimate is None:
        return ""
    sig = d.p_value is not None and d.p_value < result.alpha
    arrow = (" ▲" if d.estimate > 0 else " ▼") if sig else ""
    return f"{fmt.signed(d.estimate)}{arrow}"


def render_banner(result: CompareResult, b: Banner, console: Console, lang: str = "en") -> None:
    waves = b.kind == "waves"
    title = text("by_title", lang).format(col=b.title) if not waves else text("waves", lang)
    table = Table(title=T(title), title_justify="left", header_style="bold")
    table.add_column("")
    for c in b.columns:
        head = c.label + (f" ({c.letter})" if c.letter else "")
        table.add_column(T(head), justify="right")
        if waves and c is not b.columns[0]:
            table.add_column(T(text("change", lang)), justify="right")
    base = [T(text("base_n", lang), "dim")]
    for c in b.columns:
        base.append(T(fmt.count(c.n) + (" *" if c.low_base else ""), "dim"))
        if waves and c is not b.columns[0]:
            base.append(T(""))
    table.add_row(*base)
    for r in b.rows:
        cells = [T(row_name(r, lang))]
        for k, cell in enumerate(r.cells):
            shown = _value(r, cell.value)
            if cell.sig_higher_than:
                shown += " " + "".join(cell.sig_higher_than)
            cells.append(T(shown, "bold" if cell.sig_higher_than else ""))
            if waves and k > 0:
                cells.append(T(_change(result, r.changes[k] if r.changes else None)))
        table.add_row(*cells)
    console.print(table)


def render_compare(result: CompareResult, console: Console, lang: str = "en") -> None:
    for b in result.banners:
        render_banner(result, b, console, lang)
    level = f"alpha {result.alpha:g}"
    if result.two_levels:
        level = f"lowercase at {result.alpha:g}, uppercase at 0.01"
    if any(b.kind == "waves" for b in result.banners):
        console.print(
            T(
                f"▲ / ▼: a significant rise / fall from the previous wave at {result.alpha:g}.",
                "dim",
            )
        )
    console.print(
        T(
            f"Letters: the column is significantly higher than the lettered columns ({level}; "
            f"correction: {result.correction}). Tests: NPS two-sample z, shares column-proportion "
            f"z (pooled), CSI Welch t; effective n. * base below {result.min_base}: not tested.",
            "dim",
        )
    )
    for note in result.notes + [n for b in result.banners for n in b.notes]:
        console.print(T(f"note: {note}", "dim"))


COLUMNS = TIDY_COLUMNS


def to_csv(result: CompareResult) -> str:
    from csitool.render.flat import tidy_csv

    return tidy_csv([result], COLUMNS)


def to_markdown(result: CompareResult) -> str:
    parts = []
    for b in result.banners:
        heads = [c.label + (f" ({c.letter})" if c.letter else "") for c in b.columns]
        parts.append(f"**{'Waves' if b.kind == 'waves' else 'By ' + b.title}**\n")
        parts.append("| | " + " | ".join(h.replace("|", "\\|") for h in heads) + " |")
        parts.append("|---|" + "---:|" * len(heads))
        for r in b.rows:
            cells = []
            for k, cell in enumerate(r.cells):
                shown = _value(r, cell.value) + (
                    " " + "".join(cell.sig_higher_than) if cell.sig_higher_than else ""
                )
                if r.changes and k > 0:
                    ch = _change(result, r.changes[k])
                    shown += f" ({ch})" if ch else ""
                cells.append(shown)
            parts.append(
                f"| {row_name(r).replace('|', chr(92) + '|')} | " + " | ".join(cells) + " |"
            )
        parts.append("")
    return "\n".join(parts)
