"""Segments and waves side by side with significance letters, as survey crosstabs show them.

Each banner has columns (segment values or waves) with letters A, B, C ...; a cell carries
the letters of the columns it is significantly higher than. Tests: NPS, the two-sample NPS
z test; shares, the column-proportion z test with a pooled proportion; CSI (means), Welch's
t test; all on effective n. Columns whose base is below ``min_base`` are not tested.
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from csitool.errors import quote
from csitool.notes import info, to_json
from csitool.stats.inference import (
    Difference,
    bh_adjust,
    nps_difference_se,
    two_proportions,
    welch,
)
from csitool.stats.measures import ROW_GROUPS as ROW_GROUPS
from csitool.stats.measures import Estimate, estimates, row_groups
from csitool.stats.score import GroupScore, ScoreResult

if TYPE_CHECKING:
    import pandas as pd

    from csitool.survey.model import Survey

CORRECTIONS = ("none", "bonferroni", "fdr")
NPS_TEST = "two-sample NPS z"
PROP_TEST = "column proportions z (pooled)"
MEAN_TEST = "Welch t"


@dataclass(frozen=True)
class Column:
    label: str
    letter: str | None
    n: int
    n_eff: float
    low_base: bool


@dataclass(frozen=True)
class Cell:
    value: float | None
    n: int
    n_eff: float
    sig_higher_than: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    measure: str
    item: str | None
    test: str
    cells: list[Cell]
    changes: list[Difference | None] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "item": self.item,
            "test": self.test,
            "cells": [asdict(c) for c in self.cells],
            "changes": [c.to_dict() if c else None for c in self.changes],
        }


@dataclass(frozen=True)
class Banner:
    """One crosstab: segments of one variable (plus Total), or waves in order."""

    title: str
    kind: str
    columns: list[Column]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "kind": self.kind,
            "columns": [asdict(c) for c in self.columns],
            "rows": [r.to_dict() for r in self.rows],
            "notes": to_json(self.notes),
        }


# The columns of ``csitool compare --format csv`` and ``CompareResult.to_frame()``.
TIDY_COLUMNS = ["banner", "measure", "item", "column", "letter", "value", "n", "n_eff",
                "low_base", "sig_higher_than", "change", "change_p"]  # fmt: skip


@dataclass(frozen=True)
class CompareResult:
    banners: list[Banner]
    alpha: float
    two_levels: bool
    correction: str
    min_base: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "alpha": self.alpha,
            "two_levels": self.two_levels,
            "strong_alpha": 0.01 if self.two_levels else None,
            "correction": self.correction,
            "min_base": self.min_base,
            "tests": {"nps": NPS_TEST, "proportions": PROP_TEST, "means": MEAN_TEST},
            "banners": [b.to_dict() for b in self.banners],
            "notes": to_json(self.notes),
        }

    def tidy_rows(self) -> list[dict[str, Any]]:
        """One row per banner, row and column (the rows of ``csitool compare --format csv``;
        columns :data:`TIDY_COLUMNS`)."""
        out = []
        for b in self.banners:
            for r in b.rows:
                for k, (c, cell) in enumerate(zip(b.columns, r.cells, strict=True)):
                    ch = r.changes[k] if r.changes and k < len(r.changes) else None
                    out.append({
                        "banner": b.title, "measure": r.measure, "item": r.item or "",
                        "column": c.label, "letter": c.letter or "", "value": cell.value,
                        "n": cell.n, "n_eff": cell.n_eff, "low_base": c.low_base,
                        "sig_higher_than": "".join(cell.sig_higher_than),
                        "change": ch.estimate if ch else None,
                        "change_p": ch.p_value if ch else None,
                    })  # fmt: skip
        return out

    def to_frame(self) -> pd.DataFrame:
        """:meth:`tidy_rows` as a pandas DataFrame (None as missing)."""
        from csitool.stats.tidy import frame

        return frame(self.tidy_rows(), TIDY_COLUMNS)


# --------------------------------------------------------------------------------------
# Figures of one group
# --------------------------------------------------------------------------------------


def test_pair(a: Estimate, b: Estimate) -> Difference:
    """a minus b with the test that fits the measure's kind."""
    from csitool.stats.inference import EMPTY

    if a.value is None or b.value is None:
        return EMPTY
    if a.kind == "nps":
        if math.isnan(a.se) or math.isnan(b.se):
            return EMPTY
        return nps_difference_se(a.value, a.se, b.value, b.se)
    if a.kind == "prop":
        d = two_proportions(a.proportion, a.n_eff, b.proportion, b.n_eff)
        scale = 100.0
        return Difference(
            None if d.estimate is None else d.estimate * scale,
            None if d.se is None else d.se * scale,
            None if d.ci_low is None else d.ci_low * scale,
            None if d.ci_high is None else d.ci_high * scale,
            d.statistic, d.df, d.p_value, d.test,
        )  # fmt: skip
    return welch(a.value, a.se, a.n_eff, b.value, b.se, b.n_eff)


