"""``csitool voc`` reads Korean by word and morpheme and its sentiment agrees with the
customer: the labelled-set thresholds, the word-boundary negatives, the shipped model's
held-out accuracy, the hashed features against a pure-Python FNV-1a, and the sentiment mix,
NPS mix and contradictions against hand counts."""

from __future__ import annotations

import sys
import tomllib

import numpy as np
import pandas as pd
import pytest

import csitool
from csitool.batch import load_sentiment_model
from csitool.stats.codebook import default_codebook
from csitool.stats.sentiment import SentimentModel, features, normalise
from csitool.stats.voc import morpheme_marked, prepare, tag, tag_comments
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from voc_eval import MIN_EXAMPLES, labelled, sentiment_scores, theme_scores

BOOK = default_codebook()
NAMES = [t.name for t in BOOK.themes]


def _themes(text: str) -> set[str]:
    return {NAMES[j] for j in np.flatnonzero(tag(prepare([text]), BOOK)[0])}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_labelled_set_precision_and_recall(lang):
    # labels written by hand from tests/data/voc_labelled/README.md's rules
    judged = [s for s in theme_scores(lang) if s.examples >= MIN_EXAMPLES]
    assert len(judged) == len(BOOK.themes)  # every built-in theme has >= 10 examples
    for s in judged:
        assert s.precision is not None and s.precision >= 0.90, (s.theme, s.false_positives)
        assert s.recall is not None and s.recall >= 0.80, (s.theme, s.false_negatives)


def test_labelled_set_size_and_labels():
    for lang in ("ko", "en"):
        rows = labelled(lang)
        assert len(rows) >= 300
        used = {t for r in rows for t in r["themes"].split(";") if t}
        assert used <= set(NAMES)


# A keyword's letters across two words or from the middle of a word: never a match.
WORD_BOUNDARY_NEGATIVES = [
    ("각기 다른 직원이", "wait"),  # 각기 다른 holds 기다
    ("바빠서 그런지 연락이 없어요", "wait"),  # 그런지 연락 holds 지연
    ("현대 기술로", "wait"),  # 현대 기술 holds 대기
    ("이지연 대리님께 감사드려요", "wait"),  # a name holding 지연
    ("시기 다른 두 번 방문했는데", "wait"),
    ("고기 다 먹고 나왔어요", "wait"),
    ("대기업다운 서비스를 기대합니다", "wait"),  # 대기업 (ignore list), not 대기
    ("요즘 날씨가 추워서 그런지 사람이 없네요", "communication"),
    ("Apple pie was great", "digital"),
    ("Waiter, please keep the change", "wait"),
]


@pytest.mark.parametrize(("comment", "theme"), WORD_BOUNDARY_NEGATIVES)
def test_word_boundary_negatives(comment, theme):
    assert theme not in _themes(comment)


@pytest.mark.parametrize(
    ("comment", "theme"),
    [
        ("대기시간이 길어요", "wait"),
        ("대기 시간은 짧았어요", "wait"),
        ("기다렸어요", "wait"),
        ("통화대기가 길다", "wait"),  # inside a compound: Kiwi's morpheme start
        ("빠른배송 감사합니다", "delivery"),
        ("불친절해요", "staff"),
    ],
)
def test_stems_particles_and_compounds_still_match(comment, theme):
    assert theme in _themes(comment)


