"""A synthetic customer-satisfaction survey of any size, deterministic for a seed (for the
engine equality tests and ``make bench``; nothing generated is committed).

Columns: a respondent id (a few repeated), wave, region (some blank), channel, a weight
(a few missing or zero), the NPS item (0-10, a few off the scale), overall satisfaction
(1-5), six attributes (1-5; one answered with text labels), a comment; a few blank rows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

LABELS = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"]


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
    comment = np.full(rows, None, dtype=object)
    said = rng.random(rows) < 0.1
    comment[said] = rng.choice(
        ["great service", "too slow", "friendly staff", "price"], int(said.sum())
    )
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
