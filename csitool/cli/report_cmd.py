"""``csitool report``: Excel workbooks, HTML pages or PDFs for managers, one file or a
scheduled batch."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from csitool.cli import common as c
from csitool.cli.options import Options, ReportFormat, SummaryFormat, options

REPORT_KINDS = ("xlsx", "html", "pdf")
#: report kinds chosen by the suffix of ``--output``
SUFFIX_KINDS = {".xlsx": "xlsx", ".html": "html", ".htm": "html", ".pdf": "pdf"}
DEPRECATED_FORMAT = (
    "Warning: --format {old} is deprecated and will be removed in the next release; use "
    "--summary {old} (--format now chooses the report file: xlsx, html or pdf)."
)


def report_kind(format: ReportFormat | None, output: Path | None) -> str:
    """``--format``, else the suffix of ``--output`` (``.html``, ``.pdf``), else ``xlsx``.
    A ``--format`` that contradicts the suffix of ``--output`` is a usage error."""
    from csitool.errors import UsageError

    by_suffix = SUFFIX_KINDS.get(output.suffix.lower()) if output is not None else None
    if format is None or format.value not in REPORT_KINDS:
        return by_suffix or "xlsx"
    if output is not None and by_suffix is not None and by_suffix != format.value:
        raise UsageError(
            f"Error: --format {format.value} but --output {output} ends in {output.suffix}; "
            f"name the output .{format.value} or leave --format out."
        )
    return format.value


@c.handle_errors
@c.reading_options
@options(
    "output out_dir combined summary_md recursive force jobs lang by format summary quiet "
    "engine query spark_master"
)
def report(
    inputs: Annotated[
        list[str],
        typer.Argument(metavar="FILE", help="Survey exports and/or folders of exports."),
    ],
    *,
    opt: Options,
    read: c.Reading,
) -> None:
    """Write a report per survey file (summary, NPS, attributes, wow & pain, touchpoints,
    segments, VOC, data quality): an Excel workbook with native charts, or one HTML page
    (or PDF) with charts; batches keep going past failed files and exit 1 if any failed."""
    from csitool import batch
    from csitool.errors import UsageError

    summary = opt.summary
    if opt.format is not None and opt.format.value in SummaryFormat.__members__:
        typer.echo(DEPRECATED_FORMAT.format(old=opt.format.value), err=True)
        summary = summary or SummaryFormat(opt.format.value)
    summary = summary or SummaryFormat.table
    kind = report_kind(opt.format, opt.output)
    if kind == "pdf":
        from csitool.render.browser import need_chromium

        need_chromium()  # before any file is read

    files = batch.collect_inputs(inputs, opt.recursive)
    if not files:
        raise UsageError("Error: no survey files found in " + ", ".join(inputs) + ".")
    planned = batch.plan_outputs(files, opt.output, opt.out_dir, opt.force, kind)
    c.guard_outputs(
        [
            *planned,
            c.output_target(opt.combined, "--combined", stdout=False, replace=opt.force),
            c.output_target(opt.summary_md, "--summary-md", stdout=False, replace=opt.force),
        ],
        inputs=files,
        config=read.config,
    )
    if opt.out_dir is not None:
        from csitool.io.write import make_folder

        make_folder(opt.out_dir, "--out-dir")
    targets = [str(t.path) for t in planned]
    threads = batch.engine_threads(opt.jobs, len(files))
    day = batch.today()
    language = opt.lang.value if opt.lang else None
    job_list = [
        batch.Job(
            source=str(src),
            output=dst,
            reading=read,
            by=tuple(opt.by or ()),
            lang=language,
            date=day,
            word=c.cli_message,
            spell=c.cli_spelling,
            kind=kind,
            engine=opt.engine.value,
            query=opt.query,
            threads=threads,
            spark_master=opt.spark_master,
        )
        for src, dst in zip(files, targets, strict=True)
    ]
    from csitool.render.report_view import (
        progress_bar,
        summary_json,
        summary_markdown,
        summary_table,
    )

    show_bar = not opt.quiet and sys.stderr.isatty() and summary is SummaryFormat.table
    with progress_bar(len(job_list), show_bar) as tick:
        outcomes, reports = batch.run_batch(
            job_list, workers=opt.jobs, keep_reports=opt.combined is not None, progress=tick
        )
    for o in outcomes:
        for message in o.warnings:
            typer.echo(f"Warning: {o.source}: {message}", err=True)
    written = None  # the combined workbook, once it exists (no report: none written)
    if opt.combined is not None and reports:
        from csitool.render.excel import build_combined, save_atomic

        workbook = build_combined(reports, opt.lang.value if opt.lang else reports[0].lang, day)
        save_atomic(workbook, opt.combined, day, "--combined")
        written = opt.combined
    if opt.summary_md is not None:
        c.write_atomic(opt.summary_md, summary_markdown(outcomes, day), "--summary-md")
    single = batch.single_input_error(inputs, outcomes)
    if summary is SummaryFormat.json:
        c.emit(summary_json(outcomes, written), None)
    elif not opt.quiet and single is None:
        summary_table(outcomes, written, language or "en")
    if single is not None:
        raise single
    if any(o.status != "ok" for o in outcomes):
        raise typer.Exit(1)
