"""Small UTF-8 text files that steer the analysis (``csitool.toml``, a VOC codebook).

Reading them is io's job like reading a survey export; the layers above parse and check
what they say. Errors are left to the caller, which knows which option named the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The text of the TOML file at ``path`` (a UTF-8 byte-order mark dropped) and its data.

    Raises ``OSError`` or ``UnicodeDecodeError`` when the file cannot be read as UTF-8 and
    ``tomllib.TOMLDecodeError`` when it is not valid TOML.
    """
    text = path.read_text(encoding="utf-8-sig")
    return text, tomllib.loads(text)
