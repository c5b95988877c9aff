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


class OutputError(UsageError):
    """A path csitool was asked to write is not safe or not writable (exit 2).

    The fields say what went wrong, so the command line can word it in terms of its
    options; ``message`` is a plain fallback for library callers.

    ``problem`` is one of: ``protected`` (``other`` is an input, baseline, config or codebook
    file: ``other_role`` says which), ``duplicate`` (another output of the same run,
    ``other_role`` is its label), ``stdout`` (standard output is not allowed here),
    ``directory``, ``special`` (a device, FIFO or socket: ``detail`` says which), ``exists``
    (an existing file without permission to replace it), ``no_folder`` (``other`` is the
    missing folder), ``not_folder`` (``other`` is a file standing where a folder should be),
    ``read_only`` (``other`` is the folder), ``write_failed`` (``detail`` is the system's
    reason).
    """

    def __init__(
        self,
        path: str,
        problem: str,
        *,
        label: str = "output",
        other: str | None = None,
        other_role: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.path = path
        self.problem = problem
        self.label = label
        self.other = other
        self.other_role = other_role
        self.detail = detail
        why = detail or problem.replace("_", " ")
        if other:
            why += f" ({other_role + ' ' if other_role else ''}{other})"
        super().__init__(f"Error: cannot write {label} {path}: {why}; choose another path.")
