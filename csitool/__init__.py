"""csitool: customer-satisfaction survey analysis (CSI, NPS, the satisfaction ladder).

Use it from Python::

    import csitool
    survey = csitool.load("sample_data/survey.xlsx")
    print(csitool.nps(survey).score)
    print(csitool.csi(survey).score, csitool.ladder(survey).wow_gap)
    result = csitool.score(survey, by=["고객유형"])
    found = csitool.drivers(survey, target="sat")   # wow-points and pain-points
    table = found.to_frame()                         # the rows of `--format csv`
    verdict = csitool.check(survey, min_nps=0)       # what `csitool check` judges

Heavy libraries (pandas, scipy) are imported only when a function runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csitool._version import __version__

if TYPE_CHECKING:
    from csitool.stats.check import CheckResult
    from csitool.stats.compare import CompareResult
    from csitool.stats.csi import CsiResult, LadderResult
    from csitool.stats.drivers import drivers
    from csitool.stats.nps import NpsResult
    from csitool.stats.score import score
    from csitool.stats.voc import VocResult
    from csitool.survey.model import Survey

__all__ = [
    "__version__",
    "check",
    "compare",
    "csi",
    "drivers",
    "ladder",
    "load",
    "nps",
    "score",
    "voc",
]


def load(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    header_row: int | None = None,
    encoding: str | None = None,
    config: str | Path | None = None,
    strict: bool = False,
    format_hint: str | None = None,
    complete_only: bool = False,
    nps: str | None = None,
    sat: str | None = None,
    attrs: str | Sequence[str] = (),
    segment: str | Sequence[str] = (),
    weight: str | None = None,
    id: str | None = None,
    date: str | None = None,
    comment: str | None = None,
) -> Survey:
    """Read a survey export and interpret it, with every reading option the CLI has.

    Parameters
    ----------
    path:
        The export (.xlsx, .xls, .ods, .csv, .tsv, .txt, .sav), or ``"-"`` for standard input.
    sheet, header_row:
        The sheet (name, or 1-based number) and the 1-based row holding the column names
        (default: found; ``[read]`` in csitool.toml otherwise).
    encoding:
        Text files: force this encoding (e.g. ``"cp949"``) instead of detecting it.
    config:
        A csitool.toml (default: the one in the working directory, if any).
    strict:
        Invalid values and uncertain readings raise instead of being left out.
    format_hint:
        Force a platform layout (``"qualtrics"``, ``"surveymonkey"``, ``"google"``, ...).
    complete_only:
        Leave out responses the platform marks as unfinished.
    nps, sat, attrs, segment, weight, id, date, comment:
        Column roles (``attrs`` and ``segment``: a name or a list of names or glob
        patterns). They beat ``[roles]`` in csitool.toml, which beats detection.
    """
    from csitool.config import RoleSpec
    from csitool.survey.build import open_survey

    spec = RoleSpec(
        nps=nps,
        sat=sat,
        attrs=(attrs,) if isinstance(attrs, str) else tuple(attrs),
        segment=(segment,) if isinstance(segment, str) else tuple(segment),
        weight=weight,
        id=id,
        date=date,
        comment=comment,
    )
    return open_survey(
        path,
        spec,
        sheet=sheet,
        encoding=encoding,
        config=Path(config) if config else None,
        strict=strict,
        format_hint=format_hint,
        complete_only=complete_only,
        header_row=header_row,
    )


def compare(
    surveys: Survey | Sequence[Survey],
    by: Sequence[str] = (),
    *,
    wave: str | None = None,
    period: str | None = None,
    names: Sequence[str] | None = None,
    alpha: float = 0.05,
    two_levels: bool = False,
    correction: str = "bonferroni",
    min_base: int | None = None,
    rows: Sequence[str] | None = None,
    with_letters: bool = False,
) -> CompareResult:
    """What ``csitool compare`` shows: segments of one survey (``by``), waves within one
    survey (``wave`` column or ``period`` ``"month"``/``"quarter"``/``"year"``), or several
    surveys as waves (``names`` label them; default: the file names).

    ``correction`` is ``"none"``, ``"bonferroni"`` (default) or ``"fdr"``; ``rows`` picks row
    groups (default: every registered measure's, ``csitool.stats.measures.row_groups()``);
    ``with_letters`` adds significance letters across waves. ``min_base`` defaults to
    ``[score] min_base``. The decision is ``csitool.stats.compare.compare``, the same as the
    command's.
    """
    from csitool.stats.compare import compare as _compare

    options: dict[str, Any] = {
        "alpha": alpha,
        "two_levels": two_levels,
        "correction": correction,
        "min_base": min_base,
        "rows": tuple(rows) if rows is not None else None,
    }
    many: list[Any] = list(surveys) if isinstance(surveys, list | tuple) else [surveys]
    return _compare(
        many, by, wave=wave, period=period, names=names, with_letters=with_letters, **options
    )


def voc(
    survey: Survey,
    text: Sequence[str] | None = None,
    by: Sequence[str] = (),
    *,
    codebook: str | Path | None = None,
    confidence: float | None = None,
) -> VocResult:
    """What ``csitool voc`` shows: comment themes tied to NPS and satisfaction.

    ``text``: comment columns (default: the comment role); ``codebook``: a TOML file
    (default: ``[voc]`` in csitool.toml, else the built-in one); ``confidence`` defaults to
    ``[score] confidence``.
    """
    from csitool.batch import load_codebook, load_sentiment_model
    from csitool.stats.voc import voc as _voc

    s = survey.settings
    book = load_codebook(Path(codebook) if codebook else None, s.voc, s.config_path)
    model = load_sentiment_model()
    return _voc(survey, book, text, by, confidence=confidence, model=model)[0]


def check(
    survey: Survey,
    baseline: Survey | str | Path | None = None,
    *,
    min_nps: float | None = None,
    min_csi: float | None = None,
    min_n: int | None = None,
    max_detractors: float | None = None,
    min_top_box: float | None = None,
    max_excluded: float | None = None,
    by: Sequence[str] = (),
    require: Sequence[str] = (),
    max_missing: float | None = None,
    max_drop: dict[str, float] | None = None,
    alpha: float | None = None,
    significance: bool | None = None,
    allow_unjudged: bool | None = None,
) -> CheckResult:
    """Judge a survey by rules, as ``csitool check`` does; ``result.passed`` is the verdict.

    Rules left as None (or empty) come from ``[check]`` in csitool.toml; the ``in_scale`` and
    ``unique_ids`` rules are always on. ``baseline`` (a loaded survey, or a file read like
    ``survey`` with its config; default ``[check] baseline``) turns on ``max_drop``
    (``{"nps": 5, "csi": 3}`` points), tested for significance at ``alpha`` unless
    ``significance=False``. Segments (``by``) below ``min_n`` rows are not judged, and an
    unjudged rule fails unless ``allow_unjudged``.
    """
    from csitool.stats.check import check as _check

    spec = survey.settings.check.merged(
        min_nps=min_nps,
        min_csi=min_csi,
        min_n=min_n,
        max_detractors=max_detractors,
        min_top_box=min_top_box,
        max_excluded=max_excluded,
        by=tuple(by),
        require=tuple(require),
        max_missing=max_missing,
        baseline=str(baseline) if isinstance(baseline, str | Path) else None,
        max_drop=max_drop,
        alpha=alpha,
        significance=significance,
        allow_unjudged=allow_unjudged,
    )
    before: Any = baseline
    if before is None and spec.baseline:
        before = spec.baseline
    if isinstance(before, str | Path):
        s = survey.settings
        before = load(
            before,
            config=s.config_path,
            format_hint=s.format_hint,
            complete_only=s.complete_only,
        )
    return _check(survey, spec, before)


#: the API functions that are the statistics' own, imported when first used (``import csitool``
#: stays light: the command line imports this package before it knows what it will run)
LAZY = {"score": "csitool.stats.score", "drivers": "csitool.stats.drivers"}


def __getattr__(name: str) -> Any:
    if name in LAZY:
        import importlib

        found = getattr(importlib.import_module(LAZY[name]), name)
        globals()[name] = found
        return found
    raise AttributeError(f"module 'csitool' has no attribute {name!r}")


def _by(survey: Survey, by: str | None, **options: Any) -> tuple[Any, Any]:
    from csitool.stats.score import score

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
