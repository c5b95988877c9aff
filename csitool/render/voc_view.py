"""``csitool voc`` output: the theme table, flat rows and the tagged-comments export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from csitool.render import fmt
from csitool.render.console import T
from csitool.render.i18n import text
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


def _mix(values: tuple[float | None, ...]) -> str:
    """Three shares as ``40% / 35% / 25%``; empty when unknown."""
    if all(v is None for v in values):
        return ""
    return " / ".join(fmt.pct(v, 0) for v in values)


def _group_table(g: VocGroup, title: str, lang: str = "en", confidence: float = 0.95) -> Table:
    table = Table(title=T(title), title_justify="left", header_style="bold")
    for name, justify in (("theme", "left"), ("mentions", "right"), ("share", "right"),
                          ("mentioned by det / pas / pro", "right"),
                          ("NPS mix det / pas / pro", "right"),
                          ("sentiment − / 0 / +", "right"), ("theme NPS", "right"),
                          (f"NPS impact [{fmt.ci_label(confidence)}]", "right"),
                          ("sat impact", "right"), ("", "left")):  # fmt: skip
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for t in g.themes:
        if not t.mentions:
            continue
        style = "bold red" if t.voiced == "pain-point" else "bold green" if t.voiced else ""
        ci = fmt.interval(t.nps_impact_ci_low, t.nps_impact_ci_high)
        table.add_row(
            T(t.label),
            T(f"{t.mentions:,}"),
            T(fmt.pct(t.share)),
            T(_mix((t.share_detractors, t.share_passives, t.share_promoters))),
            T(_mix((t.mix_detractors, t.mix_passives, t.mix_promoters))),
            T(_mix((t.negative, t.neutral, t.positive))),
            T(fmt.signed(t.nps)),
            T(f"{fmt.signed(t.nps_impact)} {ci}"),
            T(fmt.signed(t.sat_impact)),
            T(text(t.voiced, lang) if t.voiced else "", style),
        )
    return table


SENTIMENT_METHODS = {
    "model": "model: n-gram logistic regression on open reviews + service lexicon",
    "lexicon": "lexicon heuristic: the model file was not found",
    "off": "off",
}


def _contradictions(g: VocGroup, console: Console) -> None:
    c = g.contradictions
    if not c:
        return
    n = c["promoters_negative"] + c["detractors_positive"]
    console.print(
        T(
            f"\nsentiment against score: {n:,} comments ({c['promoters_negative']:,} promoters "
            f"wrote a negative comment, {c['detractors_positive']:,} detractors a positive one)"
            + (" · all in --format json and --export-tagged" if n > 5 else ""),
            "bold" if n else "dim",
        )
    )
    for ex in c.get("rows", [])[:5]:
        score = fmt.num(ex["nps"], 0) if ex["nps"] is not None else ""
        console.print(T(f"  row {ex['row']} (NPS {score}, {ex['sentiment']}): {ex['text']}"))


def render_voc(result: VocResult, console: Console, lang: str = "en") -> None:
    g = result.total
    console.print(
        T(
            f"{result.path}: comments in {', '.join(result.text_columns)} · {g.answered:,} "
            f"answered, {g.non_answer:,} non-answers, {g.blank:,} blank of {g.n_rows:,} rows · "
            f"codebook: {result.codebook}",
            "bold",
        )
    )
    console.print(
        _group_table(
            g,
            "Themes, most damaging first (impact = NPS of all − NPS of the rest)",
            lang,
            result.confidence,
        )
    )
    s = g.sentiment
    method = SENTIMENT_METHODS.get(result.sentiment_method, result.sentiment_method)
    console.print(
        T(
            f"sentiment ({method}): {s['positive']:,} positive, {s['neutral']:,} neutral, "
            f"{s['negative']:,} negative"
        )
    )
    _contradictions(g, console)
    for t in g.themes:
        if t.voiced and t.examples:
            console.print(T(f"\n{t.label} ({text(t.voiced, lang)}):", "bold"))
            for ex in t.examples:
                console.print(T(f"  row {ex['row']}: {ex['text']}"))
    share = 100 * g.untagged / g.answered if g.answered else 0.0
    console.print(T(f"\nuntagged: {g.untagged:,} of {g.answered:,} answered ({share:.1f}%)", "dim"))
    for ex in g.untagged_examples[:5]:
        console.print(T(f"  row {ex['row']}: {ex['text']}", "dim"))
    for col, groups in result.segments.items():
        for sg in groups:
            head = f"{col} = {sg.value} ({sg.answered:,} answered)"
            console.print(_group_table(sg, head, lang, result.confidence))
    for note in result.notes:
        console.print(T(f"note: {note}", "dim"))


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
    """Every comment with its source row, themes and sentiment (blank rows left out)."""
    out = []
    names = [t.name for t in book.themes]
    for i, comment in enumerate(tagged.text):
        if comment is None:
            continue
        themes = [names[j] for j in range(len(names)) if tagged.themes[i, j]]
        out.append({
            "row": survey.ledger.row_number(i),
            "comment": comment,
            "status": "answered" if tagged.answered[i] else "non-answer",
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
