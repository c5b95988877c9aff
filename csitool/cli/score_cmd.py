"""``csitool score``: NPS, CSI and the satisfaction ladder, per file and segment."""

from __future__ import annotations

from typing import Annotated

import typer

from csitool.cli import common as c


@c.handle_errors
@c.reading_options
def score(
    files: c.Files,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by", metavar="COLUMN", help="Break the figures down by this column (repeatable)."
        ),
    ] = None,
    format: c.FormatOption = c.TableFormat.table,
    ci: Annotated[
        c.CiMethod | None,
        typer.Option("--ci", help="NPS interval: adjusted-wald (default) or wald."),
    ] = None,
    confidence: Annotated[
        float | None,
        typer.Option(
            "--confidence", min=0.5, max=0.999, help="Confidence level of intervals (default 0.95)."
        ),
    ] = None,
    min_base: Annotated[
        int | None,
        typer.Option(
            "--min-base", min=0, help="Flag figures whose (effective) n is below this (default 30)."
        ),
    ] = None,
    lang: c.LangOption = None,
    show_excluded: c.ShowExcluded = False,
    output: c.Output = None,
    engine: c.EngineOption = c.Engine.auto,
    query: c.QueryOption = None,
    jobs: c.JobsOption = None,
    spark_master: c.SparkMasterOption = None,
    *,
    read: c.Reading,
) -> None:
    """Score survey files: NPS with its interval, CSI, the satisfaction ladder and every item."""
    from csitool.render import flat
    from csitool.render.console import render_score
    from csitool.stats.score import score as compute

    c.guard_outputs([c.output_target(output)], inputs=files, config=read.config)
    surveys, results = [], []
    for path in files:
        survey = c.load_any(
            path,
            read,
            engine=engine,
            by=by or [],
            query=query,
            jobs=jobs,
            spark_master=spark_master,
            need_rows=show_excluded,
        )
        method = ci.value if ci else None
        results.append(
            compute(survey, by or [], confidence=confidence, ci_method=method, min_base=min_base)
        )
        surveys.append(survey)
    language = lang.value if lang else "en"
    c.render_result(
        "score",
        format,
        output,
        results,
        document=lambda r: r.to_dict(),
        draw=lambda r, console: render_score(r, console, language),
        csv=lambda: flat.to_csv(results),
        markdown=lambda: flat.to_markdown(results),
        excluded=[(s.ledger.excluded(s.raw.frame), s.path) for s in surveys]
        if show_excluded
        else None,
    )
