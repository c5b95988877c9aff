"""Number formatting for people (rounding happens only here), and data text made safe to print."""

from __future__ import annotations

import re

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


# C0 controls, DEL, C1 controls, and the bidi embeddings/overrides/isolates that reorder
# what a terminal shows (U+202A-U+202E, U+2066-U+2069). ESC starts colour, clear-screen,
# window-title (OSC 0) and hyperlink (OSC 8) sequences; C1 0x9b is a one-byte CSI.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    return _NAMED.get(ch) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def safe(text: object, keep: str = "") -> str:
    """``text`` with every control or bidi-override character shown as a visible escape.

    Every string from the data (column names, answers, comments, file names, sheet names)
    goes through this before it reaches a terminal, a Markdown/CSV table, a GitHub
    annotation or a workbook cell: ``"\\x1b[2J"`` (clear screen) prints as the four
    characters ``\\x1b`` then ``[2J``; a right-to-left override as ``\\u202e``. Characters in
    ``keep`` (``"\\n"`` in multi-line cells, ``"\\n\\t"`` in CSV) stay as they are; printable
    text, Korean included, is never changed.

    >>> safe("nps\\x1b]0;pwned\\x07")
    'nps\\\\x1b]0;pwned\\\\x07'
    >>> safe("line one\\nline two", keep="\\n")
    'line one\\nline two'
    >>> safe("만족도 (1-5)")
    '만족도 (1-5)'
    """
    s = text if isinstance(text, str) else str(text)
    if not UNSAFE.search(s):
        return s
    if keep:
        return UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m), s)
    return UNSAFE.sub(_escape, s)


def ci_label(confidence: float) -> str:
    """``95% CI`` for 0.95, ``80% CI`` for 0.8, ``99.5% CI`` for 0.995: the label follows the
    confidence in use."""
    pct = f"{100 * confidence:.1f}".rstrip("0").rstrip(".")
    return f"{pct}% CI"
