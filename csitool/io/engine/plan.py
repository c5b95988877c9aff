"""What an engine is asked to count, as plain data (engine-agnostic).

The survey layer fills a :class:`Plan` from the roles it detected on a sample; an engine
turns it into SQL (:mod:`csitool.io.engine.sql`), runs it where the data lives and returns
:class:`Counts`: small tables of counts and weight sums that the shared statistics finish.
Reason codes are passed in as numbers: io knows nothing of the ledger's meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RowCodes:
    """The ledger's row-level reason codes, in the order they are decided."""

    blank_row: int
    duplicate_id: int
    weight_missing: int
    weight_not_positive: int


@dataclass(frozen=True)
class Plan:
    """Count, for every split (None = all rows; else a segment column) and every item, the
    rows per (segment value, row reason, raw answer) with their weight sums; and the rows per
    (segment value, row reason).

    ``columns``: every column of the source (name, is floating point) - a row whose cells
    are all missing is a blank row. ``order``: the SQL expression that gives the source
    order (the first copy of a duplicate id is the one kept), None when there is none.
    ``indexes``: item tuples whose cross moments are needed, each with the mapping of raw
    answers to used values (:class:`IndexItem`).
    """

    columns: tuple[tuple[str, bool], ...]
    items: tuple[str, ...]
    splits: tuple[str | None, ...]
    codes: RowCodes
    id: str | None = None
    weight: str | None = None
    indexes: tuple[tuple[IndexItem, ...], ...] = ()


@dataclass(frozen=True)
class IndexItem:
    """An item of a multi-item index: the used value of each raw answer (answers not listed
    are not used)."""

    column: str
    numeric: bool
    used: tuple[tuple[Any, float], ...]


@dataclass
class Counts:
    """What an engine returns for a :class:`Plan`.

    ``cells[split][item]``: rows ``(segment raw value, reason, raw answer, count, sum w,
    sum w^2)``; ``rows[split]``: rows ``(segment raw value, reason, count)``; ``max_weight``:
    the largest weight of a kept row; ``moments[split][k]`` for index ``k``: rows
    ``(segment raw value, n, sw, sw2, s1, sx, sxx)`` with the three matrices as nested
    lists (answered both j and l: sum w^2, sum w^2 x_j, sum w^2 x_j x_l).
    """

    cells: dict[str | None, dict[str, list[tuple[Any, ...]]]] = field(default_factory=dict)
    rows: dict[str | None, list[tuple[Any, ...]]] = field(default_factory=dict)
    max_weight: float | None = None
    moments: dict[str | None, list[list[tuple[Any, ...]]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Listing:
    """Rows to count and to list by position (0 = the first row of the source), for
    ``check``. ``off_scale``: per item, the raw answers that are off its scale or not a
    number (a kept row with any of them counts once); ``duplicates``: rows of the
    duplicate-id reason; ``blank``: columns (name, is floating point) whose blank cells
    count over every row (missing, or text of whitespace only). ``count``: the names
    (``off_scale``, ``duplicates``, ``blank:COLUMN``) whose count is not known already;
    ``limit``: how many positions to list per name."""

    off_scale: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    duplicates: bool = False
    blank: tuple[tuple[str, bool], ...] = ()
    count: tuple[str, ...] = ()
    limit: int = 20
