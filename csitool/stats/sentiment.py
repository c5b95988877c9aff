"""Comment sentiment from a linear model on hashed character n-grams (Korean and English).

The model (:class:`SentimentModel`) is a logistic regression trained by
``bench/train_sentiment.py`` on open labelled reviews (NSMC, CC0; Amazon laptop reviews, MIT)
and shipped as ``csitool/data/sentiment_model.npz``; the application reads that file
(``csitool.batch.load_sentiment_model``) and passes the model here. Scoring needs numpy
only: the same :func:`features` function builds the training matrix and scores comments, so
training and use cannot drift apart.

Notes
-----
A comment is lowercased, its whitespace collapsed to single spaces and padded with one
space on each side. Every character n-gram (n in ``ngrams``, spaces included, so short
words and word edges are features) is hashed (FNV-1a over the code points, seeded by n) to
one of ``2**bits`` columns. The feature value is ``count / sqrt(number of n-grams in the
comment)``, so long and short comments score on the same scale. With weights w and bias b,

    p(positive) = 1 / (1 + exp(-(b + sum_j w_j x_j)))

and the comment is positive when p >= 0.5 + margin, negative when p <= 0.5 - margin, and
neutral (the model abstains) in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)
CHUNK = 20_000  # comments hashed per batch: bounds the temporary arrays


@dataclass(frozen=True)
class SentimentModel:
    """A trained linear model: ``weights`` over ``2**bits`` hashed n-gram columns."""

    weights: np.ndarray
    bias: float
    bits: int
    ngrams: tuple[int, ...]
    margin: float
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_arrays(cls, arrays: dict[str, Any]) -> SentimentModel:
        """The model from the arrays of its ``.npz`` file (see ``bench/train_sentiment.py``)."""
        import json

        weights = np.asarray(arrays["weights"], dtype=np.float64)
        bits = int(arrays["bits"])
        if weights.shape != (1 << bits,):
            raise ValueError(f"weights have shape {weights.shape}, expected ({1 << bits},)")
        info = json.loads(str(arrays["info"])) if "info" in arrays else {}
        return cls(
            weights=weights,
            bias=float(arrays["bias"]),
            bits=bits,
            ngrams=tuple(int(n) for n in np.asarray(arrays["ngrams"]).ravel()),
            margin=float(arrays["margin"]),
            info=info,
        )

    def logit(self, texts: Sequence[str]) -> np.ndarray:
        """The log-odds of positive per comment: b + sum_j w_j x_j.

        Every n-gram of a comment has the same value 1 / sqrt(m) (m: the comment's n-gram
        count), so sum_j w_j x_j = (sum of the weights of its n-grams) / sqrt(m): the weights
        are summed per comment and scaled once, without building the (row, column, value)
        triples of :func:`features`.
        """
        out = np.empty(len(texts))
        for start in range(0, len(texts), CHUNK):
            chunk = texts[start : start + CHUNK]
            starts, grams = _grams(chunk, self.bits, self.ngrams)
            total, count = np.zeros(len(chunk)), np.zeros(len(chunk))
            for cols, keep in grams:
                # a comment's n-grams are one run of positions from its start; those that
                # run into the next comment weigh 0
                w = np.zeros(starts[-1] + 1)  # one past the end, so every start is an index
                np.take(self.weights, cols, out=w[: len(cols)])
                w[: len(cols)][~keep] = 0.0
                n = np.zeros(starts[-1] + 1)
                n[: len(keep)] = keep
                total += np.add.reduceat(w, starts)[: len(chunk)]
                count += np.add.reduceat(n, starts)[: len(chunk)]
            out[start : start + len(chunk)] = total / np.sqrt(np.maximum(count, 1.0))
        return out + self.bias

    def probability(self, texts: Sequence[str]) -> np.ndarray:
        """p(positive) per comment."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.logit(texts))), dtype=float)

    def label(self, p: np.ndarray) -> np.ndarray:
        """+1 / 0 / -1 from probabilities (0: within ``margin`` of 0.5, the model abstains)."""
        return np.where(p >= 0.5 + self.margin, 1, np.where(p <= 0.5 - self.margin, -1, 0))

    def classify(self, texts: Sequence[str]) -> np.ndarray:
        """+1 / 0 / -1 per comment from the model alone."""
        return np.asarray(self.label(self.probability(texts)), dtype=int)


def normalise(text: str) -> str:
    """Lowercased, whitespace collapsed, one space of padding each side."""
    return " " + " ".join(text.lower().split()) + " "


def features(
    texts: Sequence[str], bits: int, ngrams: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hashed n-gram features as COO triples (row, column, value), duplicates not summed.

    Vectorised over all comments at once (in chunks of :data:`CHUNK`): the comments are
    concatenated into one array of code points and each n-gram's hash is computed for every
    start position, keeping the positions whose n-gram lies inside one comment.
    """
    out_r, out_c, out_v = [], [], []
    for start in range(0, len(texts), CHUNK):
        r, c, v = _chunk(texts[start : start + CHUNK], bits, ngrams)
        out_r.append(r + start)
        out_c.append(c)
        out_v.append(v)
    if not out_r:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    return np.concatenate(out_r), np.concatenate(out_c), np.concatenate(out_v)


def _chunk(
    texts: Sequence[str], bits: int, ngrams: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    starts, grams = _grams(texts, bits, ngrams)
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(starts))
    r = np.concatenate([owner[: len(keep)][keep] for _, keep in grams] or [owner[:0]])
    c = np.concatenate([cols[keep] for cols, keep in grams] or [owner[:0]])
    counts = np.bincount(r, minlength=len(texts)).astype(float)
    v = 1.0 / np.sqrt(np.maximum(counts[r], 1.0))
    return r, c, v


def _grams(
    texts: Sequence[str], bits: int, ngrams: Sequence[int]
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """The comments' hashed n-grams, one array per n over every start position of the
    concatenated text, with the mask of those that lie inside one comment.

    Returns ``starts`` (each comment's first position, then the total length) and, per n,
    ``(columns, keep)``: position k's n-gram hashed to a column, and whether it ends within
    the comment it starts in.
    """
    norm = [normalise(str(t)) for t in texts]
    lengths = np.fromiter((len(t) for t in norm), dtype=np.int64, count=len(norm))
    starts = np.concatenate(([0], np.cumsum(lengths)))
    codes = np.frombuffer("".join(norm).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    owner = np.repeat(np.arange(len(norm), dtype=np.int64), lengths)
    ends = starts[1:][owner]  # one past the last character of each position's comment
    shift = np.uint64(64 - bits)
    grams = []
    for n in ngrams:
        m = len(codes) - n + 1
        if m <= 0:
            continue
        h = np.full(m, FNV_OFFSET ^ np.uint64(n), dtype=np.uint64)
        for k in range(n):
            np.bitwise_xor(h, codes[k : k + m], out=h)
            np.multiply(h, FNV_PRIME, out=h)
        np.right_shift(h, shift, out=h)
        keep = np.arange(n, m + n) <= ends[:m]
        grams.append((h.view(np.int64), keep))
    return starts, grams
