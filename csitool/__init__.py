"""csitool: customer-satisfaction survey analysis (CSI, NPS, the satisfaction ladder).

Use it from Python::

    import csitool
    survey = csitool.load("sample_data/survey.xlsx")
    print(csitool.nps(survey).score)
    print(csitool.csi(survey).score, csitool.ladder(survey).wow_gap)
    result = csitool.score(survey, by=["고객유형"])
    found = csitool.drivers(survey, target="sat")   # wow-points and pain-points

Heavy libraries (pandas, scipy) are imported only when a function runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from csitool.stats.csi import CsiResult, LadderResult
    from csitool.stats.drivers import DriversResult
    from csitool.stats.nps import NpsResult
    from csitool.stats.score import ScoreResult
    from csitool.survey.model import Survey

__all__ = ["__version__", "compare", "csi", "drivers", "ladder", "load", "nps", "score", "voc"]


def load(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    config: str | Path | None = None,
    header_row: int | None = None,
    strict: bool = False,
    **roles: Any,
) -> Survey:
    """Read a survey export and interpret it.

    ``roles`` may set ``nps``, ``sat``, ``attrs`` (list of names or glob patterns),
    ``segment`` (list), ``weight``, ``id``, ``date`` and ``comment``; they beat
    ``csitool.toml`` (``config``, or the one in the working directory), which beats detection.
    ``header_row`` is the 1-based row holding the column names (default: found).
    """
    from csitool.config import RoleSpec
    from csitool.survey.build import open_survey

    for key in ("attrs", "segment"):
        if isinstance(roles.get(key), str):
            roles[key] = [roles[key]]
    spec = RoleSpec(
        **{k: tuple(v) if isinstance(v, list | tuple) else v for k, v in roles.items()}  # type: ignore[arg-type]
    )
    return open_survey(
        path,
        spec,
        sheet=sheet,
        encoding=encoding,
        config=Path(config) if config else None,
        strict=strict,
        header_row=header_row,
    )


def score(survey: Survey, by: Sequence[str] = (), **options: Any) -> ScoreResult:
    """Everything ``csitool score`` shows: NPS, CSI, ladder and items, per ``by`` segment."""
    from csitool.stats.score import score as _score

    return _score(survey, by, **options)


def drivers(
    survey: Survey, target: str | None = None, by: Sequence[str] = (), **options: Any
) -> DriversResult:
    """Wow-points and pain-points, as ``csitool drivers`` shows them.

    ``target`` is ``"sat"`` (default), ``"nps"`` or a column; ``options`` are ``alpha``,
    ``ia_threshold``, ``min_cell``, ``split``, ``confidence``, ``min_base`` and ``adjust``
    (``"bh"``, the default, or ``"none"``).
    """
    from csitool.stats.drivers import drivers as _drivers

    return _drivers(survey, target, by, **options)


def compare(
    surveys: Survey | Sequence[Survey],
    by: Sequence[str] = (),
    *,
    wave: str | None = None,
    period: str | None = None,
    names: Sequence[str] | None = None,
    **options: Any,
) -> Any:
    """What ``csitool compare`` shows: segments of one survey (``by``), waves within one
    survey (``wave`` column or ``period`` month/quarter/year), or several surveys as waves.

    ``options``: ``alpha``, ``two_levels``, ``correction`` (none/bonferroni/fdr), ``min_base``,
    ``rows``, and for waves ``with_letters``. The decision is ``csitool.stats.compare.compare``,
    the same as the command's.
    """
    from csitool.stats.compare import compare as _compare

    many: list[Any] = list(surveys) if isinstance(surveys, list | tuple) else [surveys]
    return _compare(many, by, wave=wave, period=period, names=names, **options)


def voc(
    survey: Survey,
    text: Sequence[str] | None = None,
    by: Sequence[str] = (),
    *,
    codebook: str | Path | None = None,
) -> Any:
    """What ``csitool voc`` shows: comment themes tied to NPS and satisfaction.

    ``text``: comment columns (default: the comment role); ``codebook``: a TOML file
    (default: ``[voc]`` in csitool.toml, else the built-in one).
    """
    from csitool.stats.codebook import load_codebook
    from csitool.stats.voc import voc as _voc

    s = survey.settings
    book = load_codebook(Path(codebook) if codebook else None, s.voc, s.config_path)
    return _voc(survey, book, text, by)[0]


def _by(survey: Survey, by: str | None, **options: Any) -> tuple[Any, Any]:
    result = score(survey, [by] if by else [], **options)
    return result.total, result.segments.get(by or "", [])


def nps(survey: Survey, by: str | None = None, **options: Any) -> NpsResult | dict[str, Any]:
    """NPS of the survey, or ``{segment value: NpsResult}`` (with ``"Total"``) for ``by``."""
    total, groups = _by(survey, by, **options)
    if not by:
        return total.nps
    return {"Total": total.nps} | {g.value: g.nps for g in groups}


def csi(survey: Survey, by: str | None = None, **options: Any) -> CsiResult | dict[str, Any]:
    """Overall CSI, or ``{segment value: CsiResult}`` (with ``"Total"``) for ``by``."""
    total, groups = _by(survey, by, **options)
    if not by:
        return total.csi
    return {"Total": total.csi} | {g.value: g.csi for g in groups}


def ladder(
    survey: Survey, by: str | None = None, column: str | None = None, **options: Any
) -> LadderResult | dict[str, Any]:
    """The satisfaction ladder of the ``sat`` item (or ``column``), overall or per segment."""
    total, groups = _by(survey, by, **options)
    target = column or survey.roles.sat

    def pick(group: Any) -> Any:
        return next((i.ladder for i in group.items if i.column == target), None)

    if not by:
        return pick(total)
    return {"Total": pick(total)} | {g.value: pick(g) for g in groups}
