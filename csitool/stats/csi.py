"""CSI per item and overall, box shares, and the satisfaction ladder.

CSI = (mean - scale min) / (scale max - scale min) x 100.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from csitool.stats.aggregate import Cross, GroupAggregates, Histogram, cross
from csitool.stats.common import (
    bounded_interval,
    none_if_nan,
    prepare,
    t_crit,
    wilson,
)

DEFAULT_LADDER_CUTS: dict[str, tuple[float, float, float]] = {
    "1-5": (5, 4, 3),
    "1-7": (7, 5, 4),
    "1-10": (9, 7, 5),
    "0-10": (9, 7, 5),
}


@dataclass(frozen=True)
class Cuts:
    """Lowest value of each satisfied step; neutral covers [neutral, somewhat)."""

    very: float
    somewhat: float
    neutral: float


def default_cuts(lo: float, hi: float) -> Cuts:
    """Ladder cut-offs for a scale: the documented table, else top box / above mid / mid."""
    key = f"{_n(lo)}-{_n(hi)}"
    if key in DEFAULT_LADDER_CUTS:
        return Cuts(*(float(v) for v in DEFAULT_LADDER_CUTS[key]))
    mid = (lo + hi) / 2
    somewhat = math.floor(mid) + 1
    neutral = mid if float(mid).is_integer() else somewhat
    return Cuts(float(hi), float(somewhat), float(neutral))


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


@dataclass(frozen=True)
class LadderResult:
    """Shares (percent) of very / somewhat satisfied, neutral and dissatisfied, and the wow gap.

    The wow gap is very / (very + somewhat) in percent: the share of satisfied customers who
    are delighted rather than merely satisfied, with a Wilson interval on the satisfied base.
    """

    cuts: Cuts
    n: int
    n_eff: float
    very: float | None
    somewhat: float | None
    neutral: float | None
    dissatisfied: float | None
    wow_gap: float | None
    wow_gap_ci_low: float | None
    wow_gap_ci_high: float | None
    low_base: bool
    satisfied_n_eff: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def histogram(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct answers with their sum of weights and sum of squared weights (see
    :meth:`Histogram.from_values`)."""
    h = Histogram.from_values(x, w)
    return h.levels, h.sw, h.sw2


def histogram_mean_se(hist: Histogram) -> tuple[float, float, float]:
    """Weighted mean, its standard error and the Kish effective n of a histogram:
    ``(mean, se, n_eff)``.

    Var(mean) = n / (n - 1) sum_v sw2_v (v - m)^2 / W^2, summed over the distinct answers v
    (sw2_v the sum of squared weights of those who gave v): the linearisation variance of
    R's ``survey::svymean`` for a weights-only design, regrouped by answer (see
    :func:`csitool.stats.common.mean_se`). The se is NaN below two respondents.
    """
    n = hist.n
    if n == 0:
        return (math.nan, math.nan, 0.0)
    total = hist.total
    mean = float(np.dot(hist.levels, hist.sw) / total)
    n_eff = total * total / float(hist.sw2.sum())
    if n < 2 or n_eff <= 1:
        return (mean, math.nan, n_eff)
    dev = hist.levels - mean
    var = n / (n - 1) * float(np.dot(hist.sw2, dev * dev)) / (total * total)
    return (mean, math.sqrt(var), n_eff)


def _ladder_from_histogram(
    hist: Histogram,
    c: Cuts,
    confidence: float,
    min_base: int,
) -> LadderResult:
    levels, sw, sw2, n = hist.levels, hist.sw, hist.sw2, hist.n
    total = float(sw.sum())
    if total <= 0:
        return LadderResult(c, 0, 0.0, None, None, None, None, None, None, None, True, 0.0)
    n_eff = total * total / float(sw2.sum())
    very_m = levels >= c.very
    some_m = (levels >= c.somewhat) & ~very_m
    neut_m = (levels >= c.neutral) & ~very_m & ~some_m
    very = float(sw[very_m].sum())
    some = float(sw[some_m].sum())
    neut = float(sw[neut_m].sum())
    sat_w = very + some
    sat_n_eff = 0.0
    if sat_w > 0:
        gap = very / sat_w
        sat_n_eff = sat_w * sat_w / float(sw2[very_m | some_m].sum())
        g_lo, g_hi = wilson(gap, sat_n_eff, confidence)
        gap_t: tuple[float | None, float | None, float | None] = (100 * gap, 100 * g_lo, 100 * g_hi)
    else:
        gap_t = (None, None, None)
    return LadderResult(
        cuts=c,
        n=n,
        n_eff=n_eff,
        very=100 * very / total,
        somewhat=100 * some / total,
        neutral=100 * neut / total,
        dissatisfied=100 * max(0.0, total - very - some - neut) / total,
        wow_gap=gap_t[0],
        wow_gap_ci_low=gap_t[1],
        wow_gap_ci_high=gap_t[2],
        low_base=n_eff < min_base,
        satisfied_n_eff=sat_n_eff,
    )


