"""Voice of the customer: open comments tagged with codebook themes, tied to NPS and
satisfaction.

Per theme: mentions, the mention rate among detractors / passives / promoters, the NPS of
those who mention it, and its impact = NPS of all respondents - NPS of respondents who do
not mention it (likewise for overall satisfaction on 0-100), with a linearisation interval.
Negative impacts are voiced pain-points, positive ones voiced wow-points.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from csitool.notes import to_json
from csitool.stats.codebook import HANGUL, Codebook
from csitool.stats.common import z_crit
from csitool.stats.nps import DETRACTOR_MAX, PROMOTER_MIN
from csitool.stats.sentiment import SentimentModel

if TYPE_CHECKING:
    import pandas as pd

    from csitool.survey.model import Survey

NON_ANSWERS = {
    "없음", "없습니다", "특별히 없습니다", "특별히 없음", "딱히 없음", "딱히 없습니다", "없어요",
    "무", "해당 없음", "모름", "no comment", "no comments", "none", "nothing", "nothing to add",
    "n/a", "na", "nil", "no", "nope", "x", "-", ".", "..", "...", "?", "ok",
}  # fmt: skip
POSITIVE = (
    "좋",
    "만족",
    "친절하",
    "친절은",
    "빠르",
    "빨라",
    "빨리",
    "감사",
    "최고",
    "훌륭",
    "편리",
    "편해",
    "편했",
    "깔끔",
    "정확",
    "감동",
    "추천",
    "믿음",
    "믿을",
    "합리적",
    "꼼꼼",
    "good",
    "great",
    "excellent",
    "love",
    "friendly",
    "fast",
    "quick",
    "helpful",
    "easy",
    "satisf",
    "thank",
    "amazing",
    "perfect",
    "recommend",
    "reliable",
    "nice",
    "pleasure",
    "accurate",
    "reassuring",
    "warmly",
    "impressed",
    "reasonable",
    "simple",
    "spot on",
    "happy",
    "handy",
)
NEGATIVE = (
    "불만",
    "불편",
    "불친절",
    "느리",
    "느려",
    "늦",
    "비싸",
    "비싼",
    "별로",
    "최악",
    "짜증",
    "실망",
    "길어",
    "길었",
    "오래걸",
    "걸렸",
    "기분이상",
    "오류",
    "하자",
    "복잡",
    "번거",
    "답답",
    "부담",
    "퉁명",
    "못미",
    "안되",
    "않았",
    "없었",
    "달라서",
    "달랐",
    "헷갈",
    "고민",
    "bad",
    "slow",
    "expensive",
    "rude",
    "poor",
    "terrible",
    "worst",
    "disappoint",
    "problem",
    "late",
    "difficult",
    "broken",
    "error",
    "never",
    "awful",
    "annoy",
    "confus",
    "complicated",
    "unfriendly",
    "too high",
    "too long",
    "far too",
    "pricey",
    "nobody",
    "frustrat",
    "hassle",
    "didn't",
    "hasn't",
    "wasn't",
    "doesn't",
    "hard to",
    "curt",
    "defective",
    "wrong",
    "fell short",
    "switching",
    "too few",
    "keep going up",
    "needs to improve",
)


# --------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------

MARK = "\x1f"
"""Put before every word start (and, where Kiwi is asked, every morpheme start) in the
marked text; a Hangul keyword must begin at one."""
_WORD_START = r"(^|[^\p{L}\p{N}])([\p{L}\p{N}])"
_SCRIPT_CHANGE = r"([a-z0-9])(\p{Hangul})"


def _hangul_pattern(word: str) -> str:
    """A Hangul keyword on marked text: it starts at a mark, and spaces (and the marks
    between its letters) are optional inside it, so "대기 시간" = "대기시간" = "대기 시간은"."""
    chars = [re.escape(ch) for ch in re.sub(r"\s+", "", word.lower())]
    return MARK + (MARK + "?").join(chars)


@dataclass(frozen=True)
class Patterns:
    """One keyword list as regular expressions: Hangul keywords on marked text (``marked``)
    and on space-free text (``tight``, a superset used to find where Kiwi must decide), the
    others at a word start on the lowercased text (``other``)."""

    marked: str | None
    tight: str | None
    other: str | None


def _alternation(words: Sequence[str]) -> Patterns:
    ko = sorted({w for w in words if HANGUL.search(w)}, key=len, reverse=True)
    other = sorted(
        {re.escape(w.lower().strip()) for w in words if not HANGUL.search(w) and w.strip()},
        key=len,
        reverse=True,
    )
    return Patterns(
        marked="|".join(_hangul_pattern(w) for w in ko) or None,
        tight="|".join(re.escape(re.sub(r"\s+", "", w.lower())) for w in ko) or None,
        other=(r"\b(?:" + "|".join(other) + ")") if other else None,
    )


@dataclass(frozen=True)
class Prepared:
    """Comments normalised once (Arrow arrays): lowercased (``low``), lowercased without
    spaces (``tight``) and marked (``marked``: a :data:`MARK` before each word start and
    before a Hangul letter that follows a Latin letter or digit, then spaces removed).

    Matching runs in pyarrow's RE2 kernels, 5-10x faster than pandas' fallbacks.
    """

    low: Any
    tight: Any
    marked: Any

    def __len__(self) -> int:
        return len(self.low)


def _cell_text(v: Any) -> str:
    """A cell as comment text: blanks (None, NaN) become ""."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v).strip()


