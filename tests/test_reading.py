"""Reading other people's files right: one hand-checked case per class of misreading.

Every expected figure is computed in the test from the generating data (numpy, or a hand
calculation in a comment), never taken from csitool's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import csitool
from csitool.survey import scales as sc


def _csv(path: Path, frame: pd.DataFrame, encoding: str = "utf-8") -> Path:
    frame.to_csv(path, index=False, encoding=encoding)
    return path


def _nps(x: np.ndarray) -> float:
    x = x[~np.isnan(x)]
    return float(100 * (np.mean(x >= 9) - np.mean(x <= 6)))


def _csi(x: np.ndarray, lo: float, hi: float) -> float:
    x = x[~np.isnan(x)]
    return float((x.mean() - lo) / (hi - lo) * 100)


def _item(survey, column):
    return next(i for i in csitool.score(survey).total.items if i.column == column)


# ---------------------------------------------------------------- roles with dirty cells


def test_one_bad_cell_does_not_hide_the_nps_item(tmp_path):
    rng = np.random.default_rng(7)
    rec = rng.integers(0, 11, 600).astype(object)
    rec[[5, 50, 500]] = [11, 12, -1]  # out of range
    rec[[7, 70]] = "모름"  # don't know
    sat = rng.integers(1, 6, 600)
    frame = pd.DataFrame({"고객번호": np.arange(1, 601), "추천의향": rec, "전반적 만족도": sat})
    path = _csv(tmp_path / "dirty.csv", frame)
    s = csitool.load(path)
    assert s.roles.nps == "추천의향"
    counts = s.ledger.column_counts("추천의향")
    assert counts["out_of_range"] == 3 and counts["dont_know"] == 2
    valid = np.array([v for v in rec if isinstance(v, int | np.integer) and 0 <= v <= 10], float)
    assert len(valid) == 595
    assert csitool.score(s).total.nps.score == pytest.approx(_nps(valid), abs=1e-9)


def test_customer_number_with_duplicates_is_still_the_id(tmp_path):
    ids = list(range(1, 201))
    ids[10] = ids[9]  # two second copies
    ids[120] = ids[119]
    frame = pd.DataFrame({"고객번호": ids, "전반적 만족도": [1, 2, 3, 4, 5] * 40})
    s = csitool.load(_csv(tmp_path / "ids.csv", frame))
    assert s.roles.id == "고객번호"
    assert s.ledger.to_dict()["excluded"]["duplicate_id"] == 2


@pytest.mark.parametrize(
    "header",
    ["추천 의향", "주변에 추천하실 의향이 있으십니까?", "추천할 가능성", "Likelihood to recommend"],
)
def test_nps_wordings(tmp_path, header):
    frame = pd.DataFrame({header: [0, 3, 6, 7, 8, 9, 10, 10] * 10, "기타": ["a"] * 80})
    s = csitool.load(_csv(tmp_path / "n.csv", frame))
    assert s.roles.nps == header


def test_korean_google_forms_wording(tmp_path):
    rng = np.random.default_rng(3)
    n = 40
    frame = pd.DataFrame(
        {
            "타임스탬프": [f"2024. 3. {1 + i % 28}. 오후 2:{i % 60:02d}:00" for i in range(n)],
            "전반적으로 저희 서비스에 얼마나 만족하십니까?": rng.integers(1, 6, n),
            "직원의 친절도": rng.integers(1, 6, n),
            "기타 의견을 자유롭게 적어 주세요": [
                ["배송이 빨라서 좋았어요", "", "가격이 조금 비싸요", "상담원이 친절했습니다"][i % 4]
                for i in range(n)
            ],
        }
    )
    s = csitool.load(_csv(tmp_path / "forms.csv", frame))
    assert s.roles.sat == "전반적으로 저희 서비스에 얼마나 만족하십니까?"
    assert s.roles.comment == "기타 의견을 자유롭게 적어 주세요"
    assert "기타 의견을 자유롭게 적어 주세요" not in s.roles.segment


def test_role_option_by_number_substring_and_ambiguity(tmp_path, run):
    frame = pd.DataFrame(
        {
            "Q1": [0, 5, 9, 10] * 10,
            "Q2 How satisfied are you with the staff?": [1, 2, 4, 5] * 10,
            "Q3 How satisfied are you with the price?": [1, 3, 4, 5] * 10,
        }
    )
    path = _csv(tmp_path / "opts.csv", frame)
    r = run("inspect", path, "--nps", "1", "--sat", "staff", "--format", "json")
    assert r.exit_code == 0, r.stderr
    roles = json.loads(r.stdout)["files"][0]["roles"]
    assert roles["nps"] == "Q1"
    assert roles["sat"] == "Q2 How satisfied are you with the staff?"
    r = run("inspect", path, "--sat", "How satisfied")
    assert r.exit_code == 3
    assert "matches several columns: 2: 'Q2 How" in r.stderr and "3: 'Q3 How" in r.stderr


# ---------------------------------------------------------------- scales


def test_four_point_battery(tmp_path):
    rng = np.random.default_rng(11)
    data = {f"o_{k}": rng.choice([1, 2, 3, 4], 300, p=[0.1, 0.2, 0.4, 0.3]) for k in "abcd"}
    s = csitool.load(_csv(tmp_path / "four.csv", pd.DataFrame(data)))
    for col in data:
        assert (s.scales[col].min, s.scales[col].max) == (1, 4)
    # CSI on 1-4 = (mean - 1) / 3 * 100, top box = share of 4s
    item = _item(s, "o_a")
    assert item.csi == pytest.approx(_csi(data["o_a"].astype(float), 1, 4), abs=1e-9)
    assert item.top_box == pytest.approx(100 * np.mean(data["o_a"] == 4), abs=1e-9)
    assert any(n.code == "scale_inferred" for n in s.notes)


def test_four_point_with_few_answers_warns_and_strict_fails(tmp_path, run):
    frame = pd.DataFrame({"q1": [1, 2, 3, 4, 4, 3, 2, 3] * 5})
    path = _csv(tmp_path / "few.csv", frame)
    s = csitool.load(path)
    assert (s.scales["q1"].min, s.scales["q1"].max) == (1, 4)
    assert s.scales["q1"].confidence == "low"
    r = run("score", path)
    assert r.exit_code == 0 and "Warning:" in r.stderr and "from only 40 answer(s)" in r.stderr
    r = run("score", path, "--strict")
    assert r.exit_code == 3 and "uncertain reading" in r.stderr


def test_zero_is_not_applicable_in_a_battery(tmp_path):
    # q1 (the section's overall item) has no 0; q2 and q3 use 0 for "not applicable"
    q1 = np.array([1, 2, 3, 4, 5] * 20)
    q2 = np.array([0, 2, 3, 4, 5, 0, 4, 5, 3, 4] * 10)
    q3 = np.array([1, 0, 0, 0, 5, 4, 4, 5, 3, 0] * 10)
    s = csitool.load(_csv(tmp_path / "zero.csv", pd.DataFrame({"q1": q1, "q2": q2, "q3": q3})))
    for col in ("q1", "q2", "q3"):
        assert (s.scales[col].min, s.scales[col].max) == (1, 5), col
    assert s.ledger.column_counts("q2")["not_applicable"] == 20
    assert s.ledger.column_counts("q3")["not_applicable"] == 40
    # hand: q2 without zeros = [2, 3, 4, 5, 4, 5, 3, 4] x 10, mean 3.75, CSI (3.75-1)/4 = 68.75
    assert _item(s, "q2").csi == pytest.approx(68.75, abs=1e-9)
    assert [n for n in s.notes if n.code == "zero_as_na" and n.is_warning]


def test_rare_zero_in_a_single_item_is_not_applicable():
    values = np.array([0.0] * 3 + [1] * 20 + [2] * 40 + [3] * 60 + [4] * 100 + [5] * 40)
    d = sc.decide([sc.Evidence("q6", values)])["q6"]
    assert (d.min, d.max, d.na_codes) == (1, 5, (0.0,))


def test_zero_as_tail_of_a_0_10_item_is_a_scale_point():
    values = np.array([0.0] * 10 + [3] * 10 + [5] * 40 + [7] * 40 + [10] * 30)
    d = sc.decide([sc.Evidence("x", values)])["x"]
    assert (d.min, d.max, d.na_codes) == (0, 10, ())


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7] * 10, (1, 7)),
        ([1, 2, 5, 8, 10] * 10, (1, 10)),  # yellow-pages style: no 0, so not 0-10
        ([0, 2, 5, 8, 10] * 10, (0, 10)),
        ([1, 2, 3, 4, 5] * 99 + [55], (1, 5)),  # one stray out of 496 (98% rule)
        ([1, 2, 3, 4, 5] * 10 + [6], (1, 6)),  # the next point up is not a stray
    ],
)
def test_scale_from_answers(values, expected):
    d = sc.decide([sc.Evidence("x", np.array(values, float))])["x"]
    assert (d.min, d.max) == expected


def test_wording_states_the_scale_even_when_the_top_is_unused():
    values = np.array([3, 4, 5, 6, 7, 8] * 10, float)
    d = sc.decide([sc.Evidence("서비스 품질 만족도 (0-10)", values, wording="(0-10)")])
    assert (d["서비스 품질 만족도 (0-10)"].min, d["서비스 품질 만족도 (0-10)"].max) == (0, 10)
    d = sc.decide([sc.Evidence("친절도", values[values <= 5], wording="친절도 (7점 척도)")])
    assert (d["친절도"].min, d["친절도"].max) == (1, 7)


def test_top_never_used_warns():
    d = sc.decide([sc.Evidence("x", np.array([1, 3, 5, 7, 8] * 30, float))])["x"]
    assert (d.min, d.max) == (1, 10)
    assert any(n.code == "scale_top_unused" and n.is_warning for n in d.notes)


# ---------------------------------------------------------------- SPSS: direction, level


def _sav(path: Path, frame: pd.DataFrame, **meta) -> Path:
    import pyreadstat

    pyreadstat.write_sav(frame, str(path), **meta)
    return path


def test_reversed_spss_labels_are_recoded(tmp_path):
    rng = np.random.default_rng(5)
    codes = rng.integers(1, 8, 200).astype(float)
    friendly = rng.integers(1, 6, 200).astype(float)
    frame = pd.DataFrame({"sat": codes, "friendly": friendly})
    path = _sav(
        tmp_path / "rev.sav",
        frame,
        column_labels=["Overall satisfaction", "Staff friendliness"],
        variable_value_labels={
            "sat": {1.0: "Very satisfied", 4.0: "Neither", 7.0: "Very dissatisfied"},
            "friendly": {1.0: "매우 불만족", 5.0: "매우 만족"},
        },
    )
    s = csitool.load(path)
    assert s.scales["sat"].reversed and not s.scales["friendly"].reversed
    # reversed 1-7: recoded value = 8 - code, so CSI = (mean(8 - code) - 1) / 6 * 100,
    # which is 100 minus the CSI of the raw codes
    expected = (np.mean(8 - codes) - 1) / 6 * 100
    assert expected == pytest.approx(100 - (codes.mean() - 1) / 6 * 100)
    assert _item(s, "sat").csi == pytest.approx(expected, abs=1e-9)
    assert any(n.code == "reversed" for n in s.notes)


def test_reversed_korean_labels_and_config_reverse(tmp_path, run):
    frame = pd.DataFrame({"q1": [1.0, 2, 2, 3, 5] * 20, "q2": [1.0, 2, 4, 5, 5] * 20})
    path = _sav(
        tmp_path / "ko.sav",
        frame,
        variable_value_labels={"q1": {1.0: "매우 만족", 3.0: "보통", 5.0: "매우 불만족"}},
    )
    s = csitool.load(path)
    assert s.scales["q1"].reversed and not s.scales["q2"].reversed
    r = run("score", path)
    assert r.exit_code == 0 and "Note:" in r.stderr and "lowest code is the best" in r.stderr
    (tmp_path / "c.toml").write_text('[scales]\nreverse = ["q2"]\n', encoding="utf-8")
    r = run("inspect", path, "--config", tmp_path / "c.toml", "--format", "json")
    cols = {c["column"]: c for c in json.loads(r.stdout)["files"][0]["columns"]}
    assert cols["q2"]["scale"]["reversed"] is True


def test_nominal_spss_variables_are_segments_not_items(tmp_path):
    rng = np.random.default_rng(9)
    n = 300
    country = rng.integers(1, 6, n).astype(float)
    traveller = rng.integers(1, 4, n).astype(float)
    sat = rng.integers(1, 6, n).astype(float)
    a1 = np.clip(sat + rng.integers(-1, 2, n), 1, 5)
    frame = pd.DataFrame({"country": country, "trav": traveller, "sat": sat, "a1": a1})
    path = _sav(
        tmp_path / "nominal.sav",
        frame,
        column_labels=["Country", "Traveller status", "Overall satisfaction", "Cabin comfort"],
        variable_value_labels={
            "country": {1.0: "Germany", 2.0: "France", 3.0: "UK", 4.0: "Italy", 5.0: "Spain"},
            "trav": {1.0: "서울", 2.0: "부산", 3.0: "대구"},
        },
        variable_measure={"country": "nominal", "trav": "ordinal", "sat": "ordinal"},
    )
    s = csitool.load(path)
    assert "country" in s.roles.segment and "trav" in s.roles.segment
    assert "country" not in s.roles.attrs and "trav" not in s.roles.attrs
    assert s.roles.attrs == ["a1"]
    values, labels = s.segments("country")
    assert set(values) == {"Germany", "France", "UK", "Italy", "Spain"}
    assert int((labels == "Germany").sum()) == int((country == 1).sum())


def test_hundred_point_labelled_items_are_ratings(tmp_path):
    rng = np.random.default_rng(2)
    x = rng.integers(1, 101, 150).astype(float)
    path = _sav(
        tmp_path / "h.sav",
        pd.DataFrame({"s1": x}),
        column_labels=["Satisfaction with the website"],
        variable_value_labels={"s1": {1.0: "Very unsatisfied", 100.0: "Very satisfied"}},
    )
    s = csitool.load(path)
    assert s.roles.attrs == ["s1"] or s.roles.sat == "s1"
    assert (s.scales["s1"].min, s.scales["s1"].max) == (1, 100)
    assert _item(s, "s1").csi == pytest.approx(_csi(x, 1, 100), abs=1e-9)


def test_binary_and_continuous_columns_are_never_items(tmp_path):
    rng = np.random.default_rng(4)
    n = 120
    frame = pd.DataFrame(
        {
            "전반적 만족도": rng.integers(1, 6, n),
            "재방문": rng.integers(0, 2, n),  # 0/1 dummy
            "yes_no": rng.integers(1, 3, n),  # 1/2
            "latent": rng.normal(0, 1, n).round(3),
            "나이": rng.integers(18, 80, n),
            "이용 횟수": rng.integers(1, 9, n),
            "만족 여부": rng.choice(["satisfied", "dissatisfied"], n),
        }
    )
    s = csitool.load(_csv(tmp_path / "level.csv", frame))
    assert s.roles.sat == "전반적 만족도"
    for col in ("재방문", "yes_no", "latent", "나이", "이용 횟수", "만족 여부"):
        assert col not in s.roles.attrs and col != s.roles.sat, col
    assert "two answers only" in s.roles.other["yes_no"]
    assert "decimals" in s.roles.other["latent"]


def test_inspect_json_carries_scale_evidence_and_note_codes(tmp_path, run):
    q = np.array([0, 2, 3, 4, 5, 0, 4, 5, 3, 4] * 10)
    frame = pd.DataFrame({"q1": [1, 2, 3, 4, 5] * 20, "q2": q})
    path = _csv(tmp_path / "e.csv", frame)
    r = run("inspect", path, "--format", "json")
    doc = json.loads(r.stdout)["files"][0]
    q2 = next(c for c in doc["columns"] if c["column"] == "q2")
    assert q2["scale"]["na_codes"] == [0.0] and q2["scale"]["min"] == 1
    assert q2["scale"]["confidence"] in ("high", "medium", "low") and q2["scale"]["evidence"]
    codes = {n["code"] for n in doc["notes"]}
    assert "zero_as_na" in codes
    assert all({"code", "level", "column", "message"} <= set(n) for n in doc["notes"])


def test_importance_ratings_are_not_attributes(tmp_path):
    # qi1 rates how much q1 matters (1-3), as in the ABC questionnaire; "Importance of price"
    # says it in words: neither is satisfaction with an attribute
    rows = ["id,q1,qi1,q2,qi2,Importance of price,q3"]
    rows += [f"{k},{1 + k % 5},{1 + k % 3},{1 + (k + 1) % 5},{1 + k % 3},{1 + k % 5},{1 + k % 4}"
             for k in range(60)]  # fmt: skip
    path = tmp_path / "imp.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    survey = csitool.load(path)
    assert list(survey.roles.attrs) == ["q1", "q2", "q3"]
    assert survey.roles.other["qi1"] == "importance rating of 'q1', not a satisfaction attribute"
    assert survey.roles.other["Importance of price"].startswith("importance rating,")
    note = next(n for n in survey.notes if n.code == "not_an_item")
    assert "importance ratings" in note
    # naming them as attributes still wins
    assert "qi1" in csitool.load(path, attrs=["q*"]).roles.attrs


def test_a_lone_zero_to_ten_item_is_named_as_a_possible_nps(tmp_path):
    # a 0-10 column whose name says nothing (a question number) is scored as an attribute,
    # and the note says which column may be the NPS item and how to name it
    rows = ["id,3,q4"] + [f"{k},{k % 11},{1 + k % 5}" for k in range(60)]
    path = tmp_path / "numbered.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = csitool.score(csitool.load(path))
    note = next(n for n in result.notes if n.code == "no_nps")
    assert "'3' is a 0-10 item" in note and 'nps="3"' in note


def test_model_outputs_beside_the_answers_are_not_scored(tmp_path, monkeypatch):
    """Columns named as a model's output ("predicted", "fitted", "most likely", "예측값") hold
    numbers on the answers' scale but are not answers; a question that merely contains
    similar letters ("predictable delivery") is still an attribute."""

    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(2)
    cols = ["Delivery was predictable", "Staff", "Predicted Staff", "fitted sat",
            "Most Likely Staff", "만족도 예측값"]  # fmt: skip
    frame = pd.DataFrame({c: rng.integers(1, 6, 60) for c in cols})
    frame.to_csv(tmp_path / "m.csv", index=False)
    survey = csitool.load(tmp_path / "m.csv")
    assert survey.roles.attrs == ["Delivery was predictable", "Staff"]
    for c in cols[2:]:
        assert survey.roles.other[c].key == "no_role.model_output", c
