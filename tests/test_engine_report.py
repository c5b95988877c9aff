"""``report`` through the DuckDB (and Spark) engine against the in-memory path: the same
score, compare, drivers and voc figures (to 1e-9), the same exclusion counts, and the same
workbook cell by cell except the Data quality sheet (which lists rows in memory and gives
counts through an engine), on the sample files, a real file and a generated survey (weights,
segments, comments, duplicate ids, blank rows), read as Parquet.

The oracle is the in-memory path, whose figures are tested against independent computations
(test_stats_*.py); the engine path shares the statistics, not how the rows are read, parsed,
filtered, counted and grouped.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from csitool.batch import Job, build_report, engine_threads
from csitool.render.excel import build_workbook
from tests.conftest import DATA, ROOT
from tests.survey_gen import write
from tests.test_engine import _normalised, _spark_or_skip, _to_parquet
from tests.test_golden import same

PARTS = ("score", "drivers", "compare", "voc")
QUALITY = {"Data quality", "데이터 품질"}


def reports(path: str, engine: str = "duckdb", **kw) -> tuple:
    memory = build_report(Job(path, "x.xlsx", engine="pandas", date="2026-01-01", **kw))
    counted = build_report(Job(path, "x.xlsx", engine=engine, date="2026-01-01", **kw))
    return memory, counted


def close(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def assert_same_report(memory, counted) -> None:
    for part in PARTS:
        a, b = getattr(memory, part), getattr(counted, part)
        assert (a is None) == (b is None), part
        if a is not None:
            diffs = same(_normalised(b.to_dict()), _normalised(a.to_dict()))
            assert not diffs, part + ":\n" + "\n".join(diffs[:20])
    assert counted.by == memory.by
    assert counted.segments_skipped == memory.segments_skipped
    assert counted.drivers_note == memory.drivers_note
    # the exclusion counts exactly, in the same order (the in-memory ledger's)
    assert counted.excluded_counts == memory.excluded_counts
    assert counted.excluded == [] and not counted.excluded_listed
    # every sheet's cells but the Data quality listing
    a_book, b_book = build_workbook(memory), build_workbook(counted)
    assert a_book.sheetnames == b_book.sheetnames
    for sheet in a_book.worksheets:
        if sheet.title in QUALITY:
            continue
        rows_a = list(sheet.iter_rows(values_only=True))
        rows_b = list(b_book[sheet.title].iter_rows(values_only=True))
        assert len(rows_a) == len(rows_b), sheet.title
        for k, (ra, rb) in enumerate(zip(rows_a, rows_b, strict=True)):
            assert len(ra) == len(rb), (sheet.title, k)
            pairs = enumerate(zip(ra, rb, strict=True))
            bad = [(j, x, y) for j, (x, y) in pairs if not close(x, y)]
            assert not bad, (sheet.title, k + 1, bad[:5])


def quality_rows(report) -> list[tuple]:
    book = build_workbook(report)
    sheet = next(ws for ws in book.worksheets if ws.title in QUALITY)
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("name", ["survey_en.csv", "survey.xlsx"])
def test_sample_files_as_parquet(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = str(_to_parquet(ROOT / "sample_data" / name, tmp_path / "s.parquet"))
    memory, counted = reports(path)
    assert_same_report(memory, counted)
    assert counted.by and counted.by_detected  # segments detected and counted in one pass
    assert counted.voc is not None and counted.drivers is not None
    assert counted.engine == "duckdb" and memory.engine == "pandas"


def test_sample_file_given_segments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = str(_to_parquet(ROOT / "sample_data" / "survey_en.csv", tmp_path / "s.parquet"))
    memory, counted = reports(path, by=("Channel",))
    assert_same_report(memory, counted)
    assert counted.by == ["Channel"] and not counted.by_detected


def test_real_file_as_parquet(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = str(_to_parquet(DATA / "airline_survey.csv", tmp_path / "air.parquet"))
    assert_same_report(*reports(path))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "survey.parquet"
    write(path, 30_000, seed=5)
    return path


def test_generated_survey(generated, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    memory, counted = reports(str(generated))
    assert_same_report(memory, counted)
    reasons = {reason for reason, _c, _n in counted.excluded_counts}
    # the generator's faults are all there: counted, not just passed through
    assert {"blank_row", "duplicate_id", "weight_missing", "weight_not_positive"} <= reasons
    assert counted.voc is not None and counted.voc.total.answered > 0
    assert "Region" in counted.by


def test_data_quality_sheet_through_an_engine(generated, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    memory, counted = reports(str(generated))
    rows = quality_rows(counted)
    total = sum(n for _r, _c, n in memory.excluded_counts)
    line = (
        f"The duckdb engine counted the {total:,} exclusions below by reason and column; "
        "`csitool report survey.parquet --engine pandas` lists their rows."
    )
    assert (line, None, None) in rows
    # the counts table: one row per (reason, column), the in-memory ledger's counts
    at = rows.index(("reason", "column", "n"))
    listed = [r for r in rows[at + 1 :] if r[2] is not None]
    assert len(listed) == len(memory.excluded_counts)
    assert sum(r[2] for r in listed) == total
    korean = build_report(
        Job(str(generated), "x.xlsx", engine="duckdb", lang="ko", date="2026-01-01")
    )
    text = " ".join(str(v) for r in quality_rows(korean) for v in r if v is not None)
    assert f"duckdb 엔진은 제외 {total:,}건을 사유와 열별로 세었습니다" in text


def test_html_report_through_duckdb(generated, tmp_path, monkeypatch):
    from csitool.render.html import build_html

    monkeypatch.chdir(tmp_path)
    report = build_report(Job(str(generated), "x.html", engine="duckdb", kind="html"))
    page = build_html(report)
    assert "<html" in page and "--engine pandas" in page
    assert "Region" in page


def test_cli_engine_options(run, tmp_path, generated):
    out = tmp_path / "r.xlsx"
    r = run("report", generated, "--engine", "duckdb", "-o", out, "--summary", "json")
    assert r.exit_code == 0, r.stderr
    assert out.exists()
    # a CSV cannot go through DuckDB: the message names the fix, exit 3 (input)
    csv = ROOT / "sample_data" / "survey_en.csv"
    r = run("report", csv, "--engine", "duckdb", "-o", tmp_path / "c.xlsx")
    assert r.exit_code == 3
    assert "use --engine pandas" in r.stderr
    # --strict lists rows: not through an engine
    r = run("report", generated, "--engine", "duckdb", "--strict", "-o", tmp_path / "s.xlsx")
    assert r.exit_code == 3
    assert "use --engine pandas with --strict" in r.stderr


@pytest.mark.parametrize(
    ("workers", "files", "cores", "expected"),
    [
        (1, 5, 8, None),  # one file at a time: every core
        (4, 1, 8, None),  # one file, however many workers
        (4, 8, 8, 2),  # 8 cores / 4 files in flight
        (3, 2, 8, 4),  # 2 files in flight
        (8, 8, 2, 1),  # never fewer than one thread
    ],
)
def test_engine_threads(workers, files, cores, expected, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    assert engine_threads(workers, files) == expected


def test_spark_local_equals_pandas(tmp_path, monkeypatch):
    _spark_or_skip()
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "g.parquet", 20_000, seed=17)
    # an absolute path: a Spark session started by an earlier test keeps its first folder
    assert_same_report(*reports(str(tmp_path / "g.parquet"), engine="spark"))


def test_engine_closed_when_the_report_fails(generated, tmp_path, monkeypatch):
    from csitool.survey.engine import SurveySummary

    monkeypatch.chdir(tmp_path)
    closed = []
    real_close = SurveySummary.close

    def close_and_record(self):
        closed.append(self.live is not None and self.live.runner is not None)
        real_close(self)

    def broken(*args, **kw):
        raise RuntimeError("broken analysis")

    monkeypatch.setattr(SurveySummary, "close", close_and_record)
    monkeypatch.setattr("csitool.stats.score.score", broken)
    with pytest.raises(RuntimeError, match="broken analysis"):
        build_report(Job(str(generated), "x.xlsx", engine="duckdb"))
    assert closed == [True]  # the open engine was closed once


def test_batch_of_parquet_files_in_parallel(tmp_path, monkeypatch):
    """Two workers, each engine on cores / 2 threads: the same figures as one at a time."""
    from csitool.batch import run_batch

    monkeypatch.chdir(tmp_path)
    for k in (1, 2):
        write(tmp_path / f"w{k}.parquet", 5_000, seed=k)
    jobs = [
        Job(f"w{k}.parquet", f"w{k}_report.xlsx", engine="duckdb", date="2026-01-01",
            threads=engine_threads(2, 2))
        for k in (1, 2)
    ]  # fmt: skip
    serial, _ = run_batch(jobs, workers=1)
    parallel, _ = run_batch(jobs, workers=2)
    assert [o.status for o in parallel] == ["ok", "ok"]
    assert [o.figures for o in parallel] == [o.figures for o in serial]
    memory, _ = run_batch([Job(j.source, j.output, engine="pandas", date=j.date) for j in jobs])
    for a, b in zip(memory, parallel, strict=True):
        assert a.figures["n_rows"] == b.figures["n_rows"]
        assert math.isclose(a.figures["nps"], b.figures["nps"], rel_tol=1e-9)
        assert a.figures["pain_points"] == b.figures["pain_points"]
