"""The sufficient statistics every ``score`` figure is finished from.

A group of respondents (the total, one segment value, one wave) is summarised by

- per rating item, a :class:`Histogram`: the distinct used answers with their count, sum of
  weights and sum of squared weights. NPS and its linearisation variance, the item mean,
  CSI and its interval, top / top-2 / bottom-2 boxes, the ladder and the wow gap are all
  functions of it;
- per multi-item index (the overall CSI as the attribute mean or a composite), a
  :class:`Cross`: the centred cross-products of the items over the respondents who answered
  both, and the count and weight sums of those who answered any of them, which give the
  index's linearisation variance (the covariance between items included).

The in-memory path computes them here with numpy (:func:`group_aggregates`); an out-of-core
engine (DuckDB, Spark) computes the same numbers where the data lives and hands them to
the same finishing code, so both give the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Histogram:
    """One item in one group: distinct used answers (sorted) with, for each, the number of
    respondents, the sum of their weights and the sum of their squared weights."""

    levels: np.ndarray
    count: np.ndarray
    sw: np.ndarray
    sw2: np.ndarray

    @property
    def n(self) -> int:
        return int(self.count.sum())

    @property
    def total(self) -> float:
        return float(self.sw.sum())

    @classmethod
    def empty(cls) -> Histogram:
        z = np.zeros(0)
        return cls(z, np.zeros(0, dtype=np.int64), z, z)

    @classmethod
    def from_values(cls, x: np.ndarray, w: np.ndarray) -> Histogram:
        """The histogram of used answers ``x`` (no NaN) with weights ``w``.

        Whole-number answers (the usual case) take one ``bincount`` pass per sum; other
        values fall back to ``np.unique``. Each sum adds the weights of a level in row
        order, whatever the path, so the figures do not depend on it.
        """
        if len(x) == 0:
            return cls.empty()
        lo = float(x.min())
        hi = float(x.max())
        if abs(lo) < 2.0**52 and lo.is_integer() and hi - lo < 10_000:
            # the integers straight from x (one new array instead of three): when every x
            # is whole (|x| < 2^53), x - lo is exact and these are the codes of the general
            # path below; otherwise that path decides, as before
            idx = x.astype(np.int64)
            if bool((idx == x).all()):
                if lo:
                    idx -= int(lo)
                return cls._of_codes(idx, lo, w)
        shifted = x - lo
        if float(shifted.max()) < 10_000 and bool(np.all(shifted == np.floor(shifted))):
            return cls._of_codes(shifted.astype(np.int64), lo, w)
        levels, inverse = np.unique(x, return_inverse=True)
        return cls(
            levels,
            np.bincount(inverse),
            np.bincount(inverse, weights=w),
            np.bincount(inverse, weights=w * w),
        )

    @classmethod
    def _of_codes(cls, idx: np.ndarray, lo: float, w: np.ndarray) -> Histogram:
        """From level numbers ``idx`` (0 = ``lo``, 1 = ``lo + 1``, ...). Weights all 1 (no
        weight column) sum to the counts exactly, so those two sums are the counts."""
        counts = np.bincount(idx)
        keep = counts > 0
        levels = lo + np.arange(len(counts), dtype=float)
        if float(w.min()) == 1.0 == float(w.max()):
            ones = counts[keep].astype(float)
            return cls(levels[keep], counts[keep], ones, ones.copy())
        return cls(
            levels[keep],
            counts[keep],
            np.bincount(idx, weights=w)[keep],
            np.bincount(idx, weights=w * w)[keep],
        )

    @classmethod
    def from_cells(cls, cells: Iterable[tuple[float, int, float, float]]) -> Histogram:
        """From ``(value, count, sum w, sum w^2)`` cells as an engine returns them (a value
        may repeat: its cells are added up)."""
        acc: dict[float, list[float]] = {}
        for value, n, sw, sw2 in cells:
            slot = acc.setdefault(float(value), [0, 0.0, 0.0])
            slot[0] += int(n)
            slot[1] += float(sw)
            slot[2] += float(sw2)
        if not acc:
            return cls.empty()
        levels = np.array(sorted(acc), dtype=float)
        return cls(
            levels,
            np.array([acc[v][0] for v in levels], dtype=np.int64),
            np.array([acc[v][1] for v in levels], dtype=float),
            np.array([acc[v][2] for v in levels], dtype=float),
        )


@dataclass(frozen=True)
class Answers:
    """One item's answers as level numbers over every row, ready to be counted by any
    grouping of the rows (:meth:`histograms`): made once per item and shared by the total
    and the segment columns of a score.

    ``idx`` holds each row's level number (0 = ``lo``) as a small integer, and ``size``
    (one past the last level) for a row left out (NaN answer or NaN weight): counted in a
    cell of its own that is dropped, so no copy of the used rows is made. ``w`` and ``w2``
    are the weights of every row and their squares (shared by the items), None without
    weights.
    """

    idx: np.ndarray | None  # None: an answer is not a whole number
    lo: float
    size: int
    w: np.ndarray | None
    w2: np.ndarray | None

    @classmethod
    def of(
        cls, values: np.ndarray, weights: np.ndarray | None, squares: np.ndarray | None = None
    ) -> Answers:
        """``squares``: ``weights * weights`` when the caller has them (made once)."""
        x = np.asarray(values, dtype=float)
        keep = ~np.isnan(x)
        w = None if weights is None else np.asarray(weights, dtype=float)
        if w is not None:
            keep &= ~np.isnan(w)
        w2 = None if w is None else (w * w if squares is None else squares)
        if not keep.any():
            return cls(np.zeros(0, dtype=np.int16), 0.0, 0, w, w2)
        lo = float(np.min(x, where=keep, initial=np.inf))
        hi = float(np.max(x, where=keep, initial=-np.inf))
        if not (abs(lo) < 2.0**52 and lo.is_integer() and hi - lo < 10_000):
            return cls(None, lo, 0, w, w2)
        used = np.where(keep, x, lo)
        whole = used.astype(np.int64)
        if not bool((whole == used).all()):
            return cls(None, lo, 0, w, w2)
        size = int(hi - lo) + 1
        if lo:
            whole -= int(lo)
        whole[~keep] = size  # the dropped cell
        return cls(whole.astype(np.int16), lo, size, w, w2)

    def histograms(self, groups: np.ndarray | None, k: int) -> list[Histogram] | None:
        """The :class:`Histogram` of each of ``k`` groups (``groups``: every row's group
        number, 0..k-1; None: one group of every row), in one pass over the rows; None when
        an answer is not a whole number (then each group goes through
        :meth:`Histogram.from_values`).

        Equal, bit for bit, to :meth:`Histogram.from_values` of each group's used rows:
        the levels are the same whole numbers, and ``bincount`` adds the weights of a cell
        (group, level) in row order, as it does for one group alone (weights that are all
        1 add up to the counts exactly, so they need no path of their own).
        """
        if self.idx is None:
            return None
        if self.size == 0:
            return [Histogram.empty() for _ in range(1 if groups is None else k)]
        width = self.size + 1  # the levels, then the dropped cell
        if groups is None:  # bincount counts intp: cast once for its three passes
            k, cell = 1, self.idx.astype(np.intp)
        else:
            cell = groups.astype(np.int64) * width
            cell += self.idx
        counts = np.bincount(cell, minlength=k * width).reshape(k, width)[:, :-1]
        levels = self.lo + np.arange(self.size, dtype=float)
        if self.w is not None:
            sw = np.bincount(cell, weights=self.w, minlength=k * width).reshape(k, width)
            sw2 = np.bincount(cell, weights=self.w2, minlength=k * width).reshape(k, width)
        out = []
        for g in range(k):
            used = counts[g] > 0
            if not used.any():
                out.append(Histogram.empty())
            elif self.w is None:
                ones = counts[g][used].astype(float)
                out.append(Histogram(levels[used], counts[g][used], ones, ones.copy()))
            else:
                out.append(
                    Histogram(levels[used], counts[g][used], sw[g, :-1][used], sw2[g, :-1][used])
                )
        return out


def grouped_histograms(
    values: np.ndarray, weights: np.ndarray | None, groups: np.ndarray, k: int
) -> list[Histogram] | None:
    """:meth:`Answers.histograms` of one item's ``values`` and ``weights``."""
    return Answers.of(values, weights).histograms(groups, k)


