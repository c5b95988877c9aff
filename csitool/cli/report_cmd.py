"""``csitool report``: Excel workbooks for managers, one file or a scheduled batch."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csitool.cli import common as c


class SummaryFormat(StrEnum):
    table = "table"
    json = "json"


@c.handle_errors
@c.reading_options
def report(
    inputs: Annotated[
        list[str],
        typer.Argument(metavar="FILE", help="Survey exports and/or folders of exports."),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The workbook to write (one input only)."),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir", help="Folder for <name>_report.xlsx (default: beside each input)."
        ),
    ] = None,
    combined: Annotated[
        Path | None,
        typer.Option("--combined", help="Also write one workbook comparing every file."),
    ] = None,
    summary_md: Annotated[
        Path | None,
        typer.Option("--summary-md", help="Also write a Markdown summary (for chat or a wiki)."),
    ] = None,
    recursive: Annotated[
        bool, typer.Option("--recursive", "-r", help="Look for exports in sub-folders too.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite existing workbooks, --combined, --summary-md."),
    ] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Files processed in parallel (processes).")
    ] = 1,
    lang: Annotated[
        c.Lang | None,
        typer.Option("--lang", help="ko or en (default: Korean when the headers are Korean)."),
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by", metavar="COLUMN", help="Segment breakdown in the workbook (repeatable)."
        ),
    ] = None,
    format: Annotated[
        SummaryFormat,
        typer.Option("--format", "-f", help="The end-of-run summary: table or json."),
    ] = SummaryFormat.table,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no summary table.")
    ] = False,
    *,
    read: c.Reading,
) -> None:
    """Write an Excel report per survey file (summary, NPS, attributes, wow & pain,
    touchpoints, segments, data quality), with native charts; batches keep going past
    failed files and exit 1 if any failed."""
    from csitool import batch
    from csitool.errors import UsageError

    files = batch.collect_inputs(inputs, recursive)
    if not files:
        raise UsageError("Error: no survey files found in " + ", ".join(inputs) + ".")
    planned = batch.plan_outputs(files, output, out_dir, force)
    c.guard_outputs(
        [
            *planned,
            c.output_target(combined, "--combined", stdout=False, replace=force),
            c.output_target(summary_md, "--summary-md", stdout=False, replace=force),
        ],
        inputs=files,
        config=read.config,
    )
    if out_dir is not None:
        from csitool.io.write import make_folder

        make_folder(out_dir, "--out-dir")
    targets = [str(t.path) for t in planned]
    day = batch.today()
    language = lang.value if lang else None
    job_list = [
        batch.Job(
            source=str(src),
            output=dst,
            reading=read,
            by=tuple(by or ()),
            lang=language,
            date=day,
            word=c.cli_message,
            spell=c.cli_spelling,
        )
        for src, dst in zip(files, targets, strict=True)
    ]
    from csitool.render.report_view import (
        progress_bar,
        summary_json,
        summary_markdown,
        summary_table,
    )

    show_bar = not quiet and sys.stderr.isatty() and format is SummaryFormat.table
    with progress_bar(len(job_list), show_bar) as tick:
        outcomes, reports = batch.run_batch(
            job_list, workers=jobs, keep_reports=combined is not None, progress=tick
        )
    for o in outcomes:
        for message in o.warnings:
            typer.echo(f"Warning: {o.source}: {message}", err=True)
    written = None  # the combined workbook, once it exists (no report: none written)
    if combined is not None and reports:
        from csitool.render.excel import build_combined, save_atomic

        workbook = build_combined(reports, lang.value if lang else reports[0].lang, day)
        save_atomic(workbook, combined, day, "--combined")
        written = combined
    if summary_md is not None:
        c.write_atomic(summary_md, summary_markdown(outcomes, day), "--summary-md")
    single = batch.single_input_error(inputs, outcomes)
    if format is SummaryFormat.json:
        c.emit(summary_json(outcomes, written), None)
    elif not quiet and single is None:
        summary_table(outcomes, written)
    if single is not None:
        raise single
    if any(o.status != "ok" for o in outcomes):
        raise typer.Exit(1)
