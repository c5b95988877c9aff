"""Roles, scales, labels and the ledger."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csitool.config import RoleSpec, Settings, load_settings
from csitool.errors import ColumnError, InputError, StrictError
from csitool.io import read_table
from csitool.io.read import RawTable
from csitool.survey import build_survey
from csitool.survey.labels import DONT_KNOW, parse_label


def survey_of(path, settings=None, **roles):
    spec = RoleSpec(**{k: tuple(v) if isinstance(v, list) else v for k, v in roles.items()})
    return build_survey(read_table(path), settings or Settings(), spec)


def test_korean_roles_detected(data):
    s = survey_of(data / "ko_cp949.csv")
    r = s.roles
    assert (r.nps, r.sat, r.id, r.comment) == ("추천의향", "전반적 만족도", "응답자ID", "의견")
    assert r.attrs == ["직원 친절", "대기 시간"]
    assert r.segment == ["고객유형"]
    # text labels mapped to 1-5
    assert s.scales["전반적 만족도"].key == "1-5"
    assert s.label_maps["전반적 만족도"]["매우 만족"] == 5.0
    # hand count from tests/data/README.md: 8x5, 10x4, 6x3, 4x2, 2x1 -> mean 3.6
    assert np.nanmean(s.values["전반적 만족도"]) == pytest.approx(3.6)


def test_english_roles_and_prefixed_labels(data):
    s = survey_of(data / "labels_en.csv")
    nps_col = "How likely are you to recommend us? (0-10)"
    assert s.roles.nps == nps_col
    assert s.roles.sat == "Overall satisfaction"
    values = s.values[nps_col]
    # tests/data/README.md: promoters 8, passives 5, detractors 7 of 20
    assert int(np.sum(values >= 9)) == 8 and int(np.sum(values <= 6)) == 7
    assert s.ledger.column_counts("Overall satisfaction") == {"used": 19, "dont_know": 1}


def test_outcome_items_are_not_attributes(data):
    s = survey_of(data / "abc2.csv")
    assert s.roles.sat == "Satisfaction"
    assert "Recommendation" not in s.roles.attrs and "Repurchase" not in s.roles.attrs
    assert s.roles.nps is None  # a 1-5 "recommend" item is not an NPS item
    assert s.roles.segment == ["country"]


def test_options_beat_config_beat_detection(data, tmp_path):
    cfg = tmp_path / "csitool.toml"
    cfg.write_text('[roles]\nsat = "직원 친절"\nattrs = ["대기*"]\n', encoding="utf-8")
    settings = load_settings(cfg)
    s = survey_of(data / "ko_cp949.csv", settings)
    assert s.roles.sat == "직원 친절" and s.roles.source["직원 친절"] == "config"
    assert s.roles.attrs == ["대기 시간"]
    s = survey_of(data / "ko_cp949.csv", settings, sat="대기 시간")
    assert s.roles.sat == "대기 시간" and s.roles.source["대기 시간"] == "option"


def test_unknown_column_lists_near_matches_first(data):
    with pytest.raises(ColumnError) as info:
        survey_of(data / "ko_cp949.csv", nps="추천 의향")
    msg = info.value.message
    assert "unknown column '추천 의향' (nps=)" in msg and info.value.role == "nps"
    assert msg.index("'추천의향'") < msg.index("'의견'")
    assert "Did you mean '추천의향'" in msg


def test_glob_matching_nothing_is_an_error(data):
    with pytest.raises(ColumnError, match=r"pattern 'Q9_\*' .* matches no column"):
        survey_of(data / "semicolon.csv", attrs=("Q9_*",))


def test_unmapped_labels_error_shows_config_table(data):
    with pytest.raises(InputError) as info:
        survey_of(data / "unmapped_labels.csv")
    msg = info.value.message
    assert "'Super happy'" in msg and "'Meh'" in msg
    assert '[labels]\n"Super happy" = 0' in msg


def test_config_labels_fix_unmapped(data, tmp_path):
    cfg = tmp_path / "csitool.toml"
    cfg.write_text('[labels]\n"Super happy" = 5\n"Meh" = "dont_know"\n', encoding="utf-8")
    s = survey_of(data / "unmapped_labels.csv", load_settings(cfg))
    counts = s.ledger.column_counts("Overall satisfaction")
    # tests/data/README.md: one "Don't know" plus one "Meh"
    assert counts["dont_know"] == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 - Extremely likely", 10.0),
        ("0 (Not at all likely)", 0.0),
        ("5점", 5.0),
        ("매우만족", 5.0),
        ("Very Satisfied", 5.0),
        ("보통", 3.0),
        ("해당 없음", DONT_KNOW),
        ("Don't know", DONT_KNOW),
        ("13/01/2020", None),
        ("hello", None),
    ],
)
def test_parse_label(text, expected):
    assert parse_label(text, {}) == expected


def test_ledger_rows_of_dupes_and_weights(data):
    s = survey_of(data / "dupes_weights.csv")
    # tests/data/README.md: id 3 again on row 9; blank weight row 6; weight 0 row 7;
    # weight -1 row 11; nps "abc" row 12
    rows = {(r["row"], r["reason"]) for r in s.ledger.excluded(s.raw.frame)}
    assert rows == {
        (9, "duplicate_id"),
        (6, "weight_missing"),
        (7, "weight_not_positive"),
        (11, "weight_not_positive"),
        (12, "not_a_number"),
    }
    assert s.ledger.counts() == {
        "duplicate_id": 1,
        "weight_missing": 1,
        "weight_not_positive": 2,
        "not_a_number": 1,
    }


def test_out_of_range_row_number_in_excel(data):
    s = survey_of(data / "leading_blank_rows.xlsx")
    assert s.ledger.excluded(s.raw.frame) == [
        {"row": 8, "column": "nps", "value": 12, "reason": "out_of_range"}
    ]


def test_strict_names_rows(data):
    with pytest.raises(StrictError, match=r"row 8 'nps' = 12 \(outside the item's scale\)"):
        survey_of(data / "leading_blank_rows.xlsx", Settings(strict=True))


def test_scale_override_from_config(data, tmp_path):
    cfg = tmp_path / "csitool.toml"
    cfg.write_text('[roles]\nsat = "o_experience"\n[scales]\ndefault = [1, 4]\n', encoding="utf-8")
    s = survey_of(data / "airline_survey.csv", load_settings(cfg))
    assert {sc.key for sc in s.scales.values()} == {"1-4"}
    assert s.roles.sat == "o_experience" and "o_experience" not in s.roles.attrs


cells = st.one_of(
    st.none(),
    st.integers(-5, 15),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.sampled_from(["", " ", "모름", "매우 만족", "abc", "10 - Extremely likely", "N/A", "3"]),
)


@given(st.lists(st.tuples(cells, cells, cells, cells, cells), min_size=1, max_size=40))
@settings(max_examples=150, deadline=None)
def test_property_every_row_accounted_for(rows):
    frame = pd.DataFrame(rows, columns=["id", "weight", "nps", "sat", "q1"], dtype=object)
    raw = RawTable(frame=frame, source="t.csv", kind="csv", format="CSV")
    spec = RoleSpec(nps="nps", sat="sat", attrs=("q1",), id="id", weight="weight")
    try:
        s = build_survey(raw, Settings(unmapped="exclude"), spec)
    except InputError:
        return
    for col in ("nps", "sat", "q1"):
        counts = s.ledger.column_counts(col)
        assert sum(counts.values()) == len(rows)
        used = int(np.count_nonzero(~np.isnan(s.values[col])))
        assert counts["used"] == used
    listed = s.ledger.excluded(frame)
    per_cell = sum(
        1
        for r in listed
        if r["column"] in ("nps", "sat", "q1")
        and r["reason"]
        not in ("duplicate_id", "weight_missing", "weight_not_positive", "blank_row")
    )
    row_level = int(np.count_nonzero(s.ledger.row_reason))
    excluded_cells = sum(
        len(rows) - s.ledger.column_counts(c)["used"] for c in ("nps", "sat", "q1")
    )
    assert per_cell + 3 * row_level == excluded_cells


def test_nps_item_without_zeros_is_flagged(data):
    # NSMC ratings are 1-10 (tests/data/SOURCES.md): NPS cut-offs assume 0-10
    s = survey_of(data / "nsmc_500.csv", nps="rating")
    assert any("no 0 answers" in n for n in s.notes)


ID_TEXTS = ["", "a", "ab", "R0001", "R0002", "가나", "x" * 8, "x" * 9, "y" * 17, "z" * 70, None]


@settings(max_examples=200, deadline=None)
@given(
    picks=st.lists(st.integers(0, len(ID_TEXTS) - 1), min_size=1, max_size=40),
    skip=st.integers(0, 3),
)
def test_duplicate_ids_match_pandas(picks, skip):
    """The hashed screen of text ids finds exactly the rows pandas' duplicated finds (the
    independent oracle), blanks never duplicates, on sliced Arrow columns too."""
    from csitool.survey.build import _duplicated

    ids = pd.Series([ID_TEXTS[k] for k in picks], dtype="str").iloc[min(skip, len(picks) - 1) :]
    expected = ids.duplicated(keep="first").to_numpy() & ids.notna().to_numpy()
    assert _duplicated(ids).tolist() == expected.tolist()


@settings(max_examples=200, deadline=None)
@given(picks=st.lists(st.text(max_size=20), min_size=1, max_size=30), numeric=st.booleans())
def test_duplicates_of_sorted_ids_match_pandas(picks, numeric):
    """Sorted ids (increasing, or with a repeat somewhere) against pandas' duplicated."""
    from csitool.survey.build import _duplicated

    if numeric:
        series = pd.Series(sorted(len(p) * 7 + len(picks) for p in picks), dtype="int64")
    else:
        series = pd.Series(sorted(picks, key=lambda t: t.encode()), dtype="str")
    expected = series.duplicated(keep="first").to_numpy() & series.notna().to_numpy()
    assert _duplicated(series).tolist() == expected.tolist()


