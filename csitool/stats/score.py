"""Everything ``csitool score`` reports for one survey: NPS, overall CSI, the ladder and
every item, for the total and for each segment value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from csitool.config import CI_METHOD
from csitool.notes import info, setting, to_json
from csitool.stats.aggregate import (
    Answers,
    Cross,
    GroupAggregates,
    Histogram,
    cross,
)
from csitool.stats.common import prepare
from csitool.stats.csi import (
    CsiResult,
    Cuts,
    ItemResult,
    LadderResult,
    csi_coefficients,
    item_from_histogram,
    overall_from_aggregates,
)
from csitool.stats.nps import NpsResult, nps_from_histogram

if TYPE_CHECKING:
    import pandas as pd

    from csitool.config import Settings
    from csitool.survey.engine import GroupTallies, SurveySummary
    from csitool.survey.model import Scale, Survey
    from csitool.survey.roles import Roles

TOTAL = "Total"


@dataclass(frozen=True)
class Options:
    """Statistics options: confidence level, NPS interval method, low-base threshold."""

    confidence: float = 0.95
    ci_method: str = CI_METHOD
    min_base: int = 30

    def to_dict(self) -> dict[str, Any]:
        return {
            "confidence": self.confidence,
            "ci_method": self.ci_method,
            "min_base": self.min_base,
        }


@dataclass(frozen=True)
class GroupScore:
    """The figures of one group of respondents (the total, or one segment value)."""

    value: str
    n_rows: int
    nps: NpsResult | None
    csi: CsiResult | None
    ladder: LadderResult | None
    items: list[ItemResult]

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "n_rows": self.n_rows,
            "nps": self.nps.to_dict() if self.nps else None,
            "csi": self.csi.to_dict() if self.csi else None,
            "ladder": self.ladder.to_dict() if self.ladder else None,
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True)
class ScoreResult:
    """The score of one survey file."""

    path: str
    n_rows: int
    read: dict[str, Any]
    roles: dict[str, Any]
    quality: dict[str, Any]
    options: Options
    total: GroupScore
    segments: dict[str, list[GroupScore]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        total = self.total.to_dict()
        return {
            "path": self.path,
            "n_rows": self.n_rows,
            "read": self.read,
            "roles": self.roles,
            "quality": self.quality,
            "settings": self.options.to_dict(),
            "nps": total["nps"],
            "csi": total["csi"],
            "ladder": total["ladder"],
            "items": total["items"],
            "segments": {
                col: [g.to_dict() for g in groups] for col, groups in self.segments.items()
            },
            "notes": to_json(self.notes),
        }

    def tidy_rows(self) -> list[dict[str, Any]]:
        """Every figure of the total and each segment value as one flat row (the rows of
        ``csitool score --format csv``; columns :data:`TIDY_COLUMNS`)."""
        out = list(_tidy_group_rows(self.path, "", self.total))
        for col, groups in self.segments.items():
            for g in groups:
                out.extend(_tidy_group_rows(self.path, col, g))
        return out

    def to_frame(self) -> pd.DataFrame:
        """:meth:`tidy_rows` as a pandas DataFrame (None as missing)."""
        from csitool.stats.tidy import frame

        return frame(self.tidy_rows(), TIDY_COLUMNS)


def ladder_cuts(survey: Survey, column: str) -> Cuts | None:
    """Ladder cut-offs configured for this column's scale in csitool.toml, if any."""
    scale = survey.scales[column]
    custom = survey.settings.ladder.get(scale.key)
    return Cuts(custom.very, custom.somewhat, custom.neutral) if custom else None


def index_columns(roles: Roles, settings: Settings) -> list[tuple[str, ...]]:
    """The multi-item indexes the overall CSI may need cross statistics for (the attribute
    mean over all attributes, or the composite's items)."""
    found = csi_coefficients(
        settings.csi_method,
        sat=roles.sat,
        attrs=roles.attrs,
        usable=lambda a: True,
        composite=settings.csi_weights,
    )
    if found is None or len(found[1]) < 2:
        return []
    return [tuple(found[1])]