def mark(low: Any) -> Any:
    """Lowercased text (an Arrow array) marked at word starts, spaces removed."""
    import pyarrow.compute as pc

    out = pc.replace_substring_regex(low, _WORD_START, "\\1" + MARK + "\\2")
    out = pc.replace_substring_regex(out, _SCRIPT_CHANGE, "\\1" + MARK + "\\2")
    return pc.replace_substring_regex(out, r"\s+", "")


def prepare(texts: Sequence[str] | pd.Series | Any) -> Prepared:
    """Comments (strings, a Series, or an Arrow string array) ready for matching."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if isinstance(texts, pa.Array):
        arr = pc.fill_null(texts.cast(pa.string()), "")
    else:
        arr = pa.array([_cell_text(v) for v in list(texts)], type=pa.string())
    low = pc.utf8_lower(arr)
    return Prepared(low, pc.replace_substring_regex(low, r"\s+", ""), mark(low))


def _contains(arr: Any, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    return np.asarray(pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False), bool)


def _count(arr: Any, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    return np.asarray(pc.count_substring_regex(arr, pattern).to_numpy(zero_copy_only=False), float)


def match(p: Prepared, words: Sequence[str], patterns: Sequence[str] = ()) -> np.ndarray:
    """Which comments contain any of ``words`` or ``patterns`` (rules in
    :mod:`csitool.stats.codebook`), Hangul keywords at word starts only (see :func:`tag`
    for morpheme starts)."""
    pat = _alternation(words)
    hit = np.zeros(len(p), dtype=bool)
    if pat.marked:
        hit |= _contains(p.marked, pat.marked)
    if pat.other:
        hit |= _contains(p.low, pat.other)
    if patterns:
        hit |= _contains(p.low, "|".join(f"(?:{x})" for x in patterns))
    return hit


def _mark_word(word: str, marked: str, starts: frozenset[int]) -> str:
    """``marked`` (the word marked at word starts) with a mark added at every morpheme
    start of ``word`` (offsets into the unmarked word)."""
    out: list[str] = []
    i = 0
    for ch in marked:
        if ch == MARK:
            out.append(ch)
            continue
        if i in starts and (not out or out[-1] != MARK):
            out.append(MARK)
        out.append(ch)
        i += 1
    return "".join(out)


def morpheme_marked(texts: Sequence[str]) -> list[str]:
    """Lowercased comments marked at word starts and at Kiwi's morpheme starts."""
    import pyarrow as pa

    from csitool.stats.morph import morpheme_starts

    words = sorted({w for t in texts for w in t.split()})
    fast = mark(pa.array(words, type=pa.string())).to_pylist()
    starts = morpheme_starts(w for w in words if HANGUL.search(w))
    marked = {
        w: _mark_word(w, f, starts[w]) if w in starts else f
        for w, f in zip(words, fast, strict=True)
    }
    return ["".join(marked[w] for w in t.split()) for t in texts]


@dataclass(frozen=True)
class Tags:
    """Themes per comment, and how many distinct comments the morphological analyser was
    asked about (``analysed``; None when kiwipiepy is missing and only word starts count)."""

    themes: np.ndarray
    analysed: int | None


def _drop(arr: Any, pattern: str | None, by: str) -> Any:
    import pyarrow.compute as pc

    return arr if pattern is None else pc.replace_substring_regex(arr, pattern, by)


