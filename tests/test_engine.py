"""The DuckDB engine against the in-memory path: every figure of ``score`` equal to 1e-9 and
the ledger counts exactly equal, on the sample files, the real files of tests/data and a
generated survey with weights, segments, duplicate ids, blank rows and text labels, read as
Parquet (a file, a glob, a hive folder), Feather and a DuckDB table.

The oracle is the in-memory path, whose figures are themselves tested against independent
computations (test_stats_*.py, test_r_survey.py); the two paths share only the finishing
statistics, not the counting.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from csitool.config import Reading
from csitool.io import read_table
from csitool.stats.score import score
from csitool.survey.build import read_survey
from csitool.survey.engine import open_summary
from tests.conftest import DATA, ROOT
from tests.survey_gen import write
from tests.test_golden import same

ROW_LIST = re.compile(r" \(rows? [0-9, .]+\)")


def _normalised(d: dict) -> dict:
    """The in-memory note that names the first invalid rows says only how many through an
    engine (which counts rows, it does not list them)."""
    text = json.dumps(d)
    return json.loads(ROW_LIST.sub("", text))


def assert_same(path: str, by: tuple[str, ...] = (), reading: Reading | None = None) -> dict:
    reading = reading or Reading()
    memory = score(read_survey(path, reading), by).to_dict()
    counted = score(open_summary(path, reading, by=by), by).to_dict()
    diffs = same(_normalised(counted), _normalised(memory))
    assert not diffs, "\n".join(diffs[:20])
    assert counted["quality"] == memory["quality"]  # ledger counts: exactly
    return counted


def _to_parquet(src: Path, out: Path) -> Path:
    raw = read_table(src)
    frame = raw.frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].map(lambda v: None if v is None or v != v else str(v))
    frame.to_parquet(out, index=False)
    return out


@pytest.mark.parametrize(
    ("name", "by"),
    [
        ("survey_en.csv", ("Customer type", "Channel", "Date")),
        ("survey.xlsx", ("고객유형", "채널")),
    ],
)
def test_sample_files_as_parquet(name, by, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _to_parquet(ROOT / "sample_data" / name, tmp_path / "s.parquet")
    result = assert_same(str(path), by)
    assert result["read"]["format"] == "parquet"
    assert result["segments"][by[0]]


REAL = [
    "abc2.csv",
    "abc_full.csv",
    "dupes_weights.csv",
    "labels_en.csv",
    "nps_wide_bom.csv",
    "qualtrics_sample.csv",
    "ko_utf8_bom.csv",
    "laptop_reviews_300.csv",
    "nsmc_500.csv",
]


@pytest.mark.parametrize("name", REAL)
def test_real_files_as_parquet(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _to_parquet(DATA / name, tmp_path / "real.parquet")
    reading = Reading()
    try:
        memory = score(read_survey(str(path), reading)).to_dict()
    except Exception as exc:  # a file with no rating item: the same error both ways
        with pytest.raises(type(exc)):
            score(open_summary(str(path), reading))
        return
    counted = score(open_summary(str(path), reading)).to_dict()
    diffs = same(_normalised(counted), _normalised(memory))
    assert not diffs, "\n".join(diffs[:20])


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "survey.parquet"
    write(path, 60_000, seed=7)
    return path


@pytest.mark.parametrize("method", ["auto", "attribute_mean", "composite"])
def test_generated_survey_weights_segments_duplicates(generated, method, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "csitool.toml"
    config.write_text(
        f'[csi]\nmethod = "{method}"\n'
        + (
            '[csi.weights]\n"Overall satisfaction" = 2\nattrs = 1\n'
            if method == "composite"
            else ""
        ),
        encoding="utf-8",
    )
    result = assert_same(str(generated), ("Region", "Wave", "Channel"), Reading(config=config))
    q = result["quality"]
    # the generator's faults are all there: counted, not just passed through
    for reason in ("blank_row", "duplicate_id", "weight_missing", "weight_not_positive"):
        assert q["excluded"][reason] > 0
    assert "out_of_range" in q["excluded"]
    assert [g["value"] for g in result["segments"]["Region"]][-1] == "(blank)"


def test_glob_and_hive_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import pyarrow.parquet as pq

    from tests.survey_gen import survey_table

    table = survey_table(9_000, seed=3)
    parts = tmp_path / "parts"
    parts.mkdir()
    for k in range(3):
        pq.write_table(table.slice(k * 3000, 3000), parts / f"p{k}.parquet")
    assert_same(str(parts / "*.parquet"), ("Region",))
    hive = tmp_path / "hive"
    for k, market in enumerate(["kr", "us"]):
        folder = hive / f"market={market}"
        folder.mkdir(parents=True)
        pq.write_table(table.slice(k * 4500, 4500), folder / "data.parquet")
    result = assert_same(str(hive), ("market", "Region"))
    assert [g["value"] for g in result["segments"]["market"]] == ["kr", "us"]


def test_a_data_column_named_file_index_does_not_hide_the_file_number(tmp_path, monkeypatch):
    """Parquet rows are keyed by DuckDB's file number (``file_index``); a data column of that
    name would hide it, so the engine keys by path then. Repeated ids across the parts make
    a wrong key visible (the later copy would be chosen wrongly)."""
    monkeypatch.chdir(tmp_path)
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.survey_gen import survey_table

    table = survey_table(6_000, seed=9)
    parts = tmp_path / "parts"
    parts.mkdir()
    for k in range(3):
        part = table.slice(k * 2000, 2000)
        part = part.append_column("file_index", pa.array([2 - k] * 2000))
        pq.write_table(part, parts / f"p{k}.parquet")
    result = assert_same(str(parts / "*.parquet"), ("Region",))
    assert result["quality"]


def test_feather_and_duckdb_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import duckdb
    import pyarrow.feather as feather

    from tests.survey_gen import survey_table

    table = survey_table(5_000, seed=5)
    feather.write_feather(table, tmp_path / "s.feather")
    memory = score(read_survey("s.feather", Reading()), ("Region",)).to_dict()
    counted = score(open_summary("s.feather", Reading(), by=("Region",)), ("Region",)).to_dict()
    # an Arrow file has no row numbers for DuckDB: which copy of a duplicate id is kept may
    # differ, the counts may not
    assert counted["quality"] == memory["quality"]
    with duckdb.connect(str(tmp_path / "cx.duckdb")) as con:
        con.register("t", table)
        con.execute("CREATE TABLE responses AS SELECT * FROM t")
    assert_same("duckdb:///cx.duckdb?table=responses", ("Region",))
    query = "SELECT * FROM responses WHERE \"Channel\" = 'web'"
    counted = score(open_summary("duckdb:///cx.duckdb", Reading(), query=query)).to_dict()
    import pyarrow.compute as pc

    web = table.filter(pc.equal(table.column("Channel"), "web"))
    assert counted["n_rows"] == web.num_rows


def test_cli_engine_option_and_messages(run, tmp_path):
    import pyarrow.parquet as pq

    from tests.survey_gen import survey_table

    pq.write_table(survey_table(3_000, seed=11), tmp_path / "s.parquet")
    auto = run("score", tmp_path / "s.parquet", "--by", "Region", "-f", "json")
    pandas = run(
        "score", tmp_path / "s.parquet", "--by", "Region", "-f", "json", "--engine", "pandas"
    )
    assert auto.exit_code == 0 and pandas.exit_code == 0, auto.output + pandas.output
    diffs = same(_normalised(json.loads(auto.stdout)), _normalised(json.loads(pandas.stdout)))
    assert not diffs, diffs[:5]
    r = run("score", tmp_path / "none-*.parquet")
    assert r.exit_code == 3
    assert "no file matches this pattern" in r.stderr
    r = run("score", ROOT / "sample_data" / "survey.xlsx", "--engine", "duckdb")
    assert r.exit_code == 3
    assert "the duckdb engine reads Parquet, Arrow/Feather and DuckDB tables" in r.stderr
    r = run("score", ROOT / "sample_data" / "survey_en.csv", "--engine", "spark")
    assert r.exit_code == 3
    assert "and DuckDB reads UTF-8 CSV files" in r.stderr.replace("\n", " ")
    r = run("score", tmp_path / "s.parquet", "--engine", "duckdb", "--show-excluded")
    assert r.exit_code == 3
    assert "use --engine pandas to list the excluded rows" in r.stderr.replace("\n", " ")
    r = run("score", tmp_path / "s.parquet", "--engine", "duckdb", "--strict")
    assert r.exit_code == 3
    assert "use --engine pandas with --strict" in r.stderr.replace("\n", " ")
    assert run("score", tmp_path / "s.parquet", "--strict").exit_code == 3  # auto: in memory
    r = run("score", "duckdb:///missing.duckdb?table=t")
    assert r.exit_code == 3
    assert "no such database file" in r.stderr


@pytest.mark.parametrize("split", [("--by", "Region", "--by", "Channel"), ("--wave", "Wave")])
def test_compare_segments_and_waves(run, tmp_path, split):
    import pyarrow.parquet as pq

    from tests.survey_gen import survey_table

    pq.write_table(survey_table(8_000, seed=13), tmp_path / "s.parquet")
    args = ("compare", tmp_path / "s.parquet", *split, "-f", "json")
    counted = run(*args, "--engine", "duckdb")
    memory = run(*args, "--engine", "pandas")
    assert counted.exit_code == 0 and memory.exit_code == 0, counted.output + memory.output
    a, b = json.loads(counted.stdout), json.loads(memory.stdout)
    assert a["files"][0]["banners"]
    diffs = same(_normalised(a), _normalised(b))
    assert not diffs, diffs[:5]


def _spark_or_skip() -> None:
    import shutil

    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'csitool[spark]')")
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: the Spark engine cannot start")


def test_spark_local_equals_pandas(tmp_path, monkeypatch):
    _spark_or_skip()
    monkeypatch.chdir(tmp_path)
    path = _to_parquet(ROOT / "sample_data" / "survey_en.csv", tmp_path / "s.parquet")
    by = ("Customer type", "Channel")
    memory = score(read_survey(str(path), Reading()), by).to_dict()
    spark = score(open_summary(str(path), Reading(), by=by, engine="spark"), by).to_dict()
    diffs = same(_normalised(spark), _normalised(memory))
    assert not diffs, "\n".join(diffs[:20])
    write(tmp_path / "g.parquet", 20_000, seed=17)
    config = tmp_path / "csitool.toml"
    config.write_text('[csi]\nmethod = "attribute_mean"\n', encoding="utf-8")
    reading = Reading(config=config)
    memory = score(read_survey("g.parquet", reading), ("Region",)).to_dict()
    spark = score(open_summary("g.parquet", reading, by=("Region",), engine="spark"), ("Region",))
    diffs = same(_normalised(spark.to_dict()), _normalised(memory))
    assert not diffs, "\n".join(diffs[:20])
    assert spark.to_dict()["quality"] == memory["quality"]


def test_blank_row_test_left_out_only_when_parquet_statistics_prove_no_blank_row(tmp_path):
    # the shortcut must see a NaN as missing: a float column without nulls but with a NaN
    # does not prove anything; a text column without nulls does
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from csitool.io.columnar import locate
    from csitool.io.engine.duck import DuckEngine
    from csitool.io.engine.plan import Plan, RowCodes

    nps = pa.array([9.0, None, 7.0], pa.float64())
    codes = RowCodes(6, 7, 8, 9)
    cases = {
        "nan.parquet": ({"x": pa.array([1.0, np.nan, 2.0]), "nps": nps}, False),
        "null.parquet": ({"k": pa.array(["a", None, "c"]), "nps": nps}, False),
        "key.parquet": ({"k": pa.array(["a", "b", "c"]), "nps": nps}, True),
    }
    for name, (columns, proved) in cases.items():
        pq.write_table(pa.table(columns), tmp_path / name)
        col = locate(str(tmp_path / name))
        assert col is not None
        engine = DuckEngine(col)
        plan = Plan(
            columns=tuple((c, pa.types.is_floating(a.type)) for c, a in columns.items()),
            items=("nps",),
            splits=(None,),
            codes=codes,
        )
        assert engine._never_blank(plan) is proved, name
        counts = engine.count(plan, {"nps": True, "x": True, "k": False})
        blank = sum(n for _s, r, n in counts.rows[None] if r == codes.blank_row)
        # hand count: row 2 is blank in nan.parquet (NaN and null) and null.parquet
        assert blank == (0 if name == "key.parquet" else 1), name
        engine.close()


def test_nan_cells_in_parquet_are_missing_as_in_memory(tmp_path, monkeypatch):
    # floats stored as NaN, not null: DuckDB's statistics propagation once folded isnan()
    # to false on them (Parquet min/max leave NaN out), so blank rows and missing weights
    # were miscounted
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from tests.survey_gen import survey_table

    monkeypatch.chdir(tmp_path)
    table = survey_table(6_000, seed=19)
    for k, field in enumerate(table.schema):
        if pa.types.is_floating(field.type):
            table = table.set_column(k, field, pc.fill_null(table.column(k), float("nan")))
    pq.write_table(table, tmp_path / "nan.parquet")
    result = assert_same("nan.parquet", ("Region",))
    assert result["quality"]["excluded"]["weight_missing"] > 0


def test_whitespace_is_what_str_strip_removes():
    """The engine's blank-cell test trims the characters Python's ``str.strip()`` removes;
    the list is written out, so it is checked against Unicode here."""
    from csitool.io.engine.sql import WHITESPACE

    every = "".join(ch for ch in map(chr, range(0x110000)) if ch.isspace())
    assert every == WHITESPACE
    assert (WHITESPACE + "x" + WHITESPACE).strip() == "x"


@pytest.mark.parametrize("collide", [False, True])
def test_repeated_ids_found_by_hash_are_numbered_by_the_id(collide, monkeypatch):
    """Hand case: ids a, NULL, a, b, NULL, c, a in this order. The later copies of a (rows 2
    and 6, 0-based) are the duplicates; NULL ids are never duplicates, and b and c appear
    once. With a hash under which every id collides (its length), rows whose hash repeats
    are still numbered by the id itself: b and c stay unmarked."""
    import duckdb

    from csitool.io.engine import sql
    from csitool.io.engine.plan import Plan, RowCodes

    if collide:  # every one-letter id (and NULL, via coalesce) shares one "hash"
        monkeypatch.setattr(sql.Dialect, "hash64", lambda self, x: f"length(coalesce({x}, 'z'))")
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (0, 'a'), (1, NULL), (2, 'a'), "
                "(3, 'b'), (4, NULL), (5, 'c'), (6, 'a')) AS v(k, id)")  # fmt: skip
    plan = Plan(columns=(), items=(), splits=(None,), codes=RowCodes(6, 7, 8, 9), id="id")
    rows = con.execute(sql.dup_statement(plan, sql.DUCKDB, "t", ["k"])).fetchall()
    assert sorted(rows) == [(2, 1), (6, 1)]
