"""Shared helpers: weights and Kish effective n, critical values, Wilson intervals."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np


def prepare(values: np.ndarray, weights: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Drop NaN values (and their weights); weights default to 1."""
    values = np.asarray(values, dtype=float)
    keep = ~np.isnan(values)
    if weights is None:
        w = np.ones(int(keep.sum()))
    else:
        w = np.asarray(weights, dtype=float)
        keep &= ~np.isnan(w)
        w = w[keep]
    return values[keep], w


def weighted_sum(w: np.ndarray, x: np.ndarray) -> float:
    """sum_i w_i x_i, computed by numpy's own loop rather than BLAS: BLAS splits long
    vectors across threads that then spin waiting for work, burning a second core for no
    gain on a sum that memory bandwidth bounds."""
    return float(np.einsum("i,i->", w, x))


def masked_sum(x: np.ndarray, mask: np.ndarray) -> float:
    """sum of ``x`` where ``mask`` (boolean) is True, as a product with the mask (numpy's
    loop, no copy of the selected values: several times faster than ``x[mask].sum()``)."""
    return float(np.einsum("i,i->", x, mask))


def kish_n_eff(weights: np.ndarray) -> float:
    """Kish effective sample size (sum w)^2 / sum w^2; equals n when all weights are equal."""
    if len(weights) == 0:
        return 0.0
    s = float(np.sum(weights))
    s2 = float(np.sum(weights * weights))
    return s * s / s2


@dataclass(frozen=True)
class Rows:
    """Frequency-weighted rows: row i stands for ``n[i]`` respondents whose weights add up
    to ``sw[i]`` and whose squared weights add up to ``sw2[i]``.

    Respondents one per row have n = 1, sw = w, sw2 = w^2 (:meth:`of`); identical rows
    grouped by an engine carry their count and sums, and every statistic that takes
    ``Rows`` gives the same figure either way: weighted sums use ``sw``, linearisation
    variances and Kish's n_eff use ``sw2``, counts and degrees of freedom use ``n``.
    """

    n: np.ndarray
    sw: np.ndarray
    sw2: np.ndarray

    @classmethod
    def of(cls, weights: np.ndarray | None, size: int | None = None) -> Rows:
        """One respondent per row, with ``weights`` (None: ``size`` rows of weight 1)."""
        if weights is None:
            ones = np.ones(0 if size is None else size)
            return cls(ones, ones, ones)
        w = np.asarray(weights, dtype=float)
        return cls(np.ones(len(w)), w, w * w)

    def __len__(self) -> int:
        return len(self.n)

    def __getitem__(self, mask: np.ndarray) -> Rows:
        n = self.n[mask]
        sw = n if self.sw is self.n else self.sw[mask]  # unweighted: one array, one copy
        sw2 = n if self.sw2 is self.n else self.sw2[mask]
        return Rows(n, sw, sw2)

    @functools.cached_property
    def single(self) -> bool:
        """Whether each row is one respondent (every ``n`` is 1): a sum of ``n`` over some
        rows is then their number, counted without adding (the same float, exactly)."""
        return bool(len(self.n) == 0 or float(self.n.min()) == 1.0 == float(self.n.max()))

    def respondents(self, mask: np.ndarray) -> float:
        """The respondents of the rows in ``mask`` (a boolean array): ``masked_sum(n,
        mask)``, a count when each row is one respondent."""
        if self.single:
            return float(np.count_nonzero(mask))
        return masked_sum(self.n, mask)

    def sums(self, mask: np.ndarray) -> tuple[float, float, float]:
        """(respondents, sum of weights, sum of squared weights) of the rows in ``mask``
        (a boolean array), summed without copying the rows."""
        count = self.respondents(mask)
        if self.sw is self.n and self.sw2 is self.n and self.single:  # unweighted: all = count
            return (count, count, count)
        return (count, masked_sum(self.sw, mask), masked_sum(self.sw2, mask))

    @property
    def count(self) -> int:
        """The number of respondents the rows stand for."""
        return round(float(np.sum(self.n)))

    @property
    def total(self) -> float:
        """The sum of their weights."""
        return float(np.sum(self.sw))

    @property
    def n_eff(self) -> float:
        """Kish effective sample size (sum w)^2 / sum w^2 over the respondents."""
        if len(self.n) == 0:
            return 0.0
        s = self.total
        return s * s / float(np.sum(self.sw2))


def as_rows(weights: np.ndarray | Rows | None, size: int) -> Rows:
    """``weights`` as :class:`Rows` (one respondent per row unless they already are)."""
    if isinstance(weights, Rows):
        return weights
    return Rows.of(weights, size)


def mean_se(x: np.ndarray, w: np.ndarray | Rows) -> tuple[float, float, float]:
    """Weighted mean, its standard error and the Kish effective n: ``(mean, se, n_eff)``.

    Var(mean) = n / (n - 1) sum_i (w_i (x_i - m) / W)^2, the linearisation (sandwich)
    variance of R's ``survey::svymean`` for a weights-only design; with equal weights it is
    s^2 / n. The se is NaN below two respondents. With grouped :class:`Rows` (x the same for
    the respondents of a row) the sum regroups as sum_g sw2_g (x_g - m)^2 / W^2 and n is
    the number of respondents.
    """
    rows = as_rows(w, len(x))
    n = rows.count
    if n == 0:
        return (math.nan, math.nan, 0.0)
    total = rows.total
    mean = weighted_sum(rows.sw, x) / total
    n_eff = rows.n_eff
    if n < 2 or n_eff <= 1:
        return (mean, math.nan, n_eff)
    dev = x - mean
    var = n / (n - 1) * weighted_sum(rows.sw2, dev * dev) / (total * total)
    return (mean, math.sqrt(var), n_eff)


