"""The workbook as a manager receives it: print setup, frozen panes, named fonts, number
formats, the Summary's headline tiles, the NPS group colours in every chart, the labelled
driver scatter and the VOC impact chart.

Expected figures come from ``score --format json`` of the same file (the statistics are
tested against independent computations elsewhere); colours and formats are the
conventions the workbook promises (README, report section)."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data" / "survey.xlsx"
SAMPLE_EN = ROOT / "sample_data" / "survey_en.csv"
STAGES = ROOT / "sample_data" / "csitool.toml"
RED, GREY, GREEN = "D64541", "A6A6A6", "2E9E5B"  # detractors, passives, promoters
HEAD_FILL = "305496"
SIGNED = "+0.0;-0.0;0.0"
P_FMT = '[<0.001]"<0.001";0.000'


def _report(tmp, src, *args):
    from typer.testing import CliRunner

    from csitool.cli.app import app

    out = tmp / f"{src.stem}.xlsx"
    runner = CliRunner()
    common = ["--config", str(STAGES), *args]
    r = runner.invoke(app, ["report", str(src), "-o", str(out), *common])
    assert r.exit_code == 0, r.output
    score = json.loads(runner.invoke(app, ["score", str(src), "-f", "json", *common]).stdout)
    return openpyxl.load_workbook(out), score["files"][0]


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("books")
    return {
        "ko": _report(tmp, SAMPLE, "--by", "고객유형"),
        "en": _report(tmp, SAMPLE_EN, "--by", "Customer type", "--lang", "en"),
    }


def _header_row(ws) -> int | None:
    """The first row whose column A is a table header (white on blue)."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        cell = row[0]
        if cell.fill is not None and cell.fill.fgColor.rgb in (HEAD_FILL, "00" + HEAD_FILL):
            return cell.row
    return None


def _colour(props) -> str | None:
    fill = props.solidFill
    if fill is None:
        return None
    rgb = fill if isinstance(fill, str) else fill.srgbClr
    return rgb if isinstance(rgb, str) else rgb.val


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_sheet_prints_one_page_wide_with_a_footer(books, lang):
    wb, _ = books[lang]
    for ws in wb:
        setup = ws.page_setup
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title  # 1 wide, n tall
        assert int(setup.paperSize) == 9  # A4
        assert ws.page_margins.left == pytest.approx(0.4)
        assert ws.print_title_rows, ws.title  # rows repeated on every printed page
        footer = ws.oddFooter
        assert footer.left.text.startswith("survey"), ws.title  # the source file
        assert len(footer.center.text) == 10 and footer.center.text[4] == "-"  # the date
        assert "&P" in footer.right.text and "&N" in footer.right.text  # page n of N
    wide = [ws.title for ws in wb if ws.page_setup.orientation == "landscape"]
    assert wide[0] == wb.sheetnames[0]  # the Summary, and every wide sheet, is landscape
    assert len(wide) >= 6


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_header_row_and_label_column_stay_frozen(books, lang):
    wb, _ = books[lang]
    assert wb.worksheets[0].freeze_panes == "B4"  # Summary: title rows and label column
    for ws in wb.worksheets[1:]:
        head = _header_row(ws)
        expected = f"B{head + 1}" if head else "B4"
        assert ws.freeze_panes == expected, ws.title


@pytest.mark.parametrize(("lang", "font"), [("ko", "맑은 고딕"), ("en", "Calibri")])
def test_every_font_is_named(books, lang, font):
    wb, _ = books[lang]
    assert wb._fonts[0].name == font  # the default of every unstyled cell
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == font, (ws.title, cell.coordinate)
        for chart in ws._charts:
            runs = chart.title.tx.rich.p[0].r
            assert runs[0].rPr.latin.typeface == font and runs[0].rPr.ea.typeface == font
            for axis in (chart.x_axis, chart.y_axis):
                assert axis.txPr.p[0].pPr.defRPr.latin.typeface == font


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_number_has_a_format(books, lang):
    wb, _ = books[lang]
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if ws is wb.worksheets[-1] and cell.column == 3:
                    continue  # Data quality: the excluded value exactly as the file holds it
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    assert cell.number_format != "General", (ws.title, cell.coordinate)


def test_summary_leads_with_headline_tiles(books):
    wb, score = books["ko"]
    ws = wb["요약"]
    nps, csi = score["nps"], score["csi"]
    assert ws["A5"].value == pytest.approx(nps["score"], rel=1e-15)
    assert ws["A5"].number_format == SIGNED  # +14.4, not 14.4
    assert ws["A5"].font.size >= 20 and ws["A5"].font.bold
    # the interval and the three groups under it, rounded as the terminal rounds them
    assert ws["A6"].value == f"95% CI {nps['ci_low']:+.1f} … {nps['ci_high']:+.1f}"
    assert f"{nps['promoters']:.1f}%" in ws["A7"].value
    assert f"{nps['detractors']:.1f}%" in ws["A7"].value
    assert ws["C5"].value == pytest.approx(csi["score"], rel=1e-15)
    assert ws["E5"].value == pytest.approx(score["ladder"]["wow_gap"] / 100, rel=1e-15)
    assert ws["E5"].number_format == "0.0%"
    # sample_data/README.md: 1,500 rows, one duplicated id and one blank weight left out
    assert ws["H5"].value == score["quality"]["rows_kept"] == 1498
    assert ws["H5"].number_format == "#,##0"
    # a chart right under the tiles, and effective n shown as a whole number
    assert len(ws._charts) == 1
    n_eff = next(r for r in ws.iter_rows() if r[0].value == "NPS" and r[5].value is not None)[5]
    assert n_eff.value == pytest.approx(nps["n_eff"]) and n_eff.number_format == "#,##0"
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGHI"]
    assert max(widths) <= 30  # no 62-character column


