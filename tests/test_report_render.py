"""The workbook as it prints: LibreOffice headless turns the sample's report into a PDF;
the pages are few, page 1 is the Summary (one page wide, not blank, with the headline NPS),
p-values print as <0.001. Skipped, saying so, where LibreOffice or poppler is missing
(CI installs ``libreoffice-calc-nogui poppler-utils``)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "docs"))
from render_xlsx import page_pixels, soffice, to_pdf

pytestmark = [
    pytest.mark.skipif(
        soffice() is None,
        reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui): "
        "the workbook is not rendered",
    ),
    pytest.mark.skipif(
        shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None,
        reason="poppler-utils (pdftoppm, pdfinfo) is not installed: the PDF is not inspected",
    ),
]

SAMPLE = ROOT / "sample_data" / "survey.xlsx"
STAGES = ROOT / "sample_data" / "csitool.toml"
MAX_PAGES = 16  # the unpolished workbook printed as 32-34 pages


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def _text(pdf, first: int, last: int | None = None) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    args = ["pdftotext", "-layout", "-f", str(first), "-l", str(last or first), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module", params=["ko", "en"])
def printed(request, tmp_path_factory):
    from typer.testing import CliRunner

    from csitool.cli.app import app

    lang = request.param
    tmp = tmp_path_factory.mktemp(f"print_{lang}")
    book = tmp / f"report_{lang}.xlsx"
    args = ["--config", str(STAGES), "--by", "고객유형", "--lang", lang]
    runner = CliRunner()
    r = runner.invoke(app, ["report", str(SAMPLE), "-o", str(book), "-q", *args])
    assert r.exit_code == 0, r.output
    score = json.loads(runner.invoke(app, ["score", str(SAMPLE), "-f", "json", *args]).stdout)
    return lang, to_pdf(book, tmp), score["files"][0]


def test_the_workbook_prints_on_few_pages(printed):
    _, pdf, _ = printed
    pages = _pages(pdf)
    assert 8 <= pages <= MAX_PAGES  # at least one page per sheet, far fewer than 34


def test_page_one_is_the_summary_and_not_blank(printed):
    lang, pdf, score = printed
    pixels = page_pixels(pdf, 1, dpi=40).astype(float)
    assert pixels.std() > 20  # text, tiles and a chart, not an empty page
    ink = (pixels < 200).any(axis=2).mean()
    assert 0.03 < ink < 0.6
    colours = pixels.reshape(-1, 3)
    # the chart's detractor red and promoter green are on the page (within rendering blur)
    red = np.abs(colours - (0xD6, 0x45, 0x41)).max(axis=1) < 30
    green = np.abs(colours - (0x2E, 0x9E, 0x5B)).max(axis=1) < 30
    assert red.mean() > 0.002 and green.mean() > 0.002
    page = _text(pdf, 1)
    assert f"{score['nps']['score']:+.1f}" in page  # the headline NPS, signed: +14.4
    assert f"{score['csi']['score']:.1f}" in page
    title = "요약" if lang == "ko" else "Summary"
    assert title in page.splitlines()[0] or title in page[:200]
    # one page wide: the last tile (respondents) is on page 1 too
    assert f"{score['quality']['rows_kept']:,}" in page


def test_p_values_print_as_less_than(printed):
    _, pdf, _ = printed
    text = _text(pdf, 1, _pages(pdf))
    assert "<0.001" in text
    assert "0.0000" not in text  # the old four-decimal p-values
