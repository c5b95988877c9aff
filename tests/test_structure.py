"""Finding the real table: header below titles, merged group headers, cover sheets,
--header-row / [read], and long-format files.

Every row number asserted below is the Excel row (or CSV line) the test itself wrote the
first data row on, counted by hand from the lists written to the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from csitool.config import load_settings
from csitool.errors import ConfigError, InputError
from csitool.io import read_table
from csitool.io.structure import cover_reason, find_header, find_long, group_names

HEADER = ["고객번호", "성별", "연령대", "전반적 만족도", "추천의향", "친절도", "신속성", "청결도"]
ROWS = [
    [101, "남", "30대", 4, 9, 5, 4, 3],
    [102, "여", "40대", 5, 10, 4, 4, 5],
    [103, "여", "20대", 2, 3, 2, 3, 2],
    [104, "남", "50대", 4, 8, 4, 5, 4],
]
LONG_CSV = Path("/work/shared/data/nps-messy-duplicates-csv/input_01.csv")


def _codes(raw) -> list[str]:
    return [n.code for n in raw.notes]


def titled_workbook(path: Path, *, merged: bool = True, cover: bool = False) -> Path:
    """Row 1 title, row 2 blank, row 3 notes, row 4 group header (merged), row 5 header,
    rows 6-9 data. Without ``merged``: row 4 is the header and data start on row 5."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if cover:
        ws.title = "조사개요"
        ws.append(["조사명", "2024년 고객만족도 조사"])
        ws.append(["조사기간", "2024.03.01 ~ 2024.03.31"])
        ws.append(["조사방법", "온라인 설문 (모바일 웹)"])
        ws = wb.create_sheet("응답 데이터")
    else:
        ws.title = "응답 데이터"
    ws["A1"] = "2024년 고객만족도 조사 결과"
    ws.merge_cells("A1:H1")
    ws["A3"] = "조사기간: 2024.03"
    if merged:
        ws.append(["응답자 정보", None, None, "종합 평가", None, "세부 항목", None, None])
        ws.merge_cells("A4:C4")
        ws.merge_cells("D4:E4")
        ws.merge_cells("F4:H4")
    ws.append(HEADER)
    for r in ROWS:
        ws.append(r)
    wb.save(path)
    return path


# ---------------------------------------------------------------- the heuristic


def test_find_header_units():
    # title, blank, header, data
    assert find_header([["Survey 2024"], [], ["id", "nps", "sat"], [1, 9, 4]]).header == 2
    # an ordinary file: the first row
    plain = find_header([["id", "nps", "sat"], [1, 9, 4]])
    assert (plain.header, plain.group, plain.skipped) == (0, None, ())
    # a file without names (all numbers): the first row is kept, nothing skipped
    assert find_header([["Report"], [1, 9, 4, 5, 3], [2, 7, 3, 4, 4]]).header == 0
    # the group row sits directly on the header and has gaps between its cells
    g = find_header(
        [["응답자 정보", None, "종합 평가", None], ["id", "성별", "nps", "sat"], [1, "남", 9, 4]]
    )
    assert (g.header, g.group) == (1, 0)
    assert g.groups == ("응답자 정보", "응답자 정보", "종합 평가", "종합 평가")
    # two adjacent note cells are not a group row: a note, skipped
    n = find_header(
        [["조사기간:", "2024.03"] + [None] * 4, ["a", "b", "c", "d", "e", "f"], [1] * 6]
    )
    assert (n.header, n.group, n.skipped) == (1, None, (0,))
    assert find_header([[], [None, ""]]) is None


def test_unsure_header_is_flagged():
    # row 3 (below the chosen header) is as full and as textual as the header itself
    guess = find_header([["Title"], ["a", "b", "c", "d", "e"], ["v", "w", "x", "y", "z"]])
    assert guess.header == 1 and guess.unsure


def test_group_names_forward_fill():
    assert group_names(["A", None, None, "B", None], ["x"] * 5) == ("A", "A", "A", "B", "B")
    assert group_names([None, "A", None], ["x"] * 3) == ("", "A", "A")


def test_cover_reason_units():
    assert cover_reason("조사개요", [["조사명", "만족도 조사"], ["기간", "3월"]], 2)
    assert cover_reason("Sheet1", [["About this file"], ["x" * 60]], 2) == "2 rows, 1 column"
    # a small table of numbers is data, not a cover
    assert cover_reason("Sheet1", [["id", "nps"], [1, 9], [2, 7], [3, 10]], 4) is None
    assert cover_reason("Sheet1", [["id"]] * 5, 400) is None


