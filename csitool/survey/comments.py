"""The kept rows of a survey grouped by comment: what ``voc`` finishes every figure from.

A comment's themes and sentiment depend on its text alone, and every ``voc`` figure is a
count or a weighted sum over rows. So the rows kept by the ledger are grouped by (comment
text, NPS answer, satisfaction answer, each ``--by`` segment value) with their count, sum
of weights, sum of squared weights and first row number: a :class:`CommentCounts`. The
in-memory path groups the rows it holds (:func:`from_survey`); an engine groups them where
the data lives (:func:`csitool.survey.engine.open_comments`); :mod:`csitool.stats.voc`
tags each distinct comment once and finishes from the groups.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from csitool.errors import MissingRoleError

if TYPE_CHECKING:
    import pandas as pd

    from csitool.survey.model import Survey
    from csitool.survey.roles import Roles

RowsOf = Callable[[np.ndarray, int], tuple[np.ndarray, np.ndarray]]
"""Given a boolean mask over the groups and a limit, the first ``limit`` rows in them (all
when 0): (row numbers ascending, the group of each row)."""


@dataclass
class CommentCounts:
    """Kept rows grouped by comment, NPS answer, satisfaction answer and segment values.

    One entry per group: ``code`` the comment (an index into ``texts``, the distinct
    comments; -1 for a blank comment), ``nps`` the used NPS answer (NaN unanswered; None
    without an NPS item), ``sat`` overall satisfaction on 0-100 (likewise), ``segments`` per
    ``--by`` column its values in display order and each group's value, ``n`` rows, ``sw``
    and ``sw2`` the sums of weights and squared weights, ``first`` the source row number of
    the group's first row (-1 when the source has no row order). ``rows_of`` lists the rows
    of some groups (the contradictions' listing); ``close`` releases the engine that counted.
    In memory, also every row's comment (``row_code``) and group (``row_group``, -1 for a
    row the ledger leaves out), for the per-row listing of ``--export-tagged``.
    """

    texts: list[str]
    code: np.ndarray
    nps: np.ndarray | None
    sat: np.ndarray | None
    segments: dict[str, tuple[list[str], np.ndarray]]
    n: np.ndarray
    sw: np.ndarray
    sw2: np.ndarray
    first: np.ndarray
    rows_of: RowsOf
    close: Callable[[], None] = field(default=lambda: None)
    row_code: np.ndarray | None = None
    row_group: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.n)


def comment_columns(
    path: str, roles: Roles, names: Sequence[str], columns: Sequence[str] | None
) -> list[str]:
    """The comment columns ``voc`` reads: ``columns``, else the comment role; each checked."""
    cols = list(columns or ([roles.comment] if roles.comment else []))
    if not cols:
        raise MissingRoleError(path, "comment", "voc")
    for c in cols:
        if c not in names:
            from csitool.survey.roles import unknown_column

            raise unknown_column(path, c, list(names), "text")
    return cols


def _column_text(series: pd.Series) -> Any:
    """A column as an Arrow string array: cells stripped, blanks (None, NaN, "") null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(series.astype("string"), type=pa.string())
    if isinstance(arr, pa.ChunkedArray):  # joined element-wise below: one chunk each
        arr = arr.combine_chunks()
    arr = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def joined_text(frame: pd.DataFrame, columns: Sequence[str]) -> Any:
    """The text of ``columns`` joined per row with " / " (blank cells skipped): an Arrow
    string array, null where every cell is blank."""
    import pyarrow.compute as pc

    arrays = [_column_text(frame[c]) for c in columns]
    out = arrays[0]
    # null_handling="skip" drops the rows where every cell is null (pyarrow 26): join by pairs
    for arr in arrays[1:]:
        both = pc.binary_join_element_wise(out, arr, " / ")
        out = pc.if_else(pc.is_null(out), arr, pc.if_else(pc.is_null(arr), out, both))
    return out


def encode(text: Any) -> tuple[list[str], np.ndarray]:
    """An Arrow string array as its distinct values and each entry's index (-1 for null)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(text)
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.combine_chunks()
    idx = enc.indices
    codes = np.asarray(pc.fill_null(idx, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    return enc.dictionary.to_pylist(), codes


def satisfaction(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Satisfaction answers on 0-100."""
    return 100 * (values - lo) / (hi - lo)


def from_survey(survey: Survey, columns: Sequence[str], by: Sequence[str] = ()) -> CommentCounts:
    """The groups of the kept rows of a survey held in memory."""
    import pandas as pd

    kept = survey.ledger.row_reason == 0
    texts, codes = encode(joined_text(survey.raw.frame, columns))
    roles = survey.roles
    keys: dict[str, np.ndarray] = {"code": codes}
    if roles.nps:
        keys["nps"] = survey.values[roles.nps]
    if roles.sat:
        sc = survey.scales[roles.sat]
        keys["sat"] = satisfaction(survey.values[roles.sat], sc.min, sc.max)
    segments: dict[str, tuple[list[str], np.ndarray]] = {}
    for k, col in enumerate(by):
        values, numbers = survey.segment_codes(col)
        segments[col] = (values, numbers)
        keys[f"seg{k}"] = numbers  # numbers group as their texts do, faster
    w = np.ones(survey.n_rows) if survey.weights is None else np.nan_to_num(survey.weights)
    at = np.flatnonzero(kept)
    frame = pd.DataFrame({k: v[at] for k, v in keys.items()})
    group = frame.groupby(list(keys), sort=False, dropna=False).ngroup().to_numpy()
    n_groups = int(group.max()) + 1 if len(group) else 0
    wk = w[at]
    n = np.bincount(group, minlength=n_groups).astype(np.int64)
    sw = np.bincount(group, weights=wk, minlength=n_groups)
    sw2 = np.bincount(group, weights=wk * wk, minlength=n_groups)
    first = np.full(n_groups, len(kept), dtype=np.int64)
    np.minimum.at(first, group, at)
    pick = first  # a group's first row stands for its keys
    cell_of = np.full(survey.n_rows, -1, dtype=np.int64)
    cell_of[at] = group
    start = survey.ledger.first_data_row

    def rows_of(mask: np.ndarray, limit: int = 0) -> tuple[np.ndarray, np.ndarray]:
        hit = at[mask[group]] if len(at) else at
        if limit:
            hit = hit[:limit]  # ``at`` is ascending
        return start + hit, cell_of[hit]

    return CommentCounts(
        texts=texts,
        code=codes[pick],
        nps=keys["nps"][pick] if "nps" in keys else None,
        sat=keys["sat"][pick] if "sat" in keys else None,
        segments={c: (v, np.array(v, dtype=object)[at[pick]]) for c, (v, at) in segments.items()},
        n=n,
        sw=sw,
        sw2=sw2,
        first=start + first,
        rows_of=rows_of,
        row_code=codes,
        row_group=cell_of,
    )
