"""``make bench`` (engine part): ``csitool score`` and ``csitool voc`` through DuckDB on a large
Parquet survey, against bare DuckDB queries of the same counts, with time and peak memory.

Rows: ``ENGINE_ROWS`` (default 2,000,000), generated (not committed) as a folder of
1,000,000-row Parquet parts into ``bench/out/engine_<rows>/`` by ``tests/survey_gen.py``
(weights, segments, duplicate ids, blank rows, a text-labelled item). Each command runs in
its own process; the figure is its wall time and its peak RSS (``getrusage``).

The bare query is what an analyst would write by hand for the same figures: per segment
value and item, the rows, weights and squared weights of every answer (from which NPS,
CSI, the boxes, the ladder and their intervals follow) - one GROUPING SETS pass with no
ledger (no blank rows, duplicate ids or weight checks), no sample and no role detection.
For ``voc``, the bare query counts rows and weights per (distinct comment, NPS group): the
table its theme and NPS figures come from, without the ledger, the tagging or the rest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

PART_ROWS = 1_000_000
ITEMS = [
    "How likely are you to recommend us (0-10)",
    "Overall satisfaction",
    *(f"A{j}. attribute {j}" for j in range(1, 7)),
]


def data(rows: int) -> Path:
    from tests.survey_gen import write

    folder = OUT / f"engine_{rows}"
    if not (folder / "done").exists():
        t = time.perf_counter()
        write(folder, rows, part_rows=PART_ROWS)
        (folder / "done").write_text("")
        print(f"generated {rows:,} rows in {time.perf_counter() - t:.0f} s: {folder}")
    return folder


def measured(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    t = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if child.returncode:
        raise SystemExit(f"failed: {' '.join(args)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024


BARE = """
import duckdb, sys
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
items = {items!r}
q = lambda c: '"' + c + '"'
sets = ", ".join(f"({{q('Region')}}, {{q(c)}})" for c in items)
rel = "read_parquet('{glob}')"
w = q("Weight")
sql = f"SELECT count(*), sum({{w}}), sum({{w}} * {{w}}) FROM {{rel}} "
con.execute(sql + f"GROUP BY GROUPING SETS ({{sets}})").fetchall()
"""

BARE_NPS = """
import duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
x, w = '"How likely are you to recommend us (0-10)"', '"Weight"'
sql = f"SELECT sum({{w}}), sum({{w}} * ({{x}} >= 9)::INT), sum({{w}} * ({{x}} <= 6)::INT) "
con.execute(sql + f"FROM read_parquet('{glob}') WHERE {{x}} IS NOT NULL").fetchall()
"""

BARE_VOC = """
import duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
x, w, c = '"How likely are you to recommend us (0-10)"', '"Weight"', '"Comments"'
g = f"CASE WHEN {{x}} >= 9 THEN 1 WHEN {{x}} <= 6 THEN -1 WHEN {{x}} IS NOT NULL THEN 0 END"
sql = f"SELECT {{c}}, {{g}} AS g, count(*), sum({{w}}), sum({{w}} * {{w}}) "
con.execute(sql + f"FROM read_parquet('{glob}') GROUP BY ALL").fetchall()
"""


def main() -> None:
    rows = int(os.environ.get("ENGINE_ROWS", "2000000"))
    folder = data(rows)
    glob = str(folder / "*.parquet")
    py = sys.executable
    env_cmd = [py, "-m", "csitool"]
    results = {}
    results["csitool score (duckdb)"] = measured([*env_cmd, "score", glob, "-f", "json"])
    results["csitool score --by Region (duckdb)"] = measured(
        [*env_cmd, "score", glob, "--by", "Region", "-f", "json"]
    )
    results["bare DuckDB: histograms by Region"] = measured(
        [py, "-c", BARE.format(items=ITEMS, glob=glob)]
    )
    results["bare DuckDB: NPS only"] = measured([py, "-c", BARE_NPS.format(glob=glob)])
    results["csitool voc (duckdb)"] = measured([*env_cmd, "voc", glob, "-f", "json"])
    results["csitool voc --by Region (duckdb)"] = measured(
        [*env_cmd, "voc", glob, "--by", "Region", "-f", "json"]
    )
    results["bare DuckDB: comment x NPS group"] = measured([py, "-c", BARE_VOC.format(glob=glob)])
    if rows <= 2_000_000:
        results["csitool score --by Region (pandas)"] = measured(
            [*env_cmd, "score", glob, "--by", "Region", "-f", "json", "--engine", "pandas"]
        )
        results["csitool voc (pandas)"] = measured(
            [*env_cmd, "voc", glob, "-f", "json", "--engine", "pandas"]
        )
    print(f"\n{rows:,} rows of Parquet ({len(list(folder.glob('*.parquet')))} files), "
          f"{os.cpu_count()} cores")  # fmt: skip
    for name, (wall, rss) in results.items():
        print(f"  {name:<40} {wall:7.2f} s  {rss:7.0f} MB")
    by = results["csitool score --by Region (duckdb)"][0]
    bare = results["bare DuckDB: histograms by Region"][0]
    print(f"  csitool / bare (same figures by Region): {by / bare:.2f}x")
    voc = results["csitool voc (duckdb)"][0]
    bare_voc = results["bare DuckDB: comment x NPS group"][0]
    print(f"  csitool voc / bare comment x NPS group counts: {voc / bare_voc:.2f}x (target 3x)")


if __name__ == "__main__":
    main()