def _without(p: Prepared, ignore: Sequence[str]) -> Prepared:
    """``p`` with a theme's ``ignore`` words taken out (Hangul ones from the marked and
    space-free text, the others from the lowercased text)."""
    if not ignore:
        return p
    ign = _alternation(ignore)
    return Prepared(_drop(p.low, ign.other, " "), _drop(p.tight, ign.tight, "#"),
                    _drop(p.marked, ign.marked, "#"))  # fmt: skip


def tag_comments(p: Prepared, book: Codebook) -> Tags:
    """Comments x themes, with Hangul keywords matched at word and morpheme starts.

    A Hangul keyword that starts at a word start matches without further analysis (a word
    start is a morpheme start). Comments where some keyword occurs in the space-free text
    but not at a word start (inside a compound, "통화대기", or across words, "각기 다른")
    are marked again at Kiwi's morpheme starts (distinct comments once) and matched again:
    the result is the one Kiwi would give on every comment, at a fraction of the cost.
    """
    import pyarrow as pa

    from csitool.stats import morph

    out = np.zeros((len(p), len(book.themes)), dtype=bool)
    pats = [_alternation(t.keywords) for t in book.themes]
    unsure = np.zeros(len(p), dtype=bool)
    for j, theme in enumerate(book.themes):
        q = _without(p, theme.ignore)
        hit = match(q, theme.keywords, theme.patterns)
        if pats[j].tight:
            unsure |= _contains(q.tight, pats[j].tight) & ~hit
        out[:, j] = hit
    analysed: int | None = 0
    if unsure.any() and not morph.available():
        analysed = None
    elif unsure.any():
        rows = np.flatnonzero(unsure)
        texts = p.low.take(pa.array(rows)).to_pylist()
        distinct = sorted(set(texts))
        analysed = len(distinct)
        index = {t: k for k, t in enumerate(distinct)}
        again = pa.array(morpheme_marked(distinct), type=pa.string())
        where = np.array([index[t] for t in texts], dtype=np.int64)
        for j, (theme, pat) in enumerate(zip(book.themes, pats, strict=True)):
            if pat.marked:
                view = _drop(again, _alternation(theme.ignore).marked, "#")
                out[rows, j] |= _contains(view, pat.marked)[where]
    for j, theme in enumerate(book.themes):
        if theme.exclude and out[:, j].any():
            out[:, j] &= ~match(p, (), theme.exclude)
    return Tags(out, analysed)


def tag(p: Prepared, book: Codebook) -> np.ndarray:
    """A boolean matrix: comments x themes (see :func:`tag_comments`)."""
    return tag_comments(p, book).themes


def _tight_alternation(words: Sequence[str]) -> tuple[str | None, str | None]:
    """The lexicon's regexes: Hangul cues anywhere in space-free text, others at a word start."""
    pat = _alternation(words)
    return pat.tight, pat.other


def lexicon_sentiment(p: Prepared) -> np.ndarray:
    """+1 / 0 / -1 per comment from the lexicons (negative cues are removed before positive
    ones are counted, so "불친절" is not read as "친절"). The fallback when the sentiment
    model is missing: a heuristic, not a model."""
    import pyarrow.compute as pc

    ko_neg, other_neg = _tight_alternation(NEGATIVE)
    ko_pos, other_pos = _tight_alternation(POSITIVE)
    neg = np.zeros(len(p))
    pos = np.zeros(len(p))
    tight, low = p.tight, p.low
    if ko_neg:
        neg += _count(tight, ko_neg)
        tight = pc.replace_substring_regex(tight, ko_neg, " ")
    if other_neg:
        neg += _count(low, other_neg)
        low = pc.replace_substring_regex(low, other_neg, " ")
    if ko_pos:
        pos += _count(tight, ko_pos)
    if other_pos:
        pos += _count(low, other_pos)
    return np.sign(pos - neg).astype(int)


def sentiment(p: Prepared, model: SentimentModel | None = None) -> np.ndarray:
    """+1 / 0 / -1 per comment: the model's reading (each distinct comment scored once),
    else the lexicon's (:func:`lexicon_sentiment`)."""
    if model is None:
        return lexicon_sentiment(p)
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(p.low)
    codes = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    labels = model.classify(enc.dictionary.to_pylist())
    return np.asarray(labels, dtype=int)[codes]


