"""Significance tests shared by drivers, check and compare: two proportions, two means
(Welch), two NPS, and Benjamini-Hochberg adjusted p-values.

Proportion tests take (Kish effective) sample sizes; mean and NPS tests take each side's
standard error (the linearisation one, as R ``survey`` computes it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from csitool.stats.common import z_crit


@dataclass(frozen=True)
class Difference:
    """``estimate`` = a - b with its interval and a two-sided test of "no difference".

    ``statistic`` is z (normal tests) or t (Welch); ``df`` is None for normal tests.
    """

    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    statistic: float | None
    df: float | None
    p_value: float | None
    test: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


EMPTY = Difference(None, None, None, None, None, None, None, "")


def normal_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic."""
    return math.erfc(abs(z) / math.sqrt(2))


def t_p(t: float, df: float) -> float:
    """Two-sided p-value of a Student t statistic with ``df`` degrees of freedom."""
    from scipy.special import stdtr

    return float(2 * stdtr(df, -abs(t)))


def two_proportions(
    p1: float, n1: float, p2: float, n2: float, *, confidence: float = 0.95
) -> Difference:
    """Difference of two independent proportions (0-1), p1 - p2.

    Notes
    -----
    Test: pooled z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)), p = (n1 p1 + n2 p2) / (n1 + n2).
    Interval: Wald, (p1 - p2) +/- z sqrt(p1 (1 - p1) / n1 + p2 (1 - p2) / n2).
    With weights, pass the weighted shares and the Kish effective sizes.
    """
    if n1 <= 0 or n2 <= 0:
        return EMPTY
    diff = p1 - p2
    pooled = (n1 * p1 + n2 * p2) / (n1 + n2)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    z = diff / se0 if se0 > 0 else 0.0
    half = z_crit(confidence) * se
    return Difference(diff, se, diff - half, diff + half, z, None, normal_p(z), "two-proportion z")


def welch(
    m1: float, se1: float, n1: float, m2: float, se2: float, n2: float, *, confidence: float = 0.95
) -> Difference:
    """Welch's t test for two means, from each mean's standard error and (effective) n.

    Notes
    -----
    t = (m1 - m2) / sqrt(se1^2 + se2^2); Welch-Satterthwaite
    df = (se1^2 + se2^2)^2 / (se1^4 / (n1 - 1) + se2^4 / (n2 - 1)).
    """
    if n1 < 2 or n2 < 2 or any(math.isnan(v) for v in (m1, se1, m2, se2)):
        return EMPTY
    v1, v2 = se1 * se1, se2 * se2
    se = math.sqrt(v1 + v2)
    diff = m1 - m2
    if se == 0:
        return Difference(diff, 0.0, diff, diff, None, None, None, "Welch t")
    df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    from csitool.stats.common import t_crit

    t = diff / se
    half = t_crit(confidence, df) * se
    return Difference(diff, se, diff - half, diff + half, t, df, t_p(t, df), "Welch t")


def nps_difference_se(
    score1: float, se1: float, score2: float, se2: float, *, confidence: float = 0.95
) -> Difference:
    """Two independent NPS (points) from their standard errors: z = (NPS1 - NPS2) /
    sqrt(se1^2 + se2^2).

    Examples
    --------
    100/200/200 against 120/200/180 detractors/passives/promoters, each SE
    100 sqrt(Var / (n - 1)) with Var = p + d - (p - d)^2:

    >>> se1, se2 = 100 * math.sqrt(0.56 / 499), 100 * math.sqrt(0.5856 / 499)
    >>> d = nps_difference_se(20.0, se1, 12.0, se2)
    >>> round(d.statistic, 3), round(d.p_value, 3)
    (1.67, 0.095)
    """
    se = math.sqrt(se1 * se1 + se2 * se2)
    diff = score1 - score2
    z = diff / se if se > 0 else 0.0
    half = z_crit(confidence) * se
    return Difference(diff, se, diff - half, diff + half, z, None, normal_p(z), "two-sample NPS z")


def bh_adjust(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini-Hochberg adjusted p-values (None stays None and is not counted).

    Notes
    -----
    For the m sorted p-values p_(1) <= ... <= p_(m): q_(i) = min_{k >= i} min(1, m p_(k) / k).
    """
    idx = [i for i, p in enumerate(p_values) if p is not None]
    out: list[float | None] = [None] * len(p_values)
    if not idx:
        return out
    p = np.array([p_values[i] for i in idx], dtype=float)
    m = len(p)
    order = np.argsort(p)
    scaled = p[order] * m / np.arange(1, m + 1)
    q = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    adjusted = np.empty(m)
    adjusted[order] = q
    for k, i in enumerate(idx):
        out[i] = float(adjusted[k])
    return out