@dataclass(frozen=True)
class Cross:
    """Sufficient statistics of a linear index over several items in one group.

    ``matrix[j, l]`` = sum_i [i answered j and l] w_i^2 (x_ij - m_j)(x_il - m_l), with m_j
    the weighted mean of item j over its own respondents (the diagonal is item j's own
    weighted sum of squares). ``n``, ``sw`` and ``sw2`` count the respondents who answered
    any of the items and sum their weights and squared weights.
    """

    columns: tuple[str, ...]
    matrix: np.ndarray
    n: int
    sw: float
    sw2: float

    @classmethod
    def from_moments(
        cls,
        columns: tuple[str, ...],
        means: np.ndarray,
        s1: np.ndarray,
        sx: np.ndarray,
        sxx: np.ndarray,
        n: int,
        sw: float,
        sw2: float,
    ) -> Cross:
        """From raw moments over the respondents who answered both j and l, as a one-pass
        engine computes them: ``s1[j, l]`` = sum w^2, ``sx[j, l]`` = sum w^2 x_j and
        ``sxx[j, l]`` = sum w^2 x_j x_l. Centring: sxx - m_l sx - m_j sx' + m_j m_l s1."""
        m = np.asarray(means, dtype=float)
        matrix = sxx - sx * m[None, :] - sx.T * m[:, None] + s1 * np.outer(m, m)
        return cls(columns, matrix, int(n), float(sw), float(sw2))

    @classmethod
    def of_histogram(cls, column: str, hist: Histogram) -> Cross:
        """The one-item case, which its histogram holds: sum_v sw2_v (v - m)^2."""
        if hist.n == 0:
            return cls((column,), np.zeros((1, 1)), 0, 0.0, 0.0)
        mean = float(np.dot(hist.levels, hist.sw) / hist.total)
        dev = hist.levels - mean
        ss = float(np.dot(hist.sw2, dev * dev))
        return cls((column,), np.array([[ss]]), hist.n, hist.total, float(hist.sw2.sum()))

    def select(self, names: tuple[str, ...]) -> Cross:
        """The statistics of a subset of the items. Only valid when the items left out have
        no respondents in the group (so "answered any" is unchanged)."""
        idx = [self.columns.index(c) for c in names]
        return Cross(names, self.matrix[np.ix_(idx, idx)], self.n, self.sw, self.sw2)


