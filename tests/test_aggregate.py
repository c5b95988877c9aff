"""The sufficient statistics (stats/aggregate.py) against direct computations over rows."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from csitool.stats.aggregate import Cross, Histogram, cross, grouped_histograms
from csitool.stats.common import prepare
from csitool.stats.csi import index_from_aggregates, linear_index_se


def _data(seed: int = 3, n: int = 500):
    rng = np.random.default_rng(seed)
    cols = {c: rng.integers(1, 6, n).astype(float) for c in ("a", "b", "c")}
    for c in cols:
        cols[c][rng.random(n) < 0.2] = np.nan
    w = rng.uniform(0.2, 3.0, n)
    return cols, w


def test_cross_matrix_is_the_centred_weighted_cross_product():
    cols, w = _data()
    names = ("a", "b", "c")
    got = cross(cols, names, w)
    # independent computation, pair by pair over the rows that answered both
    for j, p in enumerate(names):
        for k, q in enumerate(names):
            mp = np.nansum(w * cols[p]) / w[~np.isnan(cols[p])].sum()
            mq = np.nansum(w * cols[q]) / w[~np.isnan(cols[q])].sum()
            both = ~np.isnan(cols[p]) & ~np.isnan(cols[q])
            want = sum(
                w[i] ** 2 * (cols[p][i] - mp) * (cols[q][i] - mq) for i in np.flatnonzero(both)
            )
            assert math.isclose(got.matrix[j, k], want, rel_tol=1e-12)
    anyone = ~np.isnan(cols["a"]) | ~np.isnan(cols["b"]) | ~np.isnan(cols["c"])
    assert got.n == int(anyone.sum())
    assert math.isclose(got.sw2, float((w[anyone] ** 2).sum()), rel_tol=1e-12)


def test_cross_from_raw_moments_equals_the_centred_one():
    cols, w = _data(5)
    names = ("a", "b", "c")
    k = len(names)
    s1, sx, sxx = np.zeros((k, k)), np.zeros((k, k)), np.zeros((k, k))
    for j, p in enumerate(names):
        for m, q in enumerate(names):
            both = ~np.isnan(cols[p]) & ~np.isnan(cols[q])
            w2 = w[both] ** 2
            s1[j, m] = w2.sum()
            sx[j, m] = (w2 * cols[p][both]).sum()
            sxx[j, m] = (w2 * cols[p][both] * cols[q][both]).sum()
    means = np.array([np.nansum(w * cols[c]) / w[~np.isnan(cols[c])].sum() for c in names])
    direct = cross(cols, names, w)
    moments = Cross.from_moments(names, means, s1, sx, sxx, direct.n, direct.sw, direct.sw2)
    np.testing.assert_allclose(moments.matrix, direct.matrix, rtol=1e-10, atol=1e-9)


def test_index_se_is_the_influence_sandwich():
    cols, w = _data(7)
    coef = {"a": 0.5, "b": 0.3, "c": 0.2}
    scales = {c: (1.0, 5.0) for c in coef}
    est, se, n, _ = linear_index_se(cols, scales, coef, w)
    # hand formula: z_i = sum_j a_j 100/4 w_i (x_ij - m_j) / W_j, Var = n/(n-1) sum z_i^2
    z = np.zeros(len(w))
    answered = np.zeros(len(w), dtype=bool)
    want_est = 0.0
    for c, a in coef.items():
        ok = ~np.isnan(cols[c])
        wj = w[ok].sum()
        m = float((w[ok] * cols[c][ok]).sum() / wj)
        want_est += a * 100 / 4 * (m - 1)
        z[ok] += a * 100 / 4 * w[ok] * (cols[c][ok] - m) / wj
        answered |= ok
    nn = int(answered.sum())
    assert n == nn
    assert math.isclose(est, want_est, rel_tol=1e-12)
    assert math.isclose(
        se, math.sqrt(nn / (nn - 1) * float((z[answered] ** 2).sum())), rel_tol=1e-10
    )


def test_histogram_from_cells_adds_repeated_values():
    h = Histogram.from_cells([(5, 2, 3.0, 5.0), (1, 1, 1.0, 1.0), (5, 1, 2.0, 4.0)])
    assert h.levels.tolist() == [1.0, 5.0]
    assert h.count.tolist() == [1, 3]
    assert h.sw.tolist() == [1.0, 5.0]
    assert h.sw2.tolist() == [1.0, 9.0]
    x, w = prepare(np.array([5.0, 5.0, 1.0, np.nan]), np.array([1.0, 2.0, 1.0, 1.0]))
    direct = Histogram.from_values(x, w)
    assert direct.levels.tolist() == [1.0, 5.0] and direct.count.tolist() == [1, 2]


def test_cross_subset_of_unanswered_item_keeps_the_index():
    cols, w = _data(9)
    cols["c"] = np.full(len(w), np.nan)
    items = {c: Histogram.from_values(*prepare(v, w)) for c, v in cols.items()}
    full = cross(cols, ("a", "b", "c"), w).select(("a", "b"))
    two = cross(cols, ("a", "b"), w)
    scales = {c: (1.0, 5.0) for c in cols}
    coef = {"a": 0.5, "b": 0.5}
    assert index_from_aggregates(items, full, scales, coef) == index_from_aggregates(
        items, two, scales, coef
    )


def _row_by_row(x, w):
    """The oracle: each level's count and weight sums added up row by row in Python."""
    acc: dict[float, list[float]] = {}
    for xi, wi in zip(x.tolist(), w.tolist(), strict=True):
        slot = acc.setdefault(xi, [0, 0.0, 0.0])
        slot[0] += 1
        slot[1] += wi
        slot[2] += wi * wi
    levels = sorted(acc)
    return (
        levels,
        [acc[v][0] for v in levels],
        [acc[v][1] for v in levels],
        [acc[v][2] for v in levels],
    )


