"""``csitool check``: a CI gate on survey exports."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from typing import Any

import typer

from csitool.cli import common as c
from csitool.cli.options import Options, options


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


#: threshold options passed to the rules as they are
PLAIN_RULES = "min_nps min_csi min_n max_detractors min_top_box max_excluded max_missing alpha"


def _rules(opt: Options) -> dict[str, Any]:
    """The options as the keyword arguments of :meth:`CheckSettings.merged`."""
    require = opt.require_columns
    return {name: getattr(opt, name) for name in PLAIN_RULES.split()} | {
        "by": tuple(opt.by or ()),
        "require": tuple(x.strip() for x in require.split(",") if x.strip()) if require else None,
        "baseline": str(opt.baseline) if opt.baseline else None,
        "max_drop": _drops(opt.max_drop),
        "significance": False if opt.no_significance else None,
        "allow_unjudged": True if opt.allow_unjudged else None,
    }


@c.handle_errors
@c.reading_options
@options(
    "min_nps min_csi min_n max_detractors min_top_box max_excluded by require_columns "
    "max_missing baseline max_drop alpha no_significance allow_unjudged format junit lang "
    "engine query jobs spark_master"
)
def check(files: c.Files, *, opt: Options, read: c.Reading) -> None:
    """Check survey exports against rules (thresholds, the export contract, a baseline wave);
    exit 1 when a rule fails."""
    files = c.inputs(files)
    from csitool.config import find_config, load_settings
    from csitool.render.check_view import render_check
    from csitool.stats.check import check as judge

    configured = load_settings(find_config(read.config)).check
    # segments and required columns, before reading: an engine counts only what it is asked
    asked = configured.merged(**_rules(opt))
    c.guard_outputs(
        [c.output_target(opt.junit, "--junit", stdout=False)],
        inputs=files,
        config=read.config,
        baselines=[str(p) for p in (opt.baseline, configured.baseline) if p],
    )
    engine = c.engine_options(opt)
    results = []
    for path in files:
        survey = c.load_any(path, read, by=asked.by, facts=asked.require, **engine)
        spec = survey.settings.check.merged(**_rules(opt))
        before = (
            c.load_any(spec.baseline, replace(read, strict=False), **engine)
            if spec.baseline
            else None
        )
        results.append(judge(survey, spec, before))
    if opt.junit is not None:
        from csitool.render.check_view import junit_xml

        c.write_atomic(opt.junit, junit_xml(results), "--junit")

    c.render_result(
        "check",
        opt.format,
        None,
        results,
        document=lambda r: r.to_dict(),
        draw=lambda r, console: render_check(r, console, c.language(opt)),
    )
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from csitool.render.check_view import github_annotations

        stream = sys.stderr if opt.format is c.InspectFormat.json else sys.stdout
        for line in github_annotations(results):
            print(line, file=stream)
    if not all(r.passed for r in results):
        raise typer.Exit(1)
