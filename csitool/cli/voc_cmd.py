"""``csitool voc``: themes in the open comments, tied to NPS and satisfaction."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csitool.cli import common as c


@c.handle_errors
def voc(
    files: Annotated[
        list[str] | None,
        typer.Argument(help="Survey export(s) (not needed with --show-codebook)."),
    ] = None,
    text: Annotated[
        list[str] | None,
        typer.Option("--text", help="Comment column(s) to read (default: the comment role)."),
    ] = None,
    codebook: Annotated[
        Path | None, typer.Option("--codebook", help="A codebook TOML file ([themes.NAME] tables).")
    ] = None,
    show_codebook: Annotated[
        bool, typer.Option("--show-codebook", help="Print the codebook in use and exit.")
    ] = False,
    by: Annotated[
        list[str] | None, typer.Option("--by", help="Themes per value of this column (repeatable).")
    ] = None,
    export_tagged: Annotated[
        Path | None,
        typer.Option("--export-tagged", help="Write every comment with its themes: .csv or .xlsx."),
    ] = None,
    format: Annotated[
        c.TableFormat, typer.Option("--format", "-f", help="Output format.")
    ] = c.TableFormat.table,
    output: c.Output = None,
    nps: c.Nps = None,
    sat: c.Sat = None,
    attr: c.Attr = None,
    segment: c.Segment = None,
    weight: c.Weight = None,
    id: c.Id = None,
    date: c.Date = None,
    comment: c.Comment = None,
    sheet: c.Sheet = None,
    header_row: c.HeaderRow = None,
    encoding: c.Encoding = None,
    config: c.Config = None,
    strict: c.Strict = False,
    format_hint: c.FormatHint = None,
    complete_only: c.CompleteOnly = False,
    lang: c.LangOption = None,
) -> None:
    """Sort open comments into themes (Korean and English), count them, and tie each theme
    to NPS and satisfaction: which themes come with detractors, which with promoters."""
    from csitool.batch import load_codebook
    from csitool.config import find_config, load_settings
    from csitool.errors import UsageError
    from csitool.stats.voc import voc as compute

    settings = load_settings(find_config(config))
    book = load_codebook(codebook, settings.voc, settings.config_path)
    tagged_to = c.output_target(export_tagged, "--export-tagged", stdout=False)
    c.guard_outputs(
        [c.output_target(output), None if show_codebook else tagged_to],
        inputs=files or [],
        config=config,
        codebook=codebook,
    )
    output = c.to_file(output)
    if show_codebook:
        if book.text:
            c.emit(book.text, output)
            return
        from csitool.stats.codebook import to_toml

        c.emit(to_toml(book), output)
        return
    if not files:
        raise UsageError("Error: name a survey file (or use --show-codebook).")
    if export_tagged is not None and export_tagged.suffix.lower() not in (".csv", ".xlsx"):
        raise UsageError("Error: --export-tagged must end in .csv or .xlsx.")
    roles = c.role_spec(nps, sat, attr, segment, weight, id, date, comment)
    results = []
    for path in files:
        survey = c.load_survey(
            path, roles, sheet=sheet, header_row=header_row, encoding=encoding, config=config,
            strict=strict,
            format_hint=format_hint, complete_only=complete_only,
        )  # fmt: skip
        result, tagged = compute(survey, book, text, by or [])
        results.append(result)
        if export_tagged is not None:
            from csitool.render.voc_view import tagged_rows

            rows = tagged_rows(survey, tagged, book)
            if export_tagged.suffix.lower() == ".xlsx":
                from csitool import batch
                from csitool.render.excel import save_atomic, tagged_workbook

                day = batch.today()
                save_atomic(
                    tagged_workbook(rows, survey.path, day), export_tagged, day, "--export-tagged"
                )
            else:
                import csv
                import io

                buf = io.StringIO()
                writer = csv.DictWriter(
                    buf, fieldnames=["row", "comment", "status", "themes", "sentiment"],
                    lineterminator="\r\n",
                )  # fmt: skip
                writer.writeheader()
                writer.writerows(rows)
                from csitool.io.write import write_bytes_atomic

                write_bytes_atomic(
                    export_tagged, buf.getvalue().encode("utf-8-sig"), "--export-tagged"
                )
    if format is c.TableFormat.json:
        from csitool.render import jsonout

        c.emit(jsonout.dumps(jsonout.envelope("voc", [r.to_dict() for r in results])), output)
    elif format in (c.TableFormat.csv, c.TableFormat.markdown):
        from csitool.render import voc_view

        outs = [voc_view.to_csv(r) if format is c.TableFormat.csv else voc_view.to_markdown(r)
                for r in results]  # fmt: skip
        c.emit("".join(outs), output)
    else:
        from csitool.render.console import make_console
        from csitool.render.voc_view import render_voc

        console = make_console() if output is None else make_console(record=True)
        for r in results:
            render_voc(r, console, lang.value if lang else "en")
        if output is not None:
            c.write_atomic(output, console.export_text())
