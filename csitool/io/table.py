"""The table every reader returns, and the column-name cleaning every reader applies.

It sits below ``read``, ``layouts`` and ``spss`` so that they import it and not each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from csitool.notes import to_json

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class RawTable:
    """A table as read from the file, before any interpretation.

    ``frame`` has unique, non-empty column names. Data row ``i`` (0-based position in
    ``frame``) is row ``first_data_row + i`` of the source file as a spreadsheet program
    shows it (header rows counted, 1-based). ``header_rows`` counts the header rows used
    (a group-header row above the names counts; title or note rows skipped above them do
    not). ``groups`` maps a column to the group name written above it in a merged
    group-header row (a battery hint).
    """

    frame: pd.DataFrame
    source: str
    kind: str
    format: str
    first_data_row: int = 2
    header_rows: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    layout: str = "plain"
    labels: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    row_status: Any = None
    dont_know: dict[str, set[float]] = field(default_factory=dict)
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)
    measure: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    def describe(self) -> dict[str, Any]:
        """Plain facts about how the file was read (for ``inspect`` and JSON)."""
        return {name: getattr(self, name) for name in DESCRIBED.split()} | {
            "rows": self.n_rows,
            "columns": len(self.frame.columns),
            "notes": to_json(self.notes),
        }


#: the fields of a RawTable that ``describe`` reports as they are
DESCRIBED = "format layout kind encoding delimiter sheet sheets header_rows first_data_row groups"


def clean_names(names: list[str], unnamed_prefix: str) -> list[str]:
    """Blank headers become ``column N``; duplicates get `` (2)``, `` (3)``; spaces trimmed."""
    out: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(names, 1):
        name = raw.strip()
        if not name or name.startswith(unnamed_prefix) or name == "nan":
            name = f"column {i}"
        base, k = name, 2
        while name in seen:
            name = f"{base} ({k})"
            k += 1
        seen.add(name)
        out.append(name)
    return out