@pytest.mark.parametrize("joined", [1, 3])
def test_fast_path_equals_kiwi_on_every_comment(joined):
    # the shortcut (Kiwi only where a keyword starts mid-word in a theme the comment does
    # not have yet) against marking every labelled Korean comment at Kiwi's morpheme
    # starts and matching all of them; also on comments of three labelled ones joined, so
    # that a comment has several themes found and several in doubt
    texts = [r["comment"] for r in labelled("ko")]
    texts = [" ".join(texts[k : k + joined]) for k in range(0, len(texts), joined)]
    fast = tag_comments(prepare(texts), BOOK)
    assert fast.analysed is not None and 0 < fast.analysed < len(texts)
    import pyarrow as pa
    import pyarrow.compute as pc

    from csitool.stats.voc import _alternation

    full = pa.array(morpheme_marked([t.lower() for t in texts]), type=pa.string())
    for j, theme in enumerate(BOOK.themes):
        view = full
        ign = _alternation(theme.ignore).marked
        if ign:
            view = pc.replace_substring_regex(full, ign, "#")
        pat = _alternation(theme.keywords)
        hit = np.zeros(len(texts), dtype=bool)
        if pat.marked:
            hit |= np.asarray(pc.match_substring_regex(view, pat.marked).to_numpy(False), bool)
        if pat.other:
            low = prepare(texts).low
            hit |= np.asarray(pc.match_substring_regex(low, pat.other).to_numpy(False), bool)
        assert (fast.themes[:, j] == hit).all(), theme.name


def _fnv(s: str, n: int, bits: int) -> int:
    """FNV-1a over code points, seeded with n, top ``bits`` bits: pure Python."""
    h = 0xCBF29CE484222325 ^ n
    for ch in s:
        h = ((h ^ ord(ch)) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h >> (64 - bits)


def test_features_match_a_pure_python_hash():
    texts = ["좋아요 ", "Rude  agent"]
    r, c, v = features(texts, 18, (1, 2, 3))
    for i, t in enumerate(texts):
        norm = normalise(t)
        grams = [(n, norm[k : k + n]) for n in (1, 2, 3) for k in range(len(norm) - n + 1)]
        expected = sorted(_fnv(g, n, 18) for n, g in grams)
        assert sorted(c[r == i].tolist()) == expected
        assert v[r == i] == pytest.approx(np.full(len(grams), 1 / np.sqrt(len(grams))))


def test_logit_is_the_weighted_sum_of_the_hashed_features(monkeypatch):
    """The model's log-odds, summed per comment, against b + sum_j w_j x_j over the
    (row, column, value) triples of ``features`` - across chunk edges, and for comments
    shorter than the longest n-gram (empty, one character, whitespace only)."""
    import csitool.stats.sentiment as sentiment

    model = load_sentiment_model()
    texts = ["", "a", "좋아", "   ", "배송이 너무 늦어요", "Rude  agent, never again", "최고!"] * 3
    monkeypatch.setattr(sentiment, "CHUNK", 4)  # chunks of 4 comments: edges inside the list
    r, c, v = features(texts, model.bits, model.ngrams)
    expected = model.bias + np.array(
        [sum(model.weights[c[r == i]] * v[r == i]) for i in range(len(texts))]
    )
    assert model.logit(texts) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert model.logit([]).shape == (0,)


def test_model_ships_as_package_data_and_loads():
    model = load_sentiment_model()
    assert isinstance(model, SentimentModel)
    assert model.weights.shape == (1 << model.bits,)
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "data/*.npz" in data["tool"]["setuptools"]["package-data"]["csitool"]
    got = model.probability(["정말 최고의 서비스였어요", "최악이에요 다시는 안 써요"])
    assert got[0] > 0.5 > got[1]


def test_held_out_sentiment_accuracy():
    scores = sentiment_scores()
    if scores is None:
        pytest.skip("../shared/data (NSMC, laptop reviews) not found: held-out accuracy unchecked")
    for s in scores:
        # neutral counted as wrong; test rows chosen by hashed id, never trained on
        assert s.accuracy >= 0.80, s
        assert s.reviews > 1000


def test_sentiment_mix_nps_mix_and_contradictions(tmp_path):
    frame = pd.DataFrame(
        {
            "nps": [10, 9, 2, 3, 8, 10, 1, 9],
            "comment": [
                "배송이 빨라서 정말 좋아요 최고",  # promoter, positive
                "배송이 너무 늦고 최악이에요 실망",  # promoter, negative: contradiction
                "배송 빠르고 친절하고 최고예요 감사합니다",  # detractor, positive: contradiction
                "배송이 늦어서 짜증나요 최악",  # detractor, negative
                "그냥 그래요",
                "배송이 빨라서 정말 좋아요 최고",  # the same text again: one example only
                "배송이 빨라서  정말 좋아요 최고",  # again, double space (and a detractor)
                "",
            ],
        }
    )
    frame.to_csv(tmp_path / "v.csv", index=False)
    s = csitool.load(tmp_path / "v.csv", nps="nps", comment="comment")
    result = csitool.voc(s)
    deliv = next(t for t in result.total.themes if t.name == "delivery")
    # rows mentioning 배송: NPS 10, 9, 2, 3, 10, 1 -> 3 promoters, 3 detractors, 0 passives
    assert deliv.mentions == 6
    assert (deliv.mix_detractors, deliv.mix_passives, deliv.mix_promoters) == pytest.approx(
        (50.0, 0.0, 50.0)
    )
    senti = {-1: 0, 0: 0, 1: 0}
    model = load_sentiment_model()
    from csitool.stats.voc import sentiment

    labels = sentiment(prepare(frame["comment"].tolist()), model)
    for i in (0, 1, 2, 3, 5, 6):
        senti[int(labels[i])] += 1
    assert labels[[0, 1, 2, 3]].tolist() == [1, -1, 1, -1]  # the readings the test relies on
    assert (deliv.negative, deliv.neutral, deliv.positive) == pytest.approx(
        tuple(100 * senti[k] / 6 for k in (-1, 0, 1))
    )
    c = result.total.contradictions
    assert c is not None
    # hand count: promoter 9 with a negative comment (file row 3); detractors 2 and 1 with
    # positive ones (file rows 4 and 8; the header is row 1)
    assert (c["promoters_negative"], c["detractors_positive"]) == (1, 2)
    assert [(r["row"], r["sentiment"]) for r in c["rows"]] == [
        (3, "negative"),
        (4, "positive"),
        (8, "positive"),
    ]
    texts = [ex["text"] for ex in deliv.examples]
    assert len({" ".join(t.split()) for t in texts}) == len(texts)


def test_export_tagged_lists_contradictions(run, tmp_path):
    frame = pd.DataFrame({"nps": [9, 2], "comment": ["최악이에요 실망", "최고예요 감사합니다"]})
    frame.to_csv(tmp_path / "v.csv", index=False)
    out = tmp_path / "tagged.csv"
    res = run("voc", str(tmp_path / "v.csv"), "--nps", "nps", "--comment", "comment",
              "--export-tagged", str(out))  # fmt: skip
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out, encoding="utf-8-sig")
    assert got["contradiction"].tolist() == [
        "promoter, negative comment",
        "detractor, positive comment",
    ]


