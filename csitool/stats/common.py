"""Shared helpers: weights and Kish effective n, critical values, Wilson intervals."""

from __future__ import annotations

import math

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


def kish_n_eff(weights: np.ndarray) -> float:
    """Kish effective sample size (sum w)^2 / sum w^2; equals n when all weights are equal."""
    if len(weights) == 0:
        return 0.0
    s = float(np.sum(weights))
    s2 = float(np.sum(weights * weights))
    return s * s / s2


def z_crit(confidence: float) -> float:
    """Two-sided standard normal critical value, e.g. 1.959964 for 0.95."""
    from statistics import NormalDist

    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def t_crit(confidence: float, df: float) -> float:
    """Two-sided Student t critical value with ``df`` degrees of freedom."""
    from scipy.special import stdtrit

    return float(stdtrit(df, 1 - (1 - confidence) / 2))


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
