"""``csitool compare``: segments or waves side by side, with significance letters."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from csitool.cli import common as c


class Period(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


class Correction(StrEnum):
    none = "none"
    bonferroni = "bonferroni"
    fdr = "fdr"


@c.handle_errors
@c.reading_options
def compare(
    files: c.Files,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by", metavar="COLUMN", help="Segment column: one banner each (repeatable)."
        ),
    ] = None,
    wave: Annotated[
        str | None, typer.Option("--wave", help="Split one file into waves by this column.")
    ] = None,
    period: Annotated[
        Period | None, typer.Option("--period", help="Split one file into waves by its dates.")
    ] = None,
    wave_names: Annotated[
        str | None, typer.Option("--wave-names", help="Names of the files as waves: q1,q2,q3.")
    ] = None,
    letters: Annotated[
        bool, typer.Option("--letters", help="Significance letters across waves too.")
    ] = False,
    rows: Annotated[
        str | None,
        typer.Option(
            "--rows",
            help="Rows to show: nps,groups,csi,ladder,wow_gap,attr_csi,attr_top_box (all).",
        ),
    ] = None,
    alpha: Annotated[
        float, typer.Option("--alpha", min=0.0001, max=0.5, help="Significance level (0.05).")
    ] = 0.05,
    two_levels: Annotated[
        bool,
        typer.Option("--two-levels", help="Lowercase letters at --alpha, uppercase at 0.01."),
    ] = False,
    correction: Annotated[
        Correction, typer.Option("--correction", help="Multiple-comparison correction.")
    ] = Correction.bonferroni,
    min_base: Annotated[
        int | None,
        typer.Option("--min-base", min=0, help="Columns below this are not tested (30)."),
    ] = None,
    format: c.FormatOption = c.TableFormat.table,
    output: c.Output = None,
    lang: c.LangOption = None,
    engine: c.EngineOption = c.Engine.auto,
    query: c.QueryOption = None,
    jobs: c.JobsOption = None,
    spark_master: c.SparkMasterOption = None,
    *,
    read: c.Reading,
) -> None:
    """Compare segments (--by) or waves (several files, --wave COL or --period) with
    significance letters: a cell carries the letters of the columns it is higher than."""
    from csitool.render import compare_view
    from csitool.stats import compare as cmp

    c.guard_outputs([c.output_target(output)], inputs=files, config=read.config)
    split = tuple(by or ()) + ((wave,) if wave else ())
    surveys = [
        c.load_any(p, read, engine=engine, by=split, query=query, jobs=jobs,
                   spark_master=spark_master, need_rows=period is not None)
        for p in files
    ]  # fmt: skip
    result = cmp.compare(
        surveys,
        by or (),
        wave=wave,
        period=period.value if period else None,
        names=[n.strip() for n in wave_names.split(",")] if wave_names else None,
        with_letters=letters,
        alpha=alpha,
        two_levels=two_levels,
        correction=correction.value,
        min_base=min_base,
        rows=tuple(x.strip() for x in rows.split(",") if x.strip()) if rows else cmp.ROW_GROUPS,
    )
    c.render_result(
        "compare",
        format,
        output,
        [result],
        document=lambda r: r.to_dict() | {"paths": [s.path for s in surveys]},
        draw=lambda r, console: compare_view.render_compare(
            r, console, lang.value if lang else "en"
        ),
        csv=lambda: compare_view.to_csv(result),
        markdown=lambda: compare_view.to_markdown(result),
    )
