"""``csitool voc``: themes in the open comments, tied to NPS and satisfaction."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csitool.cli import common as c


@c.handle_errors
@c.reading_options
def voc(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FILE...", help="Survey export(s) (not needed with --show-codebook)."
        ),
    ] = None,
    text: Annotated[
        list[str] | None,
        typer.Option("--text", help="Comment column(s) to read (default: the comment role)."),
    ] = None,
    codebook: Annotated[
        Path | None,
        typer.Option("--codebook", help="A codebook TOML file (\\[themes.NAME] tables)."),
    ] = None,
    show_codebook: Annotated[
        bool, typer.Option("--show-codebook", help="Print the codebook in use and exit.")
    ] = False,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by", metavar="COLUMN", help="Themes per value of this column (repeatable)."
        ),
    ] = None,
    export_tagged: Annotated[
        Path | None,
        typer.Option("--export-tagged", help="Write every comment with its themes: .csv or .xlsx."),
    ] = None,
    format: c.FormatOption = c.TableFormat.table,
    output: c.Output = None,
    lang: c.LangOption = None,
    *,
    read: c.Reading,
) -> None:
    """Sort open comments into themes (Korean and English), count them, and tie each theme
    to NPS and satisfaction: which themes come with detractors, which with promoters."""
    from csitool.batch import load_codebook
    from csitool.config import find_config, load_settings
    from csitool.errors import UsageError
    from csitool.stats.voc import voc as compute

    settings = load_settings(find_config(read.config))
    book = load_codebook(codebook, settings.voc, settings.config_path)
    tagged_to = c.output_target(export_tagged, "--export-tagged", stdout=False)
    c.guard_outputs(
        [c.output_target(output), None if show_codebook else tagged_to],
        inputs=files or [],
        config=read.config,
        codebook=codebook,
    )
    if show_codebook:
        from csitool.stats.codebook import to_toml

        c.emit(book.text or to_toml(book), output)
        return
    if not files:
        raise UsageError("Error: name a survey file (or use --show-codebook).")
    if export_tagged is not None and export_tagged.suffix.lower() not in (".csv", ".xlsx"):
        raise UsageError("Error: --export-tagged must end in .csv or .xlsx.")
    from csitool import batch
    from csitool.render import voc_view

    results = []
    for path in files:
        survey = c.load(path, read)
        model = batch.load_sentiment_model()
        result, tagged = compute(survey, book, text, by or [], model=model)
        results.append(result)
        if export_tagged is not None:
            rows = voc_view.tagged_rows(survey, tagged, book)
            voc_view.write_tagged(
                export_tagged, rows, survey.path, batch.today(), "--export-tagged"
            )
    c.render_result(
        "voc",
        format,
        output,
        results,
        document=lambda r: r.to_dict(),
        draw=lambda r, console: voc_view.render_voc(r, console, lang.value if lang else "en"),
        csv=lambda: "".join(voc_view.to_csv(r) for r in results),
        markdown=lambda: "".join(voc_view.to_markdown(r) for r in results),
    )
