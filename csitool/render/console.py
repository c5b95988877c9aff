"""Rich terminal output. Consoles are made at call time; survey text is always literal."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import (
    Console,
    ConsoleOptions,
    ConsoleRenderable,
    Group,
    RenderableType,
    RenderHook,
    RenderResult,
)
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from csitool.render import fmt
from csitool.render.i18n import (
    WORDS,
    evidence_text,
    format_text,
    note_text,
    quality_text,
    reason_text,
    scale_text,
    text,
)
from csitool.survey.model import REASON_TEXT

if TYPE_CHECKING:
    from csitool.stats.csi import ItemResult, LadderResult
    from csitool.stats.score import GroupScore, ScoreResult
    from csitool.survey.model import Survey

LOW_BASE = "low base"


def make_console(stderr: bool = False, record: bool = False) -> Console:
    """A console for stdout (or stderr); colour only on a terminal, NO_COLOR respected.

    ``record=True`` gives a silent, uncoloured, 120-column console whose text is taken with
    ``export_text()`` (for ``--output``).
    """
    if record:
        return Console(
            record=True, width=120, no_color=True, file=open(os.devnull, "w"), markup=False
        )
    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not stream.isatty():
        width = terminal_width()
    console = _Console(
        file=stream,
        width=width,
        no_color="NO_COLOR" in os.environ,
        highlight=False,
        soft_wrap=False,
        emoji=False,
        markup=False,
    )
    console.push_render_hook(SafeHook())
    return console


DEFAULT_WIDTH = 120


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """The reader went away (``| head``): stop quietly. rich would exit 1, which means
        "a rule failed" for ``check``; the error handler turns this into exit 0."""
        self.quiet = True
        raise BrokenPipeError(32, "Broken pipe")


def terminal_width() -> int:
    """``COLUMNS`` when it is a sensible whole number (20-1000), else 120."""
    raw = os.environ.get("COLUMNS", "").strip()
    if raw.isdigit() and 20 <= int(raw) <= 1000:
        return int(raw)
    return DEFAULT_WIDTH


class _Escaped:
    """A renderable whose plain-text segments have control characters escaped."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for seg in console.render(self.renderable, options):
            if seg.control or not fmt.UNSAFE.search(seg.text):
                yield seg
            else:
                yield Segment(fmt.safe(seg.text, keep="\n"), seg.style, seg.control)


