"""``csitool report -o report.html`` / ``--format html|pdf``: the self-contained page, its
figures against the JSON of ``score`` and ``drivers``, escaping of hostile survey text,
the choice of report kind, and (where Chromium is installed) the rendered page, a
screenshot and the PDF."""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from csitool.render.browser import NO_CHROMIUM, dump_dom, find_chromium, screenshot
from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data" / "survey.xlsx"
SAMPLE_EN = ROOT / "sample_data" / "survey_en.csv"
STAGES = ROOT / "sample_data" / "csitool.toml"
ARGS = ("--config", str(STAGES), "--by", "고객유형")
CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium not found (apt-get install chromium, or set CSITOOL_CHROMIUM): the "
    "browser render, screenshot and PDF tests are skipped",
)


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory):
    """The sample's HTML report (Korean headers, so a Korean page) with the JSON figures."""
    from typer.testing import CliRunner

    from csitool.cli.app import app

    folder = tmp_path_factory.mktemp("page")
    out = folder / "r.html"
    runner = CliRunner()
    r = runner.invoke(app, ["report", str(SAMPLE), "-o", str(out), *ARGS])
    assert r.exit_code == 0, r.output
    score = json.loads(runner.invoke(app, ["score", str(SAMPLE), "-f", "json", *ARGS]).stdout)
    drivers = json.loads(runner.invoke(app, ["drivers", str(SAMPLE), "-f", "json", *ARGS]).stdout)
    return out, out.read_text(encoding="utf-8"), score["files"][0], drivers["files"][0]


