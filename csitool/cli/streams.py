"""Standard output and error that never turn a user's setup into a traceback.

- Text the stream's encoding cannot hold (Korean on ``PYTHONIOENCODING=ascii``) is written
  as backslash escapes (``\\ud55c``) instead of raising ``UnicodeEncodeError``.
- A reader that stops early (``csitool score x | head -1``) ends the run quietly with
  exit 0, as the consumer got what it asked for: no message, no traceback.
- Output that cannot be written (standard output closed with ``>&-``, ``/dev/full``, an I/O
  error) is one ``Error:`` line on standard error and exit 3.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from typing import Any

from csitool.errors import EXIT_INPUT, EXIT_OK

# errors of a write to a stream (never of opening a named file: those carry a filename)
WRITE_ERRNOS = {errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO, errno.EDQUOT, errno.EFBIG}


class ClosedStream(io.TextIOBase):
    """Stands in for a standard output that was closed before the run (``>&-``): Python
    sets ``sys.stdout`` to None then. Writing raises EBADF, which becomes one message."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, s: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def prepare() -> None:
    """Make standard output and error tolerant before any command runs."""
    if sys.stdout is None:
        sys.stdout = ClosedStream()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (process-long)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def is_write_error(exc: BaseException) -> bool:
    """An OSError from writing to a stream (not from opening a named file)."""
    return (
        isinstance(exc, OSError)
        and exc.errno in WRITE_ERRNOS
        and getattr(exc, "filename", None) is None
    )


def silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so the flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def write_failed(exc: OSError) -> int:
    """Report an output that cannot be written; the exit code to use."""
    if exc.errno == errno.EPIPE:
        silence_stdout()
        return EXIT_OK
    silence_stdout()
    reason = exc.strerror or str(exc)
    fix = {
        errno.EBADF: "Redirect standard output to a file (> out.txt) instead of closing it",
        errno.ENOSPC: "Free some space on the disk it goes to",
        errno.EDQUOT: "Free some space within your disk quota",
    }.get(exc.errno or 0, "Check the device or file standard output goes to")
    try:
        print(
            f"Error: cannot write to standard output ({reason}). {fix}, or write to a file "
            "with --output FILE where the command has it.",
            file=sys.stderr,
        )
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return EXIT_INPUT


def finish(code: Any) -> int:
    """Flush standard output at the end of the run; the exit code to end with."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        if is_write_error(exc):
            result = write_failed(exc)
            return result if code in (0, None) else code
        raise
    except ValueError:  # flushed after close
        pass
    return code
