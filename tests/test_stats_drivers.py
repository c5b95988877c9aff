"""Drivers: relative weights, penalty-reward analysis, tests, classes, and the whole analysis.

Expected numbers come from independent computations in the tests (numpy least squares,
closed forms, replicated rows for frequency weights, scipy), never from csitool itself.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import csitool
from csitool.errors import ConfigError, InputError
from csitool.stats import drivers as dv
from csitool.stats.inference import bh_adjust, nps_difference_se, two_proportions, welch
from csitool.stats.regression import relative_weights, weighted_corr, wls
from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data" / "survey.xlsx"


# --------------------------------------------------------------------------------------
# Relative weights
# --------------------------------------------------------------------------------------


def _correlated(n: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    common = rng.normal(size=n)
    x = 0.6 * common[:, None] + rng.normal(size=(n, k))
    y = x @ np.linspace(0.2, 1.0, k) + rng.normal(size=n)
    return x, y


def test_relative_weights_sum_to_r2_of_an_independent_ols_fit():
    x, y = _correlated(300, 5, 1)
    rw = relative_weights(x, y)
    # independent R^2: numpy least squares with an intercept, 1 - SSE / SST
    design = np.column_stack([np.ones(len(y)), x])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    r2 = 1 - np.sum((y - design @ beta) ** 2) / np.sum((y - y.mean()) ** 2)
    assert rw.r2 == pytest.approx(r2, abs=1e-9)
    assert rw.raw.sum() == pytest.approx(r2, abs=1e-9)
    assert rw.share.sum() == pytest.approx(100, abs=1e-9)


def test_relative_weights_of_uncorrelated_predictors_are_squared_standardized_betas():
    # Columns of a centred 2-level factorial design are exactly uncorrelated.
    base = np.array([[a, b, c] for a in (-1, 1) for b in (-1, 1) for c in (-1, 1)], float)
    x = np.repeat(base, 5, axis=0)
    rng = np.random.default_rng(2)
    y = x @ np.array([0.8, -0.5, 0.2]) + rng.normal(size=len(x))
    assert np.allclose(np.corrcoef(x, rowvar=False), np.eye(3), atol=1e-12)
    z = (x - x.mean(0)) / x.std(0)
    zy = (y - y.mean()) / y.std()
    beta_std, *_ = np.linalg.lstsq(z, zy, rcond=None)
    assert relative_weights(x, y).raw == pytest.approx(beta_std**2, abs=1e-12)


def test_relative_weights_two_predictors_closed_form():
    # For two predictors with correlation r, the symmetric square root of [[1, r], [r, 1]] is
    # [[a, b], [b, a]], a = (sqrt(1 + r) + sqrt(1 - r)) / 2, b = (sqrt(1 + r) - sqrt(1 - r)) / 2
    # (check: a^2 + b^2 = 1, 2ab = r). beta = Lambda^-1 r_xy, eps_j = sum_k Lambda_jk^2 beta_k^2.
    x = np.array([[1, 2], [2, 1], [3, 4], [4, 3], [5, 5], [2, 3], [4, 4], [1, 1]], float)
    y = np.array([2.0, 1.5, 3.5, 3.0, 5.0, 2.5, 4.5, 1.0])
    r = np.corrcoef(x[:, 0], x[:, 1])[0, 1]
    r1, r2 = np.corrcoef(x[:, 0], y)[0, 1], np.corrcoef(x[:, 1], y)[0, 1]
    a = (math.sqrt(1 + r) + math.sqrt(1 - r)) / 2
    b = (math.sqrt(1 + r) - math.sqrt(1 - r)) / 2
    det = a * a - b * b
    beta1, beta2 = (a * r1 - b * r2) / det, (a * r2 - b * r1) / det
    expected = [a * a * beta1**2 + b * b * beta2**2, b * b * beta1**2 + a * a * beta2**2]
    assert relative_weights(x, y).raw == pytest.approx(expected, abs=1e-12)


def test_relative_weights_small_data_by_the_eigen_formula():
    # Independent route: scipy.linalg.sqrtm for Lambda (not an eigen-decomposition), and
    # np.corrcoef for the correlations.
    from scipy.linalg import sqrtm

    x, y = _correlated(40, 4, 3)
    c = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    lam = np.real(sqrtm(c[:4, :4]))
    beta = np.linalg.solve(lam, c[:4, 4])
    expected = (lam**2) @ beta**2
    assert relative_weights(x, y).raw == pytest.approx(expected, abs=1e-10)


def test_weighted_relative_weights_equal_replicated_rows():
    # Integer weights act as frequency weights: the same as repeating each row w times.
    x, y = _correlated(60, 3, 4)
    w = np.random.default_rng(5).integers(1, 4, size=60).astype(float)
    weighted = relative_weights(x, y, w)
    plain = relative_weights(np.repeat(x, w.astype(int), 0), np.repeat(y, w.astype(int)))
    assert weighted.raw == pytest.approx(plain.raw, abs=1e-12)
    assert weighted_corr(x, w) == pytest.approx(
        np.corrcoef(np.repeat(x, w.astype(int), 0), rowvar=False), abs=1e-12
    )


# --------------------------------------------------------------------------------------
# Weighted least squares
# --------------------------------------------------------------------------------------


def _hc1(d: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Independent WLS + HC1 sandwich, written out from the textbook formula."""
    n, k = d.shape
    W = np.diag(w)
    xtwx_inv = np.linalg.inv(d.T @ W @ d)
    beta = xtwx_inv @ d.T @ W @ y
    e = y - d @ beta
    meat = d.T @ np.diag((w * e) ** 2) @ d
    cov = n / (n - k) * xtwx_inv @ meat @ xtwx_inv
    return beta, np.sqrt(np.diag(cov))


