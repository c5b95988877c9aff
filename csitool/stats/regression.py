"""Weighted correlations, Johnson's relative weights and weighted least squares with robust
(sandwich) standard errors. Plain numpy in, plain floats and arrays out."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np

from csitool.stats.common import Rows, as_rows

F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread(fn: F) -> F:
    """Run ``fn`` with the BLAS on one thread (threadpoolctl), then restore it.

    The sums of products here come in blocks of a few thousand rows: OpenBLAS threads add
    nothing to them, and on a busy two-core machine they stall on each other (a 100,000-row
    fit took 0.02 s on one thread and 0.1-3.5 s on two)."""

    @functools.wraps(fn)
    def inner(*args: Any, **kwargs: Any) -> Any:
        with _blas_controller().limit(limits=1, user_api="blas"):
            return fn(*args, **kwargs)

    return cast(F, inner)


BLOCK_ROWS = 1 << 15
"""Rows per block when sums of products are accumulated: the temporaries stay a few MB
whatever the number of rows (a copy of a 10M x 27 design is 2 GB)."""


def _blocks(n: int) -> range:
    return range(0, n, BLOCK_ROWS)


def weighted_corr(
    data: np.ndarray, weights: np.ndarray | None = None, last: np.ndarray | None = None
) -> np.ndarray:
    """Correlation matrix of the columns of ``data`` (n x k), optionally weighted; ``last``
    (n values) is an extra last column, read without copying it next to ``data``.

    Notes
    -----
    cov_jk = sum_i w_i (x_ij - m_j)(x_ik - m_k) / sum_i w_i, with weighted means m;
    r_jk = cov_jk / sqrt(cov_jj cov_kk). With equal weights this is Pearson's r. The sums
    run over blocks of rows, so memory does not grow with a copy of the data.
    """
    x = np.asarray(data, dtype=float)
    n = len(x)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    extra = None if last is None else np.asarray(last, dtype=float)
    total = float(w.sum())
    mean = (w @ x) / total
    if extra is not None:
        mean = np.append(mean, (w @ extra) / total)
    k = len(mean)
    cov = np.zeros((k, k))
    for start in _blocks(n):
        part = x[start : start + BLOCK_ROWS]
        if extra is not None:
            part = np.column_stack([part, extra[start : start + BLOCK_ROWS]])
        centred = part - mean
        cov += (centred * w[start : start + BLOCK_ROWS, None]).T @ centred
    cov /= total
    sd = np.sqrt(np.diag(cov))
    return np.asarray(cov / np.outer(sd, sd))


@dataclass(frozen=True)
class RelativeWeights:
    """Johnson's relative weights: ``raw`` sums to ``r2``; ``share`` (percent) sums to 100."""

    raw: np.ndarray
    share: np.ndarray
    r2: float


@one_blas_thread
def relative_weights(
    x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None
) -> RelativeWeights:
    """Johnson's (2000) relative weights of the predictors ``x`` (n x k) for ``y``.

    Notes
    -----
    With R the predictors' correlation matrix and r their correlations with y: R = Q L Q'
    (eigen-decomposition) and Lambda = Q L^(1/2) Q' the symmetric square root, i.e. the
    correlations between the predictors and their closest orthogonal counterparts Z. The
    regression of y on Z has coefficients beta = Lambda^-1 r, and predictor j's raw weight is
    eps_j = sum_k Lambda_jk^2 beta_k^2. The raw weights sum to R^2 = beta' beta = r' R^-1 r.

    The predictors must not be constant and not perfectly collinear (the caller checks).

    References
    ----------
    Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
    variables in multiple regression. Multivariate Behavioral Research, 35(1), 1-19.
    """
    c = weighted_corr(x, weights, last=y)
    rxx, rxy = c[:-1, :-1], c[:-1, -1]
    evals, evecs = np.linalg.eigh(rxx)
    evals = np.clip(evals, 0.0, None)
    lam = (evecs * np.sqrt(evals)) @ evecs.T
    beta = np.linalg.solve(lam, rxy)
    raw = (lam * lam) @ (beta * beta)
    r2 = float(beta @ beta)
    share = 100 * raw / r2 if r2 > 0 else np.full(len(raw), np.nan)
    return RelativeWeights(raw=raw, share=share, r2=r2)


@dataclass(frozen=True)
class Fit:
    """A weighted least-squares fit. ``kept[j]`` is False for a term left out as redundant
    (its coefficient, se and p are NaN). ``df`` = n_eff - number of fitted terms."""

    coef: np.ndarray
    se: np.ndarray
    p: np.ndarray
    cov: np.ndarray
    kept: np.ndarray
    df: float
    n: int
    n_eff: float
    r2: float


