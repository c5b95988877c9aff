"""``csitool compare`` as a crosstab: terminal table with letters, and flat CSV/Markdown rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csitool.render import fmt
from csitool.render.console import Col, T, fitted_table, print_notes
from csitool.render.i18n import text
from csitool.stats.compare import TIDY_COLUMNS, Banner, CompareResult, Row
from csitool.stats.score import TOTAL

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
    w = lambda key: text(key, lang)  # noqa: E731
    waves = b.kind == "waves"
    title = w("by_title").format(col=b.title) if not waves else w("waves")
    cols = [Col("", "left", flex=True)]
    for c in b.columns:
        label = w("total") if c.label == TOTAL and not c.letter else c.label
        cols.append(Col(label + (f" ({c.letter})" if c.letter else "")))
        if waves and c is not b.columns[0]:
            cols.append(Col(w("change"), keep=2))
    base = [T(w("base_n"), "dim")]
    for c in b.columns:
        base.append(T(fmt.count(c.n) + (" *" if c.low_base else ""), "dim"))
        if waves and c is not b.columns[0]:
            base.append(T(""))
    rows = [base]
    for r in b.rows:
        cells = [T(row_name(r, lang))]
        for k, cell in enumerate(r.cells):
            shown = _value(r, cell.value)
            if cell.sig_higher_than:
                shown += " " + "".join(cell.sig_higher_than)
            cells.append(T(shown, "bold" if cell.sig_higher_than else ""))
            if waves and k > 0:
                cells.append(T(_change(result, r.changes[k] if r.changes else None)))
        rows.append(cells)
    console.print(fitted_table(cols, rows, console.width, title=T(title)))


def render_compare(result: CompareResult, console: Console, lang: str = "en") -> None:
    w = lambda key: text(key, lang)  # noqa: E731
    for b in result.banners:
        render_banner(result, b, console, lang)
    level = w("cmp.level").format(alpha=f"{result.alpha:g}")
    if result.two_levels:
        level = w("cmp.two_levels").format(alpha=f"{result.alpha:g}")
    if any(b.kind == "waves" for b in result.banners):
        console.print(T(w("cmp.arrows").format(alpha=f"{result.alpha:g}"), "dim"))
    correction = w(f"correction.{result.correction}")
    footer = w("cmp.footer").format(level=level, correction=correction, base=result.min_base)
    console.print(T(footer, "dim"))
    print_notes(console, result.notes + [n for b in result.banners for n in b.notes], lang)


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
