"""``csitool drivers`` for people and programs: terminal tables, action sentences, the JSON
document and flat CSV / Markdown rows (one per attribute)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from csitool.render import fmt
from csitool.render.console import Col, T, fitted_table, print_notes
from csitool.render.i18n import josa, reason_text, text
from csitool.stats.drivers import (
    FIX_FIRST,
    KEEP_UP,
    LOW_IMPACT,
    LOW_PRIORITY,
    OVERKILL,
    PAIN,
    PERFORMANCE,
    QUADRANTS,
    TIDY_COLUMNS,
    WOW,
    Action,
    DriversGroup,
    DriversResult,
    SkippedGroup,
    Target,
)

if TYPE_CHECKING:
    from rich.console import Console

CLASS_STYLE = {PAIN: "bold red", WOW: "bold green", PERFORMANCE: "cyan", LOW_IMPACT: "dim"}
QUADRANT_STYLE = {FIX_FIRST: "bold red", KEEP_UP: "green", LOW_PRIORITY: "dim", OVERKILL: "yellow"}


def target_name(target: Target, lang: str = "en") -> str:
    """How a sentence names the target: "overall satisfaction (1-5)"."""
    scale = f"{fmt.value(target.scale_min)}-{fmt.value(target.scale_max)}"
    if lang == "ko":
        if target.role == "sat":
            return f"전반적 만족도({scale}점 척도)"
        if target.role == "nps":
            return f"추천의향({scale}점 척도)"
        return f"'{target.column}'({scale}점 척도)"
    if target.role == "sat":
        return f"overall satisfaction ({scale})"
    if target.role == "nps":
        return f"likelihood to recommend ({scale})"
    return f"'{target.column}' ({scale})"


def action_sentence(action: Action, target: Target, lang: str = "en") -> str:
    """One plain sentence a manager can act on, in English or Korean."""
    lo, hi = action.scale_min, action.scale_max
    name = target_name(target, lang)
    low = f"{fmt.value(lo)}-{fmt.value(lo + 1)}"
    quoted = f"'{action.column}'"
    if lang == "ko":
        if action.kind == "fix":
            return (
                f"{quoted}{josa(quoted, '은/는')} 불만 요인입니다: {action.share:.0f}%가 낮게 "
                f"평가했고({low}점), 그런 경우 {name}{josa(name, '이/가')} {action.effect:.2f}점 "
                "낮아집니다."
            )
        return (
            f"{quoted}{josa(quoted, '은/는')} 감동 요인입니다: {action.share:.0f}%가 아직 "
            f"최고점({fmt.value(hi)}점)을 주지 않았고, 최고점을 준 경우 "
            f"{name}{josa(name, '이/가')} {action.effect:.2f}점 높습니다."
        )
    if action.kind == "fix":
        return (
            f"'{action.column}' is a pain-point: {action.share:.0f}% rate it poorly "
            f"({low}) and that costs {action.effect:.2f} points of {name} where it happens."
        )
    return (
        f"'{action.column}' is a wow-point: {action.share:.0f}% do not yet give it the top "
        f"score ({fmt.value(hi)}); where they do, {name} is {action.effect:.2f} points higher."
    )


def document(result: DriversResult, lang: str = "en") -> dict[str, Any]:
    """The JSON document of one file: ``result.to_dict()`` with a sentence on every action."""
    doc = result.to_dict()

    def add(group_doc: dict[str, Any], group: DriversGroup) -> None:
        for a_doc, action in zip(group_doc["actions"], group.actions, strict=True):
            a_doc["sentence"] = action_sentence(action, result.target, lang)

    add(doc, result.total)
    for col, groups in result.segments.items():
        for g_doc, g in zip(doc["segments"][col], groups, strict=True):
            if isinstance(g, DriversGroup):
                add(g_doc, g)
    return doc


# --------------------------------------------------------------------------------------
# Terminal
# --------------------------------------------------------------------------------------


def _p(p: float | None) -> str:
    if p is None:
        return fmt.DASH
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _table(title: str, columns: list[tuple[str, str]]) -> Table:
    table = Table(title=T(title), title_justify="left", header_style="bold")
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    return table


def _fit(title: str, cols: list[Col], rows: list[list[Text]], width: int) -> Table:
    return fitted_table(cols, rows, width, title=T(title))


def _performance_importance(
    g: DriversGroup, lang: str, confidence: float = 0.95, width: int = 120
) -> tuple[Table, Table]:
    w = lambda key: text(key, lang)  # noqa: E731
    shares = [a.importance.share for a in g.attributes if math.isfinite(a.importance.share)]
    top = max(shares, default=0.0) or 1.0
    perf, imp = [], []
    for a in g.attributes:
        p, i = a.performance, a.importance
        perf.append([
            T(a.column), T(a.stage or ""), T(fmt.num(p.csi), "bold"),
            T(fmt.interval(p.ci_low, p.ci_high)), T(fmt.pct(p.top_box)), T(fmt.pct(p.bottom2_box)),
        ])  # fmt: skip
        bar = "█" * round(20 * i.share / top) if math.isfinite(i.share / top) else ""
        imp.append([
            T(a.column), T(f"{i.raw_weight:.4f}"), T(fmt.pct(i.share), "bold"), T(str(i.rank)),
            T(bar, "blue"),
        ])  # fmt: skip
    perf_cols = [
        Col(w("h.attribute"), "left", flex=True), Col(w("h.stage"), "left", keep=3), Col("CSI"),
        Col(fmt.ci_label(confidence)), Col(w("h.top_box"), keep=2), Col(w("h.bottom2"), keep=2),
    ]  # fmt: skip
    imp_cols = [
        Col(w("h.attribute"), "left", flex=True), Col(w("h.raw_weight"), keep=3),
        Col(w("h.share")), Col(w("h.rank")), Col("", "left", keep=2),
    ]  # fmt: skip
    return (
        _fit(w("t.performance"), perf_cols, perf, width),
        _fit(w("t.importance").format(r2=f"{g.r2:.3f}"), imp_cols, imp, width),
    )


def _impact(g: DriversGroup, result: DriversResult, lang: str, width: int = 120) -> Table:
    w = lambda key: text(key, lang)  # noqa: E731
    o = result.options
    bh = o.adjust == "bh"
    pq = "q" if bh else "p"
    title = w("t.impact").format(
        r2=f"{g.model_r2:.3f}", alpha=f"{o.alpha:g}", ia=f"{o.ia_threshold:g}",
        adj=w(f"adj.{o.adjust}"),
    )  # fmt: skip
    cols = [
        Col(w("h.attribute"), "left", flex=True), Col(w("h.counts"), keep=3),
        Col(w("h.penalty")), Col(pq, keep=2), Col(w("h.reward")), Col(pq, keep=2),
        Col("IA"), Col(w("h.class"), "left"),
    ]  # fmt: skip
    rows = []
    for a in g.attributes:
        i = a.impact
        pen_p, rew_p = (i.penalty_q, i.reward_q) if bh else (i.penalty_p, i.reward_p)
        rows.append([
            T(a.column),
            T(f"{i.n_low:,} / {i.n_middle:,} / {i.n_high:,}"),
            T(fmt.signed(i.penalty, 3)), T(_p(pen_p)),
            T(fmt.signed(i.reward, 3)), T(_p(rew_p)),
            T(fmt.signed(i.ia, 2)),
            T(w(i.class_), CLASS_STYLE.get(i.class_, "")),
        ])  # fmt: skip
    return _fit(title, cols, rows, width)


def _ladder(g: DriversGroup, target: Target, lang: str, width: int = 120) -> Table:
    w = lambda key: text(key, lang)  # noqa: E731
    vs = w("vs")
    cols = [
        Col(w("h.attribute"), "left", flex=True),
        Col(w("h.delight")), Col("q"), Col(w("h.dissat")), Col("q"),
    ]  # fmt: skip
    rows = []
    for a in g.attributes:
        d, s = a.delight, a.dissatisfaction
        rows.append([
            T(a.column),
            T(f"{fmt.num(d.share_a, 0)}% {vs} {fmt.num(d.share_b, 0)}% {fmt.signed(d.difference)}"),
            T(_p(d.p_adjusted)),
            T(f"{fmt.num(s.share_a, 0)}% {vs} {fmt.num(s.share_b, 0)}% {fmt.signed(s.difference)}"),
            T(_p(s.p_adjusted)),
        ])  # fmt: skip
    labels = {k: w(getattr(target, k)) for k in ("high", "middle", "low", "rest")}
    return _fit(w("t.ladder").format(**labels), cols, rows, width)


def _quadrants(g: DriversGroup, lang: str) -> Table:
    split = g.split
    table = _table(
        text("t.quadrants", lang).format(
            method=text(f"split.{split['method']}", lang),
            imp=f"{split['importance']:.1f}",
            perf=f"{split['performance']:.1f}",
        ),
        [(text("h.quadrant", lang), "left"), (text("h.attributes", lang), "left")],
    )
    for q in QUADRANTS:
        cols = [a.column for a in g.attributes if a.quadrant == q]
        table.add_row(T(text(q, lang), QUADRANT_STYLE[q]), T(", ".join(cols) or fmt.DASH))
    return table


def _touchpoints(g: DriversGroup, confidence: float, lang: str, width: int = 120) -> Table:
    w = lambda key: text(key, lang)  # noqa: E731
    cols = [
        Col(w("h.stage"), "left", flex=True), Col(w("h.attributes")), Col("CSI"),
        Col(fmt.ci_label(confidence)), Col(w("h.any_low"), keep=2), Col("", "left"),
    ]  # fmt: skip
    rows = [
        [T(s.name), T(str(len(s.attributes))), T(fmt.num(s.csi), "bold"),
         T(fmt.interval(s.ci_low, s.ci_high)), T(fmt.pct(s.any_low)),
         T(w("weakest") if s.weakest else "", "bold red")]
        for s in g.stages
    ]  # fmt: skip
    return _fit(w("t.touchpoints"), cols, rows, width)


def _bad_moment(
    g: DriversGroup, lang: str = "en", width: int = 120, confidence: float = 0.95
) -> Table | None:
    """One bad moment as a small table: the share rating any attribute bottom-2, and how
    satisfaction and NPS differ between them and everyone else."""
    b = g.bad_moment
    if b is None or b.share is None:
        return None
    w = lambda key: text(key, lang)  # noqa: E731
    cols = [
        Col("", "left", flex=True), Col(w("bad.col_bad")), Col(w("bad.col_rest")),
        Col(w("difference")), Col(fmt.ci_label(confidence)), Col("p", keep=2),
    ]  # fmt: skip
    rows = [[T(w("bad.share_row")), T(fmt.pct(b.share)), T(""), T(""),
             T(fmt.interval(b.ci_low, b.ci_high)), T("")]]  # fmt: skip
    compared = (
        (b.sat_column, w("bad.sat"), b.sat_bad, b.sat_rest, b.sat_difference, "Welch"),
        (b.nps_column, "NPS", b.nps_bad, b.nps_rest, b.nps_difference, "z"),
    )
    for column, what, bad, rest, d, test in compared:
        if column and d.estimate is not None:
            shown = fmt.num if what != "NPS" else fmt.signed
            rows.append([
                T(what), T(shown(bad)), T(shown(rest)), T(fmt.signed(d.estimate)),
                T(fmt.interval(d.ci_low, d.ci_high)), T(f"{test} {_p(d.p_value)}"),
            ])  # fmt: skip
    title = w("bad.title").format(bad=f"{b.n_bad:,}", n=f"{b.n_bad + b.n_rest:,}")
    return _fit(title, cols, rows, width)


def _actions(g: DriversGroup, target: Target, lang: str) -> list[Text]:
    lines: list[Text] = [T(text("actions", lang), "bold")]
    fixes = [a for a in g.actions if a.kind == "fix"]
    promos = [a for a in g.actions if a.kind == "promote"]
    if not fixes and not promos:
        lines.append(T(text("no_actions", lang)))
    if fixes:
        lines.append(T(text("fix.head", lang), "red"))
        for a in fixes:
            lines.append(T(f"  {a.rank}. {action_sentence(a, target, lang)}"))
    if promos:
        lines.append(T(text("promote.head", lang), "green"))
        for a in promos:
            lines.append(T(f"  {a.rank}. {action_sentence(a, target, lang)}"))
    return lines


def render_group(g: DriversGroup, result: DriversResult, console: Console, lang: str) -> None:
    width, confidence = console.width, result.options.confidence
    perf, imp = _performance_importance(g, lang, confidence, width)
    console.print(perf)
    console.print(imp)
    console.print(_impact(g, result, lang, width))
    console.print(_ladder(g, result.target, lang, width))
    console.print(_quadrants(g, lang))
    if g.stages:
        console.print(_touchpoints(g, confidence, lang, width))
    bad = _bad_moment(g, lang, width, confidence)
    if bad is not None:
        console.print(bad)
    for line in _actions(g, result.target, lang):
        console.print(line)
    print_notes(console, g.notes, lang)


def render_drivers(result: DriversResult, console: Console, lang: str = "en") -> None:
    """Header, one table per lens, quadrants, touchpoints, one bad moment, then the actions;
    segments after the total."""
    t, g = result.target, result.total
    rows = result.rows
    w = lambda key: text(key, lang)  # noqa: E731
    head = Text()
    scale = f"{fmt.value(t.scale_min)}-{fmt.value(t.scale_max)}"
    role = w(f"role.{t.role}") if t.role in ("sat", "nps") else t.role
    head.append(w("d.target").format(column=fmt.safe(t.column), role=role, scale=scale))
    head.append("   " + w("d.attributes").format(k=len(g.attributes)))
    head.append("\n" + w("d.rows").format(used=f"{rows['used']:,}", n=f"{rows['n_rows']:,}"))
    if abs(g.n_eff - g.n) > 1e-9:
        head.append(f" ({w('effective')} {fmt.count(g.n_eff)})")
    if rows["left_out"]:
        left = ", ".join(f"{n:,} {_reason(k, lang)}" for k, n in rows["left_out"].items())
        head.append(f"; {w('left_out')}: {left}")
    title = T(f"{result.path}  ·  {w('d.title')}")
    console.print(Panel(Group(head), title=title, title_align="left"))
    render_group(g, result, console, lang)
    for col, groups in result.segments.items():
        for sg in groups:
            if isinstance(sg, SkippedGroup):
                skipped = w("d.skipped").format(col=col, value=sg.value, reason=sg.reason)
                console.print(T(f"\n{skipped}", "yellow"))
                continue
            console.print(
                Panel(
                    T(f"{col} = {sg.value}   n {sg.n:,}   R² {sg.r2:.3f}"),
                    title=T(f"{result.path}  ·  {w('d.title_by').format(col=col)}"),
                    title_align="left",
                )
            )
            render_group(sg, result, console, lang)
    print_notes(console, result.notes, lang)


def _reason(key: str, lang: str) -> str:
    """A drivers left-out reason: a ledger reason, or ``incomplete`` (a missing attribute)."""
    return text("d.incomplete", lang) if key == "incomplete" else reason_text(key, lang)


def render_left_out(records: list[dict[str, Any]], console: Console, path: str) -> None:
    """Rows drivers left out, with the columns each is missing."""
    if not records:
        console.print(T(f"{path}: every row used."))
        return
    table = _table(f"Rows left out of drivers: {path}", [("row", "right"), ("reason", "left"),
                                                         ("missing", "left")])  # fmt: skip
    for r in records:
        missing = ", ".join(f"{c} ({why})" for c, why in r["columns"].items())
        table.add_row(T(r["row"]), T(r["reason"]), T(missing))
    console.print(table)


# --------------------------------------------------------------------------------------
# Flat rows
# --------------------------------------------------------------------------------------

COLUMNS = TIDY_COLUMNS


def to_csv(results: Iterable[DriversResult]) -> str:
    """One row per attribute per file and analysed segment value, at full precision."""
    from csitool.render.flat import tidy_csv

    return tidy_csv(results, COLUMNS)


def _md(key: str, v: Any, row: dict[str, Any] | None = None) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if key.endswith("_p") or key.endswith("p_adjusted"):
            return _p(v)
        if key in ("penalty", "reward", "ia", "importance_raw"):
            return f"{v:+.3f}" if key != "importance_raw" else f"{v:.4f}"
        return fmt.count(v) if key == "n_eff" else fmt.num(v)
    return str(v).replace("|", "\\|")


def to_markdown(results: Iterable[DriversResult]) -> str:
    from csitool.render.flat import md_table, rows

    return md_table(rows(results), COLUMNS, _md)