@pytest.mark.parametrize(
    ("ids", "dtype", "candidates"),
    [
        (["R0001", "R0002", "R0010"], "str", []),
        (["a", "ab", "abc", "b", "ba"], "str", []),  # a prefix sorts first
        (["x" * 9, "x" * 9 + "a", "y" * 17, "y" * 18], "str", []),  # several 8-byte words
        ([None, "a", "b"], "str", []),
        (["가", "나", "다"], "str", []),  # UTF-8 bytes keep the order of the syllables
        (["a", "b", "b", "c"], "str", [1, 2]),  # a repeat next to its first copy
        (["a", "b", "c", "d", "b", "e"], "str", [1, 3, 4]),  # a pasted copy: d, b and a's b
        (["1", "2", "9", "3", "4"], "str", [2, 3]),  # 2 and 4 join over the gap: in order
        (["1", "8", "9", "2", "3", "7"], "str", None),  # 8 then 3 over the gap: not sorted
        (["a", "b", "a", "b"], "str", [0, 1, 2, 3]),
        ([None, None, "a"], "str", [0, 1]),
        (["b", "a"] * 100, "str", None),  # too many rows out of order: the hashed screen
        ([3, 7, 12], "int64", []),
        ([3, 7, 7, 9], "int64", [1, 2]),
        ([3.0, 7.0, 9.0], "float64", None),  # only integer and text ids take the shortcut
    ],
)
def test_sorted_ids_screen(ids, dtype, candidates):
    """The rows that may repeat in ids sorted but for a few rows (hand-listed: the rows out
    of order, the rows before them, and the row of the sorted rest equal to one of them),
    and the duplicates pandas' duplicated (the oracle) finds either way."""
    from csitool.survey.build import _duplicated, _sorted_candidates, _string_words

    series = pd.Series(ids, dtype=dtype)
    got = _sorted_candidates(series, _string_words(series))
    assert (None if got is None else got.tolist()) == candidates
    expected = series.duplicated(keep="first").to_numpy() & series.notna().to_numpy()
    assert _duplicated(series).tolist() == expected.tolist()


