"""Number formatting for people (rounding happens only here)."""

from __future__ import annotations

DASH = "–"


def num(x: float | None, digits: int = 1) -> str:
    """``12.3``; a dash for a missing value."""
    return DASH if x is None else f"{x:,.{digits}f}"


def signed(x: float | None, digits: int = 1) -> str:
    """``+12.3`` / ``-4.0``; a dash for a missing value."""
    return DASH if x is None else f"{x:+,.{digits}f}"


def pct(x: float | None, digits: int = 1) -> str:
    """``12.3%``; a dash for a missing value."""
    return DASH if x is None else f"{x:.{digits}f}%"


def interval(lo: float | None, hi: float | None, digits: int = 1) -> str:
    """``[1.2, 3.4]``; empty when the interval is unknown."""
    if lo is None or hi is None:
        return ""
    return f"[{lo:.{digits}f}, {hi:.{digits}f}]"


def count(n: int | float | None) -> str:
    """``1,234``; effective n keeps one decimal when it is not whole."""
    if n is None:
        return DASH
    if float(n).is_integer():
        return f"{int(n):,}"
    return f"{n:,.1f}"


def value(v: float) -> str:
    """A scale value without a needless ``.0``."""
    return str(int(v)) if float(v).is_integer() else str(v)