def letters(k: int) -> list[str]:
    """A, B, ... Z, AA, AB, ..."""
    out = []
    for i in range(k):
        s, j = "", i
        while True:
            s = string.ascii_uppercase[j % 26] + s
            j = j // 26 - 1
            if j < 0:
                break
        out.append(s)
    return out


def _adjust(pvals: list[float | None], correction: str) -> list[float | None]:
    if correction == "bonferroni":
        m = sum(p is not None for p in pvals)
        return [None if p is None else min(1.0, p * m) for p in pvals]
    if correction == "fdr":
        return bh_adjust(pvals)
    return pvals


def _banner(
    title: str,
    kind: str,
    labels: list[str],
    groups: list[GroupScore],
    total: GroupScore | None,
    *,
    alpha: float,
    two_levels: bool,
    correction: str,
    min_base: int,
    rows: Sequence[str],
    changes: bool,
) -> Banner:
    k = len(groups)
    marks = letters(k)
    # every comparable figure of each group: the registered measures of the rows asked for
    per_group = [estimates(g, rows) for g in groups]
    total_stats = estimates(total, rows) if total is not None else {}
    keys: list[tuple[str, str | None]] = []
    for found in [*per_group, total_stats]:
        for key in found:
            if key not in keys:
                keys.append(key)
    columns = [
        Column(lab, marks[i], g.n_rows, _base(per_group[i]), _base(per_group[i]) < min_base)
        for i, (lab, g) in enumerate(zip(labels, groups, strict=True))
    ]
    if total is not None:
        columns.append(Column("Total", None, total.n_rows, _base(total_stats), False))
    out_rows: list[Row] = []
    for key in keys:
        cells_stats = [st.get(key) for st in per_group]
        pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
        diffs: list[Difference | None] = []
        for i, j in pairs:
            a, b = cells_stats[i], cells_stats[j]
            if a is None or b is None or a.n_eff < min_base or b.n_eff < min_base:
                diffs.append(None)
            else:
                diffs.append(test_pair(a, b))
        adjusted = _adjust([d.p_value if d else None for d in diffs], correction)
        beats: list[list[str]] = [[] for _ in range(k)]
        for (i, j), d, p in zip(pairs, diffs, adjusted, strict=True):
            if d is None or p is None or d.estimate is None or p >= alpha or d.estimate == 0:
                continue
            strong = two_levels and p < 0.01
            winner, loser = (i, j) if d.estimate > 0 else (j, i)
            mark = marks[loser] if (strong or not two_levels) else marks[loser].lower()
            beats[winner].append(mark)
        cells = []
        for i, cs in enumerate(cells_stats):
            cells.append(
                Cell(cs.value, cs.n, cs.n_eff, sorted(beats[i], key=str.upper))
                if cs is not None
                else Cell(None, 0, 0.0, [])
            )
        if total is not None:
            tst = total_stats.get(key)
            cells.append(Cell(tst.value, tst.n, tst.n_eff, []) if tst else Cell(None, 0, 0.0, []))
        chg: list[Difference | None] = []
        if changes:
            chg.append(None)
            for i in range(1, k):
                a, b = cells_stats[i], cells_stats[i - 1]
                chg.append(test_pair(a, b) if a is not None and b is not None else None)
        test = {"nps": NPS_TEST, "prop": PROP_TEST, "mean": MEAN_TEST}[
            next(st.kind for st in [*cells_stats, total_stats.get(key)] if st is not None)
        ]
        out_rows.append(Row(key[0], key[1], test, cells, chg))
    return Banner(title, kind, columns, out_rows)


