"""Voice of the customer: open comments tagged with codebook themes, tied to NPS and
satisfaction.

Per theme: mentions, the mention rate among detractors / passives / promoters, the NPS of
those who mention it, and its impact = NPS of all respondents - NPS of respondents who do
not mention it (likewise for overall satisfaction on 0-100), with a linearisation interval.
Negative impacts are voiced pain-points, positive ones voiced wow-points.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from csitool.notes import info, to_json
from csitool.stats.codebook import HANGUL, Codebook
from csitool.stats.common import z_crit
from csitool.stats.nps import DETRACTOR_MAX, PROMOTER_MIN
from csitool.stats.sentiment import SentimentModel
from csitool.survey.comments import (
    CommentCounts,
    RowsOf,
    comment_columns,
    from_survey,
)

if TYPE_CHECKING:
    import pandas as pd

    from csitool.survey.engine import SurveySummary
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
    # a problem put right ("문제가 한 번에 해결됐어요", "Issue resolved")
    "해결됐",
    "해결되었",
    "해결되어",
    "해결해주셨",
    "해결해주셔",
    "solved",
    "resolved",
    "fixed",
    "sorted",
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
    "crash",
    "hung up",
    "useless",
    "ignored",
    "unacceptable",
    # a problem not put right ("해결이 안 됐어요", "still isn't fixed"), a request to
    # put it right ("해결 좀 해 주세요"), an agent who did not know
    "해결이안",
    "해결안",
    "해결못",
    "해결되지않",
    "해결좀",
    "잘몰라",
    "잘모르",
    "isn't",
    "still not",
    "not fixed",
    "not solved",
    "not resolved",
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


def inner_words(texts: Sequence[str], tight: str) -> set[str]:
    """The words of ``texts`` inside which (not at whose start) a match of ``tight`` (a
    pattern on space-free text) begins: the only words whose morphemes can matter."""
    from bisect import bisect_right

    finder = re.compile(f"(?=(?:{tight}))")
    out: set[str] = set()
    for t in texts:
        words = t.split()
        ends = list(itertools.accumulate(len(w) for w in words))
        for m in finder.finditer("".join(words)):
            k = bisect_right(ends, m.start())
            if m.start() > (ends[k - 1] if k else 0):
                out.add(words[k])
    return out


def morpheme_marked(texts: Sequence[str], only: set[str] | None = None) -> list[str]:
    """Lowercased comments marked at word starts and at Kiwi's morpheme starts (of the
    words in ``only``, when given: see :func:`inner_words`)."""
    import pyarrow as pa

    from csitool.stats.morph import morpheme_starts

    words = sorted({w for t in texts for w in t.split()})
    fast = mark(pa.array(words, type=pa.string())).to_pylist()
    starts = morpheme_starts(w for w in words if HANGUL.search(w) and (only is None or w in only))
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


def _deciding_words(
    p: Prepared,
    hits: np.ndarray,
    rows: np.ndarray,
    texts: list[str],
    distinct: list[str],
    pats: list[Patterns],
    book: Codebook,
) -> set[str]:
    """The words whose morpheme starts can change a theme of the comments ``distinct``
    (lowercased; ``texts`` are the comments of ``rows``, whose first-pass themes are in
    ``hits``): for each theme a comment does not have yet but whose keyword letters it
    holds (in its space-free text), the words inside which one of the theme's keywords or
    ignore words begins. Only these are sent to Kiwi.

    A new mark only adds a match that begins at it: a keyword now found begins inside a
    word (its letters were there, or the first pass had found it), and an ignore word now
    taken out begins inside a word too. A theme the comment has keeps it, and a theme
    whose letters are not in the comment cannot match; so marking only these words gives
    every theme of every comment that marking all of them gives, without starting Kiwi
    when the compounds found are already matched as a whole (간편결제, 웹사이트).
    """
    import pyarrow as pa

    first = {t: int(r) for r, t in zip(rows.tolist(), texts, strict=True)}
    at = np.array([first[t] for t in distinct], dtype=np.int64)
    tight = p.tight.take(pa.array(at))
    have = hits[at]
    words: set[str] = set()
    for j, (theme, pat) in enumerate(zip(book.themes, pats, strict=True)):
        if not pat.tight:
            continue
        open_ = ~have[:, j] & _contains(tight, pat.tight)
        if not open_.any():
            continue
        starts = "|".join(x for x in (pat.tight, _alternation(theme.ignore).tight) if x)
        words |= inner_words([distinct[k] for k in np.flatnonzero(open_)], starts)
    return words


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
        tight = pats[j].tight
        if tight:
            unsure |= _contains(q.tight, tight) & ~hit
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
        only = _deciding_words(p, out, rows, texts, distinct, pats, book)
        again = pa.array(morpheme_marked(distinct, only), type=pa.string())
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


def lexicon_counts(p: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Positive and negative lexicon cues per comment (negative cues are removed before
    positive ones are counted, so "불친절" is not read as "친절")."""
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
    return pos, neg


