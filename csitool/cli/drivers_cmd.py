"""``csitool drivers``: wow-points and pain-points per attribute and touchpoint."""

from __future__ import annotations

from csitool.cli import common as c
from csitool.cli.options import Options, options


@c.handle_errors
@c.reading_options
@options(
    "target by split alpha no_adjust ia_threshold min_cell format confidence min_base "
    "lang show_excluded output engine query jobs spark_master"
)
def drivers(files: c.Files, *, opt: Options, read: c.Reading) -> None:
    """Find wow-points and pain-points: performance, importance, asymmetric impact and the
    ladder contrast per attribute, quadrants, touchpoints and what to do first."""
    files = c.inputs(files)
    from csitool.render import drivers_view
    from csitool.stats.drivers import drivers as compute
    from csitool.stats.drivers import left_out_rows

    c.guard_outputs([c.output_target(opt.output)], inputs=files, config=read.config)
    results = []
    left_out = []  # --show-excluded: each file's rows left out, and its path
    for path in files:
        survey = c.load_any(
            path,
            read,
            by=opt.by or [],
            need_rows=opt.show_excluded,
            keep_open=True,  # drivers fetches the complete rows after choosing the target
            moments=False,
            **c.engine_options(opt),
        )
        try:
            result = compute(
                survey,
                opt.target,
                opt.by or [],
                alpha=opt.alpha,
                ia_threshold=opt.ia_threshold,
                min_cell=opt.min_cell,
                split=opt.split.value if opt.split else None,
                confidence=opt.confidence,
                min_base=opt.min_base,
                adjust="none" if opt.no_adjust else None,
            )
        finally:
            c.close(survey)
        results.append(result)
        if opt.show_excluded:
            cols = [a.column for a in result.total.attributes]
            left_out.append((left_out_rows(survey, result.target.column, cols), result.path))
    language = c.language(opt)
    c.render_result(
        "drivers",
        opt.format,
        opt.output,
        results,
        document=lambda r: drivers_view.document(r, language),
        draw=lambda r, console: drivers_view.render_drivers(r, console, language),
        csv=lambda: drivers_view.to_csv(results),
        markdown=lambda: drivers_view.to_markdown(results),
        excluded=left_out if opt.show_excluded else None,
        draw_excluded=drivers_view.render_left_out,
    )
