"""``csitool drivers``: wow-points and pain-points per attribute and touchpoint."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from csitool.cli import common as c


class Split(StrEnum):
    mean = "mean"
    median = "median"
    midpoint = "midpoint"


@c.handle_errors
@c.reading_options
def drivers(
    files: c.Files,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            "-t",
            help="What to explain: sat (default), nps, or a column name.",
        ),
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            metavar="COLUMN",
            help="Repeat the analysis per value of this column (repeatable).",
        ),
    ] = None,
    split: Annotated[
        Split | None,
        typer.Option("--split", help="Quadrant split lines: mean (default), median, midpoint."),
    ] = None,
    alpha: Annotated[
        float | None,
        typer.Option(
            "--alpha",
            min=0.0001,
            max=0.5,
            help="Significance level of penalties and rewards, on BH q-values (default 0.05).",
        ),
    ] = None,
    no_adjust: Annotated[
        bool,
        typer.Option(
            "--no-adjust",
            help="Classify on raw p-values instead of Benjamini-Hochberg q-values.",
        ),
    ] = False,
    ia_threshold: Annotated[
        float | None,
        typer.Option(
            "--ia-threshold",
            min=0.0,
            max=0.99,
            help="|impact asymmetry| for a pain- or wow-point (default 0.2).",
        ),
    ] = None,
    min_cell: Annotated[
        int | None,
        typer.Option(
            "--min-cell", min=1, help="Fewest respondents to estimate a penalty/reward (10)."
        ),
    ] = None,
    format: c.FormatOption = c.TableFormat.table,
    confidence: Annotated[
        float | None,
        typer.Option(
            "--confidence", min=0.5, max=0.999, help="Confidence level of intervals (0.95)."
        ),
    ] = None,
    min_base: Annotated[
        int | None,
        typer.Option("--min-base", min=0, help="Smallest effective n to analyse a segment (30)."),
    ] = None,
    lang: c.LangOption = None,
    show_excluded: c.ShowExcluded = False,
    output: c.Output = None,
    *,
    read: c.Reading,
) -> None:
    """Find wow-points and pain-points: performance, importance, asymmetric impact and the
    ladder contrast per attribute, quadrants, touchpoints and what to do first."""
    from csitool.render import drivers_view
    from csitool.stats.drivers import drivers as compute
    from csitool.stats.drivers import left_out_rows

    c.guard_outputs([c.output_target(output)], inputs=files, config=read.config)
    results = []
    left_out = []  # --show-excluded: each file's rows left out, and its path
    for path in files:
        survey = c.load(path, read)
        result = compute(
            survey,
            target,
            by or [],
            alpha=alpha,
            ia_threshold=ia_threshold,
            min_cell=min_cell,
            split=split.value if split else None,
            confidence=confidence,
            min_base=min_base,
            adjust="none" if no_adjust else None,
        )
        results.append(result)
        if show_excluded:
            cols = [a.column for a in result.total.attributes]
            left_out.append((left_out_rows(survey, result.target.column, cols), result.path))
    language = lang.value if lang else "en"
    c.render_result(
        "drivers",
        format,
        output,
        results,
        document=lambda r: drivers_view.document(r, language),
        draw=lambda r, console: drivers_view.render_drivers(r, console, language),
        csv=lambda: drivers_view.to_csv(results),
        markdown=lambda: drivers_view.to_markdown(results),
        excluded=left_out if show_excluded else None,
        draw_excluded=drivers_view.render_left_out,
    )