def test_wls_matches_textbook_formula_and_p_values():
    rng = np.random.default_rng(6)
    n = 80
    d = np.column_stack([np.ones(n), rng.integers(0, 2, n), rng.integers(0, 2, n)]).astype(float)
    y = d @ [3.0, -0.7, 0.4] + rng.normal(size=n)
    w = rng.uniform(0.5, 2.0, n)
    fit = wls(d, y, w)
    beta, se = _hc1(d, y, w)
    assert fit.coef == pytest.approx(beta, abs=1e-10)
    assert fit.se == pytest.approx(se, abs=1e-10)
    n_eff = w.sum() ** 2 / (w**2).sum()
    assert fit.p == pytest.approx(2 * stats.t.sf(np.abs(beta / se), n_eff - 3), abs=1e-10)


def test_wls_drops_a_redundant_column():
    rng = np.random.default_rng(7)
    a = rng.integers(0, 2, 50).astype(float)
    d = np.column_stack([np.ones(50), a, 1 - a])  # 1 - a = intercept - a
    fit = wls(d, rng.normal(size=50))
    assert list(fit.kept) == [True, True, False]
    assert math.isnan(fit.coef[2])


# --------------------------------------------------------------------------------------
# Tests and adjustments
# --------------------------------------------------------------------------------------


def test_two_proportions_hand_calculation():
    # 60/100 vs 45/100: pooled p = 0.525, se0 = sqrt(.525 * .475 * (1/100 + 1/100)) = 0.070622
    # z = 0.15 / 0.070622 = 2.1240, two-sided p = 0.03367
    d = two_proportions(0.60, 100, 0.45, 100)
    assert d.estimate == pytest.approx(0.15)
    assert d.statistic == pytest.approx(2.1240, abs=1e-4)
    assert d.p_value == pytest.approx(0.03367, abs=1e-5)
    # unpooled interval: 0.15 +/- 1.959964 sqrt(.6 * .4 / 100 + .45 * .55 / 100)
    half = 1.959964 * math.sqrt(0.24 / 100 + 0.2475 / 100)
    assert (d.ci_low, d.ci_high) == pytest.approx((0.15 - half, 0.15 + half), abs=1e-6)


def test_bh_matches_scipy():
    p = [0.01, 0.04, 0.03, 0.20, None, 0.002]
    got = bh_adjust(p)
    expected = stats.false_discovery_control([0.01, 0.04, 0.03, 0.20, 0.002], method="bh")
    assert got[4] is None
    assert [g for g in got if g is not None] == pytest.approx(list(expected), abs=1e-12)


