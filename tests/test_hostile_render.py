"""Hostile text and hostile environments (issue 14, items 4, 5, 7 and 8).

Survey text is data: ESC sequences (clear screen, OSC window title, OSC 8 links), NUL,
DEL, C1 and bidi overrides in column names, segment values, comments and file names must
reach the terminal, the JSON, CSV, Markdown, GitHub annotations and the workbook as
visible escapes, never as raw bytes. User errors (weights of 1e-300 or inf, config values
of the wrong type, RE2-rejected patterns, a 400-digit number, COLUMNS=abc, an ASCII
stdout, a full or closed stdout, a broken pipe) end with one ``Error:`` line and exit
2 or 3, or quietly, never exit 70. CLI runs go through the subprocess harness.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csitool.errors import ConfigError, CsiError, quote
from csitool.render.fmt import UNSAFE, safe
from tests.hostile.harness import assert_safe, raw_controls, run_cli

CLEAR = "\x1b[2J"
TITLE = "\x1b]0;pwned\x07"
LINK = "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"
BIDI = "\u202e"
EVIL = (CLEAR, TITLE, LINK, "\x00", "\x7f", "\x9b", BIDI, "\u2066")
# what must never appear raw in anything printed: the harness's set plus C1 and bidi
FORBIDDEN = UNSAFE


def forbidden(text: str, keep: str = "\n\t\r") -> list[str]:
    return sorted({repr(ch) for ch in FORBIDDEN.findall(text) if ch not in keep})


def write_survey(folder: Path, name: str = f"wave{CLEAR}.csv", rows: int = 60) -> Path:
    """A survey whose column names, segment values and comments carry escape sequences."""
    cols = ["id", f"nps{CLEAR}", f"sat{TITLE}", f"seg{BIDI}", f"A1{LINK}", "A2\x7f", "comment"]
    segs = [f"x{CLEAR}", f"y{LINK}", "z\x00\x7f\x9b"]
    comments = [
        f"good service{TITLE}",
        "bad price\x1b[31m and slow delivery",
        f"rude staff {BIDI}evil",
        "late\x00 delivery\x9b2J",
    ]
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for i in range(rows):
            w.writerow([i + 1, (i * 7) % 11, (i * 3) % 5 + 1, segs[i % 3], (i * 2) % 5 + 1,
                        (i * 4) % 5 + 1, comments[i % 4]])  # fmt: skip
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_survey(tmp_path_factory.mktemp("hostile"))


def check(args: list[str], cwd: Path, **kw: object):
    """Run, assert the harness guarantees and no raw C1/bidi either; return the outcome."""
    env = kw.pop("env", None)
    o = run_cli(args, cwd=cwd, env=env)  # type: ignore[arg-type]
    assert_safe(o, **kw)  # type: ignore[arg-type]
    for stream, text in (("stdout", o.stdout), ("stderr", o.stderr)):
        assert not forbidden(text), f"{args}: raw {forbidden(text)} on {stream}"
    return o


# ---------------------------------------------------------------------------------------
# the escape function
# ---------------------------------------------------------------------------------------


def test_safe_shows_each_control_visibly() -> None:
    # hand-written expectations: \x escapes below 0x100, \u above; \n \t \r by name
    assert safe(CLEAR) == "\\x1b[2J"
    assert safe(TITLE) == "\\x1b]0;pwned\\x07"
    assert safe("a\x00b\x7fc\x9bd") == "a\\x00b\\x7fc\\x9bd"
    assert safe(f"{BIDI}abc\u2069") == "\\u202eabc\\u2069"
    assert safe("one\ntwo\tthree\r") == "one\\ntwo\\tthree\\r"
    assert safe("one\ntwo\t", keep="\n\t") == "one\ntwo\t"
    assert safe("만족도 (1-5) 😀 é") == "만족도 (1-5) 😀 é"
    assert safe(12.5) == "12.5"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_safe_output_has_no_control_characters(text: str) -> None:
    out = safe(text)
    assert not UNSAFE.search(out)
    assert not raw_controls(out)


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(blacklist_categories=("Cc", "Cs")).filter(lambda c: not UNSAFE.match(c)))
)
def test_safe_leaves_printable_text_unchanged(text: str) -> None:
    assert safe(text) == text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_safe_keeps_only_what_it_is_told(text: str) -> None:
    out = safe(text, keep="\n")
    assert [c for c in UNSAFE.findall(out) if c != "\n"] == []
    assert out.count("\n") == text.count("\n")


def test_quote_caps_long_user_text() -> None:
    assert quote("Q5") == "'Q5'"
    assert quote("a\x1bb") == "'a\\x1bb'"  # repr shows controls as escapes
    long = quote("x" * 50_000_000)
    assert len(long) < 260 and long.endswith("(50,000,000 characters)") and "…" in long


# ---------------------------------------------------------------------------------------
# every command and format on hostile text
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["score"],
        ["score", "--by", f"seg{BIDI}", "--show-excluded"],
        ["score", "--by", f"seg{BIDI}", "--format", "csv"],
        ["score", "--by", f"seg{BIDI}", "--format", "markdown"],
        ["inspect"],
        ["compare", "--by", f"seg{BIDI}"],
        ["voc", "--comment", "comment"],
        ["drivers", "--sat", f"sat{TITLE}"],
        ["check", "--min-nps", "90", "--require-columns", f"gone{CLEAR}"],
    ],
    ids=["score", "score-by", "csv", "markdown", "inspect", "compare", "voc", "drivers", "check"],
)
def test_commands_escape_hostile_text(hostile: Path, args: list[str]) -> None:
    o = check([*args, hostile.name], hostile.parent, inputs=[hostile])
    shown = o.stdout + o.stderr
    assert "\\x1b" in shown  # the file name or a column name, shown escaped


def test_table_shows_names_escaped_and_aligned(hostile: Path) -> None:
    o = check(["score", hostile.name], hostile.parent)
    assert "nps\\x1b[2J" in o.stdout and "sat\\x1b]0;pwned\\x07" in o.stdout
    assert "wave\\x1b[2J.csv" in o.stdout


def test_csv_keeps_values_but_escapes_controls(hostile: Path) -> None:
    o = check(["score", "--by", f"seg{BIDI}", "--format", "csv", hostile.name], hostile.parent)
    rows = list(csv.DictReader(o.stdout.splitlines()))
    assert {r["segment_value"] for r in rows} >= {"x\\x1b[2J", "z\\x00\\x7f\\x9b"}
    assert {r["segment"] for r in rows} >= {"seg\\u202e"}


def test_json_is_safe_and_round_trips(hostile: Path) -> None:
    o = check(["score", "--by", f"seg{BIDI}", "--format", "json", hostile.name], hostile.parent)
    doc = json.loads(o.stdout)  # still valid JSON, and the data comes back exactly
    values = {g["value"] for g in doc["files"][0]["segments"][f"seg{BIDI}"]}
    assert "z\x00\x7f\x9b" in values and f"y{LINK}" in values
    assert doc["files"][0]["path"] == hostile.name


def test_github_annotations_escape_data(hostile: Path) -> None:
    o = check(
        ["check", "--min-nps", "90", hostile.name],
        hostile.parent,
        env={"GITHUB_ACTIONS": "true"},
        expect={1},
    )
    lines = [x for x in o.stdout.splitlines() if x.startswith("::error")]
    assert lines, o.stdout
    # the file name: control shown escaped, then GitHub's property escapes (: and ,)
    assert all("file=wave\\x1b[2J.csv," in x for x in lines)


def test_github_escape_rules() -> None:
    from csitool.render.check_view import _escape, _property

    assert _escape("50% a\nb\rc\x1b") == "50%25 a\\nb\\rc\\x1b"
    assert _property("a,b:c%") == "a%2Cb%3Ac%25"


def test_error_message_with_hostile_file_name(tmp_path: Path) -> None:
    bad = tmp_path / f"missing{TITLE}.csv"
    o = check(["score", bad.name], tmp_path, expect={3})
    assert "missing\\x1b]0;pwned\\x07.csv" in o.stderr


def test_notes_and_warnings_escape(tmp_path: Path) -> None:
    # a dirty NPS cell makes a note or warning that quotes the column
    path = tmp_path / "n.csv"
    rows = [f"id,nps{CLEAR},sat"] + [f"{i},{i % 11},{i % 5 + 1}" for i in range(40)]
    rows.append(f"41,ten{CLEAR},3")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    check(["score", path.name], tmp_path)


def test_report_workbook_holds_sanitised_text(hostile: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    src = tmp_path / "w.csv"
    src.write_bytes(hostile.read_bytes())
    o = check(
        ["report", src.name, "--segment", f"seg{BIDI}", "--comment", "comment"],
        tmp_path,
        inputs=[src],
    )
    assert o.exit_code == 0, o.stderr
    book = next(tmp_path.glob("*.xlsx"))
    wb = load_workbook(book)
    texts = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}
    assert "nps\\x1b[2J" in texts
    assert "z\\x00\\x7f\\x9b" in texts
    assert any("\\x1b" in t for t in texts)
    assert not any(FORBIDDEN.search(t.replace("\n", "").replace("\t", "")) for t in texts)


def test_excel_sheet_names_and_cells_are_sanitised() -> None:
    from openpyxl import Workbook

    from csitool.render.excel import Sheet, sheet_name

    name = sheet_name(f"a{CLEAR}\x00b", set())
    assert not FORBIDDEN.search(name)
    ws = Workbook().active
    sh = Sheet(ws, f"t{TITLE}", f"src{CLEAR}", "2024-01-01", "en")
    cell = sh.put(5, 1, "=1+1\x00")
    assert cell.value == "=1+1\\x00" and cell.data_type == "s"  # formula guard kept


def test_quality_sheet_lists_at_most_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """More exclusions than a sheet can hold: the first N, then exact counts for all."""
    import numpy as np

    from csitool.render import excel
    from csitool.survey.model import NOT_A_NUMBER, USED, Ledger

    monkeypatch.setattr(excel, "MAX_EXCLUDED_LISTED", 50)
    n = 400
    ledger = Ledger(n_rows=n, first_data_row=2, row_reason=np.zeros(n, np.int8))
    ledger.cells = {
        "q1": np.where(np.arange(n) % 2 == 0, NOT_A_NUMBER, USED).astype(np.int8),
        "q2": np.full(n, NOT_A_NUMBER, np.int8),
    }
    listed = ledger.excluded(None, limit=50)
    counts = ledger.exclusion_counts()
    # hand count: q1 every other row (200), q2 every row (400)
    assert counts == [("not_a_number", "q1", 200), ("not_a_number", "q2", 400)]
    assert len(listed) == 50 and listed[0]["row"] == 2 and listed[0]["column"] == "q1"
    assert ledger.excluded(None)[:50] == listed

    from openpyxl import Workbook

    class R:
        excluded = listed
        excluded_counts = counts
        excluded_listed = True
        lang = "en"
        path = "big.csv"

        def excluded_total(self) -> int:
            return 600

    ws = Workbook().active
    sh = excel.Sheet(ws, "t", "big.csv", "2024-01-01", "en")
    excel._quality(sh, R())  # type: ignore[arg-type]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("first 50 of 600" in str(v) and "--show-excluded" in str(v) for v in values)
    assert 200 in values and 400 in values
    assert ws.max_row < 80


# ---------------------------------------------------------------------------------------
# user errors that used to exit 70
# ---------------------------------------------------------------------------------------


def weights_file(folder: Path, weight: str) -> Path:
    path = folder / f"w_{abs(hash(weight))}.csv"
    rows = ["id,nps,sat,w"] + [f"{i},{i % 11},{i % 5 + 1},{weight}" for i in range(40)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["score", "compare", "drivers"])
def test_tiny_weights_give_the_unweighted_figures(tmp_path: Path, command: str) -> None:
    path = weights_file(tmp_path, "1e-300")
    args = [command, path.name, "--weight", "w"]
    if command == "compare":
        args += ["--by", "sat"]
    if command == "drivers":
        args += ["--attr", "nps", "--sat", "sat"]
    check(args, tmp_path)


def test_tiny_weights_equal_unweighted_json(tmp_path: Path) -> None:
    path = weights_file(tmp_path, "1e-300")
    args = ["score", path.name, "-f", "json"]
    weighted = json.loads(check([*args, "--weight", "w"], tmp_path).stdout)
    plain = json.loads(check(args, tmp_path).stdout)
    assert weighted["files"][0]["nps"]["score"] == pytest.approx(plain["files"][0]["nps"]["score"])


def test_infinite_weights_are_left_out_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "inf.csv"
    rows = ["id,nps,sat,w"] + [
        f"{i},{i % 11},{i % 5 + 1},{'inf' if i % 4 == 0 else '1.5'}" for i in range(40)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    o = check(["score", path.name, "--weight", "w", "-f", "json"], tmp_path)
    quality = json.loads(o.stdout)["files"][0]["quality"]
    assert quality["excluded"] == {"weight_not_positive": 10}  # rows 0, 4, ..., 36


def test_a_400_digit_number_is_not_a_number(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = ["id,nps,sat"] + [f"{i},{i % 11},{i % 5 + 1}" for i in range(40)]
    rows.append("41," + "9" * 400 + ",3")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    o = check(["score", path.name, "-f", "json"], tmp_path)
    assert json.loads(o.stdout)["files"][0]["quality"]["excluded"]


BAD_CONFIGS = {
    "ladder = 5": "[ladder] must be a table",
    "[csi]\nweights = 5": "[csi] weights must be a table",
    "[scales]\ndefault = [-inf, inf]": "[scales] 'default' must be a scale",
    "[scales]\nna = [nan]": "[scales] na must be",
    '[labels]\n"좋음" = nan': "must be a number",
    '[labels]\n"좋음" = inf': "must be a number",
    "[csi.weights]\nsat = nan": "[csi.weights] 'sat' must be a positive number",
    "[csi.weights]\nsat = inf": "[csi.weights] 'sat' must be a positive number",
    '[ladder."1-5"]\nvery = "x"\nsomewhat = 4\nneutral = 3': "must be numbers",
    "[score]\nmin_base = true": "[score] min_base",
    "[check]\nmin_nps = nan": "[check] min_nps must be a number",
    "roles = 5": "[roles] must be a table",
    "voc = [1]": "[voc] must be a table",
}


@pytest.mark.parametrize("text", list(BAD_CONFIGS), ids=list(range(len(BAD_CONFIGS))))
def test_bad_config_value_is_a_config_error(tmp_path: Path, text: str) -> None:
    from csitool.config import load_settings

    cfg = tmp_path / "csitool.toml"
    cfg.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    assert BAD_CONFIGS[text] in err.value.message
    assert err.value.message.startswith("Error: ")


def test_every_config_key_with_a_wrong_type_is_a_config_error(tmp_path: Path) -> None:
    """Each known table and key with values of every wrong type: a ConfigError or a
    valid setting, never another exception."""
    from csitool.batch import load_codebook
    from csitool.config import load_settings

    keys = {
        "roles": ["nps", "attrs", "segment", "weight"],
        "scales": ["default", "reverse", "na", "Q1"],
        "labels": ["unmapped", "good"],
        "ladder": ['"1-5"'],
        "csi": ["method", "weights"],
        "score": ["min_base", "confidence", "ci"],
        "stages": ["s1"],
        "drivers": ["target", "alpha", "ia_threshold", "min_cell", "split"],
        "check": ["min_nps", "min_n", "by", "baseline", "max_drop", "alpha", "significance"],
        "voc": ["themes", "sentiment"],
        "read": ["header_row", "sheet"],
        "report": ["x"],
    }
    values = ["5", '"x"', "[1]", "{a = 1}", "true", "nan", "inf", "[-inf, inf]", "[[1]]",
              '""', "-1", '["a", 1]', "{very = nan, somewhat = 1, neutral = 1}",
              "99999999999999999999"]  # fmt: skip
    cfg = tmp_path / "csitool.toml"
    for table, names in keys.items():
        for v in values:
            texts = [f"{table} = {v}"] + [f"[{table}]\n{k} = {v}" for k in names]
            for text in texts:
                cfg.write_text(text + "\n", encoding="utf-8")
                try:
                    s = load_settings(cfg)
                    load_codebook(None, s.voc, cfg)
                except ConfigError:
                    pass


def test_config_error_through_the_cli(hostile: Path, tmp_path: Path) -> None:
    src = tmp_path / "s.csv"
    src.write_bytes(hostile.read_bytes())
    (tmp_path / "csitool.toml").write_text("[csi]\nweights = 5\n", encoding="utf-8")
    check(["score", src.name], tmp_path, expect={3})


@pytest.mark.parametrize("pattern", ["late(?=r)", "(?<!not )good", "(a)\\\\1"])
def test_re2_rejected_pattern_is_a_config_error(hostile: Path, tmp_path: Path, pattern: str):
    book = tmp_path / "codebook.toml"
    book.write_text(f'[themes.a]\nkeywords = ["a"]\npatterns = ["{pattern}"]\n', encoding="utf-8")
    o = check(
        ["voc", str(hostile), "--comment", "comment", "--codebook", book.name],
        tmp_path,
        expect={3},
    )
    assert "RE2" in o.stderr and "lookarounds" in o.stderr


def test_huge_role_name_is_cut_in_the_message(hostile: Path) -> None:
    from csitool.survey.roles import find_column

    with pytest.raises(CsiError) as err:
        find_column("n" * 5_000_000, ["id", "nps"], "--nps", "f.csv")
    assert len(err.value.message) < 1000 and "5,000,000 characters" in err.value.message


def test_huge_role_name_through_the_cli(hostile: Path) -> None:
    # a 100 kB argument (the kernel caps one argument at 128 kB)
    o = check(["score", hostile.name, "--nps", "q" * 100_000], hostile.parent, expect={3})
    assert len(o.stderr) < 2000 and "100,000 characters" in o.stderr


# ---------------------------------------------------------------------------------------
# the environment: terminal width, encoding, unwritable or closed stdout, broken pipe
# ---------------------------------------------------------------------------------------


def test_columns_not_a_number(hostile: Path) -> None:
    o = check(["score", hostile.name], hostile.parent, env={"COLUMNS": "abc"}, expect={0})
    assert "NPS" in o.stdout


def test_ascii_stdout_escapes_korean(hostile: Path) -> None:
    o = check(
        ["score", hostile.name, "--lang", "ko"],
        hostile.parent,
        env={"PYTHONIOENCODING": "ascii"},
        expect={0},
    )
    assert "\\u" in o.stdout  # Korean words written as escapes, not a crash


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    env.pop("CSITOOL_DEBUG", None)
    return subprocess.run(
        ["sh", "-c", command], cwd=cwd, env=env, capture_output=True, timeout=30, check=False
    )


def test_broken_pipe_is_quiet(hostile: Path) -> None:
    py = sys.executable
    # 6,000 rows of CSV output: more than a pipe buffer, so the write itself fails
    big = write_survey(hostile.parent, "big.csv", rows=600)
    for fmt_ in ("table", "csv", "json"):
        r = _shell(
            f"'{py}' -m csitool score {big.name} --by 'seg\u202e' -f {fmt_} | head -1 >/dev/null;"
            ' echo "status=${PIPESTATUS:-}"',
            hostile.parent,
        )
        assert r.stderr == b"", r.stderr.decode()[-800:]
    # the status of csitool itself: 0, with nothing on standard error
    proc = subprocess.Popen(
        [py, "-m", "csitool", "score", big.name, "--by", "seg\u202e", "-f", "csv"],
        cwd=hostile.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=30) == 0 and err == b"", err.decode()[-800:]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("fmt_", ["table", "json"])
def test_dev_full_is_one_error(hostile: Path, fmt_: str) -> None:
    r = _shell(
        f"'{sys.executable}' -m csitool score '{hostile.name}' -f {fmt_} > /dev/full",
        hostile.parent,
    )
    err = r.stderr.decode()
    assert r.returncode == 3, err
    assert [x for x in err.splitlines() if x.startswith("Error:")] == [
        "Error: cannot write to standard output (No space left on device). Free some space "
        "on the disk it goes to, or write to a file with --output FILE where the command has it."
    ]
    assert "Traceback" not in err and not raw_controls(err)


def test_closed_stdout_is_one_error(hostile: Path) -> None:
    r = _shell(f"'{sys.executable}' -m csitool score '{hostile.name}' >&-", hostile.parent)
    err = r.stderr.decode()
    assert r.returncode == 3, err
    errors = [x for x in err.splitlines() if x.startswith("Error:")]
    assert len(errors) == 1 and "standard output is closed" in errors[0], err


# ---------------------------------------------------------------------------------------
# init writes TOML its own loader reads back
# ---------------------------------------------------------------------------------------

HOSTILE_NAMES = [
    "del\x7fname", f"esc{CLEAR}", "nul\x00x", 'quote"s', "back\\slash", "tab\tx",
    f"bidi{BIDI}", "c1\x9bx", "new\nline", "na", "default", "reverse", "#hash", "[x]",
]  # fmt: skip


def test_init_round_trips_hostile_names(tmp_path: Path) -> None:
    from csitool.config import load_settings

    path = tmp_path / f"s{CLEAR}.csv"
    header = ["id", "nps", *HOSTILE_NAMES]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(40):
            w.writerow([i, i % 11, *[(i + k) % 5 + 1 for k in range(len(HOSTILE_NAMES))]])
    out = tmp_path / "csitool.toml"
    o = check(["init", path.name], tmp_path, inputs=[path])
    assert o.exit_code == 0, o.stderr
    text = out.read_text(encoding="utf-8")
    assert not forbidden(text, keep="\n")
    settings_ = load_settings(out)
    assert settings_.roles.nps == "nps"
    read_back = set(settings_.scales) | set(settings_.roles.attrs)
    for name in HOSTILE_NAMES:
        if name not in ("na", "default", "reverse") and name.strip():
            assert name.strip() in read_back or name in read_back, (name, sorted(read_back))
    check(["score", path.name], tmp_path)  # and the file it wrote is used without error
