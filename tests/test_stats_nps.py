"""NPS, its standard error and intervals, checked against hand calculations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csitool.stats.common import kish_n_eff
from csitool.stats.nps import nps, nps_from_counts


def answers(det: int, pas: int, pro: int) -> np.ndarray:
    return np.array([3.0] * det + [8.0] * pas + [10.0] * pro)


def test_issue_check_figures_wald():
    # hand calculation: n=500, p=0.4, d=0.2 -> NPS = 20
    # Var = p + d - (p - d)^2 = 0.6 - 0.04 = 0.56; the linearisation SE (R svymean on z =
    # +1/0/-1 with weights 1) is sqrt(0.56 / (n - 1)) = sqrt(0.56/499) = 0.033500 -> 3.350
    # Wald: 20 +/- 1.959964 * 3.3500 = [13.43, 26.57]
    r = nps(answers(100, 200, 200), ci_method="wald")
    assert r.score == pytest.approx(20.0)
    assert r.se == pytest.approx(100 * math.sqrt(0.56 / 499))
    assert round(r.se, 3) == 3.350
    assert (round(r.ci_low, 2), round(r.ci_high, 2)) == (13.43, 26.57)
    assert (r.promoters, r.passives, r.detractors) == pytest.approx((40.0, 40.0, 20.0))


def test_issue_check_figures_adjusted_wald():
    # the pseudo-respondents go on the estimate's effective size n* = Var / SE^2 = n - 1 = 499:
    # n' = 502, p' = (499 * 0.4 + 0.75) / 502, d' = (499 * 0.2 + 0.75) / 502
    # CI = 100 (p' - d') +/- 1.959964 * 100 sqrt((p' + d' - (p' - d')^2) / 502) = [13.33, 26.43]
    r = nps(answers(100, 200, 200))
    assert r.ci_method == "adjusted-wald"
    assert r.score == pytest.approx(20.0)
    pa, da = (499 * 0.4 + 0.75) / 502, (499 * 0.2 + 0.75) / 502
    half = 1.959963984540054 * 100 * math.sqrt((pa + da - (pa - da) ** 2) / 502)
    assert (r.ci_low, r.ci_high) == pytest.approx((100 * (pa - da) - half, 100 * (pa - da) + half))
    assert (round(r.ci_low, 2), round(r.ci_high, 2)) == (13.33, 26.43)


def test_independence_assumption_would_be_wrong():
    # treating p and d as independent gives sqrt(p(1-p)/n + d(1-d)/n) = 2.83 points; we give 3.35
    r = nps_from_counts(200, 200, 100)
    assert r.se == pytest.approx(100 * math.sqrt(0.56 / 499))
    naive = 100 * math.sqrt(0.4 * 0.6 / 500 + 0.2 * 0.8 / 500)
    assert round(naive, 2) == 2.83
    assert round(r.se, 2) == 3.35


def test_small_extreme_sample_interval_inside_bounds():
    # 2 detractors, 0 passives, 9 promoters: NPS = (9-2)/11 = 63.64
    for method in ("adjusted-wald", "wald"):
        r = nps(answers(2, 0, 9), ci_method=method)
        assert r.score == pytest.approx(100 * 7 / 11)
        assert -100 <= r.ci_low <= r.ci_high <= 100
    assert nps(answers(0, 0, 10), ci_method="wald").ci_high == 100.0


def test_group_boundaries():
    # 0-6 detractors, 7-8 passives, 9-10 promoters
    r = nps(np.arange(11, dtype=float))
    assert r.detractors == pytest.approx(700 / 11)
    assert r.passives == pytest.approx(200 / 11)
    assert r.promoters == pytest.approx(200 / 11)


def test_confidence_level_changes_width():
    r95 = nps(answers(100, 200, 200), ci_method="wald")
    r90 = nps(answers(100, 200, 200), ci_method="wald", confidence=0.90)
    # z(0.95) = 1.644854 for a 90% interval
    assert r90.ci_high - r90.score == pytest.approx(1.6448536 * r95.se, rel=1e-6)


def test_low_base_flag():
    assert nps(answers(5, 5, 19)).low_base is True  # n = 29
    assert nps(answers(5, 5, 20)).low_base is False  # n = 30
    assert nps(answers(5, 5, 20), min_base=50).low_base is True


def test_empty_gives_no_score():
    r = nps(np.array([np.nan, np.nan]))
    assert r.n == 0 and r.score is None and r.low_base


def test_all_ones_weights_equal_unweighted():
    x = answers(37, 51, 62)
    assert nps(x, np.ones(len(x))) == nps(x)


def test_weighted_nps_hand_calculation():
    # weights: detractor 2.0, passive 1.0, promoters 1.0 and 1.0
    # weighted p = 2/5 = 0.4, d = 2/5 = 0.4 -> NPS 0; n_eff = 5^2 / (4 + 1 + 1 + 1) = 25/7
    # linearisation (R: svymean(~z, svydesign(ids=~1, weights=~w)), z = -1, 0, 1, 1):
    # Var = n/(n-1) sum w^2 (z - 0)^2 / W^2 = 4/3 * (4 + 0 + 1 + 1) / 25 = 0.32
    r = nps(np.array([2.0, 7.0, 9.0, 10.0]), np.array([2.0, 1.0, 1.0, 1.0]), ci_method="wald")
    assert r.score == pytest.approx(0.0)
    assert r.n == 4
    assert r.n_eff == pytest.approx(25 / 7)
    assert r.se == pytest.approx(100 * math.sqrt(0.32))


def test_kish():
    # (1+2+3)^2 / (1+4+9) = 36/14
    assert kish_n_eff(np.array([1.0, 2.0, 3.0])) == pytest.approx(36 / 14)
    assert kish_n_eff(np.ones(17)) == 17


scores = st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=300)


@given(scores)
@settings(max_examples=200, deadline=None)
def test_property_range_and_definition(values):
    x = np.array(values, dtype=float)
    r = nps(x)
    assert -100 <= r.score <= 100
    assert r.score == pytest.approx(r.promoters - r.detractors)
    assert r.promoters + r.passives + r.detractors == pytest.approx(100)
    if len(x) > 1:
        assert -100 <= r.ci_low <= r.ci_high <= 100


@given(scores)
@settings(max_examples=200, deadline=None)
def test_property_interval_contains_adjusted_score(values):
    x = np.array(values, dtype=float)
    n = len(x)
    p = np.mean(x >= 9)
    d = np.mean(x <= 6)
    k = n - 1 if p + d - (p - d) ** 2 > 0 and n > 1 else max(n - 1, 1)  # n* = n - 1
    adjusted = 100 * ((k * p + 0.75) / (k + 3) - (k * d + 0.75) / (k + 3))
    r = nps(x)
    if n < 2:
        assert r.se is None and r.ci_low is None
        return
    assert r.ci_low - 1e-9 <= adjusted <= r.ci_high + 1e-9


@given(scores, st.randoms(use_true_random=False))
@settings(max_examples=100, deadline=None)
def test_property_shuffle_changes_nothing(values, rnd):
    x = np.array(values, dtype=float)
    y = x.copy()
    rnd.shuffle(y)
    a, b = nps(x), nps(y)
    assert a.score == pytest.approx(b.score)
    assert a.se == pytest.approx(b.se)
    assert (a.ci_low, a.ci_high) == pytest.approx((b.ci_low, b.ci_high))
    assert a.se is None or a.se == pytest.approx(_linearised_se(x, np.ones(len(x))))


@given(scores)
@settings(max_examples=100, deadline=None)
def test_property_duplicating_rows(values):
    x = np.array(values, dtype=float)
    n = len(x)
    a, b = nps(x), nps(np.concatenate([x, x]))
    assert b.score == pytest.approx(a.score)
    if n > 1:  # SE^2 = Var / (n - 1): doubling the rows divides it by (2n - 1) / (n - 1)
        assert b.se == pytest.approx(a.se * math.sqrt((n - 1) / (2 * n - 1)), abs=1e-9)


def _linearised_se(x: np.ndarray, w: np.ndarray) -> float:
    """R svymean(~z, svydesign(ids=~1, weights=~w))'s SE, in points, written out in numpy."""
    z = np.where(x >= 9, 1.0, np.where(x <= 6, -1.0, 0.0))
    m = np.sum(w * z) / np.sum(w)
    n = len(z)
    return float(100 * np.sqrt(n / (n - 1) * np.sum((w * (z - m)) ** 2) / np.sum(w) ** 2))


