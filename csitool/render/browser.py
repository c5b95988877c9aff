"""Headless Chromium: the HTML report printed to PDF (and, for tests and the README, a
screenshot or the rendered DOM).

The binary is ``$CSITOOL_CHROMIUM`` when set, else the first of ``chromium``,
``chromium-browser`` and ``google-chrome`` on ``PATH``. It runs with a throw-away profile
and without any of its background network traffic (no sync, no component updates), on a
page that loads nothing from the network. The PDF is printed into a temporary folder and
then written to its target atomically (:func:`csitool.io.write.write_bytes_atomic`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from csitool.errors import OutputError, UsageError

ENV = "CSITOOL_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 120  # seconds for one page; a report prints in 1-3 s
NO_CHROMIUM = (
    "Error: PDF needs Chromium; install it (Debian: apt-get install chromium) or write .html "
    "(or set CSITOOL_CHROMIUM to the browser's path)."
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def find_chromium() -> str | None:
    """The Chromium to run: ``$CSITOOL_CHROMIUM`` (a path or a name on PATH) when set, else
    the first of :data:`NAMES` on ``PATH``; None when there is none."""
    given = os.environ.get(ENV)
    if given:
        return shutil.which(given)
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def need_chromium() -> str:
    """The Chromium to run, or :class:`UsageError` (exit 2) saying how to get one."""
    found = find_chromium()
    if found is None:
        raise UsageError(NO_CHROMIUM)
    return found


def run_chromium(url: str, extra: Sequence[str], timeout: int = TIMEOUT) -> str:
    """Run headless Chromium on ``url`` with :data:`FLAGS`, a fresh profile and ``extra``;
    returns its standard output (``--dump-dom`` prints the page there). Raises
    ``RuntimeError`` with Chromium's last words when it fails or times out."""
    binary = need_chromium()
    with tempfile.TemporaryDirectory(prefix="csitool-chromium-") as profile:
        args = [binary, *FLAGS, f"--user-data-dir={profile}", *extra, url]
        try:
            done = subprocess.run(
                args, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"Chromium did not finish within {timeout} s") from None
        except OSError as exc:
            raise RuntimeError(f"Chromium could not start ({exc.strerror or exc})") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"Chromium exited with status {done.returncode}: {last}")
    return done.stdout


def print_pdf(html: str, target: Path, label: str = "report") -> None:
    """Print the page ``html`` to the PDF ``target`` (A4, the page's print CSS, no header
    or footer lines), atomically. Chromium missing: :class:`UsageError` (exit 2); Chromium
    failing: :class:`OutputError` naming ``target``."""
    from csitool.io.write import write_bytes_atomic

    need_chromium()
    with tempfile.TemporaryDirectory(prefix="csitool-pdf-") as folder:
        page = Path(folder) / "report.html"
        page.write_text(html, encoding="utf-8")
        out = Path(folder) / "report.pdf"
        try:
            run_chromium(page.as_uri(), [f"--print-to-pdf={out}", "--no-pdf-header-footer"])
        except RuntimeError as exc:
            raise OutputError(str(target), "write_failed", label=label, detail=str(exc)) from None
        if not out.is_file() or out.stat().st_size == 0:
            raise OutputError(
                str(target), "write_failed", label=label, detail="Chromium wrote no PDF"
            )
        data = out.read_bytes()
    write_bytes_atomic(target, data, label)


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 2000) -> None:
    """A PNG of the page ``page`` as a ``width`` x ``height`` window shows it."""
    run_chromium(
        page.resolve().as_uri(),
        [f"--screenshot={png.resolve()}", f"--window-size={width},{height}", "--hide-scrollbars"],
    )


def dump_dom(page: Path) -> str:
    """The page's DOM after Chromium has rendered it, as HTML."""
    return run_chromium(page.resolve().as_uri(), ["--dump-dom"])
