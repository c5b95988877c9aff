"""Regenerate docs/report-html.png (``make screenshots-html``): the HTML report of the
sample survey, as headless Chromium shows the top of the page in a 1280-pixel window.

Run from the repository root. The report date is fixed, so the picture changes only when
the page or the figures do.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from csitool import batch
from csitool.config import Reading
from csitool.errors import CsiError
from csitool.render.browser import screenshot
from csitool.render.html import build_html

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "report-html.png"
WIDTH, HEIGHT = 1280, 1900


def main() -> int:
    job = batch.Job(
        source="sample_data/survey.xlsx",
        output="survey_report.html",
        reading=Reading(config=Path("sample_data/csitool.toml")),
        by=("고객유형",),
        date="2026-10-01",
        kind="html",
    )
    try:
        page = build_html(batch.build_report(job))
        with tempfile.TemporaryDirectory(prefix="csitool-shot-") as folder:
            html = Path(folder) / "survey_report.html"
            html.write_text(page, encoding="utf-8")
            png = Path(folder) / "shot.png"
            screenshot(html, png, WIDTH, HEIGHT)
            from PIL import Image

            with Image.open(png) as im:
                im.convert("RGB").save(OUT, optimize=True)
    except CsiError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