def group_aggregates(survey: Survey, mask: np.ndarray | None) -> GroupAggregates:
    """The sufficient statistics of the rows selected by ``mask`` (all rows when None),
    counted in memory."""

    def cut(arr: np.ndarray) -> np.ndarray:
        return arr if mask is None else arr[mask]

    weights = None if survey.weights is None else cut(survey.weights)
    n_rows = int(np.count_nonzero(cut(survey.ledger.row_reason == 0)))
    columns = {c: cut(v) for c, v in survey.values.items()}
    items = {c: Histogram.from_values(*prepare(v, weights)) for c, v in columns.items()}
    indexes = {
        names: cross(columns, names, weights)
        for names in index_columns(survey.roles, survey.settings)
        if all(c in columns for c in names)
    }
    return GroupAggregates(n_rows, items, indexes)


def segment_aggregates(
    survey: Survey,
    codes: np.ndarray | None,
    k: int,
    answers: dict[str, Answers] | None = None,
) -> list[GroupAggregates]:
    """:func:`group_aggregates` of each value of a segment column (``codes``: every row's
    value number, 0..k-1; None: one group of every row, the total), each item's histograms
    counted for every value in one pass (:meth:`~csitool.stats.aggregate.Answers.histograms`)
    instead of a masked copy of every column per value; the same figures, bit for bit.
    ``answers`` keeps each item's :class:`~csitool.stats.aggregate.Answers` for the next
    grouping."""
    if answers is None:
        answers = {}
    weights = survey.weights
    squares = None if weights is None else weights * weights
    kept = survey.ledger.row_reason == 0
    if codes is None:
        k = 1
        n_rows = np.array([np.count_nonzero(kept)])
    else:
        n_rows = np.bincount(codes[kept], minlength=k)
    masks: dict[int, np.ndarray | slice] = {}

    def mask(g: int) -> np.ndarray | slice:
        if g not in masks:
            masks[g] = slice(None) if codes is None else codes == g
        return masks[g]

    items: list[dict[str, Histogram]] = [{} for _ in range(k)]
    for c, v in survey.values.items():
        if c not in answers:
            answers[c] = Answers.of(v, weights, squares)
        found = answers[c].histograms(codes, k)
        for g in range(k):
            if found is not None:
                items[g][c] = found[g]
            else:
                w = None if weights is None else weights[mask(g)]
                items[g][c] = Histogram.from_values(*prepare(v[mask(g)], w))
    names = [
        n
        for n in index_columns(survey.roles, survey.settings)
        if all(c in survey.values for c in n)
    ]
    out = []
    for g in range(k):
        indexes = {}
        for n in names:
            columns = {c: survey.values[c][mask(g)] for c in n}
            indexes[n] = cross(columns, n, None if weights is None else weights[mask(g)])
        out.append(GroupAggregates(int(n_rows[g]), items[g], indexes))
    return out


def group_score(
    survey: Survey, mask: np.ndarray | None, value: str, options: Options
) -> GroupScore:
    """Score the rows selected by ``mask`` (all rows when None)."""
    return finish_group(
        group_aggregates(survey, mask),
        value,
        options,
        roles=survey.roles,
        scales=survey.scales,
        settings=survey.settings,
    )