def lexicon_sentiment(p: Prepared) -> np.ndarray:
    """+1 / 0 / -1 per comment from the lexicons alone: the fallback when the sentiment
    model is missing (a heuristic, not a model)."""
    pos, neg = lexicon_counts(p)
    return np.sign(pos - neg).astype(int)


LEXICON_WEIGHT = 2.0
"""Log-odds added per net lexicon cue (positive minus negative) to the model's score."""


def sentiment_probability(p: Prepared, model: SentimentModel) -> np.ndarray:
    """p(positive) per comment: the model's log-odds (each distinct comment scored once)
    plus :data:`LEXICON_WEIGHT` per net lexicon cue.

    Notes
    -----
    The model learnt from movie and laptop reviews; the lexicon holds the words of service
    complaints and praise ("불친절", "늦", "비싸", "rude", "on time"). Adding its cues as
    log-odds keeps the model's reading where the lexicon is silent and moves it where a
    customer-service cue is present.
    """
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(p.low)
    codes = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    logit = model.logit(enc.dictionary.to_pylist())[codes]
    pos, neg = lexicon_counts(p)
    return 1.0 / (1.0 + np.exp(-(logit + LEXICON_WEIGHT * (pos - neg))))


def sentiment(p: Prepared, model: SentimentModel | None = None) -> np.ndarray:
    """+1 / 0 / -1 per comment: from :func:`sentiment_probability` with the model's abstain
    margin, else from the lexicon alone (:func:`lexicon_sentiment`)."""
    if model is None:
        return lexicon_sentiment(p)
    return model.label(sentiment_probability(p, model))


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
    """mean(all) - mean(those not mentioning), with a linearisation interval (one row per
    entry: :func:`impact_counts` with counts of 1)."""
    w = np.asarray(weights, dtype=float)
    return impact_counts(values, mention, np.ones(len(w)), w, w * w, confidence)


def impact_counts(
    values: np.ndarray,
    mention: np.ndarray,
    n: np.ndarray,
    sw: np.ndarray,
    sw2: np.ndarray,
    confidence: float,
) -> tuple[float | None, float | None, float | None]:
    """:func:`impact` from groups of rows that share a value and a mention: ``n`` rows,
    ``sw`` and ``sw2`` their sums of weights and squared weights.

    Notes
    -----
    With W = sum w, W0 = sum over non-mentioners, m = mean(all), m0 = mean(non-mentioners):
    z_i = w_i (x_i - m) / W - (1 - d_i) w_i (x_i - m0) / W0, Var = n / (n - 1) sum z_i^2.
    Within a group x and d are constant, so z_i = w_i c with
    c = (x - m) / W - (1 - d) (x - m0) / W0, and the group adds c^2 sum w_i^2 to sum z_i^2.
    """
    ok = ~np.isnan(values)
    x, d, w, w2 = values[ok], mention[ok], sw[ok], sw2[ok]
    count = float(n[ok].sum())
    rest = ~d
    if count < 2 or not rest.any() or not d.any():
        return (None, None, None)
    total, total0 = float(w.sum()), float(w[rest].sum())
    m = float(w @ x) / total
    m0 = float(w[rest] @ x[rest]) / total0
    c = (x - m) / total - np.where(rest, (x - m0) / total0, 0.0)
    se = math.sqrt(count / (count - 1) * float(w2 @ (c * c)))
    est = m - m0
    half = z_crit(confidence) * se
    return (est, est - half, est + half)


