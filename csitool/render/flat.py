"""The score table flattened to rows, as CSV (full precision) or Markdown (rounded)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from csitool.render import fmt
from csitool.stats.score import GroupScore, ScoreResult

CSV_KEEP = "\n\t"
COLUMNS = [
    "file",
    "segment",
    "segment_value",
    "measure",
    "item",
    "n",
    "n_eff",
    "value",
    "ci_low",
    "ci_high",
    "low_base",
]


def _group_rows(path: str, segment: str, g: GroupScore) -> Iterable[dict[str, Any]]:
    base = {"file": path, "segment": segment, "segment_value": g.value}
    if g.nps and g.nps.n:
        n = g.nps
        common = {"item": "", "n": n.n, "n_eff": n.n_eff, "low_base": n.low_base}
        yield (
            base
            | common
            | {"measure": "nps", "value": n.score, "ci_low": n.ci_low, "ci_high": n.ci_high}
        )
        for name in ("promoters", "passives", "detractors"):
            yield (
                base
                | common
                | {"measure": name, "value": getattr(n, name), "ci_low": None, "ci_high": None}
            )
    if g.csi:
        c = g.csi
        yield base | {
            "measure": f"csi ({c.method})",
            "item": "",
            "n": c.n,
            "n_eff": c.n_eff,
            "value": c.score,
            "ci_low": c.ci_low,
            "ci_high": c.ci_high,
            "low_base": c.low_base,
        }
    if g.ladder:
        lad = g.ladder
        common = {"item": "", "n": lad.n, "n_eff": lad.n_eff, "low_base": lad.low_base}
        for name in ("very", "somewhat", "neutral", "dissatisfied"):
            yield (
                base
                | common
                | {
                    "measure": f"ladder_{name}",
                    "value": getattr(lad, name),
                    "ci_low": None,
                    "ci_high": None,
                }
            )
        yield (
            base
            | common
            | {
                "measure": "wow_gap",
                "value": lad.wow_gap,
                "ci_low": lad.wow_gap_ci_low,
                "ci_high": lad.wow_gap_ci_high,
            }
        )
    for it in g.items:
        common = {"item": it.column, "n": it.n, "n_eff": it.n_eff, "low_base": it.low_base}
        yield (
            base
            | common
            | {"measure": "item_mean", "value": it.mean, "ci_low": None, "ci_high": None}
        )
        yield (
            base
            | common
            | {"measure": "item_csi", "value": it.csi, "ci_low": it.ci_low, "ci_high": it.ci_high}
        )
        yield (
            base
            | common
            | {
                "measure": "item_top_box",
                "value": it.top_box,
                "ci_low": it.top_box_ci_low,
                "ci_high": it.top_box_ci_high,
            }
        )
        yield (
            base
            | common
            | {
                "measure": "item_top2_box",
                "value": it.top2_box,
                "ci_low": it.top2_box_ci_low,
                "ci_high": it.top2_box_ci_high,
            }
        )
        yield (
            base
            | common
            | {
                "measure": "item_bottom2_box",
                "value": it.bottom2_box,
                "ci_low": None,
                "ci_high": None,
            }
        )


def rows(results: Iterable[ScoreResult]) -> list[dict[str, Any]]:
    """Every figure of every file and segment as one flat row."""
    out: list[dict[str, Any]] = []
    for r in results:
        out.extend(_group_rows(r.path, "", r.total))
        for col, groups in r.segments.items():
            for g in groups:
                out.extend(_group_rows(r.path, col, g))
    return out


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
