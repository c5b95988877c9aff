"""``check`` through the engines: the same JSON (figures to 1e-9, verdicts, messages and the
rows listed behind a failure exactly) and the same exit code with ``--engine pandas`` and
``--engine duckdb`` on Parquet, for every rule passing and failing, with a baseline wave.

The oracle is the in-memory path, whose rules are tested against hand calculations and
scipy in test_check.py; the engine shares the rules and the finishing statistics with it,
not the counting of rows (SQL over the Parquet file: the ledger, the off-scale answers, the
repeated ids and the blank cells, and the positions of the first rows of each).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from csitool.config import CheckSettings, Reading
from csitool.stats.check import check
from csitool.survey.build import read_survey
from csitool.survey.engine import open_summary
from tests.survey_gen import survey_table
from tests.test_golden import same

#: text that Python's str.strip() empties, as the in-memory test of a blank cell does
BLANKS = ["", "  ", "\t", "\u00a0", "\u3000 ", "\n\r"]
NPS = "How likely are you to recommend us (0-10)"
SAT = "Overall satisfaction"


def _faulty(rows: int, seed: int):
    """The generated survey (blank rows, repeated ids, bad weights, NPS answers off the
    scale) with the overall satisfaction as text: a few answers not numbers ("n/a?") and a
    few off its 1-5 scale ("9"), so that rows are off the scale in two items; and 30
    comments of whitespace only."""
    import pyarrow as pa

    table = survey_table(rows, seed)
    sat = table.column(SAT).to_pylist()
    rng = np.random.default_rng(seed)
    for i in rng.choice(rows, 40, replace=False):
        sat[int(i)] = "n/a?" if i % 2 else "9"
    text = pa.array([None if v is None else (v if isinstance(v, str) else f"{v:g}") for v in sat])
    table = table.set_column(table.schema.get_field_index(SAT), SAT, text)
    # comments of whitespace only (ASCII and Unicode): blank cells for --max-missing
    comments = table.column("Comments").to_pylist()
    for k, i in enumerate(rng.choice(rows, 30, replace=False)):
        comments[int(i)] = BLANKS[k % len(BLANKS)]
    return table.set_column(
        table.schema.get_field_index("Comments"), "Comments", pa.array(comments, pa.string())
    )


def _clean(rows: int, seed: int):
    """The generated survey without its faults: ids unique, every NPS answer on 0-10, every
    weight positive."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = survey_table(rows, seed)
    ids = table.column("Respondent ID").to_pylist()
    seen: set[str] = set()
    first = []
    for v in ids:
        first.append(v is not None and v not in seen)
        if v is not None:
            seen.add(v)
    nps = table.column(NPS)
    on_scale = pc.and_(pc.greater_equal(nps, 0), pc.less_equal(nps, 10))
    weight = table.column("Weight")
    keep = pc.and_(pc.and_(pa.array(first), pc.fill_null(on_scale, False)), pc.greater(weight, 0))
    return table.filter(pc.fill_null(keep, False))


def _better(rows: int, seed: int):
    """A baseline wave that scored higher: every NPS and satisfaction answer one point up
    (within the scale), so both figures fall in the waves checked against it."""
    import pyarrow.compute as pc

    table = survey_table(rows, seed)
    for name, top in ((NPS, 10), (SAT, 5)):
        column = table.column(name)
        up = pc.if_else(pc.less(column, top), pc.add(column, 1), column)
        table = table.set_column(table.schema.get_field_index(name), name, up)
    return table


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    import pyarrow.parquet as pq

    folder = tmp_path_factory.mktemp("check")
    out = {
        "faulty": folder / "faulty.parquet",
        "clean": folder / "clean.parquet",
        "before": folder / "before.parquet",
    }
    pq.write_table(_faulty(6_000, seed=21), out["faulty"])
    pq.write_table(_clean(6_000, seed=22), out["clean"])
    pq.write_table(_better(5_000, seed=23), out["before"])
    return out


def _both(run, *args) -> dict:
    """``check`` with pandas and with duckdb: the same exit code and the same JSON."""
    memory = run("check", *args, "-f", "json", "--engine", "pandas")
    counted = run("check", *args, "-f", "json", "--engine", "duckdb")
    assert memory.exit_code in (0, 1), memory.output
    assert counted.exit_code == memory.exit_code, counted.output
    a, b = json.loads(counted.stdout), json.loads(memory.stdout)
    diffs = same(a, b)
    assert not diffs, "\n".join(diffs[:20])
    return b["files"][0]


