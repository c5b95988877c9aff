"""The HTML report: one self-contained page with the workbook's sections.

The page is a Jinja2 template (``templates/report.html.j2``, autoescaped: survey text is
data, never markup) filled from the same :class:`~csitool.render.excel.Report` as the
workbook. This module only words and formats: every number comes from the results and is
rounded by :mod:`csitool.render.fmt`; the charts are inline SVG from
:mod:`csitool.render.charts`. Nothing is loaded from the network: no scripts, no
stylesheets or fonts from elsewhere (the CSS names system fonts with Hangul).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csitool.render import fmt
from csitool.render.i18n import reason_text, text

if TYPE_CHECKING:
    from csitool.render.excel import Report
    from csitool.stats.score import GroupScore

#: At most this many exclusions are listed in the page (every one is counted below them;
#: the workbook lists up to 10,000 and ``score --show-excluded`` all of them).
MAX_EXCLUDED_HTML = 200
TEMPLATE = "report.html.j2"


def clean(value: Any) -> str:
    """Survey text for the page: control and bidi-override characters shown as escapes
    (the template escapes ``<``, ``&`` and quotes)."""
    return fmt.safe("" if value is None else value)


@dataclass
class Table:
    """A table for the template: worded headers and rows of formatted cells. ``numeric``
    marks the columns aligned right; ``marks`` holds a CSS class per row (or "")."""

    head: list[str]
    rows: list[list[str]] = field(default_factory=list)
    numeric: set[int] = field(default_factory=set)
    marks: list[str] = field(default_factory=list)

    def add(self, cells: list[Any], mark: str = "") -> None:
        self.rows.append([clean(c) for c in cells])
        self.marks.append(mark)


def _table(r: Report, keys: tuple[str, ...], numeric: Any = ()) -> Table:
    """An empty table with the headers of ``keys`` worded (interval headers name the
    confidence in use)."""
    ci = fmt.ci_label(r.score.options.confidence)
    return Table([text(k, r.lang).replace("{ci}", ci) for k in keys], numeric=set(numeric))


def _word(key: str, fallback: str, lang: str) -> str:
    """The word for ``key``, else ``fallback`` as it is (a name the catalogue lacks)."""
    found = text(key, lang)
    return fallback if found == key else found


#: an item's role as the catalogue names it
ROLE_KEYS = {"nps": "role.nps", "sat": "role.sat", "attr": "role.attrs"}


def _words(lang: str, ci: str) -> dict[str, str]:
    """Every label the template uses, in ``lang`` (``{ci}`` filled in)."""
    from csitool.render.i18n import WORDS

    return {key: text(key, lang).replace("{ci}", ci) for key in WORDS}


def _headline(r: Report, ci: str) -> dict[str, Any]:
    lang = r.lang
    t = r.score.total
    cards: dict[str, Any] = {}
    n = t.nps
    if n is not None and n.score is not None:
        cards["nps"] = {
            "value": fmt.signed(n.score),
            "interval": fmt.interval(n.ci_low, n.ci_high),
            "n": fmt.count(n.n),
            "groups": [
                ("detractors", text("detractors", lang), fmt.pct(n.detractors)),
                ("passives", text("passives", lang), fmt.pct(n.passives)),
                ("promoters", text("promoters", lang), fmt.pct(n.promoters)),
            ],
            "widths": [fmt.num(getattr(n, k), 3) for k in ("detractors", "passives", "promoters")],
            "low_base": n.low_base,
        }
    else:
        cards["nps_missing"] = text("no_nps_item" if not r.has("nps") else "nps_sheet_none", lang)
    c = t.csi
    if c is not None and c.score is not None:
        cards["csi"] = {
            "value": fmt.num(c.score),
            "interval": fmt.interval(c.ci_low, c.ci_high),
            "method": _word(f"csi.{c.method}", c.method, lang),
            "n": fmt.count(c.n),
        }
    else:
        cards["csi_missing"] = text("no_csi_item", lang)
    lad = t.ladder
    if lad is not None and lad.wow_gap is not None:
        cards["wow"] = {
            "value": fmt.pct(lad.wow_gap),
            "interval": fmt.interval(lad.wow_gap_ci_low, lad.wow_gap_ci_high),
            "ladder": [
                (text(k, lang), fmt.pct(getattr(lad, k)))
                for k in ("very", "somewhat", "neutral", "dissatisfied")
            ],
        }
    else:
        cards["wow_missing"] = text("no_sat_item", lang)
    q = r.score.quality
    cards["n"] = {"kept": fmt.count(q["rows_kept"]), "read": fmt.count(q["n_rows"])}
    cards["ci"] = ci
    return cards


def _summary(r: Report) -> dict[str, Any]:
    from csitool.notes import loud
    from csitool.render.i18n import note_text

    lang = r.lang
    out: dict[str, Any] = {
        "notes": [(clean(n.code), clean(note_text(n, lang))) for n in loud(r.score.notes)],
        "left_out": [
            (reason_text(reason, lang), fmt.count(k))
            for reason, k in r.score.quality["excluded"].items()
        ],
        "actions": [],
        "no_drivers": None,
    }
    d = r.drivers
    if d is None:
        out["no_drivers"] = clean(r.no_drivers_text())
        return out
    from csitool.render.drivers_view import action_sentence

    for kind in ("fix", "promote"):
        acts = [a for a in d.total.actions if a.kind == kind][:3]
        if acts:
            out["actions"].append(
                (kind, text(kind, lang), [clean(action_sentence(a, d.target, lang)) for a in acts])
            )
    return out


def _groups(r: Report) -> list[tuple[str, GroupScore]]:
    lang = r.lang
    groups: list[tuple[str, GroupScore]] = [(text("total", lang), r.score.total)]
    for col, gs in r.score.segments.items():
        groups.extend((f"{clean(col)}: {clean(g.value)}", g) for g in gs)
    return groups


def _nps(r: Report) -> dict[str, Any]:
    from csitool.render import charts
    from csitool.survey.scales import DETRACTOR_MAX, PROMOTER_MIN

    lang = r.lang
    t = r.score.total
    item = next((i for i in t.items if i.role == "nps"), None)
    if item is None or t.nps is None or t.nps.score is None:
        return {"none": text("nps_sheet_none" if not r.has("nps") else "no_nps_item", lang)}
    dist = charts.nps_distribution(
        [p["value"] for p in item.distribution],
        [p["share"] for p in item.distribution],
        title=clean(item.column),
        ylabel=text("share", lang),
        promoter_min=PROMOTER_MIN,
        detractor_max=DETRACTOR_MAX,
    )
    keys = ("group", "detractors", "passives", "promoters", "nps", "ci_low", "ci_high", "n")
    table = _table(r, keys, range(1, 8))
    bars = []
    for name, g in _groups(r):
        n = g.nps
        if n is None or n.score is None:
            continue
        table.add([name, fmt.pct(n.detractors), fmt.pct(n.passives), fmt.pct(n.promoters),
                   fmt.signed(n.score), fmt.num(n.ci_low), fmt.num(n.ci_high), fmt.count(n.n)],
                  "low" if n.low_base else "")  # fmt: skip
        bars.append(
            charts.GroupBar(
                name,
                n.detractors or 0.0,
                n.passives or 0.0,
                n.promoters or 0.0,
                f"{text('nps', lang)} {fmt.signed(n.score)}",
            )
        )
    names = (text("detractors", lang), text("passives", lang), text("promoters", lang))
    stacked = charts.nps_groups(bars, names, title=text("title.nps", lang))
    return {"distribution": dist, "groups": stacked, "table": table}


def _attributes(r: Report) -> dict[str, Any]:
    from csitool.render import charts

    lang = r.lang
    keys = ("item", "role", "scale", "n", "mean", "csi", "ci_low", "ci_high", "top_box",
            "top2_box", "bottom2_box", "very", "somewhat")  # fmt: skip
    table = _table(r, keys, range(3, 13))
    items = r.score.total.items
    for it in items:
        scale = f"{fmt.value(it.scale_min)}-{fmt.value(it.scale_max)}"
        role = _word(ROLE_KEYS.get(it.role, ""), it.role, lang)
        table.add([it.column, role, scale, fmt.count(it.n), fmt.num(it.mean, 2),
                   fmt.num(it.csi), fmt.num(it.ci_low), fmt.num(it.ci_high), fmt.pct(it.top_box),
                   fmt.pct(it.top2_box), fmt.pct(it.bottom2_box), fmt.pct(it.ladder.very),
                   fmt.pct(it.ladder.somewhat)], "low" if it.low_base else "")  # fmt: skip
    chart = None
    if items:
        chart = charts.interval_bars(
            [clean(i.column) for i in items],
            [i.csi for i in items],
            [i.ci_low for i in items],
            [i.ci_high for i in items],
            title=text("title.attributes", lang),
            xlabel=text("csi", lang),
            name="attributes",
        )
    return {"table": table, "chart": chart}


def _drivers(r: Report) -> dict[str, Any]:
    from csitool.render import charts
    from csitool.render.drivers_view import action_sentence

    lang = r.lang
    d = r.drivers
    if d is None:
        return {"none": clean(r.no_drivers_text())}
    g = d.total
    bh = d.options.adjust == "bh"
    pq = "q" if bh else "p"
    keys = ("attribute", "stage", "csi", "importance", "rank", "penalty", pq, "reward", pq,
            "ia", "class", "quadrant")  # fmt: skip
    table = _table(r, keys, range(2, 10))
    points = []
    for a in g.attributes:
        i = a.impact
        table.add([a.column, a.stage or "", fmt.num(a.performance.csi),
                   fmt.pct(a.importance.share), str(a.importance.rank), fmt.num(i.penalty, 3),
                   fmt.num(i.penalty_q if bh else i.penalty_p, 4), fmt.num(i.reward, 3),
                   fmt.num(i.reward_q if bh else i.reward_p, 4), fmt.num(i.ia, 2),
                   text(i.class_, lang), text(a.quadrant, lang)],
                  {"pain-point": "pain", "wow-point": "wow"}.get(i.class_, ""))  # fmt: skip
        if a.performance.csi is not None:
            points.append(
                charts.Point(clean(a.column), a.importance.share, a.performance.csi, i.class_)
            )
    corners = tuple(text(k, lang) for k in ("possible overkill", "keep up", "low priority",
                                            "fix first"))  # fmt: skip
    scatter = None
    if points:
        scatter = charts.ipa_scatter(
            points,
            g.split["importance"],
            g.split["performance"],
            title=f"{text('importance_axis', lang)} × {text('performance_axis', lang)}",
            xlabel=text("importance_axis", lang),
            ylabel=text("performance_axis", lang),
            split_label=text("split_line", lang),
            corners=corners,  # type: ignore[arg-type]
        )
    actions = []
    for kind in ("fix", "promote"):
        acts = [a for a in g.actions if a.kind == kind]
        if acts:
            actions.append(
                (kind, text(kind, lang), [clean(action_sentence(a, d.target, lang)) for a in acts])
            )
    adjust = text("adj.bh" if bh else "adj.none", lang)
    return {"table": table, "scatter": scatter, "actions": actions, "adjust": adjust}


def _touchpoints(r: Report) -> dict[str, Any]:
    from csitool.render import charts

    lang = r.lang
    g = r.drivers.total if r.drivers else None
    if g is None:
        return {"none": clean(r.no_drivers_text())}
    out: dict[str, Any] = {"none": None, "table": None, "chart": None, "bad": None}
    if not g.stages:
        out["no_stages"] = text("no_stages", lang)
    else:
        keys = ("stage", "attribute", "stage_csi", "ci_low", "ci_high", "any_low", "weakest")
        table = _table(r, keys, {2, 3, 4, 5})
        for s in g.stages:
            table.add([s.name, ", ".join(s.attributes), fmt.num(s.csi), fmt.num(s.ci_low),
                       fmt.num(s.ci_high), fmt.pct(s.any_low),
                       text("weakest", lang) if s.weakest else ""],
                      "pain" if s.weakest else "")  # fmt: skip
        out["table"] = table
        out["chart"] = charts.interval_bars(
            [clean(s.name) for s in g.stages],
            [s.csi for s in g.stages],
            [s.ci_low for s in g.stages],
            [s.ci_high for s in g.stages],
            title=text("title.touchpoints", lang),
            xlabel=text("stage_csi", lang),
            highlight=[s.weakest for s in g.stages],
            name="touchpoints",
        )
    b = g.bad_moment
    if b is not None and b.share is not None:
        keys = ("measure", "value", "value", "difference", "ci_low", "ci_high", "p_value")
        table = _table(r, keys, range(1, 7))
        if b.sat_column:
            sd = b.sat_difference
            table.add([text("bad_sat", lang), fmt.num(b.sat_bad), fmt.num(b.sat_rest),
                       fmt.signed(sd.estimate), fmt.num(sd.ci_low), fmt.num(sd.ci_high),
                       _p(sd.p_value)])  # fmt: skip
        if b.nps_column:
            nd = b.nps_difference
            table.add([text("bad_nps", lang), fmt.signed(b.nps_bad), fmt.signed(b.nps_rest),
                       fmt.signed(nd.estimate), fmt.num(nd.ci_low), fmt.num(nd.ci_high),
                       _p(nd.p_value)])  # fmt: skip
        out["bad"] = {
            "share": fmt.pct(b.share),
            "interval": fmt.interval(b.ci_low, b.ci_high),
            "table": table,
        }
    return out


def _p(p: float | None) -> str:
    """A p-value to four decimals, ``<0.0001`` below that."""
    if p is None:
        return fmt.DASH
    return "<0.0001" if p < 0.0001 else f"{p:.4f}"


def _segments(r: Report) -> dict[str, Any]:
    import itertools

    from csitool.render.excel import segment_notes, segment_rows

    lang = r.lang
    notes = segment_notes(r, clean)
    if not r.score.segments:
        return {"notes": notes, "none": text("segments_none", lang), "tables": []}
    keys = ("segment_value", "letter", "n", "nps", "ci_low", "ci_high", "nps_beats", "csi",
            "ci_low", "ci_high", "csi_beats", "very", "wow_gap")  # fmt: skip
    tables = []
    for col, rows in itertools.groupby(segment_rows(r), key=lambda s: s.column):
        table = _table(r, keys, {2, 3, 4, 5, 7, 8, 9, 11, 12})
        for s in rows:
            g, name = s.group, s.name
            letter, nps_beats, csi_beats = s.letters
            n, c, lad = g.nps, g.csi, g.ladder
            mark = "total" if s.total else ("low" if s.low_base else "")
            table.add([
                name, letter, fmt.count(g.n_rows),
                fmt.signed(n.score) if n else fmt.DASH, fmt.num(n.ci_low) if n else fmt.DASH,
                fmt.num(n.ci_high) if n else fmt.DASH, nps_beats,
                fmt.num(c.score) if c else fmt.DASH, fmt.num(c.ci_low) if c else fmt.DASH,
                fmt.num(c.ci_high) if c else fmt.DASH, csi_beats,
                fmt.pct(lad.very) if lad else fmt.DASH, fmt.pct(lad.wow_gap) if lad else fmt.DASH,
            ], mark)  # fmt: skip
        tables.append((clean(col), table))
    return {"notes": notes, "none": None, "tables": tables}


def _voc(r: Report) -> dict[str, Any]:
    lang = r.lang
    v = r.voc
    if v is None:
        return {"none": text("no_voc", lang)}
    g = v.total
    notes = []
    if not (r.has("nps") or r.has("sat")):
        notes.append(text("voc_no_scores", lang))
    elif not r.has("nps"):
        notes.append(text("nps_columns_empty", lang))
    from csitool.render.voc_words import (
        contradiction_count,
        nps_mix,
        sentiment_counts,
        sentiment_mix,
    )

    keys = ("theme", "mentions", "share", "nps", "nps_impact", "ci_low", "ci_high",
            "sat_impact", "voiced", "v.nps_mix", "v.sentiment")  # fmt: skip
    table = _table(r, keys, (*range(1, 8), 9, 10))
    for t in g.themes:
        table.add([t.label, fmt.count(t.mentions), fmt.pct(t.share), fmt.signed(t.nps),
                   fmt.signed(t.nps_impact), fmt.num(t.nps_impact_ci_low),
                   fmt.num(t.nps_impact_ci_high), fmt.signed(t.sat_impact),
                   text(t.voiced, lang) if t.voiced else "",
                   nps_mix(t), sentiment_mix(t)],
                  {"pain-point": "pain", "wow-point": "wow"}.get(t.voiced or "", ""))  # fmt: skip
    examples = [
        (clean(t.label), text(t.voiced, lang), "pain" if t.voiced == "pain-point" else "wow",
         [(fmt.count(ex["row"]), clean(ex["text"])) for ex in t.examples])
        for t in g.themes if t.voiced and t.examples
    ]  # fmt: skip
    beside = []
    if r.drivers is not None:
        for a in r.drivers.total.actions:
            kind = "pain-point" if a.kind == "fix" else "wow-point"
            beside.append((text(kind, lang), clean(a.column), "pain" if a.kind == "fix" else "wow"))
    return {
        "none": None,
        "answered": fmt.count(g.answered),
        "untagged": fmt.count(g.untagged),
        "sentiment": (
            sentiment_counts(g, v.sentiment_method, lang) if v.sentiment_method != "off" else None
        ),
        "against": (contradiction_count(g, lang) or (0, None))[1],
        "notes": notes,
        "table": table,
        "examples": examples,
        "beside": beside,
    }


def _quality(r: Report) -> dict[str, Any]:
    from csitool.render.excel import _counts

    lang = r.lang
    q = r.score.quality
    listed = _table(r, ("row", "column", "value", "reason"), {0})
    for rec in r.excluded[:MAX_EXCLUDED_HTML]:
        value = rec["value"]
        listed.add([fmt.count(rec["row"]), rec["column"] or text("whole_row", lang),
                    "" if value is None else value, reason_text(rec["reason"], lang)])  # fmt: skip
    counts = _table(r, ("reason", "column", "n"), {2})
    for reason, column, n in r.excluded_counts or _counts(r.excluded):
        counts.add([reason_text(reason, lang), column or text("whole_row", lang), fmt.count(n)])
    total = r.excluded_total()
    shown = min(len(r.excluded), MAX_EXCLUDED_HTML)
    more = None
    if not r.excluded_listed and total:  # counted by an engine: no rows to list
        more = text("excluded_counted", lang).format(
            engine=r.engine, total=total, file=clean(Path(r.path).name)
        )
    elif total > shown:
        more = text("excluded_more", lang).format(
            listed=shown, total=total, file=clean(Path(r.path).name)
        )
    return {
        "read": fmt.count(q["n_rows"]),
        "kept": fmt.count(q["rows_kept"]),
        "listed": listed if r.excluded else None,
        "counts": counts if total else None,
        "more": more,
        "nothing": text("nothing_left_out", lang) if not total else None,
    }


SECTIONS = ("summary", "nps", "attributes", "drivers", "touchpoints", "segments", "voc",
            "quality")  # fmt: skip


def context(report: Report) -> dict[str, Any]:
    """What the template shows, every figure already formatted and every label worded."""
    r = report
    ci = fmt.ci_label(r.score.options.confidence)
    words = _words(r.lang, ci)
    return {
        "lang": r.lang,
        "w": words,
        "file": clean(Path(r.path).name),
        "source": clean(r.path),
        "date": clean(r.date),
        "ci": ci,
        "sections": [(key, words[f"sheet.{key}"]) for key in SECTIONS],
        "headline": _headline(r, ci),
        "summary": _summary(r),
        "nps": _nps(r),
        "attributes": _attributes(r),
        "drivers": _drivers(r),
        "touchpoints": _touchpoints(r),
        "segments": _segments(r),
        "voc": _voc(r),
        "quality": _quality(r),
    }


def environment() -> Any:
    """The Jinja2 environment: templates shipped in the package, autoescaping on, and an
    error for any name the template uses that the context lacks."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("csitool.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def build_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    from markupsafe import Markup

    ctx = context(report)
    # the charts are SVG made by matplotlib from escaped labels: mark them as markup
    for key in ("nps", "attributes", "drivers", "touchpoints"):
        for name in ("distribution", "groups", "chart", "scatter"):
            if ctx[key].get(name):
                ctx[key][name] = Markup(ctx[key][name])
    return str(environment().get_template(TEMPLATE).render(**ctx))
