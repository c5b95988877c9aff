"""CSV through DuckDB against the in-memory reader: every figure of ``score`` and
``compare`` equal to 1e-9 and the ledger counts exactly equal, on every CSV of tests/data
and sample_data that DuckDB can read as csitool does, and on generated CSVs (weights,
segments, duplicate ids, blank rows and empty lines, text-labelled items, a title row, a
semicolon delimiter, quoted fields with commas and line breaks, Korean text, a BOM).

The oracle is the in-memory path (``read_survey``), whose figures are tested against
independent computations elsewhere; the two share the finishing statistics only. The
files DuckDB cannot read identically (CP949, UTF-16, platform layouts, long format) are
read in memory, with a note under ``auto`` and an error naming the reason under
``--engine duckdb``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csitool.config import Reading
from csitool.errors import ConfigError, CsiError, InputError
from csitool.io.csvsource import count_blank_lines, plan_csv
from csitool.stats.score import score
from csitool.survey.build import read_survey
from csitool.survey.engine import SurveySummary, open_any
from tests.conftest import DATA, ROOT
from tests.survey_gen import survey_table
from tests.test_engine import _normalised
from tests.test_golden import same

#: every CSV of the test data and samples that DuckDB reads as csitool does
QUALIFYING = [
    ROOT / "sample_data" / "survey_en.csv",
    *(DATA / n for n in ("abc2.csv", "abc_full.csv", "airline_survey.csv", "dupes_weights.csv",
                         "ko_utf8_bom.csv", "labels_en.csv", "laptop_reviews_300.csv",
                         "nps_wide_bom.csv", "nsmc_500.csv", "semicolon.csv",
                         "unmapped_labels.csv")),
    *(DATA / "messy" / n for n in ("l02_title_blank_notes_bom.csv", "m03_dummies_bom.csv",
                                   "m04_continuous.csv", "r02_variants_a_bom.csv",
                                   "r05_variants_en.csv", "s01_4pt_airline.csv",
                                   "s04_item_few_zeros.csv", "s06_airline_passenger.csv",
                                   "s07_1to7.csv", "s08_1to10.csv", "s09_0to10_not_nps.csv",
                                   "s11_wording_0to10.csv", "s14_battery_ranges.csv")),
    DATA / "voc_labelled" / "en.csv",
    DATA / "voc_labelled" / "ko.csv",
]  # fmt: skip

#: the CSVs it does not, and why (CsvPlan.why)
NOT_QUALIFYING = {
    DATA / "ko_cp949.csv": "encoding",
    DATA / "utf16_tab.txt": "encoding",
    DATA / "qualtrics_sample.csv": "layout",
    DATA / "qualtrics_sample_legacy.csv": "layout",
    DATA / "messy" / "l06_long_format.csv": "long",
    DATA / "messy" / "r01_nps_dirty_cp949.csv": "encoding",
    DATA / "messy" / "r04_variants_c_dupids_cp949.csv": "encoding",
    DATA / "messy" / "s13_wording_7pt_cp949.csv": "encoding",
    DATA / "messy" / "r06_google_forms_ko.csv": "layout",
}


def assert_same_csv(path: Path | str, by: tuple[str, ...] = (), reading: Reading | None = None):
    reading = reading or Reading()
    try:
        memory = score(read_survey(path, reading), by).to_dict()
    except CsiError as exc:  # no rating item, an unmapped label: the same error both ways
        with pytest.raises(type(exc)):
            score(open_any(str(path), reading, engine="duckdb", by=by), by)
        return None
    counted_survey = open_any(str(path), reading, engine="duckdb", by=by)
    assert isinstance(counted_survey, SurveySummary)
    counted = score(counted_survey, by).to_dict()
    diffs = same(_normalised(counted), _normalised(memory))
    assert not diffs, "\n".join(diffs[:20])
    assert counted["quality"] == memory["quality"]  # ledger counts: exactly
    assert counted["read"] == memory["read"]
    return counted


def test_the_lists_cover_every_csv_of_the_test_data():
    found = {
        p
        for p in [*DATA.rglob("*.csv"), *DATA.rglob("*.txt"), *(ROOT / "sample_data").glob("*.csv")]
    }
    unreadable = {DATA / "empty.csv", DATA / "header_only.csv"}
    listed = set(QUALIFYING) | set(NOT_QUALIFYING) | unreadable
    assert sorted(str(p) for p in found - listed) == []


@pytest.mark.parametrize("path", QUALIFYING, ids=lambda p: p.name)
def test_real_csvs_equal(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert plan_csv(str(path), rows=20_000).source is not None
    assert_same_csv(path)


def test_sample_csv_with_segments():
    result = assert_same_csv(ROOT / "sample_data" / "survey_en.csv", ("Customer type", "Channel"))
    assert result is not None and result["segments"]["Channel"]


@pytest.mark.parametrize(
    ("path", "why"), NOT_QUALIFYING.items(), ids=lambda v: getattr(v, "name", v)
)
def test_csvs_duckdb_cannot_read_identically(path, why):
    plan = plan_csv(str(path), rows=20_000)
    assert plan.source is None and plan.why == why


# ---------------------------------------------------------------- generated CSVs


def _frame(rows: int, seed: int):
    frame = survey_table(rows, seed=seed).to_pandas()
    return frame


def _write(
    path: Path,
    frame,
    *,
    sep: str = ",",
    bom: bool = False,
    title: bool = False,
    empty_lines: bool = False,
    korean: bool = False,
    newlines: bool = False,
) -> Path:
    """The survey as a CSV with the given quirks (pandas writes it; quoting as needed)."""
    import io

    import pandas as pd

    frame = frame.copy()
    if korean:
        frame["Region"] = (
            frame["Region"]
            .map({"North": "서울", "South": "부산", "East": "대구", "West": "광주"})
            .where(frame["Region"].notna(), None)
        )
        frame["Comments"] = frame["Comments"].map(
            lambda v: None if pd.isna(v) else f"{v} 친절해요, 또 올게요"
        )
    if newlines:
        frame["Comments"] = frame["Comments"].map(
            lambda v: None if pd.isna(v) else f'{v}, "really"\nsecond line'
        )
    buf = io.StringIO()
    frame.to_csv(buf, index=False, sep=sep, lineterminator="\n")
    text = buf.getvalue()
    if empty_lines:  # empty lines inside the data and at the end: blank rows in memory
        lines = text.split("\n")
        for k in (len(lines) // 3, len(lines) // 2, len(lines) // 2):
            lines.insert(k, "")
        text = "\n".join(lines) + "\n\n"
    if title:
        text = "2025 customer survey - all waves\n\n" + text
    data = text.encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


CASES = {
    "plain": {},
    "semicolon_bom": {"sep": ";", "bom": True},
    "title_row_empty_lines": {"title": True, "empty_lines": True},
    "korean_quoted_newlines": {"korean": True, "newlines": True},
    "all_quirks": {"sep": ";", "bom": True, "title": True, "empty_lines": True,
                   "korean": True, "newlines": True},
}  # fmt: skip


@pytest.fixture(scope="module")
def survey_frame():
    return _frame(30_000, seed=21)


@pytest.mark.parametrize("case", CASES)
def test_generated_csvs_equal(case, survey_frame, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path / "survey.csv", survey_frame, **CASES[case])
    result = assert_same_csv(path, ("Region", "Wave", "Channel"))
    assert result is not None
    q = result["quality"]
    # the generator's faults are all there: counted, not just passed through
    for reason in ("blank_row", "duplicate_id", "weight_missing", "weight_not_positive"):
        assert q["excluded"][reason] > 0
    assert [g["value"] for g in result["segments"]["Region"]][-1] == "(blank)"
    if CASES[case].get("title"):
        assert result["read"]["first_data_row"] == 4


@pytest.mark.parametrize("method", ["attribute_mean", "composite"])
def test_generated_csv_index_csi(method, survey_frame, tmp_path, monkeypatch):
    # the overall CSI over several items: its moments are counted on the answers as written
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path / "survey.csv", survey_frame.iloc[:8000], empty_lines=True)
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
    assert_same_csv(path, ("Region",), Reading(config=config))


def test_written_numbers_typed_as_in_memory(tmp_path, monkeypatch):
    # "5", "5.0" and " 5" are one answer in a number column; a column with one text answer is
    # text in memory (so "5.0" is then parsed from the text), segment codes 1.0 read as "1"
    monkeypatch.chdir(tmp_path)
    lines = ["id,seg,nps,sat,attr"]
    for i in range(300):
        sat = ["5", "5.0", " 4", "3", "2 ", "1", "4"][i % 7]
        attr = ["5", "4.0", "n/a", "3", "2", "Satisfied", ""][i % 7]
        lines.append(f"{i % 290},{[1.0, 2.0, ''][i % 3]},{i % 11},{sat},{attr}")
    path = tmp_path / "typed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = tmp_path / "csitool.toml"
    config.write_text(
        '[roles]\nnps = "nps"\nsat = "sat"\nattrs = ["attr"]\nid = "id"\nsegment = ["seg"]\n'
        '[labels]\n"n/a" = "dont_know"\n',
        encoding="utf-8",
    )
    result = assert_same_csv(path, ("seg",), Reading(config=config))
    assert result is not None
    assert [g["value"] for g in result["segments"]["seg"]] == ["1", "2", "(blank)"]
    assert result["quality"]["excluded"]["duplicate_id"] == 10


def test_compare_through_duckdb_equals_pandas(run, survey_frame, tmp_path):
    path = _write(tmp_path / "survey.csv", survey_frame.iloc[:8000], title=True, empty_lines=True)
    args = ("compare", path, "--by", "Region", "--by", "Channel", "-f", "json")
    counted = run(*args, "--engine", "duckdb")
    memory = run(*args, "--engine", "pandas")
    assert counted.exit_code == 0 and memory.exit_code == 0, counted.output + memory.output
    a, b = json.loads(counted.stdout), json.loads(memory.stdout)
    assert a["files"][0]["banners"]
    diffs = same(_normalised(a), _normalised(b))
    assert not diffs, diffs[:5]


# ---------------------------------------------------------------- routing, notes, errors


def _threshold(tmp_path: Path, mb: float) -> Path:
    config = tmp_path / "csitool.toml"
    config.write_text(f"[engine]\ncsv_threshold_mb = {mb}\n", encoding="utf-8")
    return config


def test_auto_routes_by_size(survey_frame, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path / "survey.csv", survey_frame.iloc[:3000])
    size_mb = path.stat().st_size / 1e6
    below = open_any(str(path), Reading(config=_threshold(tmp_path, size_mb * 2)))
    assert not isinstance(below, SurveySummary)
    assert not any(getattr(n, "code", "") == "engine_pandas" for n in below.notes)
    above = open_any(str(path), Reading(config=_threshold(tmp_path, size_mb / 2)))
    assert isinstance(above, SurveySummary)
    # rows must be listed: in memory whatever the size
    listed = open_any(str(path), Reading(config=_threshold(tmp_path, 0)), need_rows=True)
    assert not isinstance(listed, SurveySummary)


def test_auto_above_threshold_reads_cp949_in_memory_with_a_note(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    survey = open_any(str(DATA / "ko_cp949.csv"), Reading(config=_threshold(tmp_path, 0)))
    assert not isinstance(survey, SurveySummary)
    notes = [n for n in survey.notes if getattr(n, "code", "") == "engine_pandas"]
    assert len(notes) == 1
    assert notes[0].params["form"] == "encoding"
    assert "its encoding is cp949" in notes[0]


def test_auto_falls_back_when_duckdb_fails(tmp_path, monkeypatch):
    # UTF-8 in the sample, one CP949 cell far below it: csitool repairs it, DuckDB refuses
    monkeypatch.chdir(tmp_path)
    # (past the first megabyte, which the encoding is detected on)
    lines = ["id,nps,sat"] + [f"{i},{i % 11},{i % 5 + 1}" for i in range(150_000)]
    data = ("\n".join(lines) + "\n").encode() + b"150001,9," + "좋음".encode("cp949") + b"\n"
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    survey = open_any(str(path), Reading(config=_threshold(tmp_path, 0)))
    assert not isinstance(survey, SurveySummary)
    assert any(getattr(n, "params", {}).get("form") == "duckdb" for n in survey.notes)
    with pytest.raises(InputError, match="DuckDB cannot read it"):
        open_any(str(path), Reading(), engine="duckdb")


def test_cli_engine_duckdb_on_a_csv_it_cannot_read(run):
    r = run("score", DATA / "ko_cp949.csv", "--engine", "duckdb")
    assert r.exit_code == 3
    text = r.stderr.replace("\n", " ")
    assert "the duckdb engine cannot read this CSV as csitool does: its encoding is cp949" in text
    assert "save it as UTF-8" in text and "--engine pandas" in text
    r = run("score", DATA / "qualtrics_sample.csv", "--engine", "duckdb")
    assert r.exit_code == 3
    assert "Qualtrics" in r.stderr


def test_cli_engine_duckdb_on_a_csv(run):
    path = ROOT / "sample_data" / "survey_en.csv"
    counted = run("score", path, "--engine", "duckdb", "-f", "json")
    memory = run("score", path, "--engine", "pandas", "-f", "json")
    assert counted.exit_code == 0, counted.output
    diffs = same(_normalised(json.loads(counted.stdout)), _normalised(json.loads(memory.stdout)))
    assert not diffs, diffs[:5]


@pytest.mark.parametrize("value", ["-1", '"big"', "true"])
def test_threshold_setting_is_checked(value, tmp_path):
    from csitool.config import load_settings

    config = tmp_path / "csitool.toml"
    config.write_text(f"[engine]\ncsv_threshold_mb = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[engine\] csv_threshold_mb must be a number"):
        load_settings(config)
    config.write_text("[engine]\nthreshold = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown key\(s\) in \[engine\]: threshold"):
        load_settings(config)


def test_count_blank_lines_outside_quotes(tmp_path):
    # hand count: the data starts after "a,b\n" (offset 4); empty lines at 2 places outside
    # quotes (one CRLF), one inside a quoted field (not a row), two at the end
    text = b'a,b\n1,2\n\n3,"x\n\ny"\n4,5\r\n\r\n6,7\n\n\n'
    path = tmp_path / "b.csv"
    path.write_bytes(text)
    assert count_blank_lines(str(path), 4) == 4
    path.write_bytes(b"a,b\n1,2\n3,4\n")
    assert count_blank_lines(str(path), 4) == 0


def test_short_rows_with_quoted_line_breaks(tmp_path, monkeypatch):
    # pandas pads a short row with missing cells; DuckDB does so (null_padding) only in one
    # thread when quoted line breaks are present: the engine retries so, and the figures
    # are the same; a forced header row and CRLF lines after a title are read alike
    monkeypatch.chdir(tmp_path)
    lines = ["Survey export", "", "id,seg,nps,sat,comment"]
    for i in range(300):
        if i % 17 == 0:
            lines.append(f"{i},A")
        elif i % 13 == 0:
            lines.append(f'{i},B,{i % 11},{i % 5 + 1},"line one\r\nline two, more"')
        else:
            lines.append(f"{i},{'AB'[i % 2]},{i % 11},{i % 5 + 1},")
    path = tmp_path / "short.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    result = assert_same_csv(path, ("seg",))
    assert result is not None and result["read"]["first_data_row"] == 4
    assert_same_csv(path, ("seg",), Reading(header_row=3))