@dataclass(frozen=True)
class ThemeResult:
    """One theme. Shares are percent; NPS in points; satisfaction on 0-100.

    ``share_detractors`` / ``share_passives`` / ``share_promoters``: the share of each NPS
    group's answered comments that mention the theme. ``mix_*``: the NPS mix of the
    respondents who mention it (detractors + passives + promoters = 100). ``negative`` /
    ``neutral`` / ``positive``: the sentiment mix of the comments that mention it (sum 100).
    All weighted.
    """

    name: str
    label: str
    mentions: int
    share: float | None
    share_detractors: float | None
    share_passives: float | None
    share_promoters: float | None
    mix_detractors: float | None
    mix_passives: float | None
    mix_promoters: float | None
    nps: float | None
    nps_impact: float | None
    nps_impact_ci_low: float | None
    nps_impact_ci_high: float | None
    sat: float | None
    sat_impact: float | None
    sat_impact_ci_low: float | None
    sat_impact_ci_high: float | None
    negative: float | None
    neutral: float | None
    positive: float | None
    examples: list[dict[str, Any]] = field(default_factory=list)
    voiced: str = ""


@dataclass(frozen=True)
class VocGroup:
    """One group of respondents (the total or a segment value).

    ``contradictions``: answered comments whose sentiment contradicts the respondent's NPS
    answer: ``promoters_negative`` (9-10 with a negative comment), ``detractors_positive``
    (0-6 with a positive comment), and for the total ``flagged`` (their sum), ``listed``
    and ``rows``, the first ``listed`` such comments by row (``{row, nps, sentiment,
    text}``; ``[voc] contradictions_listed``, all when 0). None without an NPS item or
    without sentiment.
    """

    value: str
    n_rows: int
    answered: int
    blank: int
    non_answer: int
    untagged: int
    sentiment: dict[str, int]
    themes: list[ThemeResult]
    untagged_examples: list[dict[str, Any]] = field(default_factory=list)
    contradictions: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """As ``dataclasses.asdict``, without its deep copy of every listed row (tens of
        thousands of contradictions on a large survey took seconds)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "themes":
                v = [asdict(t) for t in v]
            elif f.name == "contradictions" and v is not None:
                v = {k: [dict(r) for r in x] if k == "rows" else x for k, x in v.items()}
            elif isinstance(v, list):
                v = [dict(r) for r in v]
            elif isinstance(v, dict):
                v = dict(v)
            out[f.name] = v
        return out


# The columns of ``csitool voc --format csv`` and ``VocResult.to_frame()``.
TIDY_COLUMNS = ["file", "segment", "segment_value", "theme", "label", "mentions", "share",
                "share_detractors", "share_passives", "share_promoters", "mix_detractors",
                "mix_passives", "mix_promoters", "nps", "nps_impact", "nps_impact_ci_low",
                "nps_impact_ci_high", "sat", "sat_impact", "negative", "neutral", "positive",
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
    sentiment_method: str = "model"

    def to_dict(self) -> dict[str, Any]:
        total = self.total.to_dict()
        total.pop("value")
        return {
            "path": self.path,
            "text_columns": self.text_columns,
            "codebook": self.codebook,
            "sentiment_method": self.sentiment_method,
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
                row = {"file": self.path, "segment": seg,
                       "segment_value": g.value if seg else ""}  # fmt: skip
                row.update({k: getattr(t, k) for k in TIDY_COLUMNS[5:]})
                row.update(theme=t.name, label=t.label)
                out.append({k: row[k] for k in TIDY_COLUMNS})
        return out

    def to_frame(self) -> pd.DataFrame:
        """:meth:`tidy_rows` as a pandas DataFrame (None as missing)."""
        from csitool.stats.tidy import frame

        return frame(self.tidy_rows(), TIDY_COLUMNS)


NO_CONTRADICTION, PROMOTER_NEGATIVE, DETRACTOR_POSITIVE = 0, 1, 2


@dataclass(frozen=True)
class Tagged:
    """Every row's comment, whether it was answered, its themes and sentiment, and whether
    that sentiment contradicts the row's NPS answer (:data:`PROMOTER_NEGATIVE`,
    :data:`DETRACTOR_POSITIVE`, else :data:`NO_CONTRADICTION`)."""

    text: list[str | None]
    answered: np.ndarray
    blank: np.ndarray
    non_answer: np.ndarray
    themes: np.ndarray
    sentiment: np.ndarray
    contradiction: np.ndarray
    sentiment_method: str = "model"
    analysed: int | None = 0


def shorten(text: str, limit: int = 100) -> str:
    """The comment cut at ``limit`` characters with an ellipsis; never otherwise changed."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


