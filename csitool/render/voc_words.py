"""What every view of ``voc`` says the same way (the terminal, the workbook, the HTML
report): mixes of three shares, the sentiment counts, the contradictions sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csitool.render import fmt
from csitool.render.i18n import text

if TYPE_CHECKING:
    from csitool.stats.voc import ThemeResult, VocGroup


def mix(values: tuple[float | None, ...]) -> str:
    """Three shares as ``40/35/25%``; empty when unknown."""
    if all(v is None for v in values):
        return ""
    return "/".join(fmt.num(v, 0) if v is not None else fmt.DASH for v in values) + "%"


def nps_mix(t: ThemeResult) -> str:
    """The NPS mix (detractors / passives / promoters) of those who mention a theme."""
    return mix((t.mix_detractors, t.mix_passives, t.mix_promoters))


def sentiment_mix(t: ThemeResult) -> str:
    """The sentiment mix (negative / neutral / positive) of a theme's comments."""
    return mix((t.negative, t.neutral, t.positive))


def sentiment_counts(g: VocGroup, method: str, lang: str) -> str:
    """``sentiment (how it was read): 12 positive, 30 neutral, 8 negative``: the sentence
    the terminal, the workbook and the HTML report give."""
    s = g.sentiment
    counts = text("v.sentiment_counts", lang).format(
        pos=f"{s['positive']:,}", neu=f"{s['neutral']:,}", neg=f"{s['negative']:,}"
    )
    return f"{text('v.sentiment_word', lang)} ({text(f'v.method.{method}', lang)}): {counts}"


def contradiction_count(g: VocGroup, lang: str) -> tuple[int, str] | None:
    """How many answered comments seem to contradict the score, and the sentence that says
    so (None without an NPS item or without sentiment)."""
    c = g.contradictions
    if not c:
        return None
    n = c["promoters_negative"] + c["detractors_positive"]
    line = text("v.against", lang).format(
        n=f"{n:,}", pro=f"{c['promoters_negative']:,}", det=f"{c['detractors_positive']:,}"
    )
    return n, line