def _base(st: dict[tuple[str, str | None], Estimate]) -> float:
    for key in (("nps", None), ("csi", None), ("promoters", None)):
        if key in st:
            return st[key].n_eff
    return max((s.n_eff for s in st.values()), default=0.0)


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------


def compare_segments(
    survey: Survey,
    by: Sequence[str],
    *,
    alpha: float = 0.05,
    two_levels: bool = False,
    correction: str = "bonferroni",
    min_base: int | None = None,
    rows: Sequence[str] | None = None,
    scored: ScoreResult | None = None,
) -> CompareResult:
    """One banner per ``by`` column: its values (and Total) with significance letters.
    ``rows``: row groups (default: every registered measure's, :func:`row_groups`).
    ``scored``: the survey's ``score(survey, by)`` when the caller has it already."""
    rows = row_groups() if rows is None else rows
    from csitool.stats.score import score

    _check(correction, rows)
    base = survey.settings.min_base if min_base is None else min_base
    result = scored if scored is not None and list(scored.segments) == list(by) else None
    result = result or score(survey, by)
    banners = []
    for col, groups in result.segments.items():
        banners.append(
            _banner(
                col,
                "segments",
                [g.value for g in groups],
                groups,
                result.total,
                alpha=alpha,
                two_levels=two_levels,
                correction=correction,
                min_base=base,
                rows=rows,
                changes=False,
            )
        )
    return CompareResult(banners, alpha, two_levels, correction, base, list(result.notes))


def compare_waves(
    groups: Sequence[GroupScore],
    names: Sequence[str],
    *,
    confidence: float = 0.95,
    alpha: float = 0.05,
    two_levels: bool = False,
    correction: str = "bonferroni",
    min_base: int = 30,
    rows: Sequence[str] | None = None,
    with_letters: bool = False,
    notes: Sequence[str] = (),
) -> CompareResult:
    """Waves in order: each wave's figures, the change from the previous wave with its test,
    and (``with_letters``) letters across waves."""
    rows = row_groups() if rows is None else rows
    _check(correction, rows)
    banner = _banner("waves", "waves", list(names), list(groups), None, alpha=alpha,
                     two_levels=two_levels, correction=correction, min_base=min_base,
                     rows=rows, changes=True)  # fmt: skip
    if not with_letters:
        banner = Banner(
            banner.title, banner.kind,
            [Column(c.label, None, c.n, c.n_eff, c.low_base) for c in banner.columns],
            [Row(r.measure, r.item, r.test, [Cell(c.value, c.n, c.n_eff, []) for c in r.cells],
                 r.changes) for r in banner.rows],
        )  # fmt: skip
    return CompareResult([banner], alpha, two_levels, correction, min_base, list(notes))


def waves_from_files(
    surveys: Sequence[Survey], names: Sequence[str] | None = None, **options: Any
) -> CompareResult:
    """One wave per survey file, in the order given; names default to the file stems.

    A column that some waves have and others lack is reported in the notes.
    """
    from pathlib import Path

    from csitool.stats.score import score

    labels = list(names) if names else [Path(s.path).stem for s in surveys]
    if len(labels) != len(surveys):
        from csitool.errors import SettingError

        raise SettingError("names", "count", count=len(labels), expected=len(surveys))
    results = [score(s) for s in surveys]
    notes: list[str] = []
    sets = [set(s.roles.items()) | set(_columns(s)) for s in surveys]
    every = set().union(*sets) if sets else set()
    for name, cols in zip(labels, sets, strict=True):
        missing = sorted(every - cols)
        if missing:
            notes.append(
                info(
                    "wave_columns",
                    f"wave {quote(name)} lacks column(s) the other waves have: "
                    f"{', '.join(missing)}",
                    wave=name,
                    missing=missing,
                )
            )
    base = options.pop("min_base", None)
    base = surveys[0].settings.min_base if base is None else base
    conf = results[0].options.confidence if results else 0.95
    return compare_waves([r.total for r in results], labels, confidence=conf, min_base=base,
                         notes=notes, **options)  # fmt: skip


