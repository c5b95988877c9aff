"""``csitool inspect`` (what was read and how each column is understood) and ``csitool init``."""

from __future__ import annotations

import typer

from csitool.cli import common as c
from csitool.cli.options import Options, options


@c.handle_errors
@c.reading_options
@options("format show_excluded lang")
def inspect(files: c.Files, *, opt: Options, read: c.Reading) -> None:
    """Show what was read: format, encoding, sheet, rows, each column's role, scale and labels,
    and the data-quality summary."""
    from csitool.render.console import render_inspect
    from csitool.render.inspect_view import inspect_dict

    surveys = [c.load(path, read, lang=c.language(opt)) for path in c.inputs(files)]
    c.render_result(
        "inspect",
        opt.format,
        None,
        surveys,
        document=inspect_dict,
        draw=lambda s, console: render_inspect(s, console, c.language(opt)),
        excluded=[(s.ledger.excluded(s.raw.frame), s.path) for s in surveys]
        if opt.show_excluded
        else None,
    )


@c.handle_errors
@c.table_options
@options("output force")
def init(file: c.File, *, opt: Options, read: c.Reading) -> None:
    """Write a csitool.toml recording the detected roles and scales, for you to edit."""
    from csitool.config import RoleSpec, Settings
    from csitool.io import read_table
    from csitool.render.inspect_view import config_text
    from csitool.survey import build_survey

    c.guard_outputs(
        [c.output_target(opt.output, replace=opt.force)], inputs=[file], use_config=False
    )
    # no csitool.toml and no roles: the file written records what detection alone finds
    raw = read_table(file, sheet=read.sheet, encoding=read.encoding, header_row=read.header_row)
    survey = build_survey(raw, Settings(), RoleSpec())
    if c.to_file(opt.output) is None:
        c.emit(config_text(survey), None)
        return
    c.write_atomic(opt.output, config_text(survey))
    from csitool.render.fmt import safe

    typer.echo(safe(f"Wrote {opt.output}: edit it, then run `csitool score {file}`."))
