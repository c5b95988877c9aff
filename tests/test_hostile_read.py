"""Crafted inputs must never crash, hang or eat memory (issue 14, items 2, 3 and 6).

Every case runs ``python -m csitool`` in a child process (tests/hostile/harness.py): exit in
{0, 1, 2, 3}, one ``Error:`` line naming the file on failure, inputs unchanged, peak memory
under 1 GB, an answer within 10 s. The crafted files are written at test time by
tests/hostile/make_crafted.py (a few KB each; the bombs are built from one compressed block
repeated, so they cost milliseconds). Before the fixes, each of them aborted the process
(SIGABRT), raised a raw PanicException traceback, hung, or read mojibake with exit 0.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import make_crafted as mc
from tests.hostile.harness import assert_safe, digest, listing, run_cli

# case -> (exit code, a fragment the output must hold)
REFUSED = {
    "stray_cell_value": "cell XFD1048576 holds a value far from the table",
    "unique_count_u32": "uniqueCount=4294967295",
    "unique_count_u64": "uniqueCount=18446744073709551615",
    "bomb": "CSITOOL_MAX_SHEET_MB",
    "bomb_lying": "damaged or crafted",
    "ratio": "CSITOOL_MAX_RATIO",
    "huge_string": "CSITOOL_MAX_SHEET_MB",
    "blank_grid": "CSITOOL_MAX_SHEET_MB",
}
READ = {
    # a formatted but empty cell at XFD1048576, or a dimension that claims the whole grid,
    # costs calamine nothing: the real block is read
    "stray_cell_styled": "NPS",
    "dimension_only": "NPS",
    "blank_columns_xlsx": "NPS",
    "blank_columns_csv": "NPS",
    "utf16_le_nobom": "NPS",
    "utf16_be_nobom": "NPS",
    "utf16_korean_nobom": "NPS",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("crafted")
    for name in (*REFUSED, *READ):
        mc.CASES[name](folder)
    mc.make_long_line_csv(folder, megabytes=12)  # over the 8 MB line limit
    mc.make_mixed_cp949(folder)
    return folder


def _path(corpus: Path, case: str) -> Path:
    matches = {
        "unique_count_u32": "unique_count_10.xlsx",
        "unique_count_u64": "unique_count_u64.xlsx",
        "blank_columns_xlsx": "blank_columns.xlsx",
        "blank_columns_csv": "blank_columns.csv",
        "utf16_le_nobom": "utf16_le_nobom.txt",
        "utf16_be_nobom": "utf16_be_nobom.txt",
        "utf16_korean_nobom": "utf16_korean_nobom.txt",
    }
    return corpus / matches.get(case, f"{case}.xlsx")


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_with_the_fix(corpus: Path, tmp_path: Path, case: str) -> None:
    path = _path(corpus, case)
    before = digest([path])
    o = run_cli(["score", path], cwd=tmp_path)
    assert_safe(o, before=before, expect={3})
    error = next(line for line in o.stderr.splitlines() if line.startswith("Error:"))
    assert path.name in error
    assert REFUSED[case] in error
    assert o.seconds < 5  # refused from the zip directory, not after reading


@pytest.mark.parametrize("case", sorted(READ))
def test_read_the_real_block(corpus: Path, tmp_path: Path, case: str) -> None:
    path = _path(corpus, case)
    before = digest([path])
    o = run_cli(["score", path], cwd=tmp_path)
    assert_safe(o, before=before, expect={0})
    assert READ[case] in o.stdout
    assert "Could not determine dtype" not in o.stderr


def test_blank_columns_are_cut_and_said(corpus: Path, tmp_path: Path) -> None:
    for name in ("blank_columns.xlsx", "blank_columns.csv"):
        o = run_cli(["inspect", corpus / name, "--format", "json"], cwd=tmp_path)
        assert_safe(o, expect={0})
        assert '"columns": 5' in o.stdout
        assert "blank columns after column 5" in o.stdout


def test_long_line_is_refused_before_parsing(corpus: Path, tmp_path: Path) -> None:
    path = corpus / "long_line.csv"
    o = run_cli(["score", path], cwd=tmp_path)
    assert_safe(o, before=digest([path]), expect={3})
    assert "line 7 is longer than 8 MB" in o.stderr and "CSITOOL_MAX_LINE_MB" in o.stderr


def test_mixed_cp949_cell_is_repaired_and_named(corpus: Path, tmp_path: Path) -> None:
    """Hand-made: line 18 holds '만족합니다' in CP949 inside an otherwise UTF-8 file."""
    path = corpus / "mixed_cp949.csv"
    o = run_cli(["voc", path, "--format", "json"], cwd=tmp_path)
    assert_safe(o, expect={0})
    assert "line(s) 18" in o.stderr and "CP949" in o.stderr
    o = run_cli(["inspect", path], cwd=tmp_path)
    assert "지점" in o.stdout and "segment" in o.stdout  # roles kept, no mojibake


def test_mixed_cp949_cell_fails_under_strict(corpus: Path, tmp_path: Path) -> None:
    o = run_cli(["score", corpus / "mixed_cp949.csv", "--strict"], cwd=tmp_path)
    assert_safe(o, expect={3})


def test_limits_can_be_raised(corpus: Path, tmp_path: Path) -> None:
    o = run_cli(["score", corpus / "ratio.xlsx"], cwd=tmp_path, env={"CSITOOL_MAX_RATIO": "2000"})
    assert_safe(o, expect={0})
    o = run_cli(["score", corpus / "ratio.xlsx"], cwd=tmp_path, env={"CSITOOL_MAX_RATIO": "x"})
    assert_safe(o, expect={3})
    assert "CSITOOL_MAX_RATIO='x' is not a positive number" in o.stderr


def test_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    o = run_cli(["score", fifo], cwd=tmp_path)
    assert_safe(o, expect={3})
    assert "is a named pipe (FIFO)" in o.stderr and "csitool score -" in o.stderr


def test_stdin_and_process_substitution_read_once(corpus: Path, tmp_path: Path) -> None:
    good = mc.make_good_csv(tmp_path)
    o = run_cli(["score", "-"], cwd=tmp_path, stdin=good.read_bytes())
    assert_safe(o, expect={0})
    if shutil.which("bash") is None:
        pytest.skip("bash is needed for <(...)")
    for path in (good, mc.make_good_xlsx(tmp_path)):
        proc = subprocess.run(
            ["bash", "-c", f'"{sys.executable}" -m csitool score <(cat "{path}")'],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "NO_COLOR": "1"},
        )
        assert proc.returncode == 0, proc.stderr
        assert "NPS" in proc.stdout


def test_panic_becomes_input_error() -> None:
    """A BaseException from the reader (what pyo3's PanicException is) names the file."""
    from csitool.errors import InputError
    from csitool.io.read import _native

    class Panic(BaseException):
        pass

    def boom() -> None:
        raise Panic("capacity overflow")

    with pytest.raises(InputError, match=r"x\.xlsx.*capacity overflow"):
        _native(boom, lambda why: f"Error: cannot read x.xlsx ({why})")
    with pytest.raises(KeyboardInterrupt):
        _native(lambda: (_ for _ in ()).throw(KeyboardInterrupt()), lambda why: why)


def test_run_job_keeps_a_panic_inside_its_job(monkeypatch: pytest.MonkeyPatch) -> None:
    from csitool import batch
    from csitool.config import RoleSpec

    class Panic(BaseException):
        pass

    def explode(job: batch.Job) -> None:
        raise Panic("boom")

    monkeypatch.setattr(batch, "build_report", explode)
    outcome, report = batch.run_job(batch.Job("a.xlsx", "a_report.xlsx", RoleSpec()))
    assert outcome.status == "failed" and "Panic: boom" in (outcome.error or "")
    assert report is None


def _batch_folder(tmp_path: Path, crash: bool) -> tuple[Path, list[Path], list[Path]]:
    folder = tmp_path / "in"
    folder.mkdir()
    good = [mc.make_good_xlsx(folder, "a_good.xlsx"), mc.make_good_csv(folder, "m_good.csv")]
    good.append(mc.make_good_xlsx(folder, "z_good.xlsx"))
    bad = [
        mc.make_stray_cell_value(folder),
        mc.make_unique_count_huge(folder),
        mc.make_bomb_lying(folder),
    ]
    if crash:
        bad.append(mc.make_far_cell_undeclared(folder))
    return folder, good, bad


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_keeps_failures_inside_their_files(tmp_path: Path, jobs: str) -> None:
    """Serial: every refusal is caught in its job. With --jobs 2 a file that still aborts
    the reader (a big sheet without a dimension, see csitool/io/package.py) kills only its
    worker: its outcome says so, the other reports are written, the batch exits 1."""
    folder, good, bad = _batch_folder(tmp_path, crash=jobs == "2")
    out = tmp_path / "out"
    before = digest([*good, *bad])
    listed = listing([folder])
    o = run_cli(
        ["report", folder, "--out-dir", out, "--jobs", jobs, "--summary", "json"],
        cwd=tmp_path,
        timeout=60,
    )
    assert_safe(o, before=before, watch=[folder], listed_before=listed, expect={1})
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"{p.stem}_report.xlsx" for p in good)
    for path in bad:
        assert path.name in o.stdout
    if jobs == "2":
        assert "crash (signal SIGABRT)" in o.stdout


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"a,b\n1,2\n", None),
        (b"a,b\n" + b"x" * 11 + b"\n", 2),  # hand count: line 2 holds 11 bytes > 10
        (b"a,b\r1,2\r", None),  # CR-only line breaks
        (b"abc\n" * 3 + b"y" * 30, 4),
        (b"y" * 30, 1),
        (b"a\n" * 100, None),
    ],
)
def test_line_limit_cases(data: bytes, line: int | None) -> None:
    import io

    from csitool.errors import InputError
    from csitool.io.limits import Limits
    from csitool.io.read import _check_lines

    if line is None:
        _check_lines(io.BytesIO(data), "s.csv", Limits(line_bytes=10))
        return
    with pytest.raises(InputError, match=rf"s\.csv: line {line} is longer than"):
        _check_lines(io.BytesIO(data), "s.csv", Limits(line_bytes=10))


def test_the_quick_size_check_of_small_sheets():
    from csitool.io.package import _certainly_small

    row = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>5</v></c></row>'
    assert _certainly_small(b"<sheetData>" + row + b"</sheetData>")
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    assert not _certainly_small(b"<sheetData>" + row + far + b"</sheetData>")
    wide = b'<row r="2"><c r="AAA2"><v>1</v></c></row>'
    assert not _certainly_small(b"<sheetData>" + row + wide + b"</sheetData>")
    no_ref = b'<row r="3"><c><v>1</v></c></row>'  # its place follows the cell before it
    assert not _certainly_small(b"<sheetData>" + row + no_ref + b"</sheetData>")
