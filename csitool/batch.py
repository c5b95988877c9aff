"""Reports for one file or many: collect inputs, analyse each file, write its workbook, and
summarise successes and failures. Files can run in parallel worker processes; each worker
imports the libraries once and the results do not depend on the number of workers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from csitool.config import Reading, one_blas_thread
from csitool.errors import (
    EXIT_INPUT,
    ConfigError,
    CsiError,
    MissingFileError,
    MissingRoleError,
    SettingError,
)
from csitool.io.read import INPUT_SUFFIXES
from csitool.io.write import Target
from csitool.notes import use_spelling

REPORT_SUFFIX = "_report.xlsx"
#: The kinds of report file ``report`` writes (``--format``), each as ``<name>_report.<kind>``.
REPORT_KINDS = ("xlsx", "html", "pdf")


def _worker_start() -> None:
    """Worker processes: one BLAS thread each (their parallelism is the processes)."""
    one_blas_thread(force=True)


@dataclass(frozen=True)
class Job:
    """One input and where its report goes, with everything needed to analyse it."""

    source: str
    output: str
    reading: Reading = field(default_factory=Reading)
    by: tuple[str, ...] = ()
    lang: str | None = None
    date: str = ""
    #: the report file to write: ``xlsx`` (workbook), ``html`` (one page) or ``pdf``
    kind: str = "xlsx"
    #: how the caller words an error (the command line: with its options); a module-level
    #: function, so a job travels to a worker process. Default: the error's ``message``
    word: Callable[[CsiError], str] | None = None
    #: how notes spell a setting (:func:`csitool.notes.use_spelling`), set again in a worker
    #: process that does not inherit the caller's; default: as the caller set it
    spell: Callable[[str, str | None], str] | None = None
    #: ``auto``, ``pandas``, ``duckdb`` or ``spark`` (:func:`csitool.survey.engine.open_any`)
    engine: str = "auto"
    #: with a DuckDB database source: the rows of this query
    query: str | None = None
    #: threads of the DuckDB or Spark engine (None: all cores; see :func:`engine_threads`)
    threads: int | None = None
    spark_master: str | None = None

    def reason(self, exc: CsiError) -> str:
        """``exc`` as one line for the summary and the workbook: worded by ``word``,
        without the ``Error:`` that a message to the terminal starts with."""
        text = self.word(exc) if self.word else exc.message
        return text.removeprefix("Error: ")


@dataclass
class Outcome:
    """What happened to one input: ``ok`` with the workbook path, or ``failed`` with why."""

    source: str
    status: str
    output: str | None = None
    error: str | None = None
    lang: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    exit_code: int | None = None  # a failed input's CsiError exit code (not in the JSON)
    warnings: list[str] = field(default_factory=list)  # uncertain readings, recodes

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        del out["exit_code"]
        return out


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


def engine_threads(workers: int, files: int) -> int | None:
    """Threads each DuckDB or Spark engine gets when ``workers`` files run at once: the
    cores shared among the files in flight (at least one each), so that ``--jobs`` files
    together use the machine's cores once; None (every core) when one file runs at a time."""
    import os

    in_flight = min(workers, files)
    if in_flight <= 1:
        return None
    return max(1, (os.cpu_count() or 1) // in_flight)


def column_names(survey: Any) -> list[str]:
    """The columns of a survey read into memory or counted by an engine."""
    columns = getattr(survey, "columns", None)
    if isinstance(columns, list):
        return [str(c) for c in columns]
    return [str(c) for c in survey.raw.frame.columns]


def today() -> str:
    return dt.date.today().isoformat()


SEGMENT_MIN_VALUES = 2
SEGMENT_MAX_VALUES = 20


def report_segments(survey: Any, by: tuple[str, ...]) -> tuple[list[str], list[tuple[str, int]]]:
    """The Segments sheet's columns and the detected ones left out with their number of values.

    ``--by`` wins when given (every column, as asked). Otherwise the detected segment
    columns (``survey.roles.segment``) with 2..20 values (blank answers not counted) are
    used; the others come back as ``(column, number of values)``: one value compares
    nothing, and more than 20 make a sheet nobody reads.
    """
    if by:
        return list(by), []
    used: list[str] = []
    skipped: list[tuple[str, int]] = []
    for col in survey.roles.segment:
        values = survey.segment_values(col)
        k = sum(v != "(blank)" for v in values)
        if SEGMENT_MIN_VALUES <= k <= SEGMENT_MAX_VALUES:
            used.append(col)
        else:
            skipped.append((col, k))
    return used, skipped


def no_rating_items(survey: Any) -> MissingRoleError:
    """The error for a survey with no NPS, satisfaction or attribute item: names the file,
    the columns it has and the settings or config lines that name the items."""
    columns = tuple(column_names(survey))
    return MissingRoleError(survey.path, "items", "report", columns)


def load_codebook(path: Path | None, config_voc: dict[str, Any] | None, config_path: Any) -> Any:
    """``--codebook FILE``, else ``[voc]`` themes in csitool.toml, else the built-in one.

    The file is read here (through :mod:`csitool.io`) so that :mod:`csitool.stats` only
    parses; returns a :class:`~csitool.stats.codebook.Codebook`.
    """
    import tomllib

    from csitool.io.textfile import read_toml
    from csitool.stats.codebook import choose_codebook, codebook_from_toml

    given = None
    if path is not None:
        if not path.is_file():
            raise MissingFileError(str(path), "codebook")
        try:
            text, data = read_toml(path)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(
                f"Error: cannot read codebook {path}: {exc}. Fix the line it names."
            ) from exc
        given = codebook_from_toml(data, text, str(path))
    return choose_codebook(given, config_voc, config_path)


SENTIMENT_MODEL = "sentiment_model.npz"
_MODEL: list[Any] = []


def load_sentiment_model() -> Any:
    """The comment sentiment model shipped in ``csitool/data/`` (read once per process), or
    None when the file is missing (``voc`` then falls back to the lexicon and says so).
    Returns a :class:`~csitool.stats.sentiment.SentimentModel`."""
    if not _MODEL:
        from csitool.io.resources import read_npz
        from csitool.stats.sentiment import SentimentModel

        arrays = read_npz(SENTIMENT_MODEL)
        _MODEL.append(None if arrays is None else SentimentModel.from_arrays(arrays))
    return _MODEL[0]


MORPHEME_CACHE = "morphemes.json"  # Kiwi's morpheme starts per word (csitool.io.cache)


@contextmanager
def morpheme_cache() -> Iterator[None]:
    """Kiwi's morpheme starts kept between runs: the words a cache file holds (for this
    analyser, :func:`csitool.stats.morph.analyser`) are not analysed again, and the words
    analysed inside the block are added to the file afterwards (even when the block fails).

    Kiwi's start-up (its model load and first call, one to two seconds) is paid only by a
    run that meets a word no earlier run met; ``voc`` on a folder of exports, or the same
    survey scheduled every week, rarely does. The starts of a word never depend on the
    comments it came from, so no figure changes; ``CSITOOL_CACHE_DIR=none`` turns it off.
    """
    from csitool.io.cache import read_cached, write_cached
    from csitool.stats import morph

    if not morph.available():
        yield
        return
    who = morph.analyser()
    stored = _stored_starts(read_cached(MORPHEME_CACHE), who)
    morph.remember(stored)
    try:
        yield
    finally:
        new = {w: s for w, s in morph.learnt().items() if w not in stored}
        if new:  # read again: another run may have added words meanwhile
            now = _stored_starts(read_cached(MORPHEME_CACHE), who)
            write_cached(MORPHEME_CACHE, {"analyser": who, "starts": {**now, **new}})


def _stored_starts(value: Any, who: str) -> dict[str, list[int]]:
    """The starts of a cache file's JSON when it was written by analyser ``who``; entries
    that are not a word and a list of offsets are left out."""
    if not isinstance(value, dict) or value.get("analyser") != who:
        return {}
    starts = value.get("starts")
    if not isinstance(starts, dict):
        return {}
    return {
        w: s
        for w, s in starts.items()
        if isinstance(w, str)
        and isinstance(s, list)
        and all(isinstance(k, int) and not isinstance(k, bool) and 0 <= k <= len(w) for k in s)
    }


def build_report(job: Job) -> Any:
    """Load, score and analyse drivers for one job; return the ``Report`` to write.

    The survey comes from :func:`csitool.survey.engine.open_any`: read into memory
    (``pandas``), or counted by DuckDB or Spark with every detected segment column counted
    in the same pass and the engine kept open for the drivers' rows and the comments
    (closed before returning, whatever happens). The same statistics run on either.

    A survey needs at least one rating item (NPS, overall satisfaction or an attribute);
    the sheets that need the missing ones say so. Drivers explain the overall satisfaction
    item, else the NPS item; with neither (or no attributes) there is no drivers analysis
    and the workbook says why.
    """
    from csitool.survey.engine import SurveySummary, open_any

    survey = open_any(
        job.source,
        job.reading,
        engine=job.engine,
        by=job.by,
        query=job.query,
        threads=job.threads,
        spark_master=job.spark_master,
        keep_open=True,
        segments=not job.by,  # --by names the Segments sheet's columns: count only those
    )
    try:
        return _analyse(job, survey)
    finally:
        if isinstance(survey, SurveySummary):
            survey.close()


def _analyse(job: Job, survey: Any) -> Any:
    """The report of one survey (in memory or counted by an engine, see :func:`build_report`)."""
    from csitool.render.excel import MAX_EXCLUDED_LISTED, Report
    from csitool.render.i18n import default_lang
    from csitool.stats.drivers import drivers
    from csitool.stats.score import score
    from csitool.survey.model import Survey

    roles = survey.roles
    if not roles.items():
        raise no_rating_items(survey)
    by, skipped = report_segments(survey, job.by)
    result = score(survey, by)
    lang = job.lang or default_lang(column_names(survey))
    found = None
    note = None
    has_target = bool(roles.sat or roles.nps or survey.settings.drivers.target)
    if has_target and roles.attrs:
        try:
            found = drivers(survey, None, job.by)
        except CsiError as exc:
            note = job.reason(exc)
    from csitool.stats.compare import compare_segments

    letters = compare_segments(survey, by, rows=("nps", "csi"), scored=result) if by else None
    voiced = None
    if roles.comment:
        from csitool.stats.voc import voc

        book = load_codebook(None, survey.settings.voc, survey.settings.config_path)
        counts = None if isinstance(survey, Survey) else survey.comments()
        with morpheme_cache():
            voiced, _ = voc(
                survey, book, model=load_sentiment_model(), counts=counts, per_row=False
            )
    if isinstance(survey, Survey):
        excluded = survey.ledger.excluded(survey.raw.frame, limit=MAX_EXCLUDED_LISTED)
        counted = survey.ledger.exclusion_counts()
    else:  # an engine counts the exclusions; listing their rows needs the file in memory
        excluded, counted = [], survey.exclusion_counts()
    return Report(
        voc=voiced,
        compare=letters,
        path=survey.path,
        score=result,
        drivers=found,
        drivers_note=note,
        excluded=excluded,
        excluded_counts=counted,
        excluded_listed=isinstance(survey, Survey),
        engine="pandas" if isinstance(survey, Survey) else survey.engine,
        lang=lang,
        date=job.date,
        by=by,
        by_detected=not job.by and bool(by),
        segments_skipped=skipped,
        segment_values=(SEGMENT_MIN_VALUES, SEGMENT_MAX_VALUES),
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


def save_report(report: Any, path: Path, kind: str, date: str) -> None:
    """Write ``report`` to ``path`` as a workbook (``xlsx``), an HTML page (``html``) or a
    PDF printed from that page by Chromium (``pdf``), atomically."""
    if kind == "xlsx":
        from csitool.render.excel import build_workbook, save_atomic

        save_atomic(build_workbook(report), path, date, "workbook")
        return
    from csitool.render.html import build_html

    page = build_html(report)
    if kind == "pdf":
        from csitool.render.browser import print_pdf

        print_pdf(page, path, "report")
    else:
        from csitool.io.write import write_bytes_atomic

        write_bytes_atomic(path, page.encode("utf-8"), "report")


def run_job(job: Job) -> tuple[Outcome, Any]:
    """Do one job; any failure becomes a ``failed`` outcome with a one-line reason."""
    if job.spell is not None:
        use_spelling(job.spell)
    try:
        report = build_report(job)
        save_report(report, Path(job.output), job.kind, job.date)
    except CsiError as exc:
        error = job.reason(exc)
        return Outcome(job.source, "failed", error=error, exit_code=exc.exit_code), None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # one bad file must not stop the batch, and
        # a native reader's panic (pyo3 PanicException) is a BaseException
        return Outcome(job.source, "failed", error=f"{type(exc).__name__}: {exc}"), None
    from csitool.notes import loud

    told = [n.message for n in loud(report.score.notes)]
    outcome = Outcome(
        job.source, "ok", job.output, lang=report.lang, figures=_figures(report), warnings=told
    )
    return outcome, report


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

        def record(k: int, result: tuple[Outcome, Any]) -> None:
            outcome, report = result
            outcomes[k], reports[k] = outcome, report if keep_reports else None
            if progress:
                progress(outcome)

        _run_pool(jobs, workers, record)
    return [o for o in outcomes if o is not None], [r for r in reports if r is not None]


def _run_pool(
    jobs: list[Job], workers: int, record: Callable[[int, tuple[Outcome, Any]], None]
) -> None:
    """Run jobs in a process pool, keeping at most ``workers`` in flight.

    A worker that dies (a native reader aborting, a signal) breaks a
    ``ProcessPoolExecutor`` and every job in it. Only the jobs in flight can be the cause:
    each of them is run again alone in its own process (:func:`_run_alone`), where a death
    becomes a failed outcome for that file only; the jobs not yet started go to a fresh pool.
    """
    from collections import deque
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    waiting = deque(range(len(jobs)))
    while waiting:
        suspects: list[int] = []
        with ProcessPoolExecutor(max_workers=workers, initializer=_worker_start) as pool:
            running: dict[Future[tuple[Outcome, Any]], int] = {}
            while (waiting or running) and not suspects:
                while waiting and len(running) < workers:
                    k = waiting.popleft()
                    running[pool.submit(_run_job_light, jobs[k])] = k
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    k = running.pop(fut)
                    try:
                        record(k, fut.result())
                    except BrokenProcessPool:
                        suspects.append(k)
            suspects.extend(running.values())
        for k in sorted(suspects):
            record(k, _run_alone(jobs[k]))


def _alone_target(job: Job, conn: Any) -> None:
    _worker_start()
    conn.send(_run_job_light(job))
    conn.close()


def _run_alone(job: Job) -> tuple[Outcome, Any]:
    """Run one job in a process of its own; if that process dies, the job failed."""
    import multiprocessing
    import signal

    ctx = multiprocessing.get_context()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_alone_target, args=(job, send))
    proc.start()
    send.close()
    try:
        result: tuple[Outcome, Any] = receive.recv()
    except EOFError:
        result = None  # type: ignore[assignment]
    finally:
        receive.close()
        proc.join()
    if result is not None:
        return result
    code = proc.exitcode or 0
    how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
    error = (
        f"{job.source}: the file made csitool's reader crash ({how}). It is damaged or "
        "crafted: open it in Excel (or LibreOffice), save a copy and report the copy; if it "
        "still crashes, please report it as a bug."
    )
    return Outcome(job.source, "failed", error=error, exit_code=EXIT_INPUT), None


def single_input_error(inputs: list[str], outcomes: list[Outcome]) -> CsiError | None:
    """The error to exit with when one file (not a folder) was given and it could not be
    read or understood: a single report then fails like every other command (exit 3 with
    the message), while a batch lists its failures and exits 1."""
    if len(inputs) != 1 or Path(inputs[0]).is_dir() or len(outcomes) != 1:
        return None
    o = outcomes[0]
    if o.status == "ok" or o.exit_code is None:
        return None
    err = CsiError(f"Error: {o.error}")
    err.exit_code = o.exit_code
    return err


def plan_outputs(
    inputs: list[Path], output: Path | None, out_dir: Path | None, force: bool, kind: str = "xlsx"
) -> list[Target]:
    """Where each report goes (``--output``, else ``<name>_report.<kind>`` in ``out_dir`` or
    beside its input), as targets for ``csitool.io.write.check_outputs``: an existing
    report is replaced only with ``force``; ``out_dir`` is created if missing."""
    if output is not None and len(inputs) != 1:
        raise SettingError("output", "one_output", count=len(inputs))
    if output is not None:
        return [Target(output, "--output", replace=force)]
    return [
        Target(
            (out_dir if out_dir is not None else src.parent) / f"{src.stem}_report.{kind}",
            "workbook" if kind == "xlsx" else "report",
            replace=force,
            make_parent=out_dir is not None,
        )
        for src in inputs
    ]
