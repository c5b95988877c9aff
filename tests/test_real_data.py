"""Real survey files: csitool's figures against independent computations on the raw column."""

from __future__ import annotations

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
