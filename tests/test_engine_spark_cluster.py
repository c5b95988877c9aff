"""Spark beyond local mode, as a user runs it: a Spark Connect server
(``--spark-master sc://host:port``) started from the server jar pyspark 4 ships, and a
standalone cluster (``spark://host:port``: a master and a worker, each its own Java process,
so the work runs in a separate executor). csitool runs in its own process against each;
every command's JSON must equal the DuckDB engine's (which the other engine tests hold
equal to the in-memory path), and nothing of Java's own output reaches standard error.
Skipped, saying why, without Java, without the client's libraries
(``pip install 'csitool[spark]'``) or with a pyspark that ships no server.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from functools import partial
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


def _spark_home() -> Path:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: no Spark server or cluster can start")
    pyspark = pytest.importorskip(
        "pyspark", reason="pyspark is not installed (pip install 'csitool[spark]')"
    )
    return Path(pyspark.__file__).parent


def _env(home: Path, logs: Path) -> dict[str, str]:
    return os.environ | {
        "SPARK_HOME": str(home),
        "SPARK_LOG_DIR": str(logs),
        "SPARK_PID_DIR": str(logs),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = _spark_home()
    try:
        with warnings.catch_warnings():  # pyspark's client warns on pandas 3 at import
            warnings.simplefilter("ignore", FutureWarning)
            import grpc  # noqa: F401
            import pyspark.sql.connect.session  # noqa: F401
    except ImportError as exc:
        why = f"the Spark Connect client is not installed ({exc})"
        pytest.skip(f"{why}: pip install 'csitool[spark]'")
    script = home / "sbin" / "start-connect-server.sh"
    if not script.exists() or not list((home / "jars").glob("spark-connect_*.jar")):
        pytest.skip("this pyspark ships no Spark Connect server (pyspark 4 does)")
    port = _free_port()
    logs = tmp_path_factory.mktemp("spark-connect")
    args = ["bash", str(script), "--wait", "--master", "local[2]",
            "--conf", f"spark.connect.grpc.binding.port={port}",
            "--conf", "spark.ui.enabled=false"]  # fmt: skip
    proc = _daemon(args, _env(home, logs), logs / "server.out")
    try:
        _wait(proc, logs / "server.out", lambda: _listening(port))
        yield f"sc://127.0.0.1:{port}"
    finally:
        _stop(proc)


def _daemon(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip


def _wait(proc: subprocess.Popen, log: Path, ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            text = log.read_text(errors="replace")[-3000:]
            pytest.fail(f"the Spark process did not start:\n{text}")
        time.sleep(1)


def _says(log: Path, text: str) -> bool:
    return text in log.read_text(errors="replace")


def _stop(*procs: subprocess.Popen) -> None:
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A standalone master and one worker (2 cores), started with pyspark's spark-class."""
    home = _spark_home()
    logs = tmp_path_factory.mktemp("spark-standalone")
    env = _env(home, logs)
    port, ui, wui = _free_port(), _free_port(), _free_port()
    spark_class = ["bash", str(home / "bin" / "spark-class")]
    master = _daemon([*spark_class, "org.apache.spark.deploy.master.Master", "--host",
                      "127.0.0.1", "--port", str(port), "--webui-port", str(ui)],
                     env, logs / "master.out")  # fmt: skip
    procs = [master]
    try:
        _wait(master, logs / "master.out", lambda: _listening(port))
        url = f"spark://127.0.0.1:{port}"
        worker = _daemon([*spark_class, "org.apache.spark.deploy.worker.Worker", url,
                          "--cores", "2", "--memory", "2g", "--webui-port", str(wui),
                          "--work-dir", str(logs / "work")], env, logs / "worker.out")  # fmt: skip
        procs.append(worker)
        log = logs / "worker.out"
        registered = partial(_says, log, "Successfully registered with master")
        _wait(worker, logs / "worker.out", registered)
        yield url
    finally:
        _stop(*procs)


def _json(*args: str, cwd: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "csitool", *args, "-f", "json"], cwd=cwd,
                         capture_output=True, text=True, timeout=600)  # fmt: skip
    assert out.returncode in (0, 1), out.stderr[-3000:]  # 1: check found failures
    for noise in ("Traceback", "Warning", "WARN", "[Stage", "log4j"):  # nothing of Java's
        assert noise not in out.stderr, out.stderr[-3000:]
    return json.loads(out.stdout)


def _same_as_duckdb(master: str, command: tuple[str, ...], folder: Path, seed: int) -> None:
    """``command`` on a generated 30,000-row survey in three parts through Spark at
    ``master`` and through DuckDB: the same JSON."""
    write(folder / "parts", 30_000, seed=seed, part_rows=10_000)
    glob = str(folder / "parts" / "*.parquet")
    remote = _json(command[0], glob, *command[1:], "--engine", "spark", "--spark-master",
                   master, cwd=folder)  # fmt: skip
    local = _json(command[0], glob, *command[1:], "--engine", "duckdb", cwd=folder)
    diffs = same(remote, local)
    assert not diffs, "\n".join(diffs[:20])
    assert remote["files"] and remote["command"] == command[0]


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
    _same_as_duckdb(server, command, tmp_path, seed=3)


@pytest.mark.parametrize(
    "command", [("score", "--by", "Region"), ("drivers",), ("voc",)], ids=lambda c: "-".join(c)
)
def test_standalone_cluster_equals_duckdb(cluster, command, tmp_path):
    _same_as_duckdb(cluster, command, tmp_path, seed=5)