# ---------------------------------------------------------------- xlsx


def test_xlsx_title_rows_and_merged_group_header(tmp_path):
    raw = read_table(titled_workbook(tmp_path / "t.xlsx"))
    assert list(raw.frame.columns) == HEADER
    assert len(raw.frame) == 4
    # hand count: title 1, blank 2, notes 3, groups 4, header 5 -> first data row is 6
    assert raw.first_data_row == 6
    assert raw.header_rows == 2
    assert raw.frame["추천의향"].tolist() == [9, 10, 3, 8]
    assert raw.groups == {
        "고객번호": "응답자 정보", "성별": "응답자 정보", "연령대": "응답자 정보",
        "전반적 만족도": "종합 평가", "추천의향": "종합 평가",
        "친절도": "세부 항목", "신속성": "세부 항목", "청결도": "세부 항목",
    }  # fmt: skip
    assert _codes(raw) == ["header_row", "header_merged"]
    assert raw.notes[0] == "header found on row 5; rows 1, 3 above it (a title or notes) skipped"
    assert not any(n.is_warning for n in raw.notes)


def test_xlsx_title_rows_without_group_row(tmp_path):
    raw = read_table(titled_workbook(tmp_path / "t.xlsx", merged=False))
    assert list(raw.frame.columns) == HEADER
    # title 1, blank 2, notes 3, header 4 -> data from row 5
    assert (raw.first_data_row, raw.header_rows, raw.groups) == (5, 1, {})
    assert _codes(raw) == ["header_row"]


