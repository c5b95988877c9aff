"""Resource limits for reading: sizes and shapes real surveys never reach.

Each limit guards the native reader (calamine, through fastexcel) or pandas against a
crafted or damaged file that would otherwise abort the process, hang or exhaust memory. A
user with a genuinely bigger file raises a limit with an environment variable; every
message that cites a limit names its variable.

==============================  ==========  ===============================================
variable                        default     what it bounds
==============================  ==========  ===============================================
``CSITOOL_MAX_SHEET_MB``        200         uncompressed size of any part of a workbook
                                            (a sheet's XML, the shared strings); 100,000
                                            respondents x 60 questions is about 85 MB
``CSITOOL_MAX_RATIO``           200         compression ratio of a part over 4 MB (real
                                            sheets compress 5-20:1; zip bombs 1000:1)
``CSITOOL_MAX_CELLS``           25000000    rows x columns of the block a sheet's cells
                                            span (Excel's own grid is 1,048,576 x 16,384)
``CSITOOL_MAX_LINE_MB``         8           one line of a text file
``CSITOOL_MAX_STREAM_MB``       1024        standard input or a pipe (read once into
                                            memory)
==============================  ==========  ===============================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from csitool.errors import ConfigError

MB = 1 << 20
RATIO_FLOOR_BYTES = 4 * MB
"""Parts smaller than this are not held to the ratio limit: they cannot hurt."""


@dataclass(frozen=True)
class Limits:
    sheet_bytes: int = 200 * MB
    ratio: float = 200.0
    cells: int = 25_000_000
    line_bytes: int = 8 * MB
    stream_bytes: int = 1024 * MB


ENV = {
    "sheet_bytes": "CSITOOL_MAX_SHEET_MB",
    "ratio": "CSITOOL_MAX_RATIO",
    "cells": "CSITOOL_MAX_CELLS",
    "line_bytes": "CSITOOL_MAX_LINE_MB",
    "stream_bytes": "CSITOOL_MAX_STREAM_MB",
}


def current() -> Limits:
    """The limits in force: the defaults, raised or lowered by the environment."""
    values: dict[str, float | int] = {}
    for field, var in ENV.items():
        text = os.environ.get(var, "").strip()
        if not text:
            continue
        try:
            number = float(text)
        except ValueError:
            number = -1.0
        if not number > 0:
            raise ConfigError(
                f"Error: {var}={text!r} is not a positive number; unset it to use the "
                "default, or give e.g. 500."
            )
        if field.endswith("_bytes"):
            values[field] = int(number * MB)
        elif field == "cells":
            values[field] = int(number)
        else:
            values[field] = number
    return Limits(**values)  # type: ignore[arg-type]


def megabytes(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"
