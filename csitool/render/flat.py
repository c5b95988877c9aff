"""The score table flattened to rows, as CSV (full precision) or Markdown (rounded)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from csitool.render import fmt
from csitool.stats.score import TIDY_COLUMNS, ScoreResult

CSV_KEEP = "\n\t"
# The tidy rows themselves are built in stats (``ScoreResult.tidy_rows``), so that
# ``ScoreResult.to_frame()`` and ``--format csv`` are the same rows; this module formats them.
COLUMNS = TIDY_COLUMNS


def rows(results: Iterable[Any]) -> list[dict[str, Any]]:
    """The tidy rows of every result (one per file), in order: every result's
    ``tidy_rows()`` (the rows of its ``to_frame()``)."""
    return [row for r in results for row in r.tidy_rows()]


def tidy_csv(results: Iterable[Any], columns: list[str]) -> str:
    """``--format csv`` of any command: the results' tidy rows at full precision."""
    return csv_text(rows(results), columns)


def md_table(data: Iterable[dict[str, Any]], columns: list[str], cell: Callable[..., str]) -> str:
    """Rows as a Markdown table, each cell written by ``cell(column, value, row)``."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(k, row[k], row) for k in columns) + " |" for row in data]
    return "\n".join(lines) + "\n"


def csv_text(data: Iterable[dict[str, Any]], columns: list[str]) -> str:
    """Rows as CSV at full precision; None becomes an empty cell.

    Text cells keep newlines and tabs (CSV quoting carries them) but show every other
    control or bidi character as an escape (:func:`fmt.safe`), on standard output and in
    ``--output`` files alike: a CSV is ``cat``-ed to terminals as often as it is parsed.
    """
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in data:
        writer.writerow(
            {
                k: "" if v is None else fmt.safe(v, keep=CSV_KEEP) if isinstance(v, str) else v
                for k, v in row.items()
            }
        )
    return buf.getvalue()


def to_csv(results: Iterable[ScoreResult]) -> str:
    return tidy_csv(results, COLUMNS)


def _md_cell(v: Any, measure: str) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, float):
        return fmt.num(v, 1) if not measure.startswith("item_mean") else fmt.num(v, 2)
    return md_text(v)


def md_text(v: Any) -> str:
    """Text for a Markdown table cell: one line, ``|`` escaped, control characters shown."""
    return fmt.safe(v).replace("|", "\\|")


def _score_cell(k: str, v: Any, row: dict[str, Any]) -> str:
    return fmt.count(v) if k in ("n", "n_eff") and v is not None else _md_cell(v, row["measure"])


def to_markdown(results: Iterable[ScoreResult]) -> str:
    return md_table(rows(results), COLUMNS, _score_cell)
