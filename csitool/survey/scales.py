"""Which scale an item is on, which way it runs, and which codes mean "not applicable",
decided from evidence, with a confidence.

Evidence, strongest first:

1. ``csitool.toml`` (``[scales]``): decides.
2. Value labels (SPSS): the lowest and highest labelled rating codes are the scale's ends;
   labels that say "don't know" / "n/a" mark those codes as not applicable; the labels'
   wording at the two ends gives the direction.
3. Text answers mapped through the label tables: 1-5.
4. The question wording: "(0-10)", "1 to 7", "5점 척도", "7점 만점", and end labels such
   as "1 = 매우 만족 ... 5 = 매우 불만족" (direction).
5. The answers, pooled over the item's battery (items sharing a name stem, a question stem
   or a label set get one scale): the smallest candidate scale that holds at least 98% of
   the answers, where the answers outside it are strays (not the next point up or down).

A 0 below a 1-k scale (k <= 7) is "not applicable", not a scale point, when labels say so,
when it is unlabelled below labelled codes 1..k, when other items of the battery have no
0 at all, when zeros are rare (<= 5% of answers) or when they pile up apart from the scale
(more zeros than 1s and 2s). Everything not confirmed by labels, wording or the config is
a warning note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from csitool.errors import quote
from csitool.notes import Note, Phrase, info, phrase, warning
from csitool.survey.labels import BUILTIN_LABELS, DONT_KNOW, normalize_label

#: The NPS question: 0-10, promoters from PROMOTER_MIN up, detractors up to DETRACTOR_MAX,
#: passives between. Defined here, the lowest layer that needs them (the check of a platform's
#: NPS group column); stats imports them.
NPS_SCALE = (0.0, 10.0)
PROMOTER_MIN = 9
DETRACTOR_MAX = 6

#: Candidate scales, tried from the narrowest.
CANDIDATES: tuple[tuple[float, float], ...] = (
    (1.0, 3.0),
    (1.0, 4.0),
    (0.0, 4.0),
    (1.0, 5.0),
    (0.0, 5.0),
    (1.0, 6.0),
    (1.0, 7.0),
    (1.0, 10.0),
    (0.0, 10.0),
    (1.0, 100.0),
    (0.0, 100.0),
)
SCALE_COVERAGE = 0.98
RARE_ZERO_SHARE = 0.05
#: Short scales read from answers alone: below STRONG_N answers (pooled over the battery)
#: a 1-5 item that nobody rated 5 cannot be told from a 4-point item, so it is a warning.
SHORT_SCALES = {(1.0, 3.0), (1.0, 4.0), (0.0, 4.0)}
STRONG_N = 100

_POSITIVE = re.compile(
    r"satisf|excellent|good|agree|likely|delight|happy|best|great|만족|좋|그렇다|추천|훌륭|우수"
)
_NEGATIVE = re.compile(
    r"dissatisf|unsatisf|not\s*satisf|poor|bad|disagree|unlikely|worst|terrible|unhappy"
    r"|불만|나쁘|나쁨|그렇지\s*않|않다|전혀|비추천|최악|미흡"
)
# "(0-10)", "0~10", "1 to 5", "scale of 1-7", "1점~5점"
_RANGE = re.compile(
    r"(?<![\d.])(0|1)\s*(?:점)?\s*(?:-|–|~|to|부터|에서)\s*(3|4|5|6|7|10|11|100)\s*(?:점)?(?![\d.])"
)
# "5점 척도", "7점 만점", "10-point", "5 point scale"
_POINTS = re.compile(r"(?<![\d.])(3|4|5|6|7|10|100)\s*(?:점\s*(?:척도|만점)|-?\s*point)")
# "1 = 매우 만족", "5: very dissatisfied"
_END_LABEL = re.compile(r"(?<![\d.])(\d{1,3})\s*[=:]\s*([^,;/()=:]{2,40})")


@dataclass(frozen=True)
class Evidence:
    """What is known about one item before its scale is chosen."""

    column: str
    values: np.ndarray  # answers that are numbers (NaN elsewhere), before recoding
    tally: Mapping[float, int] | None = None  # answers per value, when already counted
    wording: str = ""
    value_labels: Mapping[float, str] = field(default_factory=dict)
    from_text_labels: bool = False  # answered with text labels (mapped to 1-5)
    battery: str | None = None


@dataclass(frozen=True)
class Decision:
    """The scale of one item and why."""

    min: float
    max: float
    source: str  # config | labels | wording | answers | battery | nps
    reversed: bool = False
    na_codes: tuple[float, ...] = ()
    confidence: str = "high"  # high | medium | low
    evidence: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()


def polarity(label: str) -> int:
    """+1 for a positive end label ("very satisfied", "매우 만족"), -1 negative, 0 unknown."""
    key = normalize_label(label)
    found = BUILTIN_LABELS.get(key)
    if isinstance(found, float):
        return 1 if found >= 4 else -1 if found <= 2 else 0
    text = str(label).casefold()
    if _NEGATIVE.search(text):
        return -1
    if _POSITIVE.search(text):
        return 1
    return 0


def is_na_label(label: str) -> bool:
    """True for value labels meaning don't know / not applicable / refused."""
    key = normalize_label(label)
    if BUILTIN_LABELS.get(key) == DONT_KNOW:
        return True
    return bool(
        re.search(
            r"don'?t\s*know|not\s*applicable|n/?a\b|refus|no\s*answer|missing|not\s*asked"
            r"|모름|해당\s*없|무응답|거절|비해당",
            str(label).casefold(),
        )
    )


