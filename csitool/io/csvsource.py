"""A CSV that DuckDB can read exactly as csitool's own reader does, or the reason it cannot.

csitool's reader (:mod:`csitool.io.read`) decides a text export's encoding, delimiter and
header on its first bytes; :func:`plan_csv` runs it on the first rows only (a sample, the
role detection's) and says whether DuckDB's ``read_csv`` with those decisions spelled out
(``all_varchar``, ``skip``, ``delim``, ``quote``, ``names``) gives the same cells: UTF-8 or
ASCII, one header row with plain column names (title rows above it are fine), no platform
layout, no long format, lines ending in LF or CRLF. Anything else is read into memory by
pandas; the reason says why, for a note or for the error of ``--engine duckdb``.

Two things DuckDB does differently are made up for here: it drops empty lines, which
pandas reads as blank rows (:func:`count_blank_lines` counts them), and it has no file row
number (the engine numbers rows with ``row_number() OVER ()``, which keeps the file order).
"""

from __future__ import annotations

import csv
import io
import mmap
import re
from dataclasses import dataclass
from pathlib import Path

from csitool.errors import InputError
from csitool.io import read as rd
from csitool.io.columnar import CsvSource
from csitool.io.table import RawTable

#: the encodings DuckDB reads byte for byte as Python does (a UTF-8 BOM is skipped by both)
EXACT_ENCODINGS = ("utf-8", "utf-8-sig", "ascii")


@dataclass(frozen=True, eq=False)
class CsvPlan:
    """:func:`plan_csv`'s answer: the sample (as the in-memory reader reads it), and either
    ``source`` or ``why`` (a short code: encoding, layout, header_rows, mixed, trimmed, long,
    line_endings) with ``detail`` (the encoding, the layout, ...)."""

    sample: RawTable
    source: CsvSource | None
    why: str | None = None
    detail: str = ""


def is_text_file(source: str) -> bool:
    """A regular file named like a text export (.csv, .tsv, .txt)."""
    if source == "-":
        return False
    p = Path(source)
    return p.suffix.lower() in rd.TEXT_SUFFIXES and p.is_file()


def plan_csv(
    source: str,
    *,
    rows: int,
    encoding: str | None = None,
    hint: str | None = None,
    header_row: int | None = None,
) -> CsvPlan:
    """Read the first ``rows`` data rows of the text file ``source`` with csitool's reader
    and decide whether DuckDB can read the whole file identically."""
    p = Path(source)
    size = p.stat().st_size
    head = rd.read_head(p, source)
    if head.startswith(rd.ZIP_MAGIC) or head.startswith(rd.OLE_MAGIC):
        raise InputError(
            f"Error: {source} looks like an Excel workbook, not text. Rename it to .xlsx (or .xls)."
        )
    sample = rd._read_text(
        p, head, source, encoding, p.suffix.lower(), hint, header_row, nrows=rows
    )
    codes = {getattr(n, "code", "") for n in sample.notes}
    enc = (sample.encoding or "").lower().replace("_", "-")
    if enc not in EXACT_ENCODINGS:
        return CsvPlan(sample, None, "encoding", sample.encoding or "")
    if "encoding_mixed" in codes:
        return CsvPlan(sample, None, "mixed")
    if sample.layout != "plain":
        return CsvPlan(sample, None, "layout", sample.format)
    if sample.header_rows != 1:
        return CsvPlan(sample, None, "header_rows", str(sample.header_rows))
    if "columns_trimmed" in codes:
        return CsvPlan(sample, None, "trimmed")
    from csitool.io import structure

    if structure.find_long(sample.frame) is not None:
        return CsvPlan(sample, None, "long")
    if b"\n" not in head and b"\r" in head:
        return CsvPlan(sample, None, "line_endings")
    top = sample.first_data_row - 1  # the header's line (1-based)
    offset = _data_offset(head, enc, sample.delimiter or ",", top)
    if offset is None:
        return CsvPlan(sample, None, "layout", sample.format)
    src = CsvSource(
        path=str(p),
        encoding=enc,
        delimiter=sample.delimiter or ",",
        skip=top - 1,
        names=tuple(str(c) for c in sample.frame.columns),
        data_offset=offset,
        size=size,
        sample=sample,
    )
    return CsvPlan(sample, src)


def _data_offset(head: bytes, encoding: str, delimiter: str, top: int) -> int | None:
    """Byte offset of the first data record: after line ``top - 1``, the header record
    (which may span lines inside quotes). None when the head holds no whole header."""
    start = 0
    for _ in range(top - 1):
        k = head.find(b"\n", start)
        if k < 0:
            return None
        start = k + 1
    text = head[start:].decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        next(reader)
    except (StopIteration, csv.Error):
        return None
    lines = reader.line_num  # lines the header record took
    end = start
    for _ in range(lines):
        k = head.find(b"\n", end)
        if k < 0:
            return len(head) if len(head) < rd.SAMPLE_BYTES else None
        end = k + 1
    return end


_EMPTY_LINE = re.compile(rb"\n(?=\r?\n)")


def count_blank_lines(path: str, offset: int) -> int:
    """Empty lines at or after byte ``offset`` (the data), outside quoted fields: DuckDB
    skips them, pandas (``skip_blank_lines=False``) reads each as a blank row.

    A line break is inside a quoted field when an odd number of quote characters precede it
    in the data (a doubled quote adds two). The scan runs at C speed: two ``find`` calls
    answer the usual case, a file with no empty line."""
    with open(path, "rb") as fh:
        try:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file
            return 0
        with mm:
            begin = max(offset - 1, 0)
            if mm.find(b"\n\n", begin) < 0 and mm.find(b"\n\r\n", begin) < 0:
                return 0
            n = 0
            quotes = 0
            last = offset
            for hit in _EMPTY_LINE.finditer(mm, begin):  # type: ignore[call-overload]
                pos = hit.start()
                if pos > last:
                    quotes += mm[last:pos].count(b'"')
                    last = pos
                if quotes % 2 == 0:
                    n += 1
            return n


def type_like_pandas(values: list[str], has_null: bool) -> tuple[list[object], str]:
    """The distinct texts of one column typed as csitool's reader types the whole column:
    pandas' own CSV parser runs on them, with the reader's options, so ``"5"`` becomes
    ``5`` when every text of the column is a number and stays ``"5"`` when one is not.
    Returns the typed values (Python scalars, in order) and the column's dtype kind
    (``i`` ``f`` ``b`` ``O``)."""
    import pandas as pd

    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["x"])
    for v in values:
        writer.writerow([v])
    if has_null:
        buf.write("\n")  # an empty line: a missing cell, as in the file
    buf.seek(0)
    frame = pd.read_csv(
        buf, keep_default_na=False, na_values=[""], low_memory=False, skip_blank_lines=False
    )
    column = frame["x"]
    typed = column.tolist()[: len(values)]
    return typed, column.dtype.kind
