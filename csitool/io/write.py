"""Every file csitool writes goes through here: one check of all the paths a run will write
(:func:`check_outputs`), then atomic writes (:func:`write_bytes_atomic`).

The check refuses, before any work is done, to write over an input survey, a baseline, the
config or codebook in use, or another output of the same run (compared by resolved path
and, where both exist, by device and inode, so hard links and symlinks are caught); onto a
directory, a device, a FIFO or a socket; over an existing file the caller may not replace;
and into a folder that is missing, is a file, or is read-only. ``-`` and ``/dev/stdout``
mean standard output where the caller allows it, written directly (no temporary file).

Writes go to a temporary file in the target folder, renamed over the target, so an
interrupted run leaves the old file or the new one, never half of one. Temporary files are
named ``.<name>.csitool-XXXXXXXX.tmp``; one left behind by a killed run (older than
:data:`STALE_SECONDS`) is removed the next time csitool writes into that folder. Nothing
else is touched.

Errors are :class:`~csitool.errors.OutputError` with fields (the path as given, the
caller's label for it, what is wrong); the command line words them.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from csitool.errors import OutputError

STDOUT_NAMES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})
STALE_SECONDS = 600  # a temporary file this old belongs to a run that was killed
TEMP_MARK = ".csitool-"  # between the target's name and mkstemp's 8 random characters
TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\..*\.csitool-[a-z0-9_]{8}\.tmp$")
_NAME_ROOM = 120  # characters of the target's name kept in a temporary name (NAME_MAX 255)


@dataclass(frozen=True)
class Target:
    """A path a run will write.

    ``label`` is the caller's name for it (an option such as ``--junit``), used in errors;
    ``replace``: an existing file may be replaced; ``stdout``: ``-`` or ``/dev/stdout``
    mean standard output; ``make_parent``: a missing folder will be created
    (:func:`make_folder`), so only its nearest existing ancestor must be writable.
    """

    path: Path
    label: str = "output"
    replace: bool = True
    stdout: bool = False
    make_parent: bool = False


@dataclass(frozen=True)
class Kept:
    """A file the run reads and must never write: ``role`` says which (used in errors)."""

    path: Path
    role: str


def is_stdout(path: Path | str) -> bool:
    """``-`` or ``/dev/stdout`` (also ``/dev/fd/1``): standard output, not a file."""
    return str(path) in STDOUT_NAMES


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare the absolute path
        return path.absolute()


def _same(a: Path, b: Path) -> bool:
    """One file: the same resolved path, or the same device and inode (hard links)."""
    if a == b:
        return True
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def check_outputs(targets: Sequence[Target], kept: Sequence[Kept] = ()) -> None:
    """Refuse (:class:`OutputError`, exit 2) any target that is unsafe or cannot be written.

    Checked in this order for each target: standard output where not allowed; one of the
    ``kept`` files; an earlier target of the same run; a directory, device, FIFO or socket;
    an existing file without ``replace``; a missing folder, a file where a folder should
    be, or a read-only folder.
    """
    guarded = [(k, _resolve(k.path)) for k in kept if not is_stdout(k.path)]
    seen: list[tuple[Target, Path]] = []
    for t in targets:
        shown = str(t.path)
        if is_stdout(t.path):
            if not t.stdout:
                raise OutputError(shown, "stdout", label=t.label)
            continue
        where = _resolve(t.path)
        for k, kpath in guarded:
            if _same(where, kpath):
                raise OutputError(
                    shown, "protected", label=t.label, other=str(k.path), other_role=k.role
                )
        for o, opath in seen:
            if _same(where, opath):
                raise OutputError(
                    shown, "duplicate", label=t.label, other=str(o.path), other_role=o.label
                )
        seen.append((t, where))
        _check_place(t)


def _check_place(t: Target) -> None:
    shown = str(t.path)
    try:
        st = os.stat(t.path)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        st = None  # a file stands where a folder should be: found below
    except OSError as exc:
        raise _from_oserror(t.path, exc, t.label) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(shown, "directory", label=t.label)
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(shown, "special", label=t.label, detail=_kind(st.st_mode))
        if not t.replace:
            raise OutputError(shown, "exists", label=t.label)
    parent = t.path.parent
    folder = parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputError(shown, "not_folder", label=t.label, other=str(folder))
    if folder != parent and not t.make_parent:
        raise OutputError(shown, "no_folder", label=t.label, other=str(parent))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(shown, "read_only", label=t.label, other=str(folder))


def _from_oserror(path: Path, exc: OSError, label: str) -> OutputError:
    """An OSError met while writing ``path``, named by the output (never the temp file)."""
    shown, parent = str(path), str(path.parent)
    if exc.errno == errno.ENOENT:
        return OutputError(shown, "no_folder", label=label, other=parent)
    if exc.errno == errno.ENOTDIR:
        return OutputError(shown, "not_folder", label=label, other=parent)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(shown, "read_only", label=label, other=parent, detail=exc.strerror)
    if exc.errno == errno.EISDIR:
        return OutputError(shown, "directory", label=label)
    return OutputError(shown, "write_failed", label=label, detail=exc.strerror or str(exc))


def make_folder(path: Path, label: str = "output folder") -> None:
    """Create ``path`` and its parents if missing (``--out-dir``), as an OutputError if not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(str(path), "not_folder", label=label, other=str(path)) from None
    except OSError as exc:
        raise _from_oserror(path / "x", exc, label) from None


def clean_stale(folder: Path, now: float | None = None) -> list[Path]:
    """Remove csitool's own temporary files in ``folder`` older than :data:`STALE_SECONDS`
    (left by a killed run): regular files of ours only, matched by their distinctive name.
    Best effort: returns what was removed, and never fails."""
    removed: list[Path] = []
    limit = (time.time() if now is None else now) - STALE_SECONDS
    uid = os.getuid() if hasattr(os, "getuid") else None
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMP_NAME.match(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode) or st.st_mtime > limit:
                continue
            if uid is not None and st.st_uid != uid:
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def temp_name_for(target: Path) -> tuple[str, str]:
    """The ``prefix`` and ``suffix`` for mkstemp: ``.<name>.csitool-XXXXXXXX.tmp``."""
    return f".{target.name[:_NAME_ROOM]}{TEMP_MARK}", TEMP_SUFFIX


def write_bytes_atomic(path: Path, data: bytes, label: str = "output") -> None:
    """Write ``data`` to ``path`` atomically, with the permissions a normal write would give.

    ``-`` and ``/dev/stdout`` write to standard output directly. Any OSError becomes an
    :class:`OutputError` naming ``path`` (never the temporary file); the temporary file is
    removed.
    """
    path = Path(path)
    if is_stdout(path):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = _resolve(path)
    clean_stale(target.parent)
    prefix, suffix = temp_name_for(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
    except OSError as exc:
        raise _from_oserror(path, exc, label) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _from_oserror(path, exc, label) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
