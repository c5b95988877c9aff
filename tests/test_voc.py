"""``csitool voc``: Korean and English theme matching, non-answers, several themes per
comment, theme impact against a direct computation, real text, exports and codebooks."""

from __future__ import annotations

import json
import tomllib

import numpy as np
import openpyxl
import pandas as pd
import pytest

import csitool
from csitool.stats.codebook import DEFAULT_CODEBOOK, default_codebook
from csitool.stats.voc import impact, non_answer, prepare, sentiment, tag
from tests.conftest import DATA, ROOT

BOOK = default_codebook()
NAMES = [t.name for t in BOOK.themes]


def _themes(text: str) -> set[str]:
    hits = tag(prepare(pd.Series([text])), BOOK)[0]
    return {NAMES[j] for j in np.flatnonzero(hits)}


@pytest.mark.parametrize(
    ("comment", "themes"),
    [
        # the sample survey's Korean comments
        ("대기 시간이 너무 길어요.", {"wait"}),
        ("전화 연결까지 대기시간이 30분 넘게 걸렸습니다.", {"wait"}),  # spacing variant
        ("배송이 빠르고 정확해요.", {"delivery"}),  # particle 이
        ("배송은 늦었지만 괜찮아요", {"delivery"}),  # particle 은
        ("직원이 불친절해서 기분이 상했습니다.", {"staff"}),
        ("상담원이 친절하게 응대해 주셔서 감사했습니다.", {"staff"}),  # inflected 친절하게
        ("환불 처리가 너무 늦어요.", {"refund"}),
        ("요금이 자꾸 올라서 부담됩니다.", {"billing"}),
        ("가격이 너무 비싸요.", {"price"}),
        ("앱 화면이 복잡하고 자꾸 오류가 나요", {"digital"}),
        ("품질에 비해 가격이 비싼 편입니다.", {"quality", "price"}),  # two themes
        ("대 기 시간 없이 바로 처리돼서 좋았어요.", {"wait"}),  # odd spacing
        # English: case-insensitive, at word starts
        ("The DELIVERY was late and the app kept crashing", {"delivery", "digital"}),
        ("Happy with everything", set()),  # "app" must not match "happy"
        ("Rude staff at the counter", {"staff"}),
        ("Refunded within a day", {"refund"}),
    ],
)
def test_theme_matching(comment, themes):
    assert _themes(comment) == themes


def test_non_answers_and_sentiment():
    texts = pd.Series(["없음", ".", "-", "no comment", "특별히 없습니다.", "No Comment!", "좋아요"])
    assert non_answer(prepare(texts)).tolist() == [True] * 6 + [False]
    senti = sentiment(
        prepare(pd.Series(["직원이 불친절해요", "직원이 친절해요 감사합니다", "그냥 그래요"]))
    )
    # "불친절" is a negative cue and is not also read as "친절"
    assert senti.tolist() == [-1, 1, 0]


def test_impact_equals_a_direct_computation():
    rng = np.random.default_rng(4)
    n = 400
    scores = rng.choice([-100.0, 0.0, 100.0], size=n, p=[0.3, 0.3, 0.4])
    mention = rng.random(n) < 0.25
    scores[mention & (rng.random(n) < 0.5)] = -100.0  # mentioners lean detractor
    w = np.ones(n)
    est, lo, hi = impact(scores, mention, w, 0.95)
    direct = scores.mean() - scores[~mention].mean()  # NPS of all - NPS of the rest
    assert est == pytest.approx(direct)
    # the interval's standard error against a bootstrap of the same statistic
    boot = []
    for _ in range(2000):
        i = rng.integers(0, n, n)
        boot.append(scores[i].mean() - scores[i][~mention[i]].mean())
    se = (hi - lo) / (2 * 1.959964)
    assert se == pytest.approx(np.std(boot, ddof=1), rel=0.1)


def test_sample_survey_voc(run):
    r = run("voc", ROOT / "sample_data" / "survey.xlsx", "-f", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)["files"][0]
    assert doc["text_columns"] == ["의견"]
    # sample_data/README.md: 902 non-blank comments (one on the duplicate row, one on the
    # row with a blank weight: both rows are left out), 4 kinds of non-answers
    assert doc["answered"] + doc["non_answer"] == 900
    themes = {t["name"]: t for t in doc["themes"]}
    assert themes["wait"]["voiced"] == "pain-point" and themes["wait"]["nps_impact"] < 0
    assert themes["delivery"]["voiced"] == "wow-point"
    assert all(len(t["examples"]) <= 3 for t in doc["themes"])
    ex = themes["wait"]["examples"][0]
    assert ex["row"] >= 2 and "대기" in ex["text"].replace(" ", "")