class Texts(HTMLParser):
    """The text of every element with an ``id``, by id (nested ids collect their text too)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.texts: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag in ("meta", "br", "img", "input", "link"):
            return
        ident = dict(attrs).get("id")
        self.stack.append(ident)
        if ident:
            self.texts[ident] = ""

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for ident in self.stack:
            if ident:
                self.texts[ident] += data


def texts(page: str) -> dict[str, str]:
    parser = Texts()
    parser.feed(page)
    return {k: " ".join(v.split()) for k, v in parser.texts.items()}


def one(x: float, signed: bool = False) -> str:
    """A figure as the page shows it (one decimal), formatted here independently."""
    return f"{x:+.1f}" if signed else f"{x:.1f}"


# -------------------------------------------------------------------------------------
# The page
# -------------------------------------------------------------------------------------


def test_headline_figures_equal_the_json(sample_page):
    _, page, score, _ = sample_page
    t = texts(page)
    nps = score["nps"]
    card = t["headline-nps"]
    assert one(nps["score"], signed=True) in card
    assert f"[{one(nps['ci_low'])}, {one(nps['ci_high'])}]" in card
    for group in ("detractors", "passives", "promoters"):
        assert f"{one(nps[group])}%" in card
    assert f"{nps['n']:,}" in card
    csi = score["csi"]
    assert one(csi["score"]) in t["headline-csi"]
    assert f"[{one(csi['ci_low'])}, {one(csi['ci_high'])}]" in t["headline-csi"]
    ladder = score["ladder"]
    assert f"{one(ladder['wow_gap'])}%" in t["headline-wow"]
    assert f"{score['quality']['rows_kept']:,}" in t["headline-n"]
    # the three groups add up to the whole bar: their widths are the shares themselves
    widths = re.findall(r'<span class="(\w+)" style="width: ([\d.]+)%"', page)
    assert [w[0] for w in widths] == ["detractors", "passives", "promoters"]
    assert sum(float(w[1]) for w in widths) == pytest.approx(100, abs=0.01)


def test_every_section_is_there_in_korean(sample_page):
    _, page, _, _ = sample_page
    t = texts(page)
    assert '<html lang="ko">' in page
    for ident in ("summary", "nps", "attributes", "drivers", "touchpoints", "segments", "voc",
                  "quality"):  # fmt: skip
        assert ident in t, ident
    assert "고객만족도 보고서" in page
    assert "순추천지수(NPS)" in t["nps"]
    assert "감동 요인과 불만 요인" in t["drivers"]
    assert "데이터 품질" in t["quality"]
    assert "{ci}" not in page and "95% CI 하한" in page


class Visible(HTMLParser):
    """The text a reader sees (the SVG charts' text included, the CSS not)."""

    def __init__(self) -> None:
        super().__init__()
        self.in_style = False
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.in_style = self.in_style or tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if not self.in_style:
            self.parts.append(data)


def test_korean_page_has_no_english_words(sample_page):
    """As tests/test_korean.py asks of the terminal: the Korean page, stripped of the data
    (the file's words, the stage names of the config, the built-in codebook's bilingual
    theme labels), holds no English word but the names that Korean analysts write in Latin
    letters too (and the catalogue's own "불만 영향(penalty)" / "감동 영향(reward)")."""
    from csitool.stats.codebook import default_codebook
    from tests.test_korean import ALLOWED, WORD, _data_words

    _, page, _, _ = sample_page
    parser = Visible()
    parser.feed(page)
    shown = " ".join(parser.parts).replace(str(SAMPLE), "").replace("survey.xlsx", "")
    data = _data_words() | set(WORD.findall(STAGES.read_text(encoding="utf-8")))
    data |= {w for theme in default_codebook().themes for w in WORD.findall(theme.label)}
    english = sorted(
        {w for w in WORD.findall(shown)} - ALLOWED - data - {"penalty", "reward", "sample_data"}
    )
    assert not english, english


def test_tables_hold_the_json_figures(sample_page):
    _, page, score, drivers = sample_page
    t = texts(page)
    for item in score["items"]:
        assert item["column"] in t["attributes"]
    vip = next(g for g in score["segments"]["고객유형"] if g["value"] == "VIP")
    assert one(vip["nps"]["score"], signed=True) in t["segments"]
    for a in drivers["attributes"]:
        assert a["column"] in t["drivers"]
    pains = [a for a in drivers["actions"] if a["kind"] == "fix"]
    assert pains and pains[0]["column"] in t["summary"]


def test_scatter_labels_every_attribute_as_text(sample_page):
    _, page, _, drivers = sample_page
    svg = re.search(r'<figure class="chart" id="chart-ipa">(.*?)</figure>', page, re.S).group(1)
    labels = set(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    for a in drivers["attributes"]:
        assert a["column"] in labels, a["column"]
    assert "<path" in svg and "font-family" in svg  # text kept as text, not outlines


def test_nps_groups_in_conventional_colours(sample_page):
    from csitool.render.charts import DETRACTOR, PASSIVE, PROMOTER

    _, page, _, _ = sample_page
    svg = re.search(r'id="chart-nps-distribution">(.*?)</figure>', page, re.S).group(1)
    # answers 0-6 are detractors (red), 7-8 passives (grey), 9-10 promoters (green)
    assert svg.count(f"fill: {DETRACTOR}") == 7
    assert svg.count(f"fill: {PASSIVE}") == 2
    assert svg.count(f"fill: {PROMOTER}") == 2
    assert (DETRACTOR, PASSIVE, PROMOTER) == ("#d64541", "#a6a6a6", "#2e9e5b")
    # the same colours as the workbook's charts
    from csitool.render.excel_style import NPS_COLOURS

    page_colours = {"detractors": DETRACTOR, "passives": PASSIVE, "promoters": PROMOTER}
    assert {k: "#" + v.lower() for k, v in NPS_COLOURS.items()} == page_colours
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert f"--detractor: {DETRACTOR}" in css and f"--promoter: {PROMOTER}" in css


def test_page_is_self_contained(sample_page):
    _, page, _, _ = sample_page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<script", page, re.I)
    assert "@import" not in page
    # url() only to elements of the page itself (the charts' clip paths: url(#p1a2b3c))
    assert re.findall(r"url\(\s*['\"]?([^)]*)", page, re.I)
    assert all(ref.startswith("#") for ref in re.findall(r"url\(\s*['\"]?([^)]*)", page, re.I))
    assert not re.search(r"<link[^>]*stylesheet", page, re.I)
    assert not re.search(r"https?://", page)  # not even the SVG's DTD or metadata
    assert "<!DOCTYPE svg" not in page and "<?xml" not in page


def test_same_report_same_bytes(sample_page):
    import pickle

    from csitool import batch
    from csitool.config import Reading
    from csitool.render.html import build_html

    job = batch.Job(str(SAMPLE_EN), "x.html", Reading(), date="2026-10-01", kind="html")
    report = batch.build_report(job)
    first = build_html(report)
    assert build_html(pickle.loads(pickle.dumps(report))) == first
    # the charts' element ids differ between charts (one salt each), so they never clash
    ids = re.findall(r'\bid="([^"]+)"', first)
    assert len(ids) == len(set(ids))


def test_english_page(run):
    r = run("report", SAMPLE_EN, "-o", "e.html", "--lang", "en")
    assert r.exit_code == 0, r.output
    page = Path("e.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "Customer satisfaction report" in page and "Net Promoter Score" in page
    assert "95% CI low" in page


def test_survey_without_nps_says_so(run, tmp_path):
    src = tmp_path / "no_nps.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "overall satisfaction", "staff", "price"])
        for i in range(80):
            w.writerow([i + 1, (i * 3) % 5 + 1, (i * 2) % 5 + 1, (i * 4) % 5 + 1])
    r = run("report", src, "-o", "n.html", "--sat", "overall satisfaction",
            "--attr", "staff", "--attr", "price")  # fmt: skip
    assert r.exit_code == 0, r.output
    t = texts(Path("n.html").read_text(encoding="utf-8"))
    assert "no NPS item" in t["headline-nps"]
    assert "This survey has no NPS item" in t["nps"]


# -------------------------------------------------------------------------------------
# Hostile survey text
# -------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
TEMPLATE = "{{ 7*7 }}{% raw %}"
FORMULA = "=cmd|' /C calc'!A0"
DOLLARS = "price $x$ and $y$"
IMG = '<img src=x onerror="alert(2)">'


def hostile_survey(folder: Path) -> Path:
    path = folder / "hostile.csv"
    cols = ["id", "recommend", "overall", SCRIPT, TEMPLATE, FORMULA, DOLLARS, "segment",
            "comment"]  # fmt: skip
    comments = [IMG, "{{ config }} great", FORMULA, "fine"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for i in range(120):
            a = (i * 7) % 5 + 1
            seg = SCRIPT if i % 2 else "plain"
            w.writerow([i + 1, min(10, 2 * a + i % 2), a, a, (i * 2) % 5 + 1, (i * 3) % 5 + 1,
                        (a + i) % 5 + 1, seg, comments[i % 4]])  # fmt: skip
    return path


def test_hostile_text_is_escaped(run, tmp_path):
    src = hostile_survey(tmp_path)
    r = run("report", src, "-o", "h.html", "--nps", "recommend", "--sat", "overall",
            "--attr", SCRIPT, "--attr", TEMPLATE, "--attr", FORMULA, "--attr", DOLLARS,
            "--segment", "segment", "--comment", "comment", "--lang", "en")  # fmt: skip
    assert r.exit_code == 0, r.output
    page = Path("h.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}{% raw %}" in page  # shown as typed, never evaluated
    assert "=cmd|&#39; /C calc&#39;!A0" in page
    shown = texts(page)
    assert SCRIPT in shown["attributes"] and FORMULA in shown["attributes"]
    assert DOLLARS in shown["attributes"]
    # inside the charts too (matplotlib escapes its text; a $ never starts mathtext)
    svg = re.search(r'id="chart-attributes">(.*?)</figure>', page, re.S).group(1)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert DOLLARS in svg


# -------------------------------------------------------------------------------------
# Choosing the report kind; the old --format table|json
# -------------------------------------------------------------------------------------


def test_batch_format_html_names(run, tmp_path):
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_EN, folder / "a.csv")
    shutil.copy(SAMPLE_EN, folder / "b.csv")
    r = run("report", folder, "--format", "html", "--out-dir", "out", "--summary", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert [Path(f["output"]).name for f in doc["files"]] == ["a_report.html", "b_report.html"]
    assert sorted(p.name for p in Path("out").iterdir()) == ["a_report.html", "b_report.html"]
    assert Path("out/a_report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_old_format_json_still_works_with_a_warning(run):
    r = run("report", SAMPLE_EN, "-o", "w.xlsx", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["files"][0]["output"] == "w.xlsx"
    assert r.stderr.strip().splitlines() == [
        "Warning: --format json is deprecated and will be removed in the next release; use "
        "--summary json (--format now chooses the report file: xlsx, html or pdf)."
    ]
    assert Path("w.xlsx").read_bytes()[:2] == b"PK"


def test_suffix_chooses_html_and_default_is_xlsx(run):
    assert run("report", SAMPLE_EN, "-o", "x.htm", "-q").exit_code == 0
    assert Path("x.htm").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert run("report", SAMPLE_EN, "-o", "x.out", "-q").exit_code == 0
    assert Path("x.out").read_bytes()[:2] == b"PK"  # unknown suffix: a workbook, as before


def test_format_against_suffix_is_a_usage_error(run):
    r = run("report", SAMPLE_EN, "-o", "r.xlsx", "--format", "html")
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        "Error: --format html but --output r.xlsx ends in .xlsx; name the output .html or "
        "leave --format out."
    )


def test_pdf_without_chromium_exits_2_before_reading(run, monkeypatch, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("CSITOOL_CHROMIUM", raising=False)
    r = run("report", "missing.csv", "-o", "r.pdf")  # a missing input would be exit 3
    assert r.exit_code == 2
    assert r.stderr.strip() == NO_CHROMIUM
    assert NO_CHROMIUM == (
        "Error: PDF needs Chromium; install it (Debian: apt-get install chromium) or write "
        ".html (or set CSITOOL_CHROMIUM to the browser's path)."
    )
    monkeypatch.setenv("CSITOOL_CHROMIUM", str(tmp_path / "no-such-browser"))
    r = run("report", SAMPLE_EN, "--format", "pdf")
    assert r.exit_code == 2 and r.stderr.strip() == NO_CHROMIUM
    assert not Path("r.pdf").exists()


def test_template_ships_as_package_data():
    from importlib.resources import files

    assert (files("csitool.render") / "templates" / "report.html.j2").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"csitool.render" = ["templates/*.j2"]' in pyproject


# -------------------------------------------------------------------------------------
# In a real browser
# -------------------------------------------------------------------------------------


@needs_chromium
def test_chromium_renders_the_page(sample_page, tmp_path):
    from PIL import Image, ImageStat

    path, _, score, _ = sample_page
    png = tmp_path / "shot.png"
    screenshot(path, png, 1280, 2000)
    with Image.open(png) as im:
        assert im.size == (1280, 2000)
        stat = ImageStat.Stat(im.convert("L"))
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
    # not blank: the grey levels vary (a blank or single-colour page has variance ~0) and
    # the page draws many colours (text anti-aliasing, the red/grey/green NPS bars)
    assert stat.var[0] > 300
    assert colours is None or len(colours) > 500
    dom = dump_dom(path)
    t = texts(dom)
    assert "고객만족도 보고서" in dom
    assert one(score["nps"]["score"], signed=True) in t["headline-nps"]
    assert "요약" in t["summary"] and "NPS" in t["headline-nps"]


@needs_chromium
def test_pdf_through_chromium(run):
    r = run("report", SAMPLE, "-o", "r.pdf", *ARGS)
    assert r.exit_code == 0, r.output
    data = Path("r.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert len(boxes) >= 8  # a page per section at least
    for w, h in boxes:  # A4: 210 x 297 mm = 595.3 x 841.9 pt
        assert float(w) == pytest.approx(595.3, abs=1.5)
        assert float(h) == pytest.approx(841.9, abs=1.5)
    assert not list(Path(".").glob(".*.tmp"))  # the atomic write left nothing behind


# -------------------------------------------------------------------------------------
# Small pieces
# -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "output", "kind"),
    [
        (None, None, "xlsx"),  # a batch without --format: workbooks, as before
        (None, "r.html", "html"),
        (None, "R.HTM", "html"),
        (None, "r.pdf", "pdf"),
        (None, "r.xlsx", "xlsx"),
        (None, "r.out", "xlsx"),  # an unknown suffix: a workbook, as before
        ("html", None, "html"),
        ("pdf", "r.out", "pdf"),
        ("html", "r.html", "html"),
        ("json", "r.html", "html"),  # the old --format json is the summary, not the kind
        ("table", None, "xlsx"),
    ],
)
def test_report_kind(fmt, output, kind):
    from csitool.cli.report_cmd import ReportFormat, report_kind

    chosen = ReportFormat(fmt) if fmt else None
    assert report_kind(chosen, Path(output) if output else None) == kind


@pytest.mark.parametrize(
    ("ys", "gap", "expected"),
    [
        ([1.0, 5.0, 9.0], 1.0, [1.0, 5.0, 9.0]),  # far enough apart: unchanged
        ([1.0, 1.5, 1.6], 1.0, [1.0, 2.0, 3.0]),  # a run pushed up one gap at a time
        ([3.0, 1.0, 3.2], 1.0, [3.0, 1.0, 4.0]),  # order by height, not by position
        ([2.0], 1.0, [2.0]),
        ([], 1.0, []),
    ],
)
def test_labels_spread_apart(ys, gap, expected):
    from csitool.render.charts import _spread

    assert _spread(ys, gap) == pytest.approx(expected)
