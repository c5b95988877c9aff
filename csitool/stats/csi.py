"""CSI per item and overall, box shares, and the satisfaction ladder.

CSI = (mean - scale min) / (scale max - scale min) x 100.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from csitool.stats.common import (
    bounded_interval,
    kish_n_eff,
    mean_se,
    none_if_nan,
    prepare,
    t_crit,
    weighted_sum,
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
    """Distinct answers with their sum of weights and sum of squared weights.

    Whole-number answers (the usual case) take one ``bincount`` pass; other values fall
    back to ``np.unique``. Every share, box and ladder step is summed from this.
    """
    if len(x) == 0:
        empty = np.zeros(0)
        return empty, empty, empty
    lo = float(x.min())
    shifted = x - lo
    if float(shifted.max()) < 10_000 and bool(np.all(shifted == np.floor(shifted))):
        idx = shifted.astype(np.int64)
        counts = np.bincount(idx)
        keep = counts > 0
        levels = lo + np.arange(len(counts), dtype=float)
        sw = np.bincount(idx, weights=w)[keep]
        return levels[keep], sw, np.bincount(idx, weights=w * w)[keep]
    levels, inverse = np.unique(x, return_inverse=True)
    return levels, np.bincount(inverse, weights=w), np.bincount(inverse, weights=w * w)


def _ladder_from_histogram(
    hist: tuple[np.ndarray, np.ndarray, np.ndarray],
    n: int,
    c: Cuts,
    confidence: float,
    min_base: int,
) -> LadderResult:
    levels, sw, sw2 = hist
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
    return _ladder_from_histogram(histogram(x, w), len(x), c, confidence, min_base)


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
    x: np.ndarray, w: np.ndarray, lo: float, hi: float, confidence: float
) -> tuple[float, float, float, float, float, str]:
    """An item's mean, its standard error, its interval kept inside the scale [lo, hi]
    (see :func:`bounded_interval`) and the Kish n_eff: (mean, se, low, high, n_eff, method)."""
    mean, se, n_eff = mean_se(x, w)
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
    mean, se, m_lo, m_hi, n_eff, ci_method = item_mean(x, w, lo, hi, confidence)
    span = hi - lo

    def rescale(v: float) -> float | None:
        return none_if_nan(100 * (v - lo) / span)

    hist = histogram(x, w)
    levels, sw, _ = hist
    total = float(sw.sum())

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
        n=len(x),
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
        ladder=_ladder_from_histogram(
            hist, len(x), cuts or default_cuts(lo, hi), confidence, min_base
        ),
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
    rows = len(next(iter(columns.values())))
    w_all = np.ones(rows) if weights is None else np.asarray(weights, dtype=float)
    influence = np.zeros(rows)
    answered = np.zeros(rows, dtype=bool)
    estimate = 0.0
    for col, a in coefficients.items():
        x = np.asarray(columns[col], dtype=float)
        lo, hi = scales[col]
        ok = ~np.isnan(x) & ~np.isnan(w_all)
        if not ok.any():
            return (math.nan, math.nan, 0, 0.0)
        wj = w_all[ok]
        total = float(wj.sum())
        mean = weighted_sum(wj, x[ok]) / total
        k = a * 100 / (hi - lo)
        estimate += k * (mean - lo)
        influence[ok] += k * wj * (x[ok] - mean) / total
        answered |= ok
    n = int(answered.sum())
    n_eff = kish_n_eff(w_all[answered])
    if n < 2 or n_eff <= 1:
        return (estimate, math.nan, n, n_eff)
    var = n / (n - 1) * float(np.sum(influence[answered] ** 2))
    return (estimate, math.sqrt(var), n, n_eff)


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
    if method == "auto":
        method = "sat" if sat else "attribute_mean"
    if method == "sat":
        if not sat:
            return None
        coef = {sat: 1.0}
    elif method == "attribute_mean":
        usable = [a for a in attrs if np.any(~np.isnan(np.asarray(columns[a], dtype=float)))]
        if not usable:
            return None
        coef = {a: 1.0 / len(usable) for a in usable}
    elif method == "composite":
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
        coef = raw
    else:
        raise ValueError(f"unknown CSI method {method!r}")
    est, se, n, n_eff = linear_index_se(columns, scales, coef, weights)
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
