"""A small per-user cache of results that are slow to make and never change for the same
inputs (Kiwi's morpheme starts per word): JSON files in ``$CSITOOL_CACHE_DIR``, else
``$XDG_CACHE_HOME/csitool``, else ``~/.cache/csitool``. ``CSITOOL_CACHE_DIR=none`` keeps no
cache. A cache file only saves time: one that cannot be read is ignored, one that cannot
be written is not written, and no figure depends on it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ENV = "CSITOOL_CACHE_DIR"
MAX_BYTES = 32 * 1024 * 1024  # a cache file larger than this is neither read nor grown


def cache_dir() -> Path | None:
    """The cache folder (not created here), or None when ``CSITOOL_CACHE_DIR=none``."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen.lower() == "none":
        return None
    if chosen:
        return Path(chosen).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "csitool"


def read_cached(name: str) -> Any | None:
    """The JSON value of cache file ``name``, or None (no cache, no file, too large,
    unreadable, not JSON)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        path = folder / name
        if path.stat().st_size > MAX_BYTES:
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RuntimeError):  # RuntimeError: no home folder
        return None


def write_cached(name: str, value: Any) -> bool:
    """Write ``value`` as JSON to cache file ``name`` atomically (:func:`write_bytes_atomic`:
    a reader sees the old file or the new one, never half of one); False when there is no
    cache or it cannot be written, or the result would be too large."""
    from csitool.errors import OutputError
    from csitool.io.write import write_bytes_atomic

    folder = cache_dir()
    if folder is None:
        return False
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_BYTES:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(folder / name, data, "cache file")
    except (OSError, RuntimeError, OutputError):  # RuntimeError: no home folder
        return False
    return True
