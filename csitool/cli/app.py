"""The ``csitool`` Typer application."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from csitool import __version__
from csitool.cli import (
    check_cmd,
    compare_cmd,
    drivers_cmd,
    inspect_cmd,
    report_cmd,
    score_cmd,
    voc_cmd,
)
from csitool.cli.common import STATE


def _help_types() -> None:
    """``--help`` shows an argument's metavar (``FILE...``) and a flag bare, not their Python
    types (``<list[str]>``, ``<bool>``): Typer's help prints a type column for both."""
    from typer import core

    argument_type = core.TyperArgument.display_type_rich
    option_type = core.TyperOption.display_type_rich

    def for_argument(self: core.TyperArgument, ctx: Any) -> str | None:
        return None if self.metavar else argument_type(self, ctx)

    def for_option(self: core.TyperOption, ctx: Any) -> str | None:
        return None if getattr(self, "is_flag", False) else option_type(self, ctx)

    core.TyperArgument.display_type_rich = for_argument  # type: ignore[method-assign,assignment]
    core.TyperOption.display_type_rich = for_option  # type: ignore[method-assign,assignment]


_help_types()

app = typer.Typer(
    name="csitool",
    help="Customer-satisfaction survey analysis: CSI and NPS with honest intervals, "
    "and the very-vs-somewhat satisfied ladder.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csitool {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
) -> None:
    """Customer-satisfaction survey analysis: CSI and NPS with honest intervals."""
    STATE["debug"] = debug


app.command("score")(score_cmd.score)
app.command("drivers")(drivers_cmd.drivers)
app.command("report")(report_cmd.report)
app.command("compare")(compare_cmd.compare)
app.command("voc")(voc_cmd.voc)
app.command("check")(check_cmd.check)
app.command("inspect")(inspect_cmd.inspect)
app.command("init")(inspect_cmd.init)


def main() -> None:
    """Console-script entry point: tolerant streams, the app, then a checked final flush."""
    import sys

    from csitool.cli import streams
    from csitool.config import one_blas_thread

    one_blas_thread()  # before numpy loads; OPENBLAS_NUM_THREADS and the like still win
    streams.prepare()
    try:
        app()
    except SystemExit as exc:
        code = streams.finish(exc.code)
    else:
        code = streams.finish(0)
    sys.exit(code)
