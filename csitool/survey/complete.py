"""The complete rows of some items, in memory: what a row-level analysis (``drivers``) uses.

A :class:`CompleteRows` holds, for the rows kept by the ledger that have a used value in
every *required* item, those values (one n x k matrix), the *optional* items' values on the
same rows (NaN where not used), the weights and the segment of each row, in source order,
and how many rows were left out and why. An engine groups identical rows (same used values
and segments) into one with the number of respondents it stands for and their sums of
weights and squared weights (``freq``, ``weights``, ``weights2``); in memory each row is one
respondent. It is made from a :class:`Survey` read into memory
(:func:`from_survey`) or fetched by an engine (:meth:`SurveySummary.complete
<csitool.survey.engine.SurveySummary.complete>`), so both paths hand the statistics the
same object.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from csitool.survey import model as m

if TYPE_CHECKING:
    from csitool.survey.model import Survey


@dataclass(frozen=True)
class CompleteRows:
    """The complete rows' used values.

    ``x``: rows x len(``columns``), column-major (each column contiguous); ``optional``: a
    column's values on the same rows with NaN where it is not used; ``weights``: each row's
    sum of weights, None without a weight role; ``freq``: the respondents each row stands
    for and ``weights2`` their sum of squared weights (None: one respondent per row);
    ``segments[col]``: the column's values in display order (over every row of the source,
    so a value with no complete row is listed) and, per complete row, the index of its
    value; ``counts``: ``{n_rows, used, left_out}`` with the row-level
    ledger reasons and ``incomplete`` (kept rows missing a required item).
    """

    columns: list[str]
    x: np.ndarray
    optional: dict[str, np.ndarray]
    weights: np.ndarray | None
    segments: dict[str, tuple[list[str], np.ndarray]] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    freq: np.ndarray | None = None
    weights2: np.ndarray | None = None

    @property
    def n(self) -> int:
        """The number of rows (distinct rows when grouped; see :attr:`respondents`)."""
        return int(self.x.shape[0])

    @property
    def respondents(self) -> int:
        """The number of respondents the rows stand for."""
        return self.n if self.freq is None else round(float(self.freq.sum()))

    def column(self, name: str) -> np.ndarray:
        """A required or optional column's values (a view of ``x`` for a required one)."""
        if name in self.optional:
            return self.optional[name]
        return self.x[:, self.columns.index(name)]


def left_out_counts(
    n_rows: int, row_counts: dict[str, int], kept: int, used: int
) -> dict[str, Any]:
    """``{n_rows, used, left_out}``: the row-level reasons (in ledger order) and the kept
    rows that are not complete as ``incomplete``."""
    left = {name: row_counts[name] for name in m.REASONS.values() if row_counts.get(name)}
    if kept - used:
        left["incomplete"] = kept - used
    return {"n_rows": n_rows, "used": used, "left_out": left}


def matrix(columns: Sequence[np.ndarray], mask: np.ndarray | None = None) -> np.ndarray:
    """Several columns (their ``mask`` rows) as one column-major n x k array, filled in place
    (stacking a list of masked copies would hold the data twice)."""
    n = len(columns[0]) if mask is None else int(mask.sum())
    out = np.empty((n, len(columns)), order="F")
    for j, column in enumerate(columns):
        out[:, j] = column if mask is None else column[mask]
    return out


def from_survey(
    survey: Survey, required: Sequence[str], optional: Sequence[str], by: Sequence[str]
) -> CompleteRows:
    """The complete rows of an in-memory survey (every named column must be an item)."""
    row_reason = survey.ledger.row_reason
    kept = row_reason == m.USED
    complete = kept.copy()
    for c in required:
        complete &= ~np.isnan(survey.values[c])
    row_counts = np.bincount(row_reason, minlength=len(m.REASONS) + 1)
    counts = left_out_counts(
        survey.n_rows,
        {name: int(row_counts[code]) for code, name in m.REASONS.items()},
        int(kept.sum()),
        int(complete.sum()),
    )
    segments: dict[str, tuple[list[str], np.ndarray]] = {}
    for col in by:
        values, codes = survey.segment_codes(col)
        segments[col] = (values, np.asarray(codes[complete], dtype=np.int32))
    weights = None if survey.weights is None else survey.weights[complete]
    return CompleteRows(
        columns=list(required),
        x=matrix([survey.values[c] for c in required], complete),
        optional={c: survey.values[c][complete] for c in optional if c not in required},
        weights=weights,
        segments=segments,
        counts=counts,
    )