def z_crit(confidence: float) -> float:
    """Two-sided standard normal critical value, e.g. 1.959964 for 0.95."""
    from statistics import NormalDist

    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


T_EXPANSION_MIN_DF = 300.0


def t_crit(confidence: float, df: float) -> float:
    """Two-sided Student t critical value with ``df`` degrees of freedom.

    From ``df`` >= 300 the Cornish-Fisher expansion of the t quantile around the normal one
    (four terms; error below 1e-10 there); below, the exact quantile :func:`t_quantile`
    (pure Python: scoring imports no scipy).
    """
    if df >= T_EXPANSION_MIN_DF:
        return _cornish_fisher(z_crit(confidence), df)
    return t_quantile((1 - confidence) / 2, df)


def _cornish_fisher(z: float, df: float) -> float:
    """The t quantile from the normal one ``z``: four terms of its expansion in 1 / df."""
    z2 = z * z
    return (
        z
        + z * (z2 + 1) / (4 * df)
        + z * ((5 * z2 + 16) * z2 + 3) / (96 * df**2)
        + z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / (384 * df**3)
        + z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / (92160 * df**4)
    )


def t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for Student's t with ``df`` > 0 degrees of freedom, t >= 0.

    Notes
    -----
    P(T > t) = I_x(df / 2, 1 / 2) / 2 with x = df / (df + t^2), the regularised incomplete
    beta function, evaluated by its continued fraction (modified Lentz; Press et al.,
    Numerical Recipes, 3rd ed., 6.4) on the side where it converges fast. Relative error
    near machine precision; pure Python, so a small survey's interval imports no scipy.
    """
    if t <= 0:
        return 0.5
    t2 = t * t
    x, y = df / (df + t2), t2 / (df + t2)  # y = 1 - x without cancellation
    a, b = df / 2, 0.5
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y)
    )
    if x < (a + 1) / (a + b + 2):
        return 0.5 * front * _beta_fraction(a, b, x) / a
    return 0.5 * (1 - front * _beta_fraction(b, a, y) / b)


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny, eps = 1e-300, 1e-16
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        for aa in (
            m * (b - m) * x / ((a - 1 + 2 * m) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1 + 2 * m)),
        ):
            d = 1 + aa * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < eps:
            break
    return h


@functools.lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """The t with P(T > t) = ``p`` (0 < p <= 0.5) for Student's t with ``df`` > 0.

    Newton's method on :func:`t_upper_tail` (the density is its derivative), kept inside
    a bracket that bisection falls back to; converges to machine precision (checked
    against scipy's ``stdtrit`` in the tests).
    """
    if p >= 0.5:
        return 0.0
    log_norm = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    from statistics import NormalDist

    start = _cornish_fisher(NormalDist().inv_cdf(1 - p), df)  # close from df of about 5
    start = start if math.isfinite(start) and start > 0 else 1.0
    lo, hi = 0.0, start
    while t_upper_tail(hi, df) > p:
        lo, hi = hi, hi * 2
    t = start if lo <= start <= hi else (lo + hi) / 2
    for _ in range(200):
        gap = t_upper_tail(t, df) - p  # decreasing in t
        if gap > 0:
            lo = t
        else:
            hi = t
        density = math.exp(log_norm - (df + 1) / 2 * math.log1p(t * t / df))
        step = gap / density if density > 0 else math.inf
        new = t + step
        if not lo <= new <= hi:
            new = (lo + hi) / 2
        if abs(new - t) <= 1e-14 * new or hi - lo <= 1e-15 * hi:
            return new
        t = new
    return t


def wilson(p: float, n: float, confidence: float) -> tuple[float, float]:
    """Wilson score interval for a proportion ``p`` (0-1) on ``n`` (effective) respondents."""
    if n <= 0:
        return (math.nan, math.nan)
    z = z_crit(confidence)
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def none_if_nan(x: float) -> float | None:
    """Plain float, or None for NaN (JSON has no NaN)."""
    x = float(x)
    return None if math.isnan(x) else x


def bounded_interval(
    estimate: float, se: float, df: float, low: float, high: float, confidence: float
) -> tuple[float, float, str]:
    """An interval for a mean that cannot leave [low, high] (a CSI on 0-100).

    The t interval estimate +/- t(df) se, as R's ``confint(svymean(...), df = degf(d))``
    gives, when it stays inside the bounds; otherwise the logit interval on the rescaled
    mean u = (estimate - low) / (high - low): expit(logit(u) +/- t(df) se_u / (u (1 - u))),
    se_u = se / (high - low), the interval R's ``svyciprop(method = "logit")`` computes.
    Returns ``(lower, upper, method)`` with method ``"t"`` or ``"logit"``.
    """
    if math.isnan(se) or math.isnan(estimate):
        return (math.nan, math.nan, "t")
    half = t_crit(confidence, df) * se
    lo, hi = estimate - half, estimate + half
    if lo >= low and hi <= high:
        return (lo, hi, "t")
    span = high - low
    u = (estimate - low) / span
    if not 0 < u < 1:
        return (max(lo, low), min(hi, high), "t")
    centre = math.log(u / (1 - u))
    spread = t_crit(confidence, df) * (se / span) / (u * (1 - u))
    expit = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    return (low + span * expit(centre - spread), low + span * expit(centre + spread), "logit")