def counts(values: np.ndarray) -> dict[float, int]:
    """Answers per distinct value (NaN ignored). Whole numbers from -1 to 101 are counted
    with one bincount (in increasing order); anything else (rare: strays, decimals) with
    np.unique, after them."""
    if values.dtype.kind in "iu":
        if not len(values):
            return {}
        if int(values.max()) <= 1000:
            try:  # non-negative codes are their own bin numbers: no pass for the least
                c = np.bincount(values)
            except ValueError:  # a negative number
                c = None
            if c is not None:
                return {float(i): int(c[i]) for i in np.flatnonzero(c).tolist()}
        lo, hi = int(values.min()), int(values.max())
        if hi - lo <= 1000:
            c = np.bincount(values - lo)
            return {float(lo + i): int(n) for i in np.flatnonzero(c).tolist() for n in [c[i]]}
        values = values.astype(float)
    found = _whole_counts(values)
    if found is not None:
        return found
    with np.errstate(invalid="ignore"):
        inside = (values >= -1) & (values <= 101)
    iv = values[inside]
    ii = iv.astype(np.int64)
    whole = ii == iv
    c = np.bincount((ii[whole] if not whole.all() else ii) + 1, minlength=1)
    out = {float(i - 1): int(c[i]) for i in np.flatnonzero(c).tolist()}
    n_valid = int(np.count_nonzero(values == values))
    if n_valid != int(whole.sum()):
        rest = np.concatenate([iv[~whole], values[~inside & (values == values)]])
        r_val, r_n = np.unique(rest, return_counts=True)
        for v, n in zip(r_val.tolist(), r_n.tolist(), strict=True):
            out[float(v)] = out.get(float(v), 0) + int(n)
    return out


def _whole_counts(values: np.ndarray) -> dict[float, int] | None:
    """:func:`counts` of float answers that are all whole numbers from -1 to 101 (NaN
    aside), or None for any other column. Bin 0 takes the NaN (``fmax`` puts them at the
    floor ``lo - 1``), bin k the value ``lo - 1 + k``: one integer array, no copy of the
    answers without their blanks."""
    if not len(values):
        return None
    with np.errstate(invalid="ignore"):
        lo, hi = float(np.fmin.reduce(values)), float(np.fmax.reduce(values))
    if not (-1 <= lo <= hi <= 101 and lo.is_integer()):  # False for NaN (no answer)
        return None
    floor = lo - 1.0
    shifted = np.fmax(values, floor)
    shifted -= floor
    idx = shifted.astype(np.intp)
    if not bool((idx == shifted).all()):  # a decimal answer
        return None
    c = np.bincount(idx)
    return {floor + k: int(c[k]) for k in (np.flatnonzero(c[1:]) + 1).tolist()}


def from_wording(text: str) -> tuple[float, float] | None:
    """A scale stated in the question text, e.g. "(0-10)" or "5점 척도"."""
    if not text:
        return None
    m = _RANGE.search(text)
    if m:
        lo, hi = float(m.group(1)), float(m.group(2))
        return lo, hi
    m = _POINTS.search(text)
    if m:
        return 1.0, float(m.group(1))
    return None