def test_nps_difference_check_figures():
    # 100/200/200 vs 120/200/180 detractors/passives/promoters: NPS 20 vs 12,
    # Var = .4 + .2 - .2^2 = .56 and .36 + .24 - .12^2 = .5856; each SE^2 = Var / (n - 1)
    # (linearisation, R svymean), z = 8 / (100 sqrt((.56 + .5856) / 499)) = 1.6696, p = 0.095
    from csitool.stats.nps import compare_nps, nps

    a = nps(np.array([3.0] * 100 + [8.0] * 200 + [10.0] * 200))
    b = nps(np.array([3.0] * 120 + [8.0] * 200 + [10.0] * 180))
    d = compare_nps(a, b)
    z = 8 / (100 * math.sqrt((0.56 + 0.5856) / 499))
    assert d.estimate == pytest.approx(8.0)
    assert d.statistic == pytest.approx(z, abs=1e-9)
    assert d.p_value == pytest.approx(math.erfc(z / math.sqrt(2)), abs=1e-12)
    assert round(d.p_value, 3) == 0.095
    se1, se2 = 100 * math.sqrt(0.56 / 499), 100 * math.sqrt(0.5856 / 499)
    assert nps_difference_se(20.0, se1, 12.0, se2).statistic == pytest.approx(z)


def test_welch_matches_scipy():
    rng = np.random.default_rng(8)
    a, b = rng.normal(0, 1, 30), rng.normal(0.5, 2, 45)
    d = welch(
        a.mean(), a.std(ddof=1) / math.sqrt(30), 30, b.mean(), b.std(ddof=1) / math.sqrt(45), 45
    )
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert d.statistic == pytest.approx(ref.statistic, abs=1e-10)
    assert d.p_value == pytest.approx(ref.pvalue, abs=1e-10)


# --------------------------------------------------------------------------------------
# Classes
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("penalty", "pp", "reward", "rp", "ap", "ia", "class_"),
    [
        # IA = (R - P) / (R + P)
        (-0.6, 0.001, 0.0, 0.9, 0.001, -1.0, dv.PAIN),  # (0 - .6) / .6
        (-0.02, 0.7, 0.4, 0.001, 0.001, (0.4 - 0.02) / 0.42, dv.WOW),
        (-0.3, 0.001, 0.25, 0.001, 0.4, (0.25 - 0.3) / 0.55, dv.PERFORMANCE),
        # both significant, IA beyond -0.2, but the asymmetry is not: performance
        (-0.39, 0.001, 0.22, 0.001, 0.06, (0.22 - 0.39) / 0.61, dv.PERFORMANCE),
        # both significant and the asymmetry too: pain-point
        (-0.8, 0.001, 0.2, 0.01, 0.001, (0.2 - 0.8) / 1.0, dv.PAIN),
        (-0.05, 0.5, 0.04, 0.6, 0.9, (0.04 - 0.05) / 0.09, dv.LOW_IMPACT),
        # penalty significant but IA between the thresholds: performance
        (-0.2, 0.01, 0.15, 0.08, 0.5, (0.15 - 0.2) / 0.35, dv.PERFORMANCE),
        # a positive "penalty" counts as 0 and is never a significant penalty
        (0.3, 0.001, 0.1, 0.5, 0.5, 1.0, dv.LOW_IMPACT),
        (None, None, 0.4, 0.001, None, None, dv.UNCLASSIFIED),
        (-0.5, None, 0.2, 0.01, None, None, dv.UNCLASSIFIED),  # no p-value (no residual df)
    ],
)
def test_classify(penalty, pp, reward, rp, ap, ia, class_):
    got_ia, got = dv.classify(penalty, pp, reward, rp, ap)
    assert got == class_
    assert got_ia == (None if ia is None else pytest.approx(ia))


def test_quadrants():
    assert dv.quadrant(12, 50, 10, 60) == dv.FIX_FIRST
    assert dv.quadrant(12, 70, 10, 60) == dv.KEEP_UP
    assert dv.quadrant(5, 50, 10, 60) == dv.LOW_PRIORITY
    assert dv.quadrant(5, 70, 10, 60) == dv.OVERKILL
    assert dv.quadrant(10, 60, 10, 60) == dv.KEEP_UP  # on the lines counts as high


# --------------------------------------------------------------------------------------
# The whole analysis on the sample and on built frames
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return csitool.load(SAMPLE)


@pytest.fixture(scope="module")
def sample_result(sample):
    return csitool.drivers(sample)


def test_sample_planted_roles_are_recovered(sample_result):
    # sample_data/README.md: pain-points B2, D1, E2; wow-points B1, C3, E3; linear C1, C2, E1
    by_code = {a.column[:2]: a.impact.class_ for a in sample_result.total.attributes}
    assert {c for c, k in by_code.items() if k == dv.PAIN} >= {"B2", "D1", "E2"}
    assert {c for c, k in by_code.items() if k == dv.WOW} == {"B1", "C3", "E3"}
    assert [by_code[c] for c in ("C1", "C2", "E1")] == [dv.PERFORMANCE] * 3
    # the low-impact ones A1, A2, D2 come out as such (B3 shows a small significant penalty)
    assert [by_code[c] for c in ("A1", "A2", "D2")] == [dv.LOW_IMPACT] * 3
    fixes = [a.column[:2] for a in sample_result.total.actions if a.kind == "fix"]
    assert fixes[:3] == ["B2", "E2", "D1"]


