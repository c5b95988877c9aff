"""The equality matrix of the engines beyond the generated survey (test_engine.py):

- every file under ``../shared/data`` and ``tests/data`` that csitool reads, written as a
  Parquet version of the raw table csitool read (its header as the column names): ``score``,
  ``compare --by`` (on the segment columns found in it) and ``check`` (every column
  required, thresholds, segments) give the same figures to 1e-9, the same verdicts and rows
  and exactly the same ledger counts through pandas and through DuckDB; so do ``drivers``
  (with the segment columns) and ``voc`` where the file has what they need, or both paths
  give the same error;
- Spark in local mode: ``compare`` (segments and waves) and ``check`` (every kind of rule,
  with a baseline) equal to pandas.

The oracle is the in-memory path (its statistics are tested against independent
computations elsewhere); the engines share the finishing statistics and the rules with it,
not the counting. By design, one text differs and is normalised before comparing: a note
that names the first invalid rows (``row 85``) says only how many through an engine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csitool.config import CheckSettings, Reading
from csitool.errors import CsiError
from csitool.stats import compare as cmp
from csitool.stats.check import check
from csitool.stats.score import score
from csitool.survey.build import read_survey
from csitool.survey.engine import open_summary
from tests.conftest import DATA, ROOT
from tests.test_engine import _normalised, _spark_or_skip, _to_parquet
from tests.test_golden import same

SHARED = ROOT.parent / "shared" / "data"
#: larger files are left out (and named in the skip message) to keep the suite quick
MAX_BYTES = 8_000_000


def _inputs() -> list[Path]:
    from csitool.io.read import INPUT_SUFFIXES

    roots = [r for r in (SHARED, DATA) if r.is_dir()]
    return sorted(
        p for r in roots for p in r.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
    )


def _name(p: Path) -> str:
    for root, label in ((SHARED, "shared"), (DATA, "tests")):
        if p.is_relative_to(root):
            return f"{label}/{p.relative_to(root)}"
    return p.name


FILES = _inputs()


def test_shared_data_is_there():
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: only tests/data is turned into Parquet")
    assert any(p.is_relative_to(SHARED) for p in FILES)


def _same(a: dict, b: dict) -> None:
    diffs = same(_normalised(a), _normalised(b))
    assert not diffs, "\n".join(diffs[:20])


@pytest.mark.parametrize("path", FILES, ids=[_name(p) for p in FILES])
def test_real_file_as_parquet(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if path.stat().st_size > MAX_BYTES:
        pytest.skip(f"{_name(path)}: {path.stat().st_size:,} bytes, above the {MAX_BYTES:,} cap")
    try:
        pq = _to_parquet(path, tmp_path / "real.parquet")
    except CsiError as exc:  # the corrupt and empty fixtures: nothing to convert
        pytest.skip(f"{_name(path)}: csitool does not read it ({str(exc)[:60]}...)")
    reading = Reading()
    try:
        memory = read_survey(str(pq), reading)
        expected = score(memory).to_dict()
    except CsiError as exc:  # no rating item, unmapped labels: the same error both ways
        with pytest.raises(type(exc)):
            score(open_summary(str(pq), reading))
        return
    by = tuple(memory.roles.segment[:2])
    columns = tuple(str(c) for c in memory.raw.frame.columns)
    spec = CheckSettings(require=columns, max_missing=0.0, by=by, min_nps=0.0, min_csi=50.0,
                         min_n=50, max_excluded=0.0)  # fmt: skip
    summary = open_summary(str(pq), reading, by=by, facts=spec.require)
    counted = score(summary, by).to_dict()
    _same(counted, score(memory, by).to_dict())
    assert counted["quality"] == expected["quality"]  # ledger counts: exactly
    if by:
        _same(cmp.compare([summary], by).to_dict(), cmp.compare([memory], by).to_dict())
    _same(check(summary, spec).to_dict(), check(memory, spec).to_dict())
    _same_drivers(str(pq), memory, by)
    if memory.roles.comment:
        _same_voc(str(pq), memory, by)


def _same_drivers(path: str, memory, by: tuple[str, ...]) -> None:
    from csitool.stats.drivers import drivers

    try:
        expected = drivers(memory, None, by).to_dict()
    except CsiError as exc:  # no attributes or target, too few rows: the same error
        summary = open_summary(path, Reading(), by=by, keep_open=True, moments=False)
        try:
            with pytest.raises(type(exc)) as raised:
                drivers(summary, None, by)
        finally:
            summary.close()
        assert str(raised.value) == str(exc)
        return
    summary = open_summary(path, Reading(), by=by, keep_open=True, moments=False)
    try:
        counted = drivers(summary, None, by).to_dict()
    finally:
        summary.close()
    _same(counted, expected)
    assert counted["rows"] == expected["rows"]


def _same_voc(path: str, memory, by: tuple[str, ...]) -> None:
    from csitool.batch import load_codebook, load_sentiment_model
    from csitool.stats.voc import voc
    from csitool.survey.engine import open_comments

    book = load_codebook(None, memory.settings.voc, memory.settings.config_path)
    model = load_sentiment_model()
    expected = voc(memory, book, None, by, model=model)[0].to_dict()
    summary, counts = open_comments(path, Reading(), None, by=by)
    try:
        counted = voc(summary, book, None, by, model=model, counts=counts)[0].to_dict()
    finally:
        counts.close()
    _same(counted, expected)


# --- Spark, local mode ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def waves(tmp_path_factory) -> dict[str, Path]:
    import pyarrow.parquet as pq

    from tests.test_engine_check import _better, _faulty

    folder = tmp_path_factory.mktemp("spark")
    out = {"now": folder / "now.parquet", "before": folder / "before.parquet"}
    pq.write_table(_faulty(4_000, seed=51), out["now"])
    pq.write_table(_better(3_000, seed=52), out["before"])
    return out


@pytest.mark.parametrize("split", [("--by", "Region", "--by", "Channel"), ("--wave", "Wave")])
def test_spark_compare_equals_pandas(run, waves, split):
    _spark_or_skip()
    args = ("compare", waves["now"], *split, "-f", "json")
    spark = run(*args, "--engine", "spark")
    memory = run(*args, "--engine", "pandas")
    assert spark.exit_code == 0 and memory.exit_code == 0, spark.output + memory.output
    a, b = json.loads(spark.stdout), json.loads(memory.stdout)
    assert a["files"][0]["banners"]
    _same(a, b)


def test_spark_check_equals_pandas(run, waves):
    """Every kind of rule: thresholds on the total and segments, the export contract with
    its rows (blank cells, off-scale answers in two items, repeated ids) and baseline drops."""
    _spark_or_skip()
    args = ("check", waves["now"], "--baseline", waves["before"], "--by", "Region",
            "--min-nps", "-30", "--min-csi", "60", "--min-n", "100", "--max-detractors", "50",
            "--min-top-box", "20", "--max-excluded", "0.1", "--require-columns",
            "Respondent ID,Comments,Store", "--max-missing", "50", "--max-drop", "nps=1",
            "--max-drop", "csi=1", "-f", "json")  # fmt: skip
    spark = run(*args, "--engine", "spark")
    memory = run(*args, "--engine", "pandas")
    assert spark.exit_code == memory.exit_code == 1, spark.output + memory.output
    a, b = json.loads(spark.stdout), json.loads(memory.stdout)
    _same(a, b)
    rules = {(r["rule"], r["scope"]): r for r in b["files"][0]["rules"]}
    assert rules[("in_scale", "total")]["rows"] and rules[("unique_ids", "Respondent ID")]["rows"]
    assert rules[("max_missing", "Comments")]["verdict"] == "fail"
    assert rules[("max_drop_nps", "total")]["verdict"] == "fail"
