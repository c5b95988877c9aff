"""Everything ``csitool score`` reports for one survey: NPS, overall CSI, the ladder and
every item, for the total and for each segment value."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from csitool.config import CI_METHOD
from csitool.notes import info, setting, to_json
from csitool.stats.csi import (
    CsiResult,
    Cuts,
    ItemResult,
    LadderResult,
    item_stats,
    overall_csi,
)
from csitool.stats.nps import NpsResult, nps

if TYPE_CHECKING:
    import pandas as pd

    from csitool.survey.model import Survey

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


def group_score(
    survey: Survey, mask: np.ndarray | None, value: str, options: Options
) -> GroupScore:
    """Score the rows selected by ``mask`` (all rows when None)."""
    roles = survey.roles

    def cut(arr: np.ndarray) -> np.ndarray:
        return arr if mask is None else arr[mask]

    weights = None if survey.weights is None else cut(survey.weights)
    row_ok = survey.ledger.row_reason == 0
    n_rows = int(np.count_nonzero(cut(row_ok)))
    conf, base = options.confidence, options.min_base
    items: list[ItemResult] = []
    for col in roles.items():
        scale = survey.scales[col]
        role = "nps" if col == roles.nps else "sat" if col == roles.sat else "attr"
        items.append(
            item_stats(
                col,
                cut(survey.values[col]),
                scale.min,
                scale.max,
                weights,
                role=role,
                cuts=ladder_cuts(survey, col),
                confidence=conf,
                min_base=base,
            )
        )
    nps_result = None
    if roles.nps:
        nps_result = nps(
            cut(survey.values[roles.nps]),
            weights,
            ci_method=options.ci_method,
            confidence=conf,
            min_base=base,
        )  # type: ignore[arg-type]
    settings = survey.settings
    csi_result: CsiResult | None = overall_csi(
        {c: cut(v) for c, v in survey.values.items()},
        {c: (s.min, s.max) for c, s in survey.scales.items()},
        sat=roles.sat,
        attrs=roles.attrs,
        weights=weights,
        method=settings.csi_method,
        composite=settings.csi_weights,
        confidence=conf,
        min_base=base,
    )
    ladder_result = next((i.ladder for i in items if i.role == "sat"), None)
    return GroupScore(value, n_rows, nps_result, csi_result, ladder_result, items)


def score(
    survey: Survey,
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
    empty result that exits 0 would pass scheduled reports and CI gates silently.
    """
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
    total = group_score(survey, None, TOTAL, options)
    segments: dict[str, list[GroupScore]] = {}
    for col in by:
        values, labels = survey.segments(col)
        segments[col] = [group_score(survey, labels == v, v, options) for v in values]
    notes = list(survey.notes)
    if not survey.roles.nps:
        spelled = setting("nps", "COLUMN")
        notes.append(
            info(
                "no_nps",
                f"no NPS item found: set it with {spelled} or [roles] nps",
                setting=spelled,
            )
        )
    if not survey.roles.sat:
        spelled = setting("sat", "COLUMN")
        notes.append(
            info(
                "no_sat",
                f"no overall satisfaction item: the ladder needs {spelled} or [roles] sat",
                setting=spelled,
            )
        )
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