def _complete_frame(survey, target):
    attrs = survey.roles.attrs
    ok = survey.ledger.row_reason == 0
    cols = [target, *attrs]
    for c in cols:
        ok &= ~np.isnan(survey.values[c])
    y = survey.values[target][ok]
    x = np.column_stack([survey.values[a][ok] for a in attrs])
    return y, x, survey.weights[ok]


def test_sample_penalty_reward_equal_an_independent_least_squares_fit(sample, sample_result):
    y, x, w = _complete_frame(sample, sample.roles.sat)
    assert sample_result.total.n == len(y) == 1491
    # design: intercept, then (x <= 2, x == 5) dummies per attribute; WLS via sqrt(w) scaling
    d = np.column_stack(
        [np.ones(len(y))] + [m for j in range(x.shape[1]) for m in (x[:, j] <= 2, x[:, j] == 5)]
    ).astype(float)
    sw = np.sqrt(w)
    beta, *_ = np.linalg.lstsq(d * sw[:, None], y * sw, rcond=None)
    for j, a in enumerate(sample_result.total.attributes):
        assert a.impact.penalty == pytest.approx(beta[1 + 2 * j], abs=1e-9)
        assert a.impact.reward == pytest.approx(beta[2 + 2 * j], abs=1e-9)
        big_r, big_p = max(beta[2 + 2 * j], 0), max(-beta[1 + 2 * j], 0)
        if big_r + big_p:
            assert a.impact.ia == pytest.approx((big_r - big_p) / (big_r + big_p))
    # the relative weights use the weighted correlations of the same rows
    assert sum(a.importance.raw_weight for a in sample_result.total.attributes) == pytest.approx(
        sample_result.total.r2, abs=1e-9
    )


def test_sample_ladder_contrast_by_hand(sample, sample_result):
    y, x, w = _complete_frame(sample, sample.roles.sat)
    # B2 (column 3): top box (5) share among very satisfied (5) minus somewhat satisfied (4)
    j = 3
    very, some = y == 5, y == 4
    pa = w[very & (x[:, j] == 5)].sum() / w[very].sum()
    pb = w[some & (x[:, j] == 5)].sum() / w[some].sum()
    na = w[very].sum() ** 2 / (w[very] ** 2).sum()
    nb = w[some].sum() ** 2 / (w[some] ** 2).sum()
    pooled = (na * pa + nb * pb) / (na + nb)
    z = (pa - pb) / math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    c = sample_result.total.attributes[j].delight
    assert c.difference == pytest.approx(100 * (pa - pb), abs=1e-9)
    assert c.z == pytest.approx(z, abs=1e-9)
    assert c.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-6)


def test_sample_bad_moment_by_hand(sample, sample_result):
    y, x, w = _complete_frame(sample, sample.roles.sat)
    bad = (x <= 2).any(axis=1)
    b = sample_result.total.bad_moment
    assert b.share == pytest.approx(100 * w[bad].sum() / w.sum())
    assert b.n_bad == int(bad.sum())
    csi = 100 * (y - 1) / 4
    assert b.sat_bad == pytest.approx(np.average(csi[bad], weights=w[bad]))
    assert b.sat_difference.estimate < 0 and b.sat_difference.p_value < 1e-6


def _frame(n=400, seed=0, k=4, weight=None):
    rng = np.random.default_rng(seed)
    u = rng.normal(size=n)
    data = {}
    for j in range(k):
        data[f"attr{j + 1}"] = np.clip(np.round(3.5 + 0.8 * u + rng.normal(size=n)), 1, 5)
    sat = 3 + 0.5 * (data["attr1"] - 3) + 0.3 * (data["attr2"] - 3) + 0.7 * rng.normal(size=n)
    data["overall satisfaction"] = np.clip(np.round(sat), 1, 5)
    data["nps"] = np.clip(np.round(6 + 1.5 * (data["overall satisfaction"] - 3)), 0, 10)
    if weight is not None:
        data["wt"] = weight
    return pd.DataFrame(data)


