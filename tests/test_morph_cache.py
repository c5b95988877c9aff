"""Kiwi's morpheme starts kept between runs (``csitool.batch.morpheme_cache``, the files of
``csitool.io.cache``): a word analysed once is read back instead of starting Kiwi again,
the themes stay the same, and a cache that is missing, broken, from another analyser,
turned off or unwritable changes nothing but the time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from csitool.batch import MORPHEME_CACHE, morpheme_cache
from csitool.stats import morph
from csitool.stats.codebook import default_codebook
from csitool.stats.voc import prepare, tag_comments

pytest.importorskip("kiwipiepy", reason="kiwipiepy missing: no morpheme starts to cache")

BOOK = default_codebook()
# "통화대기가" (call waiting, subject marker) holds the wait keyword "대기" inside a word:
# only Kiwi's morpheme starts, 통화|대기|가 = offsets 0, 2, 4, find the wait theme
TEXTS = ["웹사이트가 느리고 직원이 불친절해서 통화대기가 길다"]
THEMES = ["staff", "wait", "digital"]


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """A process that has analysed no word, with its cache in ``tmp_path / "cache"``; the
    analyser counts the words it is asked about in ``asked``."""
    monkeypatch.setattr(morph, "_CACHE", {})
    monkeypatch.setattr(morph, "_NEW", set())
    monkeypatch.setenv("CSITOOL_CACHE_DIR", str(tmp_path / "cache"))
    asked: list[str] = []
    real = morph._kiwi

    class Spy:
        def tokenize(self, words):
            asked.extend(words)
            return real().tokenize(words)

    monkeypatch.setattr(morph, "_kiwi", Spy)
    return asked


def _themes() -> list[str]:
    got = tag_comments(prepare(TEXTS), BOOK).themes[0]
    return [BOOK.themes[j].name for j in np.flatnonzero(got)]


def _forget(monkeypatch) -> None:
    """A new process: nothing analysed in memory (the cache file stays)."""
    monkeypatch.setattr(morph, "_CACHE", {})
    monkeypatch.setattr(morph, "_NEW", set())


def test_a_word_analysed_once_is_read_back(fresh, monkeypatch, tmp_path):
    with morpheme_cache():
        assert _themes() == THEMES
    assert fresh == ["통화대기가"]
    stored = json.loads((tmp_path / "cache" / MORPHEME_CACHE).read_text(encoding="utf-8"))
    assert stored == {"analyser": morph.analyser(), "starts": {"통화대기가": [0, 2, 4]}}

    _forget(monkeypatch)
    with morpheme_cache():
        assert _themes() == THEMES
    assert fresh == ["통화대기가"]  # not asked again


def test_words_are_added_to_what_the_file_holds(fresh, monkeypatch, tmp_path):
    path = tmp_path / "cache" / MORPHEME_CACHE
    path.parent.mkdir()
    path.write_text(json.dumps({"analyser": morph.analyser(), "starts": {"가나다": [0, 1]}}))
    with morpheme_cache():
        assert _themes() == THEMES
    stored = json.loads(path.read_text(encoding="utf-8"))["starts"]
    assert stored == {"가나다": [0, 1], "통화대기가": [0, 2, 4]}


@pytest.mark.parametrize(
    "content",
    [
        "not json {",
        json.dumps(["a list"]),
        json.dumps({"analyser": "kiwipiepy 0.1, model 0.1", "starts": {"통화대기가": [0]}}),
        json.dumps({"analyser": "@", "starts": {"통화대기가": [0]}}),  # replaced below
        json.dumps({"starts": {"통화대기가": [0]}}),
    ],
    ids=["not-json", "not-an-object", "other-analyser", "bad-offsets", "no-analyser"],
)
def test_a_file_that_cannot_be_trusted_is_not_used(fresh, monkeypatch, tmp_path, content):
    """Wrong starts (only 0: no morpheme inside the word) would lose the wait theme; from
    another analyser, or with offsets past the word's end, they are not used."""
    if content.startswith('{"analyser": "@"'):
        content = json.dumps(
            {"analyser": morph.analyser(), "starts": {"통화대기가": [0, 99], "x": "0"}}
        )
    path = tmp_path / "cache" / MORPHEME_CACHE
    path.parent.mkdir()
    path.write_text(content, encoding="utf-8")
    with morpheme_cache():
        assert _themes() == THEMES
    assert fresh == ["통화대기가"]
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["starts"]["통화대기가"] == [0, 2, 4]


def test_turned_off_or_unwritable_changes_nothing_but_the_time(fresh, monkeypatch, tmp_path):
    monkeypatch.setenv("CSITOOL_CACHE_DIR", "none")
    with morpheme_cache():
        assert _themes() == THEMES
    assert not list(tmp_path.rglob(MORPHEME_CACHE))

    _forget(monkeypatch)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("CSITOOL_CACHE_DIR", str(blocked))
    with morpheme_cache():
        assert _themes() == THEMES
    assert fresh == ["통화대기가", "통화대기가"]
    assert blocked.read_text() == "x"


def test_the_words_of_a_failed_run_are_kept(fresh, tmp_path):
    with pytest.raises(RuntimeError), morpheme_cache():
        _themes()
        raise RuntimeError("a later step failed")
    assert (tmp_path / "cache" / MORPHEME_CACHE).exists()


def test_voc_twice_reads_the_cache_instead_of_kiwi(tmp_path):
    """Black box: ``csitool voc`` on a Korean file, then again with a kiwipiepy that cannot
    load on the path. The second run must not need Kiwi, and prints the same JSON."""
    survey = tmp_path / "v.csv"
    survey.write_text(
        "추천의향,의견\n"
        + "".join(f"{k % 11},{TEXTS[0] if k % 2 else '배송이 늦어요'}\n" for k in range(20)),
        encoding="utf-8",
    )
    broken = tmp_path / "broken" / "kiwipiepy"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text(
        "class Kiwi:\n    def __init__(self, *a, **k):\n        raise RuntimeError('no Kiwi')\n"
    )
    env = {"CSITOOL_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "PATH": ""}
    cmd = [sys.executable, "-m", "csitool", "voc", str(survey), "-f", "json"]
    root = str(Path(__file__).resolve().parent.parent)
    first = subprocess.run(cmd, capture_output=True, text=True, env={**env, "PYTHONPATH": root})
    assert first.returncode == 0, first.stderr
    second = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": f"{broken.parent}:{root}"},
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert '"wait"' in first.stdout
    # and without the cache the broken Kiwi is reached: the test can fail
    third = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": f"{broken.parent}:{root}", "CSITOOL_CACHE_DIR": "none"},
    )
    assert third.returncode != 0
