"""Spark, for data on a cluster: the same :class:`Plan` as Spark SQL through pyspark.

``master``: ``local[*]`` (the default without ``SPARK_REMOTE``), ``spark://host:7077``, or
``sc://host:15002`` for Spark Connect (also taken from ``SPARK_REMOTE``). pyspark is the
optional extra ``csitool[spark]`` and needs Java. Parquet and Arrow sources are read by
Spark itself (so paths may be ``s3a://`` or ``hdfs://`` globs on the cluster).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from csitool.errors import InputError
from csitool.io.columnar import Columnar
from csitool.io.engine import sql
from csitool.io.engine.duck import collect_counts, collect_moments
from csitool.io.engine.plan import Counts, IndexItem, Plan

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
        try:
            self.spark = builder.getOrCreate()
            self.spark.conf.set("spark.sql.ansi.enabled", "false")
        except Exception as exc:
            raise InputError(
                f"Error: cannot start Spark ({master or remote or 'local'}): {exc}"
            ) from exc
        from pyspark.sql import functions as F

        try:
            if col.kind == "parquet":
                reader = self.spark.read
                if col.hive and col.root:
                    reader = reader.option("basePath", col.root)
                frame = reader.parquet(*col.files)
                frame = frame.withColumn(ROW_FILE, F.col("_metadata.file_path")).withColumn(
                    ROW_INDEX, F.col("_metadata.row_index")
                )
                self._keys = [ROW_FILE, ROW_INDEX]
            else:
                import pyarrow.dataset as ds

                table = ds.dataset(list(col.files), format="ipc").to_table()
                frame = self.spark.createDataFrame(table.to_pandas())
                self._keys = []
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

    def _with(self, plan: Plan, numeric: dict[str, bool]) -> str:
        dups = None
        if plan.id and self._keys:
            if not self._dups_made:
                statement = sql.dup_statement(plan, sql.SPARK, VIEW, self._keys)
                self.spark.sql(statement).cache().createOrReplaceTempView("csitool_dups")
                self._dups_made = True
            dups = ("csitool_dups", self._keys)
        return sql.base_cte(plan, sql.SPARK, VIEW, self.order, numeric, dups)

    def count(self, plan: Plan, numeric: dict[str, bool]) -> Counts:
        return collect_counts(self.execute, self._with(plan, numeric), plan, sql.SPARK)

    def moments(self, plan: Plan, counts: Counts, numeric: dict[str, bool]) -> Counts:
        collect_moments(self.execute, self._with(plan, numeric), plan, sql.SPARK, counts)
        return counts

    def fetch(
        self,
        plan: Plan,
        numeric: dict[str, bool],
        required: tuple[IndexItem, ...],
        optional: tuple[IndexItem, ...],
    ) -> Iterator[Any]:
        """The complete rows of ``required`` (:func:`sql.complete_statement`) as Arrow
        record batches collected to the driver (``toArrow``). Spark gives no row order:
        the figures do not depend on it beyond rounding (1e-9)."""
        statement = sql.complete_statement(plan, required, optional, sql.SPARK)
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
        """The session is left running (getOrCreate reuses it in the same process)."""


def _duck_type(spark_type: str) -> str:
    """A Spark type name in the DuckDB spelling the survey layer reads."""
    t = spark_type.lower()
    if t in ("double", "float"):
        return "DOUBLE"
    if t in ("int", "bigint", "smallint", "tinyint") or t.startswith("decimal"):
        return "BIGINT"
    return "VARCHAR"