def independent_columns(gram: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Which columns of a design (given its Gram matrix D'WD) add something new, in order.

    A column is redundant when its squared distance from the span of the columns kept
    before it is below ``tol`` times its squared length.
    """
    k = gram.shape[0]
    kept = np.zeros(k, dtype=bool)
    for j in range(k):
        if gram[j, j] <= 0:
            continue
        idx = np.flatnonzero(kept)
        if len(idx):
            g = gram[np.ix_(idx, idx)]
            b = gram[idx, j]
            resid = gram[j, j] - b @ np.linalg.solve(g, b)
        else:
            resid = gram[j, j]
        if resid > tol * gram[j, j]:
            kept[j] = True
    return kept


@one_blas_thread
def wls(design: np.ndarray, y: np.ndarray, weights: np.ndarray | Rows | None = None) -> Fit:
    """Weighted least squares with HC1 sandwich standard errors and t p-values.

    ``weights``: one weight per row, or :class:`~csitool.stats.common.Rows` when a row
    stands for several identical respondents (same design row and y): the fit is then that
    of the respondents one by one.

    Notes
    -----
    b = (D'WD)^-1 D'Wy. Var(b) = n / (n - k) A D' diag(w_i^2 e_i^2) D A with A = (D'WD)^-1,
    the heteroscedasticity-robust (HC1) variance; it is also the linearisation variance of
    survey-weighted regression. p-values use t with n_eff - k degrees of freedom (n_eff =
    Kish effective n, equal to n without weights). On grouped rows W holds each row's sum of
    weights sw, the meat's w_i^2 e_i^2 summed over a row's respondents is sw2 e^2, and n
    counts respondents. Columns that are exact linear combinations
    of earlier ones are left out (``kept`` False).

    D'WD, D'Wy and the meat D' diag(w^2 e^2) D are summed over blocks of rows, and b is
    solved from the normal equations with one step of iterative refinement (b += A D'W(y -
    Db)), so no copy of the design is made: memory stays that of the design itself.
    """
    d = np.asarray(design, dtype=float)
    yv = np.asarray(y, dtype=float)
    rows_d, k_all = d.shape
    rows = as_rows(weights, rows_d)
    w, n = rows.sw, rows.count
    gram_all = np.zeros((k_all, k_all))
    for start in _blocks(rows_d):
        part = d[start : start + BLOCK_ROWS]
        gram_all += (part * w[start : start + BLOCK_ROWS, None]).T @ part
    kept = independent_columns(gram_all)
    k = int(kept.sum())
    bread = np.linalg.inv(gram_all[np.ix_(kept, kept)])
    coef_all = np.zeros(k_all)

    def residuals() -> np.ndarray:
        return yv - d @ coef_all

    for _ in range(2):  # the solve, then one refinement step on the residuals
        xwr = (w * residuals()) @ d
        step = np.linalg.solve(gram_all[np.ix_(kept, kept)], xwr[kept])
        coef_all[kept] += step
    resid = residuals()
    meat_all = np.zeros((k_all, k_all))
    w2r2 = rows.sw2 * resid * resid  # sum over a row's respondents of w_i^2 e_i^2
    for start in _blocks(rows_d):
        part = d[start : start + BLOCK_ROWS]
        meat_all += (part * w2r2[start : start + BLOCK_ROWS, None]).T @ part
    meat = meat_all[np.ix_(kept, kept)]
    coef_k = coef_all[kept]
    scale = n / (n - k) if n > k else np.nan
    cov_k = scale * bread @ meat @ bread
    se_k = np.sqrt(np.clip(np.diag(cov_k), 0.0, None))
    n_eff = rows.n_eff
    df = n_eff - k
    from scipy.special import stdtr

    with np.errstate(divide="ignore", invalid="ignore"):
        t = coef_k / se_k
        p_k = 2 * stdtr(df, -np.abs(t)) if df > 0 else np.full(k, np.nan)
    coef = np.full(k_all, np.nan)
    se = np.full(k_all, np.nan)
    p = np.full(k_all, np.nan)
    coef[kept], se[kept], p[kept] = coef_k, se_k, p_k
    cov = np.full((k_all, k_all), np.nan)
    cov[np.ix_(kept, kept)] = cov_k
    ybar = float(w @ yv / w.sum())
    tss = float(w @ (yv - ybar) ** 2)
    r2 = 1 - float(w @ resid**2) / tss if tss > 0 else float("nan")
    return Fit(coef, se, p, cov, kept, float(df), n, n_eff, r2)
