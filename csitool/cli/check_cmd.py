"""``csitool check``: a CI gate on survey exports."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from csitool.cli import common as c


def _drops(values: list[str] | None) -> dict[str, float] | None:
    from csitool.errors import UsageError, quote

    if not values:
        return None
    out: dict[str, float] = {}
    for item in values:
        for part in item.replace(",", " ").split():
            key, _, num = part.partition("=")
            try:
                if key not in ("nps", "csi"):
                    raise ValueError
                out[key] = float(num)
            except ValueError:
                raise UsageError(
                    f"Error: --max-drop {quote(part)}: use nps=POINTS and/or csi=POINTS, e.g. "
                    "--max-drop nps=5 --max-drop csi=3."
                ) from None
    return out


@c.handle_errors
@c.reading_options
def check(
    files: c.Files,
    min_nps: Annotated[
        float | None, typer.Option("--min-nps", help="Lowest acceptable NPS.")
    ] = None,
    min_csi: Annotated[
        float | None, typer.Option("--min-csi", help="Lowest acceptable CSI.")
    ] = None,
    min_n: Annotated[
        int | None,
        typer.Option("--min-n", help="Fewest rows kept; smaller segments are not judged."),
    ] = None,
    max_detractors: Annotated[
        float | None, typer.Option("--max-detractors", help="Highest detractor share (percent).")
    ] = None,
    min_top_box: Annotated[
        float | None, typer.Option("--min-top-box", help="Lowest top-box share of sat (percent).")
    ] = None,
    max_excluded: Annotated[
        float | None,
        typer.Option("--max-excluded", help="Highest share of rows left out (percent)."),
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", metavar="COLUMN", help="Judge the thresholds per segment too."),
    ] = None,
    require_columns: Annotated[
        str | None,
        typer.Option("--require-columns", help="Columns the export must have: a,b,c."),
    ] = None,
    max_missing: Annotated[
        float | None,
        typer.Option("--max-missing", help="Highest blank share per required column (percent)."),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="An earlier wave to compare with.")
    ] = None,
    max_drop: Annotated[
        list[str] | None,
        typer.Option("--max-drop", help="Largest allowed fall: nps=5 csi=3 (needs --baseline)."),
    ] = None,
    alpha: Annotated[
        float | None,
        typer.Option("--alpha", min=0.0001, max=0.5, help="Significance level of drops (0.05)."),
    ] = None,
    no_significance: Annotated[
        bool,
        typer.Option("--no-significance", help="Judge drops on the raw difference alone."),
    ] = False,
    allow_unjudged: Annotated[
        bool,
        typer.Option(
            "--allow-unjudged",
            help="Pass rules that cannot be judged (e.g. --min-nps on a file without NPS).",
        ),
    ] = False,
    format: c.InspectFormatOption = c.InspectFormat.table,
    junit: Annotated[
        Path | None, typer.Option("--junit", help="Also write JUnit XML (one test per rule).")
    ] = None,
    lang: c.LangOption = None,
    *,
    read: c.Reading,
) -> None:
    """Check survey exports against rules (thresholds, the export contract, a baseline wave);
    exit 1 when a rule fails."""
    from csitool.config import find_config, load_settings
    from csitool.render.check_view import render_check
    from csitool.stats.check import check as judge

    configured = load_settings(find_config(read.config)).check.baseline
    c.guard_outputs(
        [c.output_target(junit, "--junit", stdout=False)],
        inputs=files,
        config=read.config,
        baselines=[str(p) for p in (baseline, configured) if p],
    )
    results = []
    for path in files:
        survey = c.load(path, read)
        spec = survey.settings.check.merged(
            min_nps=min_nps, min_csi=min_csi, min_n=min_n, max_detractors=max_detractors,
            min_top_box=min_top_box, max_excluded=max_excluded, by=tuple(by or ()),
            require=tuple(x.strip() for x in require_columns.split(",") if x.strip())
            if require_columns else None,
            max_missing=max_missing, baseline=str(baseline) if baseline else None,
            max_drop=_drops(max_drop), alpha=alpha,
            significance=False if no_significance else None,
            allow_unjudged=True if allow_unjudged else None,
        )  # fmt: skip
        before = c.load(spec.baseline, read, strict=False) if spec.baseline else None
        results.append(judge(survey, spec, before))
    if junit is not None:
        from csitool.render.check_view import junit_xml

        c.write_atomic(junit, junit_xml(results), "--junit")

    c.render_result(
        "check",
        format,
        None,
        results,
        document=lambda r: r.to_dict(),
        draw=lambda r, console: render_check(r, console, lang.value if lang else "en"),
    )
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from csitool.render.check_view import github_annotations

        stream = sys.stderr if format is c.InspectFormat.json else sys.stdout
        for line in github_annotations(results):
            print(line, file=stream)
    if not all(r.passed for r in results):
        raise typer.Exit(1)
