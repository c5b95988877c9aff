"""SPSS .sav files (pyreadstat): variable labels become question text, value labels explain
codes, and user-defined missing values are kept as "don't know" for the ledger."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csitool.errors import InputError
from csitool.notes import info

if TYPE_CHECKING:
    from csitool.io.table import RawTable

NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*$")


def _nps_shift(values: dict[float, str]) -> int | None:
    """The code - score offset when at least five value labels are numbers that all sit the
    same distance from their codes and the scores fall in 0..10 (e.g. an NPS item coded 1-11
    with labels '1'..'9' between named endpoints); None otherwise."""
    offsets = set()
    numeric = 0
    for code, label in values.items():
        m = NUMBER.match(str(label))
        if m:
            numeric += 1
            offsets.add(round(float(code) - float(m.group(1)), 9))
    if numeric >= 5 and len(offsets) == 1:
        shift = offsets.pop()
        if shift and float(shift).is_integer():
            codes = [float(c) - shift for c in values]
            if min(codes) >= 0 and max(codes) <= 10:
                return int(shift)
    return None


def read_spss(p: Path) -> RawTable:
    import numpy as np
    import pyreadstat

    from csitool.io.table import RawTable, clean_names

    source = str(p)
    try:
        frame, meta = pyreadstat.read_sav(str(p), user_missing=True, apply_value_formats=False)
    except Exception as exc:  # pyreadstat raises its own error types
        raise InputError(
            f"Error: cannot read {source} as an SPSS .sav file ({str(exc)[:160]}). Save it "
            "again from SPSS, or export it as CSV or xlsx."
        ) from exc
    if len(frame) == 0:
        raise InputError(f"Error: {source} holds no cases. Save the data file with its cases.")
    names = clean_names([str(c) for c in frame.columns], unnamed_prefix="__UNNAMED__")
    frame.columns = names
    labels = {
        n: str(lab) for n, lab in (meta.column_names_to_labels or {}).items() if lab and lab != n
    }
    notes: list[str] = []
    dont_know: dict[str, set[float]] = {}
    missing = dict(getattr(meta, "missing_user_values", {}) or {})
    for col, ranges in (getattr(meta, "missing_ranges", {}) or {}).items():
        for r in ranges:
            lo, hi = r.get("lo"), r.get("hi")
            if isinstance(lo, int | float) and lo == hi:
                missing.setdefault(col, []).append(lo)
    for col, codes in missing.items():
        vals = {float(c) for c in codes if isinstance(c, int | float)}
        if vals and col in frame.columns:
            dont_know[col] = vals
    value_labels: dict[str, dict[Any, str]] = meta.variable_value_labels or {}
    shifted: set[str] = set()
    for col, vl in value_labels.items():
        codes = [float(k) for k in vl if float(k) not in dont_know.get(col, set())]
        if not codes:
            continue
        shift = _nps_shift({float(k): v for k, v in vl.items() if float(k) in codes})
        if shift:
            shifted.add(col)
            series = frame[col].astype(float)
            keep = ~series.isin(list(dont_know.get(col, set())))
            frame[col] = np.where(keep, series - shift, series)
            notes.append(
                info(
                    "sav_shifted",
                    f"{col!r}: coded {min(codes):g}-{max(codes):g} with value labels reading "
                    f"0..10; read as code - {shift}",
                    col,
                    col=col,
                    lo=min(codes),
                    hi=max(codes),
                    shift=shift,
                )
            )
        elif min(codes) == 1 and max(codes) == 11:
            notes.append(
                info(
                    "sav_1_to_11",
                    f"{col!r}: coded 1-11 but its value labels do not read 0..10; the codes "
                    "are used as they are, so as an NPS item 11 is out of range (recode it, or "
                    "label the codes 0..10)",
                    col,
                    col=col,
                )
            )
    declared = dict(getattr(meta, "variable_measure", {}) or {})
    measure = {c: m for c, m in declared.items() if c in frame.columns and m}
    kept_labels = {
        col: {float(k): str(v) for k, v in vl.items()}
        for col, vl in value_labels.items()
        if col in frame.columns and col not in shifted
    }
    for col in dont_know:
        shown = ", ".join(f"{v:g}" for v in sorted(dont_know[col]))
        notes.append(
            info(
                "sav_missing",
                f"{col!r}: user-missing code(s) {shown} left out as don't know",
                col,
                col=col,
                codes=shown,
            )
        )
    return RawTable(
        frame=frame,
        source=source,
        kind="sav",
        format="SPSS .sav",
        first_data_row=1,
        header_rows=0,
        encoding=getattr(meta, "file_encoding", None),
        notes=notes,
        layout="spss",
        labels=labels,
        dont_know=dont_know,
        value_labels=kept_labels,
        measure=measure,
    )
