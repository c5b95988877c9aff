"""DuckDB, the embedded engine: scans Parquet, Arrow and DuckDB tables out of core and
returns the :class:`Counts` of a :class:`Plan`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csitool.errors import InputError
from csitool.io.columnar import Columnar, quote_name
from csitool.io.engine import sql
from csitool.io.engine.plan import Counts, Plan

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

FILE_COLUMN = "__csitool_file"
ROW_COLUMN = "file_row_number"


class DuckEngine:
    """One DuckDB connection over one columnar source.

    ``threads`` maps ``--jobs``; ``memory_limit`` (e.g. ``"2GB"``) bounds DuckDB's memory,
    beyond which it spills to a temporary folder.
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
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        self.con.execute("SET preserve_insertion_order = false")
        self._order: str | None = None
        self._relation = self._make_relation()

    def _make_relation(self) -> str:
        col = self.col
        if col.kind == "parquet":
            files = ", ".join(sql.literal(f) for f in col.files)
            hive = "true" if col.hive else "false"
            self._order = f"{quote_name(FILE_COLUMN)}, {quote_name(ROW_COLUMN)}"
            return (
                f"read_parquet([{files}], hive_partitioning = {hive}, union_by_name = true, "
                f"filename = '{FILE_COLUMN}', file_row_number = true)"
            )
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

    @property
    def order(self) -> str | None:
        """The SQL that orders rows as the source holds them (None: a query has no order)."""
        return self._order

    def execute(self, statement: str) -> list[tuple[Any, ...]]:
        try:
            return self.con.execute(statement).fetchall()
        except Exception as exc:
            raise _input_error(self.col, exc) from exc

    def schema(self) -> list[tuple[str, str]]:
        """(column, DuckDB type) of the source (the engine's own columns left out)."""
        rows = self.execute(f"DESCRIBE SELECT * FROM {self._relation}")
        return [(r[0], r[1]) for r in rows if r[0] not in (FILE_COLUMN, ROW_COLUMN)]

    def sample(self, rows: int) -> pd.DataFrame:
        """The first ``rows`` rows (in source order), as the in-memory reader types them."""
        col = self.col
        if col.kind in ("parquet", "arrow"):
            import pyarrow.dataset as ds

            fmt = "parquet" if col.kind == "parquet" else "ipc"
            if col.hive:
                part = ds.partitioning(flavor="hive")
                dataset = ds.dataset(
                    list(col.files), format=fmt, partitioning=part, partition_base_dir=col.root
                )
            else:
                dataset = ds.dataset(list(col.files), format=fmt)
            return dataset.head(rows).to_pandas()
        names = ", ".join(quote_name(n) for n, _ in self.schema())
        order = f" ORDER BY {self._order}" if self._order else ""
        try:
            table: Any = self.con.execute(
                f"SELECT {names} FROM {self._relation}{order} LIMIT {int(rows)}"
            ).to_arrow_table()
        except Exception as exc:
            raise _input_error(col, exc) from exc
        return table.to_pandas()

    def count(self, plan: Plan, numeric: dict[str, bool]) -> Counts:
        """The counts of the plan, in one pass over the source."""
        with_ = sql.base_cte(plan, sql.DUCKDB, self._relation, self._order, numeric)
        return collect_counts(self.execute, with_, plan, sql.DUCKDB)

    def moments(self, plan: Plan, counts: Counts, numeric: dict[str, bool]) -> Counts:
        """``counts`` with the cross moments of the plan's indexes (one more pass each)."""
        with_ = sql.base_cte(plan, sql.DUCKDB, self._relation, self._order, numeric)
        collect_moments(self.execute, with_, plan, sql.DUCKDB, counts)
        return counts

    def close(self) -> None:
        self.con.close()


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
                    if split is None and top is not None:
                        best = float(top) if best is None else max(best, float(top))
                else:
                    out.cells[split][item].append(
                        (seg, int(reason), row[where[item]], int(n), sw or 0.0, sw2 or 0.0)
                    )
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


def _input_error(col: Columnar, exc: Exception) -> InputError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return InputError(f"Error: {col.source}: DuckDB cannot read it: {text}")
