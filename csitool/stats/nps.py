"""Net Promoter Score with a standard error that keeps the promoter/detractor covariance."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from csitool.stats.common import kish_n_eff, prepare, z_crit

if TYPE_CHECKING:
    from csitool.stats.inference import Difference

PROMOTER_MIN = 9
DETRACTOR_MAX = 6
CI_METHODS = ("adjusted-wald", "wald")


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


def nps_from_counts(
    promoters: float,
    passives: float,
    detractors: float,
    *,
    n_eff: float | None = None,
    confidence: float = 0.95,
    ci_method: str = "adjusted-wald",
    min_base: int = 30,
    n: int | None = None,
) -> NpsResult:
    """NPS from (weighted) group totals.

    Parameters
    ----------
    promoters, passives, detractors:
        Counts, or sums of weights, of the three groups.
    n_eff:
        Effective sample size for the interval (default: the total, i.e. unweighted).
    ci_method:
        ``"adjusted-wald"`` (default) or ``"wald"`` (clipped to [-100, 100]).

    Notes
    -----
    NPS = 100 (p - d); SE = 100 sqrt((p + d - (p - d)^2) / n_eff). The adjusted Wald interval
    adds 3 pseudo-respondents (0.75 detractor, 1.5 passive, 0.75 promoter):
    p' = (n p + 0.75) / (n + 3), d' = (n d + 0.75) / (n + 3), and uses
    100 (p' - d') +/- z 100 sqrt((p' + d' - (p' - d')^2) / (n + 3)).
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
    se = 100 * math.sqrt(nps_variance(p, d) / neff)
    z = z_crit(confidence)
    if ci_method == "wald":
        lo, hi = score - z * se, score + z * se
    else:
        na = neff + 3
        pa = (neff * p + 0.75) / na
        da = (neff * d + 0.75) / na
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
        se=se,
        ci_low=max(-100.0, lo),
        ci_high=min(100.0, hi),
        ci_method=ci_method,
        confidence=confidence,
        low_base=neff < min_base,
    )


def nps(
    values: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    confidence: float = 0.95,
    ci_method: str = "adjusted-wald",
    min_base: int = 30,
) -> NpsResult:
    """NPS of 0-10 answers (NaN = not used), optionally weighted.

    Detractors 0-6, passives 7-8, promoters 9-10. With weights, p and d are weighted shares
    and the interval uses the Kish effective n.

    Examples
    --------
    >>> r = nps(np.array([10, 9, 8, 3, 10]))
    >>> round(r.score, 1)
    40.0
    """
    x, w = prepare(values, weights)
    pro = float(w[x >= PROMOTER_MIN].sum())
    det = float(w[x <= DETRACTOR_MAX].sum())
    pas = float(w.sum()) - pro - det
    return nps_from_counts(
        pro,
        pas,
        det,
        n_eff=kish_n_eff(w),
        confidence=confidence,
        ci_method=ci_method,
        min_base=min_base,
        n=len(x),
    )


def compare_nps(a: NpsResult, b: NpsResult, *, confidence: float = 0.95) -> Difference:
    """NPS of ``a`` minus NPS of ``b`` with a two-sample z test on the effective bases.

    Each side's variance is the per-respondent p + d - (p - d)^2 (see :func:`nps_variance`).
    """
    from csitool.stats.inference import EMPTY, nps_difference

    if a.score is None or b.score is None or a.promoters is None or b.promoters is None:
        return EMPTY
    var_a = nps_variance(a.promoters / 100, (a.detractors or 0.0) / 100)
    var_b = nps_variance(b.promoters / 100, (b.detractors or 0.0) / 100)
    return nps_difference(a.score, var_a, a.n_eff, b.score, var_b, b.n_eff, confidence=confidence)
