"""Measured quality of ``csitool voc``: theme precision and recall on the hand-labelled
comments of ``tests/data/voc_labelled`` and sentiment accuracy on the held-out polar reviews
of ``../shared/data`` (see ``sentiment_data.py``). Used by ``bench/bench.py`` and by
``tests/test_voc_eval.py``."""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "data" / "voc_labelled"
sys.path.insert(0, str(Path(__file__).resolve().parent))

MIN_EXAMPLES = 10  # themes with fewer labelled examples are listed but not judged


@dataclass(frozen=True)
class ThemeScore:
    lang: str
    theme: str
    examples: int
    precision: float | None
    recall: float | None
    false_positives: list[str]
    false_negatives: list[str]


def labelled(lang: str) -> list[dict[str, str]]:
    with (LABELLED / f"{lang}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def theme_scores(lang: str) -> list[ThemeScore]:
    """Per built-in theme: labelled examples, precision and recall of the tagger."""
    from csitool.stats.codebook import default_codebook
    from csitool.stats.voc import prepare, tag

    book = default_codebook()
    rows = labelled(lang)
    got = tag(prepare([r["comment"] for r in rows]), book)
    out = []
    for j, theme in enumerate(book.themes):
        gold = np.array([theme.name in r["themes"].split(";") for r in rows])
        tp = int((got[:, j] & gold).sum())
        fp = np.flatnonzero(got[:, j] & ~gold)
        fn = np.flatnonzero(~got[:, j] & gold)
        out.append(ThemeScore(
            lang, theme.name, int(gold.sum()),
            tp / (tp + len(fp)) if tp + len(fp) else None,
            tp / (tp + len(fn)) if tp + len(fn) else None,
            [rows[i]["comment"] for i in fp], [rows[i]["comment"] for i in fn],
        ))  # fmt: skip
    return out


@dataclass(frozen=True)
class SentimentScore:
    name: str
    reviews: int
    accuracy: float  # neutral counted as wrong
    abstain: float
    accuracy_model_only: float


def sentiment_scores() -> list[SentimentScore] | None:
    """Accuracy of ``csitool voc``'s sentiment (model + lexicon, as the command runs it) on
    the held-out polar reviews; None when ``../shared/data`` is absent."""
    from sentiment_data import available, laptop, nsmc

    from csitool.batch import load_sentiment_model
    from csitool.stats.voc import prepare, sentiment

    if not available():
        return None
    model = load_sentiment_model()
    out = []
    for name, rows in (("ko: NSMC 1-4 vs 9-10", nsmc()), ("en: laptop 1-2 vs 4-5", laptop())):
        test = [r for r in rows if r.test]
        texts = [r.text for r in test]
        y = np.array([r.label for r in test])
        got = sentiment(prepare(texts), model)
        alone = model.classify(texts)
        acc, abstain, alone_acc = (float(np.mean(x)) for x in (got == y, got == 0, alone == y))
        out.append(SentimentScore(name, len(test), acc, abstain, alone_acc))
    return out


@dataclass(frozen=True)
class ServiceSentiment:
    lang: str
    polar: int  # comments labelled positive or negative
    accuracy: float  # on those, neutral counted as wrong
    neutral_labelled: int
    neutral_called_neutral: float
    accuracy_lexicon: float  # the lexicon alone on the same polar comments


def service_sentiment(lang: str) -> ServiceSentiment:
    """Sentiment of ``csitool voc`` against the hand labels (``sentiment`` column) of the
    customer-service comments: these were never used for training."""
    from csitool.batch import load_sentiment_model
    from csitool.stats.voc import lexicon_sentiment, prepare, sentiment

    rows = labelled(lang)
    want = np.array([{"positive": 1, "negative": -1, "neutral": 0}[r["sentiment"]] for r in rows])
    p = prepare([r["comment"] for r in rows])
    got = sentiment(p, load_sentiment_model())
    lex = lexicon_sentiment(p)
    polar = want != 0
    return ServiceSentiment(
        lang,
        int(polar.sum()),
        float(np.mean(got[polar] == want[polar])),
        int((~polar).sum()),
        float(np.mean(got[~polar] == 0)),
        float(np.mean(lex[polar] == want[polar])),
    )
