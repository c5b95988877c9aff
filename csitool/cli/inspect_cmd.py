"""``csitool inspect`` (what was read and how each column is understood) and ``csitool init``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csitool.cli import common as c


@c.handle_errors
@c.reading_options
def inspect(
    file: c.File,
    format: c.InspectFormatOption = c.InspectFormat.table,
    show_excluded: c.ShowExcluded = False,
    *,
    read: c.Reading,
) -> None:
    """Show what was read: format, encoding, sheet, rows, each column's role, scale and labels,
    and the data-quality summary."""
    from csitool.render.console import render_inspect
    from csitool.render.inspect_view import inspect_dict

    survey = c.load(file, read)
    c.render_result(
        "inspect",
        format,
        None,
        [survey],
        document=inspect_dict,
        draw=render_inspect,
        excluded=[(survey.ledger.excluded(survey.raw.frame), survey.path)]
        if show_excluded
        else None,
    )


@c.handle_errors
@c.table_options
def init(
    file: c.File,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write.")] = Path(
        "csitool.toml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    *,
    read: c.Reading,
) -> None:
    """Write a csitool.toml recording the detected roles and scales, for you to edit."""
    from csitool.config import RoleSpec, Settings
    from csitool.io import read_table
    from csitool.render.inspect_view import config_text
    from csitool.survey import build_survey

    c.guard_outputs([c.output_target(output, replace=force)], inputs=[file], use_config=False)
    # no csitool.toml and no roles: the file written records what detection alone finds
    raw = read_table(file, sheet=read.sheet, encoding=read.encoding, header_row=read.header_row)
    survey = build_survey(raw, Settings(), RoleSpec())
    if c.to_file(output) is None:
        c.emit(config_text(survey), None)
        return
    c.write_atomic(output, config_text(survey))
    from csitool.render.fmt import safe

    typer.echo(safe(f"Wrote {output}: edit it, then run `csitool score {file}`."))