@dataclass(frozen=True)
class GroupAggregates:
    """Everything ``score`` needs of one group: rows kept, item histograms, index cross
    statistics (keyed by their column tuple)."""

    n_rows: int
    items: dict[str, Histogram]
    indexes: dict[tuple[str, ...], Cross] = field(default_factory=dict)

    def cross_of(self, names: tuple[str, ...]) -> Cross:
        """The :class:`Cross` of ``names``: stored as such, or a stored superset whose other
        items have no respondents here (the attribute mean over the usable attributes)."""
        if names in self.indexes:
            return self.indexes[names]
        want = set(names)
        for key, cx in self.indexes.items():
            extra = set(key) - want
            if want <= set(key) and all(self.items[c].n == 0 for c in extra):
                return cx.select(names)
        raise KeyError(f"no cross statistics for {names}")


def cross(
    columns: Mapping[str, np.ndarray], names: tuple[str, ...], weights: np.ndarray | None
) -> Cross:
    """:class:`Cross` of the items ``names`` from their value arrays (NaN = not used)."""
    rows = len(next(iter(columns.values())))
    w_all = np.ones(rows) if weights is None else np.asarray(weights, dtype=float)
    k = len(names)
    dev = np.zeros((rows, k))
    answered = np.zeros(rows, dtype=bool)
    for j, col in enumerate(names):
        x = np.asarray(columns[col], dtype=float)
        ok = ~np.isnan(x) & ~np.isnan(w_all)
        if ok.any():
            wj = w_all[ok]
            mean = float(np.dot(wj, x[ok]) / float(wj.sum()))
            dev[ok, j] = wj * (x[ok] - mean)
        answered |= ok
    d = dev[answered]
    w = w_all[answered]
    return Cross(names, d.T @ d, int(answered.sum()), float(w.sum()), float(np.dot(w, w)))
