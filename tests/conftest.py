"""Shared fixtures: data paths, a CLI runner with a pinned width and no colour."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True, scope="session")
def _own_cache(tmp_path_factory: pytest.TempPathFactory):
    """The suite's cache (Kiwi's morpheme starts) in a folder of its own: nothing is
    written to the user's ~/.cache, and no result depends on what an earlier run left."""
    import os

    old = os.environ.get("CSITOOL_CACHE_DIR")
    os.environ["CSITOOL_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("CSITOOL_CACHE_DIR", None)
    else:
        os.environ["CSITOOL_CACHE_DIR"] = old


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("CSITOOL_DEBUG", raising=False)


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Run the CLI in an empty working directory (so no stray csitool.toml is picked up)."""
    from typer.testing import CliRunner

    from csitool.cli.app import app

    runner = CliRunner()
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str, input: str | bytes | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input)

    return invoke
