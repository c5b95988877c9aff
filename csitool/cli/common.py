"""Options shared by commands, error translation, and loading a survey from options."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from csitool.cli.options import F, Opt, expand, opt
from csitool.cli.options import InspectFormat as InspectFormat
from csitool.cli.options import Lang as Lang
from csitool.cli.options import TableFormat as TableFormat
from csitool.config import Reading, RoleSpec
from csitool.errors import (
    EXIT_BUG,
    ColumnError,
    CsiError,
    MissingFileError,
    MissingRoleError,
    OutputError,
    ReadError,
    SettingError,
    StrictError,
)
from csitool.notes import spelling

STATE = {"debug": False}
BUG_DETAIL_LIMIT = 500  # characters of an unexpected exception's text in the bug message


ROLES = "Column roles"
READING = "Reading"

Files = Annotated[
    list[str],
    typer.Argument(
        metavar="FILE",
        help="Survey export(s): .xlsx .xlsm .xls .ods .csv .tsv .txt, or - for stdin.",
    ),
]
File = Annotated[str, typer.Argument(help="Survey export, or - for standard input.")]


def role(kind: Any, name: str, help: str, **kw: Any) -> Opt:
    return opt(kind, name, help=help, rich_help_panel=ROLES, **kw)


def setting(kind: Any, name: str, help: str, **kw: Any) -> Opt:
    return opt(kind, name, help=help, rich_help_panel=READING, **kw)


#: The role and reading options every command that reads a survey takes, in the order
#: ``--help`` lists them, with their defaults: written once, added by ``reading_options``.
SHARED_OPTIONS: dict[str, Opt] = {
    "nps": role(str | None, "--nps", "The 0-10 likelihood-to-recommend column."),
    "sat": role(str | None, "--sat", "The overall satisfaction column."),
    "attr": role(
        list[str] | None,
        "--attr",
        metavar="COLUMN",
        help="Attribute item column or glob pattern (repeatable), e.g. 'Q5_*'.",
    ),
    "segment": role(
        list[str] | None, "--segment", "Segment column (repeatable).", metavar="COLUMN"
    ),
    "weight": role(str | None, "--weight", "Survey weight column."),
    "id": role(str | None, "--id", "Respondent id column."),
    "date": role(str | None, "--date", "Response date column."),
    "comment": role(str | None, "--comment", "Open comment column."),
    "sheet": setting(
        str | None, "--sheet", "Sheet name or number (1 = first). Default: first sheet with data."
    ),
    "header_row": setting(
        int | None,
        "--header-row",
        min=1,
        help="Row holding the column names (1 = first row, as Excel numbers rows; for text "
        "files the line). Rows above it are skipped. Default: found below any title rows.",
    ),
    "encoding": setting(
        str | None, "--encoding", "Text encoding (e.g. cp949, utf-8, utf-16). Default: detected."
    ),
    "config": setting(
        Path | None, "--config", "csitool.toml to use. Default: ./csitool.toml if present."
    ),
    "strict": setting(
        bool, "--strict", "Fail (exit 3) if any row holds an invalid value.", default=False
    ),
    "format_hint": setting(
        str | None,
        "--format-hint",
        "Force the layout: plain, qualtrics, surveymonkey, google, typeform, msforms, spss.",
    ),
    "complete_only": setting(
        bool,
        "--complete-only",
        default=False,
        help="Leave out responses the platform marks unfinished (Qualtrics Finished = 0, ...).",
    ),
}
ROLE_NAMES = ("nps", "sat", "attr", "segment", "weight", "id", "date", "comment")
READ_PARAM = "read"


def options_bundle(names: Sequence[str]) -> Callable[[F], F]:
    """A decorator that gives a command the shared options ``names`` and hands their values
    to it as one :class:`~csitool.config.Reading` in its keyword-only parameter ``read``."""
    chosen = {name: SHARED_OPTIONS[name] for name in names}
    return lambda fn: expand(fn, READ_PARAM, chosen, reading)


#: every role and reading option (score, drivers, compare, voc, check, inspect, report)
reading_options = options_bundle(tuple(SHARED_OPTIONS))
#: where the table is in the file, no roles and no config (init)
table_options = options_bundle(("sheet", "header_row", "encoding"))


def reading(values: dict[str, Any]) -> Reading:
    """The shared options' values (by parameter name) as one
    :class:`~csitool.config.Reading`: ``--attr`` and ``--segment`` become tuples."""
    values = dict(values)
    roles = {k: values.pop(k, None) for k in ROLE_NAMES}
    attrs, segment = tuple(roles.pop("attr") or ()), tuple(roles.pop("segment") or ())
    return Reading(roles=RoleSpec(attrs=attrs, segment=segment, **roles), **values)


def handle_errors(fn: F) -> F:
    """Turn a CsiError into its message and exit code; any other exception into exit 70."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from csitool.cli import streams
        from csitool.render.fmt import safe

        try:
            with spelling(cli_spelling):  # notes name the options (--nps COLUMN)
                return fn(*args, **kwargs)
        except OutputError as exc:
            typer.echo(output_message(exc), err=True)
            raise typer.Exit(exc.exit_code) from None
        except CsiError as exc:
            typer.echo(safe(cli_message(exc), keep="\n"), err=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except OSError as exc:
            if not streams.is_write_error(exc) or STATE["debug"]:
                raise _bug(exc) from None
            raise typer.Exit(streams.write_failed(exc)) from None
        except Exception as exc:
            raise _bug(exc) from None
        except (SystemExit, GeneratorExit):
            raise
        except BaseException as exc:  # a native library's panic (pyo3) is a BaseException
            raise _bug(exc) from None

    return wrapper  # type: ignore[return-value]


def _bug(exc: BaseException) -> BaseException:
    """An unexpected exception: re-raised with --debug, else one line and exit 70."""
    if STATE["debug"] or os.environ.get("CSITOOL_DEBUG"):
        return exc
    from csitool import __version__
    from csitool.render.fmt import safe

    detail = safe(str(exc))
    if len(detail) > BUG_DETAIL_LIMIT:
        detail = detail[:BUG_DETAIL_LIMIT] + "…"
    typer.echo(
        f"Error: internal error in csitool {__version__} ({type(exc).__name__}: {detail}). "
        "This is a bug: please report it with the command you ran; "
        "--debug shows the traceback.",
        err=True,
    )
    return typer.Exit(EXIT_BUG)


def inputs(files: Sequence[str]) -> list[str]:
    """The files named, each folder replaced by the survey files in it (sorted; as
    ``report`` reads a folder). A folder with none is a usage error."""
    if not any(f != "-" and Path(f).is_dir() for f in files):
        return list(files)
    from csitool.batch import collect_inputs
    from csitool.errors import UsageError

    found = [str(p) for p in collect_inputs(files, recursive=False)]
    if not found:
        raise UsageError("Error: no survey files found in " + ", ".join(files) + ".")
    return found


def load(path: str, read: Reading, *, strict: bool | None = None, lang: str = "en") -> Any:
    """Settings from csitool.toml + options, then read and interpret the file; its warnings
    go to standard error (in ``lang``). ``strict`` overrides ``--strict`` (a baseline is read
    leniently)."""
    from csitool.survey.build import read_survey

    if strict is not None:
        read = replace(read, strict=strict)
    survey = read_survey(path, read)
    say_notes(survey.path, survey.notes, lang)
    return survey


def load_comments(
    path: str,
    read: Reading,
    text: Sequence[str] | None,
    *,
    engine: Any,
    by: Sequence[str] = (),
    query: str | None = None,
    jobs: int | None = None,
    spark_master: str | None = None,
    need_rows: bool = False,
    lang: str = "en",
) -> tuple[Any, Any]:
    """For ``voc``: a survey in memory (and None), or one counted by the engine with its
    comments grouped where the data lives (:func:`csitool.survey.engine.open_comments`)."""
    from csitool.survey.engine import choose_engine, open_comments

    chosen = engine.value
    if chosen == "auto":
        chosen = choose_engine(path, "auto", query=query, need_rows=need_rows or read.strict)
    if chosen == "pandas":
        survey = load_any(path, read, engine=engine, by=by, query=query, need_rows=True, lang=lang)
        return survey, None
    survey, counts = open_comments(
        path,
        read,
        tuple(text) if text else None,
        by=tuple(by),
        engine=chosen,
        threads=jobs,
        query=query,
        spark_master=spark_master,
    )
    say_notes(survey.path, survey.notes, lang)
    return survey, counts


def language(opt: Any) -> str:
    """The ``--lang`` a command was given (``en`` when none)."""
    chosen = getattr(opt, "lang", None)
    return chosen.value if chosen else "en"


def say_notes(path: str, notes: list[Any], lang: str = "en") -> None:
    """Warnings (and recodes such as reversed scales) on standard error, one line each."""
    from csitool.notes import loud
    from csitool.render.fmt import safe
    from csitool.render.i18n import note_text, text

    for note in loud(notes):
        word = text("warning" if note.is_warning else "note", lang).capitalize()
        typer.echo(safe(f"{word}: {path}: {note_text(note, lang)}"), err=True)


#: ``Error:`` lines for a refused or failed output, by ``OutputError.problem``
#: (``twice``: one path given twice; ``failed``: anything the system refused)
OUTPUT_MESSAGES = {
    "protected": "{what} is {role}{same}; choose another name.",
    "twice": "{what} would be written twice in this run; give each its own name.",
    "duplicate": "{what} is also where this run writes {role} {other}; give each output its "
    "own name.",
    "stdout": "{label} cannot be standard output ({path}); name a file.",
    "directory": "{what} is a folder; name a file (inside it, e.g. {path}/out.txt).",
    "special": "{what} is a {detail}, not a regular file; name a regular file (or leave the "
    "option out and redirect standard output).",
    "exists": "{what} already exists; pass --force to overwrite it.",
    "no_folder": "cannot write {what}: folder {other} does not exist; create it first "
    "(mkdir -p {other}) or choose another folder.",
    "not_folder": "cannot write {what}: {other} is a file, not a folder; choose another path.",
    "read_only": "cannot write {what}: folder {other} is not writable; choose a folder you can "
    "write to.",
    "failed": "cannot write {what}: {detail}; check the free space and permissions there, or "
    "choose another path.",
}


def output_message(exc: OutputError) -> str:
    """One ``Error:`` line for an output path that was refused or could not be written:
    it names the option and the path as given (never a temporary file) and the fix."""
    other, role = exc.other or "", exc.other_role or ""
    problem = exc.problem if exc.problem in OUTPUT_MESSAGES else "failed"
    if problem == "duplicate" and other == exc.path and role == exc.label:
        problem = "twice"
    detail = (exc.detail or "the system refused") if problem == "failed" else exc.detail
    text = OUTPUT_MESSAGES[problem].format(
        what=f"{exc.label} {exc.path}",
        label=exc.label,
        path=exc.path,
        other=other,
        role=role,
        same="" if other == exc.path else f" ({other}, the same file)",
        detail=detail,
    )
    return "Error: " + text


def flag(name: str) -> str:
    """The option that sets a role or setting of the library: ``attrs`` -> ``--attr``,
    ``format_hint`` -> ``--format-hint``, ``names`` -> ``--wave-names``."""
    return "--" + FLAGS.get(name, name).replace("_", "-")


def cli_spelling(setting: str, value: str | None = None) -> str:
    """A setting as the command line spells it in a message: ``--encoding``,
    ``--encoding utf-8``, ``--header-row N``."""
    return flag(setting) + (f" {value}" if value else "")


#: library names whose option is spelled otherwise
FLAGS = {"attrs": "attr", "names": "wave-names"}

#: ``Error:`` fixes for a missing role, by ``(role, purpose)`` of a MissingRoleError
MISSING_ROLE_MESSAGES = {
    ("sat", "target"): "no overall satisfaction item to explain. "
    "Name it with --sat COLUMN, or choose --target nps or --target COLUMN.",
    ("nps", "target"): "no NPS (0-10) item to explain. "
    "Name it with --nps COLUMN, or choose --target sat or --target COLUMN.",
    ("attrs", "drivers"): "no attribute items to analyse. Name them with --attr "
    "(e.g. --attr 'Q5_*') or [roles] attrs in csitool.toml.",
    ("comment", "voc"): "no comment column found. Name it with --text COLUMN "
    "(repeatable) or [roles] comment in csitool.toml.",
    ("date", "period"): "--period needs a date column; name it with --date COLUMN.",
    ("items", "score"): "no rating item found (no NPS, overall satisfaction or attribute "
    "column), so there is nothing to score. Name them with --nps COLUMN, --sat COLUMN or "
    '--attr COLUMN, or under [roles] in csitool.toml (nps = "...", sat = "...", '
    'attrs = ["..."]). Columns: {columns}.',
    ("items", "report"): "no rating item found (no NPS, overall satisfaction or attribute "
    "column), so there is nothing to report. Name them with --sat COLUMN, --nps COLUMN (and "
    '--attr COLUMN), or in csitool.toml under [roles] (sat = "...", nps = "...", '
    'attrs = ["..."]). Columns: {columns}.',
}


def cli_message(exc: CsiError) -> str:
    """The ``Error:`` text of a library error in the command line's words: the fields of a
    typed error (:class:`ColumnError`, :class:`MissingRoleError`, :class:`SettingError`,
    :class:`OutputError`) worded with the options that set them; any other error's
    ``message`` as it is."""
    if isinstance(exc, OutputError):
        return output_message(exc)
    if isinstance(exc, MissingRoleError):
        fix = MISSING_ROLE_MESSAGES.get((exc.role or "", exc.purpose))
        if fix is None:
            return exc.message
        return f"Error: {exc.path}: " + fix.replace("{columns}", exc.columns_text(exc.choices))
    if isinstance(exc, ColumnError) and exc.role is not None:
        if exc.problem == "is_attribute":
            return exc.explain(flag("attrs"))
        return exc.explain(exc.where(flag(exc.role)))
    if isinstance(exc, SettingError):
        return exc.explain(cli_spelling)
    if isinstance(exc, StrictError) and exc.path:
        return exc.explain("--strict", "drop --strict")
    if isinstance(exc, ReadError):
        return exc.explain(cli_spelling)
    if isinstance(exc, MissingFileError):
        return exc.explain(f"to {flag(exc.setting)}")
    return exc.message


INPUT_ROLE = "one of the input files"
BASELINE_ROLE = "the --baseline file"
CONFIG_ROLE = "the config file in use"
CODEBOOK_ROLE = "the codebook in use"


def guard_outputs(
    targets: list[Any],
    *,
    inputs: Sequence[str | Path] = (),
    config: Path | None = None,
    use_config: bool = True,
    baselines: Sequence[str | Path] = (),
    codebook: Path | None = None,
) -> None:
    """The one check of every path this run writes (``csitool.io.write.check_outputs``):
    never over an input, a baseline, the config (``--config`` or ./csitool.toml) or the
    codebook, nor two outputs on one file, nor a folder, device or FIFO."""
    from csitool.io.write import Kept, check_outputs

    kept = [Kept(Path(p), INPUT_ROLE) for p in inputs if str(p) != "-"]
    kept += [Kept(Path(p), BASELINE_ROLE) for p in baselines if p]
    if use_config:
        found = config if config is not None else Path("csitool.toml")
        if found.exists():
            kept.append(Kept(found, CONFIG_ROLE))
    if codebook is not None:
        kept.append(Kept(codebook, CODEBOOK_ROLE))
    check_outputs([t for t in targets if t is not None], kept)


def output_target(
    path: Path | None, label: str = "--output", *, stdout: bool = True, replace: bool = True
) -> Any:
    """A ``csitool.io.write.Target`` for an output option (None when not given)."""
    from csitool.io.write import Target

    if path is None:
        return None
    return Target(path, label, replace=replace, stdout=stdout)


def to_file(path: Path | None) -> Path | None:
    """``-o -`` and ``-o /dev/stdout`` print like no ``-o`` at all."""
    from csitool.io.write import is_stdout

    return None if path is None or is_stdout(path) else path


def emit(text: str, output: Path | None, label: str = "--output") -> None:
    """Print ``text``, or write it atomically to ``output`` (checked by guard_outputs)."""
    output = to_file(output)
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    write_atomic(output, text, label)


def write_atomic(path: Path, text: str, label: str = "--output") -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    from csitool.io.write import write_bytes_atomic

    write_bytes_atomic(path, text.encode("utf-8"), label)


def render_result(
    command: str,
    format: str,
    output: Path | None,
    results: Sequence[Any],
    *,
    document: Callable[[Any], dict[str, Any]],
    draw: Callable[[Any, Any], None],
    csv: Callable[[], str] | None = None,
    markdown: Callable[[], str] | None = None,
    excluded: Sequence[tuple[list[Any], str]] | None = None,
    draw_excluded: Callable[[list[Any], Any, str], None] | None = None,
) -> None:
    """Print a command's ``results`` (one per file) in ``format``, or write them to
    ``output`` (``-o``, already checked by ``guard_outputs``; ``-o -`` prints).

    ``json``: each result's ``document`` in the envelope; ``csv`` and ``markdown``: the
    text they make; ``table``: each result drawn (``draw(result, console)``) on one console,
    recorded and saved as plain text with ``-o``. ``excluded`` (``--show-excluded``) holds
    each file's rows left out and its path: ``excluded_rows`` in its JSON document, and
    listed after its tables (``draw_excluded``, default the ledger's list)."""
    output = to_file(output)
    if format == "json":
        from csitool.render import jsonout

        docs = [document(r) for r in results]
        if excluded is not None:
            docs = [d | {"excluded_rows": x[0]} for d, x in zip(docs, excluded, strict=True)]
        emit(jsonout.dumps(jsonout.envelope(command, docs)), output)
    elif format in ("csv", "markdown"):
        text = csv if format == "csv" else markdown
        if text is None:
            raise ValueError(f"{command} has no {format} output")
        emit(text(), output)
    else:
        from csitool.render.console import make_console, render_excluded

        console = make_console() if output is None else make_console(record=True)
        for k, result in enumerate(results):
            draw(result, console)
            if excluded is not None:
                rows, path = excluded[k]
                (draw_excluded or render_excluded)(rows, console, path)
        if output is not None:
            write_atomic(output, console.export_text())


def engine_options(opt: Any) -> dict[str, Any]:
    """The engine options a command was given (``--engine --query --jobs --spark-master``)
    and its ``--lang``, as the keyword arguments of :func:`load_any` / :func:`load_comments`."""
    return {
        "engine": opt.engine,
        "query": opt.query,
        "jobs": opt.jobs,
        "spark_master": opt.spark_master,
        "lang": language(opt),
    }


def load_any(
    path: str,
    read: Reading,
    *,
    engine: Any,
    by: Sequence[str] = (),
    query: str | None = None,
    jobs: int | None = None,
    spark_master: str | None = None,
    need_rows: bool = False,
    lang: str = "en",
    facts: tuple[str, ...] | None = None,
    keep_open: bool = False,
    moments: bool = True,
) -> Any:
    """:func:`load`, or a survey counted by the engine ``--engine`` chooses (``facts``: with
    ``check``'s export contract, see :func:`csitool.survey.engine.open_summary`;
    ``keep_open``: the engine stays open to fetch rows; close it with :func:`close`)."""
    from csitool.survey.engine import open_any

    survey = open_any(
        path,
        read,
        engine=engine.value,
        by=tuple(by),
        query=query,
        threads=jobs,
        spark_master=spark_master,
        need_rows=need_rows,
        facts=facts,
        keep_open=keep_open,
        moments=moments,
    )
    say_notes(survey.path, survey.notes, lang)
    return survey


def close(survey: Any) -> None:
    """Close the engine of a survey from :func:`load_any` (nothing for one in memory)."""
    from csitool.survey.engine import SurveySummary

    if isinstance(survey, SurveySummary):
        survey.close()