def test_weighted_nps_se_is_the_linearisation_one():
    # weights correlated with loyalty (post-stratification style): the Kish n_eff formula
    # would be off; the linearisation SE is what R survey reports:
    #   d <- svydesign(ids=~1, weights=~w, data=df); svymean(~z, d)   (z = +1/0/-1)
    rng = np.random.default_rng(21)
    x = rng.integers(0, 11, 800).astype(float)
    w = np.where(x >= 9, 2.5, np.where(x <= 6, 0.6, 1.0)) * rng.uniform(0.5, 1.5, 800)
    r = nps(x, w)
    assert r.se == pytest.approx(_linearised_se(x, w), rel=1e-12)
    kish = 100 * math.sqrt(
        (r.promoters / 100 + r.detractors / 100 - ((r.promoters - r.detractors) / 100) ** 2)
        / r.n_eff
    )
    assert abs(kish - r.se) / r.se > 0.01  # the two estimators really differ here


def test_weighted_segment_difference_test():
    # two weighted segments: z = (NPS_a - NPS_b) / sqrt(SE_a^2 + SE_b^2), each SE from the
    # linearisation (R: svyby(~z, ~seg, d, svymean) then svycontrast for the difference)
    from csitool.stats.nps import compare_nps

    rng = np.random.default_rng(5)
    xa, xb = rng.integers(0, 11, 300).astype(float), rng.integers(2, 11, 250).astype(float)
    wa, wb = rng.uniform(0.5, 2.0, 300), rng.uniform(0.5, 2.0, 250)
    a, b = nps(xa, wa), nps(xb, wb)
    d = compare_nps(a, b)
    se = math.sqrt(_linearised_se(xa, wa) ** 2 + _linearised_se(xb, wb) ** 2)
    assert d.se == pytest.approx(se, rel=1e-12)
    assert d.statistic == pytest.approx((a.score - b.score) / se, rel=1e-12)
