"""One million rows through the three engines: a generated survey (weights, two segment
columns, a wave column, duplicate ids, blank rows, bad weights, off-scale answers, a
text-labelled item, Korean and English comments) in four Parquet parts, and every command
on it through pandas (in memory), DuckDB and Spark in local mode: the same JSON (figures to
1e-9, ledger counts and rows exactly) and the same exit code.

The oracle is the in-memory path, whose statistics are tested against independent
computations elsewhere; the engines share the finishing statistics with it, not the
counting. One text differs by design and is normalised: a note that names the first
invalid rows says only how many through an engine. Spark is skipped, saying why, without
pyspark or Java. This is the suite's slowest file (about a minute without Spark).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.survey_gen import write
from tests.test_engine import _normalised, _spark_or_skip
from tests.test_golden import same

ROWS = 1_000_000

COMMANDS = {
    "score": ("score", "--by", "Region", "--by", "Channel"),
    "compare": ("compare", "--wave", "Wave"),
    "check": ("check", "--by", "Region", "--min-nps", "-30", "--min-csi", "60",
              "--max-excluded", "0.1", "--require-columns", "Respondent ID,Region",
              "--max-missing", "5"),
    "drivers": ("drivers", "--by", "Region"),
    "voc": ("voc", "--by", "Region"),
}  # fmt: skip


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("million") / "parts"
    write(folder, ROWS, seed=21, part_rows=ROWS // 4)
    return str(folder / "*.parquet")


@pytest.fixture(scope="module")
def memory(parts):
    """Each command's JSON and exit code in memory, computed once for both engines."""
    from typer.testing import CliRunner

    from csitool.cli.app import app

    runner = CliRunner()
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(Path(parts).parent.parent)  # no stray csitool.toml
        for name, args in COMMANDS.items():
            argv = [args[0], parts, *args[1:], "-f", "json", "--engine", "pandas"]
            r = runner.invoke(app, argv)
            assert r.exit_code in (0, 1), r.output
            out[name] = (r.exit_code, json.loads(r.stdout))
    return out


def _engine(run, parts: str, name: str, engine: str) -> tuple[int, dict]:
    args = COMMANDS[name]
    r = run(args[0], parts, *args[1:], "-f", "json", "--engine", engine)
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(r.stdout)


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_million_rows_the_same_through_every_engine(run, parts, memory, name, engine):
    if engine == "spark":
        _spark_or_skip()
    code, counted = _engine(run, parts, name, engine)
    expected_code, expected = memory[name]
    assert code == expected_code
    diffs = same(_normalised(counted), _normalised(expected))
    assert not diffs, "\n".join(diffs[:20])
    first = expected["files"][0]
    assert first  # a real result, not an empty document