def _groups_chart_colours(chart) -> list[str | None]:
    return [_colour(s.graphicalProperties) for s in chart.series]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_nps_groups_in_conventional_colours(books, lang):
    wb, _ = books[lang]
    summary, nps = wb.worksheets[0], wb["NPS"]
    stacked = [summary._charts[0], nps._charts[1]]
    for chart, ws in zip(stacked, (summary, nps), strict=True):
        assert chart.grouping == "percentStacked"
        names = []
        for s in chart.series:
            ref = s.tx.strRef.f.split("!")[1].replace("$", "")
            names.append(ws[ref].value)
        words = {"ko": ["비추천 고객", "중립 고객", "추천 고객"],
                 "en": ["detractors", "passives", "promoters"]}[lang]  # fmt: skip
        assert names == words
        assert _groups_chart_colours(chart) == [RED, GREY, GREEN]
    # the 0-10 distribution: bars 0-6 red, 7-8 grey, 9-10 green (survey/scales.py cut-offs)
    bar = nps._charts[0]
    points = {p.idx: _colour(p.graphicalProperties) for p in bar.series[0].dPt}
    assert points == {k: RED if k <= 6 else GREY if k <= 8 else GREEN for k in range(11)}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_driver_scatter_labels_each_point_and_hides_its_helpers(books, lang):
    wb, _ = books[lang]
    ws = wb.worksheets[3]
    chart = ws._charts[0]
    assert chart.tagname == "scatterChart"
    assert chart.legend is None  # no 13-entry legend, no "split" entries
    assert chart.x_axis.axPos == "b" and chart.y_axis.axPos == "l"
    head = _header_row(ws)
    attributes = [
        ws.cell(row=r, column=1).value
        for r in range(head + 1, ws.max_row + 1)
        if isinstance(ws.cell(row=r, column=3).value, float)
    ]
    points = [s for s in chart.series if s.tx is not None]
    assert len(points) == len(attributes) == 13
    for s, name in zip(points, attributes, strict=True):
        ref = s.tx.strRef.f.split("!")[1].replace("$", "")
        assert ws[ref].value == name
        assert s.dLbls.showSerName and not s.dLbls.showVal and not s.dLbls.showLegendKey
        assert s.marker.symbol == "circle" and _colour(s.marker.graphicalProperties)
    lines = [s for s in chart.series if s.tx is None]
    assert len(lines) == 2 and all(s.dLbls is None for s in lines)
    # pain-points red, wow-points green (the class column, 12th)
    for s, r in zip(points, range(head + 1, head + 14), strict=True):
        cls = ws.cell(row=r, column=12).value
        colour = _colour(s.marker.graphicalProperties)
        if cls in ("pain-point", "불만 요인"):
            assert colour == RED
        if cls in ("wow-point", "감동 요인"):
            assert colour == GREEN
    # the split lines' end points sit in hidden columns; nothing else is right of the table
    width = max(c for c in range(1, 30) if ws.cell(row=head, column=c).value is not None)
    for row in ws.iter_rows(min_col=width + 1):
        for cell in row:
            if cell.value is not None:
                assert ws.column_dimensions[cell.column_letter].hidden, cell.coordinate
    assert not chart.visible_cells_only  # so the hidden cells are plotted
    # p-values print as <0.001
    p_cols = [c for c in range(1, width + 1) if ws.cell(row=head, column=c).value in ("q (BH)",)]
    assert p_cols and all(ws.cell(row=head + 1, column=c).number_format == P_FMT for c in p_cols)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_voc_chart_of_theme_impact(books, lang):
    wb, _ = books[lang]
    ws = wb.worksheets[6]
    chart = ws._charts[0]
    assert chart.tagname == "barChart" and chart.legend is None
    ref = chart.series[0].val.numRef.f.split("!")[1].replace("$", "")
    first, last = ref.split(":")
    assert first[0] == last[0] == "E"  # the NPS impact column
    values = [ws[f"E{r}"].value for r in range(int(first[1:]), int(last[1:]) + 1)]
    colours = {p.idx: _colour(p.graphicalProperties) for p in chart.series[0].dPt}
    for k, v in enumerate(values):  # negative impact red, positive green, none uncoloured
        assert colours.get(k) == (None if v is None else RED if v < 0 else GREEN)


