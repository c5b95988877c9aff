"""Every command's JSON on the sample files is the stored golden output.

A refactor must leave the figures unchanged. Text, keys, counts and structure must match
exactly; floats to 1e-9 (relative), so that a different BLAS build cannot fail the test
while any real change of a figure does. When a change is meant to change the figures,
regenerate with ``python tests/golden/make_golden.py`` and say why in the commit.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from tests.golden.make_golden import CASES, HERE, run


def same(a: Any, b: Any, where: str = "$") -> list[str]:
    """Differences between two JSON values (floats compared to 1e-9 relative)."""
    if isinstance(a, float) or isinstance(b, float):
        ok = (
            isinstance(a, int | float)
            and isinstance(b, int | float)
            and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        )
        return [] if ok else [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{where}: keys {sorted(set(a) ^ set(b))}"]
        return [d for k in a for d in same(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: length {len(a)} != {len(b)}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in same(x, y, f"{where}[{i}]")
        ]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_json(name):
    expected = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    got = json.loads(run(CASES[name]))
    diffs = same(got, expected)
    assert not diffs, "\n".join(diffs[:20])