def test_duplicate_id_far_from_its_first_copy():
    from csitool.survey.build import _duplicated

    # hand count: R17 appears at row 17 and again at row 5000 (variable-length texts)
    many = pd.Series([f"R{k}" for k in range(5000)] + ["R17"], dtype="str")
    assert np.flatnonzero(_duplicated(many)).tolist() == [5000]


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(1, 30),
    seed=st.integers(0, 2**32 - 1),
    limit=st.one_of(st.none(), st.integers(0, 40)),
)
def test_exclusion_listing_matches_a_cell_by_cell_walk(n, seed, limit):
    """The listing built with column operations equals a plain walk over rows and columns
    (the oracle: row-level reason first, then each column in order, values read cell by
    cell), limited to its first ``limit`` entries."""
    from csitool.survey import model as m

    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "a": rng.choice([1.0, 2.5, np.nan, 1e20, -3.0, np.inf], n),
        "b": rng.integers(0, 5, n),
        "c": pd.Series(rng.choice(["x", "모름", None, "7"], n), dtype="str"),
        "w": rng.choice([1.0, 0.0, np.nan], n),
    })  # fmt: skip
    row_reason = rng.choice([0, 0, 0, m.BLANK_ROW, m.DUPLICATE_ID], n).astype(np.int8)
    cells = {
        col: np.where(row_reason != 0, row_reason, rng.choice([0, 0, 1, 2, 3], n)).astype(np.int8)
        for col in ("a", "b", "c")
    }
    ledger = m.Ledger(n_rows=n, first_data_row=2, row_reason=row_reason, cells=cells,
                      row_reason_column={m.DUPLICATE_ID: "c"})  # fmt: skip

    def plain(col, i):
        if col is None:
            return None
        v = frame[col].iloc[i]
        if isinstance(v, np.generic):
            v = v.item()
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        return int(v) if isinstance(v, float) and v.is_integer() else v

    expected = []
    for i in range(n):
        if row_reason[i]:
            col = ledger.row_reason_column.get(int(row_reason[i]))
            expected.append({"row": i + 2, "column": col, "value": plain(col, i),
                             "reason": m.REASONS[int(row_reason[i])]})  # fmt: skip
            continue
        for col, codes in cells.items():
            if codes[i]:
                expected.append({"row": i + 2, "column": col, "value": plain(col, i),
                                 "reason": m.REASONS[int(codes[i])]})  # fmt: skip
    if limit is not None:
        expected = expected[:limit]
    assert repr(ledger.excluded(frame, limit=limit)) == repr(expected)


