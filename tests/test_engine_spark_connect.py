"""Spark Connect (``--spark-master sc://host:port``): a Spark Connect server started on this
machine from the server jar that pyspark 4 ships, and csitool run as a user runs it (its own
process) against it; every command's JSON must equal the DuckDB engine's (which the other
engine tests hold equal to the in-memory path). Skipped, saying why, without Java, without
the client's libraries (``pip install 'csitool[spark]'``) or with a pyspark that ships no
server.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from tests.survey_gen import write
from tests.test_golden import same

START_SECONDS = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: no Spark Connect server can start")
    pyspark = pytest.importorskip(
        "pyspark", reason="pyspark is not installed (pip install 'csitool[spark]')"
    )
    try:
        with warnings.catch_warnings():  # pyspark's client warns on pandas 3 at import
            warnings.simplefilter("ignore", FutureWarning)
            import grpc  # noqa: F401
            import pyspark.sql.connect.session
    except ImportError as exc:
        why = f"the Spark Connect client is not installed ({exc})"
        pytest.skip(f"{why}: pip install 'csitool[spark]'")
    home = Path(pyspark.__file__).parent
    script = home / "sbin" / "start-connect-server.sh"
    if not script.exists() or not list((home / "jars").glob("spark-connect_*.jar")):
        pytest.skip("this pyspark ships no Spark Connect server (pyspark 4 does)")
    port = _free_port()
    logs = tmp_path_factory.mktemp("spark-connect")
    env = os.environ | {
        "SPARK_HOME": str(home),
        "SPARK_LOG_DIR": str(logs),
        "SPARK_PID_DIR": str(logs),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    args = ["bash", str(script), "--wait", "--master", "local[2]",
            "--conf", f"spark.connect.grpc.binding.port={port}",
            "--conf", "spark.ui.enabled=false"]  # fmt: skip
    log = (logs / "server.out").open("wb")
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _listening(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                text = (logs / "server.out").read_text(errors="replace")[-3000:]
                pytest.fail(f"the Spark Connect server did not start:\n{text}")
            time.sleep(1)
        yield f"sc://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def _json(*args: str, cwd: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "csitool", *args, "-f", "json"], cwd=cwd,
                         capture_output=True, text=True, timeout=600)  # fmt: skip
    assert out.returncode in (0, 1), out.stderr[-3000:]  # 1: check found failures
    assert "Traceback" not in out.stderr and "Warning" not in out.stderr, out.stderr[-3000:]
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    "command",
    [
        ("score", "--by", "Region"),
        ("compare", "--by", "Region"),
        ("check",),
        ("drivers",),
        ("voc",),
    ],
    ids=lambda c: "-".join(c),
)
def test_spark_connect_equals_duckdb(server, command, tmp_path):
    write(tmp_path / "parts", 30_000, seed=3, part_rows=10_000)
    glob = str(tmp_path / "parts" / "*.parquet")
    remote = _json(command[0], glob, *command[1:], "--engine", "spark", "--spark-master",
                   server, cwd=tmp_path)  # fmt: skip
    local = _json(command[0], glob, *command[1:], "--engine", "duckdb", cwd=tmp_path)
    diffs = same(remote, local)
    assert not diffs, "\n".join(diffs[:20])
    assert remote["files"] and remote["command"] == command[0]
