"""``csitool compare``: segments or waves side by side, with significance letters."""

from __future__ import annotations

from csitool.cli import common as c
from csitool.cli.options import Options, options


@c.handle_errors
@c.reading_options
@options(
    "by wave period wave_names letters rows alpha two_levels correction min_base format output "
    "lang engine query jobs spark_master"
)
def compare(files: c.Files, *, opt: Options, read: c.Reading) -> None:
    """Compare segments (--by) or waves (several files, --wave COL or --period) with
    significance letters: a cell carries the letters of the columns it is higher than."""
    files = c.inputs(files)
    from csitool.render import compare_view
    from csitool.stats import compare as cmp

    c.guard_outputs([c.output_target(opt.output)], inputs=files, config=read.config)
    split = tuple(opt.by or ()) + ((opt.wave,) if opt.wave else ())
    surveys = [
        c.load_any(p, read, by=split, need_rows=opt.period is not None, **c.engine_options(opt))
        for p in files
    ]
    result = cmp.compare(
        surveys,
        opt.by or (),
        wave=opt.wave,
        period=opt.period.value if opt.period else None,
        names=[n.strip() for n in opt.wave_names.split(",")] if opt.wave_names else None,
        with_letters=opt.letters,
        alpha=opt.alpha,
        two_levels=opt.two_levels,
        correction=opt.correction.value,
        min_base=opt.min_base,
        rows=tuple(x.strip() for x in opt.rows.split(",") if x.strip())
        if opt.rows
        else cmp.ROW_GROUPS,
    )
    c.render_result(
        "compare",
        opt.format,
        opt.output,
        [result],
        document=lambda r: r.to_dict() | {"paths": [s.path for s in surveys]},
        draw=lambda r, console: compare_view.render_compare(r, console, c.language(opt)),
        csv=lambda: compare_view.to_csv(result),
        markdown=lambda: compare_view.to_markdown(result),
    )