def _load(tmp_path, frame, **roles):
    path = tmp_path / "s.csv"
    frame.to_csv(path, index=False)
    attrs = [c for c in frame.columns if c.startswith("attr")]
    return csitool.load(path, attrs=roles.pop("attrs", attrs), sat="overall satisfaction",
                        nps="nps", **roles)  # fmt: skip


def test_weights_all_one_give_the_unweighted_result_exactly(tmp_path):
    plain = csitool.drivers(_load(tmp_path, _frame()))
    ones = csitool.drivers(_load(tmp_path, _frame(weight=np.ones(400)), weight="wt"))
    assert ones.total.to_dict() == plain.total.to_dict()


def test_attribute_nobody_rated_low(tmp_path):
    f = _frame(seed=1)
    f["attr3"] = np.where(f["attr3"] <= 2, 3, f["attr3"])
    r = csitool.drivers(_load(tmp_path, f))
    a = r.total.attributes[2]
    assert a.impact.n_low == 0 and a.impact.penalty is None
    assert a.impact.class_ == dv.UNCLASSIFIED
    assert "penalty not estimated: 0 rated it low (needs 10)" in a.impact.note
    assert any("attr3: penalty not estimated" in n for n in r.total.notes)


def test_constant_attribute_is_refused_by_name(tmp_path):
    f = _frame(seed=2)
    f["attr2"] = 4
    with pytest.raises(InputError, match="attribute 'attr2' has the same answer \\(4\\)"):
        csitool.drivers(_load(tmp_path, f))


def test_fewer_rows_than_attributes_is_refused(tmp_path):
    f = _frame(n=4, seed=3)
    with pytest.raises(InputError, match="only 4 complete rows for 4 attributes"):
        csitool.drivers(_load(tmp_path, f))


def test_small_base_warns_and_segments_say_why_they_are_skipped(tmp_path):
    f = _frame(n=120, seed=4)
    f["seg"] = ["a"] * 100 + ["b"] * 20
    r = csitool.drivers(_load(tmp_path, f, segment=["seg"]), by=["seg"])
    assert not any("fewer than 10 per attribute" in n for n in r.total.notes)  # 120 >= 40
    a, b = r.segments["seg"]
    assert isinstance(a, dv.DriversGroup) and a.n == 100
    assert isinstance(b, dv.SkippedGroup) and b.reason.startswith("low base: 20 complete rows")
    small = csitool.drivers(_load(tmp_path, _frame(n=30, seed=5)))
    assert any("30 complete rows for 4 attributes" in n for n in small.total.notes)


def test_nps_target_uses_promoter_groups(tmp_path):
    r = csitool.drivers(_load(tmp_path, _frame(seed=6)), target="nps")
    assert r.target.role == "nps" and (r.target.cut_high, r.target.cut_low) == (9.0, 7.0)
    assert r.total.attributes[0].delight.a == "promoters"