def non_answer(p: Prepared) -> np.ndarray:
    """Blank-like answers: "없음", "no comment", ".", "-", punctuation only."""
    import pyarrow as pa
    import pyarrow.compute as pc

    stripped = pc.utf8_trim_whitespace(p.low)
    clean = pc.utf8_rtrim(stripped, characters=".!~ ")
    values = pa.array(sorted(NON_ANSWERS))
    listed = pc.or_(pc.is_in(clean, value_set=values), pc.is_in(stripped, value_set=values))
    only_marks = pc.match_substring_regex(stripped, r"^[\p{P}\p{S}\s_]*$")
    out = pc.or_(listed, only_marks).to_numpy(zero_copy_only=False)
    return np.asarray(out, dtype=bool)


# --------------------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------------------


def impact(
    values: np.ndarray, mention: np.ndarray, weights: np.ndarray, confidence: float
) -> tuple[float | None, float | None, float | None]:
    """mean(all) - mean(those not mentioning), with a linearisation interval.

    Notes
    -----
    With W = sum w, W0 = sum over non-mentioners, m = mean(all), m0 = mean(non-mentioners):
    z_i = w_i (x_i - m) / W - (1 - d_i) w_i (x_i - m0) / W0, Var = n / (n - 1) sum z_i^2.
    """
    ok = ~np.isnan(values)
    x, d, w = values[ok], mention[ok], weights[ok]
    n = len(x)
    rest = ~d
    if n < 2 or not rest.any() or not d.any():
        return (None, None, None)
    total, total0 = float(w.sum()), float(w[rest].sum())
    m = float(w @ x) / total
    m0 = float(w[rest] @ x[rest]) / total0
    z = w * (x - m) / total - np.where(rest, w * (x - m0) / total0, 0.0)
    se = math.sqrt(n / (n - 1) * float(z @ z))
    est = m - m0
    half = z_crit(confidence) * se
    return (est, est - half, est + half)


@dataclass(frozen=True)
class ThemeResult:
    """One theme. Shares are percent; NPS in points; satisfaction on 0-100."""

    name: str
    label: str
    mentions: int
    share: float | None
    share_detractors: float | None
    share_passives: float | None
    share_promoters: float | None
    nps: float | None
    nps_impact: float | None
    nps_impact_ci_low: float | None
    nps_impact_ci_high: float | None
    sat: float | None
    sat_impact: float | None
    sat_impact_ci_low: float | None
    sat_impact_ci_high: float | None
    negative: float | None
    examples: list[dict[str, Any]] = field(default_factory=list)
    voiced: str = ""


@dataclass(frozen=True)
class VocGroup:
    value: str
    n_rows: int
    answered: int
    blank: int
    non_answer: int
    untagged: int
    sentiment: dict[str, int]
    themes: list[ThemeResult]
    untagged_examples: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# The columns of ``csitool voc --format csv`` and ``VocResult.to_frame()``.
TIDY_COLUMNS = ["file", "segment", "segment_value", "theme", "label", "mentions", "share",
                "share_detractors", "share_passives", "share_promoters", "nps", "nps_impact",
                "nps_impact_ci_low", "nps_impact_ci_high", "sat", "sat_impact", "negative",
                "voiced"]  # fmt: skip


