"""``csitool report``: the workbook's sheets, figures, charts and formats; formula safety;
overwrite rules and atomic writes; batches with failures, parallel jobs and idempotence."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tests.conftest import DATA, ROOT

SAMPLE = ROOT / "sample_data" / "survey.xlsx"
STAGES = ROOT / "sample_data" / "csitool.toml"


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    """One report of the sample (Korean headers, so Korean sheets), with the JSON figures."""
    from typer.testing import CliRunner

    from csitool.cli.app import app

    folder = tmp_path_factory.mktemp("book")
    out = folder / "r.xlsx"
    runner = CliRunner()
    args = ["--config", str(STAGES), "--by", "고객유형"]
    r = runner.invoke(app, ["report", str(SAMPLE), "-o", str(out), *args])
    assert r.exit_code == 0, r.output
    score = json.loads(runner.invoke(app, ["score", str(SAMPLE), "-f", "json", *args]).stdout)
    drivers = json.loads(runner.invoke(app, ["drivers", str(SAMPLE), "-f", "json", *args]).stdout)
    return openpyxl.load_workbook(out), score["files"][0], drivers["files"][0]


def _find(ws, label):
    for row in ws.iter_rows():
        if row[0].value == label:
            return row
    raise AssertionError(f"{label!r} not in {ws.title}")


def test_sheets_titles_and_frozen_headers(sample_book):
    wb, _, _ = sample_book
    assert wb.sheetnames == [
        "요약",
        "NPS",
        "속성",
        "감동·불만 요인",
        "접점",
        "세그먼트",
        "고객의 소리",
        "데이터 품질",
    ]
    for ws in wb:
        assert ws["A1"].value.endswith("survey.xlsx")
        assert "survey.xlsx" in ws["A2"].value and "보고서 작성일" in ws["A2"].value
    assert wb["요약"].freeze_panes == "B4"  # title rows and the label column


def same(x):
    """Equal to 16 significant digits: openpyxl writes numbers with %.16g."""
    return pytest.approx(x, rel=1e-15, abs=0)


def test_key_cells_equal_the_json_figures(sample_book):
    wb, score, drivers = sample_book
    nps_row = _find(wb["요약"], "NPS")
    assert nps_row[1].value == same(score["nps"]["score"])
    assert nps_row[2].value == same(score["nps"]["ci_low"])
    assert nps_row[3].value == same(score["nps"]["ci_high"])
    assert nps_row[1].number_format == "+0.0;-0.0;0.0"  # signed: +14.4
    promoters = _find(wb["요약"], "추천 고객")[1]
    assert promoters.value * 100 == pytest.approx(score["nps"]["promoters"], abs=1e-12)
    assert promoters.number_format == "0.0%"
    assert _find(wb["요약"], "CSI (sat)")[1].value == same(score["csi"]["score"])
    ws = wb["감동·불만 요인"]
    b2 = _find(ws, "B2. 대기 시간")
    expected = next(a for a in drivers["attributes"] if a["column"] == "B2. 대기 시간")
    assert b2[6].value == same(expected["impact"]["penalty"])
    assert b2[8].value == same(expected["impact"]["reward"])
    assert b2[3].value * 100 == pytest.approx(expected["importance"]["share"], abs=1e-12)
    assert b2[11].value == "불만 요인"  # pain-point in Korean
    stage = _find(wb["접점"], "after-service")
    after = next(s for s in drivers["stages"] if s["name"] == "after-service")
    assert stage[2].value == same(after["csi"])
    # segment letters come from compare: VIP (A) has a significantly higher NPS than 신규 (B)
    seg = {row[1].value: row for row in wb["세그먼트"].iter_rows(min_row=5)}
    assert (seg["VIP"][13].value, seg["VIP"][14].value) == ("A", "B")
    # VOC sheet: the themes with their impact, as `voc --format json` prints them
    voc_rows = {row[0].value: row for row in wb["고객의 소리"].iter_rows(min_row=1)}
    assert voc_rows["wait time / 대기 시간"][8].value == "불만 요인"
    # every excluded cell is listed with its source row (sample_data/README.md: row 213 = 12)
    rows = {r[0].value: r for r in wb["데이터 품질"].iter_rows(min_row=5)}
    assert rows[213][1].value == "추천의향" and rows[213][2].value == 12
    assert rows[213][3].value == "척도 범위 밖"


def test_native_charts_with_the_right_references(sample_book):
    wb, _, _ = sample_book
    ws = wb["NPS"]
    bar, stacked = ws._charts
    assert bar.series[0].val.numRef.f == "'NPS'!$B$5:$B$15"  # answers 0-10
    assert bar.series[0].cat.numRef.f == "'NPS'!$A$5:$A$15"
    assert [ws.cell(row=5 + k, column=1).value for k in range(11)] == list(range(11))
    assert stacked.grouping == "percentStacked" and len(stacked.series) == 3
    scatter = wb["감동·불만 요인"]._charts[0]
    named = [s for s in scatter.series if s.tx is not None and s.tx.strRef is not None]
    points = [s for s in named if s.tx.strRef.f.startswith("'감동·불만 요인'!$A$")]
    assert len(points) == 13  # one series per attribute, named by its cell
    assert points[0].xVal.numRef.f == "'감동·불만 요인'!$D$5"
    assert points[0].yVal.numRef.f == "'감동·불만 요인'!$C$5"
    assert len(scatter.series) == 15  # plus the two split lines, which have no name
    assert [s for s in scatter.series if s.tx is None] == scatter.series[13:]
    rules = wb["속성"].conditional_formatting
    assert any(r.type == "dataBar" for cf in rules for r in cf.rules)


def _csv_with_formulas(path: Path) -> None:
    rng = np.random.default_rng(3)
    n = 60
    f = pd.DataFrame(
        {
            "nps": rng.integers(0, 11, n).astype(object),
            "overall satisfaction": rng.integers(1, 6, n),
            "q_staff": rng.integers(1, 6, n),
            "segment": (["=1+1", "+cmd", "@SUM(A1)", "-2+3"] * 15),
            "comment": ['=HYPERLINK("http://x","y")', "=1+1", "\tx", "fine"] * 15,
        }
    )
    f.loc[4, "nps"] = '=HYPERLINK("http://x","y")'
    f.to_csv(path, index=False)


def test_survey_text_is_never_a_formula(run, tmp_path):
    src = tmp_path / "inj.csv"
    _csv_with_formulas(src)
    r = run("report", src, "-o", tmp_path / "inj.xlsx", "--by", "segment", "--lang", "en")
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(tmp_path / "inj.xlsx")
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    for risky in ("=1+1", "+cmd", "@SUM(A1)", "-2+3", '=HYPERLINK("http://x","y")'):
        assert texts[risky].data_type == "s"
    assert wb.sheetnames[0] == "Summary"


def test_overwrite_refusal_force_and_input_protection(run, tmp_path):
    src = tmp_path / "s.csv"
    shutil.copy(DATA / "semicolon.csv", src)
    out = tmp_path / "s_report.xlsx"
    assert run("report", src).exit_code == 0 and out.exists()
    r = run("report", src)
    assert r.exit_code == 2 and "already exists; pass --force" in r.stderr
    assert run("report", src, "--force").exit_code == 0
    r = run("report", src, "-o", src)
    assert r.exit_code == 2 and "is one of the input files" in r.stderr


def test_interrupted_write_keeps_the_old_file(run, tmp_path, monkeypatch):
    src = tmp_path / "s.csv"
    shutil.copy(DATA / "semicolon.csv", src)
    out = tmp_path / "s_report.xlsx"
    assert run("report", src).exit_code == 0
    before = out.read_bytes()

    written = []

    def crash(tmp, target):
        written.append(Path(tmp).stat().st_size)  # the new workbook is in the temporary file
        raise OSError("disk full")

    monkeypatch.setattr("csitool.io.write.os.replace", crash)
    r = run("report", src, "--force", "--summary", "json")
    # one file given by name fails like any command: exit 2 (the output cannot be written),
    # the error names the workbook, never the temporary file
    assert r.exit_code == 2
    error = json.loads(r.stdout)["files"][0]["error"]
    assert "disk full" in error and f"workbook {out}" in error and ".tmp" not in error
    assert written and written[0] > 0
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def _batch_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(DATA / "semicolon.csv", folder / "a_good.csv")
    shutil.copy(DATA / "ko_cp949.csv", folder / "b_good.csv")
    shutil.copy(DATA / "corrupt.xlsx", folder / "c_corrupt.xlsx")
    (folder / "d_no_ratings.csv").write_text("id,comment\n1,slow\n2,kind staff\n", encoding="utf-8")
    return folder


def test_batch_keeps_going_and_exits_1(run, tmp_path):
    folder = _batch_folder(tmp_path)
    out = tmp_path / "reports"
    md = tmp_path / "s.md"
    r = run("report", folder, "--out-dir", out, "--summary", "json", "--summary-md", md)
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert (doc["ok"], doc["failed"]) == (2, 2)
    status = {Path(f["source"]).name: f for f in doc["files"]}
    assert status["c_corrupt.xlsx"]["status"] == "failed"
    assert "corrupt" in status["c_corrupt.xlsx"]["error"]
    assert "no rating item found" in status["d_no_ratings.csv"]["error"]
    assert sorted(p.name for p in out.iterdir()) == ["a_good_report.xlsx", "b_good_report.xlsx"]
    md = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "a_good.csv" in md and "Failed:" in md and "d_no_ratings.csv" in md
    r = run("report", folder, "--out-dir", out, "--force")
    assert r.exit_code == 1 and "2 written, 2 failed" in r.stdout


def test_jobs_2_gives_the_same_files_as_jobs_1_and_reruns_are_identical(run, tmp_path):
    folder = _batch_folder(tmp_path)
    one, two = tmp_path / "one", tmp_path / "two"
    assert run("report", folder, "--out-dir", one, "-q").exit_code == 1
    assert run("report", folder, "--out-dir", two, "-q", "--jobs", "2").exit_code == 1
    for f in one.iterdir():
        assert f.read_bytes() == (two / f.name).read_bytes()
    first = {f.name: f.read_bytes() for f in one.iterdir()}
    time.sleep(1.1)  # a later second: no clock value may leak into the workbook
    assert run("report", folder, "--out-dir", one, "-q", "--force").exit_code == 1
    assert {f.name: f.read_bytes() for f in one.iterdir()} == first


def test_combined_workbook(run, tmp_path):
    folder = _batch_folder(tmp_path)
    r = run("report", folder, "--out-dir", tmp_path / "o", "--combined", tmp_path / "all.xlsx",
            "--lang", "en", "-q")  # fmt: skip
    assert r.exit_code == 1
    wb = openpyxl.load_workbook(tmp_path / "all.xlsx")
    assert wb.sheetnames == ["Comparison", "Trend", "a_good", "b_good"]
    trend = wb["Trend"]
    line = trend._charts[0]
    assert line.tagname == "lineChart" and len(line.series) == 2
    assert line.series[0].val.numRef.f == "'Trend'!$B$5:$B$6"
    files = [c.value for c in wb["Comparison"]["A"][4:]]
    assert [Path(f).name for f in files] == ["a_good.csv", "b_good.csv"]


def test_a_large_batch_ends_with_its_failures_and_one_line(run, tmp_path):
    import shutil

    folder = tmp_path / "many"
    folder.mkdir()
    for k in range(22):
        shutil.copy(ROOT / "tests" / "data" / "semicolon.csv", folder / f"s{k:02d}.csv")
    (folder / "broken.csv").write_bytes(b"\x00\x01\x02 not a table")
    r = run("report", folder, "--out-dir", tmp_path / "out")
    assert r.exit_code == 1
    # 23 files: not a 23-row table, only the failure and the count
    assert r.stdout.startswith("Failed") and "no data rows" in r.stdout
    assert "s05" not in r.stdout and "22 written, 1 failed" in r.stdout
