"""Where Korean words split into morphemes (Kiwi, from ``kiwipiepy``, imported lazily).

Only the start offsets of the morphemes are needed: a Hangul keyword matches when it begins
at a word start or at a morpheme start (:mod:`csitool.stats.voc`). Kiwi analyses one word
(a space-separated unit) at a time and each distinct word once per process: matching asks
only about the words inside which a keyword starts, so the analyser sees few of them. Its
start-up (model load and the first call's warm-up: seconds) is paid once per process, and only
when such a word occurs. Kiwi's model ships in the ``kiwipiepy_model`` wheel; nothing is
downloaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_CACHE: dict[str, frozenset[int]] = {}
_NEW: set[str] = set()  # the words of _CACHE analysed by this process (see learnt)
_KIWI: list[Any] = []  # the analyser, made on first use (loading its model takes about 1 s)
_STATE: dict[str, str] = {}


def available() -> bool:
    """Whether kiwipiepy can be imported (without loading its model)."""
    if "available" not in _STATE:
        import importlib.util

        _STATE["available"] = "yes" if importlib.util.find_spec("kiwipiepy") else "no"
    return _STATE["available"] == "yes"


def _kiwi() -> Any:
    if not _KIWI:
        import warnings

        from kiwipiepy import Kiwi

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # without the multi-word dictionary (names written as one word, such as film
            # titles) the model loads about 1 s sooner; it moves the morpheme starts of 177
            # of 67,785 distinct words of NSMC and the labelled comments, and no theme of
            # the labelled set (bench/bench.py voc_quality)
            _KIWI.append(Kiwi(load_multi_dict=False))
    return _KIWI[0]


def analyser() -> str:
    """What the morpheme starts depend on: kiwipiepy's and its model's versions and the
    options the analyser is made with (read from the installed packages' metadata, without
    loading the model). Starts remembered under another analyser must not be reused."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = f"kiwipiepy {version('kiwipiepy')}, model {version('kiwipiepy_model')}"
    except PackageNotFoundError:
        found = "kiwipiepy (no version)"
    return f"{found}, load_multi_dict=False"


def remember(starts: dict[str, list[int]]) -> None:
    """Take morpheme starts found before (by :func:`analyser`'s analyser, such as a cache
    kept between runs), so that those words are not analysed again."""
    for word, offsets in starts.items():
        if word not in _CACHE:
            _CACHE[word] = frozenset({0, *(int(k) for k in offsets)})


def learnt() -> dict[str, list[int]]:
    """The morpheme starts this process analysed (not those it was given by
    :func:`remember`), as sorted offset lists."""
    return {w: sorted(_CACHE[w]) for w in sorted(_NEW)}


def morpheme_starts(words: Iterable[str]) -> dict[str, frozenset[int]]:
    """Each word's morpheme start offsets (0 always included), analysing each new word once.

    >>> sorted(morpheme_starts(["통화대기가"])["통화대기가"])
    [0, 2, 4]
    """
    wanted = set(words)
    new = sorted(w for w in wanted if w not in _CACHE)
    if new:
        for word, tokens in zip(new, _kiwi().tokenize(new), strict=True):
            _CACHE[word] = frozenset({0, *(int(t.start) for t in tokens)})
            _NEW.add(word)
    return {w: _CACHE[w] for w in wanted}
