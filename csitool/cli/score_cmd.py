"""``csitool score``: NPS, CSI and the satisfaction ladder, per file and segment."""

from __future__ import annotations

from typing import Annotated

import typer

from csitool.cli import common as c


@c.handle_errors
def score(
    files: c.Files,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="Break the figures down by this column (repeatable)."),
    ] = None,
    format: Annotated[
        c.TableFormat, typer.Option("--format", "-f", help="Output format.")
    ] = c.TableFormat.table,
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
) -> None:
    """Score survey files: NPS with its interval, CSI, the satisfaction ladder and every item."""
    from csitool.stats.score import score as compute

    c.guard_outputs([c.output_target(output)], inputs=files, config=config)
    output = c.to_file(output)
    roles = c.role_spec(nps, sat, attr, segment, weight, id, date, comment)
    results = []
    surveys = []
    for path in files:
        survey = c.load_survey(
            path,
            roles,
            sheet=sheet,
            header_row=header_row,
            encoding=encoding,
            config=config,
            strict=strict,
            format_hint=format_hint,
            complete_only=complete_only,
        )
        surveys.append(survey)
        results.append(
            compute(
                survey,
                by or [],
                confidence=confidence,
                ci_method=ci.value if ci else None,
                min_base=min_base,
            )
        )
    if format is c.TableFormat.json:
        from csitool.render import jsonout

        docs = []
        for survey, result in zip(surveys, results, strict=True):
            doc = result.to_dict()
            if show_excluded:
                doc["excluded_rows"] = survey.ledger.excluded(survey.raw.frame)
            docs.append(doc)
        c.emit(jsonout.dumps(jsonout.envelope("score", docs)), output)
    elif format is c.TableFormat.csv:
        from csitool.render import flat

        c.emit(flat.to_csv(results), output)
    elif format is c.TableFormat.markdown:
        from csitool.render import flat

        c.emit(flat.to_markdown(results), output)
    else:
        from csitool.render.console import make_console, render_excluded, render_score

        console = make_console() if output is None else make_console(record=True)
        for survey, result in zip(surveys, results, strict=True):
            render_score(result, console, lang.value if lang else "en")
            if show_excluded:
                render_excluded(survey.ledger.excluded(survey.raw.frame), console, survey.path)
        if output is not None:
            c.write_atomic(output, console.export_text())