def ladder(
    values: np.ndarray,
    lo: float,
    hi: float,
    weights: np.ndarray | None = None,
    *,
    cuts: Cuts | None = None,
    confidence: float = 0.95,
    min_base: int = 30,
) -> LadderResult:
    """The satisfaction ladder of one item on the scale [lo, hi]."""
    x, w = prepare(values, weights)
    c = cuts or default_cuts(lo, hi)
    return _ladder_from_histogram(Histogram.from_values(x, w), c, confidence, min_base)


@dataclass(frozen=True)
class ItemResult:
    """One rating item: mean, CSI with a t interval, box shares with Wilson intervals.

    Shares are percent. Top box = the scale maximum; top-2-box = the two highest points;
    bottom-2-box = the two lowest points. ``distribution`` lists every answer's share
    (``{"value", "share"}``), every whole point of the scale included.
    """

    column: str
    role: str
    scale_min: float
    scale_max: float
    n: int
    n_eff: float
    mean: float | None
    csi: float | None
    ci_low: float | None
    ci_high: float | None
    se: float | None  # of the CSI, in points (linearisation, R svymean)
    ci_method: str  # "t", or "logit" when the t interval would leave 0-100
    top_box: float | None
    top_box_ci_low: float | None
    top_box_ci_high: float | None
    top2_box: float | None
    top2_box_ci_low: float | None
    top2_box_ci_high: float | None
    bottom2_box: float | None
    ladder: LadderResult
    low_base: bool
    distribution: list[dict[str, float]] = field(default_factory=list)

    @property
    def scale(self) -> str:
        return f"{_n(self.scale_min)}-{_n(self.scale_max)}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["scale"] = self.scale
        return d


def item_mean(
    hist: Histogram, lo: float, hi: float, confidence: float
) -> tuple[float, float, float, float, float, str]:
    """An item's mean, its standard error, its interval kept inside the scale [lo, hi]
    (see :func:`bounded_interval`) and the Kish n_eff: (mean, se, low, high, n_eff, method)."""
    mean, se, n_eff = histogram_mean_se(hist)
    low, high, method = bounded_interval(mean, se, n_eff - 1, lo, hi, confidence)
    return (mean, se, low, high, n_eff, method)


def item_stats(
    column: str,
    values: np.ndarray,
    lo: float,
    hi: float,
    weights: np.ndarray | None = None,
    *,
    role: str = "attr",
    cuts: Cuts | None = None,
    confidence: float = 0.95,
    min_base: int = 30,
) -> ItemResult:
    """CSI, box shares and ladder for one item on the scale [lo, hi]."""
    x, w = prepare(values, weights)
    return item_from_histogram(
        column,
        Histogram.from_values(x, w),
        lo,
        hi,
        role=role,
        cuts=cuts,
        confidence=confidence,
        min_base=min_base,
    )


def item_from_histogram(
    column: str,
    hist: Histogram,
    lo: float,
    hi: float,
    *,
    role: str = "attr",
    cuts: Cuts | None = None,
    confidence: float = 0.95,
    min_base: int = 30,
) -> ItemResult:
    """:func:`item_stats` finished from the item's :class:`Histogram` (its sufficient
    statistics), whichever engine counted it."""
    mean, se, m_lo, m_hi, n_eff, ci_method = item_mean(hist, lo, hi, confidence)
    span = hi - lo

    def rescale(v: float) -> float | None:
        return none_if_nan(100 * (v - lo) / span)

    levels, sw = hist.levels, hist.sw
    total = hist.total

    def share(mask: np.ndarray) -> tuple[float | None, float | None, float | None]:
        if total <= 0:
            return (None, None, None)
        p = float(sw[mask].sum()) / total
        a, b = wilson(p, n_eff, confidence)
        return (100 * p, 100 * a, 100 * b)

    top = share(levels >= hi)
    top2 = share(levels >= hi - 1)
    bottom2 = share(levels <= lo + 1)
    return ItemResult(
        column=column,
        role=role,
        scale_min=float(lo),
        scale_max=float(hi),
        n=hist.n,
        n_eff=n_eff,
        mean=none_if_nan(mean),
        csi=rescale(mean),
        ci_low=rescale(m_lo),
        ci_high=rescale(m_hi),
        se=none_if_nan(100 * se / span),
        ci_method=ci_method,
        top_box=top[0],
        top_box_ci_low=top[1],
        top_box_ci_high=top[2],
        top2_box=top2[0],
        top2_box_ci_low=top2[1],
        top2_box_ci_high=top2[2],
        bottom2_box=bottom2[0],
        ladder=_ladder_from_histogram(hist, cuts or default_cuts(lo, hi), confidence, min_base),
        low_base=n_eff < min_base,
        distribution=_distribution(levels, sw, lo, hi),
    )


