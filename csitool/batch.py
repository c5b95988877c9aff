"""Reports for one file or many: collect inputs, analyse each file, write its workbook, and
summarise successes and failures. Files can run in parallel worker processes; each worker
imports the libraries once and the results do not depend on the number of workers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from csitool.config import RoleSpec
from csitool.errors import CsiError, UsageError

INPUT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")
REPORT_SUFFIX = "_report.xlsx"


@dataclass(frozen=True)
class Job:
    """One input and where its workbook goes, with everything needed to analyse it."""

    source: str
    output: str
    roles: RoleSpec
    by: tuple[str, ...] = ()
    lang: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    encoding: str | None = None
    config: str | None = None
    strict: bool = False
    date: str = ""
    format_hint: str | None = None
    complete_only: bool = False


@dataclass
class Outcome:
    """What happened to one input: ``ok`` with the workbook path, or ``failed`` with why."""

    source: str
    status: str
    output: str | None = None
    error: str | None = None
    lang: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def collect_inputs(paths: Iterable[str], recursive: bool) -> list[Path]:
    """Files as given, and the survey files inside folders (sorted; our own ``*_report.xlsx``
    outputs and Excel lock files ``~$*`` skipped)."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = path.rglob("*") if recursive else path.glob("*")
            out.extend(
                sorted(
                    f
                    for f in found
                    if f.is_file()
                    and f.suffix.lower() in INPUT_SUFFIXES
                    and not f.name.endswith(REPORT_SUFFIX)
                    and not f.name.startswith(("~$", "."))
                )
            )
        else:
            out.append(path)
    seen: set[Path] = set()
    unique = []
    for f in out:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def today() -> str:
    return dt.date.today().isoformat()


def build_report(job: Job) -> Any:
    """Load, score and analyse drivers for one job; return the ``Report`` to write."""
    from csitool.errors import CsiError as _CsiError
    from csitool.render.excel import Report
    from csitool.render.i18n import default_lang
    from csitool.stats.drivers import drivers
    from csitool.stats.score import score
    from csitool.survey.build import open_survey

    survey = open_survey(
        job.source,
        job.roles,
        sheet=job.sheet,
        header_row=job.header_row,
        encoding=job.encoding,
        config=Path(job.config) if job.config else None,
        strict=job.strict,
        format_hint=job.format_hint,
        complete_only=job.complete_only,
    )
    if not survey.roles.nps:
        from csitool.errors import ColumnError

        raise ColumnError(
            f"Error: {survey.path}: no NPS (0-10 likelihood to recommend) column found; "
            "name it with --nps COLUMN or [roles] nps in csitool.toml."
        )
    result = score(survey, job.by)
    lang = job.lang or default_lang(str(c) for c in survey.raw.frame.columns)
    found = None
    note = None
    try:
        found = drivers(survey, None, job.by)
    except _CsiError as exc:
        note = exc.message.removeprefix("Error: ")
    from csitool.stats.compare import compare_segments

    letters = compare_segments(survey, job.by, rows=("nps", "csi")) if job.by else None
    voiced = None
    if survey.roles.comment:
        from csitool.stats.codebook import load_codebook
        from csitool.stats.voc import voc

        book = load_codebook(None, survey.settings.voc, survey.settings.config_path)
        voiced, _ = voc(survey, book)
    return Report(
        voc=voiced,
        compare=letters,
        path=survey.path,
        score=result,
        drivers=found,
        drivers_note=note,
        excluded=survey.ledger.excluded(survey.raw.frame),
        lang=lang,
        date=job.date,
        by=list(job.by),
    )


def _figures(report: Any) -> dict[str, Any]:
    t = report.score.total
    d = report.drivers
    return {
        "n_rows": report.score.n_rows,
        "nps": t.nps.score if t.nps else None,
        "csi": t.csi.score if t.csi else None,
        "wow_gap": t.ladder.wow_gap if t.ladder else None,
        "pain_points": [a.column for a in d.total.actions if a.kind == "fix"] if d else [],
        "wow_points": [a.column for a in d.total.actions if a.kind == "promote"] if d else [],
    }


def run_job(job: Job) -> tuple[Outcome, Any]:
    """Do one job; any failure becomes a ``failed`` outcome with a one-line reason."""
    from csitool.render.excel import build_workbook, save_atomic

    try:
        report = build_report(job)
        save_atomic(build_workbook(report), Path(job.output), job.date)
    except CsiError as exc:
        return Outcome(job.source, "failed", error=exc.message.removeprefix("Error: ")), None
    except Exception as exc:  # one bad file must not stop the batch
        return Outcome(job.source, "failed", error=f"{type(exc).__name__}: {exc}"), None
    return Outcome(job.source, "ok", job.output, lang=report.lang, figures=_figures(report)), report


def _run_job_light(job: Job) -> tuple[Outcome, Any]:
    """For worker processes: the report travels back only when a combined workbook needs it."""
    return run_job(job)


def run_batch(
    jobs: list[Job],
    *,
    workers: int = 1,
    keep_reports: bool = False,
    progress: Callable[[Outcome], None] | None = None,
) -> tuple[list[Outcome], list[Any]]:
    """Run every job (in input order in the results, whatever the number of workers)."""
    outcomes: list[Outcome | None] = [None] * len(jobs)
    reports: list[Any] = [None] * len(jobs)
    if workers <= 1 or len(jobs) <= 1:
        for k, job in enumerate(jobs):
            outcome, report = run_job(job)
            outcomes[k], reports[k] = outcome, report if keep_reports else None
            if progress:
                progress(outcome)
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_run_job_light, job): k for k, job in enumerate(jobs)}
            for fut in as_completed(futures):
                k = futures[fut]
                outcome, report = fut.result()
                outcomes[k], reports[k] = outcome, report if keep_reports else None
                if progress:
                    progress(outcome)
    return [o for o in outcomes if o is not None], [r for r in reports if r is not None]


def plan_outputs(
    inputs: list[Path], output: Path | None, out_dir: Path | None, force: bool
) -> list[str]:
    """Where each workbook goes; refuses (exit 2) to overwrite an input, or an existing
    output without ``force``."""
    if output is not None and len(inputs) != 1:
        raise UsageError(
            f"Error: --output names one workbook but {len(inputs)} inputs were given; "
            "use --out-dir for a batch."
        )
    targets: list[Path] = []
    for src in inputs:
        if output is not None:
            targets.append(output)
        else:
            folder = out_dir if out_dir is not None else src.parent
            targets.append(folder / f"{src.stem}{REPORT_SUFFIX}")
    seen: set[Path] = set()
    for t in targets:
        if t.resolve() in seen:
            raise UsageError(
                f"Error: two inputs would both write {t}; give them different names or folders."
            )
        seen.add(t.resolve())
        check_target(t, inputs, force)
    return [str(t) for t in targets]


def check_target(target: Path, inputs: list[Path], force: bool) -> None:
    """Refuse (exit 2) to write over an input, or over an existing file without ``force``."""
    if target.resolve() in {s.resolve() for s in inputs if s.exists()}:
        raise UsageError(f"Error: {target} is one of the input files; choose another output name.")
    if target.exists() and not force:
        raise UsageError(f"Error: {target} already exists; pass --force to overwrite it.")
