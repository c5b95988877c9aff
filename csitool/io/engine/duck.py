"""DuckDB, the embedded engine: scans Parquet, Arrow and DuckDB tables, and CSVs it reads
as csitool does (:mod:`csitool.io.csvsource`), out of core and returns the :class:`Counts`
of a :class:`Plan`."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from csitool.errors import InputError
from csitool.io.columnar import Columnar, quote_name
from csitool.io.csvsource import count_blank_lines
from csitool.io.engine import sql
from csitool.io.engine.plan import Counts, IndexItem, Listing, Plan

if TYPE_CHECKING:
    from collections.abc import Iterator

    import duckdb
    import pandas as pd

MEMORY_LIMIT = "1.5GB"
FILE_COLUMN = "__csitool_file"
ROW_COLUMN = "file_row_number"
POS_COLUMN = "__csitool_pos"
CSV_ROW = "__csitool_row"
CSV_TABLE = "__csitool_csv"
CSV_NOT_BLANK = "__csitool_nb"


class DuckEngine:
    """One DuckDB connection over one columnar source.

    ``threads`` maps ``--jobs``; ``memory_limit`` (e.g. ``"2GB"``; default the environment
    variable ``CSITOOL_DUCKDB_MEMORY``, else 1.5GB) bounds DuckDB's buffer pool, beyond which
    it spills to a temporary folder.
    """

    name = "duckdb"

    def __init__(
        self, col: Columnar, *, threads: int | None = None, memory_limit: str | None = None
    ) -> None:
        import duckdb

        self.col = col
        self.con: duckdb.DuckDBPyConnection = duckdb.connect()
        if threads:
            self.con.execute(f"SET threads TO {int(threads)}")
        # a bounded buffer pool: DuckDB spills beyond it, and on 30M rows it was also faster
        # (7.8 s, 1.2 GB RSS) than its default of 80% of RAM (13.5 s, 2.1 GB)
        limit = memory_limit or os.environ.get("CSITOOL_DUCKDB_MEMORY") or MEMORY_LIMIT
        self.con.execute(f"SET memory_limit = '{limit}'")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET enable_progress_bar = false")
        if col.kind == "parquet":
            # Parquet min/max statistics leave NaN out, and DuckDB's statistics propagation
            # then folds isnan(x) to false: a NaN answer, weight or blank cell would count
            # as present (found with DuckDB 2.0; tests/test_engine.py pins it)
            self.con.execute("SET disabled_optimizers = 'statistics_propagation'")
        self._order: str | None = None
        self._keys: list[str] = []
        self._dups_made = False
        self._parallel = True
        self._loaded = False  # a CSV parsed into CSV_TABLE
        self._no_blank: bool | None = None  # Parquet statistics prove no row is blank
        self._weight_typed: str | None = None  # its weight column, stored as a number
        self._relation = self._make_relation()

    @property
    def text(self) -> bool:
        """Every column is text (a CSV read with ``all_varchar``): the survey layer types
        the distinct answers as the in-memory reader would."""
        return self.col.kind == "csv"

    def _make_relation(self) -> str:
        col = self.col
        if col.kind == "csv" and col.csv is not None:
            return self._csv_relation()
        if col.kind == "parquet":
            files = ", ".join(sql.literal(f) for f in col.files)
            hive = "true" if col.hive else "false"
            self._order = f"{quote_name(FILE_COLUMN)}, {quote_name(ROW_COLUMN)}"
            self._keys = [FILE_COLUMN, ROW_COLUMN]
            scan = (
                f"read_parquet([{files}], hive_partitioning = {hive}, union_by_name = true, "
                "file_row_number = true"
            )
            names = {r[0] for r in self.execute(f"DESCRIBE SELECT * FROM {scan})")}
            if "file_index" in names:  # a data column would hide DuckDB's file number
                return f"{scan}, filename = '{FILE_COLUMN}')"
            # the file as its number in the list: joining the duplicate-id table on an
            # integer, not on the path text, takes a fifth off the counting pass
            return f"(SELECT *, file_index AS {quote_name(FILE_COLUMN)} FROM {scan}))"
        if col.kind == "arrow":
            import pyarrow.dataset as ds

            dataset = ds.dataset(list(col.files), format="ipc")
            self.con.register("__csitool_arrow", dataset)
            return "__csitool_arrow"
        self.con.execute(f"ATTACH {sql.literal(col.database)} AS __src (READ_ONLY)")
        if col.table:
            self._order = "rowid"
            return f"__src.{quote_name(col.table)}"
        self.con.execute("USE __src")
        return f"({col.query})"

    def _csv_relation(self) -> str:
        """``read_csv`` with csitool's decisions spelled out: every cell as text (empty =
        NULL, as pandas' ``na_values=[""]``), the header after ``skip`` title lines
        replaced by the final column names, short rows padded with NULLs as pandas does."""
        src = self.col.csv
        if src is None:
            raise ValueError("not a CSV source")
        types = "{" + ", ".join(f"{sql.literal(n)}: 'VARCHAR'" for n in src.names) + "}"
        parallel = "" if self._parallel else ", parallel = false"
        return (
            f"read_csv({sql.literal(src.path)}, auto_detect = false, columns = {types}, "
            f"header = true, skip = {int(src.skip)}, delim = {sql.literal(src.delimiter)}, "
            f"quote = '\"', escape = '\"', null_padding = true, encoding = 'utf-8'"
            f"{parallel})"
        )

    def _load_csv(self, plan: Plan) -> Plan:
        """Parse the CSV once into a temporary table of the columns the plan counts (a CSV
        pass costs a parse; the duplicate-id pre-pass, the counts and the index moments
        then scan the table), with the file order ``__csitool_row`` when there is an id
        (``row_number() OVER ()`` keeps the scan order) and ``__csitool_nb``, NULL on a
        row whose every cell is missing. Returns the plan with that column as the only
        one the blank-row test looks at."""
        if not self._loaded:
            keep = sorted({*plan.items, *(s for s in plan.splits if s),
                           *(c for c in (plan.weight, plan.id) if c)})  # fmt: skip
            blank = " AND ".join(f"{quote_name(n)} IS NULL" for n, _ in plan.columns)
            number = f"row_number() OVER () AS {quote_name(CSV_ROW)}, " if plan.id else ""
            self._weight_typed = _weight_only(plan)
            cols = "".join(
                f"{sql.DUCKDB.to_double(quote_name(c), False)} AS {quote_name(c)}, "
                if c == self._weight_typed
                else f"{quote_name(c)}, "
                for c in keep
            )
            self.execute(
                f"CREATE OR REPLACE TEMP TABLE {CSV_TABLE} AS SELECT {number}{cols}"
                f"CASE WHEN {blank} THEN NULL ELSE 1 END AS {quote_name(CSV_NOT_BLANK)} "
                f"FROM {self._relation}"
            )
            self._loaded = True
            if plan.id:
                self._keys = [CSV_ROW]
        return replace(plan, columns=((CSV_NOT_BLANK, False),))

    @property
    def order(self) -> str | None:
        """The SQL that orders rows as the source holds them (None: a query has no order)."""
        return self._order

    def execute(self, statement: str) -> list[tuple[Any, ...]]:
        try:
            return self.con.execute(statement).fetchall()
        except Exception as exc:
            if self._parallel and self.text and "parallel=false" in str(exc):
                # quoted line breaks with short rows: DuckDB pads those in one thread only
                old = self._relation
                self._parallel = False
                self._relation = self._csv_relation()
                return self.execute(statement.replace(old, self._relation))
            raise _input_error(self.col, exc) from exc

    def schema(self) -> list[tuple[str, str]]:
        """(column, DuckDB type) of the source (the engine's own columns left out)."""
        rows = self.execute(f"DESCRIBE SELECT * FROM {self._relation}")
        return [(r[0], r[1]) for r in rows if r[0] not in (FILE_COLUMN, ROW_COLUMN, CSV_ROW)]

    def sample(self, rows: int) -> pd.DataFrame:
        """The first ``rows`` rows (in source order), as the in-memory reader types them."""
        col = self.col
        names = ", ".join(quote_name(n) for n, _ in self.schema())
        try:  # LIMIT keeps the source order while insertion order is preserved
            self.con.execute("SET preserve_insertion_order = true")
            table: Any = self.con.sql(
                f"SELECT {names} FROM {self._relation} LIMIT {int(rows)}"
            ).to_arrow_table()
            self.con.execute("SET preserve_insertion_order = false")
        except Exception as exc:
            raise _input_error(col, exc) from exc
        return table.to_pandas()

    def count(self, plan: Plan, numeric: dict[str, bool]) -> Counts:
        """The counts of the plan, in one pass over the source."""
        with_ = self._with(plan, numeric)
        counts = collect_counts(self.execute, with_, plan, sql.DUCKDB)
        if self.col.csv is not None:
            add_blank_rows(counts, plan, count_blank_lines(self.col.csv.path,
                                                           self.col.csv.data_offset))  # fmt: skip
        return counts

    def _with(
        self,
        plan: Plan,
        numeric: dict[str, bool],
        carry: tuple[str, ...] = (),
        relation: str | None = None,
        row: bool = False,
    ) -> str:
        source = self._relation
        if self._never_blank(plan):
            plan = replace(plan, columns=())
        if self.col.csv is not None:  # parsed once into a table of the counted columns
            plan = self._load_csv(plan)
            source = CSV_TABLE
            if self._weight_typed:
                numeric = {**numeric, self._weight_typed: True}
        dups = None
        if plan.id and self._keys:
            if not self._dups_made:
                statement = sql.dup_statement(plan, sql.DUCKDB, source, self._keys)
                self.execute(f"CREATE OR REPLACE TEMP TABLE __csitool_dups AS {statement}")
                self._dups_made = True
            dups = ("__csitool_dups", self._keys)
        at = self._row(dups is not None) if row else None
        return sql.base_cte(
            plan, sql.DUCKDB, relation or source, self._order, numeric, dups, carry, at
        )

    def _never_blank(self, plan: Plan) -> bool:
        """True when the Parquet footers prove that no row is blank: a column present in
        every file whose statistics count no null (and, for a floating-point column, no
        NaN). Then the blank-row test, which reads every column of the file, is left out
        (on a wide export most columns are not counted otherwise)."""
        if self.col.kind != "parquet" or not plan.columns:
            return False
        if self._no_blank is None:
            files = ", ".join(sql.literal(f) for f in self.col.files)
            rows = self.execute(
                "SELECT path_in_schema, count(DISTINCT file_name), "
                "bool_and(stats_null_count = 0), bool_and(stats_nan_count = 0) "
                f"FROM parquet_metadata([{files}]) GROUP BY path_in_schema"
            )
            floats = {n for n, is_float in plan.columns if is_float}
            names = {n for n, _ in plan.columns}
            self._no_blank = any(
                name in names
                and n_files == len(self.col.files)
                and bool(no_nulls)
                and (name not in floats or bool(no_nans))
                for name, n_files, no_nulls, no_nans in rows
            )
        return self._no_blank

    def listing(
        self, plan: Plan, numeric: dict[str, bool], listing: Listing, duplicate_code: int
    ) -> dict[str, tuple[int | None, list[int]]]:
        """Per name of ``listing``: its count and the positions of its first rows in the
        source (0 = the first row), in source order.

        Parquet rows are placed by (file, row in file), a DuckDB table's by its rowid; an
        Arrow file or a query has no such key, so their rows are numbered as DuckDB scans
        them with insertion order kept (the order the in-memory path reads them in).

        Each kind is read where it is cheapest: blank cells from the source columns alone;
        repeated ids from the duplicate-id pre-pass's table (Parquet); off-scale rows from
        the rows holding an off-scale answer, whose row reasons are then decided as in
        :meth:`count` (the repeated ids come from that same table, so the subset suffices).
        """
        positional = self.col.kind not in ("parquet",) and not (
            self.col.kind == "duckdb" and self.col.table
        )
        if self.col.kind == "parquet":
            keys = self._keys
        elif not positional:
            keys = ["rowid"]
        else:
            keys = [POS_COLUMN]
        relation = (
            f"(SELECT *, row_number() OVER () - 1 AS {quote_name(POS_COLUMN)} "
            f"FROM {self._relation})"
            if positional
            else self._relation
        )
        conditions = sql.listing_conditions(listing, sql.DUCKDB, duplicate_code)
        blank = {n: c for n, c in conditions.items() if n.startswith("blank:")}
        rest = {n: c for n, c in conditions.items() if n not in blank}
        found: dict[str, tuple[int | None, list[tuple[Any, ...]]]] = {}
        if positional:
            self.execute("SET preserve_insertion_order = true")
        try:
            if blank:
                found |= self._first(f"FROM {relation}", blank, keys, listing.limit)
            if "duplicates" in rest and plan.id and self._keys:
                self._with(plan, numeric)  # makes the duplicates' table
                found |= self._first(
                    "FROM __csitool_dups", {"duplicates": "TRUE"}, keys, listing.limit
                )
                del rest["duplicates"]
            if rest:
                subset = relation
                if set(rest) == {"off_scale"} and self._keys:
                    cells = sql.off_scale_cells(listing, sql.DUCKDB)
                    subset = f"(SELECT * FROM {relation} WHERE {cells})"
                with_ = self._with(plan, numeric, tuple(keys), subset)
                found |= self._first("FROM r", rest, keys, listing.limit, with_)
        finally:
            self.execute("SET preserve_insertion_order = false")
        if len(keys) == 1:
            return {n: (c, sorted(int(r[0]) for r in rows)) for n, (c, rows) in found.items()}
        offsets = self._file_offsets() if any(rows for _c, rows in found.values()) else {}
        return {n: (c, place(rows, offsets, listing.limit)) for n, (c, rows) in found.items()}

    def _first(
        self,
        source: str,
        conditions: dict[str, str],
        keys: list[str],
        limit: int,
        with_: str = "",
    ) -> dict[str, tuple[int | None, list[tuple[Any, ...]]]]:
        """The count and first rows of each condition in one pass over ``source``: DuckDB's
        ``min(x, n)`` keeps the ``n`` smallest keys (a (file, row) struct orders by file
        name, then row: the files' order in the source, which sorts them by name)."""
        q = sql.DUCKDB.q
        key = (
            q(keys[0])
            if len(keys) == 1
            else "{" + ", ".join(f"'k{i}': {q(k)}" for i, k in enumerate(keys)) + "}"
        )
        cols = ", ".join(
            f"count(CASE WHEN {c} THEN 1 END), min(CASE WHEN {c} THEN {key} END, {int(limit)})"
            for c in conditions.values()
        )
        row = self.execute(f"{with_} SELECT {cols} {source}".strip())[0]
        out: dict[str, tuple[int | None, list[tuple[Any, ...]]]] = {}
        for k, name in enumerate(conditions):
            first = row[2 * k + 1] or []
            rows = [tuple(v.values()) if isinstance(v, dict) else (v,) for v in first]
            out[name] = (int(row[2 * k]), rows)
        return out

    def _file_offsets(self) -> dict[Any, int]:
        """The position of each Parquet file's first row (files in the source's order)."""
        if len(self.col.files) == 1:
            return {0 if self._by_number else self.col.files[0]: 0}
        f = quote_name(FILE_COLUMN)
        sizes = dict(self.execute(f"SELECT {f}, count(*) FROM {self._relation} GROUP BY {f}"))
        return offsets_in_order(self.col.files, sizes, self._file_path)

    @property
    def _by_number(self) -> bool:
        """Parquet files are keyed by their number in the list (else by their path)."""
        return "file_index AS" in self._relation

    def _file_path(self, key: Any) -> str:
        """The path of an engine file key: the file's number in the list, or its path."""
        return self.col.files[key] if isinstance(key, int) else str(key)

    def _row(self, joined: bool) -> str | None:
        """The row's index in the source as the in-memory reader numbers it (files one
        after another): file offset + row in file; rowid for a table; None otherwise."""
        col = self.col
        if col.kind == "duckdb":
            return "rowid" if col.table else None
        if col.kind != "parquet":
            return None
        import pyarrow.parquet as pq

        src = "_src." if joined else ""
        row = f"{src}{quote_name(ROW_COLUMN)}"
        if len(col.files) == 1:
            return row
        whens, start = [], 0
        for k, f in enumerate(col.files):
            whens.append(f"WHEN {k if self._by_number else sql.literal(f)} THEN {start}")
            start += pq.read_metadata(f).num_rows
        return f"(CASE {src}{quote_name(FILE_COLUMN)} {' '.join(whens)} END + {row})"

    def comments(self, plan: Plan, numeric: dict[str, bool], keys: list[str]) -> Any:
        """The kept rows grouped by ``keys`` (:func:`sql.comment_statement`) as a pandas
        DataFrame: the key columns as the in-memory reader types them, ``_n``, ``_sw``,
        ``_sw2``, ``_first`` (the first row's index, NaN without a row order)."""
        with_ = self._with(plan, numeric, row=True)
        row = self._row(False) is not None
        statement = f"{with_} {sql.comment_statement(keys, sql.DUCKDB, row)}"
        try:
            return self.con.sql(statement).to_arrow_table().to_pandas()
        except Exception as exc:
            raise _input_error(self.col, exc) from exc

    def rows(
        self,
        plan: Plan,
        numeric: dict[str, bool],
        keys: list[str],
        wanted: Any,
        limit: int = 0,
        upto: int | None = None,
    ) -> Any:
        """(row index, index into ``wanted``) of the kept rows whose ``keys`` equal a row of
        ``wanted`` (a DataFrame of those columns), by row, as two numpy arrays: the first
        ``limit`` (0: all), none after row index ``upto`` (a top-N, not a sort of all)."""
        import numpy as np

        table = wanted.copy()
        table.columns = [f"_k{i}" for i in range(len(keys))]
        table["_k"] = np.arange(len(table), dtype=np.int64)
        self.con.register("__csitool_wanted", table)
        try:
            with_ = self._with(plan, numeric, row=True)
            statement = f"{with_} " + sql.rows_statement(
                keys, sql.DUCKDB, "__csitool_wanted", limit, upto
            )
            out = self.con.sql(statement).to_arrow_table()
        except Exception as exc:
            raise _input_error(self.col, exc) from exc
        finally:
            self.con.unregister("__csitool_wanted")
        return (
            out.column("_row").to_numpy().astype(np.int64),
            out.column("_k").to_numpy().astype(np.int64),
        )

    def moments(self, plan: Plan, counts: Counts, numeric: dict[str, bool]) -> Counts:
        """``counts`` with the cross moments of the plan's indexes (one more pass each)."""
        with_ = self._with(plan, numeric)
        counts.moments = {}
        for index in plan.indexes:
            stream_moments(self.con, self.col, with_, plan, index, counts)
        return counts

    def fetch(
        self,
        plan: Plan,
        numeric: dict[str, bool],
        required: tuple[IndexItem, ...],
        optional: tuple[IndexItem, ...],
        factor: float = 1.0,
    ) -> Iterator[Any]:
        """The complete rows of ``required``, identical ones grouped with their count and
        weight sums (:func:`sql.complete_statement`), as Arrow record batches."""
        statement = sql.complete_statement(plan, required, optional, sql.DUCKDB, factor)
        with_ = self._with(plan, numeric)
        try:
            reader = self.con.sql(f"{with_} {statement}").to_arrow_reader(BATCH_ROWS)
            yield from reader
        except Exception as exc:
            raise _input_error(self.col, exc) from exc

    def close(self) -> None:
        self.con.close()


def _weight_only(plan: Plan) -> str | None:
    """The weight column, when it is nothing else (an item or a segment column keeps its
    text: its answers are typed by the survey layer)."""
    w = plan.weight
    if w is None or w in plan.items or w in plan.splits:
        return None
    return w


def add_blank_rows(counts: Counts, plan: Plan, n: int) -> None:
    """Add ``n`` blank rows (every cell missing; a CSV's empty lines, which DuckDB skips) to
    every split's counts: segment value missing, row reason blank row, no answer."""
    if n <= 0:
        return
    code = plan.codes.blank_row
    for split, rows in counts.rows.items():
        rows.append((None, code, n))
        for cells in counts.cells[split].values():
            cells.append((None, code, None, n, 0.0, 0.0))


def collect_counts(run: Any, with_: str, plan: Plan, d: sql.Dialect) -> Counts:
    """Run the count statements of ``plan`` through ``run(sql) -> rows`` and sort the rows
    into :class:`Counts` (shared by every SQL engine)."""
    out = Counts()
    for split in plan.splits:
        out.cells[split] = {item: [] for item in plan.items}
        out.rows[split] = []
    best: float | None = None
    for statement, part in sql.count_statements(plan, d):
        names = sql.statement_names(part)
        where = {n: 1 + i for i, n in enumerate(names)}
        r_at = 1 + len(names)
        by_mask: dict[int, list[tuple[str | None, str | None]]] = {}
        for pair in part:
            by_mask.setdefault(sql.grouping_mask(names, pair), []).append(pair)
        for row in run(f"{with_} {statement}"):
            for split, item in by_mask.get(int(row[0]), []):
                seg = row[where[split]] if split else None
                reason, n, sw, sw2, top = row[r_at : r_at + 5]
                if item is None:
                    out.rows[split].append((seg, int(reason), int(n)))
                    if top is not None:
                        best = float(top) if best is None else max(best, float(top))
                else:
                    out.cells[split][item].append(
                        (seg, int(reason), row[where[item]], int(n), sw or 0.0, sw2 or 0.0)
                    )
    named = [s for s in plan.splits if s]
    if named:  # the total: the first segment split's groups added up
        first = named[0]
        out.rows[None] = [(None, r, n) for _seg, r, n in out.rows[first]]
        out.cells[None] = {
            item: [(None, *row[1:]) for row in rows] for item, rows in out.cells[first].items()
        }
    out.max_weight = best
    return out


def collect_moments(run: Any, with_: str, plan: Plan, d: sql.Dialect, out: Counts) -> None:
    """Run the moment statements of ``plan``'s indexes into ``out.moments``."""
    out.moments = {}
    for index in plan.indexes:
        k = len(index)
        splits = [s for s in plan.splits if s]
        statement = sql.moment_statement(plan, index, d)
        per: dict[str | None, list[tuple[Any, ...]]] = {s: [] for s in plan.splits}
        for row in run(f"{with_} {statement}"):
            g = int(row[0])
            segs = row[1 : 1 + len(splits)]
            vals = row[1 + len(splits) :]
            n, sw, sw2 = int(vals[0]), float(vals[1] or 0.0), float(vals[2] or 0.0)
            flat = [float(v or 0.0) for v in vals[3:]]
            s1 = [[flat[3 * (j * k + m)] for m in range(k)] for j in range(k)]
            sx = [[flat[3 * (j * k + m) + 1] for m in range(k)] for j in range(k)]
            sxx = [[flat[3 * (j * k + m) + 2] for m in range(k)] for j in range(k)]
            if g == (1 << len(splits)) - 1 or not splits:
                per[None].append((None, n, sw, sw2, s1, sx, sxx))
                continue
            for i, s in enumerate(splits):
                if g == ((1 << len(splits)) - 1) ^ (1 << (len(splits) - 1 - i)):
                    per[s].append((segs[i], n, sw, sw2, s1, sx, sxx))
        for key, rows in per.items():
            out.moments.setdefault(key, []).append(rows)


class EngineReadError(InputError):
    """DuckDB failed on the source (``detail``: its first line): for a CSV under ``auto``,
    the in-memory reader takes over."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.detail = detail


def collect_listing(
    run: Any,
    with_: str,
    listing: Listing,
    keys: list[str],
    d: sql.Dialect,
    duplicate_code: int,
) -> dict[str, tuple[int | None, list[tuple[Any, ...]]]]:
    """Count the names of ``listing.count`` in one pass, then fetch the keys of the first
    rows of each name that has any, with SQL any engine runs (Spark; DuckDB does both in one
    pass per kind, :meth:`DuckEngine.listing`)."""
    conditions = sql.listing_conditions(listing, d, duplicate_code)
    counted: dict[str, int] = {}
    if listing.count:
        row = run(f"{with_} {sql.count_listing(conditions, listing.count)}")[0]
        counted = {n: int(v) for n, v in zip(listing.count, row, strict=True)}
    out: dict[str, tuple[int | None, list[tuple[Any, ...]]]] = {}
    for name, condition in conditions.items():
        n = counted.get(name)
        rows = [] if n == 0 else run(f"{with_} {sql.first_rows(condition, keys, listing.limit, d)}")
        out[name] = (n, [tuple(r) for r in rows])
    return out


def offsets_in_order(files: tuple[str, ...], sizes: dict[Any, int], path_of: Any) -> dict[Any, int]:
    """Each engine file key's first position, the files taken in the order of ``files``
    (``path_of``: the engine's key as a path that ``files`` holds)."""
    import os

    rank = {os.path.abspath(f): k for k, f in enumerate(files)}
    order = sorted(sizes, key=lambda key: (rank.get(os.path.abspath(path_of(key)), len(rank)),
                                           str(key)))  # fmt: skip
    out, at = {}, 0
    for key in order:
        out[key] = at
        at += int(sizes[key])
    return out


def place(rows: list[tuple[Any, ...]], offsets: dict[Any, int], limit: int) -> list[int]:
    """(file key, row in file) to positions in the source, the first ``limit``."""
    return sorted(offsets[f] + int(k) for f, k in rows)[:limit]


def _input_error(col: Columnar, exc: Exception) -> InputError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return EngineReadError(f"Error: {col.source}: DuckDB cannot read it: {text}", text)


BATCH_ROWS = 1_000_000


def stream_moments(
    con: Any, col: Columnar, with_: str, plan: Plan, index: Any, out: Counts
) -> None:
    """The raw cross moments of one index, streamed: DuckDB maps the answers to used values
    on the kept rows and hands them over in Arrow batches; numpy accumulates, per split
    and raw segment value, A' W2 A, X' W2 A and X' W2 X (A: answered, X: values with 0 where
    not answered, W2: squared weights) and the count and weight sums of rows that answered
    any item. Memory: one batch; one k x k matrix per group. (k^2 SQL aggregates per group
    are much slower in DuckDB once k passes a handful.)"""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    k = len(index)
    splits = [s for s in plan.splits if s]
    seg_cols = ", ".join(sql.DUCKDB.q(s) for s in splits)
    xs = ", ".join(f"{sql.mapped(it, sql.DUCKDB)} AS _x{j}" for j, it in enumerate(index))
    statement = f"{with_} SELECT {seg_cols + ', ' if splits else ''}_w, {xs} FROM r WHERE _r = 0"
    acc: dict[tuple[str | None, Any], list[Any]] = {}

    def add(key: tuple[str | None, Any], a: Any, x: Any, w2: Any, w: Any) -> None:
        anyone = a.any(axis=1)
        aw = a * w2[:, None]
        xw = x * w2[:, None]
        part = [
            int(anyone.sum()),
            float(w[anyone].sum()),
            float(w2[anyone].sum()),
            a.T @ aw,
            x.T @ aw,
            x.T @ xw,
        ]
        prev = acc.get(key)
        acc[key] = part if prev is None else [p + q for p, q in zip(prev, part, strict=True)]

    try:
        reader = con.sql(statement).to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            w = batch.column("_w").to_numpy(zero_copy_only=False).astype(float)
            x = np.column_stack(
                [
                    batch.column(f"_x{j}").to_numpy(zero_copy_only=False).astype(float)
                    for j in range(k)
                ]
            )
            a = ~np.isnan(x)
            x = np.where(a, x, 0.0)
            a = a.astype(float)
            w2 = w * w
            if not splits:
                add((None, None), a, x, w2, w)
                continue
            for s in splits:
                column = batch.column(s)
                encoded = pc.dictionary_encode(column)
                if isinstance(encoded, pa.ChunkedArray):
                    encoded = encoded.combine_chunks()
                codes = encoded.indices.to_numpy(zero_copy_only=False)
                codes = np.where(
                    encoded.indices.is_null().to_numpy(zero_copy_only=False), -1, codes
                )
                values = encoded.dictionary.to_pylist()
                for code in np.unique(codes):
                    m = codes == code
                    value = None if code < 0 else values[int(code)]
                    add((s, value), a[m], x[m], w2[m], w[m])
    except Exception as exc:
        raise _input_error(col, exc) from exc
    per: dict[str | None, list[tuple[Any, ...]]] = {s: [] for s in plan.splits}
    for (split, value), (n, sw, sw2, s1, sx, sxx) in acc.items():
        per[split].append((value, n, sw, sw2, s1.tolist(), sx.tolist(), sxx.tolist()))
    if splits:  # the total: the first split's groups added up
        per[None] = [(None, *row[1:]) for row in per[splits[0]]]
    for key, rows in per.items():
        out.moments.setdefault(key, []).append(rows)
