"""``csitool voc`` output: the theme table, flat rows and the tagged-comments export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from csitool.render import fmt
from csitool.render.console import Col, T, fitted_table, print_notes
from csitool.render.i18n import text
from csitool.render.voc_words import (
    contradiction_count,
    mix,
    nps_mix,
    sentiment_counts,
    sentiment_mix,
)
from csitool.stats.voc import (
    DETRACTOR_POSITIVE,
    NO_CONTRADICTION,
    PROMOTER_NEGATIVE,
    TIDY_COLUMNS,
    Tagged,
    VocGroup,
    VocResult,
)

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from csitool.stats.codebook import Codebook
    from csitool.survey.model import Survey


def theme_label(label: str, lang: str) -> str:
    """A built-in theme's label in ``lang``: labels read ``English / 한국어``."""
    english, _, korean = label.partition(" / ")
    if not korean:
        return label
    return korean if lang == "ko" else english


def _group_table(
    g: VocGroup, title: str, lang: str = "en", confidence: float = 0.95, width: int = 120
) -> Table:
    w = lambda key: text(key, lang)  # noqa: E731
    cols = [
        Col(w("v.theme"), "left", flex=True), Col(w("v.mentions")), Col(w("h.share")),
        Col(w("v.mentioned_by"), keep=3), Col(w("v.nps_mix"), keep=2),
        Col(w("v.sentiment"), keep=2), Col(w("v.theme_nps"), keep=3),
        Col(w("v.nps_impact")), Col(fmt.ci_label(confidence), keep=2),
        Col(w("v.sat_impact"), keep=3), Col("", "left"),
    ]  # fmt: skip
    rows = []
    for t in g.themes:
        if not t.mentions:
            continue
        style = "bold red" if t.voiced == "pain-point" else "bold green" if t.voiced else ""
        rows.append([
            T(theme_label(t.label, lang)),
            T(f"{t.mentions:,}"),
            T(fmt.pct(t.share)),
            T(mix((t.share_detractors, t.share_passives, t.share_promoters))),
            T(nps_mix(t)),
            T(sentiment_mix(t)),
            T(fmt.signed(t.nps)),
            T(fmt.signed(t.nps_impact)),
            T(fmt.interval(t.nps_impact_ci_low, t.nps_impact_ci_high)),
            T(fmt.signed(t.sat_impact)),
            T(w(t.voiced) if t.voiced else "", style),
        ])  # fmt: skip
    return fitted_table(cols, rows, width, title=T(title))


def _contradictions(g: VocGroup, console: Console, lang: str) -> None:
    said = contradiction_count(g, lang)
    if said is None or g.contradictions is None:
        return
    c = g.contradictions
    w = lambda key: text(key, lang)  # noqa: E731
    n, line = said
    more = ""
    if n > 5:
        listed = c.get("listed", n)
        more = w("v.against_all")
        if listed < n:  # [voc] contradictions_listed cut the listing
            more = w("v.against_first").format(listed=f"{listed:,}")
    console.print(T("\n" + line + more, "bold" if n else "dim"))
    for ex in c.get("rows", [])[:5]:
        score = fmt.num(ex["nps"], 0) if ex["nps"] is not None else ""
        mood = w(f"v.{ex['sentiment']}")
        head = w("v.row_score").format(row=ex["row"], score=score, sentiment=mood)
        console.print(T(f"  {head}: {ex['text']}"))