def test_stages_from_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "csitool.toml").write_text(
        '[stages]\n"first" = ["attr1", "attr2"]\n"second" = ["attr3*", "attr4"]\n',
        encoding="utf-8",
    )
    f = _frame(seed=7)
    s = _load(tmp_path, f)
    r = csitool.drivers(s)
    first, second = r.total.stages
    assert first.attributes == ["attr1", "attr2"]
    # stage CSI = mean over respondents of their mean stage score on 0-100
    per = ((f[["attr1", "attr2"]] - 1) / 4 * 100).mean(axis=1)
    assert first.csi == pytest.approx(per.mean())
    assert first.any_low == pytest.approx(100 * (f[["attr1", "attr2"]] <= 2).any(axis=1).mean())
    assert [st.weakest for st in (first, second)].count(True) == 1
    (tmp_path / "csitool.toml").write_text('[stages]\n"x" = ["nope*"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'nope\\*' matches no attribute"):
        csitool.drivers(_load(tmp_path, f))


def _bh(p: list[float | None]) -> list[float | None]:
    """Benjamini-Hochberg written out directly: q_(i) = min_{k >= i} m p_(k) / k."""
    idx = [i for i, x in enumerate(p) if x is not None]
    m = len(idx)
    out: list[float | None] = [None] * len(p)
    ranked = sorted(idx, key=lambda i: p[i])
    for r, i in enumerate(ranked, 1):
        out[i] = min(1.0, min(p[j] * m / k for k, j in enumerate(ranked, 1) if k >= r))
    return out


def test_classes_use_bh_q_values_by_default():
    # the sample's B3 was built as low impact; its penalty has p = 0.041 among 26 tests
    # (13 attributes x penalty and reward): unadjusted it is a pain-point, adjusted it is not
    s = csitool.load(ROOT / "sample_data" / "survey.xlsx")
    raw = csitool.drivers(s, adjust="none").total
    adj = csitool.drivers(s).total
    b3_raw = next(a for a in raw.attributes if a.column.startswith("B3"))
    b3_adj = next(a for a in adj.attributes if a.column.startswith("B3"))
    assert b3_raw.impact.penalty_p < 0.05 and b3_raw.impact.class_ == "pain-point"
    p = [x for a in adj.attributes for x in (a.impact.penalty_p, a.impact.reward_p)]
    q = _bh(p)
    got = [x for a in adj.attributes for x in (a.impact.penalty_q, a.impact.reward_q)]
    assert got == pytest.approx(q, abs=1e-12)
    assert b3_adj.impact.penalty_q == pytest.approx(q[2 * adj.attributes.index(b3_adj)])
    assert b3_adj.impact.penalty_q > 0.05 and b3_adj.impact.class_ != "pain-point"
    assert all(a.column != b3_adj.column for a in adj.actions)
    # every class follows classify() on the q-values
    for a in adj.attributes:
        i = a.impact
        _, expected = dv.classify(i.penalty, i.penalty_q, i.reward, i.reward_q, i.asymmetry_p)
        assert i.class_ == expected, a.column


@pytest.mark.parametrize("kind", ["ones", "weighted", "grouped"])
def test_rows_sums_over_a_mask_are_the_sums_of_the_selected_rows(kind):
    """Oracle: math.fsum of the selected rows' n, w and w^2 (the counts exact). One row per
    respondent is counted without adding (``single``); grouped rows are not single."""
    from csitool.stats.common import Rows

    rng = np.random.default_rng(5)
    size = 1000
    mask = rng.random(size) < 0.4
    if kind == "ones":
        rows = Rows.of(None, size)
    elif kind == "weighted":
        rows = Rows.of(rng.uniform(0.2, 3.0, size))
    else:
        freq = rng.integers(1, 5, size).astype(float)
        rows = Rows(freq, freq * 1.5, freq * 2.25)
    assert rows.single == (kind != "grouped")
    n, sw, sw2 = rows.sums(mask)
    assert n == math.fsum(rows.n[mask]) == rows.respondents(mask)
    assert math.isclose(sw, math.fsum(rows.sw[mask]), rel_tol=1e-12)
    assert math.isclose(sw2, math.fsum(rows.sw2[mask]), rel_tol=1e-12)
    assert dv._count(mask, rows) == round(math.fsum(rows.n[mask]))


@pytest.mark.parametrize(
    "values",
    [
        [1, 5, 3, 3, np.nan, 1, 5, 2],  # whole numbers
        [-2, 0, 7, 7, -2],  # from a negative lowest answer
        [0.5, 1.5, 1.5, 2.5, np.nan],  # whole steps from a fractional lowest answer
        [1.0, 1e6, 2.25, 1.0],  # scattered (np.unique)
    ],
)
@pytest.mark.parametrize("grouped", [False, True])
def test_drivers_histogram_is_the_row_by_row_sum(values, grouped):
    """Oracle: each used answer's respondents and sums of weights and squared weights,
    added up row by row in Python (NaN answers left out)."""
    from csitool.stats.common import Rows

    x = np.array(values, dtype=float)
    rng = np.random.default_rng(len(values))
    if grouped:
        freq = rng.integers(1, 4, len(x)).astype(float)
        rows = Rows(freq, freq * rng.uniform(0.5, 2.0, len(x)), freq * 3.0)
    else:
        rows = Rows.of(rng.uniform(0.5, 2.0, len(x)))
    h = dv._histogram(x, rows)
    acc: dict[float, list[float]] = {}
    for i, v in enumerate(x.tolist()):
        if not math.isnan(v):
            slot = acc.setdefault(v, [0.0, 0.0, 0.0])
            slot[0] += rows.n[i]
            slot[1] += rows.sw[i]
            slot[2] += rows.sw2[i]
    levels = sorted(acc)
    assert h.levels.tolist() == levels
    assert h.count.tolist() == [round(acc[v][0]) for v in levels]
    assert h.sw.tolist() == pytest.approx([acc[v][1] for v in levels], rel=1e-12)
    assert h.sw2.tolist() == pytest.approx([acc[v][2] for v in levels], rel=1e-12)