def test_service_comment_sentiment_beats_the_lexicon():
    # hand labels (tests/data/voc_labelled, column sentiment), never trained on: the model
    # backed by the lexicon must read the customer better than the lexicon alone did
    from voc_eval import service_sentiment

    for lang in ("ko", "en"):
        s = service_sentiment(lang)
        assert s.polar >= 250
        assert s.accuracy >= s.accuracy_lexicon + 0.2, s


def test_kiwi_is_asked_only_about_words_that_can_add_a_theme(monkeypatch):
    """Hand case: one comment with three words that hold a keyword inside them.
    "웹사이트가" (the app/website keyword inside) and "불친절해서" ("친절" inside) need no
    Kiwi, the comment has those themes from the keywords at their word starts; "통화대기가"
    holds the wait keyword "대기" and the comment has no wait theme yet, so only it is asked
    (and the theme found). Before, every such word of the comment was asked."""
    from csitool.stats import morph

    asked: list[str] = []
    real = morph.morpheme_starts

    def spy(words):
        words = list(words)
        asked.extend(words)
        return real(words)

    monkeypatch.setattr(morph, "morpheme_starts", spy)
    texts = ["웹사이트가 느리고 직원이 불친절해서 통화대기가 길다"]
    got = tag_comments(prepare(texts), BOOK)
    names = [t.name for t in BOOK.themes]
    assert [names[j] for j in np.flatnonzero(got.themes[0])] == ["staff", "wait", "digital"]
    assert asked == ["통화대기가"]
