"""``voc`` through the engines against the in-memory path: every figure (JSON) equal to 1e-9,
counts exactly, examples and the contradictions' rows at the same row numbers, on the sample
files, a generated survey with Korean and English comments, weights, segments, duplicate
ids and blank rows (one Parquet file and a glob of parts), several comment columns, and
Spark local on one survey.

The oracle is the in-memory path, whose figures are tested against hand counts and an
independent interval computation in test_voc.py; here the two paths share only the tagging
and the finishing statistics, not the grouping of rows (pandas in memory, SQL in the engine).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from csitool.batch import load_codebook, load_sentiment_model
from csitool.config import Reading
from csitool.stats.voc import impact, impact_counts, voc
from csitool.survey.build import read_survey
from csitool.survey.engine import open_comments
from tests.conftest import ROOT
from tests.survey_gen import survey_table, write
from tests.test_engine import _spark_or_skip, _to_parquet
from tests.test_golden import same


def assert_same_voc(
    path: str, by: tuple[str, ...] = (), text: tuple[str, ...] | None = None, engine="duckdb"
) -> dict:
    survey = read_survey(path, Reading())
    book = load_codebook(None, survey.settings.voc, survey.settings.config_path)
    model = load_sentiment_model()
    memory = voc(survey, book, text, by, model=model)[0].to_dict()
    summary, counts = open_comments(path, Reading(), text, by=by, engine=engine)
    try:
        counted = voc(summary, book, text, by, model=model, counts=counts)[0].to_dict()
    finally:
        counts.close()
    diffs = same(counted, memory)
    assert not diffs, "\n".join(diffs[:20])
    return counted


@pytest.mark.parametrize(
    ("name", "by"),
    [("survey_en.csv", ("Customer type", "Channel")), ("survey.xlsx", ("고객유형", "채널"))],
)
def test_sample_files_as_parquet(name, by, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _to_parquet(ROOT / "sample_data" / name, tmp_path / "s.parquet")
    doc = assert_same_voc(str(path), by)
    assert doc["answered"] > 0 and doc["themes"][0]["examples"]
    assert doc["segments"][by[0]]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "survey.parquet"
    write(path, 30_000, seed=7)
    return path


def test_generated_survey_korean_english_weights_duplicates(generated, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = assert_same_voc(str(generated), ("Region", "Wave"))
    # the generator's faults and comments are all there, counted, not just passed through
    assert doc["blank"] > 0 and doc["non_answer"] > 0
    names = {t["name"] for t in doc["themes"] if t["mentions"]}
    assert {"wait", "price", "staff"} <= names
    texts = " ".join(e["text"] for t in doc["themes"] for e in t["examples"])
    assert any("\uac00" <= ch <= "\ud7a3" for ch in texts) and "staff" in texts.lower()
    c = doc["contradictions"]
    assert c["rows"] and len(c["rows"]) == c["promoters_negative"] + c["detractors_positive"]
    assert [g["value"] for g in doc["segments"]["Region"]][-1] == "(blank)"
    # duplicate ids and bad weights are left out of voc as out of score
    table = survey_table(30_000, seed=7)
    assert doc["n_rows"] < table.num_rows


def test_parts_and_two_comment_columns(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "parts", 12_000, seed=3, part_rows=5_000)
    # rows numbered across the files in order: the second file's first row is 5001
    doc = assert_same_voc(str(tmp_path / "parts" / "*.parquet"), ("Channel",))
    rows = [r["row"] for r in doc["contradictions"]["rows"]]
    assert rows == sorted(rows) and rows[-1] > 10_000
    assert_same_voc(str(tmp_path / "parts" / "*.parquet"), (), ("Comments", "Channel"))


def test_cli_engine_options(run, tmp_path):
    import pyarrow.parquet as pq

    pq.write_table(survey_table(4_000, seed=11), tmp_path / "s.parquet")
    args = ("voc", tmp_path / "s.parquet", "--by", "Region", "-f", "json")
    auto = run(*args)
    pandas = run(*args, "--engine", "pandas")
    duck = run(*args, "--engine", "duckdb", "--jobs", "1")
    assert auto.exit_code == pandas.exit_code == duck.exit_code == 0, auto.stderr + duck.stderr
    a, b = json.loads(auto.stdout), json.loads(pandas.stdout)
    assert not same(a, b) and not same(json.loads(duck.stdout), b)
    r = run("voc", ROOT / "sample_data" / "survey_en.csv", "--engine", "duckdb")
    assert r.exit_code == 3
    assert "the duckdb engine reads Parquet, Arrow/Feather and DuckDB tables" in r.stderr
    r = run(*args, "--engine", "duckdb", "--export-tagged", tmp_path / "t.csv")
    assert r.exit_code == 2
    assert "use --engine pandas with --export-tagged" in r.stderr.replace("\n", " ")
    r = run(*args, "--export-tagged", tmp_path / "t.csv")  # auto: in memory
    assert r.exit_code == 0 and (tmp_path / "t.csv").exists()


def test_impact_from_groups_equals_rows():
    # independent check of the grouped interval: the same rows as one entry each (impact)
    # and grouped by (value, mention) with n, sum w, sum w^2 (impact_counts)
    rng = np.random.default_rng(4)
    x = rng.choice([-100.0, 0.0, 100.0, np.nan], 500)
    d = rng.random(500) < 0.3
    w = rng.lognormal(0, 0.5, 500)
    by_row = impact(x, d, w, 0.95)
    keys = sorted({(v, m) for v, m in zip(x.tolist(), d.tolist(), strict=True)}, key=str)
    gx, gd, gn, gw, gw2 = [], [], [], [], []
    for v, m in keys:
        sel = (np.isnan(x) if np.isnan(v) else x == v) & (d == m)
        gx.append(v)
        gd.append(m)
        gn.append(sel.sum())
        gw.append(w[sel].sum())
        gw2.append((w[sel] ** 2).sum())
    grouped = impact_counts(np.array(gx), np.array(gd), np.array(gn, float), np.array(gw),
                            np.array(gw2), 0.95)  # fmt: skip
    assert grouped == pytest.approx(by_row, rel=1e-12)


def test_spark_local_equals_pandas(generated, tmp_path, monkeypatch):
    _spark_or_skip()
    monkeypatch.chdir(tmp_path)
    assert_same_voc(str(generated), ("Region",), engine="spark")


def test_duckdb_table_and_feather(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import duckdb
    import pyarrow.feather as feather

    table = survey_table(6_000, seed=5)
    with duckdb.connect(str(tmp_path / "cx.duckdb")) as con:
        con.register("t", table)
        con.execute("CREATE TABLE responses AS SELECT * FROM t")
    # a table has a row order (rowid): the same rows as in memory
    assert_same_voc("duckdb:///cx.duckdb?table=responses", ("Region",))
    # a Feather file has none: the same figures, examples unnumbered (README: Large data)
    feather.write_feather(table.drop_columns(["Respondent ID"]), tmp_path / "s.feather")
    survey = read_survey("s.feather", Reading())
    book = load_codebook(None, survey.settings.voc, survey.settings.config_path)
    memory = voc(survey, book)[0].to_dict()
    summary, counts = open_comments("s.feather", Reading())
    counted = voc(summary, book, counts=counts)[0].to_dict()
    counts.close()

    def figures(d: dict) -> dict:
        d = json.loads(json.dumps(d))
        for t in d["themes"]:
            t.pop("examples")
        d.pop("untagged_examples")
        d["contradictions"].pop("rows")
        return d

    assert not same(figures(counted), figures(memory))
    assert all(e["row"] is None for t in counted["themes"] for e in t["examples"])
    rows = counted["contradictions"]["rows"]
    assert len(rows) == len(memory["contradictions"]["rows"])
    assert {r["row"] for r in rows} <= {None}


def test_contradictions_listed_first_rows_only(tmp_path, monkeypatch):
    # [voc] contradictions_listed caps the listing, not the counts: in memory and through
    # DuckDB (a glob of three parts, the cut row inside the second file) the total lists
    # the first flagged rows by row, which are the first of the full listing (computed
    # here with the cap off), and the counts stay those of every row
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "parts", 9_000, seed=3, part_rows=3_000)
    path = str(tmp_path / "parts" / "*.parquet")
    survey = read_survey(path, Reading())
    book = load_codebook(None, survey.settings.voc, survey.settings.config_path)
    model = load_sentiment_model()
    every = voc(survey, book, model=model, listed=0)[0].to_dict()["contradictions"]
    assert every["listed"] == every["flagged"] == len(every["rows"])
    assert every["flagged"] == every["promoters_negative"] + every["detractors_positive"]
    cap = sum(r["row"] <= 3_000 for r in every["rows"]) + 20  # the cut: in the second part
    assert cap + 50 < every["flagged"]

    (tmp_path / "csitool.toml").write_text(f"[voc]\ncontradictions_listed = {cap}\n", "utf-8")
    counted = assert_same_voc(path, ("Region",))["contradictions"]
    assert counted["listed"] == len(counted["rows"]) == cap
    assert counted["rows"] == every["rows"][:cap]
    assert 3_000 < counted["rows"][-1]["row"] <= 6_000
    keys = ("promoters_negative", "detractors_positive", "flagged")
    assert {k: counted[k] for k in keys} == {k: every[k] for k in keys}
    # a cap above the number of flagged groups (a group is a comment, NPS and satisfaction
    # answer and Region: the generator repeats comments) but below the flagged rows
    cap = every["flagged"] - 1
    (tmp_path / "csitool.toml").write_text(f"[voc]\ncontradictions_listed = {cap}\n", "utf-8")
    counted = assert_same_voc(path, ("Region",))["contradictions"]
    assert counted["rows"] == every["rows"][:cap]


def test_contradictions_listed_from_few_groups(tmp_path, monkeypatch):
    # 600 promoters writing one of two clearly negative comments: two flagged groups of
    # 300 rows each (fewer groups than the cap), rows interleaved; the first 7 rows listed
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.chdir(tmp_path)
    bad = ["Terrible, rude staff and awful slow service.", "Worst service ever, very rude."]
    pq.write_table(
        pa.table({
            "Respondent ID": list(range(1, 601)),
            "How likely are you to recommend us (0-10)": [10] * 600,
            "Overall satisfaction": [5] * 600,
            "Comments": [bad[k % 2] for k in range(600)],
        }),
        tmp_path / "s.parquet",
    )  # fmt: skip
    (tmp_path / "csitool.toml").write_text("[voc]\ncontradictions_listed = 7\n", "utf-8")
    c = assert_same_voc(str(tmp_path / "s.parquet"))["contradictions"]
    assert (c["promoters_negative"], c["flagged"], c["listed"]) == (600, 600, 7)
    assert [r["row"] for r in c["rows"]] == list(range(1, 8))
    assert [r["text"] for r in c["rows"]] == [bad[k % 2] for k in range(7)]


def test_without_a_weight_column(tmp_path, monkeypatch):
    # no weight column: the grouping leaves out the blank-row test and takes the blank
    # rows back out of the group whose keys are all blank; every figure as in memory,
    # with and without --by (the blank rows then sit in the (blank) segment's group)
    import pyarrow.parquet as pq

    monkeypatch.chdir(tmp_path)
    table = survey_table(12_000, seed=9).drop(["Weight"])
    pq.write_table(table, tmp_path / "nw.parquet")
    survey = read_survey("nw.parquet", Reading())
    blank = survey.ledger.to_dict()["excluded"].get("blank_row", 0)
    assert blank > 0 and survey.weights is None
    for by in ((), ("Region",), ("Region", "Channel")):
        doc = assert_same_voc("nw.parquet", by)
        assert doc["n_rows"] == survey.ledger.to_dict()["rows_kept"] < survey.n_rows - blank


def test_contradictions_listed_setting_is_checked(tmp_path):
    from csitool.config import CONTRADICTIONS_LISTED, load_settings
    from csitool.errors import ConfigError

    config = tmp_path / "csitool.toml"
    assert load_settings(None).contradictions_listed == CONTRADICTIONS_LISTED == 1000
    config.write_text("[voc]\ncontradictions_listed = 0\n", encoding="utf-8")
    assert load_settings(config).contradictions_listed == 0
    for value in ("-1", '"all"', "true", "2.5"):
        config.write_text(f"[voc]\ncontradictions_listed = {value}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=r"\[voc\] contradictions_listed must be a whole"):
            load_settings(config)
