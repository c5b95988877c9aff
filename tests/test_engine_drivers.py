"""``drivers`` through the DuckDB (and Spark) engine against the in-memory path: every figure
equal to 1e-9 and the row counts exactly, on the sample files, the real files of tests/data
with attributes and generated surveys (weights, segments, duplicate ids, blank rows, stages,
a target with no role, extreme weights), read as Parquet.

The oracle is the in-memory path, whose figures are tested against independent computations
(test_stats_drivers.py); the two paths share only the analysis of the complete rows, not how
those rows are read, parsed and filtered. The complete rows themselves are compared exactly
(same values, same order), which is what makes the figures equal.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from csitool.config import Reading, RoleSpec
from csitool.stats.drivers import drivers
from csitool.survey.build import read_survey
from csitool.survey.complete import from_survey
from csitool.survey.engine import open_summary
from tests.conftest import DATA, ROOT
from tests.survey_gen import survey_table, write
from tests.test_engine import REAL, _normalised, _spark_or_skip, _to_parquet
from tests.test_golden import same

A = [f"A{j}. attribute {j}" for j in range(1, 7)]


def engine_drivers(path: str, reading: Reading, by=(), engine="duckdb", **kw) -> dict:
    summary = open_summary(path, reading, by=tuple(by), engine=engine, keep_open=True,
                           moments=False)  # fmt: skip
    try:
        return drivers(summary, kw.pop("target", None), by, **kw).to_dict()
    finally:
        summary.close()


def assert_same(path: str, by=(), reading: Reading | None = None, **kw) -> dict:
    reading = reading or Reading()
    memory = drivers(read_survey(path, reading), kw.get("target"), by, **{
        k: v for k, v in kw.items() if k != "target"
    }).to_dict()  # fmt: skip
    counted = engine_drivers(path, reading, by, **kw)
    diffs = same(_normalised(counted), _normalised(memory))
    assert not diffs, "\n".join(diffs[:20])
    assert counted["rows"] == memory["rows"]  # used and left out: exactly
    return counted


@pytest.mark.parametrize(
    ("name", "by"),
    [
        ("survey_en.csv", ("Customer type", "Channel")),
        ("survey.xlsx", ("고객유형", "채널")),
    ],
)
def test_sample_files_as_parquet(name, by, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _to_parquet(ROOT / "sample_data" / name, tmp_path / "s.parquet")
    result = assert_same(str(path), by)
    assert result["attributes"]
    assert any(g["analysed"] for g in result["segments"][by[0]])


def test_sample_file_nps_target(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _to_parquet(ROOT / "sample_data" / "survey_en.csv", tmp_path / "s.parquet")
    result = assert_same(str(path), ("Channel",), target="nps", split="median", adjust="none")
    assert result["target"]["role"] == "nps"


# the real files of test_engine.py, and the messy exports whose drivers run in memory
REAL_DRIVERS = [
    *REAL,
    "messy/r01_nps_dirty_cp949.csv",
    "messy/r04_variants_c_dupids_cp949.csv",
    "messy/m03_dummies_bom.csv",
    "messy/s01_4pt_airline.csv",
    "messy/s07_1to7.csv",
    "messy/s08_1to10.csv",
    "messy/s09_0to10_not_nps.csv",
    "messy/s14_battery_ranges.csv",
]


def _memory_or_error(path: str, reading: Reading, **kw) -> dict | Exception:
    try:
        return drivers(read_survey(path, reading), **kw).to_dict()
    except Exception as exc:  # no attributes, too few rows: must be the same error both ways
        return exc


@pytest.mark.parametrize("name", REAL_DRIVERS)
def test_real_files_as_parquet(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = str(_to_parquet(DATA / name, tmp_path / "real.parquet"))
    reading = Reading()
    memory = _memory_or_error(path, reading)
    if isinstance(memory, Exception):
        with pytest.raises(type(memory)) as raised:
            engine_drivers(path, reading)
        assert str(raised.value) == str(memory)
        return
    counted = engine_drivers(path, reading)
    diffs = same(_normalised(counted), _normalised(memory))
    assert not diffs, "\n".join(diffs[:20])
    assert counted["rows"] == memory["rows"]


def test_real_files_most_are_analysed(tmp_path, monkeypatch):
    """The test above compares figures, not only errors, on most of its files."""
    monkeypatch.chdir(tmp_path)
    analysed = 0
    for k, name in enumerate(REAL_DRIVERS):
        path = str(_to_parquet(DATA / name, tmp_path / f"{k}.parquet"))
        analysed += not isinstance(_memory_or_error(path, Reading()), Exception)
    assert analysed >= 10


def test_real_airline_survey_target_without_role(tmp_path, monkeypatch):
    """The airline survey (4-point, no NPS or sat role): the overall experience as the
    target, a column read as one more item (a counting pass through the engine)."""
    monkeypatch.chdir(tmp_path)
    path = str(_to_parquet(DATA / "airline_survey.csv", tmp_path / "air.parquet"))
    attrs = ("o_booking", "o_checkin", "o_departure", "o_cabin", "o_meal", "o_crew")
    result = assert_same(path, (), Reading(roles=RoleSpec(attrs=attrs)), target="o_experience")
    assert result["target"]["role"] == "column"
    assert [a["column"] for a in result["attributes"]] == list(attrs)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "survey.parquet"
    write(path, 40_000, seed=7)
    return path


STAGES = '[stages]\n"first impression" = ["A1*", "A2*"]\n"core service" = ["A3*", "A4*", "A5*"]\n'


def test_generated_survey_weights_segments_duplicates_stages(generated, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "csitool.toml"
    config.write_text(STAGES, encoding="utf-8")
    by = ("Region", "Wave", "Channel")
    result = assert_same(str(generated), by, Reading(config=config))
    left = result["rows"]["left_out"]
    # the generator's faults are all there: counted, not just passed through
    for reason in ("blank_row", "duplicate_id", "weight_missing", "weight_not_positive"):
        assert left[reason] > 0
    assert left["incomplete"] > 0
    assert [s["name"] for s in result["stages"]] == ["first impression", "core service"]
    assert [g["value"] for g in result["segments"]["Region"]][-1] == "(blank)"


def _grouped(x: np.ndarray, w: np.ndarray | None) -> pd.DataFrame:
    """Rows of ``x`` (NaN a value like any other) grouped by pandas, sorted: count, sum w,
    sum w^2 per distinct row."""
    frame = pd.DataFrame(x, columns=[f"k{j}" for j in range(x.shape[1])])
    keys = list(frame.columns)
    frame["w"] = 1.0 if w is None else w
    frame["w2"] = frame["w"] ** 2
    out = frame.groupby(keys, dropna=False).agg(n=("w", "size"), sw=("w", "sum"),
                                                sw2=("w2", "sum"))  # fmt: skip
    return out.reset_index().sort_values(keys, na_position="last").reset_index(drop=True)


def test_complete_rows_grouped_as_pandas_groups_them(generated, tmp_path, monkeypatch):
    """The fetched rows are the in-memory complete rows grouped: each distinct (values,
    NPS, segment) once with its count, sum of weights and of squared weights, as pandas
    groups the in-memory rows (the oracle), in a fixed order."""
    monkeypatch.chdir(tmp_path)
    survey = read_survey(str(generated), Reading())
    roles = survey.roles
    required, optional = [roles.sat, *roles.attrs], [roles.nps]
    memory = from_survey(survey, required, optional, ("Region",))
    summary = open_summary(str(generated), Reading(), by=("Region",), keep_open=True)
    try:
        counted = summary.complete(required, optional, ("Region",))
    finally:
        summary.close()
    assert counted.columns == memory.columns == required
    assert memory.freq is None and memory.n > 15_000
    assert counted.freq is not None and counted.weights2 is not None
    assert counted.respondents == memory.n
    assert counted.segments["Region"][0] == memory.segments["Region"][0]

    def table(rows) -> np.ndarray:
        return np.column_stack(
            [rows.x, rows.optional[roles.nps], rows.segments["Region"][1].astype(float)]
        )

    expected = _grouped(table(memory), memory.weights)
    got = pd.DataFrame(table(counted), columns=[f"k{j}" for j in range(table(counted).shape[1])])
    got["n"], got["sw"], got["sw2"] = counted.freq, counted.weights, counted.weights2
    keys = [c for c in got.columns if c.startswith("k")]
    got = got.sort_values(keys, na_position="last").reset_index(drop=True)
    assert len(got) == len(expected) < memory.n  # identical rows did collapse
    np.testing.assert_array_equal(got[keys].to_numpy(), expected[keys].to_numpy())
    np.testing.assert_array_equal(got["n"].to_numpy(), expected["n"].to_numpy())
    np.testing.assert_allclose(got["sw"], expected["sw"], rtol=1e-12)
    np.testing.assert_allclose(got["sw2"], expected["sw2"], rtol=1e-12)
    assert counted.counts == memory.counts
    # the text-labelled attribute arrived as numbers (mapped in SQL)
    assert set(np.unique(counted.x[:, -1])) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    # the fixed order: fetched twice, the same rows in the same order
    summary = open_summary(str(generated), Reading(), by=("Region",), keep_open=True)
    try:
        again = summary.complete(required, optional, ("Region",))
    finally:
        summary.close()
    np.testing.assert_array_equal(again.x, counted.x)
    np.testing.assert_array_equal(again.weights, counted.weights)


def test_unweighted_rows_collapse(tmp_path, monkeypatch):
    """Without a weight column, identical rows collapse to their count (sw = sw2 = n)."""
    monkeypatch.chdir(tmp_path)
    import pyarrow.parquet as pq

    table = survey_table(8_000, seed=3).drop(["Weight"])
    pq.write_table(table, tmp_path / "nw.parquet")
    result = assert_same("nw.parquet", ("Region",))
    survey = read_survey("nw.parquet", Reading())
    required = [survey.roles.sat, *survey.roles.attrs]
    summary = open_summary("nw.parquet", Reading(), keep_open=True)
    try:
        counted = summary.complete(required, [], ())
    finally:
        summary.close()
    assert counted.weights is None and counted.freq is not None
    assert counted.respondents == result["rows"]["used"] > counted.n


def test_target_column_without_role(generated, tmp_path, monkeypatch):
    """A target that is no role is read as one more item: a counting pass through the
    engine, its scale decided on its own, as in memory."""
    monkeypatch.chdir(tmp_path)
    reading = Reading(roles=RoleSpec(attrs=tuple(A[:5])))
    result = assert_same(str(generated), ("Channel",), reading, target=A[5])
    assert result["target"]["role"] == "column"
    assert result["target"]["column"] == A[5]


def test_extreme_weights_rescaled_alike(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = survey_table(6_000, seed=21)
    tiny = pa.array(
        [None if v is None else v * 1e-200 for v in table.column("Weight").to_pylist()],
        type=pa.float64(),
    )
    table = table.set_column(table.schema.get_field_index("Weight"), "Weight", tiny)
    pq.write_table(table, tmp_path / "tiny.parquet")
    result = assert_same("tiny.parquet", ("Region",))
    assert result["n_eff"] > 1000  # squared weights of 1e-200 would underflow to 0


def test_errors_alike(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import pyarrow.parquet as pq

    table = survey_table(12, seed=2)  # about 5 complete rows for 6 attributes
    pq.write_table(table, tmp_path / "small.parquet")
    with pytest.raises(Exception) as memory:
        drivers(read_survey("small.parquet", Reading()), None, ("Region",))
    with pytest.raises(type(memory.value)) as counted:
        engine_drivers("small.parquet", Reading(), ("Region",))
    assert str(counted.value) == str(memory.value)
    assert "complete rows" in str(counted.value)


def test_duckdb_table_and_query(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import duckdb
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = survey_table(6_000, seed=5)
    with duckdb.connect(str(tmp_path / "cx.duckdb")) as con:
        con.register("t", table)
        con.execute("CREATE TABLE responses AS SELECT * FROM t")
    assert_same("duckdb:///cx.duckdb?table=responses", ("Region",))
    # a query (which has no row order) on a table whose ids are unique: the same figures as
    # a Parquet file of the web channel only
    import pyarrow as pa

    ids = pa.array([f"U{i}" for i in range(table.num_rows)])
    unique = table.set_column(table.schema.get_field_index("Respondent ID"), "Respondent ID", ids)
    with duckdb.connect(str(tmp_path / "u.duckdb")) as con:
        con.register("t", unique)
        con.execute("CREATE TABLE responses AS SELECT * FROM t")
    web = unique.filter(pc.equal(unique.column("Channel"), "web"))
    pq.write_table(web, tmp_path / "web.parquet")
    query = "SELECT * FROM responses WHERE \"Channel\" = 'web'"
    summary = open_summary("duckdb:///u.duckdb", Reading(), query=query, keep_open=True,
                           moments=False)  # fmt: skip
    try:
        counted = drivers(summary, None, ()).to_dict()
    finally:
        summary.close()
    memory = drivers(read_survey("web.parquet", Reading())).to_dict()
    assert counted["rows"]["n_rows"] == web.num_rows
    assert counted["rows"] == memory["rows"]
    counted.pop("path"), memory.pop("path")
    diffs = same(_normalised(counted), _normalised(memory))
    assert not diffs, "\n".join(diffs[:20])


def test_cli_engine_option_and_messages(run, tmp_path):
    import pyarrow.parquet as pq

    pq.write_table(survey_table(4_000, seed=11), tmp_path / "s.parquet")
    args = ("drivers", tmp_path / "s.parquet", "--by", "Region", "-f", "json")
    auto = run(*args)
    pandas = run(*args, "--engine", "pandas")
    assert auto.exit_code == 0 and pandas.exit_code == 0, auto.output + pandas.output
    a, b = json.loads(auto.stdout), json.loads(pandas.stdout)
    assert a["files"][0]["attributes"]
    diffs = same(_normalised(a), _normalised(b))
    assert not diffs, diffs[:5]
    r = run("drivers", tmp_path / "s.parquet", "--engine", "duckdb", "--show-excluded")
    assert r.exit_code == 3
    assert "use --engine pandas to list the excluded rows" in r.stderr.replace("\n", " ")
    shown = run("drivers", tmp_path / "s.parquet", "--show-excluded", "-f", "json")
    assert shown.exit_code == 0, shown.output  # auto reads into memory to list the rows
    assert json.loads(shown.stdout)["files"][0]["excluded_rows"]
    r = run("drivers", ROOT / "sample_data" / "survey_en.csv", "--engine", "duckdb")
    assert r.exit_code == 3
    assert "the duckdb engine reads Parquet, Arrow/Feather and DuckDB tables" in r.stderr
    r = run("drivers", tmp_path / "s.parquet", "--by", "Nowhere")
    assert r.exit_code != 0
    assert "Nowhere" in r.stderr


def test_spark_local_equals_pandas(tmp_path, monkeypatch):
    _spark_or_skip()
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "g.parquet", 20_000, seed=17)
    config = tmp_path / "csitool.toml"
    config.write_text(STAGES, encoding="utf-8")
    reading = Reading(config=config)
    memory = drivers(read_survey("g.parquet", reading), None, ("Region",)).to_dict()
    spark = engine_drivers("g.parquet", reading, ("Region",), engine="spark")
    diffs = same(_normalised(spark), _normalised(memory))
    assert not diffs, "\n".join(diffs[:20])
    assert spark["rows"] == memory["rows"]


def test_packing_orders_and_unpacks_like_the_values():
    # independent check of the packed keys: for random rows of answer indexes, the keys
    # computed by hand from packing()'s strides unpack to the same indexes, and sorting by
    # the keys sorts the rows as sorting by the values (an unused optional slot last)
    from csitool.io.engine.plan import IndexItem
    from csitool.io.engine.sql import PACK_LIMIT, packing

    rng = np.random.default_rng(2)
    required = tuple(IndexItem(f"q{j}", True, tuple((float(v), float(v)) for v in range(11)))
                     for j in range(20))  # fmt: skip
    optional = (IndexItem("o", True, ((1.0, 1.0), (2.0, 2.0))),)
    places = packing(required, optional)
    assert [p.card for p in places] == [11] * 20 + [3]
    n_keys = max(p.key for p in places) + 1
    # 11**17 < 2**62 <= 11**18: 17 items in the first key, 3 and the optional in the second
    assert [p.key for p in places] == [0] * 17 + [1] * 4 and n_keys == 2
    for k in range(n_keys):
        members = [p for p in places if p.key == k]
        assert np.prod([float(p.card) for p in members]) < PACK_LIMIT
    idx = np.column_stack([rng.integers(0, p.card, 2_000) for p in places])
    keys = np.zeros((2_000, n_keys), dtype=np.int64)
    for j, p in enumerate(places):
        keys[:, p.key] += idx[:, j] * p.stride
    for j, p in enumerate(places):
        np.testing.assert_array_equal((keys[:, p.key] // p.stride) % p.card, idx[:, j])
    by_keys = np.lexsort(keys.T[::-1])
    by_values = np.lexsort(idx.T[::-1])
    np.testing.assert_array_equal(idx[by_keys], idx[by_values])


def test_items_packed_into_several_keys(generated, tmp_path, monkeypatch):
    # a small packing limit spreads the items over several keys: the same figures
    import csitool.io.engine.sql as sql

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sql, "PACK_LIMIT", 30)
    places = sql.packing(*(
        tuple(sql.IndexItem(str(j), True, tuple((float(v), float(v)) for v in range(c)))
              for j, c in enumerate(cards))
        for cards in ((5, 5, 5, 5), (11,))
    ))  # fmt: skip
    assert [p.key for p in places] == [0, 0, 1, 1, 2]  # 5 * 5 < 30 <= 5 * 5 * 5
    assert_same(str(generated), ("Region",))
