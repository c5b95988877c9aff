"""Engines that count a survey where its data lives (DuckDB embedded, Spark on a cluster)
and hand the counts to the shared statistics; see :mod:`csitool.io.engine.plan`."""