def direction_from_wording(text: str) -> int:
    """-1 when the wording labels the lowest code best ("1 = very satisfied ... 5 = very
    dissatisfied"), +1 when it labels it worst, 0 when it does not say."""
    ends = [(float(m.group(1)), m.group(2)) for m in _END_LABEL.finditer(text or "")]
    if len(ends) < 2:
        return 0
    ends.sort()
    lo, hi = polarity(ends[0][1]), polarity(ends[-1][1])
    if lo > 0 > hi:
        return -1
    if lo < 0 < hi:
        return 1
    return 0


def _label_scale(
    labels: Mapping[float, str],
) -> tuple[tuple[float, float] | None, tuple[float, ...], int]:
    """From value labels: (rating range, n/a codes, direction: -1 reversed, +1, 0 unknown)."""
    na = tuple(sorted(c for c, lab in labels.items() if is_na_label(lab)))
    rating = {c: lab for c, lab in labels.items() if c not in na and c >= 0}
    if len(rating) < 2:
        return None, na, 0
    lo, hi = min(rating), max(rating)
    # a "don't know" coded just above the scale (8 on 1-7, 99) is caught by its label above
    p_lo, p_hi = polarity(rating[lo]), polarity(rating[hi])
    direction = -1 if p_lo > 0 > p_hi else 1 if p_lo < 0 < p_hi else 0
    return (lo, hi), na, direction


def _fits(c: Mapping[float, int], lo: float, hi: float) -> bool:
    """At least 98% of answers inside [lo, hi], and no answer on the next point beyond."""
    total = sum(c.values())
    if not total:
        return True
    inside = sum(n for v, n in c.items() if lo <= v <= hi and v == int(v))
    if inside / total < SCALE_COVERAGE:
        return False
    return c.get(hi + 1, 0) == 0 and c.get(lo - 1, 0) == 0


def from_answers(c: Mapping[float, int]) -> tuple[float, float, bool]:
    """The narrowest candidate scale that fits the answers: (min, max, fitted)."""
    for lo, hi in CANDIDATES:
        if _fits(c, lo, hi):
            return lo, hi, True
    total = sum(c.values()) or 1
    best = max(CANDIDATES, key=lambda s: sum(n for v, n in c.items() if s[0] <= v <= s[1]) / total)
    return best[0], best[1], False


def zeros_are_na(
    c: Mapping[float, int], battery_has_zero_free_item: bool, file_has_zero_free_item: bool = False
) -> Phrase | None:
    """Why 0 answers of a 1-k item (k <= 7) mean "not applicable", or None if 0 is a point."""
    zeros = c.get(0.0, 0)
    if not zeros:
        return None
    positive = {v: n for v, n in c.items() if v > 0}
    if not positive or max(positive) > 7 or min(c) < 0:
        return None
    total = sum(c.values())
    if battery_has_zero_free_item:
        return phrase("zero_why", "other items of its battery have no 0 answers", form="battery")
    if file_has_zero_free_item:
        return phrase(
            "zero_why", "other 1-k rating items of the file have no 0 answers", form="file"
        )
    if zeros / total <= RARE_ZERO_SHARE:
        return phrase(
            "zero_why",
            f"0 is rare ({zeros} of {total} answers)",
            form="rare",
            zeros=zeros,
            total=total,
        )
    if zeros > c.get(1.0, 0) + c.get(2.0, 0):
        return phrase(
            "zero_why",
            f"0 answers ({zeros}) outnumber 1s and 2s: they stand apart from the scale",
            form="apart",
            zeros=zeros,
        )
    return None