def render_voc(result: VocResult, console: Console, lang: str = "en") -> None:
    w = lambda key: text(key, lang)  # noqa: E731
    g = result.total
    width = console.width
    codebook = w("v.builtin") if result.codebook == "built-in codebook" else result.codebook
    head = w("v.head").format(
        path=result.path, cols=", ".join(result.text_columns), answered=f"{g.answered:,}",
        non=f"{g.non_answer:,}", blank=f"{g.blank:,}", n=f"{g.n_rows:,}", codebook=codebook,
    )  # fmt: skip
    console.print(T(head, "bold"))
    console.print(_group_table(g, w("v.title"), lang, result.confidence, width))
    console.print(T(sentiment_counts(g, result.sentiment_method, lang)))
    _contradictions(g, console, lang)
    for t in g.themes:
        if t.voiced and t.examples:
            console.print(T(f"\n{theme_label(t.label, lang)} ({w(t.voiced)}):", "bold"))
            for ex in t.examples:
                console.print(T(f"  {w('v.row').format(row=ex['row'])}: {ex['text']}"))
    share = 100 * g.untagged / g.answered if g.answered else 0.0
    untagged = w("v.untagged").format(
        k=f"{g.untagged:,}", n=f"{g.answered:,}", share=f"{share:.1f}"
    )
    console.print(T("\n" + untagged, "dim"))
    for ex in g.untagged_examples[:5]:
        console.print(T(f"  {w('v.row').format(row=ex['row'])}: {ex['text']}", "dim"))
    for col, groups in result.segments.items():
        for sg in groups:
            seg_head = w("v.segment_head").format(col=col, value=sg.value, n=f"{sg.answered:,}")
            console.print(_group_table(sg, seg_head, lang, result.confidence, width))
    print_notes(console, result.notes, lang)


COLUMNS = TIDY_COLUMNS


def rows(result: VocResult) -> list[dict[str, Any]]:
    return result.tidy_rows()


def to_csv(result: VocResult) -> str:
    from csitool.render.flat import csv_text

    return csv_text(rows(result), COLUMNS)


def to_markdown(result: VocResult) -> str:
    from csitool.render.flat import md_text

    keys = [
        "segment_value",
        "label",
        "mentions",
        "share",
        "nps",
        "nps_impact",
        "sat_impact",
        "voiced",
    ]
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for row in rows(result):
        cells = []
        for k in keys:
            v = row[k]
            cells.append("" if v is None else fmt.num(v) if isinstance(v, float) else md_text(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def tagged_rows(survey: Survey, tagged: Tagged, book: Codebook) -> list[dict[str, Any]]:
    """Every comment with its source row, themes and sentiment (blank rows left out). The
    status of a row the ledger excluded names its reason (``excluded: duplicate_id``): its
    comment is tagged for review but counts in no figure."""
    from csitool.survey.model import REASONS

    out = []
    names = [t.name for t in book.themes]
    reasons = survey.ledger.row_reason
    for i, comment in enumerate(tagged.text):
        if comment is None:
            continue
        themes = [names[j] for j in range(len(names)) if tagged.themes[i, j]]
        status = "answered" if tagged.answered[i] else "non-answer"
        if reasons[i]:
            status = f"excluded: {REASONS[int(reasons[i])]}"
        out.append({
            "row": survey.ledger.row_number(i),
            "comment": comment,
            "status": status,
            "themes": ";".join(themes),
            "sentiment": {1: "positive", 0: "neutral", -1: "negative"}[int(tagged.sentiment[i])],
            "contradiction": CONTRADICTIONS[int(tagged.contradiction[i])],
        })  # fmt: skip
    return out


CONTRADICTIONS = {
    NO_CONTRADICTION: "",
    PROMOTER_NEGATIVE: "promoter, negative comment",
    DETRACTOR_POSITIVE: "detractor, positive comment",
}
TAGGED_FIELDS = ("row", "comment", "status", "themes", "sentiment", "contradiction")


def tagged_csv(rows: list[dict[str, Any]]) -> bytes:
    """The tagged comments as CSV: UTF-8 with a byte-order mark (Excel then reads Korean
    text right) and CRLF line ends."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(TAGGED_FIELDS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def write_tagged(
    path: Path, rows: list[dict[str, Any]], source: str, date: str, label: str = "output"
) -> None:
    """Write the tagged comments of ``source`` to ``path`` atomically: a workbook for
    ``.xlsx`` (dated ``date``), else CSV (:func:`tagged_csv`)."""
    if path.suffix.lower() == ".xlsx":
        from csitool.render.excel import save_atomic, tagged_workbook

        save_atomic(tagged_workbook(rows, source, date), path, date, label)
        return
    from csitool.io.write import write_bytes_atomic

    write_bytes_atomic(path, tagged_csv(rows), label)
