"""The exception family of csitool and the exit code each one maps to.

Every error a user can cause is a :class:`CsiError`. The command line prints its
message (which names the file and the fix) and exits with its ``exit_code``;
anything else is a bug and exits 70.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_BUG = 70
QUOTE_LIMIT = 200  # characters of user text echoed in a message


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """User text (a column, role, value or pattern) as a message quotes it: ``repr`` (so
    control and bidi characters show as escapes), cut to ``limit`` characters with an
    ellipsis and the full length, so a 50 MB role name does not come back whole.

    >>> quote("Q5")
    "'Q5'"
    >>> quote("x" * 500, limit=5)
    "'xxxxx…' (500 characters)"
    """
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit] + '…'!r} ({len(value):,} characters)"
    text = repr(value)
    if len(text) > limit + 2:
        return text[:limit] + "…"
    return text


class CsiError(Exception):
    """Base class for every error a user can cause; carries its exit code."""

    exit_code: int = EXIT_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(CsiError):
    """The input file cannot be read or understood (exit 3)."""

    exit_code = EXIT_INPUT


class ColumnError(InputError):
    """A column named by an option or the config does not exist (exit 3)."""


class ConfigError(CsiError):
    """``csitool.toml`` is malformed or contradicts itself (exit 3)."""

    exit_code = EXIT_INPUT


class StrictError(InputError):
    """``--strict`` was given and some rows hold invalid values (exit 3)."""


class UsageError(CsiError):
    """The command line was used wrongly in a way Typer cannot see (exit 2)."""

    exit_code = EXIT_USAGE