CONTRADICTION_SURE = 0.9
"""A comment contradicts its score only when the model is this sure of its sentiment
(p(positive) at least this for a detractor, at most 1 - this for a promoter): on service
comments the model is right about two times in three, so a borderline reading is not flagged."""


def contradiction(nps: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """A promoter with a surely negative comment, a detractor with a surely positive one
    (``nps``: the NPS answers; ``probability``: p(positive), NaN where there is no comment)."""
    out = np.zeros(len(nps), dtype=np.int8)
    with np.errstate(invalid="ignore"):
        out[(nps >= PROMOTER_MIN) & (probability <= 1 - CONTRADICTION_SURE)] = PROMOTER_NEGATIVE
        out[(nps <= DETRACTOR_MAX) & (probability >= CONTRADICTION_SURE)] = DETRACTOR_POSITIVE
    return out


@dataclass(frozen=True)
class TextTags:
    """Per distinct comment: a non-answer?, its themes, sentiment (+1 / 0 / -1) and
    p(positive) (NaN without sentiment). One more entry at the end stands for the blank
    comment (index -1): no theme, neutral, NaN."""

    non_answer: np.ndarray
    themes: np.ndarray
    sentiment: np.ndarray
    probability: np.ndarray
    method: str
    analysed: int | None


def tag_texts(
    texts: Sequence[str], book: Codebook, model: SentimentModel | None = None
) -> TextTags:
    """Tag each distinct comment once: non-answers, themes, sentiment from ``model`` (else
    the lexicon; none when the codebook turns sentiment off)."""
    import pyarrow as pa

    k = len(texts)
    method = "off" if not book.sentiment else "model" if model is not None else "lexicon"
    na = np.zeros(k + 1, dtype=bool)
    themes = np.zeros((k + 1, len(book.themes)), dtype=bool)
    label = np.zeros(k + 1, dtype=int)
    probability = np.full(k + 1, np.nan)
    analysed: int | None = 0
    if k:
        p = prepare(pa.array(list(texts), type=pa.string()))
        na[:k] = non_answer(p)
        tags = tag_comments(p, book)
        themes[:k] = tags.themes
        analysed = tags.analysed
        if method == "model" and model is not None:
            probability[:k] = sentiment_probability(p, model)
            label[:k] = model.label(probability[:k])
        elif method == "lexicon":  # the lexicon alone gives a sign: count it as sure (p 0 or 1)
            label[:k] = lexicon_sentiment(p)
            probability[:k] = (label[:k] + 1) / 2.0
    return TextTags(na, themes, label, probability, method, analysed)


def _share(w: np.ndarray, part: np.ndarray, whole: np.ndarray) -> float | None:
    """Weighted percent of ``whole`` that is also in ``part``."""
    den = float(w[whole].sum())
    return 100 * float(w[part & whole].sum()) / den if den > 0 else None


@dataclass(frozen=True)
class _Cells:
    """Groups of kept rows (:class:`~csitool.survey.comments.CommentCounts`) with their
    comment's tags, in display order (first row, then comment text): ``n`` rows, weight sums
    ``w`` and ``w2``, the NPS group (-1 / 0 / 1, NaN unanswered) and score, satisfaction on
    0-100 (None without the item), and for each group its position in the counts (``at``)."""

    at: np.ndarray
    n: np.ndarray
    w: np.ndarray
    w2: np.ndarray
    first: np.ndarray
    code: np.ndarray
    answered: np.ndarray
    blank: np.ndarray
    non_answer: np.ndarray
    themes: np.ndarray
    sentiment: np.ndarray
    contradiction: np.ndarray
    nps_value: np.ndarray | None
    nps_group: np.ndarray | None
    nps_score: np.ndarray | None
    sat: np.ndarray | None

    def take(self, mask: np.ndarray) -> _Cells:
        parts: dict[str, Any] = {k: None if v is None else v[mask] for k, v in vars(self).items()}
        return _Cells(**parts)


def _cells(counts: CommentCounts, tt: TextTags) -> _Cells:
    """Each group's tags, the groups sorted by first row (then comment text)."""
    code = counts.code
    # rank of each comment in text order; the blank comment (index -1) is the last entry
    every = np.array([*counts.texts, ""], dtype=object)
    text_rank = np.empty(len(every), dtype=np.int64)
    text_rank[np.argsort(every, kind="stable")] = np.arange(len(every))
    order = np.lexsort((text_rank[code], counts.first))
    code = code[order]
    blank = code < 0
    na = tt.non_answer[code] & ~blank
    answered = ~blank & ~na
    group = score = nps = None
    contra = np.zeros(len(code), dtype=np.int8)
    if counts.nps is not None:
        nps = counts.nps[order]
        group = np.where(nps >= PROMOTER_MIN, 1.0, np.where(nps <= DETRACTOR_MAX, -1.0, 0.0))
        group = np.where(np.isnan(nps), np.nan, group)
        score = 100.0 * group
        if tt.method != "off":
            contra = contradiction(nps, np.where(answered, tt.probability[code], np.nan))
    return _Cells(
        at=order, n=counts.n[order], w=counts.sw[order], w2=counts.sw2[order],
        first=counts.first[order], code=code, answered=answered, blank=blank, non_answer=na,
        themes=tt.themes[code] & answered[:, None],
        sentiment=np.where(answered, tt.sentiment[code], 0), contradiction=contra,
        nps_value=nps, nps_group=group, nps_score=score,
        sat=None if counts.sat is None else counts.sat[order],
    )  # fmt: skip


@dataclass(frozen=True)
class _Texts:
    """The distinct comments, and the key under which two count as one example
    (whitespace and case normalised)."""

    texts: list[str]

    def text(self, code: int) -> str:
        return self.texts[code] if code >= 0 else ""

    def key(self, code: int) -> str:
        return " ".join(self.text(code).split()).casefold()


def _theme(
    th: Any, m: np.ndarray, c: _Cells, texts: _Texts, method: str, conf: float
) -> ThemeResult:
    """One theme's figures for the groups ``m`` (whose comment mentions it)."""
    w = c.w
    shares: list[float | None] = [None, None, None]
    mix: list[float | None] = [None, None, None]
    nps_t = imp = None
    imp_ci: tuple[float | None, float | None] = (None, None)
    if c.nps_group is not None and c.nps_score is not None:
        has = ~np.isnan(c.nps_group)
        groups = [has & (c.nps_group == g) for g in (-1.0, 0.0, 1.0)]
        shares = [_share(w, m, c.answered & g) for g in groups]
        mix = [_share(w, g, m & has) for g in groups]
        sel = has & m
        if sel.any():
            nps_t = float(w[sel] @ c.nps_score[sel]) / float(w[sel].sum())
        est, lo, hi = impact_counts(c.nps_score, m, c.n, w, c.w2, conf)
        imp, imp_ci = est, (lo, hi)
    sat_t = sat_imp = None
    sat_ci: tuple[float | None, float | None] = (None, None)
    if c.sat is not None:
        sel = m & ~np.isnan(c.sat)
        if sel.any():
            sat_t = float(w[sel] @ c.sat[sel]) / float(w[sel].sum())
        est, lo, hi = impact_counts(c.sat, m, c.n, w, c.w2, conf)
        sat_imp, sat_ci = est, (lo, hi)
    senti: list[float | None] = [None, None, None]
    if m.any() and method != "off":
        senti = [_share(w, c.sentiment == k, m) for k in (-1, 0, 1)]
    lead = imp if imp is not None else sat_imp
    ci = imp_ci if imp is not None else sat_ci
    voiced = ""
    if ci[1] is not None and ci[1] < 0:
        voiced = "pain-point"
    elif ci[0] is not None and ci[0] > 0:
        voiced = "wow-point"
    return ThemeResult(
        name=th.name, label=th.label, mentions=int(c.n[m].sum()),
        share=_share(w, m, c.answered), share_detractors=shares[0], share_passives=shares[1],
        share_promoters=shares[2], mix_detractors=mix[0], mix_passives=mix[1],
        mix_promoters=mix[2], nps=nps_t, nps_impact=imp, nps_impact_ci_low=imp_ci[0],
        nps_impact_ci_high=imp_ci[1], sat=sat_t, sat_impact=sat_imp,
        sat_impact_ci_low=sat_ci[0], sat_impact_ci_high=sat_ci[1], negative=senti[0],
        neutral=senti[1], positive=senti[2],
        examples=_examples(c, texts, m, lead), voiced=voiced,
    )  # fmt: skip


def _row(first: int) -> int | None:
    return int(first) if first >= 0 else None


def _group(
    c: _Cells, texts: _Texts, value: str, book: Codebook, method: str, confidence: float,
    listing: RowsOf | None = None, listed: int = 0,
) -> VocGroup:  # fmt: skip
    """One group's figures; ``listing`` (for the total) lists the contradictions' rows, the
    first ``listed`` by row (0: all)."""
    themes = [
        _theme(th, c.themes[:, j], c, texts, method, confidence) for j, th in enumerate(book.themes)
    ]
    themes.sort(key=_rank)
    untagged = c.answered & ~c.themes.any(axis=1)
    return VocGroup(
        value=value,
        n_rows=int(c.n.sum()),
        answered=int(c.n[c.answered].sum()),
        blank=int(c.n[c.blank].sum()),
        non_answer=int(c.n[c.non_answer].sum()),
        untagged=int(c.n[untagged].sum()),
        sentiment={
            "positive": int(c.n[c.answered & (c.sentiment > 0)].sum()),
            "neutral": int(c.n[c.answered & (c.sentiment == 0)].sum()),
            "negative": int(c.n[c.answered & (c.sentiment < 0)].sum()),
        },
        themes=themes,
        untagged_examples=[
            {"row": _row(c.first[i]), "text": shorten(texts.text(c.code[i]))}
            for i in _distinct(c, texts, np.flatnonzero(untagged), 10)
        ],
        contradictions=_contradictions(c, texts, method, listing, listed),
    )


def _contradictions(
    c: _Cells, texts: _Texts, method: str, listing: RowsOf | None, listed: int = 0
) -> dict[str, Any] | None:
    if c.nps_value is None or method == "off":
        return None
    flag = c.contradiction
    out: dict[str, Any] = {
        "promoters_negative": int(c.n[flag == PROMOTER_NEGATIVE].sum()),
        "detractors_positive": int(c.n[flag == DETRACTOR_POSITIVE].sum()),
    }
    if listing is not None:
        nps = c.nps_value
        rows, where = listing(flag != NO_CONTRADICTION, listed)
        out["flagged"] = out["promoters_negative"] + out["detractors_positive"]
        out["listed"] = len(rows)
        out["rows"] = [
            {
                "row": _row(r),
                "nps": float(nps[k]),
                "sentiment": "negative" if flag[k] == PROMOTER_NEGATIVE else "positive",
                "text": shorten(texts.text(c.code[k])),
            }
            for r, k in zip(rows.tolist(), where.tolist(), strict=True)
        ]
    return out


def _rank(t: ThemeResult) -> float:
    """Most damaging first: by NPS impact, else satisfaction impact; unknown impacts last."""
    lead = t.nps_impact if t.nps_impact is not None else t.sat_impact
    return math.inf if lead is None else lead


def _distinct(c: _Cells, texts: _Texts, idx: np.ndarray, k: int) -> list[int]:
    """The first ``k`` groups of ``idx`` whose comments differ once whitespace and case are
    normalised (the same complaint pasted twice is shown once). Groups are in row order, so
    these are the comments of the first rows."""
    seen: set[str] = set()
    out: list[int] = []
    for i in idx.tolist():
        key = texts.key(int(c.code[i]))
        if key not in seen:
            seen.add(key)
            out.append(i)
            if len(out) == k:
                break
    return out


def _examples(c: _Cells, texts: _Texts, m: np.ndarray, lead: float | None) -> list[dict[str, Any]]:
    """Three distinct comments: from detractors for a negative theme, promoters for a
    positive one."""
    idx = np.flatnonzero(m)
    if c.nps_group is not None and lead is not None:
        pref = (c.nps_group[idx] == -1.0) if lead < 0 else (c.nps_group[idx] == 1.0)
        idx = np.concatenate([idx[pref], idx[~pref]])
    return [
        {"row": _row(c.first[i]), "text": shorten(texts.text(c.code[i]))}
        for i in _distinct(c, texts, idx, 3)
    ]


def _merged(c: _Cells) -> tuple[_Cells, np.ndarray]:
    """Groups that differ only by segment values merged into one (the figures of a group
    depend on its comment, NPS and satisfaction answers alone): fewer entries for the total
    of a ``--by`` run. Returns the merged groups, still in display order (a merged group's
    first row is its first member's), and the merged index of each group of ``c``."""
    import pandas as pd

    keys = {"code": c.code}
    if c.nps_value is not None:
        keys["nps"] = c.nps_value
    if c.sat is not None:
        keys["sat"] = c.sat
    ids = pd.DataFrame(keys).groupby(list(keys), sort=False, dropna=False).ngroup().to_numpy()
    k = int(ids.max()) + 1 if len(ids) else 0
    if k == len(ids):
        return c, np.arange(len(ids))
    lead = np.full(k, len(ids), dtype=np.int64)
    np.minimum.at(lead, ids, np.arange(len(ids)))
    one = c.take(lead)
    parts: dict[str, Any] = dict(vars(one))
    parts["n"] = np.bincount(ids, weights=c.n, minlength=k).astype(np.int64)
    parts["w"] = np.bincount(ids, weights=c.w, minlength=k)
    parts["w2"] = np.bincount(ids, weights=c.w2, minlength=k)
    return _Cells(**parts), ids


def _listing(counts: CommentCounts, c: _Cells, ids: np.ndarray) -> RowsOf:
    """:attr:`CommentCounts.rows_of` for masks over merged groups (``ids``: the merged
    index of each sorted group, see :func:`_merged`)."""
    back = np.empty(len(c.at), dtype=np.int64)
    back[c.at] = np.arange(len(c.at))

    def rows_of(mask: np.ndarray, limit: int = 0) -> tuple[np.ndarray, np.ndarray]:
        original = np.zeros(len(c.at), dtype=bool)
        original[c.at[mask[ids]]] = True
        rows, where = counts.rows_of(original, limit)
        return rows, ids[back[where]]

    return rows_of


def _tagged(survey: Survey, counts: CommentCounts, tt: TextTags) -> Tagged:
    """The per-row view of the tags (for ``--export-tagged``): every row, kept or not."""
    if counts.row_code is None:
        raise ValueError("per-row tags need a survey read into memory")
    code = counts.row_code
    blank = code < 0
    na = tt.non_answer[code] & ~blank
    answered = ~blank & ~na
    contra = np.zeros(len(code), dtype=np.int8)
    if survey.roles.nps and tt.method != "off":
        sure = np.where(answered, tt.probability[code], np.nan)
        contra = contradiction(survey.values[survey.roles.nps], sure)
    text = [counts.texts[k] if k >= 0 else None for k in code.tolist()]
    return Tagged(text, answered, blank, na, tt.themes[code] & answered[:, None],
                  np.where(answered, tt.sentiment[code], 0), contra, tt.method,
                  tt.analysed)  # fmt: skip


def tag_survey(
    survey: Survey, columns: Sequence[str], book: Codebook, model: SentimentModel | None = None
) -> Tagged:
    """Tag the text of ``columns`` (joined per row) for every row of the survey; sentiment
    from ``model``, else the lexicon."""
    counts = from_survey(survey, columns)
    return _tagged(survey, counts, tag_texts(counts.texts, book, model))


def voc(
    survey: Survey | SurveySummary,
    book: Codebook,
    columns: Sequence[str] | None = None,
    by: Sequence[str] = (),
    *,
    confidence: float | None = None,
    model: SentimentModel | None = None,
    counts: CommentCounts | None = None,
    per_row: bool = True,
    listed: int | None = None,
) -> tuple[VocResult, Tagged | None]:
    """Tag the comments and tie the themes to NPS and satisfaction, overall and per ``by``.

    Sentiment comes from ``model`` (:class:`~csitool.stats.sentiment.SentimentModel`, as
    ``csitool.batch.load_sentiment_model`` reads it), else from the lexicon. A survey in
    memory is grouped here; a :class:`~csitool.survey.engine.SurveySummary` comes with the
    ``counts`` its engine made (:func:`csitool.survey.engine.open_comments`). Either way
    every distinct comment is tagged once and the figures are finished from the groups.
    The per-row tags (``Tagged``, for ``--export-tagged``) come with a survey in memory when
    ``per_row``, else None. ``listed``: how many contradictions the total lists, the first
    by row (0: all; default ``[voc] contradictions_listed``); the counts are always exact.
    """
    from csitool.survey.model import Survey

    names = (
        [str(x) for x in survey.raw.frame.columns] if isinstance(survey, Survey) else survey.columns
    )
    cols = comment_columns(survey.path, survey.roles, names, columns)
    conf = survey.settings.confidence if confidence is None else confidence
    if listed is None:
        listed = survey.settings.contradictions_listed
    if counts is None:
        if not isinstance(survey, Survey):
            raise ValueError("a survey counted by an engine comes with its comment counts")
        counts = from_survey(survey, cols, by)
    tt = tag_texts(counts.texts, book, model)
    c = _cells(counts, tt)
    texts = _Texts(counts.texts)
    method = tt.method
    merged, ids = _merged(c)
    listing = _listing(counts, c, ids)
    total = _group(merged, texts, "Total", book, method, conf, listing=listing, listed=listed)
    segments: dict[str, list[VocGroup]] = {}
    for col in by:
        values, labels = counts.segments[col]
        sorted_labels = labels[c.at]
        segments[col] = [
            _group(_merged(c.take(sorted_labels == v))[0], texts, v, book, method, conf)
            for v in values
        ]
    notes: list[str] = []
    if not survey.roles.nps and not survey.roles.sat:
        notes.append(
            info(
                "voc_no_scores",
                "no NPS or satisfaction item: themes are counted but not tied to scores",
            )
        )
    if method == "lexicon":
        notes.append(
            info(
                "voc_lexicon",
                "sentiment from the keyword lexicon (the sentiment model was not found)",
            )
        )
    if tt.analysed is None:
        notes.append(
            info(
                "voc_no_kiwi",
                "kiwipiepy is not installed: Korean keywords matched at word starts only "
                "(compounds such as 통화대기 are missed); pip install kiwipiepy",
            )
        )
    result = VocResult(survey.path, cols, book.source, total, segments, notes, conf, method)
    tagged = _tagged(survey, counts, tt) if isinstance(survey, Survey) and per_row else None
    return result, tagged