class SafeHook(RenderHook):
    """A backstop under :func:`T`: whatever a renderer forgot to escape (a plain-string
    title, a ``Text`` built by hand) still reaches the terminal escaped. Escaping here comes
    after layout, so :func:`T` stays the place that keeps columns aligned."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Escaped(r) for r in renderables]  # type: ignore[misc]


def T(text: Any, style: str = "") -> Text:
    """Literal text: survey strings such as ``q2[other]`` are never read as markup, and
    control characters (ESC, NUL, bidi overrides) show as escapes (:func:`fmt.safe`)."""
    return Text(fmt.safe(text, keep="\n"), style=style)


@dataclass(frozen=True)
class Col:
    """A column of a table that fits the terminal: ``keep`` 1 is always shown, higher
    numbers are dropped first (rightmost first) when the table is too wide; the ``flex``
    column (item names) takes the room left and is cut with an ellipsis, never wrapped."""

    header: str
    justify: str = "right"
    keep: int = 1
    flex: bool = False


FLEX_MIN = 18  # the narrowest an item-name column gets before columns are dropped
FLEX_MAX = 40


def fitted_table(
    cols: Sequence[Col], rows: Sequence[Sequence[Text]], width: int, **table: Any
) -> Table:
    """A table of ``rows`` that fits ``width`` by design: each row one line, intervals never
    split, columns of higher ``keep`` left out until the rest fits."""

    def natural(i: int) -> int:  # headers do not wrap either: keep them short
        cells = [max((cell_len(ln) for ln in r[i].plain.split("\n")), default=0) for r in rows]
        return max([cell_len(cols[i].header), 1, *cells])

    widths = [natural(i) for i in range(len(cols))]
    # a column with nothing in it (no header, no cell: say no low-base flags) is left out
    shown = [i for i in range(len(cols)) if cols[i].header or any(r[i].plain for r in rows)]

    def need(idx: list[int]) -> int:  # a heavy-head box: 3 per column (padding, rule) + 1
        return sum(min(widths[i], FLEX_MIN) if cols[i].flex else widths[i] for i in idx) + (
            3 * len(idx) + 1
        )

    while need(shown) > width:
        droppable = [i for i in shown if cols[i].keep > 1]
        if not droppable:
            break
        shown.remove(max(droppable, key=lambda i: (cols[i].keep, i)))
    out = Table(header_style="bold", title_justify="left", **table)
    room = width - need(shown)
    for i in shown:
        c = cols[i]
        if c.flex:
            w = min(widths[i], FLEX_MIN + max(room, 0), FLEX_MAX)
            out.add_column(c.header, justify="left", no_wrap=True, overflow="ellipsis", width=w)
        else:
            out.add_column(c.header, justify=c.justify, no_wrap=True, min_width=widths[i])  # type: ignore[arg-type]
    for r in rows:
        out.add_row(*(r[i] for i in shown))
    return out


def quality_line(quality: dict[str, Any], lang: str = "en") -> Text:
    """One line on what was left out and why."""
    return T(quality_text(quality, lang), "yellow" if quality.get("excluded") else "green")


def _ladder_table(lad: LadderResult, item: ItemResult, lang: str = "en") -> Table:
    c = lad.cuts
    v = fmt.value
    lo, hi = item.scale_min, item.scale_max

    def span(a: float, b: float) -> str:
        return v(a) if a == b else f"{v(a)}-{v(b)}"

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(width=28)
    table.add_column(justify="right", width=7)
    table.add_column(width=30)
    steps = [
        (text("very", lang), f"{span(c.very, hi)}", lad.very, "bold green"),
        (text("somewhat", lang), span(c.somewhat, c.very - 1), lad.somewhat, "green"),
    ]
    if c.neutral < c.somewhat:
        steps.append(
            (text("neutral", lang), span(c.neutral, c.somewhat - 1), lad.neutral, "yellow")
        )
    steps.append((text("dissatisfied", lang), span(lo, c.neutral - 1), lad.dissatisfied, "red"))
    for label, values, share, style in steps:
        bar = "█" * round((share or 0) / 2.5)
        table.add_row(T(f"{label} ({values})"), T(fmt.pct(share)), T(bar, style))
    return table


def _headline(g: GroupScore, lang: str = "en") -> Table:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", width=6)
    table.add_column()
    if g.nps and g.nps.score is not None:
        n = g.nps
        line = Text()
        line.append(fmt.signed(n.score), style="bold")
        method = text(f"ci.{n.ci_method}", lang)
        line.append(f"  {fmt.interval(n.ci_low, n.ci_high)} {n.confidence:.0%} {method}")
        line.append(f"   n {fmt.count(n.n)}")
        if n.n_eff != n.n:
            line.append(f" ({text('effective', lang)} {fmt.count(n.n_eff)})")
        if n.low_base:
            line.append(f"  {text('low_base', lang)}", style="bold red")
        line.append(
            f"\n{text('promoters', lang)} {fmt.pct(n.promoters)} · "
            f"{text('passives', lang)} {fmt.pct(n.passives)} · "
            f"{text('detractors', lang)} {fmt.pct(n.detractors)}"
        )
        table.add_row("NPS", line)
    if g.csi and g.csi.score is not None:
        c = g.csi
        line = Text()
        line.append(fmt.num(c.score), style="bold")
        how = text("csi.method", lang).format(method=text(f"csi.{c.method}", lang))
        line.append(f"  {fmt.interval(c.ci_low, c.ci_high)}   {how}")
        if c.method != "sat" and c.weights:
            line.append(
                " (" + ", ".join(f"{fmt.safe(k)} {w:.0%}" for k, w in c.weights.items()) + ")"
            )
        elif c.weights:
            line.append(" (" + fmt.safe(next(iter(c.weights))) + ")")
        if c.low_base:
            line.append(f"  {text('low_base', lang)}", style="bold red")
        table.add_row("CSI", line)
    return table


def _items_table(
    items: list[ItemResult], lang: str = "en", confidence: float = 0.95, width: int = 120
) -> Table:
    """Every item on one line each; at narrow widths the scale, mean, top-2 and then the
    ladder columns give way before anything wraps."""
    w = lambda key: text(key, lang)  # noqa: E731
    cols = [
        Col(w("h.item"), "left", flex=True),
        Col(w("h.scale"), "center", keep=4),
        Col("n"),
        Col(w("h.mean"), keep=3),
        Col("CSI"),
        Col(fmt.ci_label(confidence)),
        Col(w("h.top_box"), keep=2),
        Col(w("h.top2"), keep=4),
        Col(w("h.bottom2"), keep=3),
        Col(w("h.ladder"), keep=2),
    ]
    rows = []
    for it in items:
        lad = it.ladder
        role = f" ({w('role.' + it.role)})" if it.role != "attr" else ""
        rows.append([
            T(it.column + role),
            T(it.scale),
            T(fmt.count(it.n) + (" !" if it.low_base else "")),
            T(fmt.num(it.mean, 2)),
            T(fmt.num(it.csi), "bold"),
            T(fmt.interval(it.ci_low, it.ci_high)),
            T(fmt.pct(it.top_box)),
            T(fmt.pct(it.top2_box)),
            T(fmt.pct(it.bottom2_box)),
            T(f"{fmt.pct(lad.very, 0)} / {fmt.pct(lad.somewhat, 0)}"),
        ])  # fmt: skip
    return fitted_table(cols, rows, width, title=w("items"))


def _segments_table(
    column: str,
    groups: list[GroupScore],
    total: GroupScore,
    lang: str = "en",
    confidence: float = 0.95,
    width: int = 120,
) -> Table:
    w = lambda key: text(key, lang)  # noqa: E731
    ci = fmt.ci_label(confidence)
    cols = [
        Col(w("h.segment"), "left", flex=True),
        Col("n"),
        Col("NPS"),
        Col(f"NPS {ci}", keep=2),
        Col("CSI"),
        Col(f"CSI {ci}", keep=2),
        Col(w("h.very"), keep=3),
        Col(w("h.somewhat"), keep=3),
        Col(w("h.wow_gap"), keep=2),
        Col(""),
    ]
    rows = []
    for g in [*groups, total]:
        n, c, lad = g.nps, g.csi, g.ladder
        low = any(x is not None and x.low_base for x in (n, c))
        value = w("total") if g is total else g.value
        rows.append([
            T(value, "bold" if g is total else ""),
            T(fmt.count(g.n_rows)),
            T(fmt.signed(n.score) if n else fmt.DASH),
            T(fmt.interval(n.ci_low, n.ci_high) if n else ""),
            T(fmt.num(c.score) if c else fmt.DASH),
            T(fmt.interval(c.ci_low, c.ci_high) if c else ""),
            T(fmt.pct(lad.very) if lad else fmt.DASH),
            T(fmt.pct(lad.somewhat) if lad else fmt.DASH),
            T(fmt.pct(lad.wow_gap) if lad else fmt.DASH),
            T(w("low_base") if low else "", "bold red"),
        ])  # fmt: skip
    return fitted_table(cols, rows, width, title=T(w("by").format(col=column)))


def file_title(path: str, read: dict[str, Any], n_rows: int, lang: str, width: int) -> Text:
    """``path · format · sheet · 1,500 rows`` for a panel's top edge, cut to ``width``: the
    row count is never cut; the format and sheet go first, then the path loses its middle."""
    rows = text("rows.count", lang).format(n=fmt.count(n_rows))
    where = ""
    if read.get("sheet"):
        where = text("sheet.named", lang).format(name=repr(read["sheet"]))
    elif read.get("encoding"):
        where = str(read["encoding"])
    extras = [p for p in (format_text(read.get("format") or "", lang), where) if p]
    sep = "  ·  "
    room = width - 6  # the panel's corner and the spaces around the title
    while extras and cell_len(sep.join([path, *extras, rows])) > room:
        extras.pop()
    head = path
    budget = room - cell_len(sep.join(["", *extras, rows]))
    if cell_len(head) > budget:
        keep = max(budget - 1, 8)
        head = "…" + head[-keep:]
    return T(sep.join([head, *extras, rows]))


def render_score(result: ScoreResult, console: Console, lang: str = "en") -> None:
    """The score of one file: headline, ladder, items, segments, and what was left out."""
    width = console.width
    title = file_title(result.path, result.read, result.n_rows, lang, width)
    parts: list[Any] = [_headline(result.total, lang)]
    sat_item = next((i for i in result.total.items if i.role == "sat"), None)
    if result.total.ladder and sat_item:
        lad = result.total.ladder
        heading = f"\n{text('ladder.title', lang)}: {sat_item.column} ({sat_item.scale})"
        parts.append(T(heading, "bold"))
        parts.append(_ladder_table(lad, sat_item, lang))
        gap = Text(text("wow_gap.label", lang), style="bold")
        gap.append(fmt.pct(lad.wow_gap), style="bold magenta")
        gap.append(
            text("wow_gap.text", lang) + fmt.interval(lad.wow_gap_ci_low, lad.wow_gap_ci_high)
        )
        parts.append(gap)
    console.print(Panel(Group(*parts), title=title, title_align="left"))
    confidence = result.options.confidence
    if result.total.items:
        console.print(_items_table(result.total.items, lang, confidence, width))
    for col, groups in result.segments.items():
        console.print(_segments_table(col, groups, result.total, lang, confidence, width))
    console.print(quality_line(result.quality, lang))
    print_notes(console, result.notes, lang)


def print_notes(console: Console, notes: Sequence[Any], lang: str = "en") -> None:
    """Each note on its own dim line, in ``lang``."""
    for note in notes:
        console.print(T(f"{text('note', lang)}: {note_text(note, lang)}", "dim"))


def _scale_cell(scale: Any, lang: str = "en") -> Text:
    """The scale, and under it (dim) the evidence it was decided on."""
    if scale is None:
        return T("")
    cell = T(scale_text(scale, lang))
    if scale.evidence:
        cell.append("\n" + evidence_text(scale, lang), style="dim")
    return cell


def render_excluded(records: list[dict[str, Any]], console: Console, path: str) -> None:
    """Every excluded cell or row with its source row number."""
    table = Table(title=T(f"Left out of {path}"), title_justify="left", header_style="bold")
    for name in ("row", "column", "value", "reason"):
        table.add_column(name, justify="right" if name == "row" else "left")
    for r in records:
        table.add_row(
            T(r["row"]),
            T(r["column"] if r["column"] is not None else "(whole row)"),
            T("" if r["value"] is None else r["value"]),
            T(REASON_TEXT.get(r["reason"], r["reason"])),
        )
    if not records:
        console.print(T(f"{path}: nothing left out."))
    else:
        console.print(table)


def render_inspect(survey: Survey, console: Console, lang: str = "en") -> None:
    """What was read, the role of each column, each item's scale and labels, and quality."""
    w = lambda key: text(key, lang)  # noqa: E731
    raw = survey.raw
    d = raw.describe()
    facts = Table(show_header=False, box=None, pad_edge=False)
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row(w("i.format"), T(format_text(d["format"], lang)))
    if d["encoding"]:
        facts.add_row(w("i.encoding"), T(d["encoding"]))
    if d["delimiter"]:
        facts.add_row(w("i.delimiter"), T(repr(d["delimiter"])))
    if d["sheet"]:
        sheets = ", ".join(map(repr, d["sheets"]))
        facts.add_row(w("i.sheet"), T(w("i.sheet_of").format(sheet=repr(d["sheet"]), all=sheets)))
    rows = w("i.rows_text").format(n=fmt.count(d["rows"]), first=d["first_data_row"])
    facts.add_row(w("i.rows"), T(rows))
    facts.add_row(w("i.columns"), T(fmt.count(d["columns"])))
    if d["groups"]:
        spans: dict[str, list[str]] = {}
        for col, group in d["groups"].items():
            spans.setdefault(group, []).append(col)
        groups = "; ".join(f"{g}: {', '.join(cols)}" for g, cols in spans.items())
        facts.add_row(w("i.groups"), T(groups))
    console.print(Panel(facts, title=T(survey.path), title_align="left"))

    roles = survey.roles
    table = Table(title=w("i.columns_title"), title_justify="left", header_style="bold")
    questions = raw.labels
    names = ["i.column", "i.question"] if questions else ["i.column"]
    for name in (*names, "i.role", "i.from", "h.scale", "i.labels", "i.used", "left_out"):
        table.add_column(w(name))
    for col in [str(c) for c in raw.frame.columns]:
        role = roles.role_of(col)
        scale = survey.scales.get(col)
        counts = survey.ledger.column_counts(col) if col in survey.ledger.cells else None
        labels = survey.label_maps.get(col, {})
        label_text = ", ".join(
            f"{k}={fmt.value(v) if isinstance(v, float) else reason_text(str(v), lang)}"
            for k, v in list(labels.items())[:6]
        )
        if len(labels) > 6:
            label_text += ", " + w("i.more_labels").format(k=len(labels))
        left = ""
        if counts:
            left = ", ".join(
                f"{n} {reason_text(k, lang)}" for k, n in counts.items() if k != "used"
            )
        question = [T(questions.get(col, ""))] if questions else []
        why = roles.source.get(col, roles.other.get(col, ""))
        table.add_row(
            T(col),
            *question,
            T(w(f"role.{role}") if role else "—", "bold" if role else "dim"),
            T(w(f"from.{why}") if f"from.{why}" in WORDS else note_text(why, lang)),
            _scale_cell(scale, lang),
            T(label_text),
            T(fmt.count(counts["used"]) if counts else ""),
            T(left),
        )
    console.print(table)
    console.print(quality_line(survey.ledger.to_dict(), lang))
    print_notes(console, survey.notes, lang)
