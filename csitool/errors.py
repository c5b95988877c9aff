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