def test_no_repeated_examples_and_distinct_headers(books):
    wb, _ = books["ko"]
    voc = wb["고객의 소리"]
    blocks: list[list[str]] = []
    for row in voc.iter_rows():
        a, b = row[0].value, row[1].value
        if isinstance(a, str) and a.endswith(("(불만 요인)", "(감동 요인)")):
            blocks.append([])
        elif blocks and isinstance(a, int) and isinstance(b, str):
            blocks[-1].append(b)
    assert blocks and all(len(b) == len(set(b)) for b in blocks)
    touch = wb["접점"]
    for row in touch.iter_rows():
        heads = [c.value for c in row if c.fill.fgColor.rgb in (HEAD_FILL, "00" + HEAD_FILL)]
        assert len(heads) == len(set(heads))


def test_combined_workbook_summaries_print_too(run, tmp_path):
    folder = tmp_path / "waves"
    folder.mkdir()
    for name in ("survey.xlsx", "survey_prev.xlsx"):
        (folder / name).write_bytes((ROOT / "sample_data" / name).read_bytes())
    r = run(
        "report", folder, "--out-dir", tmp_path / "o", "--combined", tmp_path / "all.xlsx", "-q"
    )
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(tmp_path / "all.xlsx")
    for ws in wb:
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.freeze_panes is not None and ws.freeze_panes.startswith("B")
    assert [len(ws._charts) for ws in wb] == [0, 1, 1, 1]  # trend, and each file's summary
    comparison = wb.worksheets[0]
    assert comparison["C5"].number_format == SIGNED


def test_touchpoint_chart_marks_the_weakest_stage(books):
    wb, _ = books["ko"]
    ws = wb["접점"]
    chart = ws._charts[0]
    ref = chart.series[0].val.numRef.f.split("!")[1].replace("$", "")
    first, last = (int(x[1:]) for x in ref.split(":"))
    weakest = [r - first for r in range(first, last + 1) if ws[f"G{r}"].value == "가장 취약"]
    # the weakest stage is the one with the lowest CSI in the table (sample: after-service)
    csis = [ws[f"C{r}"].value for r in range(first, last + 1)]
    assert weakest == [csis.index(min(csis))]
    assert {p.idx: _colour(p.graphicalProperties) for p in chart.series[0].dPt} == {weakest[0]: RED}


def test_voc_sheet_gives_each_themes_nps_and_sentiment_mix(books, tmp_path):
    """The VOC sheet's NPS mix and sentiment mix per theme, against the same shares worked
    out here from the tagged comments (``voc --export-tagged``), the file's NPS answers and
    its weights: among the answered comments that mention a theme, the weighted shares of
    detractors (0-6), passives (7-8) and promoters (9-10) of those with an NPS answer on the
    scale, and of negative, neutral and positive comments, each shown as whole percents."""
    from csitool.stats.codebook import default_codebook

    wb, _ = books["en"]
    ws = wb.worksheets[6]
    tagged = tmp_path / "tagged.csv"
    from typer.testing import CliRunner

    from csitool.cli.app import app

    r = CliRunner().invoke(app, ["voc", str(SAMPLE_EN), "--export-tagged", str(tagged)])
    assert r.exit_code == 0, r.output
    rows = pd.read_csv(tagged, encoding="utf-8-sig", keep_default_na=False)
    rows = rows[rows["status"] == "answered"]
    raw = pd.read_csv(SAMPLE_EN)
    nps = raw["How likely are you to recommend us to a friend or colleague? (0-10)"]
    at = rows["row"].to_numpy() - 2  # spreadsheet row 2 is the first data row
    x, w = nps.to_numpy(float)[at], raw["Weight"].to_numpy(float)[at]
    labels = {t.name: t.label for t in default_codebook().themes}
    head = _header_row(ws)
    names = [c.value for c in ws[head]]
    nps_col, mood_col = names.index("mix det/pas/pro"), names.index("sentiment −/0/+")
    shown = {ws.cell(row=k, column=1).value: k for k in range(head + 1, ws.max_row + 1)}
    checked = 0
    for name, label in labels.items():
        has = rows["themes"].str.split(";").apply(lambda ts, n=name: n in ts).to_numpy()
        if not has.any() or label not in shown:
            continue
        cells = [ws.cell(row=shown[label], column=c + 1).value for c in (nps_col, mood_col)]
        answered = has & (x >= 0) & (x <= 10)  # the file's one NPS answer of 11 is left out
        groups = [x <= 6, (x >= 7) & (x <= 8), x >= 9]
        mix = [100 * w[answered & g].sum() / w[answered].sum() for g in groups]
        moods = [(rows["sentiment"] == m).to_numpy() for m in ("negative", "neutral", "positive")]
        mood = [100 * w[has & m].sum() / w[has].sum() for m in moods]
        for cell, expected in zip(cells, (mix, mood), strict=True):
            got = [float(v) for v in cell.rstrip("%").split("/")]
            assert got == pytest.approx(expected, abs=0.5 + 1e-9), (label, cell, expected)
        checked += 1
    assert checked >= 8
    notes = [ws.cell(row=k, column=1).value or "" for k in range(1, head)]
    assert any(str(n).startswith("sentiment (model") for n in notes)