def waves_from_split(
    survey: Survey, column: str | None = None, period: str | None = None, **options: Any
) -> CompareResult:
    """Waves within one file: the values of ``column``, or the ``period`` (month, quarter,
    year) of the date column, in sorted order."""
    from csitool.stats.score import Options, group_score, summary_groups
    from csitool.survey.engine import SurveySummary

    s = survey.settings
    opts = Options(confidence=s.confidence, ci_method=s.ci_method, min_base=s.min_base)
    if isinstance(survey, SurveySummary):  # counted by an engine: waves from a column only
        if column is None:
            from csitool.errors import SettingError

            raise SettingError("period", "choice", value="period", choices=("wave",))
        values, groups = summary_groups(survey, column, opts, role="wave")
    else:
        values, labels = wave_groups(survey, column, period)
        groups = [group_score(survey, labels == v, v, opts) for v in values]
    base = options.pop("min_base", None)
    return compare_waves(groups, values, confidence=s.confidence,
                         min_base=s.min_base if base is None else base, **options)  # fmt: skip


def compare(
    surveys: Sequence[Survey],
    by: Sequence[str] = (),
    *,
    wave: str | None = None,
    period: str | None = None,
    names: Sequence[str] | None = None,
    with_letters: bool = False,
    **options: Any,
) -> CompareResult:
    """What to compare, decided once for ``csitool compare`` and ``csitool.compare``:
    several surveys are waves in the order given (``names``, default the file stems); one
    survey is split into waves by a ``wave`` column or a ``period`` (month, quarter, year)
    of its date column, or else into the segments of each ``by`` column.

    ``options``: ``alpha``, ``two_levels``, ``correction``, ``min_base``, ``rows``;
    ``with_letters`` adds letters across waves. Raises ``SettingError`` when the request mixes
    files and splits or names nothing to compare.
    """
    from csitool.errors import SettingError

    if len(surveys) != 1:
        if by or wave or period:
            raise SettingError("by", "one_survey")
        return waves_from_files(surveys, names, with_letters=with_letters, **options)
    if wave or period:
        return waves_from_split(surveys[0], wave, period, with_letters=with_letters, **options)
    if by:
        return compare_segments(surveys[0], by, **options)
    raise SettingError("by", "missing")


def _columns(survey: Any) -> list[str]:
    """The columns of a survey read into memory or counted by an engine."""
    from csitool.survey.engine import SurveySummary

    if isinstance(survey, SurveySummary):
        return list(survey.columns)
    return [str(c) for c in survey.raw.frame.columns]


def wave_groups(survey: Survey, column: str | None, period: str | None) -> tuple[list[str], Any]:
    """Labels of each row's wave, from a column or from a period of the date column."""
    import numpy as np
    import pandas as pd

    from csitool.errors import MissingRoleError

    if column is not None:
        return survey.segments(column, "wave")
    date_col = survey.roles.date
    if date_col is None:
        raise MissingRoleError(survey.path, "date", "period")
    stamps = pd.to_datetime(survey.raw.frame[date_col], errors="coerce", format="mixed")
    if period == "month":
        text = stamps.dt.strftime("%Y-%m")
    elif period == "quarter":
        text = (
            stamps.dt.year.astype("Int64").astype(str)
            + "Q"
            + stamps.dt.quarter.astype("Int64").astype(str)
        )
    else:
        text = stamps.dt.year.astype("Int64").astype(str)
    labels = np.where(stamps.isna().to_numpy(), "(no date)", text.to_numpy(dtype=object))
    values = sorted({str(v) for v in labels if v != "(no date)"})
    if "(no date)" in set(labels.tolist()):
        values.append("(no date)")
    return values, labels.astype(object)


def _check(correction: str, rows: Sequence[str]) -> None:
    from csitool.errors import SettingError

    if correction not in CORRECTIONS:
        raise SettingError("correction", "choice", value=correction, choices=CORRECTIONS)
    known = row_groups()
    unknown = [r for r in rows if r not in known]
    if unknown:
        raise SettingError("rows", "choice", value=tuple(unknown), choices=tuple(known))
