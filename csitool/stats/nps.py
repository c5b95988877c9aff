"""Net Promoter Score with the linearisation standard error (R ``survey::svymean``), which
keeps the promoter/detractor covariance, weighted or not."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from csitool.config import CI_METHOD, CI_METHODS
from csitool.stats.aggregate import Histogram
from csitool.stats.common import prepare, weighted_sum, z_crit
from csitool.survey.scales import DETRACTOR_MAX, PROMOTER_MIN

if TYPE_CHECKING:
    from csitool.stats.inference import Difference

__all__ = ["CI_METHODS", "DETRACTOR_MAX", "PROMOTER_MIN", "NpsResult", "compare_nps", "nps"]


@dataclass(frozen=True)
class NpsResult:
    """NPS of one group. Shares in percent; score, se and interval in points (-100..100).

    ``score`` is always the unadjusted NPS; with ``ci_method="adjusted-wald"`` the interval
    is centred on the adjusted score (0.75 detractor, 1.5 passive, 0.75 promoter added).
    """

    n: int
    n_eff: float
    promoters: float | None
    passives: float | None
    detractors: float | None
    score: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    ci_method: str
    confidence: float
    low_base: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def nps_variance(p: float, d: float) -> float:
    """Per-respondent variance of the promoter(+1)/passive(0)/detractor(-1) score.

    Var = p + d - (p - d)^2, with p and d the promoter and detractor proportions.
    """
    return p + d - (p - d) ** 2


def linearised_variance(z: np.ndarray, w: np.ndarray) -> float:
    """Variance of the weighted mean of ``z`` by linearisation, with-replacement design.

    Var = n / (n - 1) * sum_i w_i^2 (z_i - m)^2 / (sum_i w_i)^2, m the weighted mean: what R's
    ``svymean(~z, svydesign(ids = ~1, weights = ~w))`` reports (its SE squared). With equal
    weights it is s^2 / n with the n - 1 sample variance. NaN below two respondents.
    """
    n = len(z)
    if n < 2:
        return math.nan
    total = float(w.sum())
    m = weighted_sum(w, z) / total
    return n / (n - 1) * float(np.sum((w * (z - m)) ** 2)) / (total * total)


def nps_from_counts(
    promoters: float,
    passives: float,
    detractors: float,
    *,
    variance: float | None = None,
    n_eff: float | None = None,
    confidence: float = 0.95,
    ci_method: str = CI_METHOD,
    min_base: int = 30,
    n: int | None = None,
) -> NpsResult:
    """NPS from (weighted) group totals.

    Parameters
    ----------
    promoters, passives, detractors:
        Counts, or sums of weights, of the three groups.
    variance:
        The linearisation variance of the NPS as a proportion (see :func:`nps`). Default:
        unweighted counts, Var = (p + d - (p - d)^2) / (n - 1).
    n_eff:
        Kish effective sample size, reported and used for the low-base flag (default: the
        total).
    ci_method:
        ``"adjusted-wald"`` (default) or ``"wald"`` (clipped to [-100, 100]).

    Notes
    -----
    NPS = 100 (p - d) is the weighted mean of z = +1 (promoter), 0, -1 (detractor), and
    SE = 100 sqrt(Var), Var its linearisation variance (R ``survey::svymean``). The adjusted
    Wald interval adds 3 pseudo-respondents (0.75 detractor, 1.5 passive, 0.75 promoter) to
    the estimate's own effective size n* = (p + d - (p - d)^2) / Var (n - 1 without weights):
    p' = (n* p + 0.75) / (n* + 3), d' likewise, and gives
    100 (p' - d') +/- z 100 sqrt((p' + d' - (p' - d')^2) / (n* + 3)).
    """
    if ci_method not in CI_METHODS:
        raise ValueError(f"ci_method must be one of {CI_METHODS}, got {ci_method!r}")
    total = float(promoters + passives + detractors)
    n_count = round(total) if n is None else n
    if total <= 0:
        return NpsResult(
            n_count, 0.0, None, None, None, None, None, None, None, ci_method, confidence, True
        )
    neff = total if n_eff is None else float(n_eff)
    p = promoters / total
    d = detractors / total
    score = 100 * (p - d)
    spread = nps_variance(p, d)
    if variance is None:
        variance = spread / (n_count - 1) if n_count > 1 else math.nan
    se = 100 * math.sqrt(variance) if not math.isnan(variance) else math.nan
    z = z_crit(confidence)
    # the estimate's effective size: n - 1 without weights; Kish's n when nothing varies
    n_star = spread / variance if spread > 0 and variance > 0 else max(neff - 1, 1.0)
    if ci_method == "wald" or math.isnan(se):
        half = z * se if not math.isnan(se) else math.nan
        lo, hi = score - half, score + half
    else:
        na = n_star + 3
        pa = (n_star * p + 0.75) / na
        da = (n_star * d + 0.75) / na
        centre = 100 * (pa - da)
        half = z * 100 * math.sqrt(nps_variance(pa, da) / na)
        lo, hi = centre - half, centre + half
    return NpsResult(
        n=n_count,
        n_eff=neff,
        promoters=100 * p,
        passives=100 * (passives / total),
        detractors=100 * d,
        score=score,
        se=None if math.isnan(se) else se,
        ci_low=None if math.isnan(lo) else max(-100.0, lo),
        ci_high=None if math.isnan(hi) else min(100.0, hi),
        ci_method=ci_method,
        confidence=confidence,
        low_base=neff < min_base,
    )


def nps(
    values: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    confidence: float = 0.95,
    ci_method: str = CI_METHOD,
    min_base: int = 30,
) -> NpsResult:
    """NPS of 0-10 answers (NaN = not used), optionally weighted.

    Detractors 0-6, passives 7-8, promoters 9-10. The standard error is the linearisation
    variance of the weighted mean of z = +1 / 0 / -1, weighted or not (one estimator):
    R ``svymean(~z, svydesign(ids = ~1, weights = ~w))``.

    Examples
    --------
    >>> r = nps(np.array([10, 9, 8, 3, 10]))
    >>> round(r.score, 1)
    40.0
    """
    x, w = prepare(values, weights)
    return nps_from_histogram(
        Histogram.from_values(x, w),
        confidence=confidence,
        ci_method=ci_method,
        min_base=min_base,
    )


def nps_from_histogram(
    hist: Histogram,
    *,
    confidence: float = 0.95,
    ci_method: str = CI_METHOD,
    min_base: int = 30,
) -> NpsResult:
    """:func:`nps` finished from the item's :class:`Histogram` (its sufficient statistics).

    Notes
    -----
    With z_v = +1 / 0 / -1 for each distinct answer v and m = sum_v sw_v z_v / W, the
    linearisation variance n / (n - 1) sum_i w_i^2 (z_i - m)^2 / W^2 regroups by answer as
    n / (n - 1) sum_v sw2_v (z_v - m)^2 / W^2.
    """
    levels, sw, sw2, n = hist.levels, hist.sw, hist.sw2, hist.n
    z = np.where(levels >= PROMOTER_MIN, 1.0, np.where(levels <= DETRACTOR_MAX, -1.0, 0.0))
    pro = float(sw[z > 0].sum())
    det = float(sw[z < 0].sum())
    total = float(sw.sum())
    pas = total - pro - det
    variance: float | None = None
    if n >= 2:
        m = float(np.dot(sw, z) / total)
        dev = z - m
        variance = n / (n - 1) * float(np.dot(sw2, dev * dev)) / (total * total)
    elif n == 1:
        variance = math.nan
    return nps_from_counts(
        pro,
        pas,
        det,
        variance=variance,
        n_eff=total * total / float(sw2.sum()) if n else 0.0,
        confidence=confidence,
        ci_method=ci_method,
        min_base=min_base,
        n=n,
    )


def compare_nps(a: NpsResult, b: NpsResult, *, confidence: float = 0.95) -> Difference:
    """NPS of ``a`` minus NPS of ``b``: z = (NPS_a - NPS_b) / sqrt(SE_a^2 + SE_b^2), each SE
    the linearisation one (R: ``svycontrast`` on two independent ``svymean`` results)."""
    from csitool.stats.inference import EMPTY, nps_difference_se

    if a.score is None or b.score is None or a.se is None or b.se is None:
        return EMPTY
    return nps_difference_se(a.score, a.se, b.score, b.se, confidence=confidence)
