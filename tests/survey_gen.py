"""A synthetic customer-satisfaction survey of any size, deterministic for a seed (for the
engine equality tests and ``make bench``; nothing generated is committed).

Columns: a respondent id (a few repeated), wave, region (some blank), channel, a weight
(a few missing or zero), the NPS item (0-10, a few off the scale), overall satisfaction
(1-5), six attributes (1-5; one answered with text labels), a comment in Korean or English
(:func:`comments`: one or two phrases whose tone follows the NPS answer, a few contradicting
it, spacing and case variants, non-answers, some unique); a few blank rows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

LABELS = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"]
PHRASES = {
    ("en", 1): ["great service", "Friendly staff", "fast delivery", "the app is easy to use",
                "staff were very helpful", "quick and reliable", "love the new app",
                "the price is reasonable", "refund was handled quickly"],
    ("en", -1): ["too slow", "waited too long on the phone", "the price is too high",
                 "rude staff at the counter", "the app keeps crashing", "delivery was late again",
                 "nobody answered my email", "the refund took weeks"],
    ("ko", 1): ["직원이 친절해요", "배송이 빨라요", "앱이 편리합니다",
                "상담원이 꼼꼼하게 설명해 주었어요", "가격이 합리적이에요", "매장이 깔끔해요",
                "환불 처리가 빨랐어요"],
    ("ko", -1): ["대기 시간이 너무 길어요", "통화대기가 길었어요", "가격이 비싸요",
                 "직원이 불친절했어요", "앱 오류가 자주 나요", "배송이 늦었어요",
                 "환불 처리가 번거로웠어요", "대기시간 최악"],
}  # fmt: skip
NON_ANSWERS = ["없음", "n/a", ".", "특별히 없습니다", "no comment", "-"]


def comments(rng: np.random.Generator, nps: np.ndarray, rate: float = 0.3) -> np.ndarray:
    """A comment on about ``rate`` of the rows (None elsewhere): Korean or English, one or
    two phrases whose tone follows the NPS answer (positive for 85% of promoters, 15% of
    detractors), a trailing space or "!" or upper case now and then, 5% non-answers, 2%
    made unique by a reference number."""
    rows = len(nps)
    out = np.full(rows, None, dtype=object)
    said = np.flatnonzero(rng.random(rows) < rate)
    k = len(said)
    v = nps[said]
    p_pos = np.where(v >= 9, 0.85, np.where(v <= 6, 0.15, 0.5))
    tone = np.where(rng.random(k) < p_pos, 1, -1)
    korean = rng.random(k) < 0.5
    two = rng.random(k) < 0.3
    pick = rng.random((k, 2))
    style = rng.integers(0, 6, k)
    non = rng.random(k) < 0.05
    unique = rng.random(k) < 0.02
    non_pick = rng.integers(0, len(NON_ANSWERS), k)
    for j in range(k):
        if non[j]:
            out[said[j]] = NON_ANSWERS[non_pick[j]]
            continue
        lang = "ko" if korean[j] else "en"
        first = PHRASES[(lang, int(tone[j]))]
        text = first[int(pick[j, 0] * len(first))]
        if two[j]:
            other = PHRASES[(lang, int(-tone[j]) if pick[j, 1] < 0.3 else int(tone[j]))]
            text += (", " if lang == "en" else " 그리고 ") + other[int(pick[j, 1] * len(other))]
        if style[j] == 1:
            text += " "
        elif style[j] == 2:
            text += "!"
        elif style[j] == 3 and lang == "en":
            text = text.upper()
        if unique[j]:
            text += f" (ref {said[j]})"
        out[said[j]] = text
    return out


def survey_table(rows: int, seed: int = 1, *, text_labels: bool = True, start: int = 0):
    """The survey as a pyarrow Table (ids numbered from ``start``)."""
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    latent = rng.normal(0, 1, rows)

    def rating(lo: int, hi: int, shift: float, missing: float) -> np.ndarray:
        x = np.clip(np.round((hi + lo) / 2 + 0.6 + (latent + rng.normal(0, 0.8, rows) + shift)
                             * (hi - lo) / 4), lo, hi)  # fmt: skip
        x[rng.random(rows) < missing] = np.nan
        return x

    nps = rating(0, 10, 0.3, 0.02)
    stray = rng.random(rows) < 0.0005
    nps[stray] = rng.choice([11.0, 12.0, -1.0], int(stray.sum()))
    sat = rating(1, 5, 0.0, 0.03)
    attrs = {
        f"A{j}. attribute {j}": rating(1, 5, 0.2 * (j - 3), 0.05 + 0.02 * j) for j in range(1, 7)
    }
    ids = np.array([f"R{i:010d}" for i in range(start, start + rows)], dtype=object)
    dup = rng.random(rows) < 0.002
    ids[dup] = ids[rng.integers(0, rows, int(dup.sum()))]
    weight = rng.lognormal(0, 0.4, rows)
    weight[rng.random(rows) < 0.001] = np.nan
    weight[rng.random(rows) < 0.0005] = 0.0
    regions = np.array(["North", "South", "East", "West", "Seoul", None], dtype=object)
    region = regions[rng.choice(6, rows, p=[0.25, 0.2, 0.2, 0.15, 0.15, 0.05])]
    channels = np.array(["store", "web", "app", "call centre"], dtype=object)
    channel = channels[rng.integers(0, 4, rows)]
    waves = np.array(["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"], dtype=object)
    wave = waves[rng.integers(0, 4, rows)]
    comment = comments(rng, nps)
    blank = rng.random(rows) < 0.001

    def col(values: np.ndarray, kind: str):
        v = values.copy()
        if kind == "float":
            v = v.astype(float)
            v[blank] = np.nan
            return pa.array(v, type=pa.float64(), from_pandas=True)
        v = v.astype(object)
        v[blank] = None
        return pa.array(list(v), type=pa.string())

    data = {
        "Respondent ID": col(ids, "text"),
        "Wave": col(wave, "text"),
        "Region": col(region, "text"),
        "Channel": col(channel, "text"),
        "Weight": col(weight, "float"),
        "How likely are you to recommend us (0-10)": col(nps, "float"),
        "Overall satisfaction": col(sat, "float"),
    }
    for j, (name, x) in enumerate(attrs.items()):
        if text_labels and j == 5:
            text = np.array([None if np.isnan(v) else LABELS[int(v) - 1] for v in x], dtype=object)
            data[name] = col(text, "text")
        else:
            data[name] = col(x, "float")
    data["Comments"] = col(comment, "text")
    return pa.table(data)


def write(path: str | Path, rows: int, seed: int = 1, *, part_rows: int = 0) -> list[Path]:
    """Write the survey as Parquet: one file, or a folder of parts of ``part_rows`` rows
    each (generated one at a time, so memory stays that of one part)."""
    import pyarrow.parquet as pq

    path = Path(path)
    if not part_rows or rows <= part_rows:
        pq.write_table(survey_table(rows, seed), path)
        return [path]
    path.mkdir(parents=True, exist_ok=True)
    out = []
    for k, start in enumerate(range(0, rows, part_rows)):
        part = path / f"part-{k:04d}.parquet"
        n = min(part_rows, rows - start)
        pq.write_table(survey_table(n, seed + k, start=start), part)
        out.append(part)
    return out


if __name__ == "__main__":  # python tests/survey_gen.py OUT ROWS [PART_ROWS]
    write(sys.argv[1], int(sys.argv[2]), part_rows=int(sys.argv[3]) if len(sys.argv) > 3 else 0)
