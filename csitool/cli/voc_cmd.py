"""``csitool voc``: themes in the open comments, tied to NPS and satisfaction."""

from __future__ import annotations

from typing import Annotated

import typer

from csitool.cli import common as c
from csitool.cli.options import Options, options


@c.handle_errors
@c.reading_options
@options(
    "text codebook show_codebook by export_tagged format output lang engine query jobs spark_master"
)
def voc(
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="FILE", help="Survey export(s) (not needed with --show-codebook)."),
    ] = None,
    *,
    opt: Options,
    read: c.Reading,
) -> None:
    """Sort open comments into themes (Korean and English), count them, and tie each theme
    to NPS and satisfaction: which themes come with detractors, which with promoters."""
    from csitool.batch import load_codebook
    from csitool.config import find_config, load_settings
    from csitool.errors import UsageError
    from csitool.stats.voc import voc as compute

    settings = load_settings(find_config(read.config))
    book = load_codebook(opt.codebook, settings.voc, settings.config_path)
    tagged_to = c.output_target(opt.export_tagged, "--export-tagged", stdout=False)
    c.guard_outputs(
        [c.output_target(opt.output), None if opt.show_codebook else tagged_to],
        inputs=files or [],
        config=read.config,
        codebook=opt.codebook,
    )
    if opt.show_codebook:
        from csitool.stats.codebook import to_toml

        c.emit(book.text or to_toml(book), opt.output)
        return
    if not files:
        raise UsageError("Error: name a survey file (or use --show-codebook).")
    if opt.export_tagged is not None and opt.export_tagged.suffix.lower() not in (".csv", ".xlsx"):
        raise UsageError("Error: --export-tagged must end in .csv or .xlsx.")
    from csitool import batch
    from csitool.render import voc_view

    listing = opt.export_tagged is not None
    if listing and opt.engine.value not in ("auto", "pandas"):
        raise UsageError(
            f"Error: --export-tagged lists every comment's row, which the {opt.engine.value} "
            "engine does not keep; use --engine pandas with --export-tagged."
        )
    results = []
    for path in files:
        survey, counts = c.load_comments(
            path, read, opt.text, by=opt.by or [], need_rows=listing, **c.engine_options(opt)
        )
        model = batch.load_sentiment_model()
        try:
            with batch.morpheme_cache():
                result, tagged = compute(
                    survey, book, opt.text, opt.by or [], model=model, counts=counts,
                    per_row=listing,
                )  # fmt: skip
        finally:
            if counts is not None:
                counts.close()
        results.append(result)
        if opt.export_tagged is not None and tagged is not None:
            rows = voc_view.tagged_rows(survey, tagged, book)
            voc_view.write_tagged(
                opt.export_tagged, rows, survey.path, batch.today(), "--export-tagged"
            )
    c.render_result(
        "voc",
        opt.format,
        opt.output,
        results,
        document=lambda r: r.to_dict(),
        draw=lambda r, console: voc_view.render_voc(r, console, c.language(opt)),
        csv=lambda: "".join(voc_view.to_csv(r) for r in results),
        markdown=lambda: "".join(voc_view.to_markdown(r) for r in results),
    )
