"""JSON output: a versioned envelope around results' ``to_dict()``, at full precision."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

from csitool._version import __version__
from csitool.notes import Note

SCHEMA_VERSION = 2


def _clean(obj: Any) -> Any:
    if isinstance(obj, Note):
        return obj.to_dict()
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalar slipped through
        return _clean(obj.item())
    return obj


def envelope(command: str, files: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """``{"schema_version": 1, "tool": "csitool", "version", "command", "files": [...]}``."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": "csitool",
        "version": __version__,
        "command": command,
        "files": [_clean(f) for f in files],
    }


# json.dumps escapes C0 controls (ESC is \u001b) but passes DEL, C1 (0x9b is a one-byte
# CSI on some terminals) and bidi overrides through: escape those as \uXXXX too. They can
# only occur inside strings, so the JSON stays valid and decodes to the same text.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def dumps(data: dict[str, Any]) -> str:
    """Pretty JSON with real (non-escaped) Korean text and every control character escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
