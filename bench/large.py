"""``BENCH_LARGE=1 make bench`` (or ``python bench/large.py``): csitool on 10M- and 20M-row CSVs.

Opt-in: the two files take about 3 GB of disk and 4 minutes to generate (once, into
``bench/out/``, not committed), and the 20M-row run needs about 10 GB of memory.
``LARGE_ROWS`` (default ``10000000,20000000``) chooses the sizes, ``LARGE_DRIVERS``
(default: the smallest size) the sizes at which drivers is measured too.

Each step runs once in a fresh process (after the file was read once into the page cache),
which reports its own wall and CPU time (from after its imports) and its peak resident
memory (VmHWM):

- raw: ``pandas.read_csv`` with its defaults, the reference;
- score: ``csitool.load`` then ``score`` (what ``csitool score`` computes), target
  <= 2x the raw read;
- drivers: ``csitool.load`` then ``drivers``, its peak memory against score's (target
  <= 1.5x).

Linearity: the slope of a step from the smallest to the largest size is its time per row
at the largest over its time per row at the smallest (1.00 = linear; target <= 1.05).

The rows are 1,000,000-row blocks of ``sample_data/make_samples.py`` (one seed per
block, ids renumbered so they stay unique): the smaller file is the first blocks of the
larger one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BLOCK = 1_000_000

CHILD = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
what, path = sys.argv[1], sys.argv[2]
import pandas as pd
if what != "raw":
    import csitool
t, c = time.perf_counter(), time.process_time()
if what == "raw":
    pd.read_csv(path)
else:
    survey = csitool.load(path)
    csitool.drivers(survey) if what == "drivers" else csitool.score(survey)
wall, cpu = time.perf_counter() - t, time.process_time() - c
peak = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": peak / 1024}))
"""


def sizes(name: str, default: str) -> list[int]:
    return [int(s.replace("_", "")) for s in os.environ.get(name, default).split(",") if s]


def generate(rows_wanted: list[int]) -> dict[int, Path]:
    """The CSV of each size (written once): blocks of 1M rows, appended in seed order."""
    sys.path.insert(0, str(ROOT / "sample_data"))
    from make_samples import generate as make  # type: ignore[import-not-found]

    paths = {n: OUT / f"bench_large_{n}.csv" for n in rows_wanted}
    missing = [n for n in rows_wanted if not paths[n].exists()]
    if not missing:
        return paths
    OUT.mkdir(parents=True, exist_ok=True)
    most = max(missing)
    t = time.perf_counter()
    parts = {n: paths[n].with_suffix(".part") for n in missing}
    handles = {n: parts[n].open("w", encoding="utf-8", newline="") for n in missing}
    try:
        for k in range(-(-most // BLOCK)):
            rows = min(BLOCK, most - k * BLOCK)
            frame = make(rows, seed=1000 + k)
            id_col = frame.columns[0]
            frame[id_col] = [f"R{k * BLOCK + i:09d}" for i in range(1, rows + 1)]
            for n, fh in handles.items():
                if k * BLOCK < n:
                    frame.iloc[: n - k * BLOCK].to_csv(fh, index=False, header=k == 0)
            print(f"  generated {(k * BLOCK + rows):,} rows ({time.perf_counter() - t:.0f} s)",
                  flush=True)  # fmt: skip
    finally:
        for fh in handles.values():
            fh.close()
    for n in missing:
        parts[n].replace(paths[n])
    return paths


def warm(path: Path) -> None:
    """Read the file once, so that the raw read (measured first) does not also pay for
    bringing it from disk into the page cache while the steps after it find it there."""
    with path.open("rb") as fh:
        while fh.read(1 << 24):
            pass


def run(what: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, what, str(path)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    rows = sorted(sizes("LARGE_ROWS", "10000000,20000000"))
    with_drivers = set(sizes("LARGE_DRIVERS", str(rows[0])))
    paths = generate(rows)
    got: dict[int, dict[str, dict[str, float]]] = {}
    print(f"\n{'step':28} {'wall s':>8} {'cpu s':>8} {'ratio':>6} {'cpu ratio':>9} "
          f"{'peak MB':>8}  target")  # fmt: skip
    for n in rows:
        warm(paths[n])
        got[n] = {"raw": run("raw", paths[n]), "score": run("score", paths[n])}
        if n in with_drivers:
            got[n]["drivers"] = run("drivers", paths[n])
        raw = got[n]["raw"]
        for what, m in got[n].items():
            base = raw if what != "drivers" else got[n]["score"]
            target = {"score": "<= 2.00 x raw", "drivers": "peak <= 1.50 x score"}.get(what, "")
            print(f"{f'{n / 1e6:g}M rows: {what}':28} {m['wall']:8.2f} {m['cpu']:8.2f} "
                  f"{m['wall'] / base['wall']:6.2f} {m['cpu'] / base['cpu']:9.2f} "
                  f"{m['peak_mb']:8,.0f}  {target}")  # fmt: skip
        if "drivers" in got[n]:
            ratio = got[n]["drivers"]["peak_mb"] / got[n]["score"]["peak_mb"]
            print(f"{f'{n / 1e6:g}M rows: drivers / score peak':28} {ratio:8.2f}")
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        for what in ("raw", "score"):
            for key in ("wall", "cpu"):
                slope = (got[large][what][key] / large) / (got[small][what][key] / small)
                print(f"slope {what} {key} {small / 1e6:g}M -> {large / 1e6:g}M: {slope:.3f}"
                      f"{'  (target <= 1.05)' if what == 'score' else ''}")  # fmt: skip


if __name__ == "__main__":
    main()