def battery_key(column: str, wording: str, labels: Mapping[float, str]) -> str | None:
    """Items that belong together: a shared SPSS label set, question stem or name stem."""
    if labels and len(labels) >= 2:
        return "labels:" + "|".join(f"{k:g}={v}" for k, v in sorted(labels.items()))
    if " - " in wording:
        return "stem:" + wording.split(" - ", 1)[0].strip().casefold()
    name = column.strip()
    m = re.match(r"^(.+?)[_.\- ]\d+[a-z]?$", name)  # Q5_1, 만족도_2, SAT-3
    if m:
        return "name:" + m.group(1).casefold()
    m = re.match(r"^([A-Za-z]{1,6})\d+(?:[a-z]?)(?:\b|[._)\s]|$)", name)  # q6, A1. 친절
    if m:
        return "name:" + m.group(1).casefold()
    m = re.match(r"^([A-Za-z]{1,4}_)[A-Za-z]", name)  # o_booking
    if m:
        return "name:" + m.group(1).casefold()
    m = re.match(r"^(\w{2,})[ _]+\w", name)  # 장비 설치 / 장비 품질, Staff friendliness
    if m:
        return "word:" + m.group(1).casefold()
    return None


def decide(
    items: Sequence[Evidence],
    *,
    config: Mapping[str, tuple[float, float]] | None = None,
    default: tuple[float, float] | None = None,
    reverse: Sequence[str] = (),
    na_codes: Sequence[float] = (),
) -> dict[str, Decision]:
    """The scale of every item, deciding batteries together."""
    config = config or {}
    out: dict[str, Decision] = {}
    own_counts = {
        e.column: dict(e.tally) if e.tally is not None else counts(e.values) for e in items
    }
    batteries: dict[str, list[Evidence]] = {}
    for e in items:
        if e.battery:
            batteries.setdefault(e.battery, []).append(e)

    # a 1-k item (k <= 7) with enough answers and no 0: evidence that 0 is not a scale point
    zero_free = any(
        sum(c.values()) >= 20 and not c.get(0.0) and c and min(c) >= 1 and max(c) <= 7
        for c in own_counts.values()
    )
    for e in items:
        out[e.column] = _decide_one(
            e, own_counts, batteries.get(e.battery or "", [e]), config, default, na_codes,
            zero_free,
        )  # fmt: skip
    for col in reverse:
        if col in out and not out[col].reversed:
            d = out[col]
            out[col] = Decision(
                d.min,
                d.max,
                d.source,
                True,
                d.na_codes,
                d.confidence,
                (
                    *d.evidence,
                    phrase("evidence", "reversed by [scales] reverse", form="reverse_config"),
                ),
                (
                    *d.notes,
                    info(
                        "reversed",
                        f"{quote(col)}: reversed by [scales] reverse "
                        "(recoded so that higher is better)",
                        col,
                        form="config",
                    ),
                ),
            )
    return out