def _distribution(
    levels: np.ndarray, sw: np.ndarray, lo: float, hi: float
) -> list[dict[str, float]]:
    total = float(sw.sum())
    shares = (
        {float(v): 100 * float(s) / total for v, s in zip(levels, sw, strict=True)}
        if total > 0
        else {}
    )
    points = (
        {float(v) for v in np.arange(math.ceil(lo), math.floor(hi) + 1)}
        if hi - lo <= 100
        else set()
    )
    return [{"value": v, "share": shares.get(v, 0.0)} for v in sorted(points | set(shares))]


@dataclass(frozen=True)
class CsiResult:
    """The overall CSI and the method that produced it.

    ``method``: ``"sat"`` (the overall satisfaction item's CSI), ``"attribute_mean"`` (the
    mean of the attribute CSIs) or ``"composite"`` (weighted items from csitool.toml).
    ``weights`` lists each item's share of the index (summing to 1).
    """

    score: float | None
    ci_low: float | None
    ci_high: float | None
    method: str
    ci_method: str
    n: int
    n_eff: float
    weights: dict[str, float] = field(default_factory=dict)
    low_base: bool = False
    se: float | None = None  # in points (linearisation)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def linear_index(
    columns: Mapping[str, np.ndarray],
    scales: Mapping[str, tuple[float, float]],
    coefficients: Mapping[str, float],
    weights: np.ndarray | None = None,
    *,
    confidence: float = 0.95,
) -> tuple[float, float, float, int, float]:
    """A weighted sum of item CSIs, each on its own respondents, with a linearisation interval.

    Returns ``(estimate, low, high, n, n_eff)``. The estimate is sum_j a_j CSI_j. Its
    variance comes from each respondent's influence
    z_i = sum_j a_j 100 / (max_j - min_j) w_i (x_ij - m_j) / W_j over the items they answered,
    Var = n / (n - 1) sum_i z_i^2 (the sandwich / Taylor estimator), which keeps the
    correlation between items. The interval is t with n_eff - 1 degrees of freedom.
    """
    est, se, n, n_eff = linear_index_se(columns, scales, coefficients, weights)
    if math.isnan(se):
        return (est, math.nan, math.nan, n, n_eff)
    half = t_crit(confidence, n_eff - 1) * se
    return (est, est - half, est + half, n, n_eff)


def linear_index_se(
    columns: Mapping[str, np.ndarray],
    scales: Mapping[str, tuple[float, float]],
    coefficients: Mapping[str, float],
    weights: np.ndarray | None = None,
) -> tuple[float, float, int, float]:
    """:func:`linear_index`'s estimate and its linearisation standard error:
    ``(estimate, se, n, n_eff)`` (se NaN below two respondents)."""
    names = tuple(coefficients)
    items = {c: Histogram.from_values(*prepare(columns[c], weights)) for c in names}
    return index_from_aggregates(
        items, _cross(columns, names, weights, items), scales, coefficients
    )


def _cross(
    columns: Mapping[str, np.ndarray],
    names: tuple[str, ...],
    weights: np.ndarray | None,
    items: Mapping[str, Histogram],
) -> Cross:
    if len(names) == 1:
        return Cross.of_histogram(names[0], items[names[0]])
    return cross(columns, names, weights)


def index_from_aggregates(
    items: Mapping[str, Histogram],
    cx: Cross,
    scales: Mapping[str, tuple[float, float]],
    coefficients: Mapping[str, float],
) -> tuple[float, float, int, float]:
    """A linear index sum_j a_j CSI_j finished from its sufficient statistics:
    ``(estimate, se, n, n_eff)``.

    Notes
    -----
    Each respondent's influence is z_i = sum_j c_j w_i (x_ij - m_j) over the items they
    answered, c_j = a_j 100 / ((max_j - min_j) W_j), so
    sum_i z_i^2 = c' C c with C the centred cross-product matrix of :class:`Cross`, and
    Var = n / (n - 1) c' C c (the sandwich / Taylor estimator), n the respondents who
    answered any item; n_eff is their Kish effective size.
    """
    estimate = 0.0
    c = np.zeros(len(cx.columns))
    for j, col in enumerate(cx.columns):
        h = items[col]
        if h.n == 0:
            return (math.nan, math.nan, 0, 0.0)
        lo, hi = scales[col]
        k = coefficients[col] * 100 / (hi - lo)
        total = h.total
        estimate += k * (float(np.dot(h.levels, h.sw) / total) - lo)
        c[j] = k / total
    n = cx.n
    n_eff = cx.sw * cx.sw / cx.sw2 if n else 0.0
    if n < 2 or n_eff <= 1:
        return (estimate, math.nan, n, n_eff)
    var = n / (n - 1) * float(c @ cx.matrix @ c)
    return (estimate, math.sqrt(max(var, 0.0)), n, n_eff)