def finish_group(
    agg: GroupAggregates,
    value: str,
    options: Options,
    *,
    roles: Roles,
    scales: Mapping[str, Scale],
    settings: Settings,
) -> GroupScore:
    """A group's figures from its sufficient statistics, whichever engine counted them."""
    conf, base = options.confidence, options.min_base
    items: list[ItemResult] = []
    for col in roles.items():
        scale = scales[col]
        role = "nps" if col == roles.nps else "sat" if col == roles.sat else "attr"
        custom = settings.ladder.get(scale.key)
        items.append(
            item_from_histogram(
                col,
                agg.items[col],
                scale.min,
                scale.max,
                role=role,
                cuts=Cuts(custom.very, custom.somewhat, custom.neutral) if custom else None,
                confidence=conf,
                min_base=base,
            )
        )
    nps_result = None
    if roles.nps:
        nps_result = nps_from_histogram(
            agg.items[roles.nps],
            ci_method=options.ci_method,
            confidence=conf,
            min_base=base,
        )
    csi_result: CsiResult | None = overall_from_aggregates(
        agg,
        {c: (s.min, s.max) for c, s in scales.items()},
        sat=roles.sat,
        attrs=roles.attrs,
        method=settings.csi_method,
        composite=settings.csi_weights,
        confidence=conf,
        min_base=base,
    )
    ladder_result = next((i.ladder for i in items if i.role == "sat"), None)
    return GroupScore(value, agg.n_rows, nps_result, csi_result, ladder_result, items)


def from_tallies(g: GroupTallies) -> GroupAggregates:
    """A group's aggregates from the plain tallies an engine counted."""
    items = {c: Histogram.from_cells(cells) for c, cells in g.cells.items()}
    indexes = {}
    for names, (n, sw, sw2, s1, sx, sxx) in g.moments.items():
        means = np.array(
            [
                float(np.dot(items[c].levels, items[c].sw) / items[c].total) if items[c].n else 0.0
                for c in names
            ]
        )
        indexes[names] = Cross.from_moments(
            names, means, np.asarray(s1), np.asarray(sx), np.asarray(sxx), n, sw, sw2
        )
    return GroupAggregates(g.n_rows, items, indexes)


def score_summary(
    summary: SurveySummary,
    by: Sequence[str] = (),
    *,
    confidence: float | None = None,
    ci_method: str | None = None,
    min_base: int | None = None,
) -> ScoreResult:
    """:func:`score` of a survey an engine counted (see :mod:`csitool.survey.engine`)."""
    if not summary.roles.items():
        from csitool.errors import MissingRoleError

        raise MissingRoleError(summary.path, "items", "score", tuple(summary.columns[:30]))
    s = summary.settings
    options = Options(
        confidence=s.confidence if confidence is None else confidence,
        ci_method=s.ci_method if ci_method is None else ci_method,
        min_base=s.min_base if min_base is None else min_base,
    )

    def finish(g: GroupTallies, value: str) -> GroupScore:
        agg = from_tallies(g)
        return finish_group(
            agg, value, options, roles=summary.roles, scales=summary.scales, settings=s
        )

    total = finish(summary.groups[None][TOTAL], TOTAL)
    segments = {col: [finish(g, v) for v, g in summary.segments(col)] for col in by}
    return ScoreResult(
        path=summary.path,
        n_rows=summary.n_rows,
        read=summary.read,
        roles=summary.roles.to_dict(),
        quality=summary.ledger,
        options=options,
        total=total,
        segments=segments,
        notes=_role_notes(summary.notes, summary.roles, summary.scales),
    )


def summary_groups(
    summary: SurveySummary, column: str, options: Options, role: str = "by"
) -> tuple[list[str], list[GroupScore]]:
    """The values of a counted column and the score of each (waves within one source)."""
    pairs = summary.segments(column, role)
    values = [v for v, _ in pairs]
    groups = [
        finish_group(
            from_tallies(g),
            v,
            options,
            roles=summary.roles,
            scales=summary.scales,
            settings=summary.settings,
        )
        for v, g in pairs
    ]
    return values, groups