def test_theme_nps_and_impact_match_the_table(tmp_path):
    f = pd.DataFrame(
        {
            "nps": [10, 9, 3, 2, 8, 7, 10, 1],
            "comment": [
                "배송이 빨라요",
                "좋아요",
                "대기 시간이 길어요",
                "대기시간 최악",
                "보통",
                "",
                "배송 최고",
                "대기가 너무 길다",
            ],
        }
    )
    f.to_csv(tmp_path / "v.csv", index=False)
    s = csitool.load(tmp_path / "v.csv", nps="nps", comment="comment")
    result = csitool.voc(s)
    wait = next(t for t in result.total.themes if t.name == "wait")
    # hand count: wait is mentioned by rows with NPS 3, 2, 1 (all detractors): theme NPS -100;
    # NPS of all = (3 promoters - 3 detractors) / 8 = 0; NPS of the other five (10, 9, 8, 7,
    # 10) = 3 / 5 x 100 = 60; impact = 0 - 60 = -60
    assert wait.mentions == 3 and wait.nps == pytest.approx(-100)
    assert wait.nps_impact == pytest.approx(0 - 60)
    assert wait.share_detractors == pytest.approx(100.0)
    assert result.total.blank == 1


def test_real_korean_and_english_text_run_through(capsys):
    ko = csitool.load(DATA / "nsmc_500.csv", comment="review", nps="rating")
    en = csitool.load(DATA / "laptop_reviews_300.csv", comment="Review content")
    for s in (ko, en):
        g = csitool.voc(s).total
        assert g.answered > 0
        share = 100 * (g.answered - g.untagged) / g.answered
        print(f"{s.path}: {g.answered} answered, {share:.1f}% tagged")
    out = capsys.readouterr().out
    assert "laptop_reviews_300.csv" in out


def test_export_tagged_and_codebooks(run, tmp_path):
    src = ROOT / "sample_data" / "survey.xlsx"
    r = run("voc", src, "--export-tagged", tmp_path / "tagged.xlsx", "-f", "json")
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(tmp_path / "tagged.xlsx")["VOC"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert rows[0][0] >= 2 and rows[0][4] in ("positive", "neutral", "negative")
    r = run("voc", src, "--export-tagged", tmp_path / "tagged.csv", "-f", "json")
    tagged = pd.read_csv(tmp_path / "tagged.csv", encoding="utf-8-sig")
    assert list(tagged.columns) == [
        "row",
        "comment",
        "status",
        "themes",
        "sentiment",
        "contradiction",
    ]
    assert "wait" in tagged.loc[tagged["comment"] == "대기 시간이 너무 길어요.", "themes"].iloc[0]
    # the built-in codebook prints as valid TOML
    shown = run("voc", "--show-codebook").stdout
    assert tomllib.loads(shown) == tomllib.loads(DEFAULT_CODEBOOK)
    # a custom codebook with an exclusion
    (tmp_path / "book.toml").write_text(
        '[themes.wait]\nkeywords = ["대기"]\nexclude = ["대기\\\\s*시간\\\\s*없이"]\n',
        encoding="utf-8",
    )
    r = run("voc", src, "--codebook", tmp_path / "book.toml", "-f", "json")
    themes = json.loads(r.stdout)["files"][0]["themes"]
    assert [t["name"] for t in themes] == ["wait"]
    r = run("voc", src, "--codebook", tmp_path / "missing.toml")
    assert r.exit_code == 3 and "not found" in r.stderr


def test_codebook_from_config_prints_back_as_toml(run, tmp_path):
    (tmp_path / "csitool.toml").write_text(
        '[voc.themes.wait]\nlabel = "대기 \\"시간\\""\nkeywords = ["대기"]\n'
        'patterns = ["wait(ed|ing)?"]\n',
        encoding="utf-8",
    )
    shown = run("voc", "--show-codebook").stdout
    back = tomllib.loads(shown)
    assert back["themes"]["wait"] == {
        "label": '대기 "시간"',
        "keywords": ["대기"],
        "patterns": ["wait(ed|ing)?"],
    }


def test_export_tagged_names_the_rows_the_figures_leave_out(run, tmp_path):
    """A later copy of a repeated respondent id is tagged for review but counts in no
    figure: its status says so (``excluded: duplicate_id``), found here with pandas."""
    src = ROOT / "sample_data" / "survey_en.csv"
    r = run("voc", src, "--export-tagged", tmp_path / "tagged.csv", "-f", "json")
    assert r.exit_code == 0, r.output
    rows = pd.read_csv(tmp_path / "tagged.csv", encoding="utf-8-sig", keep_default_na=False)
    raw = pd.read_csv(src, keep_default_na=False)
    later = raw["Respondent ID"].duplicated() & (raw["Comments"].str.strip() != "")
    expected = sorted((raw.index[later] + 2).tolist())  # spreadsheet rows: data from row 2
    assert expected
    got = rows.loc[rows["status"] == "excluded: duplicate_id", "row"].tolist()
    assert sorted(got) == expected
    assert set(rows["status"]) <= {"answered", "non-answer", "excluded: duplicate_id",
                                   "excluded: weight_missing"}  # fmt: skip
