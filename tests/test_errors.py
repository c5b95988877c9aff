"""Typed errors: the library raises errors with fields and words them for the Python API
(no ``--flag`` in a library message); the command line words the same fields with its options,
exactly as it did before the library learnt to speak Python."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import csitool
from csitool.cli.common import cli_message
from csitool.errors import (
    ColumnError,
    CsiError,
    MissingFileError,
    MissingRoleError,
    ReadError,
    SettingError,
    StrictError,
)
from csitool.io import read_table

SEMI = Path(__file__).parent / "data" / "semicolon.csv"
COLUMNS = ("id", "segment", "nps", "overall satisfaction", "q_staff", "q_price")
NEAR_NOPE = "Did you mean 'nps'? Columns: 'nps', 'id', 'segment', 'overall satisfaction', "
NEAR_NOPE += "'q_staff', 'q_price'."


def _library_words(exc: CsiError) -> None:
    """A library message names no command-line option."""
    assert "--" not in exc.message and "--" not in str(exc), exc.message


def test_unknown_column_for_a_role_has_fields_and_api_words():
    with pytest.raises(ColumnError) as info:
        csitool.load(SEMI, nps="nope")
    exc = info.value
    assert (exc.column, exc.role, exc.problem, exc.config) == ("nope", "nps", "unknown", False)
    assert exc.path == str(SEMI) and exc.choices == COLUMNS and exc.near == ("nps",)
    assert exc.message == f"Error: {SEMI}: unknown column 'nope' (nps=). {NEAR_NOPE}"
    _library_words(exc)
    assert cli_message(exc) == f"Error: {SEMI}: unknown column 'nope' (--nps). {NEAR_NOPE}"


def test_pattern_and_ambiguous_columns():
    with pytest.raises(ColumnError) as info:
        csitool.load(SEMI, attrs="zz_*")
    exc = info.value
    assert (exc.column, exc.role, exc.problem) == ("zz_*", "attrs", "no_match")
    _library_words(exc)
    assert "(attrs=) matches no column" in exc.message
    assert "the pattern 'zz_*' (--attr) matches no column" in cli_message(exc)
    with pytest.raises(ColumnError) as info:
        csitool.load(SEMI, attrs="q_")
    exc = info.value
    assert (exc.problem, exc.matches) == ("ambiguous", ("q_staff", "q_price"))
    _library_words(exc)
    assert "'q_' (--attr) matches several columns: 5: 'q_staff', 6: 'q_price'." in cli_message(exc)


def test_a_column_from_the_config_is_named_by_its_toml_key(tmp_path):
    (tmp_path / "csitool.toml").write_text('[roles]\nnps = "nope"\n', encoding="utf-8")
    with pytest.raises(ColumnError) as info:
        csitool.load(SEMI, config=tmp_path / "csitool.toml")
    exc = info.value
    assert exc.config and exc.role == "nps"
    want = f"Error: {SEMI}: unknown column 'nope' ([roles] nps in csitool.toml). {NEAR_NOPE}"
    assert exc.message == want and cli_message(exc) == want


def test_segments_and_waves_name_their_argument(tmp_path):
    survey = csitool.load(SEMI)
    with pytest.raises(ColumnError) as info:
        survey.segments("nope")
    assert info.value.role == "by" and "(by=)" in info.value.message
    _library_words(info.value)
    with pytest.raises(ColumnError) as info:
        csitool.compare(survey, wave="nope")
    assert info.value.role == "wave" and "(--wave)" in cli_message(info.value)
    _library_words(info.value)
    (tmp_path / "csitool.toml").write_text("[score]\nmax_segment_values = 2\n", encoding="utf-8")
    few = csitool.load(SEMI, config=tmp_path / "csitool.toml")
    with pytest.raises(ColumnError) as info:
        few.segments("id")
    exc = info.value
    assert (exc.problem, exc.count, exc.limit) == ("too_many_values", 25, 2)
    _library_words(exc)
    assert f"Error: {SEMI}: --by 'id' has 25 different values (the limit is 2)" in cli_message(exc)


# (call, error class, fields, the CLI's message: the text the command printed before this
# change, pinned so the command line's wording cannot move)
def _load(name: str) -> csitool.Survey:
    return csitool.load(Path(__file__).parent / "data" / name)


CORRECTIONS = "none, bonferroni, fdr"
ROWS = "nps, groups, csi, ladder, wow_gap, attr_csi, attr_top_box"
CASES = [
    (
        lambda: csitool.compare(_load("semicolon.csv"), period="month"),
        MissingRoleError,
        {"role": "date", "purpose": "period"},
        "{path}: --period needs a date column; name it with --date COLUMN.",
    ),
    (
        lambda: csitool.compare(_load("semicolon.csv")),
        SettingError,
        {"setting": "by", "problem": "missing"},
        "say what to compare: --by COLUMN (segments), --wave COLUMN or --period "
        "month|quarter|year (waves in one survey), or several surveys (waves).",
    ),
    (
        lambda: csitool.compare([_load("semicolon.csv")] * 2, by=["segment"]),
        SettingError,
        {"setting": "by", "problem": "one_survey"},
        "several surveys are compared as waves; --by, --wave and --period apply to one survey.",
    ),
    (
        lambda: csitool.compare([_load("semicolon.csv")] * 2, names=["a", "b", "c"]),
        SettingError,
        {"setting": "names", "problem": "count", "count": 3, "expected": 2},
        "--wave-names gives 3 names for 2 surveys.",
    ),
    (
        lambda: csitool.compare(_load("semicolon.csv"), by=["segment"], correction="holm"),
        SettingError,
        {"setting": "correction", "value": "holm"},
        f"--correction must be one of {CORRECTIONS} (got 'holm').",
    ),
    (
        lambda: csitool.compare(_load("semicolon.csv"), by=["segment"], rows=["nps", "bogus"]),
        SettingError,
        {"setting": "rows", "value": ("bogus",)},
        f"unknown --rows 'bogus'; choose from {ROWS}.",
    ),
    (
        lambda: csitool.check(_load("semicolon.csv"), max_drop={"nps": 5}),
        SettingError,
        {"setting": "max_drop", "needs": "baseline"},
        "--max-drop needs --baseline FILE (or [check] baseline in csitool.toml).",
    ),
    (
        lambda: csitool.drivers(_load("semicolon.csv"), target="q_staff"),
        ColumnError,
        {"role": "target", "column": "q_staff", "problem": "is_attribute"},
        "{path}: the target 'q_staff' is one of the attributes; choose another target, or "
        "leave it out of the attributes (--attr).",
    ),
    (
        lambda: csitool.drivers(_load("nps_wide_bom.csv"), target="sat"),
        MissingRoleError,
        {"role": "sat", "purpose": "target"},
        "{path}: no overall satisfaction item to explain. Name it with --sat COLUMN, or choose "
        "--target nps or --target COLUMN.",
    ),
    (
        lambda: csitool.drivers(_load("abc2.csv"), target="nps"),
        MissingRoleError,
        {"role": "nps", "purpose": "target"},
        "{path}: no NPS (0-10) item to explain. Name it with --nps COLUMN, or choose --target "
        "sat or --target COLUMN.",
    ),
    (
        lambda: csitool.drivers(_load("dupes_weights.csv")),
        MissingRoleError,
        {"role": "attrs", "purpose": "drivers"},
        "{path}: no attribute items to analyse. Name them with --attr (e.g. --attr 'Q5_*') or "
        "[roles] attrs in csitool.toml.",
    ),
    (
        lambda: csitool.drivers(_load("semicolon.csv"), target="zzz"),
        ColumnError,
        {"role": None, "column": "zzz", "near": ()},
        "{path}: unknown column 'zzz'. Columns: 'id', 'segment', 'nps', 'overall satisfaction', "
        "'q_staff', 'q_price'.",
    ),
    (
        lambda: csitool.voc(_load("semicolon.csv")),
        MissingRoleError,
        {"role": "comment", "purpose": "voc"},
        "{path}: no comment column found. Name it with --text COLUMN (repeatable) or [roles] "
        "comment in csitool.toml.",
    ),
    (
        lambda: csitool.voc(_load("semicolon.csv"), text=["nope"]),
        ColumnError,
        {"role": "text", "column": "nope"},
        "{path}: unknown column 'nope' (--text). " + NEAR_NOPE,
    ),
    (
        lambda: read_table(SEMI, hint="qualtrix"),
        SettingError,
        {"setting": "format_hint", "value": "qualtrix", "exit_code": 3},
        "--format-hint must be one of plain, qualtrics, surveymonkey, google, typeform, msforms, "
        "spss (got 'qualtrix').",
    ),
]


@pytest.mark.parametrize(("call", "kind", "fields", "cli"), CASES)
def test_library_errors_have_fields_and_the_cli_words_them(call, kind, fields, cli):
    with pytest.raises(kind) as info:
        call()
    exc = info.value
    for name, value in fields.items():
        assert getattr(exc, name) == value, name
    _library_words(exc)
    assert cli_message(exc) == "Error: " + cli.format(path=getattr(exc, "path", ""))


LOOKUP = "Number,Question\n1,What day?\n2,What time?\n3,Would you recommend?\n3a,Why?\n"
LOOKUP += "3b,Why not?\n"


def test_reading_errors_speak_python_and_the_cli_words_them(tmp_path, data):
    with pytest.raises(StrictError) as info:
        csitool.load(data / "leading_blank_rows.xlsx", strict=True)
    exc = info.value
    assert (exc.problem, exc.count, exc.uncertain) == ("invalid", 1, 0)
    _library_words(exc)
    assert "or load it with strict=False to leave them out" in exc.message
    assert cli_message(exc) == (
        f"Error: {data / 'leading_blank_rows.xlsx'}: --strict: 1 invalid value(s): row 8 'nps' "
        "= 12 (outside the item's scale). Fix them in the file, or drop --strict to leave them "
        "out of the analysis."
    )
    few = tmp_path / "few.csv"
    few.write_text("q1\n" + "1\n2\n3\n4\n4\n3\n2\n3\n" * 5, encoding="utf-8")
    with pytest.raises(StrictError) as info:
        csitool.load(few, strict=True)
    assert (info.value.problem, info.value.count) == ("uncertain", 1)
    _library_words(info.value)
    assert cli_message(info.value).endswith("[roles] ...), or drop --strict.")

    with pytest.raises(MissingFileError) as info:
        csitool.load(data / "semicolon.csv", config=tmp_path / "nope.toml")
    assert info.value.setting == "config" and "given as config=" in info.value.message
    _library_words(info.value)
    assert cli_message(info.value) == (
        f"Error: config file {tmp_path / 'nope.toml'} not found. Check the path given to --config."
    )
    survey = csitool.load(data / "laptop_reviews_300.csv")
    with pytest.raises(MissingFileError) as info:
        csitool.voc(survey, codebook=tmp_path / "nope.toml")
    assert info.value.setting == "codebook"
    _library_words(info.value)
    assert cli_message(info.value).endswith("Check the path given to --codebook.")

    lookup = tmp_path / "lookup.csv"
    lookup.write_text(LOOKUP, encoding="utf-8")
    with pytest.raises(MissingRoleError) as info:
        csitool.nps(csitool.load(lookup))
    exc = info.value
    assert (exc.role, exc.purpose, exc.choices) == ("items", "score", ("Number", "Question"))
    _library_words(exc)
    assert cli_message(exc) == (
        f"Error: {lookup}: no rating item found (no NPS, overall satisfaction or attribute "
        "column), so there is nothing to score. Name them with --nps COLUMN, --sat COLUMN or "
        '--attr COLUMN, or under [roles] in csitool.toml (nps = "...", sat = "...", '
        "attrs = [\"...\"]). Columns: 'Number', 'Question'."
    )


def test_report_errors_keep_their_cli_words(run, data, tmp_path):
    lookup = tmp_path / "lookup.csv"
    lookup.write_text(LOOKUP, encoding="utf-8")
    r = run("report", lookup, "-o", tmp_path / "l.xlsx")
    assert r.exit_code == 3 and r.stderr == (
        f"Error: {lookup}: no rating item found (no NPS, overall satisfaction or attribute "
        "column), so there is nothing to report. Name them with --sat COLUMN, --nps COLUMN (and "
        '--attr COLUMN), or in csitool.toml under [roles] (sat = "...", nps = "...", '
        "attrs = [\"...\"]). Columns: 'Number', 'Question'.\n"
    )
    r = run("report", data / "semicolon.csv", data / "abc2.csv", "-o", tmp_path / "two.xlsx")
    assert r.exit_code == 2 and r.stderr == (
        "Error: --output names one workbook but 2 inputs were given; use --out-dir for a batch.\n"
    )


@pytest.mark.parametrize(
    ("call", "problem", "api", "cli"),
    [
        (
            lambda d: read_table(d / "ko_cp949.csv", encoding="klingon"),
            "unknown_encoding",
            'Use e.g. encoding="utf-8", cp949 or utf-16.',
            "Error: unknown encoding 'klingon' for {data}/ko_cp949.csv. Use e.g. --encoding "
            "utf-8, cp949 or utf-16.",
        ),
        (
            lambda d: read_table(d / "ko_cp949.csv", encoding="ascii"),
            "invalid_encoding",
            'Leave encoding= out to detect it, or try encoding="utf-8" / cp949 / utf-16.',
            "Error: {data}/ko_cp949.csv is not valid ascii ('ascii' codec can't decode byte 0xc0 "
            "in position 0: ordinal not in range(128)). Leave --encoding out to detect it, or "
            "try --encoding utf-8 / cp949 / utf-16.",
        ),
        (
            lambda d: read_table(d / "second_sheet.xlsx", sheet="x"),
            "no_sheet",
            "Pass a name or a number (1 = first sheet) to sheet=.",
            "Error: {data}/second_sheet.xlsx has no sheet 'x'. Sheets: 1: '표지', 2: 'data'. "
            "Pass a name or a number (1 = first sheet) to --sheet.",
        ),
        (
            lambda d: read_table(d / "semicolon.csv", header_row=400),
            "nothing_from_header",
            "(header_row=N, or [read] header_row in csitool.toml).",
            "Error: {data}/semicolon.csv: nothing on or after line 400, the header row asked "
            "for. Give the line that holds the column names (--header-row N, or [read] "
            "header_row in csitool.toml).",
        ),
        (
            lambda d: read_table(d / "second_sheet.xlsx", header_row=400),
            "no_rows_under_header",
            "Check the header row (header_row=N, or [read] header_row in csitool.toml).",
            "Error: {data}/second_sheet.xlsx: sheet 'data' has no data rows under its header on "
            "row 400. Check the header row (--header-row N, or [read] header_row in "
            "csitool.toml).",
        ),
    ],
)
def test_read_errors_name_the_setting(data, call, problem, api, cli):
    # cli: what each command printed before the error was typed
    with pytest.raises(ReadError) as info:
        call(data)
    exc = info.value
    assert exc.problem == problem and api in exc.message
    _library_words(exc)
    assert cli_message(exc) == cli.format(data=data)


@pytest.mark.parametrize(
    ("error", "cli"),
    [
        # the wording these had before they were typed (csitool/io/read.py)
        (
            ReadError("a.csv", "undecodable", encoding="cp949", detail="why"),
            "Error: a.csv cannot be decoded as cp949 (why). Pass the right one, e.g. --encoding "
            "cp949 (Korean Excel) or --encoding utf-8.",
        ),
        (
            ReadError("a.csv", "undecodable_forced", encoding="cp949", detail="why"),
            "Error: a.csv cannot be decoded as cp949 (why). Leave --encoding out to detect it.",
        ),
        (
            ReadError("a.csv", "not_utf8", row=7),
            "Error: a.csv is not valid UTF-8 (first on line 7) and not mostly UTF-8 either. Pass "
            "its encoding, e.g. --encoding cp949 (Korean Excel) or --encoding latin-1.",
        ),
        (
            ReadError("a.csv", "not_qualtrics"),
            "Error: a.csv: looks like a Qualtrics export but its third row is not the ImportId "
            "row. Export it again from Qualtrics (CSV or Excel, all header rows), or pass "
            "--format-hint plain to read it as a plain table.",
        ),
        (
            ReadError("a.xlsx", "sheet_unreadable", sheet="S", detail="why"),
            "Error: cannot read sheet 'S' of a.xlsx (why). Open it in Excel and save a copy, or "
            "choose another sheet with --sheet.",
        ),
    ],
)
def test_read_errors_without_a_fixture(error, cli):
    _library_words(error)
    assert cli_message(error) == cli


def test_typed_errors_survive_a_worker_process():
    exc = ColumnError(path="a.csv", column="x", role="nps", choices=("y",))
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is ColumnError and back.message == exc.message
    assert (back.role, back.column, back.choices) == ("nps", "x", ("y",))
    missing = pickle.loads(pickle.dumps(MissingRoleError("a.csv", "sat", "target")))
    assert cli_message(missing).startswith("Error: a.csv: no overall satisfaction item")


def test_a_plain_message_is_printed_as_it_is():
    text = "Error: x: unknown column 'y'."
    assert cli_message(ColumnError(text)) == text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", SEMI, "--nps", "nope"], f"unknown column 'nope' (--nps). {NEAR_NOPE}"),
        (["score", SEMI, "--segment", "nope"], f"unknown column 'nope' (--segment). {NEAR_NOPE}"),
        (["score", SEMI, "--by", "nope"], f"unknown column 'nope' (--by). {NEAR_NOPE}"),
        (["compare", SEMI, "--wave", "nope"], f"unknown column 'nope' (--wave). {NEAR_NOPE}"),
        (["voc", SEMI, "--text", "nope"], f"unknown column 'nope' (--text). {NEAR_NOPE}"),
        (["report", SEMI, "--nps", "nope", "-o", "r.xlsx"],
         f"unknown column 'nope' (--nps). {NEAR_NOPE}"),
        (["score", SEMI, "--attr", "zz_*"], "the pattern 'zz_*' (--attr) matches no column. "
         "Columns: 'id', 'segment', 'nps', 'overall satisfaction', 'q_staff', 'q_price'."),
    ],
)  # fmt: skip
def test_cli_messages_are_unchanged(run, args, message):
    # the text each command printed before the library's errors were typed
    r = run(*args)
    assert r.exit_code == 3
    assert r.stderr == f"Error: {SEMI}: {message}\n"


def test_a_batch_words_a_failure_with_the_options(run, data, tmp_path):
    import json

    r = run("report", data / "semicolon.csv", data / "abc2.csv", "--nps", "nps", "--out-dir",
            tmp_path / "out", "-j", "2", "--format", "json")  # fmt: skip
    assert r.exit_code == 1
    failed = [f for f in json.loads(r.stdout)["files"] if f["status"] == "failed"]
    assert failed[0]["error"].startswith(f"{data / 'abc2.csv'}: unknown column 'nps' (--nps). ")