def test_ledger_reports_excel_rows_under_titles(run, tmp_path):
    path = titled_workbook(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["응답 데이터"]["E8"] = 12  # 추천의향 of the third data row, Excel row 8, out of 0-10
    wb.save(path)
    r = run("score", path, "--strict")
    assert r.exit_code == 3
    assert "row 8 '추천의향' = 12" in r.stderr


def test_cover_sheet_is_passed_over(tmp_path):
    raw = read_table(titled_workbook(tmp_path / "t.xlsx", cover=True))
    assert raw.sheet == "응답 데이터"
    assert list(raw.frame.columns) == HEADER and raw.first_data_row == 6
    assert raw.notes[0].code == "sheet_chosen"
    assert raw.notes[0] == (
        "sheet '응답 데이터' read: sheet '조사개요' looks like a cover (its name and size "
        "(3 rows, 2 columns)). Pass sheet= to read another sheet"
    )
    # --sheet still wins
    forced = read_table(tmp_path / "t.xlsx", sheet="조사개요")
    assert forced.sheet == "조사개요" and not any(n.code == "sheet_chosen" for n in forced.notes)


def test_xlsx_header_row_forced(tmp_path):
    path = titled_workbook(tmp_path / "t.xlsx")
    raw = read_table(path, header_row=5)
    assert list(raw.frame.columns) == HEADER and raw.first_data_row == 6
    assert _codes(raw) == ["header_row"] and raw.groups == {}
    with pytest.raises(
        InputError, match=r"^Error: .*t\.xlsx: sheet '응답 데이터' has no data rows"
    ):
        read_table(path, header_row=40)


# ---------------------------------------------------------------- csv


def _csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_csv_title_blank_line_then_header(tmp_path):
    path = _csv(
        tmp_path / "t.csv",
        [
            "2024년 고객만족도 조사 결과",  # line 1
            "조사기간: 2024.03",  # line 2
            "",  # line 3
            "고객번호,추천의향,전반적 만족도",  # line 4: header
            "1,9,4",  # line 5: first data row
            "2,7,5",
        ],
    )
    raw = read_table(path)
    assert list(raw.frame.columns) == ["고객번호", "추천의향", "전반적 만족도"]
    assert raw.frame["추천의향"].tolist() == [9, 7]
    assert (raw.first_data_row, raw.header_rows, raw.delimiter) == (5, 1, ",")
    assert raw.notes == ["header found on row 4; rows 1-2 above it (a title or notes) skipped"]


def test_csv_group_row_padded_by_excel(tmp_path):
    path = _csv(
        tmp_path / "t.csv",
        [
            "만족도 조사;;;",  # line 1: Excel pads a title with delimiters
            "응답자 정보;;종합 평가;",  # line 2: groups
            "id;성별;nps;sat",  # line 3: header
            "1;남;9;4",  # line 4
        ],
    )
    raw = read_table(path)
    assert raw.delimiter == ";" and list(raw.frame.columns) == ["id", "성별", "nps", "sat"]
    assert (raw.first_data_row, raw.header_rows) == (4, 2)
    assert raw.groups == {
        "id": "응답자 정보",
        "성별": "응답자 정보",
        "nps": "종합 평가",
        "sat": "종합 평가",
    }
    assert _codes(raw) == ["header_row", "header_merged"]


def test_csv_title_without_delimiter_finds_semicolons(tmp_path):
    path = _csv(tmp_path / "t.csv", ["Kundenumfrage 2024", "id;nps;sat", "1;9;4", "2;10;5"])
    raw = read_table(path)
    assert raw.delimiter == ";" and raw.first_data_row == 3


@pytest.mark.parametrize(
    "name",
    ["ko_cp949.csv", "utf16_tab.txt", "semicolon.csv", "abc2.csv", "qualtrics_sample.csv",
     "leading_blank_rows.xlsx", "second_sheet.xlsx", "labels_en.csv", "airline_survey.csv",
     "nsmc_500.csv", "laptop_reviews_300.csv", "dupes_weights.csv", "nps_wide_bom.csv"],
)  # fmt: skip
def test_existing_files_read_as_before(data, name):
    """Files with the header on their first non-blank row get no new notes and keep their
    row numbers (README of tests/data: data record k on file row k + 1, or as stated)."""
    raw = read_table(data / name)
    assert not [n for n in raw.notes if n.code in ("header_row", "header_merged", "long_format")]
    assert raw.groups == {}
    expected = {"leading_blank_rows.xlsx": 4, "qualtrics_sample.csv": 4}.get(name, 2)
    assert raw.first_data_row == expected


# ---------------------------------------------------------------- --header-row and [read]


def test_header_row_option_on_the_cli(run, tmp_path):
    path = titled_workbook(tmp_path / "t.xlsx")
    r = run("inspect", path, "--header-row", "5", "-f", "json")
    assert r.exit_code == 0, r.stderr
    read = json.loads(r.stdout)["files"][0]["read"]
    assert read["first_data_row"] == 6 and read["header_rows"] == 1
    assert read["notes"][0]["code"] == "header_row"
    # a wrong row: the header is taken from the group row, the real header becomes data
    r = run("score", path, "--header-row", "4", "-f", "json")
    assert r.exit_code == 0
    assert run("score", path, "--header-row", "0").exit_code == 2
    for command in ("score", "drivers", "report", "compare", "voc", "check", "inspect", "init"):
        assert "--header-row" in run(command, "--help").stdout


def test_read_table_in_config(run, tmp_path):
    path = _csv(tmp_path / "t.csv", ["line one", "line two, with a comma", "id,nps", "1,9", "2,7"])
    (tmp_path / "csitool.toml").write_text("[read]\nheader_row = 3\n", encoding="utf-8")
    r = run("inspect", path, "-f", "json")
    assert r.exit_code == 0, r.stderr
    read = json.loads(r.stdout)["files"][0]["read"]
    assert read["first_data_row"] == 4 and read["columns"] == 2
    # the option beats the file: line 2 as the header gives 2 columns named by that line
    r = run("inspect", path, "--header-row", "2", "-f", "json")
    assert json.loads(r.stdout)["files"][0]["read"]["first_data_row"] == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("header_row = 0", "[read] header_row must be a row number >= 1"),
        ('header_row = "3"', "[read] header_row must be a row number >= 1"),
        ("sheet = true", "[read] sheet must be a sheet name"),
        ("sheet = 0", "[read] sheet must be a sheet name or a number >= 1"),
        ("rows = 3", "unknown key(s) in [read]: rows. Known keys: header_row, sheet."),
    ],
)
def test_read_config_validation(tmp_path, text, message):
    cfg = tmp_path / "csitool.toml"
    cfg.write_text(f"[read]\n{text}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_settings(cfg)
    assert exc.value.message.startswith(f"Error: {cfg}: ")
    assert message in exc.value.message


def test_read_config_values(tmp_path):
    cfg = tmp_path / "csitool.toml"
    cfg.write_text('[read]\nheader_row = 4\nsheet = "응답 데이터"\n', encoding="utf-8")
    s = load_settings(cfg)
    assert (s.header_row, s.sheet) == (4, "응답 데이터")


# ---------------------------------------------------------------- long format


@pytest.mark.skipif(not LONG_CSV.exists(), reason="shared PrepBench data not present")
def test_prepbench_long_file_is_pivoted():
    """input_01.csv (SOURCE.md): 140 rows = 28 responses ('Response' 1-28) x 5 questions
    (1, 2, 3, 3a, 3b); Country/Store/Name/DoB are fixed per response."""
    raw = read_table(LONG_CSV)
    assert len(raw.frame) == 28
    assert list(raw.frame.columns) == [
        "Response", "Country", "Store", "Name", "DoB", "1", "2", "3", "3a", "3b",
    ]  # fmt: skip
    assert raw.meta == {"Response": "id"}
    assert _codes(raw) == ["long_format"]
    # the first three question-3 answers in the file: 0, 10, 8 (responses 1, 2, 3)
    assert raw.frame["3"].tolist()[:3] == [0, 10, 8]


@pytest.mark.skipif(not LONG_CSV.exists(), reason="shared PrepBench data not present")
def test_prepbench_long_file_scores_with_nps_column(run):
    r = run("score", LONG_CSV, "--nps", "3", "-f", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)["files"][0]
    assert doc["nps"]["n"] == 28
    # hand count of the 28 question-3 answers in file order (input_01.csv, Question Number 3):
    # 0 10 8 7 1 9 6 9 4 8 2 8 1 9 2 9 7 7 6 5 3 7 2 9 10 10 2 10
    # promoters (9-10) 9, passives 7, detractors (0-6) 12 -> (9 - 12) / 28 * 100
    assert doc["nps"]["score"] == pytest.approx((9 - 12) / 28 * 100)


def test_long_file_without_respondent_key_is_refused(run, tmp_path):
    # the same customer answers question q1 twice: no column identifies one response
    path = _csv(
        tmp_path / "long.csv",
        [
            "Name,Question,Answer",
            "Ann,q1,9",
            "Ann,q2,4",
            "Bob,q1,7",
            "Bob,q2,5",
            "Ann,q1,10",
            "Ann,q2,5",
        ],
    )
    with pytest.raises(InputError):
        read_table(path)
    r = run("score", path)
    assert r.exit_code == 3 and r.stdout == ""
    assert r.stderr.startswith(f"Error: {path}: this looks like a long-format file")
    assert "question codes 'q1', 'q2' in column 'Question', answers in 'Answer'" in r.stderr
    assert "df.pivot_table(index=['Name'], columns='Question', values='Answer'" in r.stderr
    assert "Traceback" not in r.stderr


def test_wide_narrow_files_are_not_long():
    import pandas as pd

    # a panel: the same id in each wave, but no column is named like a question
    frame = pd.DataFrame({"id": [1, 1, 2, 2], "wave": [1, 2, 1, 2], "nps": [9, 8, 7, 6]})
    assert find_long(frame) is None


def test_platform_header_rows_are_not_titles(tmp_path):
    """SurveyMonkey's first row is half blank over a matrix question: it is the platform's
    header, not a title, so the layout reads it (data from file row 3) and no note is made."""
    items = [f"Item {k}" for k in range(1, 12)]
    row1 = ["Respondent ID", "Collector ID", "Q1 matrix", *[""] * 10, "Q2 recommend"]
    row2 = ["", "", *items[:11], "Response"]
    data = [["1", "7", *["Satisfied"] * 11, "9"], ["2", "7", *["Neutral"] * 11, "6"]]
    lines = [",".join(r) for r in (row1, row2, *data)]
    # the heuristic alone would skip row 1 (4 of 14 cells filled) ...
    assert find_header([r.split(",") for r in lines]).header != 0
    # ... but the recognised platform layout keeps it
    raw = read_table(_csv(tmp_path / "sm.csv", lines))
    assert (raw.layout, raw.first_data_row) == ("surveymonkey", 3)
    assert not [n for n in raw.notes if n.code == "header_row"]


def test_read_sheet_in_config_and_stdin_with_title(run, tmp_path):
    path = titled_workbook(tmp_path / "t.xlsx", cover=True)
    (tmp_path / "csitool.toml").write_text("[read]\nsheet = 1\n", encoding="utf-8")
    r = run("inspect", path, "-f", "json")
    assert json.loads(r.stdout)["files"][0]["read"]["sheet"] == "조사개요"
    r = run("inspect", path, "--sheet", "응답 데이터", "-f", "json")  # the option beats the file
    assert json.loads(r.stdout)["files"][0]["read"]["first_data_row"] == 6
    (tmp_path / "csitool.toml").unlink()
    text = "만족도 조사 2024\n\nid,nps,sat\n1,9,4\n2,6,3\n"
    r = run("inspect", "-", "-f", "json", input=text.encode("utf-8"))
    read = json.loads(r.stdout)["files"][0]["read"]
    assert (read["first_data_row"], read["columns"]) == (4, 3)  # header on line 3
