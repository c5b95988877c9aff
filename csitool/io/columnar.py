"""Columnar inputs: Parquet (a file, a glob, a hive-partitioned folder), Arrow/Feather files,
and a DuckDB database table or query (``duckdb:///cx.duckdb?table=responses``).

:func:`locate` says what a source names (or None when it is an ordinary file);
:func:`read_columnar` reads it whole into a :class:`RawTable` for the in-memory path. The
out-of-core engines (:mod:`csitool.io.engine`) scan the same :class:`Columnar` without
loading it.
"""

from __future__ import annotations

import glob as globlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from csitool.errors import InputError
from csitool.io.table import RawTable, clean_names

if TYPE_CHECKING:
    import pyarrow as pa

PARQUET_SUFFIXES = (".parquet", ".pq")
ARROW_SUFFIXES = (".feather", ".arrow", ".ipc")
COLUMNAR_SUFFIXES = PARQUET_SUFFIXES + ARROW_SUFFIXES
DUCKDB_SCHEME = "duckdb://"
GLOB_CHARS = "*?["


@dataclass(frozen=True, eq=False)
class CsvSource:
    """A CSV that DuckDB reads as csitool does (:mod:`csitool.io.csvsource`): the header
    sits on line ``skip + 1``; ``names`` are the final (cleaned) column names in file
    order; the first data record starts at byte ``data_offset``; ``sample`` is its first
    rows as the in-memory reader reads them."""

    path: str
    encoding: str
    delimiter: str
    skip: int
    names: tuple[str, ...]
    data_offset: int
    size: int
    sample: RawTable = field(repr=False)


@dataclass(frozen=True)
class Columnar:
    """A columnar source. ``files`` (sorted: their order is the row order) for Parquet and
    Arrow; ``database`` with ``table`` or ``query`` for DuckDB. ``hive``: the files sit in
    ``key=value`` folders whose keys become columns. ``csv``: a CSV that DuckDB reads as
    csitool's own reader does (:mod:`csitool.io.csvsource`), kind ``csv``."""

    source: str
    kind: str  # parquet | arrow | duckdb | csv
    files: tuple[str, ...] = ()
    root: str | None = None
    hive: bool = False
    database: str | None = None
    table: str | None = None
    query: str | None = None
    csv: CsvSource | None = None


def locate(source: str, query: str | None = None) -> Columnar | None:
    """What ``source`` names when it is a columnar input; None for any other file.

    A DuckDB URL is ``duckdb:///relative/path.duckdb?table=T`` or ``duckdb:////abs/path``
    (SQLAlchemy's spelling), with ``?table=`` or ``?query=`` (or ``query`` given apart).
    """
    if source.startswith(DUCKDB_SCHEME):
        return _duckdb_url(source, query)
    if query is not None:
        raise InputError(
            f"Error: {source}: --query reads from a DuckDB database; name one as "
            "duckdb:///path/to/file.duckdb."
        )
    if any(ch in source for ch in GLOB_CHARS):
        if not source.lower().endswith(COLUMNAR_SUFFIXES):
            return None
        files = sorted(globlib.glob(source, recursive=True))
        if not files:
            raise InputError(
                f"Error: {source}: no file matches this pattern. Check the folder and the "
                "pattern (quote it so that the shell does not expand it)."
            )
        return _files(source, files, None)
    p = Path(source)
    if p.is_dir():
        found = sorted(
            str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in COLUMNAR_SUFFIXES
        )
        if not found:
            return None
        return _files(source, found, str(p))
    if p.suffix.lower() in COLUMNAR_SUFFIXES:
        if not p.is_file():
            raise InputError(
                f"Error: {source}: no such file. Check the path and the working directory."
            )
        return _files(source, [str(p)], None)
    return None


def _files(source: str, files: list[str], root: str | None) -> Columnar:
    kinds = {"parquet" if f.lower().endswith(PARQUET_SUFFIXES) else "arrow" for f in files}
    if len(kinds) > 1:
        raise InputError(
            f"Error: {source}: mixes Parquet and Arrow files. Point csitool at one kind "
            "(e.g. a glob ending in .parquet)."
        )
    hive = root is not None and any(
        "=" in part for f in files for part in Path(f).relative_to(root).parts[:-1]
    )
    return Columnar(source, kinds.pop(), tuple(files), root, hive)


def _duckdb_url(source: str, query: str | None) -> Columnar:
    parts = urlsplit(source)
    path = unquote(parts.path)
    path = path[1:] if path.startswith("/") else path  # duckdb:///rel -> rel, ////abs -> /abs
    args = parse_qs(parts.query)
    table = args.get("table", [None])[0]
    query = query or args.get("query", [None])[0]
    if not path:
        raise InputError(
            f"Error: {source}: no database file. Write duckdb:///path/to/file.duckdb?table=NAME."
        )
    if not Path(path).is_file():
        raise InputError(
            f"Error: {source}: no such database file {path!r}. Check the path (three slashes "
            "then a relative path, four for an absolute one)."
        )
    if (table is None) == (query is None):
        raise InputError(
            f"Error: {source}: name a table (?table=NAME) or a query (--query 'SELECT ...'), "
            "one of the two."
        )
    return Columnar(source, "duckdb", database=path, table=table, query=query)


def arrow_table(col: Columnar) -> pa.Table:
    """The whole source as one Arrow table (files in order)."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    try:
        if col.kind == "duckdb":
            import duckdb

            with duckdb.connect(col.database or "", read_only=True) as con:
                sql = col.query or f"SELECT * FROM {quote_name(col.table or '')}"
                return con.sql(sql).to_arrow_table()
        fmt = "parquet" if col.kind == "parquet" else "ipc"
        if col.hive:
            part = ds.partitioning(flavor="hive")
            dataset = ds.dataset(
                list(col.files), format=fmt, partitioning=part, partition_base_dir=col.root
            )
        else:
            dataset = ds.dataset(list(col.files), format=fmt)
        return dataset.to_table()
    except (OSError, pa.ArrowException, ValueError) as exc:
        raise InputError(f"Error: cannot read {col.source}: {exc}") from exc
    except Exception as exc:  # duckdb's own errors: a bad table name, a bad query
        if type(exc).__module__.startswith("duckdb") or type(exc).__module__.startswith("_duckdb"):
            raise InputError(f"Error: cannot read {col.source}: {exc}") from exc
        raise


def quote_name(name: str) -> str:
    """A SQL identifier in double quotes (DuckDB)."""
    return '"' + name.replace('"', '""') + '"'


def read_columnar(col: Columnar) -> RawTable:
    """The whole source read into memory, for the in-memory path."""
    return to_raw(col, arrow_table(col).to_pandas())


def to_raw(col: Columnar, frame: object) -> RawTable:
    """A DataFrame read from ``col`` as a :class:`RawTable` (names cleaned as for files).

    Row numbers: a columnar source has no header line, so row 1 is the first record.
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError("frame must be a pandas DataFrame")
    frame.columns = clean_names([str(c) for c in frame.columns], "Unnamed:")
    return RawTable(
        frame=frame,
        source=col.source,
        kind=col.kind,
        format=col.kind,
        first_data_row=1,
        header_rows=0,
    )
