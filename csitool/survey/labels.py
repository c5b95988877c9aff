"""Answer labels to numbers: built-in English and Korean Likert tables, prefixed labels
("10 - Extremely likely", "0 (Not at all likely)", "5점"), and "don't know" answers.

Keys are compared after :func:`normalize_label` (case-folded, all whitespace removed), so
"매우 만족" and "매우만족", "Very Satisfied" and "very satisfied" are the same label.
"""

from __future__ import annotations

import re

from csitool.config import DONT_KNOW


def normalize_label(text: str) -> str:
    """Case-fold and drop whitespace and a trailing full stop: the key used for label look-ups."""
    return re.sub(r"\s+", "", str(text)).casefold().rstrip(".")


_FIVE_POINT: dict[str, float] = {
    # satisfaction
    "very satisfied": 5,
    "extremely satisfied": 5,
    "completely satisfied": 5,
    "satisfied": 4,
    "somewhat satisfied": 4,
    "mostly satisfied": 4,
    "neither satisfied nor dissatisfied": 3,
    "neither satisfied or dissatisfied": 3,
    "neutral": 3,
    "somewhat dissatisfied": 2,
    "dissatisfied": 2,
    "not satisfied": 2,
    "very dissatisfied": 1,
    "extremely dissatisfied": 1,
    "completely dissatisfied": 1,
    # agreement
    "strongly agree": 5,
    "agree": 4,
    "somewhat agree": 4,
    "neither agree nor disagree": 3,
    "neither agree or disagree": 3,
    "somewhat disagree": 2,
    "disagree": 2,
    "strongly disagree": 1,
    # quality
    "excellent": 5,
    "very good": 4,
    "good": 3,
    "fair": 2,
    "poor": 1,
    # likelihood
    "very likely": 5,
    "extremely likely": 5,
    "likely": 4,
    "somewhat likely": 4,
    "neither likely nor unlikely": 3,
    "somewhat unlikely": 2,
    "unlikely": 2,
    "very unlikely": 1,
    "extremely unlikely": 1,
    # Korean satisfaction
    "매우 만족": 5,
    "아주 만족": 5,
    "매우 만족함": 5,
    "만족": 4,
    "만족함": 4,
    "대체로 만족": 4,
    "약간 만족": 4,
    "다소 만족": 4,
    "보통": 3,
    "보통이다": 3,
    "보통임": 3,
    "그저 그렇다": 3,
    "약간 불만족": 2,
    "다소 불만족": 2,
    "불만족": 2,
    "불만족함": 2,
    "불만": 2,
    "만족하지 않음": 2,
    "매우 불만족": 1,
    "아주 불만족": 1,
    "매우 불만족함": 1,
    "매우 불만": 1,
    "전혀 만족하지 않음": 1,
    # Korean agreement
    "매우 그렇다": 5,
    "그렇다": 4,
    "약간 그렇다": 4,
    "그렇지 않다": 2,
    "별로 그렇지 않다": 2,
    "전혀 그렇지 않다": 1,
    # Korean quality and likelihood
    "매우 좋음": 5,
    "매우 좋다": 5,
    "좋음": 4,
    "좋다": 4,
    "나쁨": 2,
    "나쁘다": 2,
    "매우 나쁨": 1,
    "매우 나쁘다": 1,
    "매우 높음": 5,
    "높음": 4,
    "낮음": 2,
    "매우 낮음": 1,
    "반드시 추천": 5,
    "추천함": 4,
    "추천 안 함": 2,
    "절대 추천 안 함": 1,
}

_DONT_KNOW_LABELS = [
    "don't know",
    "dont know",
    "do not know",
    "dk",
    "n/a",
    "na",
    "not applicable",
    "does not apply",
    "no opinion",
    "prefer not to say",
    "prefer not to answer",
    "not sure",
    "unsure",
    "모름",
    "모르겠음",
    "모르겠다",
    "잘 모름",
    "잘 모르겠음",
    "잘 모르겠다",
    "해당 없음",
    "해당 사항 없음",
    "무응답",
    "응답 거절",
    "응답 거부",
    "이용 안 함",
    "경험 없음",
]

BUILTIN_LABELS: dict[str, float | str] = {
    normalize_label(k): float(v) for k, v in _FIVE_POINT.items()
}
BUILTIN_LABELS.update({normalize_label(k): DONT_KNOW for k in _DONT_KNOW_LABELS})

# "10 - Extremely likely", "0 (Not at all likely)", "5 = very good", "7.", "5점", "4.4 out of 5"
_PREFIXED = re.compile(
    r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*(?:점|pts?|points?)?\s*(?:[-–—:=.)(/]|out of|$)"
)


DATE_OR_TIME = re.compile(
    r"^\s*(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d{2}"
    r"|\d{1,2}[-/ ](jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-/ ]\d{2,4})",
    re.IGNORECASE,
)


def parse_label(text: str, table: dict[str, float | str]) -> float | str | None:
    """Number for an answer text, ``DONT_KNOW``, or None when it cannot be mapped.

    ``table`` (already normalised keys) is consulted first so users can override the
    built-ins; then the built-in table; then a leading number ("10 - Extremely likely").
    """
    key = normalize_label(text)
    if not key:
        return None
    if key in table:
        found = table[key]
        return found if isinstance(found, str) else float(found)
    if key in BUILTIN_LABELS:
        return BUILTIN_LABELS[key]
    try:
        return float(key.replace(",", "."))
    except ValueError:
        pass
    if DATE_OR_TIME.match(str(text)):
        return None
    m = _PREFIXED.match(str(text))
    if m:
        return float(m.group(1).replace(",", "."))
    return None
