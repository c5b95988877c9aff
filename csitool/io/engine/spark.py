"""Spark, for data on a cluster: the same :class:`Plan` as Spark SQL through pyspark.

``master``: ``local[*]`` (the default without ``SPARK_REMOTE``), ``spark://host:7077``, or
``sc://host:15002`` for Spark Connect (also taken from ``SPARK_REMOTE``). pyspark is the
optional extra ``csitool[spark]`` and needs Java. Parquet and Arrow sources are read by
Spark itself (so paths may be ``s3a://`` or ``hdfs://`` globs on the cluster).
"""

from __future__ import annotations

import os
import sys
import warnings
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

from csitool.errors import InputError
from csitool.io.columnar import Columnar
from csitool.io.engine import sql
from csitool.io.engine.duck import (
    collect_counts,
    collect_listing,
    collect_moments,
    offsets_in_order,
    place,
)
from csitool.io.engine.plan import Counts, IndexItem, Listing, Plan

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pandas as pd

VIEW = "csitool_source"
ROW_FILE = "_csitool_file"
ROW_INDEX = "_csitool_row"


class SparkEngine:
    """One Spark session over one columnar source (a temporary view)."""

    name = "spark"

    def __init__(self, col: Columnar, *, master: str | None = None, threads: int | None = None):
        # pyspark's Spark Connect client warns on pandas 3 at import; csitool hands it no
        # pandas data, so the warning would only clutter the user's terminal
        warnings.filterwarnings(
            "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
        )
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise InputError(
                "Error: --engine spark needs pyspark: pip install 'csitool[spark]' (and Java)."
            ) from exc
        if col.kind == "duckdb":
            raise InputError(
                f"Error: {col.source}: Spark reads Parquet and Arrow files; use --engine "
                "duckdb for a DuckDB database."
            )
        self.col = col
        remote = master if master and master.startswith("sc://") else None
        remote = remote or (os.environ.get("SPARK_REMOTE") if not master else None)
        builder = SparkSession.builder.appName("csitool")
        if remote:
            builder = builder.remote(remote)
        else:
            builder = builder.master(master or f"local[{threads or '*'}]")
            builder = builder.config("spark.ui.enabled", "false")
            builder = builder.config("spark.sql.shuffle.partitions", str(threads or 4))
            builder = builder.config("spark.ui.showConsoleProgress", "false")
        log = self._log = None if remote else _jvm_log()
        try:
            with _stderr_to(log):
                self.spark = builder.getOrCreate()
            self.spark.conf.set("spark.sql.ansi.enabled", "false")
        except Exception as exc:
            where = f" (Spark's log: {log})" if log else ""
            raise InputError(
                f"Error: cannot start Spark ({master or remote or 'local'}): {exc}{where}"
            ) from exc
        from pyspark.sql import functions as F

        try:
            if col.kind == "parquet":
                reader = self.spark.read
                if col.hive and col.root:
                    reader = reader.option("basePath", _absolute(col.root))
                frame = reader.parquet(*(_absolute(f) for f in col.files))
                frame = frame.withColumn(ROW_FILE, F.col("_metadata.file_path")).withColumn(
                    ROW_INDEX, F.col("_metadata.row_index")
                )
                self._keys = [ROW_FILE, ROW_INDEX]
            else:
                import pyarrow.dataset as ds

                table = ds.dataset(list(col.files), format="ipc").to_table()
                rows = table.to_pandas()
                rows[ROW_INDEX] = range(len(rows))  # the file order, which Spark would lose
                frame = self.spark.createDataFrame(rows)
                self._keys = [ROW_INDEX]
        except Exception as exc:
            raise InputError(f"Error: {col.source}: Spark cannot read it: {exc}") from exc
        frame.createOrReplaceTempView(VIEW)
        self._columns = [c for c in frame.columns if c not in (ROW_FILE, ROW_INDEX)]
        self._dups_made = False

    @property
    def order(self) -> str | None:
        return ", ".join(sql.SPARK.q(k) for k in self._keys) or None

    def execute(self, statement: str) -> list[tuple[Any, ...]]:
        try:
            return [tuple(r) for r in self.spark.sql(statement).collect()]
        except Exception as exc:
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"Error: {self.col.source}: Spark cannot run it: {text}") from exc

    def schema(self) -> list[tuple[str, str]]:
        frame = self.spark.table(VIEW)
        types = dict(frame.dtypes)
        return [(c, _duck_type(types[c])) for c in self._columns]

    def sample(self, rows: int) -> pd.DataFrame:
        """The first ``rows`` rows in file order, typed as pyarrow types them in memory."""
        import pyarrow as pa

        names = ", ".join(sql.SPARK.q(c) for c in self._columns)
        order = f" ORDER BY {self.order}" if self.order else ""
        frame = self.spark.sql(f"SELECT {names} FROM {VIEW}{order} LIMIT {int(rows)}")
        table = pa.Table.from_pylist([r.asDict() for r in frame.collect()])
        if not table.num_columns:
            import pandas as pd

            return pd.DataFrame({c: [] for c in self._columns})
        return table.select(self._columns).to_pandas()

    def _with(
        self, plan: Plan, numeric: dict[str, bool], carry: tuple[str, ...] = (), row: bool = False
    ) -> str:
        dups = None
        if plan.id and self._keys:
            if not self._dups_made:
                statement = sql.dup_statement(plan, sql.SPARK, VIEW, self._keys)
                self.spark.sql(statement).cache().createOrReplaceTempView("csitool_dups")
                self._dups_made = True
            dups = ("csitool_dups", self._keys)
        at = self._row(dups is not None) if row else None
        return sql.base_cte(plan, sql.SPARK, VIEW, self.order, numeric, dups, carry, at)

    def _row(self, joined: bool) -> str | None:
        """The row's index as the in-memory reader numbers it (files one after another),
        when the files are local Parquet files; None otherwise."""
        if not self._keys or not all(os.path.isfile(f) for f in self.col.files):
            return None
        from urllib.parse import unquote, urlparse

        import pyarrow.parquet as pq

        src = "_src." if joined else ""
        offsets, start = {}, 0
        for f in self.col.files:
            offsets[os.path.realpath(f)] = start
            start += pq.read_metadata(f).num_rows
        paths = [r[0] for r in self.execute(f"SELECT DISTINCT {ROW_FILE} FROM {VIEW}")]
        whens = []
        for uri in paths:
            at = offsets.get(os.path.realpath(unquote(urlparse(uri).path)))
            if at is None:
                return None
            whens.append(f"WHEN {sql.literal(uri)} THEN {at}")
        row = f"{src}{sql.SPARK.q(ROW_INDEX)}"
        return f"(CASE {src}{sql.SPARK.q(ROW_FILE)} {' '.join(whens)} END + {row})"

    def comments(self, plan: Plan, numeric: dict[str, bool], keys: list[str]) -> pd.DataFrame:
        """As :meth:`csitool.io.engine.duck.DuckEngine.comments`."""
        import pandas as pd

        row = self._row(False) is not None
        statement = f"{self._with(plan, numeric, row=row)} " + sql.comment_statement(
            keys, sql.SPARK, row
        )
        rows = [tuple(r) for r in self.execute(statement)]
        return pd.DataFrame.from_records(rows, columns=[*keys, "_n", "_sw", "_sw2", "_first"])

    def rows(
        self,
        plan: Plan,
        numeric: dict[str, bool],
        keys: list[str],
        wanted: Any,
        limit: int = 0,
        upto: int | None = None,
    ) -> Any:
        """As :meth:`csitool.io.engine.duck.DuckEngine.rows`."""
        import numpy as np
        from pyspark.sql.types import LongType, StructField, StructType

        source = self.spark.table(VIEW).schema
        schema = StructType(
            [StructField(f"_k{i}", source[c].dataType, True) for i, c in enumerate(keys)]
            + [StructField("_k", LongType(), False)]
        )
        whole = [source[c].dataType.typeName() in ("integer", "long", "short", "byte")
                 for c in keys]  # fmt: skip

        def cell(v: Any, integral: bool) -> Any:
            if v is None or v != v:
                return None
            return int(v) if integral else v

        data = [
            (*(cell(v, i) for v, i in zip(row, whole, strict=True)), k)
            for k, row in enumerate(wanted.itertuples(index=False, name=None))
        ]
        self.spark.createDataFrame(data, schema).createOrReplaceTempView("csitool_wanted")
        statement = f"{self._with(plan, numeric, row=True)} " + sql.rows_statement(
            keys, sql.SPARK, "csitool_wanted", limit, upto
        )
        got = self.execute(statement)
        return (
            np.array([r[0] for r in got], dtype=np.int64),
            np.array([r[1] for r in got], dtype=np.int64),
        )

    def count(self, plan: Plan, numeric: dict[str, bool]) -> Counts:
        return collect_counts(self.execute, self._with(plan, numeric), plan, sql.SPARK)

    def moments(self, plan: Plan, counts: Counts, numeric: dict[str, bool]) -> Counts:
        collect_moments(self.execute, self._with(plan, numeric), plan, sql.SPARK, counts)
        return counts

    def listing(
        self, plan: Plan, numeric: dict[str, bool], listing: Listing, duplicate_code: int
    ) -> dict[str, tuple[int | None, list[int]]]:
        """As :meth:`DuckEngine.listing`: rows placed by (file, row index in the file)."""
        blank = tuple(c for c, _ in listing.blank)
        with_ = self._with(plan, numeric, (*self._keys, *blank))
        found = collect_listing(self.execute, with_, listing, self._keys, sql.SPARK, duplicate_code)
        if len(self._keys) == 1:
            return {n: (c, sorted(int(r[0]) for r in rows)) for n, (c, rows) in found.items()}
        offsets: dict[Any, int] = {}
        if any(rows for _c, rows in found.values()):
            f = sql.SPARK.q(ROW_FILE)
            sizes = dict(self.execute(f"SELECT {f}, count(*) FROM {VIEW} GROUP BY {f}"))
            offsets = offsets_in_order(self.col.files, sizes, _local_path)
        return {n: (c, place(rows, offsets, listing.limit)) for n, (c, rows) in found.items()}

    def fetch(
        self,
        plan: Plan,
        numeric: dict[str, bool],
        required: tuple[IndexItem, ...],
        optional: tuple[IndexItem, ...],
        factor: float = 1.0,
    ) -> Iterator[Any]:
        """The complete rows of ``required``, identical ones grouped with their count and
        weight sums (:func:`sql.complete_statement`), as Arrow record batches collected to
        the driver (``toArrow``)."""
        statement = sql.complete_statement(plan, required, optional, sql.SPARK, factor)
        try:
            frame = self.spark.sql(f"{self._with(plan, numeric)} {statement}")
            if hasattr(frame, "toArrow"):  # pyspark 4
                table = frame.toArrow()
            else:  # pyspark 3.5: through pandas
                import pyarrow as pa

                table = pa.Table.from_pandas(frame.toPandas(), preserve_index=False)
        except Exception as exc:
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"Error: {self.col.source}: Spark cannot run it: {text}") from exc
        yield from table.to_batches()

    def close(self) -> None:
        """The session is left running (getOrCreate reuses it in the same process); the
        Java process's log file is removed (it keeps writing to the unlinked file)."""
        if self._log:
            with suppress(OSError):
                os.remove(self._log)