def csi_coefficients(
    method: str,
    *,
    sat: str | None,
    attrs: Sequence[str],
    usable: Callable[[str], bool],
    composite: Mapping[str, float] | None = None,
) -> tuple[str, dict[str, float]] | None:
    """The overall CSI's method (``auto`` resolved) and each item's share of the index, or
    None when there is nothing to compute it from. ``usable(column)``: the column has
    answers in this group."""
    if method == "auto":
        method = "sat" if sat else "attribute_mean"
    if method == "sat":
        if not sat:
            return None
        return method, {sat: 1.0}
    if method == "attribute_mean":
        ok = [a for a in attrs if usable(a)]
        if not ok:
            return None
        return method, {a: 1.0 / len(ok) for a in ok}
    if method == "composite":
        raw: dict[str, float] = {}
        spec = dict(composite or {})
        total = sum(spec.values())
        for key, weight in spec.items():
            share = weight / total
            if key == "attrs":
                for a in attrs:
                    raw[a] = raw.get(a, 0.0) + share / len(attrs)
            else:
                raw[key] = raw.get(key, 0.0) + share
        return method, raw
    raise ValueError(f"unknown CSI method {method!r}")


def overall_csi(
    columns: Mapping[str, np.ndarray],
    scales: Mapping[str, tuple[float, float]],
    *,
    sat: str | None,
    attrs: Sequence[str],
    weights: np.ndarray | None = None,
    method: str = "auto",
    composite: Mapping[str, float] | None = None,
    confidence: float = 0.95,
    min_base: int = 30,
) -> CsiResult | None:
    """The overall CSI by ``method``: auto (sat if present, else the attribute mean), sat,
    attribute_mean, or composite (``composite`` maps columns, or ``"attrs"`` for the mean of
    the attributes, to positive weights; they are rescaled to sum to 1)."""
    found = csi_coefficients(
        method,
        sat=sat,
        attrs=attrs,
        usable=lambda a: bool(np.any(~np.isnan(np.asarray(columns[a], dtype=float)))),
        composite=composite,
    )
    if found is None:
        return None
    names = tuple(found[1])
    items = {c: Histogram.from_values(*prepare(columns[c], weights)) for c in names}
    cx = _cross(columns, names, weights, items)
    return _overall(found, items, cx, scales, confidence, min_base)


def overall_from_aggregates(
    agg: GroupAggregates,
    scales: Mapping[str, tuple[float, float]],
    *,
    sat: str | None,
    attrs: Sequence[str],
    method: str = "auto",
    composite: Mapping[str, float] | None = None,
    confidence: float = 0.95,
    min_base: int = 30,
) -> CsiResult | None:
    """:func:`overall_csi` finished from a group's aggregates."""
    found = csi_coefficients(
        method,
        sat=sat,
        attrs=attrs,
        usable=lambda a: a in agg.items and agg.items[a].n > 0,
        composite=composite,
    )
    if found is None:
        return None
    names = tuple(found[1])
    if any(c not in agg.items or agg.items[c].n == 0 for c in names):
        return None  # an item nobody answered here: no index (as linear_index_se says)
    cx = (
        Cross.of_histogram(names[0], agg.items[names[0]])
        if len(names) == 1
        else agg.cross_of(names)
    )
    return _overall(found, agg.items, cx, scales, confidence, min_base)


def _overall(
    found: tuple[str, dict[str, float]],
    items: Mapping[str, Histogram],
    cx: Cross,
    scales: Mapping[str, tuple[float, float]],
    confidence: float,
    min_base: int,
) -> CsiResult | None:
    method, coef = found
    est, se, n, n_eff = index_from_aggregates(items, cx, scales, coef)
    if n == 0:
        return None
    lo, hi, how = bounded_interval(est, se, n_eff - 1, 0.0, 100.0, confidence)
    kind = "item mean" if len(coef) == 1 else "linearisation"
    return CsiResult(
        score=none_if_nan(est),
        ci_low=none_if_nan(lo),
        ci_high=none_if_nan(hi),
        se=none_if_nan(se),
        method=method,
        ci_method=f"{how} ({kind})",
        n=n,
        n_eff=n_eff,
        weights=coef,
        low_base=n_eff < min_base,
    )