def test_segment_labels_of_a_text_column_strip_and_mark_blanks(data):
    # hand-written expectation: stripped texts, blanks and whitespace-only cells "(blank)"
    s = survey_of(data / "ko_cp949.csv")
    s.raw.frame["seg"] = pd.Series([" a ", "", None, "b", "  ", "가\t"] * 5, dtype="str")[
        : len(s.raw.frame)
    ].reindex(range(len(s.raw.frame)))
    got = s.segment_labels("seg")
    expected = (["a", "(blank)", "(blank)", "b", "(blank)", "가"] * 10)[: len(got)]
    assert got.tolist() == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["", " ", "a", " a", "b ", "(blank)", "가"])),
                min_size=1, max_size=30))  # fmt: skip
def test_segment_labels_of_text_equal_a_cell_by_cell_strip(cells):
    """The oracle: each cell stripped on its own, blank or whitespace-only as "(blank)"."""
    s = survey_of(Path(__file__).parent / "data" / "ko_cp949.csv")
    n = len(s.raw.frame)
    column = (cells * (n // len(cells) + 1))[:n]
    s.raw.frame["seg"] = pd.Series(column, dtype="str")
    expected = ["(blank)" if c is None or not c.strip() else c.strip() for c in column]
    got = s.segment_labels("seg")
    assert got.dtype == object and got.tolist() == expected
    values, _ = s.segments("seg")
    assert values == sorted(set(expected), key=lambda v: (v == "(blank)", v))


@pytest.mark.parametrize(
    "column",
    [
        [" a ", "", None, "b", "  ", "가\t"],  # text
        [2.0, None, 1.0, 2.0, 10.0, None],  # whole numbers read as floats
        [1, "x", None, " x ", 1.5, ""],  # mixed cells (objects)
    ],
)
def test_segment_codes_number_the_labels_in_display_order(data, column):
    """The oracle: each cell made into its label on its own ("(blank)" for blank or missing,
    whole floats without ".0", texts stripped), the values sorted with "(blank)" last, and
    each row's code the position of its label; the codes are kept (one array per column,
    read-only) and segments() gives the same labels."""
    s = survey_of(data / "ko_cp949.csv")
    n = len(s.raw.frame)
    cells = (column * (n // len(column) + 1))[:n]
    if isinstance(column[0], float):
        s.raw.frame["seg"] = pd.Series(cells, dtype=float)
    elif isinstance(column[0], str):
        s.raw.frame["seg"] = pd.Series(cells, dtype="str")
    else:
        s.raw.frame["seg"] = pd.Series(cells, dtype=object)

    def label(c):
        if c is None or (isinstance(c, float) and np.isnan(c)) or not str(c).strip():
            return "(blank)"
        if isinstance(c, float) and isinstance(column[0], float):
            return str(int(c))
        return str(c).strip()

    expected = [label(c) for c in cells]
    values, codes = s.segment_codes("seg")
    assert values == sorted(set(expected), key=lambda v: (v == "(blank)", v))
    assert [values[k] for k in codes.tolist()] == expected
    again_values, again = s.segment_codes("seg")
    assert again is codes and again_values == values and not codes.flags.writeable
    seg_values, labels = s.segments("seg")
    assert seg_values == values and labels.tolist() == expected
    assert s.segment_labels("seg").tolist() == expected


def test_apply_scale_in_place_equals_the_copy_and_leaves_the_input_alone_otherwise():
    """Hand case on a reversed 1-5 scale with n/a code 9 and one excluded row: the values
    written in place are the ones of the copying path, and the copying path (the engine's)
    leaves its input as it was."""
    from csitool.survey import model as m
    from csitool.survey.build import _apply_scale
    from csitool.survey.model import Scale

    vals = np.array([1.0, 5.0, 9.0, 7.0, np.nan, 2.0])
    codes = np.array([0, 0, 0, 0, m.BLANK, 0], dtype=np.int8)
    row_reason = np.array([0, 0, 0, 0, 0, m.DUPLICATE_ID], dtype=np.int8)
    scale = Scale(1.0, 5.0, "config", reversed=True, na_codes=(9.0,))
    before = vals.copy()
    copied, c1 = _apply_scale(vals, codes, scale, row_reason)
    assert np.array_equal(vals, before, equal_nan=True)
    # reversed: 1 -> 5, 5 -> 1; 9 is don't know, 7 off the scale, the last row a duplicate
    assert np.array_equal(copied, [5.0, 1.0, np.nan, np.nan, np.nan, np.nan], equal_nan=True)
    assert c1.tolist() == [0, 0, m.DONT_KNOW, m.OUT_OF_RANGE, m.BLANK, m.DUPLICATE_ID]
    owned = vals.copy()
    written, c2 = _apply_scale(owned, codes, scale, row_reason, in_place=True)
    assert written is owned and c2.tolist() == c1.tolist()
    assert np.array_equal(written, copied, equal_nan=True)
    assert codes.tolist() == [0, 0, 0, 0, m.BLANK, 0]  # codes are never written in place


def test_survey_values_do_not_share_the_raw_frame():
    """Values are masked in place while reading: the raw frame (float column with blanks,
    whose to_numpy is a view, and an integer column) keeps every cell as read."""
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "b", "c"],
            "nps": [10.0, np.nan, 3.0, 11.0],
            "q1": [1, 5, 4, 2],
        }
    )
    before = frame.copy()
    raw = RawTable(frame=frame, source="t.csv", kind="csv", format="CSV")
    s = build_survey(raw, Settings(reverse=("q1",)), RoleSpec(nps="nps", attrs=("q1",), id="id"))
    pd.testing.assert_frame_equal(raw.frame, before)
    for col in ("nps", "q1"):
        assert not np.shares_memory(s.values[col], raw.frame[col].to_numpy())
    # hand check: row 3 is a duplicate id, 11 is off the 0-10 scale, q1 reversed (1-5)
    assert np.array_equal(s.values["nps"], [10.0, np.nan, np.nan, np.nan], equal_nan=True)
    assert np.array_equal(s.values["q1"], [5.0, 1.0, np.nan, 4.0], equal_nan=True)


@given(st.lists(st.integers(0, 12), max_size=300))
@settings(max_examples=100, deadline=None)
def test_ledger_code_counts_equal_bincount(codes):
    from csitool.survey.model import REASONS, code_counts

    arr = np.array(codes, dtype=np.int8)
    want = np.bincount(np.array(codes, dtype=np.int64), minlength=len(REASONS) + 1)
    assert code_counts(arr).tolist() == want.tolist()