def merged_notes(decisions: Mapping[str, Decision]) -> list[Note]:
    """The decisions' notes, one per (code, level, message) naming every column it concerns,
    so a battery of 40 items gives one line, not 40."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    params: dict[tuple[str, str, str], dict[str, Any]] = {}
    for col, d in decisions.items():
        for note in d.notes:
            prefix = f"{quote(col)}: "
            rest = note.message[len(prefix) :] if note.message.startswith(prefix) else note.message
            groups.setdefault((note.code, note.level, rest), []).append(col)
            params.setdefault((note.code, note.level, rest), note.params)
    out = []
    for (code, level, rest), cols in groups.items():
        shown = ", ".join(repr(c) for c in cols[:4])
        if len(cols) > 4:
            shown += f" and {len(cols) - 4} more ({len(cols)} items)"
        column = cols[0] if len(cols) == 1 else None
        said = params[(code, level, rest)] | {"columns": cols}
        out.append(Note(code, f"{shown}: {rest}", level=level, column=column, params=said))
    return out


def _decide_one(
    e: Evidence,
    own_counts: Mapping[str, Mapping[float, int]],
    battery: Sequence[Evidence],
    config: Mapping[str, tuple[float, float]],
    default: tuple[float, float] | None,
    forced_na: Sequence[float],
    file_zero_free: bool = False,
) -> Decision:
    col = e.column
    c = dict(own_counts[col])
    na: set[float] = {v for v in forced_na if v in c}
    evidence: list[Phrase] = []
    notes: list[Note] = []
    direction = 0

    # 2. value labels
    label_range, label_na, label_dir = _label_scale(e.value_labels)
    na.update(label_na)
    if label_range is not None:
        evidence.append(
            phrase(
                "evidence",
                f"value labels {label_range[0]:g}-{label_range[1]:g}",
                form="value_labels",
                lo=label_range[0],
                hi=label_range[1],
            )
        )
        direction = label_dir
        if direction:
            lab_lo = e.value_labels[label_range[0]]
            lab_hi = e.value_labels[label_range[1]]
            evidence.append(
                phrase(
                    "evidence",
                    f"labels {label_range[0]:g} = {quote(lab_lo)}, "
                    f"{label_range[1]:g} = {quote(lab_hi)}",
                    form="end_labels",
                    lo=label_range[0],
                    hi=label_range[1],
                    lo_label=lab_lo,
                    hi_label=lab_hi,
                )
            )
        if label_range[0] >= 1 and c.get(0.0) and 0.0 not in e.value_labels:
            na.add(0.0)
            evidence.append(
                phrase(
                    "evidence",
                    f"{c[0.0]} unlabelled answers of 0 = not applicable",
                    form="unlabelled_zero",
                    n=c[0.0],
                )
            )
            notes.append(
                warning(
                    "zero_as_na",
                    f"{quote(col)}: answers coded 0, below the labelled "
                    f"scale {label_range[0]:g}-{label_range[1]:g}, left out as not applicable",
                    col,
                    form="unlabelled",
                    lo=label_range[0],
                    hi=label_range[1],
                )
            )
    worded = from_wording(e.wording)
    word_dir = direction_from_wording(e.wording)
    if word_dir:
        evidence.append(phrase("evidence", "question wording names the ends", form="wording_ends"))
        if direction and word_dir != direction:
            notes.append(
                warning(
                    "reversed_conflict",
                    f"{quote(col)}: its value labels and its question "
                    "wording disagree about which end is best; the labels are used",
                    col,
                )
            )
        direction = direction or word_dir

    # 1. config
    if col in config or (default is not None and not e.from_text_labels and label_range is None):
        lo, hi = config.get(col) or default  # type: ignore[misc]
        evidence.append(phrase("evidence", "csitool.toml", form="config"))
        return _done(col, lo, hi, "config", direction, na, "high", evidence, notes)
    if label_range is not None:
        lo, hi = label_range
        if c.get(0.0) and 0.0 in label_na and lo >= 1:
            notes.append(
                info(
                    "zero_as_na",
                    f"{quote(col)}: answers of 0 left out as not applicable (so labelled)",
                    col,
                    form="labelled",
                )
            )
        return _done(col, lo, hi, "labels", direction, na, "high", evidence, notes)
    if e.from_text_labels:
        evidence.append(phrase("evidence", "text answers mapped to 1-5", form="text_labels"))
        return _done(col, 1.0, 5.0, "labels", direction, na, "high", evidence, notes)
    if worded is not None:
        lo, hi = worded
        evidence.append(
            phrase(
                "evidence",
                f"question wording says {lo:g}-{hi:g}",
                form="wording_range",
                lo=lo,
                hi=hi,
            )
        )
        if lo == 1 and c.get(0.0) and hi <= 7:
            na.add(0.0)
            notes.append(
                warning(
                    "zero_as_na",
                    f"{quote(col)}: answers of 0 on a {lo:g}-{hi:g} scale left out as "
                    "not applicable",
                    col,
                    form="wording",
                    lo=lo,
                    hi=hi,
                )
            )
        used = [v for v in c if v not in na and lo <= v <= hi]
        if used and max(used) < hi:
            notes.append(
                info(
                    "scale_top_unused",
                    f"{quote(col)}: the question says {lo:g}-{hi:g}, but no answer reaches {hi:g}",
                    col,
                    form="wording",
                    lo=lo,
                    hi=hi,
                )
            )
        return _done(col, lo, hi, "wording", direction, na, "high", evidence, notes)

    # 5. answers, pooled over the battery
    members = [b for b in battery if b.column in own_counts] or [e]
    pooled: dict[float, int] = {}
    for b in members:
        for v, n in own_counts[b.column].items():
            pooled[v] = pooled.get(v, 0) + n
    zero_free = any(
        sum(own_counts[b.column].values()) >= 20 and not own_counts[b.column].get(0.0)
        for b in members
    )
    why_na = zeros_are_na(pooled, zero_free, file_zero_free)
    if why_na:
        pooled.pop(0.0, None)
    if why_na and c.get(0.0) and 0.0 not in na:  # (na = [0] in the config says it already)
        na.add(0.0)
        evidence.append(
            phrase("evidence", f"{c[0.0]} answers of 0 = not applicable", form="zero_na", n=c[0.0])
        )
        notes.append(
            warning(
                "zero_as_na",
                f"{quote(col)}: answers of 0 left out as not applicable, "
                f"not a scale point ({why_na})",
                col,
                form="answers",
                why=why_na,
            )
        )
    for v in na:
        pooled.pop(v, None)
        c.pop(v, None)
    lo, hi, fitted = from_answers(pooled)
    n_pooled = sum(pooled.values())
    source = "answers"
    if len(members) > 1:
        evidence.append(
            phrase(
                "evidence",
                f"battery of {len(members)} items, {n_pooled:,} answers",
                form="battery",
                k=len(members),
                n=n_pooled,
            )
        )
        own_lo, own_hi, _ = from_answers(c)
        if (own_lo, own_hi) != (lo, hi):
            source = "battery"
            if not _fits(c, lo, hi):
                notes.append(
                    warning(
                        "scale_mixed",
                        f"{quote(col)}: its answers fit {own_lo:g}-{own_hi:g} but "
                        f"its battery's fit {lo:g}-{hi:g}; read as {own_lo:g}-{own_hi:g}",
                        col,
                        own_lo=own_lo,
                        own_hi=own_hi,
                        lo=lo,
                        hi=hi,
                    )
                )
                lo, hi, source = own_lo, own_hi, "answers"
            else:
                notes.append(
                    info(
                        "scale_battery",
                        f"{quote(col)}: read on its battery's scale {lo:g}-{hi:g} "
                        "(its own answers do not reach both ends)",
                        col,
                        lo=lo,
                        hi=hi,
                    )
                )
    else:
        evidence.append(phrase("evidence", f"{n_pooled:,} answers", form="answers", n=n_pooled))
    confidence = "high"
    if not fitted:
        confidence = "low"
        notes.append(
            warning(
                "scale_inferred",
                f"{quote(col)}: no usual scale holds 98% of its answers; read as {lo:g}-{hi:g}",
                col,
                form="unfit",
                lo=lo,
                hi=hi,
            )
        )
    elif (lo, hi) in SHORT_SCALES and n_pooled < STRONG_N:
        confidence = "low"
        notes.append(
            warning(
                "scale_inferred",
                f"{quote(col)}: read as {lo:g}-{hi:g} from only {n_pooled} "
                'answer(s); pin it with [scales] "COLUMN" = [min, max]',
                col,
                form="few",
                lo=lo,
                hi=hi,
                n=n_pooled,
            )
        )
    elif (lo, hi) in SHORT_SCALES:
        notes.append(
            info(
                "scale_inferred",
                f"{quote(col)}: read as a {hi - lo + 1:g}-point scale "
                f"({lo:g}-{hi:g}): no answer above {hi:g} among {n_pooled}",
                col,
                form="short",
                points=hi - lo + 1,
                lo=lo,
                hi=hi,
                n=n_pooled,
            )
        )
    if pooled and hi not in pooled:
        confidence = "low" if confidence == "high" else confidence
        top = max(pooled)
        notes.append(
            warning(
                "scale_top_unused",
                f"{quote(col)}: read as {lo:g}-{hi:g} but no answer reaches "
                f"{hi:g} (highest {top:g}); if the scale is shorter, pin it with [scales]",
                col,
                form="answers",
                lo=lo,
                hi=hi,
                top=top,
            )
        )
    return _done(col, lo, hi, source, direction, na, confidence, evidence, notes)


def _done(
    col: str,
    lo: float,
    hi: float,
    source: str,
    direction: int,
    na: set[float],
    confidence: str,
    evidence: list[Phrase],
    notes: list[Note],
) -> Decision:
    reversed_ = direction < 0
    if reversed_:
        notes.append(
            info(
                "reversed",
                f"{quote(col)}: lowest code is the best answer ({'; '.join(evidence)}): "
                f"recoded as {lo + hi:g} - value so that higher is better",
                col,
                form="auto",
                evidence=list(evidence),
                value=lo + hi,
            )
        )
    na_codes = tuple(sorted(na))
    return Decision(lo, hi, source, reversed_, na_codes, confidence, tuple(evidence), tuple(notes))
