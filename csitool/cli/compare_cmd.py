"""``csitool compare``: segments or waves side by side, with significance letters."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

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
def compare(
    files: c.Files,
    by: Annotated[
        list[str] | None, typer.Option("--by", help="Segment column: one banner each (repeatable).")
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
    """Compare segments (--by) or waves (several files, --wave COL or --period) with
    significance letters: a cell carries the letters of the columns it is higher than."""
    from csitool.errors import UsageError
    from csitool.stats import compare as cmp

    c.guard_outputs([c.output_target(output)], inputs=files, config=config)
    output = c.to_file(output)
    roles = c.role_spec(nps, sat, attr, segment, weight, id, date, comment)
    chosen = tuple(x.strip() for x in rows.split(",") if x.strip()) if rows else cmp.ROW_GROUPS
    options: dict[str, Any] = {
        "alpha": alpha,
        "two_levels": two_levels,
        "correction": correction.value,
        "min_base": min_base,
        "rows": chosen,
    }
    surveys = [
        c.load_survey(
            p,
            roles,
            sheet=sheet,
            header_row=header_row,
            encoding=encoding,
            config=config,
            strict=strict,
            format_hint=format_hint,
            complete_only=complete_only,
        )
        for p in files
    ]
    if len(surveys) > 1:
        if by or wave or period:
            raise UsageError(
                "Error: several files are compared as waves; --by, --wave and --period apply "
                "to one file."
            )
        names = [n.strip() for n in wave_names.split(",")] if wave_names else None
        result = cmp.waves_from_files(surveys, names, with_letters=letters, **options)
    elif wave or period:
        result = cmp.waves_from_split(
            surveys[0], wave, period.value if period else None, with_letters=letters, **options
        )
    elif by:
        result = cmp.compare_segments(surveys[0], by, **options)
    else:
        raise UsageError(
            "Error: say what to compare: --by COLUMN (segments), --wave COLUMN or --period "
            "month|quarter|year (waves in one file), or give several files (waves)."
        )
    if format is c.TableFormat.json:
        from csitool.render import jsonout

        doc = result.to_dict() | {"paths": [s.path for s in surveys]}
        c.emit(jsonout.dumps(jsonout.envelope("compare", [doc])), output)
    elif format in (c.TableFormat.csv, c.TableFormat.markdown):
        from csitool.render import compare_view

        render = compare_view.to_csv if format is c.TableFormat.csv else compare_view.to_markdown
        c.emit(render(result), output)
    else:
        from csitool.render.compare_view import render_compare
        from csitool.render.console import make_console

        console = make_console() if output is None else make_console(record=True)
        render_compare(result, console, lang.value if lang else "en")
        if output is not None:
            c.write_atomic(output, console.export_text())
