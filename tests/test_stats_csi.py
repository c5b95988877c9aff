"""CSI, box shares, intervals and the ladder, checked against hand calculations and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from csitool.stats.csi import Cuts, default_cuts, item_stats, ladder, linear_index, overall_csi


@pytest.mark.parametrize(
    ("values", "lo", "hi", "expected"),
    [
        # hand calculation: mean 4 on 1-5 -> (4-1)/(5-1)*100 = 75
        ([3, 4, 5], 1, 5, 75.0),
        # mean 5.5 on 1-7 -> (5.5-1)/6*100 = 75
        ([4, 7], 1, 7, 75.0),
        # mean 8 on 0-10 -> 80
        ([6, 8, 10], 0, 10, 80.0),
        # mean 7 on 1-10 -> (7-1)/9*100 = 66.667
        ([5, 9], 1, 10, 600 / 9),
        # mean 3 on 1-4 -> (3-1)/3*100 = 66.667
        ([2, 3, 4], 1, 4, 200 / 3),
    ],
)
def test_csi_on_each_scale(values, lo, hi, expected):
    r = item_stats("q", np.array(values, dtype=float), lo, hi)
    assert r.csi == pytest.approx(expected)


def test_csi_interval_is_rescaled_t_interval():
    x = np.array([5, 4, 4, 3, 5, 2, 4, 5, 3, 4, 1, 5], dtype=float)
    lo, hi = sps.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=sps.sem(x))
    r = item_stats("q", x, 1, 5)
    assert r.ci_low == pytest.approx((lo - 1) / 4 * 100)
    assert r.ci_high == pytest.approx((hi - 1) / 4 * 100)


def wilson_independent(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    # Wilson (1927): (p + z^2/2n +/- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)
    p = k / n
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return c - h, c + h


def test_boxes_and_wilson():
    # 10 answers: three 5s, four 4s, one 3, one 2, one 1
    x = np.array([5, 5, 5, 4, 4, 4, 4, 3, 2, 1], dtype=float)
    r = item_stats("q", x, 1, 5)
    assert r.top_box == pytest.approx(30.0)
    assert r.top2_box == pytest.approx(70.0)
    assert r.bottom2_box == pytest.approx(20.0)
    lo, hi = wilson_independent(3, 10)
    assert (r.top_box_ci_low, r.top_box_ci_high) == pytest.approx((100 * lo, 100 * hi))
    lo, hi = wilson_independent(7, 10)
    assert (r.top2_box_ci_low, r.top2_box_ci_high) == pytest.approx((100 * lo, 100 * hi))


def test_top_boxes_on_zero_to_ten():
    # top box = 10, top-2 = 9-10, bottom-2 = 0-1
    x = np.array([10, 9, 8, 1, 0], dtype=float)
    r = item_stats("q", x, 0, 10)
    assert (r.top_box, r.top2_box, r.bottom2_box) == pytest.approx((20.0, 40.0, 40.0))


@pytest.mark.parametrize(
    ("lo", "hi", "cuts", "values", "expected"),
    [
        # 5-point: very 5, somewhat 4, neutral 3, dissatisfied 1-2
        (1, 5, (5, 4, 3), [5, 4, 4, 3, 2, 1, 5, 5], (3, 2, 1, 2)),
        # 7-point: 7 / 5-6 / 4 / 1-3
        (1, 7, (7, 5, 4), [7, 6, 5, 4, 3, 1, 7, 6], (2, 3, 1, 2)),
        # 1-10: 9-10 / 7-8 / 5-6 / 1-4
        (1, 10, (9, 7, 5), [10, 9, 8, 7, 6, 5, 4, 1], (2, 2, 2, 2)),
        # 0-10: 9-10 / 7-8 / 5-6 / 0-4
        (0, 10, (9, 7, 5), [10, 8, 7, 6, 4, 0, 0, 9], (2, 2, 1, 3)),
        # 4-point (no midpoint): 4 / 3 / none / 1-2
        (1, 4, (4, 3, 3), [4, 4, 3, 2, 1, 3], (2, 2, 0, 2)),
    ],
)
def test_ladder_defaults_per_scale(lo, hi, cuts, values, expected):
    assert default_cuts(lo, hi) == Cuts(*map(float, cuts))
    x = np.array(values, dtype=float)
    r = ladder(x, lo, hi)
    n = len(values)
    very, some, neut, dis = expected
    assert (r.very, r.somewhat, r.neutral, r.dissatisfied) == pytest.approx(
        (100 * very / n, 100 * some / n, 100 * neut / n, 100 * dis / n)
    )
    assert r.wow_gap == pytest.approx(100 * very / (very + some))


def test_ladder_custom_cuts():
    # a stricter ladder on 1-10: very 10, somewhat 8-9, neutral 6-7, dissatisfied 1-5
    x = np.array([10, 9, 8, 7, 6, 5], dtype=float)
    r = ladder(x, 1, 10, cuts=Cuts(10, 8, 6))
    assert (r.very, r.somewhat, r.neutral, r.dissatisfied) == pytest.approx(
        (100 / 6, 200 / 6, 200 / 6, 100 / 6)
    )


def test_weighted_equals_unweighted_with_unit_weights():
    rng = np.random.default_rng(1)
    x = rng.integers(1, 6, 200).astype(float)
    assert item_stats("q", x, 1, 5, np.ones(200)) == item_stats("q", x, 1, 5)


def test_weighted_mean_and_interval_independent_formula():
    x = np.array([5, 4, 3, 5, 2, 4], dtype=float)
    w = np.array([1.0, 2.0, 0.5, 1.5, 1.0, 3.0])
    m = np.sum(w * x) / np.sum(w)
    n = len(x)
    n_eff = np.sum(w) ** 2 / np.sum(w**2)
    # linearisation variance (as R survey::svymean): n/(n-1) * sum((w (x-m) / W)^2)
    se = math.sqrt(n / (n - 1) * np.sum((w * (x - m) / np.sum(w)) ** 2))
    t = sps.t.ppf(0.975, n_eff - 1)
    r = item_stats("q", x, 1, 5, w)
    assert r.mean == pytest.approx(m)
    assert r.n_eff == pytest.approx(n_eff)
    assert r.ci_low == pytest.approx((m - t * se - 1) / 4 * 100)
    assert r.ci_high == pytest.approx((m + t * se - 1) / 4 * 100)


def test_attribute_mean_matches_row_means_on_complete_data():
    # with complete data and no weights, the mean of item CSIs equals the mean of each
    # respondent's average rescaled answer, and its SE equals sd(row means)/sqrt(n)
    rng = np.random.default_rng(7)
    a = rng.integers(1, 6, 120).astype(float)
    b = rng.integers(1, 8, 120).astype(float)
    rows = ((a - 1) / 4 * 100 + (b - 1) / 6 * 100) / 2
    lo, hi = sps.t.interval(0.95, 119, loc=rows.mean(), scale=sps.sem(rows))
    r = overall_csi({"a": a, "b": b}, {"a": (1, 5), "b": (1, 7)}, sat=None, attrs=["a", "b"])
    assert r is not None and r.method == "attribute_mean"
    assert r.score == pytest.approx(rows.mean())
    assert (r.ci_low, r.ci_high) == pytest.approx((lo, hi))


def test_composite_weights():
    # KCSI-style: 30% overall, 50% attributes (mean of two), 20% repurchase
    sat = np.array([5, 4, 3, 4], dtype=float)  # mean 4 -> 75
    a1 = np.array([5, 5, 5, 5], dtype=float)  # 100
    a2 = np.array([1, 1, 1, 1], dtype=float)  # 0
    rep = np.array([3, 3, 3, 3], dtype=float)  # 50
    r = overall_csi(
        {"sat": sat, "a1": a1, "a2": a2, "rep": rep},
        {k: (1, 5) for k in ("sat", "a1", "a2", "rep")},
        sat="sat",
        attrs=["a1", "a2"],
        method="composite",
        composite={"sat": 3, "attrs": 5, "rep": 2},  # rescaled to 0.3 / 0.5 / 0.2
    )
    assert r is not None
    # 0.3*75 + 0.25*100 + 0.25*0 + 0.2*50 = 22.5 + 25 + 10 = 57.5
    assert r.score == pytest.approx(57.5)
    assert r.weights == pytest.approx({"sat": 0.3, "a1": 0.25, "a2": 0.25, "rep": 0.2})


def test_linear_index_single_item_is_t_interval():
    x = np.array([1, 2, 2, 3, 5, 4, 4], dtype=float)
    est, lo, hi, n, _ = linear_index({"x": x}, {"x": (1, 5)}, {"x": 1.0})
    tlo, thi = sps.t.interval(0.95, 6, loc=x.mean(), scale=sps.sem(x))
    assert est == pytest.approx((x.mean() - 1) * 25)
    assert (lo, hi) == pytest.approx(((tlo - 1) * 25, (thi - 1) * 25))
    assert n == 7


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99, 0.999])
@pytest.mark.parametrize("df", [1.0, 2.0, 3.7, 29.0, 299.9, 300.0, 1311.5, 1e4, 1e6])
def test_t_critical_value_matches_scipy(confidence, df):
    # large df use a Cornish-Fisher expansion (no scipy import); checked against scipy's
    # exact quantile, independently
    from scipy import stats as st

    from csitool.stats.common import t_crit

    expected = st.t.ppf(1 - (1 - confidence) / 2, df)
    assert t_crit(confidence, df) == pytest.approx(expected, abs=1e-9)


def test_csi_interval_on_a_tiny_sample_stays_inside_0_100():
    # 11 answers on 1-5, ten 5s and one 1: mean 4.6364, CSI 90.91. The t interval,
    # (mean -/+ t(10) s/sqrt(11) - 1) / 4 * 100, reaches above 100, so the logit interval on
    # u = (mean - 1) / 4 is used (R: svyciprop(~I((x - 1) / 4), d, method = "logit", df = 10)):
    # expit(logit(u) -/+ t(10) se_u / (u (1 - u))), se_u = s / sqrt(11) / 4
    from scipy import stats as sps

    from csitool.stats.csi import item_stats

    x = np.array([5.0] * 10 + [1.0])
    m, s = x.mean(), x.std(ddof=1)
    t = sps.t.ppf(0.975, 10)
    assert (m + t * s / np.sqrt(11) - 1) / 4 * 100 > 100  # the t interval would leave 0-100
    u, se_u = (m - 1) / 4, s / np.sqrt(11) / 4
    logit = np.log(u / (1 - u))
    half = t * se_u / (u * (1 - u))
    expected = (100 / (1 + np.exp(-(logit - half))), 100 / (1 + np.exp(-(logit + half))))
    r = item_stats("q", x, 1, 5)
    assert r.csi == pytest.approx(u * 100)
    assert (r.ci_low, r.ci_high) == pytest.approx(expected, rel=1e-9)
    assert r.ci_method == "logit" and 0 <= r.ci_low < r.csi < r.ci_high <= 100
    assert r.se == pytest.approx(100 * se_u)
    # a sample whose t interval fits keeps the symmetric t interval (R confint(svymean))
    y = np.array([1.0, 2, 3, 4, 5] * 5)
    r = item_stats("q", y, 1, 5)
    half_t = sps.t.ppf(0.975, 24) * y.std(ddof=1) / np.sqrt(25) / 4 * 100
    assert r.ci_method == "t"
    assert (r.ci_low, r.ci_high) == pytest.approx((50 - half_t, 50 + half_t))


@pytest.mark.parametrize("df", [0.3, 1.0, 1.5, 4.2, 17.0, 58.6, 150.0, 299.9])
def test_pure_python_t_matches_scipy_to_machine_precision(df):
    # the t quantile and tail used below df 300 (no scipy import), against scipy's
    # stdtrit / stdtr, independently computed
    from scipy import special

    from csitool.stats.common import t_quantile, t_upper_tail

    for p in (0.25, 0.1, 0.05, 0.025, 0.005, 0.0005):
        assert t_quantile(p, df) == pytest.approx(special.stdtrit(df, 1 - p), rel=1e-12)
    for t in (0.0, 0.01, 0.7, 1.96, 4.0, 50.0):
        assert t_upper_tail(t, df) == pytest.approx(special.stdtr(df, -t), rel=1e-12)


def test_scoring_a_small_file_imports_no_scipy(tmp_path):
    # 10 respondents: the t intervals come from the pure-Python quantile
    import subprocess
    import sys

    from tests.conftest import ROOT

    lines = (ROOT / "sample_data" / "survey_en.csv").read_text(encoding="utf-8").splitlines()
    small = tmp_path / "small.csv"
    small.write_text("\n".join(lines[:11]) + "\n", encoding="utf-8")
    code = (
        "import sys, csitool; csitool.score(csitool.load(sys.argv[1])); "
        "print(sorted(m for m in sys.modules if m.startswith('scipy')))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(small)], capture_output=True,
                         text=True, check=True, cwd=ROOT)  # fmt: skip
    assert out.stdout.strip() == "[]"
