"""``csitool report`` for every survey: without an NPS item, without an overall satisfaction
item, with attributes only, and with no rating item at all; the Segments sheet from the
detected segment columns when ``--by`` is not given.

Expected figures are computed here with numpy / pandas from the generated data, never read
from csitool's output."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

N = 200
KO_SHEETS = [
    "요약",
    "NPS",
    "속성",
    "감동·불만 요인",
    "접점",
    "세그먼트",
    "고객의 소리",
    "데이터 품질",
]
EN_SHEETS = [
    "Summary",
    "NPS",
    "Attributes",
    "Wow & Pain",
    "Touchpoints",
    "Segments",
    "VOC",
    "Data quality",
]
BLANK_SAT = [3, 17, 101]  # data rows with a blank overall satisfaction


def korean_csi(path: Path, *, sat: bool = True) -> pd.DataFrame:
    """A Korean CSI survey with no NPS item: overall satisfaction (1-5) with three blanks,
    four attributes that move with it, 고객유형 (VIP/일반/신규), 성별 (2 values), 지점 (25
    values: too many for the Segments sheet) and a comment."""
    rng = np.random.default_rng(20240613)
    overall = rng.integers(1, 6, N)

    def near(spread: int) -> np.ndarray:
        return np.clip(overall + rng.integers(-spread, spread + 1, N), 1, 5)

    frame = pd.DataFrame(
        {
            "응답자 번호": np.arange(1, N + 1),
            "고객유형": rng.choice(["VIP", "일반", "신규"], N, p=[0.2, 0.5, 0.3]),
            "성별": rng.choice(["남", "여"], N),
            "지점": [f"지점{k:02d}" for k in rng.integers(1, 26, N)],
            "전반적 만족도": overall.astype(float),
            "A1. 친절": near(1),
            "A2. 대기 시간": near(2),
            "A3. 청결": near(1),
            "A4. 가격": rng.integers(1, 6, N),
            "기타 의견": rng.choice(
                ["대기 시간이 너무 길어요", "직원이 친절해요", "", "비싸요"], N
            ),
        }
    )
    frame.loc[BLANK_SAT, "전반적 만족도"] = np.nan
    if not sat:
        frame = frame.drop(columns=["전반적 만족도", "기타 의견"])
    frame.to_csv(path, index=False)
    return frame


def english_nps(path: Path) -> pd.DataFrame:
    """An English survey with an NPS item (0-10), three attributes, a region; no overall
    satisfaction item."""
    rng = np.random.default_rng(7)
    ltr = rng.integers(0, 11, N)
    frame = pd.DataFrame(
        {
            "id": np.arange(1, N + 1),
            "region": rng.choice(["North", "South"], N),
            "How likely are you to recommend us to a friend?": ltr,
            "Q1 staff": np.clip(ltr // 2 + rng.integers(-1, 2, N), 1, 5),
            "Q2 speed": np.clip(ltr // 2 + rng.integers(-1, 2, N), 1, 5),
            "Q3 price": rng.integers(1, 6, N),
        }
    )
    frame.to_csv(path, index=False)
    return frame


def rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True)]


def first_col(ws, label) -> tuple:
    for r in ws.iter_rows(values_only=True):
        if r[0] == label:
            return r
    raise AssertionError(f"{label!r} not in {ws.title}")


def texts(ws) -> list[str]:
    return [c for r in ws.iter_rows(values_only=True) for c in r if isinstance(c, str)]


def segment_rows(ws, column: str) -> dict[str, tuple]:
    return {r[1]: r for r in ws.iter_rows(values_only=True) if r[0] == column}


def test_korean_csi_survey_without_nps(run, tmp_path):
    src, out = tmp_path / "csi.csv", tmp_path / "csi.xlsx"
    frame = korean_csi(src)
    r = run("report", src, "-o", out, "--summary", "json")
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == KO_SHEETS

    # independent numpy computation of the formula: CSI = (mean - 1) / 4 * 100
    sat = frame["전반적 만족도"].to_numpy(dtype=float)
    expected_csi = (np.nanmean(sat) - 1) / 4 * 100
    summary = wb["요약"]
    assert first_col(summary, "NPS")[1] == "NPS 문항 없음"
    assert first_col(summary, "CSI (sat)")[1] == pytest.approx(expected_csi, rel=1e-12)
    assert first_col(summary, "CSI (sat)")[4] == N - len(BLANK_SAT)
    # the ladder of the overall item: very satisfied = share of 5s among the answers
    very = np.mean(sat[~np.isnan(sat)] == 5)
    assert first_col(summary, "매우 만족")[1] == pytest.approx(very, rel=1e-12)

    figures = json.loads(r.stdout)["files"][0]["figures"]
    assert figures["nps"] is None
    assert figures["csi"] == pytest.approx(expected_csi, rel=1e-12)

    nps = wb["NPS"]
    assert nps._charts == []
    assert any("NPS 문항(0-10점 추천 의향)이 없어" in t for t in texts(nps))

    # drivers explain the overall satisfaction item
    drivers = wb["감동·불만 요인"]
    listed = [r[0] for r in drivers.iter_rows(min_row=5, values_only=True)]
    assert {"A1. 친절", "A2. 대기 시간", "A3. 청결", "A4. 가격"} <= set(listed)
    assert any("전반적 만족도" in t for t in texts(drivers) if "낮아집니다" in t)

    # segments: the detected 고객유형 and 성별; 지점 (25 values) skipped with the reason
    seg = wb["세그먼트"]
    notes = texts(seg)
    assert "조사에서 찾은 세그먼트(--by 지정 없음): 고객유형, 성별." in notes
    assert any("지점(25개 값)" in t and "2~20개" in t for t in notes)
    assert "NPS 문항이 없어 NPS 열은 비어 있습니다." in notes
    kinds = segment_rows(seg, "고객유형")
    counts = frame["고객유형"].value_counts()
    for value in ("VIP", "일반", "신규"):
        assert kinds[value][2] == counts[value]
        assert kinds[value][3] is None  # no NPS
        part = sat[(frame["고객유형"] == value).to_numpy()]
        assert kinds[value][6] == pytest.approx((np.nanmean(part) - 1) / 4 * 100, rel=1e-12)
    assert sorted(kinds[v][13] for v in ("VIP", "일반", "신규")) == ["A", "B", "C"]
    assert set(segment_rows(seg, "성별")) == {"남", "여", "전체"}
    assert segment_rows(seg, "지점") == {}

    # VOC: themes tied to satisfaction, with a line saying the NPS columns are empty
    assert "NPS 문항이 없어 NPS 열은 비어 있습니다." in texts(wb["고객의 소리"])
    # data quality: the three blank overall satisfaction answers, by source row (header = 1)
    quality = [r for r in wb["데이터 품질"].iter_rows(min_row=5, values_only=True)]
    assert [(q[0], q[1]) for q in quality] == [(i + 2, "전반적 만족도") for i in BLANK_SAT]


def test_by_wins_over_detected_segments(run, tmp_path):
    src, out = tmp_path / "csi.csv", tmp_path / "csi.xlsx"
    frame = korean_csi(src)
    r = run("report", src, "-o", out, "--by", "지점")
    assert r.exit_code == 0, r.output
    seg = openpyxl.load_workbook(out)["세그먼트"]
    assert not any("조사에서 찾은" in t or "찾았지만" in t for t in texts(seg))
    branches = segment_rows(seg, "지점")
    assert len(branches) == frame["지점"].nunique() + 1  # every value asked for, and Total
    assert segment_rows(seg, "고객유형") == {}


def test_nps_survey_without_satisfaction_item(run, tmp_path):
    src, out = tmp_path / "nps.csv", tmp_path / "nps.xlsx"
    frame = english_nps(src)
    r = run("report", src, "-o", out, "--summary", "json")
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == EN_SHEETS

    # hand formula: NPS = % promoters (9-10) - % detractors (0-6)
    ltr = frame["How likely are you to recommend us to a friend?"].to_numpy()
    expected_nps = 100 * (np.mean(ltr >= 9) - np.mean(ltr <= 6))
    assert first_col(wb["Summary"], "NPS")[1] == pytest.approx(expected_nps, rel=1e-12)
    assert json.loads(r.stdout)["files"][0]["figures"]["nps"] == pytest.approx(expected_nps)
    # CSI is the attribute mean: with no blanks, the mean of the items' (mean - 1) / 4 * 100
    attrs = frame[["Q1 staff", "Q2 speed", "Q3 price"]].to_numpy(dtype=float)
    expected_csi = np.mean((attrs.mean(axis=0) - 1) / 4 * 100)
    csi = first_col(wb["Summary"], "CSI (attribute_mean)")
    assert csi[1] == pytest.approx(expected_csi, rel=1e-12)
    assert first_col(wb["Summary"], "wow gap (very / satisfied)")[1] == (
        "no overall satisfaction item"
    )
    assert len(wb["NPS"]._charts) == 2

    # drivers explain the NPS item
    drivers = wb["Wow & Pain"]
    listed = [r[0] for r in drivers.iter_rows(min_row=5, values_only=True)]
    assert {"Q1 staff", "Q2 speed", "Q3 price"} <= set(listed)
    assert any("likelihood to recommend" in t for t in texts(drivers))
    assert "NPS: bad moment / others" in texts(wb["Touchpoints"])

    seg = wb["Segments"]
    assert "Segments detected in the survey (no --by given): region." in texts(seg)
    regions = segment_rows(seg, "region")
    counts = frame["region"].value_counts()
    for value in ("North", "South"):
        assert regions[value][2] == counts[value]
        part = ltr[(frame["region"] == value).to_numpy()]
        assert regions[value][3] == pytest.approx(
            100 * (np.mean(part >= 9) - np.mean(part <= 6)), rel=1e-12
        )
    assert texts(wb["VOC"])[-1] == "No comment column."


def test_attribute_only_survey(run, tmp_path):
    src, out = tmp_path / "attrs.csv", tmp_path / "attrs.xlsx"
    frame = korean_csi(src, sat=False)
    r = run("report", src, "-o", out, "--lang", "en", "--summary", "json")
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == EN_SHEETS
    attrs = frame[["A1. 친절", "A2. 대기 시간", "A3. 청결", "A4. 가격"]].to_numpy(dtype=float)
    expected_csi = np.mean((attrs.mean(axis=0) - 1) / 4 * 100)
    summary = wb["Summary"]
    assert first_col(summary, "NPS")[1] == "no NPS item"
    assert first_col(summary, "CSI (attribute_mean)")[1] == pytest.approx(expected_csi, rel=1e-12)
    figures = json.loads(r.stdout)["files"][0]["figures"]
    assert (figures["nps"], figures["wow_gap"]) == (None, None)
    assert figures["csi"] == pytest.approx(expected_csi, rel=1e-12)
    needs = (
        "No drivers analysis: it needs a target, an overall satisfaction or NPS item, and the "
        "survey has neither. Name one with --sat COLUMN or --nps COLUMN, or [roles] sat / nps "
        "in csitool.toml."
    )
    for name in ("Summary", "Wow & Pain", "Touchpoints"):
        assert needs in texts(wb[name])
    assert wb["Wow & Pain"]._charts == []
    items = [r[0] for r in wb["Attributes"].iter_rows(min_row=5, values_only=True)]
    assert items == ["A1. 친절", "A2. 대기 시간", "A3. 청결", "A4. 가격"]
    kinds = segment_rows(wb["Segments"], "고객유형")
    counts = frame["고객유형"].value_counts()
    assert {v: kinds[v][2] for v in counts.index} == counts.to_dict()


def test_survey_with_no_rating_item_exits_3(run, tmp_path):
    src = tmp_path / "comments.csv"
    pd.DataFrame(
        {"id": [1, 2, 3], "comment": ["the staff were kind", "too slow", "expensive parking"]}
    ).to_csv(src, index=False)
    r = run("report", src, "-o", tmp_path / "c.xlsx")
    assert r.exit_code == 3
    assert r.stdout == ""
    assert r.stderr == (
        f"Error: {src}: no rating item found (no NPS, overall satisfaction or attribute "
        "column), so there is nothing to report. Name them with --sat COLUMN, --nps COLUMN "
        '(and --attr COLUMN), or in csitool.toml under [roles] (sat = "...", nps = "...", '
        "attrs = [\"...\"]). Columns: 'id', 'comment'.\n"
    )
    assert not (tmp_path / "c.xlsx").exists()


def test_batch_summaries_and_combined_workbook_without_nps(run, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    korean_csi(folder / "a_csi.csv")
    english_nps(folder / "b_nps.csv")
    md = tmp_path / "s.md"
    r = run("report", folder, "--out-dir", tmp_path / "o", "--combined", tmp_path / "all.xlsx",
            "--summary-md", md, "--lang", "en")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "2 written, 0 failed" in r.stdout
    line = next(x for x in md.read_text(encoding="utf-8").splitlines() if "a_csi.csv" in x)
    assert line.split("|")[2].strip() == "–"  # no NPS: a dash, not a number
    wb = openpyxl.load_workbook(tmp_path / "all.xlsx")
    assert wb.sheetnames == ["Comparison", "Trend", "a_csi", "b_nps"]
    assert first_col(wb["a_csi"], "NPS")[1] == "no NPS item"
    trend = {r[0]: r for r in wb["Trend"].iter_rows(min_row=5, values_only=True)}
    assert trend["a_csi"][1] is None and trend["b_nps"][1] is not None