def _verdicts(doc: dict) -> dict[tuple[str, str], str]:
    return {(r["rule"], r["scope"]): r["verdict"] for r in doc["rules"]}


# generated survey (seed 21/22): NPS about -27, CSI about 64, detractors about 52%, top box
# about 24%, blank comments about 90%, NPS and CSI several points below the baseline (seed
# 23, one point up): "pass" limits sit well inside, "fail" limits well outside
PASSING = ("--min-nps", "-50", "--min-csi", "50", "--min-n", "100", "--max-detractors", "60",
           "--min-top-box", "10", "--max-excluded", "5", "--require-columns",
           "Respondent ID,Comments,Region", "--max-missing", "95", "--max-drop", "nps=50",
           "--max-drop", "csi=50")  # fmt: skip
FAILING = ("--min-nps", "90", "--min-csi", "99", "--min-n", "100000", "--max-detractors", "1",
           "--min-top-box", "99", "--max-excluded", "0.01", "--require-columns",
           "Respondent ID,Comments,Region,Store", "--max-missing", "1", "--max-drop", "nps=0",
           "--max-drop", "csi=0", "--no-significance")  # fmt: skip
RULES = ("min_nps", "min_csi", "min_n", "max_detractors", "min_top_box", "max_excluded",
         "require_column", "max_missing", "in_scale", "unique_ids", "max_drop_nps",
         "max_drop_csi")  # fmt: skip


def test_every_rule_passes_the_same_way(run, files):
    doc = _both(run, files["clean"], "--baseline", files["before"], *PASSING)
    verdicts = _verdicts(doc)
    assert {rule for rule, _ in verdicts} == set(RULES)
    assert set(verdicts.values()) == {"pass"}, verdicts


def test_every_rule_fails_the_same_way(run, files):
    doc = _both(run, files["faulty"], "--baseline", files["before"], *FAILING)
    verdicts = _verdicts(doc)
    assert {rule for rule, _ in verdicts} == set(RULES)
    assert verdicts[("require_column", "Store")] == "fail"
    failed = {rule for (rule, _), v in verdicts.items() if v == "fail"}
    assert failed == set(RULES), verdicts
    rules = {(r["rule"], r["scope"]): r for r in doc["rules"]}
    # the rows behind a failure: listed, the first 20, from the engine's positions
    in_scale = rules[("in_scale", "total")]
    assert NPS in in_scale["message"] and SAT in in_scale["message"]
    assert len(in_scale["rows"]) == 20 and in_scale["rows"] == sorted(in_scale["rows"])
    assert rules[("unique_ids", "Respondent ID")]["rows"]
    assert len(rules[("max_missing", "Comments")]["rows"]) == 20


def test_segments_and_low_base_the_same_way(run, files):
    # --min-n 400: the (blank) region (about 5% of 6,000) is below it, so not judged
    doc = _both(run, files["faulty"], "--by", "Region", "--by", "Channel", "--min-n", "400",
                "--min-nps", "35", "--min-top-box", "30")  # fmt: skip
    verdicts = _verdicts(doc)
    assert verdicts[("min_nps", "Region = (blank)")] == "not_judged"
    scoped = {v for (rule, scope), v in verdicts.items() if scope.startswith("Channel = ")}
    assert "pass" in scoped or "fail" in scoped


def test_unjudged_rules_the_same_way(run, tmp_path):
    import pyarrow.parquet as pq

    # no overall satisfaction item: --min-top-box cannot be judged (fails, or is allowed)
    table = survey_table(2_000, seed=31)
    table = table.drop_columns([SAT])
    pq.write_table(table, tmp_path / "nosat.parquet")
    doc = _both(run, tmp_path / "nosat.parquet", "--min-top-box", "10")
    assert _verdicts(doc)[("min_top_box", "total")] == "fail"
    doc = _both(run, tmp_path / "nosat.parquet", "--min-top-box", "10", "--allow-unjudged")
    assert _verdicts(doc)[("min_top_box", "total")] == "not_judged"


