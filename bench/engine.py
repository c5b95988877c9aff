"""``make bench`` (engine part): ``csitool score``, ``voc`` and ``drivers`` through DuckDB on a
large Parquet survey, against bare DuckDB queries of the same work, with time and peak memory.

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
For ``drivers`` the bare query is the least any drivers analysis must do: read the complete
rows' used values (overall satisfaction, the six attributes with the text labels mapped to
numbers, the NPS item, the weight, the region) into numpy arrays, with no ledger and no
statistics.

The CSV line: the same rows written as one CSV (``engine_<rows>.csv``), scored through
``--engine auto`` with ``[engine] csv_threshold_mb = 0`` (so DuckDB counts it), against the
same bare query on ``read_csv`` and against ``pandas.read_csv`` with its defaults (reading
only, no figures), and ``--engine pandas`` (csitool in memory).
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
    """Generated in a child process: a child starts with its parent's peak RSS (Linux
    copies the high-water mark on fork), so this process must stay small for the RSS of
    the measured commands to be theirs."""
    folder = OUT / f"engine_{rows}"
    if not (folder / "done").exists():
        t = time.perf_counter()
        gen = ROOT / "tests" / "survey_gen.py"
        subprocess.run([sys.executable, str(gen), str(folder), str(rows), str(PART_ROWS)],
                       check=True, env=os.environ | {"PYTHONPATH": str(ROOT)})  # fmt: skip
        (folder / "done").write_text("")
        print(f"generated {rows:,} rows in {time.perf_counter() - t:.0f} s: {folder}")
    return folder


def measured(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one child process:
    the median wall time of ``BENCH_RUNS`` runs (default 3) and that run's RSS and CPU."""
    runs = sorted(_measured_once(args) for _ in range(int(os.environ.get("BENCH_RUNS", "3"))))
    return runs[len(runs) // 2]


def _measured_once(args: list[str]) -> tuple[float, float, float]:
    t = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if child.returncode:
        raise SystemExit(f"failed: {' '.join(args)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


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

BARE_CSV = """
import duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
items = {items!r}
q = lambda c: '"' + c + '"'
sets = ", ".join(f"({{q('Region')}}, {{q(c)}})" for c in items)
rel = "read_csv('{path}')"
w = q("Weight")
sql = f"SELECT count(*), sum({{w}}), sum({{w}} * {{w}}) FROM {{rel}} "
con.execute(sql + f"GROUP BY GROUPING SETS ({{sets}})").fetchall()
"""

PANDAS_CSV = """
import pandas as pd
pd.read_csv({path!r})
"""


def csv_data(rows: int, folder: Path) -> Path:
    """The Parquet parts written out as one CSV (pandas' defaults: floats as 5.0), in a
    child process (see :func:`data`)."""
    path = OUT / f"engine_{rows}.csv"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        subprocess.run([sys.executable, "-c", TO_CSV.format(folder=str(folder), tmp=str(tmp))],
                       check=True)  # fmt: skip
        tmp.rename(path)
    return path


TO_CSV = """
from pathlib import Path
import pyarrow.parquet as pq
for k, part in enumerate(sorted(Path({folder!r}).glob("*.parquet"))):
    frame = pq.read_table(part).to_pandas()
    frame.to_csv({tmp!r}, index=False, mode="a" if k else "w", header=not k)
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

BARE_ROWS = """
import duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
items = {items!r}
labels = {labels!r}
q = lambda c: '"' + c + '"'
text = q(items[-1])
mapped = "CASE " + text + " " + " ".join(
    f"WHEN '{{t}}' THEN {{k + 1}}.0" for k, t in enumerate(labels)) + " END AS " + text
cols = [q(c) for c in items[:-1]] + [mapped, q("Weight"), q("Region")]
needed = " AND ".join(f"{{q(c)}} IS NOT NULL" for c in items[1:])
sql = f"SELECT * FROM (SELECT {{', '.join(cols)}} FROM read_parquet('{glob}')) WHERE {{needed}}"
con.execute(sql).fetchnumpy()
"""

PHASES = """
import time
import csitool.stats.drivers as d
from csitool.config import Reading
from csitool.survey.engine import open_summary

clock = lambda: (time.perf_counter(), time.process_time())
t0 = clock()
summary = open_summary({glob!r}, Reading(), by=("Region",), keep_open=True, moments=False)
t1 = clock()
fetch = summary.complete
spent = []

def timed(*args):
    t = clock()
    out = fetch(*args)
    spent.append([b - a for a, b in zip(t, clock())])
    return out

summary.complete = timed
d.drivers(summary, None, ("Region",))
t2 = clock()
for k in (0, 1):
    print(t1[k] - t0[k], spent[0][k], t2[k] - t1[k] - spent[0][k])
"""


def phases(glob: str) -> list[list[float]]:
    """drivers in one process, by phase: the counting pass (roles, scales, ledger), the
    fetch of the complete rows, and the analysis (the in-memory statistics); wall seconds,
    then CPU seconds."""
    out = subprocess.run(
        [sys.executable, "-c", PHASES.format(glob=glob)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return [[float(v) for v in line.split()] for line in out.stdout.splitlines()]


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
    from tests.survey_gen import LABELS

    drivers = [*env_cmd, "drivers", glob, "--by", "Region", "-f", "json"]
    results["csitool drivers --by Region (duckdb)"] = measured(drivers)
    results["bare DuckDB: complete rows to numpy"] = measured(
        [py, "-c", BARE_ROWS.format(items=ITEMS, labels=LABELS, glob=glob)]
    )
    if rows <= 2_000_000:
        results["csitool score --by Region (pandas)"] = measured(
            [*env_cmd, "score", glob, "--by", "Region", "-f", "json", "--engine", "pandas"]
        )
        results["csitool voc (pandas)"] = measured(
            [*env_cmd, "voc", glob, "-f", "json", "--engine", "pandas"]
        )
        results["csitool drivers --by Region (pandas)"] = measured([*drivers, "--engine", "pandas"])
    csv = csv_data(rows, folder)
    config = OUT / "csv_engine.toml"
    config.write_text("[engine]\ncsv_threshold_mb = 0\n", encoding="utf-8")
    results["CSV: csitool score --by Region (auto)"] = measured(
        [*env_cmd, "score", str(csv), "--by", "Region", "-f", "json", "--config", str(config)]
    )
    results["CSV: bare DuckDB: histograms by Region"] = measured(
        [py, "-c", BARE_CSV.format(items=ITEMS, path=str(csv))]
    )
    results["CSV: pandas.read_csv (defaults)"] = measured(
        [py, "-c", PANDAS_CSV.format(path=str(csv))]
    )
    if rows <= 2_000_000:
        results["CSV: csitool score --by Region (pandas)"] = measured(
            [*env_cmd, "score", str(csv), "--by", "Region", "-f", "json", "--engine", "pandas"]
        )
    print(f"\n{rows:,} rows of Parquet ({len(list(folder.glob('*.parquet')))} files), "
          f"{os.cpu_count()} cores")  # fmt: skip
    for name, (wall, rss, cpu) in results.items():
        print(f"  {name:<42} {wall:7.2f} s  {rss:7.0f} MB  cpu {cpu:7.2f} s")
    by = results["csitool score --by Region (duckdb)"][0]
    bare = results["bare DuckDB: histograms by Region"][0]
    cpu = results["csitool score --by Region (duckdb)"][2]
    cpu_bare = results["bare DuckDB: histograms by Region"][2]
    print(f"  csitool / bare (same figures by Region): {by / bare:.2f}x wall, "
          f"{cpu / cpu_bare:.2f}x cpu")  # fmt: skip
    voc = results["csitool voc (duckdb)"][0]
    bare_voc = results["bare DuckDB: comment x NPS group"][0]
    print(f"  csitool voc / bare comment x NPS group counts: {voc / bare_voc:.2f}x (target 3x)")
    d = results["csitool drivers --by Region (duckdb)"][0]
    rows_bare = results["bare DuckDB: complete rows to numpy"][0]
    print(f"  csitool drivers / bare complete rows: {d / rows_bare:.2f}x")
    d_cpu = results["csitool drivers --by Region (duckdb)"][2]
    bare_cpu = results["bare DuckDB: complete rows to numpy"][2]
    print(f"  same in CPU time: {d_cpu / bare_cpu:.2f}x")
    print(f"  csitool drivers / csitool score (both by Region, duckdb): {d / by:.2f}x")
    for kind, (count, fetch, stats) in zip(("wall", "cpu"), phases(glob), strict=True):
        print(f"  drivers by phase ({kind}): counting {count:.2f} s, fetching the complete "
              f"rows {fetch:.2f} s, analysis {stats:.2f} s")  # fmt: skip
    mb = csv.stat().st_size / 1e6
    by_csv = results["CSV: csitool score --by Region (auto)"][0]
    bare_csv = results["CSV: bare DuckDB: histograms by Region"][0]
    cpu_csv = results["CSV: csitool score --by Region (auto)"][2]
    cpu_bare_csv = results["CSV: bare DuckDB: histograms by Region"][2]
    print(f"  CSV ({mb:,.0f} MB): csitool / bare: {by_csv / bare_csv:.2f}x wall, "
          f"{cpu_csv / cpu_bare_csv:.2f}x cpu")  # fmt: skip


if __name__ == "__main__":
    main()
