"""``--lang ko`` speaks Korean throughout: every command's terminal output for the sample,
stripped of the data (file name, column names, answers), holds no English word but the
names of measures, methods and options that Korean analysts write in Latin letters too."""

from __future__ import annotations

import re

import openpyxl
import pytest

from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data" / "survey.xlsx"
#: Latin words a Korean report writes as they are: measures and statistics (NPS, CSI, CI,
#: R², IA, p, q, n, z, t), the people behind the tests (Wald, Welch, Benjamini-Hochberg,
#: Bonferroni, FDR, BH), file kinds, and the command's own name and options (which are typed)
ALLOWED_WORDS = (
    "NPS CSI CI VOC BH IA FDR R n p q z t ID Wald Welch Benjamini-Hochberg Bonferroni "
    "csitool xlsx csv show-excluded format json export-tagged n-gram"
)
ALLOWED = set(ALLOWED_WORDS.split())
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
COMMANDS = [
    ("score", "--by", "고객유형"),
    ("drivers",),
    ("compare", "--by", "고객유형"),
    ("check", "--min-nps", "0", "--min-csi", "90", "--by", "고객유형"),
    ("inspect",),
    ("voc",),
]


def _data_words() -> set[str]:
    words: set[str] = set()
    book = openpyxl.load_workbook(SAMPLE, read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    words.update(WORD.findall(v))
    return words


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_korean_output_has_no_english_words(run, command):
    r = run(command[0], SAMPLE, *command[1:], "--lang", "ko")
    assert r.exit_code in (0, 1), r.stderr
    text = (r.stdout + r.stderr).replace(str(SAMPLE), "")
    data = _data_words()
    english = sorted({w for w in WORD.findall(text) if w not in ALLOWED and w not in data})
    assert not english, english
