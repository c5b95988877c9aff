"""Real survey files: csitool's figures against independent computations on the raw column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import csitool


def test_abc2_satisfaction_csi_independent(data, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    raw = pd.read_csv(data / "abc2.csv")["Satisfaction"].dropna().to_numpy(float)
    # independent: CSI = (mean - 1) / 4 * 100 with a t interval from scipy
    lo, hi = sps.t.interval(0.95, len(raw) - 1, loc=raw.mean(), scale=sps.sem(raw))
    result = csitool.csi(csitool.load(data / "abc2.csv"))
    assert result.method == "sat"
    assert result.score == pytest.approx((raw.mean() - 1) / 4 * 100)
    assert (result.ci_low, result.ci_high) == pytest.approx(((lo - 1) * 25, (hi - 1) * 25))
    ladder = csitool.ladder(csitool.load(data / "abc2.csv"))
    assert ladder.very == pytest.approx(100 * np.mean(raw == 5))
    assert ladder.wow_gap == pytest.approx(100 * np.sum(raw == 5) / np.sum(raw >= 4))


def test_prepbench_nps_independent(data, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    frame = pd.read_csv(data / "nps_wide_bom.csv", encoding="utf-8-sig")
    col = next(c for c in frame.columns if c.startswith("Would you recommend"))
    x = frame[col].to_numpy(float)
    # the file carries its own Promoter / Detractor flags: use them as the oracle
    expected = 100 * (frame["Promoter"].sum() - frame["Detractor"].sum()) / len(frame)
    assert expected == pytest.approx(100 * (np.mean(x >= 9) - np.mean(x <= 6)))
    assert csitool.nps(csitool.load(data / "nps_wide_bom.csv")).score == pytest.approx(expected)


def test_airline_four_point_with_config(data, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "csitool.toml").write_text(
        '[roles]\nsat = "o_experience"\n[scales]\ndefault = [1, 4]\n', encoding="utf-8"
    )
    raw = pd.read_csv(data / "airline_survey.csv")["o_experience"].to_numpy(float)
    survey = csitool.load(data / "airline_survey.csv")
    assert csitool.csi(survey).score == pytest.approx((raw.mean() - 1) / 3 * 100)
    lad = csitool.ladder(survey)
    # 4-point: very = 4, somewhat = 3, no neutral, dissatisfied = 1-2
    assert (lad.very, lad.somewhat, lad.neutral) == pytest.approx(
        (100 * np.mean(raw == 4), 100 * np.mean(raw == 3), 0.0)
    )


def test_non_whole_answers_take_the_general_path():
    from csitool.stats.csi import item_stats

    # 4.5 is a valid answer on a 1-5 scale (e.g. an averaged index): top-2-box counts it
    r = item_stats("q", np.array([5, 4.5, 3, 2.5, 1]), 1, 5)
    assert (r.top_box, r.top2_box, r.bottom2_box) == pytest.approx((20.0, 40.0, 20.0))
    assert r.csi == pytest.approx((3.2 - 1) / 4 * 100)


def test_airline_four_point_without_config(data, monkeypatch, tmp_path):
    # no csitool.toml: the 4-point scale is inferred from 9,720 x 7 answers, none above 4
    monkeypatch.chdir(tmp_path)
    raw = pd.read_csv(data / "airline_survey.csv")
    survey = csitool.load(data / "airline_survey.csv")
    for col in [c for c in raw.columns if c.startswith("o_")]:
        assert (survey.scales[col].min, survey.scales[col].max) == (1, 4), col
    item = next(i for i in csitool.score(survey).total.items if i.column == "o_experience")
    x = raw["o_experience"].to_numpy(float)
    assert item.csi == pytest.approx((x.mean() - 1) / 3 * 100)  # 65-ish, not 49 as on 1-5
    assert item.top_box == pytest.approx(100 * np.mean(x == 4))
    assert "column 1" not in survey.roles.attrs  # the original row numbers


def test_abc_full_questionnaire_reads_zero_as_not_applicable(data, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    raw = pd.read_csv(data / "abc_full.csv")
    survey = csitool.load(data / "abc_full.csv")
    roles = survey.roles
    for col in ("q1", "q6", "q10", "q11"):
        assert (survey.scales[col].min, survey.scales[col].max) == (1, 5), col
    assert survey.scales["q6"].na_codes == (0.0,)
    # q6: 3 zeros of 262 answers are "not applicable"; CSI over the other 259
    q6 = raw["q6"].dropna().to_numpy(float)
    assert survey.ledger.column_counts("q6")["not_applicable"] == int((q6 == 0).sum()) == 3
    item = next(i for i in csitool.score(survey).total.items if i.column == "q6")
    assert item.csi == pytest.approx((q6[q6 > 0].mean() - 1) / 4 * 100)
    for col in ("q39", "q40", "q44", "q68", "Prob 1", "ID", "country"):
        assert col not in roles.attrs, col
    assert "country" in roles.segment and roles.id == "ID"
    assert any(n.code == "zero_as_na" and n.is_warning for n in survey.notes)
    # the book's model outputs, 1-5 like the answers: not scored, and the note says why
    for col in ("Naive Predicted q1", "Most Likely q1"):
        assert col not in roles.attrs and roles.other[col].key == "no_role.model_output", col
    told = next(n for n in survey.notes if n.code == "not_an_item")
    assert "'Naive Predicted q1', 'Most Likely q1': a model's outputs" in told.message


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside the checkout")
@pytest.mark.parametrize(
    ("rel", "expect"),
    [
        ("yellowpages-customersat-1to10/customerSat.csv", {"q1": (1, 10), "q10": (1, 10)}),
        ("nsmc-naver-movie-reviews-ko/nsmc_raw_ratings_sample20000.csv", {"rating": (1, 10)}),
        ("laptop-reviews-en/LAPTOP_REVIEWS_no_user_columns.csv", {"User rating": (1, 5)}),
        ("abc-b2b-customer-survey/ABC2.csv", {"Satisfaction": (1, 5)}),
        ("airline-survey-4pt/AIRLINE_SURVEY.csv", {"o_crew": (1, 4)}),
    ],
)
def test_shared_real_files_read_right_with_no_options(rel, expect, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    survey = csitool.load(SHARED / rel)
    for col, scale in expect.items():
        assert (survey.scales[col].min, survey.scales[col].max) == scale, col
    if rel.startswith("nsmc"):
        assert survey.roles.comment == "review" and survey.roles.nps is None
    if rel.startswith("laptop"):
        assert survey.roles.comment == "Review content"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside the checkout")
def test_shared_long_prepbench_file_is_pivoted(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    survey = csitool.load(SHARED / "nps-messy-duplicates-csv/input_01.csv", nps="3")
    assert survey.raw.n_rows == 28 and survey.roles.nps == "3"
    assert any(n.code == "long_format" for n in survey.notes)
