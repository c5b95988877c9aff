"""Never clobber: every path csitool writes goes through one check (csitool/io/write.py).

Each case runs the real command line in a child process (tests/hostile/harness.py) on
copies of the shipped files in tmp_path, and asserts the exit code, the exact ``Error:``
line naming the output, that every input is byte-identical afterwards and that no
temporary file is left. Refusals happen before the survey is read, so most cases cost one
interpreter start.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import time
from pathlib import Path

import pytest

from tests.hostile.harness import Outcome, assert_safe, digest, listing, run_cli

ROOT = Path(__file__).parent.parent
SURVEY = ROOT / "sample_data" / "survey_en.csv"
SMALL = ROOT / "tests" / "data" / "semicolon.csv"  # 25 rows: fast when a run gets that far


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """s.csv (the English sample), a.csv and b.csv (small), base.csv (a baseline copy)."""
    shutil.copy(SURVEY, tmp_path / "s.csv")
    shutil.copy(SMALL, tmp_path / "a.csv")
    shutil.copy(SMALL, tmp_path / "b.csv")
    shutil.copy(SURVEY, tmp_path / "base.csv")
    return tmp_path


def refused(work: Path, args: list[str], message: str, *, code: int = 2) -> Outcome:
    """Run ``args`` in ``work``; assert the exit code, the one exact Error: line, every file
    of ``work`` unchanged and no file added (no output, no temporary file)."""
    files = sorted(p for p in work.rglob("*") if p.is_file() and not p.is_symlink())
    before = digest(files)
    listed = listing([work])
    o = run_cli(args, cwd=work)
    assert_safe(o, before=before, watch=[work], listed_before=listed, expect={code})
    errors = [line for line in o.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [message], o.stderr
    assert listing([work]) == listed, "nothing may be written when the output is refused"
    return o


# --- never an input, a baseline, the config, the codebook, or another output of the run ---


def test_check_junit_onto_the_input(work: Path) -> None:
    refused(
        work,
        ["check", "s.csv", "--junit", "s.csv"],
        "Error: --junit s.csv is one of the input files; choose another name.",
    )


def test_check_junit_onto_the_baseline(work: Path) -> None:
    refused(
        work,
        ["check", "s.csv", "--baseline", "base.csv", "--junit", "base.csv"],
        "Error: --junit base.csv is the --baseline file; choose another name.",
    )


def test_check_junit_onto_the_baseline_named_in_the_config(work: Path) -> None:
    (work / "csitool.toml").write_text('[check]\nbaseline = "base.csv"\n', encoding="utf-8")
    refused(
        work,
        ["check", "s.csv", "--junit", "base.csv"],
        "Error: --junit base.csv is the --baseline file; choose another name.",
    )


def test_check_junit_onto_the_config(work: Path) -> None:
    (work / "csitool.toml").write_text("[score]\nmin_base = 30\n", encoding="utf-8")
    refused(
        work,
        ["check", "s.csv", "--junit", "csitool.toml"],
        "Error: --junit csitool.toml is the config file in use; choose another name.",
    )
    (work / "rules.toml").write_text("[check]\nmin_nps = -100\n", encoding="utf-8")
    refused(
        work,
        ["check", "s.csv", "--config", "rules.toml", "--junit", "rules.toml"],
        "Error: --junit rules.toml is the config file in use; choose another name.",
    )


def test_voc_show_codebook_onto_the_input(work: Path) -> None:
    refused(
        work,
        ["voc", "s.csv", "--show-codebook", "-o", "s.csv"],
        "Error: --output s.csv is one of the input files; choose another name.",
    )


def test_voc_output_onto_the_codebook(work: Path) -> None:
    book = '[themes.wait]\nlabel = "wait"\nkeywords = ["wait"]\n'
    (work / "book.toml").write_text(book, encoding="utf-8")
    refused(
        work,
        ["voc", "--codebook", "book.toml", "--show-codebook", "-o", "book.toml"],
        "Error: --output book.toml is the codebook in use; choose another name.",
    )


def test_voc_export_tagged_onto_its_own_output(work: Path) -> None:
    refused(
        work,
        ["voc", "s.csv", "-o", "x.csv", "--export-tagged", "x.csv"],
        "Error: --export-tagged x.csv is also where this run writes --output x.csv; "
        "give each output its own name.",
    )


def test_hard_link_and_symlink_to_the_input_are_the_input(work: Path) -> None:
    os.link(work / "s.csv", work / "hard.csv")
    (work / "soft.csv").symlink_to("s.csv")
    refused(
        work,
        ["score", "s.csv", "-o", "hard.csv"],
        "Error: --output hard.csv is one of the input files (s.csv, the same file); "
        "choose another name.",
    )
    refused(
        work,
        ["score", "s.csv", "-o", "soft.csv"],
        "Error: --output soft.csv is one of the input files (s.csv, the same file); "
        "choose another name.",
    )


def test_report_combined_onto_one_of_its_workbooks(work: Path) -> None:
    refused(
        work,
        ["report", "a.csv", "b.csv", "--combined", "a_report.xlsx"],
        "Error: --combined a_report.xlsx is also where this run writes workbook "
        "a_report.xlsx; give each output its own name.",
    )


def test_report_summary_md_onto_a_workbook(work: Path) -> None:
    refused(
        work,
        ["report", "a.csv", "b.csv", "--out-dir", "out", "--summary-md", "out/b_report.xlsx"],
        "Error: --summary-md out/b_report.xlsx is also where this run writes workbook "
        "out/b_report.xlsx; give each output its own name.",
    )


def test_report_out_dir_that_is_a_file(work: Path) -> None:
    refused(
        work,
        ["report", "a.csv", "--out-dir", "b.csv"],
        "Error: cannot write workbook b.csv/a_report.xlsx: b.csv is a file, not a folder; "
        "choose another path.",
    )


def test_report_combined_claimed_only_when_written(work: Path) -> None:
    """A batch whose every file fails writes no combined workbook, and says none."""
    (work / "in").mkdir()
    (work / "in" / "bad.csv").write_text("comment\nhello\n", encoding="utf-8")
    o = run_cli(["report", "in", "--combined", "all.xlsx", "--summary", "json"], cwd=work)
    assert_safe(o, expect={1})
    assert json.loads(o.stdout)["combined"] is None
    assert not (work / "all.xlsx").exists()


# --- never a folder, device or FIFO; -o - and /dev/stdout are standard output -------------


def test_output_onto_a_directory(work: Path) -> None:
    (work / "out").mkdir()
    refused(
        work,
        ["score", "a.csv", "-o", "out"],
        "Error: --output out is a folder; name a file (inside it, e.g. out/out.txt).",
    )


def test_output_onto_a_fifo(work: Path) -> None:
    os.mkfifo(work / "pipe")
    refused(
        work,
        ["score", "a.csv", "-o", "pipe"],
        "Error: --output pipe is a FIFO (named pipe), not a regular file; name a regular file "
        "(or leave the option out and redirect standard output).",
    )
    assert stat.S_ISFIFO(os.stat(work / "pipe").st_mode)


def test_output_onto_a_device(work: Path) -> None:
    refused(
        work,
        ["score", "a.csv", "-o", "/dev/null"],
        "Error: --output /dev/null is a device, not a regular file; name a regular file "
        "(or leave the option out and redirect standard output).",
    )


@pytest.mark.parametrize("dash", ["-", "/dev/stdout"])
def test_output_to_standard_output(work: Path, dash: str) -> None:
    listed = listing([work])
    o = run_cli(["score", "a.csv", "-f", "json", "-o", dash], cwd=work)
    assert_safe(o, watch=[work], listed_before=listed, expect={0})
    assert json.loads(o.stdout)["command"] == "score"
    assert listing([work]) == listed  # no file named "-", no temporary file


def test_junit_cannot_be_standard_output(work: Path) -> None:
    refused(
        work,
        ["check", "a.csv", "--junit", "-"],
        "Error: --junit cannot be standard output (-); name a file.",
    )


# --- folders: missing, a file in the way, read-only ----------------------------------------


def test_output_into_a_missing_folder(work: Path) -> None:
    refused(
        work,
        ["score", "a.csv", "-o", "nope/x.json"],
        "Error: cannot write --output nope/x.json: folder nope does not exist; create it "
        "first (mkdir -p nope) or choose another folder.",
    )


def test_output_under_a_regular_file(work: Path) -> None:
    """Fails for root too (unlike a read-only folder)."""
    refused(
        work,
        ["score", "a.csv", "-o", "a.csv/out.json"],
        "Error: cannot write --output a.csv/out.json: a.csv is a file, not a folder; "
        "choose another path.",
    )


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root ignores folder permissions, so a read-only folder is writable for it; "
    "test_output_under_a_regular_file covers a folder that cannot be written for root too",
)
def test_output_into_a_read_only_folder(work: Path) -> None:
    (work / "ro").mkdir()
    (work / "ro").chmod(0o555)
    try:
        refused(
            work,
            ["score", "a.csv", "-o", "ro/x.json"],
            "Error: cannot write --output ro/x.json: folder ro is not writable; choose a "
            "folder you can write to.",
        )
    finally:
        (work / "ro").chmod(0o755)


def test_report_existing_summary_needs_force(work: Path) -> None:
    (work / "sum.md").write_text("keep me\n", encoding="utf-8")
    refused(
        work,
        ["report", "a.csv", "--summary-md", "sum.md"],
        "Error: --summary-md sum.md already exists; pass --force to overwrite it.",
    )


# --- temporary files ------------------------------------------------------------------------


def test_stale_temp_files_of_ours_are_cleaned_and_nothing_else(work: Path) -> None:
    old = time.time() - 20 * 60
    stale = work / ".x.json.csitool-ab12cd_9.tmp"  # a run killed 20 minutes ago
    fresh = work / ".x.json.csitool-zz12cd34.tmp"  # maybe a run writing right now
    other = work / ".x.json.ab12cd34.tmp"  # not our naming: never touched
    for p in (stale, fresh, other):
        p.write_bytes(b"partial")
    for p in (stale, other):
        os.utime(p, (old, old))
    o = run_cli(["score", "a.csv", "-f", "json", "-o", "x.json"], cwd=work)
    assert_safe(o, expect={0})
    assert json.loads((work / "x.json").read_text(encoding="utf-8"))["command"] == "score"
    assert not stale.exists() and fresh.exists() and other.exists()
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".")) == sorted(
        [fresh.name, other.name]
    )


def test_a_write_failure_names_the_output_not_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process: the rename fails (disk full); the error names the target and the
    temporary file is gone."""
    from csitool.errors import OutputError
    from csitool.io import write

    def full(src: str, dst: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), src)

    monkeypatch.setattr(write.os, "replace", full)
    target = tmp_path / "x.json"
    with pytest.raises(OutputError) as caught:
        write.write_bytes_atomic(target, b"{}", "--output")
    exc = caught.value
    assert (exc.path, exc.problem, exc.label) == (str(target), "write_failed", "--output")
    assert exc.detail == os.strerror(errno.ENOSPC) and ".tmp" not in exc.message
    assert list(tmp_path.iterdir()) == []
