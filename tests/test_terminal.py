"""Terminal tables fit the width by design: no line longer than the terminal, every row of
a table on one line, intervals never split, the panel title keeps the row count."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data" / "survey.xlsx"
INTERVAL = re.compile(r"\[-?\d+\.\d, -?\d+\.\d\]")


@pytest.mark.parametrize("width", [80, 100, 160])
@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(
    "command",
    [("score", "--by", "고객유형"), ("drivers",), ("compare", "--by", "고객유형"), ("voc",)],
)
def test_tables_fit_the_width(run, monkeypatch, width, lang, command):
    monkeypatch.setenv("COLUMNS", str(width))
    r = run(command[0], SAMPLE, *command[1:], "--lang", lang)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    too_wide = [ln for ln in lines if cell_len(ln) > width]
    assert not too_wide, too_wide[:3]
    # a row of a figures table (4+ columns; the quadrant lists may wrap) is one line: none
    # continues on the next line with an empty first cell
    rows = [ln for ln in lines if ln.startswith("│") and ln.count("│") >= 5]
    assert not [ln for ln in rows if re.match(r"│\s+│", ln)], "a row wrapped"
    # intervals are whole wherever one starts
    for ln in lines:
        assert ln.count("[") == len(INTERVAL.findall(ln)) or "[" not in ln or "]" in ln, ln


def test_panel_title_keeps_the_row_count(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    r = run("score", SAMPLE)
    assert r.exit_code == 0, r.stderr
    first = r.stdout.splitlines()[0]
    assert "1,500 rows" in first and cell_len(first) <= 60


def test_infinite_cells_leak_no_numpy_warning(tmp_path):
    import subprocess
    import sys

    # "inf", "-inf" and an overflowing 1e400 in the rating columns: garbage for the ledger,
    # never a RuntimeWarning on stderr (run with warnings as errors to catch one)
    path = tmp_path / "inf.csv"
    path.write_text("id,nps,sat\n1,9,4\n2,inf,5\n3,1e400,3\n4,-inf,2\n5,8,4\n", encoding="utf-8")
    for command in ("score", "inspect", "drivers"):
        r = subprocess.run(
            [sys.executable, "-W", "error::RuntimeWarning", "-m", "csitool", command, str(path)],
            capture_output=True,
            text=True,
        )
        assert "RuntimeWarning" not in r.stderr and "internal error" not in r.stderr, r.stderr