def test_rows_in_source_order_across_files_feather_and_duckdb(tmp_path, monkeypatch):
    """Rows are placed by (file, row in file) for a glob of Parquet files, by rowid for a
    DuckDB table and by scan order for Feather: the same row numbers as in memory."""
    import duckdb
    import pyarrow.feather as feather
    import pyarrow.parquet as pq

    monkeypatch.chdir(tmp_path)
    table = _faulty(4_500, seed=41)
    parts = tmp_path / "parts"
    parts.mkdir()
    for k in range(3):  # ids repeat across the parts too
        pq.write_table(table.slice(k * 1500, 1500), parts / f"p{k}.parquet")
    feather.write_feather(table, tmp_path / "s.feather")
    with duckdb.connect(str(tmp_path / "cx.duckdb")) as con:
        con.register("t", table)
        con.execute("CREATE TABLE responses AS SELECT * FROM t")
    spec = CheckSettings(require=("Comments", "Region"), max_missing=1.0)
    for source in (str(parts / "*.parquet"), "duckdb:///cx.duckdb?table=responses"):
        memory = check(read_survey(source, Reading()), spec).to_dict()
        counted = check(open_summary(source, Reading(), facts=spec.require), spec).to_dict()
        diffs = same(counted, memory)
        assert not diffs, "\n".join(diffs[:20])
        rows = {r["rule"]: r["rows"] for r in memory["rules"]}
        assert rows["in_scale"] and rows["unique_ids"] and rows["max_missing"]
    # Feather: no row order for the duplicate-id pre-pass (which copy is kept may differ),
    # the blank cells and their rows may not
    memory = check(read_survey("s.feather", Reading()), spec).to_dict()
    counted = check(open_summary("s.feather", Reading(), facts=spec.require), spec).to_dict()
    m = {(r["rule"], r["scope"]): r for r in memory["rules"]}
    c = {(r["rule"], r["scope"]): r for r in counted["rules"]}
    assert c[("max_missing", "Comments")] == m[("max_missing", "Comments")]
    assert (
        c[("unique_ids", "Respondent ID")]["observed"]
        == m[("unique_ids", "Respondent ID")]["observed"]
    )


def test_blank_cells_counted_as_python_strips_them(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    # hand count: of 9 comments, 7 are blank (None and six of whitespace only), "a" and
    # " b " are not; 7 / 9 = 77.8% > 50%
    comments = [None, *BLANKS, "a", " b "]
    n = len(comments)
    table = pa.table({"nps": pa.array([float(i % 11) for i in range(n)]),
                      "comment": pa.array(comments, pa.string())})  # fmt: skip
    pq.write_table(table, tmp_path / "b.parquet")
    spec = CheckSettings(require=("comment",), max_missing=50.0)
    path = str(tmp_path / "b.parquet")
    memory = check(read_survey(path, Reading()), spec).to_dict()
    counted = check(open_summary(path, Reading(), facts=spec.require), spec).to_dict()
    rule = next(r for r in counted["rules"] if r["rule"] == "max_missing")
    assert rule["observed"] == pytest.approx(100 * 7 / 9)
    assert rule["rows"] == [1, 2, 3, 4, 5, 6, 7]
    assert not same(counted, memory)


def test_summary_without_facts_is_refused(files):
    summary = open_summary(str(files["clean"]), Reading())
    with pytest.raises(ValueError, match="open_summary"):
        check(summary, CheckSettings())


def test_engine_messages(run, files, tmp_path):
    import shutil

    from tests.conftest import ROOT

    csv = tmp_path / "s.csv"
    shutil.copy(ROOT / "sample_data" / "survey_en.csv", csv)
    r = run("check", csv, "--engine", "duckdb")
    assert r.exit_code == 3
    assert "the duckdb engine reads Parquet, Arrow/Feather and DuckDB tables" in r.stderr
    r = run("check", files["faulty"], "--engine", "duckdb", "--strict")
    assert r.exit_code == 3
    assert "use --engine pandas with --strict" in r.stderr.replace("\n", " ")
    # auto: a Parquet file is counted by duckdb, a CSV baseline read into memory
    r = run("check", files["clean"], "--baseline", csv, "--max-drop", "nps=100", "-f", "json")
    assert r.exit_code == 0, r.output
