"""What ``check``'s export-contract rules judge, from a survey in memory or one an engine
counted: the columns, the rows with a rating off its scale, the repeated ids and the blank
cells of the columns asked for, each as a count with the first source row numbers.

One :class:`ExportFacts` for both paths, so the rules (:mod:`csitool.stats.check`) are
written once: :func:`of_survey` computes it from the ledger of a :class:`Survey`; an engine
counts the same rows where the data lives (:func:`csitool.survey.engine.open_summary` with
``facts=``) and lists the first ones by their position in the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np

from csitool.survey import model as m

if TYPE_CHECKING:
    from csitool.survey.model import Survey

#: how many source row numbers a rule lists behind a failure
MAX_ROWS_LISTED = 20


@dataclass(frozen=True)
class Rows:
    """How many rows have a property, and the source row numbers of the first
    :data:`MAX_ROWS_LISTED` of them (in source order)."""

    n: int
    first: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ExportFacts:
    """The export contract of one survey file.

    ``off_scale``: kept rows with at least one rating off its scale or not a number;
    ``off_scale_cells``: per item (in item order) its cells of that kind, when any;
    ``duplicate_ids``: rows left out as a repeat of an earlier id (None without an id
    column); ``blank``: per column asked for (and present), its blank cells over every row
    (missing, or text of whitespace only).
    """

    columns: list[str]
    n_rows: int
    off_scale: Rows
    off_scale_cells: dict[str, int]
    duplicate_ids: Rows | None
    blank: dict[str, Rows]


#: the cell reasons ``in_scale`` fails on
OFF_SCALE = (m.OUT_OF_RANGE, m.NOT_A_NUMBER)


def _rows(mask: np.ndarray, first_row: int) -> Rows:
    at = np.flatnonzero(mask)
    return Rows(len(at), [first_row + int(i) for i in at[:MAX_ROWS_LISTED]])


def of_survey(survey: Survey, blank_columns: Sequence[str] = ()) -> ExportFacts:
    """The facts of a survey read into memory, from its raw table and its ledger."""
    frame = survey.raw.frame
    columns = [str(c) for c in frame.columns]
    first = survey.ledger.first_data_row
    blank: dict[str, Rows] = {}
    for col in blank_columns:
        if col in columns and col not in blank:
            series = frame[col]
            empty = series.isna().to_numpy() | (series.astype(str).str.strip() == "").to_numpy()
            blank[col] = _rows(empty, first)
    bad = np.zeros(survey.n_rows, dtype=bool)
    cells: dict[str, int] = {}
    for col, codes in survey.ledger.cells.items():
        hit = np.isin(codes, OFF_SCALE)
        if hit.any():
            bad |= hit
            cells[col] = int(hit.sum())
    dups = None
    if survey.roles.id:
        dups = _rows(survey.ledger.row_reason == m.DUPLICATE_ID, first)
    return ExportFacts(columns, survey.n_rows, _rows(bad, first), cells, dups, blank)


class Counted(Protocol):
    """What :func:`export_facts` reads of a :class:`~csitool.survey.engine.SurveySummary`."""

    @property
    def path(self) -> str: ...

    columns: list[str]
    facts: ExportFacts | None


def export_facts(survey: Survey | Counted, blank_columns: Sequence[str] = ()) -> ExportFacts:
    """:class:`ExportFacts` of a survey in memory (computed) or counted by an engine (the
    facts it was opened for: ``open_summary(..., facts=blank_columns)``)."""
    from csitool.survey.model import Survey

    if isinstance(survey, Survey):
        return of_survey(survey, blank_columns)
    facts = survey.facts
    asked = [c for c in blank_columns if c in survey.columns]
    if facts is None or any(c not in facts.blank for c in asked):
        raise ValueError(
            f"{survey.path}: counted without the export facts of {asked or 'check'}; "
            "open it with open_summary(..., facts=COLUMNS)"
        )
    return facts