def _role_notes(notes: list[Any], roles: Roles, scales: dict[str, Any]) -> list[Any]:
    out = list(notes)
    # an attribute on 0-10 may be the recommendation question under a name that says nothing
    zero_ten = [c for c in roles.attrs if (scales[c].min, scales[c].max) == (0, 10)]
    if not roles.nps and zero_ten:
        spelled = setting("nps", zero_ten[0])
        text = (
            f"no NPS item found by its wording; {', '.join(map(repr, zero_ten[:3]))} "
            f"{'is a 0-10 item' if len(zero_ten) == 1 else 'are 0-10 items'}, scored as an "
            f"attribute: if one asks about recommending, set it with {spelled} or [roles] nps"
        )
        out.append(info("no_nps", text, form="zero_ten", columns=zero_ten[:3], setting=spelled))
    elif not roles.nps:
        spelled = setting("nps", "COLUMN")
        text = f"no NPS item found: set it with {spelled} or [roles] nps"
        out.append(info("no_nps", text, setting=spelled))
    if not roles.sat:
        spelled = setting("sat", "COLUMN")
        text = f"no overall satisfaction item: the ladder needs {spelled} or [roles] sat"
        out.append(info("no_sat", text, setting=spelled))
    return out


def score(
    survey: Survey | SurveySummary,
    by: Sequence[str] = (),
    *,
    confidence: float | None = None,
    ci_method: str | None = None,
    min_base: int | None = None,
) -> ScoreResult:
    """NPS, overall CSI, ladder and item figures for the survey and for each ``by`` segment:
    everything ``csitool score`` shows (``csitool.score`` is this function).
    ``result.to_frame()`` gives the rows of ``csitool score --format csv``.

    Options left as None come from the survey's settings (csitool.toml). A survey with no
    rating item at all (a cover sheet, a lookup table, comments only) is an InputError: an
    empty result that exits 0 would pass scheduled reports and CI gates silently. A
    :class:`SurveySummary` (counted by an engine) is scored from its tallies.
    """
    from csitool.survey.engine import SurveySummary

    if isinstance(survey, SurveySummary):
        return score_summary(
            survey, by, confidence=confidence, ci_method=ci_method, min_base=min_base
        )
    if not survey.roles.items():
        from csitool.errors import MissingRoleError

        columns = tuple(str(c) for c in survey.raw.frame.columns[:30])
        raise MissingRoleError(survey.path, "items", "score", columns)
    s = survey.settings
    options = Options(
        confidence=s.confidence if confidence is None else confidence,
        ci_method=s.ci_method if ci_method is None else ci_method,
        min_base=s.min_base if min_base is None else min_base,
    )
    answers: dict[str, Answers] = {}
    every = segment_aggregates(survey, None, 1, answers)[0]
    total = finish_group(
        every, TOTAL, options, roles=survey.roles, scales=survey.scales, settings=s
    )
    segments: dict[str, list[GroupScore]] = {}
    for col in by:
        values, codes = survey.segment_codes(col)
        segments[col] = [
            finish_group(agg, v, options, roles=survey.roles, scales=survey.scales, settings=s)
            for v, agg in zip(
                values, segment_aggregates(survey, codes, len(values), answers), strict=True
            )
        ]
    notes = _role_notes(survey.notes, survey.roles, survey.scales)
    return ScoreResult(
        path=survey.path,
        n_rows=survey.n_rows,
        read=survey.raw.describe(),
        roles=survey.roles.to_dict(),
        quality=survey.ledger.to_dict(),
        options=options,
        total=total,
        segments=segments,
        notes=notes,
    )


TIDY_COLUMNS = [
    "file",
    "segment",
    "segment_value",
    "measure",
    "item",
    "n",
    "n_eff",
    "value",
    "ci_low",
    "ci_high",
    "low_base",
]


def _tidy_group_rows(path: str, segment: str, g: GroupScore) -> Iterable[dict[str, Any]]:
    """One row per registered measure (and item) of the group, in registry order."""
    from csitool.stats.measures import tidy_estimates

    base = {"file": path, "segment": segment, "segment_value": g.value}
    for m, item, est in tidy_estimates(g):
        yield base | {
            "measure": m.tidy_label(est),
            "item": item or "",
            "n": est.n,
            "n_eff": est.n_eff,
            "value": est.value,
            "ci_low": est.ci_low,
            "ci_high": est.ci_high,
            "low_base": est.low_base,
        }