def _local_path(uri: str) -> str:
    """A Spark file path (``file:///tmp/a%20b.parquet``) as a local path."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(uri)
    return unquote(parts.path) if parts.scheme in ("file", "") else uri


def _duck_type(spark_type: str) -> str:
    """A Spark type name in the DuckDB spelling the survey layer reads."""
    t = spark_type.lower()
    if t in ("double", "float"):
        return "DOUBLE"
    if t in ("int", "bigint", "smallint", "tinyint") or t.startswith("decimal"):
        return "BIGINT"
    return "VARCHAR"


def _absolute(path: str) -> str:
    """A local path made absolute: a Spark session resolves a relative path against the
    folder it was started in, which in a long-running process need not be the current one
    (URIs such as ``s3a://`` are left as they are)."""
    return path if "://" in path else os.path.abspath(path)


def _jvm_log() -> str:
    """A file for the Java process's own output (its start-up lines and log4j warnings),
    which would otherwise interleave with csitool's output on the terminal."""
    import tempfile

    handle, path = tempfile.mkstemp(prefix="csitool-spark-", suffix=".log")
    os.close(handle)
    return path


@contextmanager
def _stderr_to(path: str | None) -> Iterator[None]:
    """Standard error (file descriptor 2) sent to ``path`` while the Java process starts:
    it inherits the descriptor, so its output goes to the file for its whole life, while
    Python's own standard error comes back when the block ends."""
    if path is None:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(path, "ab") as log:
            os.dup2(log.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
