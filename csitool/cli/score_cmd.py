"""``csitool score``: NPS, CSI and the satisfaction ladder, per file and segment."""

from __future__ import annotations

from csitool.cli import common as c
from csitool.cli.options import Options, options


@c.handle_errors
@c.reading_options
@options(
    "by format ci confidence min_base lang show_excluded output engine query jobs spark_master"
)
def score(files: c.Files, *, opt: Options, read: c.Reading) -> None:
    """Score survey files: NPS with its interval, CSI, the satisfaction ladder and every item."""
    files = c.inputs(files)
    from csitool.render import flat
    from csitool.render.console import render_score
    from csitool.stats.score import score as compute

    c.guard_outputs([c.output_target(opt.output)], inputs=files, config=read.config)
    surveys, results = [], []
    for path in files:
        survey = c.load_any(
            path, read, by=opt.by or [], need_rows=opt.show_excluded, **c.engine_options(opt)
        )
        method = opt.ci.value if opt.ci else None
        results.append(
            compute(
                survey,
                opt.by or [],
                confidence=opt.confidence,
                ci_method=method,
                min_base=opt.min_base,
            )
        )
        surveys.append(survey)
    language = c.language(opt)
    c.render_result(
        "score",
        opt.format,
        opt.output,
        results,
        document=lambda r: r.to_dict(),
        draw=lambda r, console: render_score(r, console, language),
        csv=lambda: flat.to_csv(results),
        markdown=lambda: flat.to_markdown(results),
        excluded=[(s.ledger.excluded(s.raw.frame), s.path) for s in surveys]
        if opt.show_excluded
        else None,
    )
