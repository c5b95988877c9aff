"""Run csitool on hostile input in a child process and check what a user must always get.

``run_cli(args, cwd=..., inputs=[...])`` runs ``python -m csitool`` in a fresh process (a
crash by signal or an abort in a native reader must not take the test process down), with
a time limit, and returns a :class:`Outcome` with the exit code, stdout, stderr, the peak
memory of the child and the seconds it took. ``assert_safe(outcome)`` asserts the
guarantees every hostile case shares:

- the exit code is one of 0, 1, 2, 3 (never 70, never a signal);
- a failure prints exactly one ``Error:`` line (plus optional ``Warning:``/``Note:`` lines);
- no raw control bytes (ESC, NUL, BEL, ...) on stdout or stderr;
- every input file is byte-identical afterwards (pass ``inputs``);
- no temporary or partial file is left in the folders written to (pass ``watch``);
- peak memory under 1 GB and an answer within the time limit.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OK_EXITS = {0, 1, 2, 3}
TIME_LIMIT = 10.0  # seconds; an interpreter start costs about 0.5 s of it
MEMORY_LIMIT_KB = 1024 * 1024  # 1 GB
CONTROL = {chr(c) for c in range(32) if chr(c) not in "\n\r\t"} | {"\x7f"}


@dataclass
class Outcome:
    args: list[str]
    exit_code: int  # negative: killed by that signal
    stdout: str
    stderr: str
    peak_kb: int
    seconds: float
    timed_out: bool


def digest(paths: Sequence[Path]) -> dict[Path, str | None]:
    """sha256 of each path that is a regular file (None for anything else)."""
    out: dict[Path, str | None] = {}
    for p in paths:
        try:
            out[p] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None
        except OSError:
            out[p] = None
    return out


def listing(folders: Sequence[Path]) -> set[Path]:
    return {p for f in folders if f.is_dir() for p in f.iterdir()}


#: A tiny parent for the command under test. A child started straight from pytest shares (vfork)
#: or copies (fork) pytest's memory until it execs, and its peak memory (ru_maxrss) counts that:
#: once pytest itself holds a gigabyte, every command would seem to. This shim starts small,
#: forks the command, and writes the command's own peak to the file named in argv[1].
SHIM = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_cli(
    args: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = TIME_LIMIT,
) -> Outcome:
    """Run ``python -m csitool ARGS`` in ``cwd`` and measure it."""
    import tempfile

    handle, peak_name = tempfile.mkstemp(prefix="csitool-peak-")
    os.close(handle)
    cmd = [sys.executable, "-S", "-c", SHIM, peak_name]
    cmd += [sys.executable, "-m", "csitool", *[str(a) for a in args]]
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "PYTHONHASHSEED": "0"}
    full_env.pop("CSITOOL_DEBUG", None)
    full_env.update(env or {})
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=full_env,
        start_new_session=True,  # a timeout kills the shim and the command together
    )
    chunks: dict[str, bytes] = {}

    def pump(name: str, stream: Any) -> None:
        chunks[name] = stream.read()

    readers = [
        threading.Thread(target=pump, args=("out", proc.stdout), daemon=True),
        threading.Thread(target=pump, args=("err", proc.stderr), daemon=True),
    ]
    for t in readers:
        t.start()
    if stdin is not None and proc.stdin is not None:
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except BrokenPipeError:
            pass

    def kill() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)

    timer = threading.Timer(timeout, kill)
    timer.start()
    # wait4 gives this child's own peak memory (ru_maxrss, KB on Linux)
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    timed_out = time.perf_counter() - start >= timeout
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in readers:
        t.join()
    seconds = time.perf_counter() - start
    out, err = chunks.get("out", b""), chunks.get("err", b"")
    try:
        peak = int(Path(peak_name).read_text() or usage.ru_maxrss)
    except ValueError:
        peak = int(usage.ru_maxrss)
    finally:
        os.unlink(peak_name)
    return Outcome(
        [str(a) for a in args],
        proc.returncode,
        out.decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        peak,
        seconds,
        timed_out,
    )


def raw_controls(text: str) -> list[str]:
    return sorted({repr(ch) for ch in text if ch in CONTROL})


def assert_safe(
    o: Outcome,
    *,
    inputs: Sequence[Path] = (),
    before: dict[Path, str | None] | None = None,
    watch: Sequence[Path] = (),
    listed_before: set[Path] | None = None,
    allowed_new: Sequence[Path] = (),
    expect: set[int] | None = None,
) -> None:
    """The guarantees of every hostile case (see the module docstring)."""
    what = " ".join(o.args)
    assert not o.timed_out, f"{what}: no answer within {TIME_LIMIT} s"
    assert o.exit_code in (expect or OK_EXITS), (
        f"{what}: exit {o.exit_code}\nstdout: {o.stdout[-800:]}\nstderr: {o.stderr[-800:]}"
    )
    assert o.peak_kb < MEMORY_LIMIT_KB, f"{what}: peak memory {o.peak_kb // 1024} MB"
    for stream, text in (("stdout", o.stdout), ("stderr", o.stderr)):
        bad = raw_controls(text)
        assert not bad, f"{what}: raw control characters {bad} on {stream}"
    assert "Traceback" not in o.stderr, f"{what}: traceback\n{o.stderr[-1500:]}"
    if o.exit_code in (2, 3):
        errors = [line for line in o.stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, f"{what}: expected one Error: line, got\n{o.stderr[-1500:]}"
    if before is not None:
        after = digest(list(before))
        changed = [str(p) for p in before if before[p] != after[p]]
        assert not changed, f"{what}: input(s) changed: {changed}"
    if listed_before is not None:
        new = listing(watch) - listed_before - set(allowed_new)
        leftovers = [p.name for p in new if p.name.startswith(".") or "tmp" in p.name.lower()]
        assert not leftovers, f"{what}: temporary files left: {leftovers}"
