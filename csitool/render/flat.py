"""The score table flattened to rows, as CSV (full precision) or Markdown (rounded)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from csitool.render import fmt
from csitool.stats.score import TIDY_COLUMNS, ScoreResult

CSV_KEEP = "\n\t"
# The tidy rows themselves are built in stats (``ScoreResult.tidy_rows``), so that
# ``ScoreResult.to_frame()`` and ``--format csv`` are the same rows; this module formats them.
COLUMNS = TIDY_COLUMNS


def rows(results: Iterable[ScoreResult]) -> list[dict[str, Any]]:
    """Every figure of every file and segment as one flat row."""
    return [row for r in results for row in r.tidy_rows()]


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
    return csv_text(rows(results), COLUMNS)


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


def to_markdown(results: Iterable[ScoreResult]) -> str:
    data = rows(results)
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in data:
        cells = []
        for k in COLUMNS:
            v = row[k]
            cells.append(
                fmt.count(v)
                if k in ("n", "n_eff") and v is not None
                else _md_cell(v, row["measure"])
            )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
