"""Survey platforms' export layouts: detection, names, question text, metadata, statuses,
SPSS labels and user-missing codes, and the broken variants. Fixtures follow
../shared/data/FORMATS.md; expected NPS/CSI are computed by hand in each test."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import csitool
from csitool.config import RoleSpec
from csitool.errors import ReadError, SettingError
from csitool.io import read_table
from csitool.survey.build import open_survey
from tests.conftest import DATA


def _nps(scores) -> float:
    """Independent NPS: % 9-10 minus % 0-6."""
    s = np.asarray(scores, dtype=float)
    return 100 * (np.mean(s >= 9) - np.mean(s <= 6))


def _write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    wb.save(path)
    return path


# --------------------------------------------------------------------------------------
# Qualtrics
# --------------------------------------------------------------------------------------


def test_real_qualtrics_samples():
    raw = read_table(DATA / "qualtrics_sample.csv")
    assert raw.format == "Qualtrics CSV (3 header rows)" and raw.layout == "qualtrics"
    assert (raw.header_rows, raw.first_data_row, raw.n_rows) == (3, 4, 1)
    assert raw.labels["Q1"] == "This is a multiple choice question."
    assert raw.frame["Q1"].iloc[0] == 2 and raw.frame["Q2"].iloc[0] == "Hello World!"
    legacy = read_table(DATA / "qualtrics_sample_legacy.csv")
    assert legacy.format == "Qualtrics CSV, legacy layout (2 header rows)"
    assert (legacy.header_rows, legacy.first_data_row) == (2, 3)
    assert "ResponseID" in legacy.frame.columns and legacy.labels["Q2"].startswith("This is a free")
    s = csitool.load(DATA / "qualtrics_sample.csv")
    assert s.roles.id == "ResponseId" and "Q2 - Topics" not in s.roles.attrs


QIDS = ["StartDate", "EndDate", "Status", "Progress", "Finished", "RecordedDate", "ResponseId",
        "Q1", "Q1_NPS_GROUP", "Q2", "Q3_1", "Q3_2", "Q4"]  # fmt: skip
QTEXT = ["Start Date", "End Date", "Response Type", "Progress", "Finished", "Recorded Date",
         "Response ID", "How likely are you to recommend us to a friend or colleague?",
         "How likely are you to recommend us to a friend or colleague? - Group",
         "Overall, how satisfied are you with our service?", "Please rate: - Staff",
         "Please rate: - Price", "Why?"]  # fmt: skip
QIMPORT = ['{"ImportId":"startDate","timeZone":"Z"}', '{"ImportId":"endDate"}',
           '{"ImportId":"status"}', '{"ImportId":"progress"}', '{"ImportId":"finished"}',
           '{"ImportId":"recordedDate"}', '{"ImportId":"_recordId"}', '{"ImportId":"QID1"}',
           '{"ImportId":"QID1_NPS_GROUP"}', '{"ImportId":"QID2"}', '{"ImportId":"QID3_1"}',
           '{"ImportId":"QID3_2"}', '{"ImportId":"QID4_TEXT"}']  # fmt: skip
# status 0 normal, 1 preview, 8 spam; finished 0 = partial. Row 7 (file row 10) has a wrong group.
QDATA = [
    # status, finished, nps, group, sat, staff, price
    (0, 1, 10, 3, 5, 5, 4),
    (0, 1, 9, 3, 4, 4, 4),
    (0, 1, 7, 2, 4, 4, 3),
    (0, 1, 3, 1, 2, 2, 1),
    (1, 1, 0, 1, 1, 1, 1),  # preview: left out
    (8, 1, 10, 3, 5, 5, 5),  # spam: left out
    (0, 1, 8, 3, 4, 3, 3),  # NPS_GROUP says promoter, the score says passive
    (0, 0, 6, 1, 3, 3, 2),  # unfinished
]


def _qualtrics_rows(labels: bool = False) -> list[list[object]]:
    rows: list[list[object]] = [QIDS, QTEXT, QIMPORT]
    sat_text = {5: "Very satisfied", 4: "Satisfied", 3: "Neutral", 2: "Dissatisfied",
                1: "Very dissatisfied"}  # fmt: skip
    status_text = {0: "IP Address", 1: "Survey Preview", 8: "Spam"}
    for k, (st, fin, nps, grp, sat, staff, price) in enumerate(QDATA):
        if labels:
            row = ["2026-07-01 10:00:00", "2026-07-01 10:05:00", status_text[st], 100,
                   "True" if fin else "False", "2026-07-01 10:05:00", f"R_{k}", nps,
                   ["", "Detractor", "Passive", "Promoter"][grp], sat_text[sat],
                   sat_text[staff], sat_text[price], "ok"]  # fmt: skip
        else:
            row = ["2026-07-01 10:00:00", "2026-07-01 10:05:00", st, 100, fin,
                   "2026-07-01 10:05:00", f"R_{k}", nps, grp, sat, staff, price, "ok"]  # fmt: skip
        rows.append(row)
    return rows


@pytest.mark.parametrize("kind", ["csv", "xlsx", "labels"])
def test_qualtrics_survey(tmp_path, kind):
    rows = _qualtrics_rows(labels=kind == "labels")
    path = (
        _write_xlsx(tmp_path / "q.xlsx", rows)
        if kind == "xlsx"
        else _write_csv(tmp_path / "q.csv", rows)
    )
    s = csitool.load(path)
    assert s.raw.layout == "qualtrics" and s.raw.first_data_row == 4
    assert (s.roles.nps, s.roles.sat, s.roles.id) == ("Q1", "Q2", "ResponseId")
    assert s.roles.attrs == ["Q3_1", "Q3_2"]  # not Q1_NPS_GROUP, not the metadata
    reasons = {r["row"]: r["reason"] for r in s.ledger.excluded(s.raw.frame)}
    assert reasons[8] == "preview_response" and reasons[9] == "spam_response"
    # kept: rows 1-4, 7, 8 (unfinished kept by default) -> NPS of 10, 9, 7, 3, 8, 6
    assert csitool.nps(s).score == pytest.approx(_nps([10, 9, 7, 3, 8, 6]))
    assert any("1 unfinished response(s) kept" in n for n in s.notes)
    assert any("'Q1_NPS_GROUP' disagrees" in n and ": 10;" in n for n in s.notes)
    # sat 5, 4, 4, 2, 4, 3 -> mean 22/6 on 1-5 -> CSI (mean - 1) / 4 x 100
    assert csitool.csi(s).score == pytest.approx((22 / 6 - 1) / 4 * 100)
    only = open_survey(path, RoleSpec(), complete_only=True)
    assert csitool.nps(only).score == pytest.approx(_nps([10, 9, 7, 3, 8]))
    assert {r["reason"] for r in only.ledger.excluded(only.raw.frame)} >= {"partial_response"}


def test_qualtrics_missing_its_third_row_is_a_clear_error(run, tmp_path):
    rows = _qualtrics_rows()
    del rows[2]
    path = _write_csv(tmp_path / "broken.csv", rows)
    r = run("score", path)
    assert r.exit_code == 3
    assert "third row is not the ImportId row" in r.stderr and "--format-hint plain" in r.stderr
    with pytest.raises(ReadError) as info:
        csitool.load(path)
    assert info.value.problem == "not_qualtrics" and 'format_hint="plain"' in info.value.message


def test_qualtrics_ids_with_one_header_row_are_read_plain(tmp_path):
    rows = _qualtrics_rows()
    del rows[1:3]
    raw = read_table(_write_csv(tmp_path / "trimmed.csv", rows))
    assert raw.layout == "plain" and raw.first_data_row == 2


# --------------------------------------------------------------------------------------
# SurveyMonkey
# --------------------------------------------------------------------------------------

SM_FIXED = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
            "Email Address", "First Name", "Last Name", "Custom Data 1"]  # fmt: skip


def _surveymonkey_rows(ragged: bool = False) -> list[list[object]]:
    head = [*SM_FIXED, "How likely is it that you would recommend us to a friend or colleague?",
            "Overall, how satisfied or dissatisfied are you with our company?",
            "How satisfied are you with:", "", "Any comments?"]  # fmt: skip
    sub = [""] * 9 + ["Response", "Response", "Staff", "Price", "Open-Ended Response"]
    if ragged:
        sub = sub[:12]
    data = [
        ["10 - Extremely likely", "Very satisfied", "Very satisfied", "Satisfied", "great"],
        ["9", "Somewhat satisfied", "Satisfied", "Neutral", ""],
        ["0 - Not at all likely", "Very dissatisfied", "Dissatisfied", "Very dissatisfied", "bad"],
        ["7", "Neither satisfied nor dissatisfied", "Neutral", "Neutral", ""],
    ]
    rows: list[list[object]] = [head, sub]
    for k, d in enumerate(data):
        rows.append([118111109130 + k, 447165656, "2026-08-01 10:00:00", "2026-08-01 10:02:00",
                     "", "", "", "", "", *d])  # fmt: skip
    return rows


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_surveymonkey(tmp_path, kind):
    rows = _surveymonkey_rows()
    path = (
        _write_xlsx(tmp_path / "sm.xlsx", rows) if kind == "xlsx"
        else _write_csv(tmp_path / "sm.csv", rows)
    )  # fmt: skip
    s = csitool.load(path)
    assert s.raw.format.startswith("SurveyMonkey") and s.raw.first_data_row == 3
    assert s.roles.attrs == [
        "How satisfied are you with: - Staff",
        "How satisfied are you with: - Price",
    ]
    assert s.roles.id == "Respondent ID" and s.roles.comment == "Any comments?"
    assert csitool.nps(s).score == pytest.approx(_nps([10, 9, 0, 7]))
    # Very satisfied 5, Somewhat satisfied 4, Very dissatisfied 1, Neither 3 -> mean 13/4
    assert csitool.csi(s).score == pytest.approx((13 / 4 - 1) / 4 * 100)


def test_surveymonkey_ragged_second_row_is_a_stated_fallback(tmp_path):
    raw = read_table(_write_csv(tmp_path / "ragged.csv", _surveymonkey_rows(ragged=True)))
    assert raw.layout == "surveymonkey"
    assert any("row 2 (sub-items) is ragged" in n for n in raw.notes)
    assert "Any comments?" in raw.frame.columns


# --------------------------------------------------------------------------------------
# Google Forms, Typeform, Microsoft Forms
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("stamp", "encoding"), [("Timestamp", "utf-8"), ("타임스탬프", "cp949")])
def test_google_forms(tmp_path, stamp, encoding):
    rows = [
        [stamp, "추천 의향 (0-10)", "전반적 만족도", "직원 친절", "대기 시간", "의견"],
        ["2026/08/01 10:00:00", 10, 5, 5, 4, "좋아요"],
        ["2026/08/01 11:00:00", 6, 3, 3, 2, "보통"],
        ["2026/08/02 09:00:00", 9, 4, 4, 4, ""],
    ]
    s = csitool.load(_write_csv(tmp_path / "g.csv", rows, encoding))
    assert s.raw.format == "Google Forms CSV" and s.raw.encoding == encoding
    assert s.roles.date == stamp and s.roles.nps == "추천 의향 (0-10)"
    assert s.roles.attrs == ["직원 친절", "대기 시간"]
    assert csitool.nps(s).score == pytest.approx(_nps([10, 6, 9]))


def test_typeform_metadata_is_never_an_attribute(tmp_path):
    rows = [
        ["#", "<strong>How likely are you to recommend us?</strong>", "Overall satisfaction",
         "Rate the staff", "Response Type", "Start Date (UTC)", "Submit Date (UTC)", "Network ID"],
        ["odwdp4nzj1xg6m9l36odwdp4nzlv2gcw", 9, 5, 4, "completed", "2024-10-05 02:39:31",
         "2024-10-05 02:41:38", "653e97acae"],
        ["a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4", 3, 2, 2, "partial", "2024-10-05 03:39:31", "",
         "1234567890"],
        ["b1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4", 8, 4, 5, "completed", "2024-10-06 03:39:31",
         "2024-10-06 03:40:00", "1234567891"],
    ]  # fmt: skip
    s = csitool.load(_write_csv(tmp_path / "t.csv", rows))
    assert s.raw.format == "Typeform CSV"
    assert s.raw.labels["<strong>How likely are you to recommend us?</strong>"].startswith("How")
    assert s.roles.id == "#" and s.roles.date == "Submit Date (UTC)"
    assert s.roles.attrs == ["Rate the staff"]
    assert csitool.nps(s).score == pytest.approx(_nps([9, 3, 8]))
    assert any("1 unfinished response(s) kept" in n for n in s.notes)


def test_microsoft_forms_xlsx(tmp_path):
    rows = [
        ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
         "How likely are you to recommend us to a friend or colleague?\xa0\xa0",
         "Overall satisfaction", "Ease of use", "Speed"],
        [1, "9/29/2026 8:00", "9/29/2026 8:01", "anonymous", "", "", 9, 5, 4, 4],
        [2, "9/29/2026 9:00", "9/29/2026 9:02", "anonymous", "", "", 5, 2, 2, 3],
        [3, "9/29/2026 9:30", "9/29/2026 9:32", "anonymous", "", "", 10, 4, 5, 4],
    ]  # fmt: skip
    s = csitool.load(_write_xlsx(tmp_path / "ms.xlsx", rows))
    assert s.raw.format == "Microsoft Forms XLSX"
    assert s.roles.id == "ID" and s.roles.date == "Completion time"
    assert s.roles.nps == "How likely are you to recommend us to a friend or colleague?"
    assert s.roles.attrs == ["Ease of use", "Speed"]
    assert csitool.nps(s).score == pytest.approx(_nps([9, 5, 10]))


def test_plain_table_is_unchanged_and_hint_overrides(tmp_path, data):
    raw = read_table(data / "semicolon.csv")
    assert raw.layout == "plain" and raw.format == "semicolon-separated text"
    rows = [["Timestamp", "nps"], ["2026-01-01", 9], ["2026-01-02", 3]]
    forced = read_table(_write_csv(tmp_path / "x.csv", rows), hint="plain")
    assert forced.layout == "plain"
    with pytest.raises(SettingError, match="format_hint= must be one of plain, qualtrics"):
        read_table(data / "semicolon.csv", hint="qualtrix")


# --------------------------------------------------------------------------------------
# SPSS
# --------------------------------------------------------------------------------------


def _sav(path: Path, nps_labels: dict[float, str]) -> Path:
    import pyreadstat

    frame = pd.DataFrame(
        {
            "id": [1.0, 2, 3, 4, 5, 6],
            "nps": [11.0, 10, 8, 1, 7, 11],  # codes 1-11
            "s1": [5.0, 4, 8, 2, 4, 5],  # 8 = don't know (user-missing)
            "x1": [4.0, 4, 3, 1, 3, 5],
            "x2": [5.0, 3, 3, 2, 4, 4],
        }
    )
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=[
            "Respondent",
            "How likely are you to recommend us?",
            "Overall satisfaction",
            "Staff friendliness",
            "Waiting time",
        ],
        variable_value_labels={
            "nps": nps_labels,
            "s1": {1.0: "very dissatisfied", 5.0: "very satisfied", 8.0: "don't know"},
        },
        missing_ranges={"s1": [8.0]},
    )
    return path


def test_spss_labels_codes_and_user_missing(tmp_path, run):
    labels = {1.0: "very unlikely", 11.0: "very likely"} | {
        float(k): str(k - 1) for k in range(2, 11)
    }
    path = _sav(tmp_path / "s.sav", labels)
    s = csitool.load(path)
    assert s.raw.format == "SPSS .sav" and s.raw.labels["nps"].startswith("How likely")
    assert (s.roles.nps, s.roles.sat) == ("nps", "s1") and s.roles.attrs == ["x1", "x2"]
    # codes 11, 10, 8, 1, 7, 11 read as code - 1: 10, 9, 7, 0, 6, 10
    assert csitool.nps(s).score == pytest.approx(_nps([10, 9, 7, 0, 6, 10]))
    assert any("read as code - 1" in n for n in s.notes)
    # s1 = 8 is user-missing: left out as don't know; the rest 5, 4, 2, 4, 5 -> mean 4
    assert s.ledger.column_counts("s1") == {"used": 5, "dont_know": 1}
    assert csitool.csi(s).score == pytest.approx((4 - 1) / 4 * 100)
    r = run("inspect", path)
    assert "SPSS .sav" in r.stdout and "read as code - 1" in r.stdout


def test_spss_nps_labels_not_reading_0_10_is_a_stated_fallback(tmp_path):
    labels = {float(k): f"point {k}" for k in range(1, 12)}
    s = csitool.load(_sav(tmp_path / "bad.sav", labels))
    assert any("coded 1-11 but its value labels do not read 0..10" in n for n in s.notes)
    # the codes are used as they are: the two 11s are out of range for an NPS item
    assert s.ledger.column_counts("nps").get("out_of_range") == 2