@dataclass(frozen=True)
class VocResult:
    path: str
    text_columns: list[str]
    codebook: str
    total: VocGroup
    segments: dict[str, list[VocGroup]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    confidence: float = 0.95

    def to_dict(self) -> dict[str, Any]:
        total = self.total.to_dict()
        total.pop("value")
        return {
            "path": self.path,
            "text_columns": self.text_columns,
            "codebook": self.codebook,
            **total,
            "segments": {c: [g.to_dict() for g in gs] for c, gs in self.segments.items()},
            "notes": to_json(self.notes),
        }

    def tidy_rows(self) -> list[dict[str, Any]]:
        """One row per theme for the total and each segment value (the rows of
        ``csitool voc --format csv``; columns :data:`TIDY_COLUMNS`)."""
        out = []
        groups: list[tuple[str, VocGroup]] = [("", self.total)]
        for col, gs in self.segments.items():
            groups.extend((col, g) for g in gs)
        for seg, g in groups:
            for t in g.themes:
                out.append({
                    "file": self.path, "segment": seg, "segment_value": g.value if seg else "",
                    "theme": t.name, "label": t.label, "mentions": t.mentions, "share": t.share,
                    "share_detractors": t.share_detractors, "share_passives": t.share_passives,
                    "share_promoters": t.share_promoters, "nps": t.nps,
                    "nps_impact": t.nps_impact, "nps_impact_ci_low": t.nps_impact_ci_low,
                    "nps_impact_ci_high": t.nps_impact_ci_high,
                    "sat": t.sat, "sat_impact": t.sat_impact, "negative": t.negative,
                    "voiced": t.voiced,
                })  # fmt: skip
        return out

    def to_frame(self) -> pd.DataFrame:
        """:meth:`tidy_rows` as a pandas DataFrame (None as missing)."""
        from csitool.stats.tidy import frame

        return frame(self.tidy_rows(), TIDY_COLUMNS)


@dataclass(frozen=True)
class Tagged:
    """Every row's comment, whether it was answered, its themes and sentiment."""

    text: list[str | None]
    answered: np.ndarray
    blank: np.ndarray
    non_answer: np.ndarray
    themes: np.ndarray
    sentiment: np.ndarray


def shorten(text: str, limit: int = 100) -> str:
    """The comment cut at ``limit`` characters with an ellipsis; never otherwise changed."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tag_survey(survey: Survey, columns: Sequence[str], book: Codebook) -> Tagged:
    """Tag the text of ``columns`` (joined per row) for every row of the survey."""
    frame = survey.raw.frame
    cells = zip(*(frame[c].tolist() for c in columns), strict=True)
    joined = [" / ".join(t for t in (_cell_text(v) for v in row) if t) for row in cells]
    blank = np.array([not t for t in joined], dtype=bool)
    p = prepare(joined)
    na = non_answer(p) & ~blank
    answered = ~blank & ~na
    themes = tag(p, book) & answered[:, None]
    senti = sentiment(p) if book.sentiment else np.zeros(len(joined), dtype=int)
    senti = np.where(answered, senti, 0)
    values: list[str | None] = [t or None for t in joined]
    return Tagged(values, answered, blank, na, themes, senti)


def _group(
    survey: Survey, tagged: Tagged, mask: np.ndarray, value: str, book: Codebook,
    confidence: float,
) -> VocGroup:  # fmt: skip
    ok = mask & (survey.ledger.row_reason == 0)
    w_all = np.ones(survey.n_rows) if survey.weights is None else np.nan_to_num(survey.weights)
    rows = np.flatnonzero(ok)
    answered = tagged.answered & ok
    roles = survey.roles
    nps_v = survey.values[roles.nps] if roles.nps else None
    sat_v = None
    if roles.sat:
        sc = survey.scales[roles.sat]
        sat_v = 100 * (survey.values[roles.sat] - sc.min) / (sc.max - sc.min)
    w_ans = w_all[answered]
    themes: list[ThemeResult] = []
    for j, th in enumerate(book.themes):
        m = tagged.themes[:, j] & ok
        count = int(m.sum())
        share = 100 * float(w_all[m].sum()) / float(w_ans.sum()) if w_ans.sum() > 0 else None

        def rate(group: np.ndarray, m: np.ndarray = m) -> float | None:
            g = answered & group
            return (
                100 * float(w_all[m & g].sum()) / float(w_all[g].sum()) if w_all[g].sum() else None
            )

        shares: list[float | None] = [None, None, None]
        nps_t = imp = None
        imp_ci: tuple[float | None, float | None] = (None, None)
        if nps_v is not None:
            has = ~np.isnan(nps_v)
            shares = [
                rate(has & (nps_v <= DETRACTOR_MAX)),
                rate(has & (nps_v >= 7) & (nps_v <= 8)),
                rate(has & (nps_v >= PROMOTER_MIN)),
            ]
            score = np.where(
                nps_v >= PROMOTER_MIN, 100.0, np.where(nps_v <= DETRACTOR_MAX, -100.0, 0.0)
            )
            score = np.where(has, score, np.nan)
            sel = ok & has & m
            if sel.any():
                nps_t = float(np.average(score[sel], weights=w_all[sel]))
            est, lo, hi = impact(score[ok], m[ok], w_all[ok], confidence)
            imp, imp_ci = est, (lo, hi)
        sat_t = sat_imp = None
        sat_ci: tuple[float | None, float | None] = (None, None)
        if sat_v is not None:
            sel = ok & m & ~np.isnan(sat_v)
            if sel.any():
                sat_t = float(np.average(sat_v[sel], weights=w_all[sel]))
            est, lo, hi = impact(sat_v[ok], m[ok], w_all[ok], confidence)
            sat_imp, sat_ci = est, (lo, hi)
        neg = 100 * float(np.mean(tagged.sentiment[m] < 0)) if count else None
        lead = imp if imp is not None else sat_imp
        voiced = ""
        if lead is not None:
            hi_ = imp_ci[1] if imp is not None else sat_ci[1]
            lo_ = imp_ci[0] if imp is not None else sat_ci[0]
            if hi_ is not None and hi_ < 0:
                voiced = "pain-point"
            elif lo_ is not None and lo_ > 0:
                voiced = "wow-point"
        examples = _examples(tagged, m, nps_v, lead)
        themes.append(
            ThemeResult(
                name=th.name,
                label=th.label,
                mentions=count,
                share=share,
                share_detractors=shares[0],
                share_passives=shares[1],
                share_promoters=shares[2],
                nps=nps_t,
                nps_impact=imp,
                nps_impact_ci_low=imp_ci[0],
                nps_impact_ci_high=imp_ci[1],
                sat=sat_t,
                sat_impact=sat_imp,
                sat_impact_ci_low=sat_ci[0],
                sat_impact_ci_high=sat_ci[1],
                negative=neg,
                examples=examples,
                voiced=voiced,
            )
        )
    themes.sort(key=_rank)
    untagged_mask = answered & ~tagged.themes.any(axis=1)
    untagged_rows = np.flatnonzero(untagged_mask)[:10]
    senti = tagged.sentiment[answered]
    return VocGroup(
        value=value,
        n_rows=len(rows),
        answered=int(answered.sum()),
        blank=int((tagged.blank & ok).sum()),
        non_answer=int((tagged.non_answer & ok).sum()),
        untagged=int(untagged_mask.sum()),
        sentiment={
            "positive": int((senti > 0).sum()),
            "neutral": int((senti == 0).sum()),
            "negative": int((senti < 0).sum()),
        },
        themes=themes,
        untagged_examples=[
            {"row": survey.ledger.row_number(int(i)), "text": shorten(tagged.text[i] or "")}
            for i in untagged_rows
        ],
    )


def _rank(t: ThemeResult) -> float:
    """Most damaging first: by NPS impact, else satisfaction impact; unknown impacts last."""
    lead = t.nps_impact if t.nps_impact is not None else t.sat_impact
    return math.inf if lead is None else lead


def _examples(
    tagged: Tagged, m: np.ndarray, nps_v: np.ndarray | None, lead: float | None
) -> list[dict[str, Any]]:
    """Three comments: from detractors for a negative theme, promoters for a positive one."""
    idx = np.flatnonzero(m)
    if nps_v is not None and lead is not None:
        pref = (nps_v[idx] <= DETRACTOR_MAX) if lead < 0 else (nps_v[idx] >= PROMOTER_MIN)
        idx = np.concatenate([idx[pref], idx[~pref]])
    return [{"row": int(i), "text": shorten(tagged.text[i] or "")} for i in idx[:3]]


def voc(
    survey: Survey,
    book: Codebook,
    columns: Sequence[str] | None = None,
    by: Sequence[str] = (),
    *,
    confidence: float | None = None,
) -> tuple[VocResult, Tagged]:
    """Tag the comments and tie the themes to NPS and satisfaction, overall and per ``by``."""
    from csitool.errors import MissingRoleError

    cols = list(columns or ([survey.roles.comment] if survey.roles.comment else []))
    names = [str(c) for c in survey.raw.frame.columns]
    if not cols:
        raise MissingRoleError(survey.path, "comment", "voc")
    for c in cols:
        if c not in names:
            from csitool.survey.roles import unknown_column

            raise unknown_column(survey.path, c, names, "text")
    conf = survey.settings.confidence if confidence is None else confidence
    tagged = tag_survey(survey, cols, book)
    everyone = np.ones(survey.n_rows, dtype=bool)
    total = _group(survey, tagged, everyone, "Total", book, conf)
    for t in total.themes:
        for ex in t.examples:
            ex["row"] = survey.ledger.row_number(ex["row"])
    segments: dict[str, list[VocGroup]] = {}
    for col in by:
        values, labels = survey.segments(col)
        groups = []
        for v in values:
            g = _group(survey, tagged, labels == v, v, book, conf)
            for t in g.themes:
                for ex in t.examples:
                    ex["row"] = survey.ledger.row_number(ex["row"])
            groups.append(g)
        segments[col] = groups
    notes = []
    if not survey.roles.nps and not survey.roles.sat:
        notes.append("no NPS or satisfaction item: themes are counted but not tied to scores")
    return VocResult(survey.path, cols, book.source, total, segments, notes, conf), tagged
