"""Options shared by commands, error translation, and loading a survey from options."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from csitool.errors import EXIT_BUG, CsiError

STATE = {"debug": False}
F = TypeVar("F", bound=Callable[..., Any])


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class InspectFormat(StrEnum):
    table = "table"
    json = "json"


class Lang(StrEnum):
    en = "en"
    ko = "ko"


class CiMethod(StrEnum):
    adjusted_wald = "adjusted-wald"
    wald = "wald"


ROLES = "Column roles"
READING = "Reading"

Files = Annotated[
    list[str],
    typer.Argument(help="Survey export(s): .xlsx .xlsm .xls .ods .csv .tsv .txt, or - for stdin."),
]
File = Annotated[str, typer.Argument(help="Survey export, or - for standard input.")]
Nps = Annotated[
    str | None,
    typer.Option("--nps", help="The 0-10 likelihood-to-recommend column.", rich_help_panel=ROLES),
]
Sat = Annotated[
    str | None,
    typer.Option("--sat", help="The overall satisfaction column.", rich_help_panel=ROLES),
]
Attr = Annotated[
    list[str] | None,
    typer.Option(
        "--attr",
        help="Attribute item column or glob pattern (repeatable), e.g. 'Q5_*'.",
        rich_help_panel=ROLES,
    ),
]
Segment = Annotated[
    list[str] | None,
    typer.Option("--segment", help="Segment column (repeatable).", rich_help_panel=ROLES),
]
Weight = Annotated[
    str | None, typer.Option("--weight", help="Survey weight column.", rich_help_panel=ROLES)
]
Id = Annotated[
    str | None, typer.Option("--id", help="Respondent id column.", rich_help_panel=ROLES)
]
Date = Annotated[
    str | None, typer.Option("--date", help="Response date column.", rich_help_panel=ROLES)
]
Comment = Annotated[
    str | None, typer.Option("--comment", help="Open comment column.", rich_help_panel=ROLES)
]
Sheet = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        help="Sheet name or number (1 = first). Default: first sheet with data.",
        rich_help_panel=READING,
    ),
]
HeaderRow = Annotated[
    int | None,
    typer.Option(
        "--header-row",
        min=1,
        help="Row holding the column names (1 = first row, as Excel numbers rows; for text "
        "files the line). Rows above it are skipped. Default: found below any title rows.",
        rich_help_panel=READING,
    ),
]
Encoding = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding (e.g. cp949, utf-8, utf-16). Default: detected.",
        rich_help_panel=READING,
    ),
]
Config = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="csitool.toml to use. Default: ./csitool.toml if present.",
        rich_help_panel=READING,
    ),
]
Strict = Annotated[
    bool,
    typer.Option(
        "--strict", help="Fail (exit 3) if any row holds an invalid value.", rich_help_panel=READING
    ),
]
LangOption = Annotated[
    Lang | None,
    typer.Option("--lang", help="Language of the terminal tables and sentences: en or ko (en)."),
]
FormatHint = Annotated[
    str | None,
    typer.Option(
        "--format-hint",
        help="Force the layout: plain, qualtrics, surveymonkey, google, typeform, msforms, spss.",
        rich_help_panel=READING,
    ),
]
CompleteOnly = Annotated[
    bool,
    typer.Option(
        "--complete-only",
        help="Leave out responses the platform marks unfinished (Qualtrics Finished = 0, ...).",
        rich_help_panel=READING,
    ),
]
ShowExcluded = Annotated[
    bool,
    typer.Option(
        "--show-excluded", help="List every row left out, with its row number in the file."
    ),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file (atomically) instead of standard output."
    ),
]


def handle_errors(fn: F) -> F:
    """Turn a CsiError into its message and exit code; any other exception into exit 70."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CsiError as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except (SystemExit, GeneratorExit):
            raise
        except BaseException as exc:  # a native library's panic (pyo3) is a BaseException
            if STATE["debug"] or os.environ.get("CSITOOL_DEBUG"):
                raise
            from csitool import __version__

            typer.echo(
                f"Error: internal error in csitool {__version__} ({type(exc).__name__}: {exc}). "
                "This is a bug: please report it with the command you ran; "
                "--debug shows the traceback.",
                err=True,
            )
            raise typer.Exit(EXIT_BUG) from None

    return wrapper  # type: ignore[return-value]


def role_spec(
    nps: str | None = None,
    sat: str | None = None,
    attr: list[str] | None = None,
    segment: list[str] | None = None,
    weight: str | None = None,
    id: str | None = None,
    date: str | None = None,
    comment: str | None = None,
) -> Any:
    from csitool.config import RoleSpec

    return RoleSpec(
        nps=nps,
        sat=sat,
        attrs=tuple(attr or ()),
        segment=tuple(segment or ()),
        weight=weight,
        id=id,
        date=date,
        comment=comment,
    )


def load_survey(
    path: str,
    roles: Any,
    *,
    sheet: str | None,
    encoding: str | None,
    config: Path | None,
    strict: bool,
    format_hint: str | None = None,
    complete_only: bool = False,
    header_row: int | None = None,
) -> Any:
    """Settings from csitool.toml + options, then read and interpret the file."""
    from csitool.survey.build import open_survey

    survey = open_survey(
        path,
        roles,
        sheet=sheet,
        encoding=encoding,
        config=config,
        strict=strict,
        format_hint=format_hint,
        complete_only=complete_only,
        header_row=header_row,
    )
    say_notes(survey.path, survey.notes)
    return survey


def say_notes(path: str, notes: list[Any]) -> None:
    """Warnings (and recodes such as reversed scales) on standard error, one line each."""
    from csitool.notes import loud

    for note in loud(notes):
        word = "Warning" if note.is_warning else "Note"
        typer.echo(f"{word}: {path}: {note.message}", err=True)


def emit(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output`` (never over an input file)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    write_atomic(output, text)


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    from csitool.io.write import write_bytes_atomic

    write_bytes_atomic(path, text.encode("utf-8"))


def refuse_input_overwrite(output: Path | None, inputs: list[str]) -> None:
    from csitool.errors import UsageError

    if output is None:
        return
    for src in inputs:
        if src != "-" and Path(src).exists() and Path(src).resolve() == output.resolve():
            raise UsageError(
                f"Error: --output {output} is one of the input files; choose another name."
            )