@given(
    lo=st.sampled_from([0, 1, -5, -1, 7, 90, 0.5, -2.5, 2**40, -(2**40)]),
    span=st.integers(0, 12),
    n=st.integers(1, 60),
    step=st.sampled_from([1.0, 0.5, 0.25, 1.5]),
    weighted=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=300, deadline=None)
def test_histogram_from_values_equals_row_by_row_sums(lo, span, n, step, weighted, seed):
    """Every path of ``from_values`` (whole numbers from 0 or shifted, a half-step grid,
    scattered values, unit weights, real weights) gives the levels, counts and sums of a
    plain row-by-row loop, to the bit: both add each level's weights in row order."""
    rng = np.random.default_rng(seed)
    x = lo + step * rng.integers(0, span + 1, n).astype(float)
    w = rng.uniform(0.1, 3.0, n).round(3) if weighted else np.ones(n)
    h = Histogram.from_values(x, w)
    levels, count, sw, sw2 = _row_by_row(x, w)
    assert h.levels.tolist() == levels
    assert h.count.tolist() == count
    assert h.sw.tolist() == sw
    assert h.sw2.tolist() == sw2
    assert h.count.dtype.kind == "i" and h.sw.dtype == np.float64 and h.sw2.dtype == np.float64


@given(
    lo=st.sampled_from([0, 1, -5, 7, 0.5, 2**40]),
    span=st.integers(0, 12),
    n=st.integers(0, 80),
    groups=st.integers(1, 5),
    step=st.sampled_from([1.0, 0.5]),
    weighted=st.sampled_from(["none", "ones", "real"]),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=300, deadline=None)
def test_grouped_histograms_equal_row_by_row_sums_of_each_group(
    lo, span, n, groups, step, weighted, seed
):
    """Each group's histogram from the one-pass grouped count is the row-by-row oracle of
    that group's rows (NaN values and NaN weights left out), to the bit, and the same
    object :meth:`Histogram.from_values` makes of the group alone; None (the caller's
    per-group fallback) exactly when some answer is not a whole number."""
    rng = np.random.default_rng(seed)
    x = lo + step * rng.integers(0, span + 1, n).astype(float)
    x[rng.random(n) < 0.2] = np.nan
    g = rng.integers(0, groups, n)
    w = None if weighted == "none" else np.ones(n)
    if weighted == "real":
        w = rng.uniform(0.1, 3.0, n).round(3)
        w[rng.random(n) < 0.1] = np.nan
    found = grouped_histograms(x, w, g, groups)
    whole = x[~np.isnan(x) & (True if w is None else ~np.isnan(w))]
    if len(whole) and not (whole == np.floor(whole)).all():
        assert found is None
        return
    assert found is not None and len(found) == groups
    for k, h in enumerate(found):
        ww = np.ones(n) if w is None else w
        ok = (g == k) & ~np.isnan(x) & ~np.isnan(ww)
        levels, count, sw, sw2 = _row_by_row(x[ok], ww[ok])
        assert h.levels.tolist() == levels
        assert h.count.tolist() == count
        assert h.sw.tolist() == sw and h.sw2.tolist() == sw2
        alone = Histogram.from_values(*prepare(x[g == k], None if w is None else w[g == k]))
        for a, b in zip((h.levels, h.count, h.sw, h.sw2), (alone.levels, alone.count,
                        alone.sw, alone.sw2), strict=True):  # fmt: skip
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes()


def test_histogram_from_values_of_unusual_values():
    # hand cases: far-apart levels (np.unique path), a single value
    h = Histogram.from_values(np.array([1.0, 1e6, 1.0]), np.array([1.0, 2.0, 3.0]))
    assert h.levels.tolist() == [1.0, 1e6] and h.count.tolist() == [2, 1]
    assert h.sw.tolist() == [4.0, 2.0] and h.sw2.tolist() == [10.0, 4.0]
    h = Histogram.from_values(np.array([3.0]), np.array([2.0]))
    assert h.levels.tolist() == [3.0] and h.sw2.tolist() == [4.0]
