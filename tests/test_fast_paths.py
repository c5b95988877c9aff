"""The shortcuts of the in-memory load against plain computations over the cells: value
counts, the bytes of short text answers, blank rows, range checks and long lines (each
shortcut must give exactly what the plain way gives)."""

from __future__ import annotations

import collections
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csitool.config import RoleSpec, Settings
from csitool.io.table import RawTable
from csitool.survey import build as b
from csitool.survey import build_survey
from csitool.survey import model as m
from csitool.survey.labels import DONT_KNOW, normalize_label, parse_label
from csitool.survey.model import number_text
from csitool.survey.scales import counts

# ------------------------------------------------------------------ value counts


@given(
    values=st.lists(
        st.one_of(
            st.integers(-3, 110).map(float),
            st.just(math.nan),
            st.sampled_from([2.5, -0.5, math.inf, -math.inf, 1e6]),
        ),
        max_size=80,
    ),
    as_int=st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_counts_equal_a_counter_of_the_numbers(values, as_int):
    """Oracle: collections.Counter of the non-NaN values (in increasing order of value when
    all are whole numbers from -1 to 101; strays come after them)."""
    arr = np.array(values, dtype=float)
    if as_int:
        arr = arr[np.isfinite(arr)].astype(np.int64)
    want = collections.Counter(float(v) for v in arr.tolist() if v == v)
    got = counts(arr)
    assert got == dict(want)
    assert all(type(k) is float for k in got)
    if all(-1 <= v <= 101 and v == int(v) for v in want):
        assert list(got) == sorted(want)


def test_counts_of_whole_numbers_with_blanks_by_hand():
    # hand count: 1 x2, 5 x1, 0 x1; two blanks ignored
    got = counts(np.array([1.0, np.nan, 5.0, 0.0, 1.0, np.nan]))
    assert list(got.items()) == [(0.0, 1), (1.0, 2), (5.0, 1)]
    assert counts(np.array([np.nan, np.nan])) == {}


# ------------------------------------------------------------------ short text answers

POOL = ["1", "2", "3", "4", "5", "10", "0", " 4", "4 ", "모름", "해당 없음", "매우 만족",
        "x", "", "é", "n/a", "DK", "5점", "3.5", "7.", "ab"]  # fmt: skip


def _parse_cell_by_cell(cells, table):
    """Oracle: each cell parsed on its own with parse_label, as parse_item documents it."""
    values, codes, label_map, unknown, n_labels = [], [], {}, [], 0
    for cell in cells:
        text = None if cell is None else cell.strip()
        if not text:
            values.append(math.nan)
            codes.append(m.BLANK)
            continue
        parsed = parse_label(text, table)
        if parsed == DONT_KNOW:
            values.append(math.nan)
            codes.append(m.DONT_KNOW)
            label_map.setdefault(text, DONT_KNOW)
        elif isinstance(parsed, float):
            values.append(parsed)
            codes.append(m.USED)
            if normalize_label(text) != normalize_label(number_text(parsed)):
                label_map.setdefault(text, parsed)
                n_labels += 1
        else:
            values.append(math.nan)
            codes.append(m.NOT_A_NUMBER)
            if text not in unknown:
                unknown.append(text)
    return values, codes, label_map, unknown, n_labels


@given(
    cells=st.lists(st.one_of(st.sampled_from(POOL), st.none()), min_size=1, max_size=60),
    offset=st.integers(0, 3),
    table=st.sampled_from([{}, {"4": 1.0}, {"모름": 3.0, "x": "dont_know"}]),
)
@settings(max_examples=300, deadline=None)
def test_parse_item_of_short_texts_equals_cell_by_cell(cells, offset, table):
    """The bytes-of-short-texts path (forced on for small columns; ``offset`` slices the
    Arrow array so its offsets do not start at 0) against parse_label on every cell, and
    against the factorize path; the tally against a Counter of the used values."""
    series = pd.Series([*["1"] * offset, *cells], dtype="str").iloc[offset:]
    tab = {normalize_label(k): v for k, v in table.items()}
    tally: dict[float, int] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(b, "SHORT_TEXT_MIN_ROWS", 0)
        values, codes, label_map, unknown, n_labels = b.parse_item(series, tab, tally)
    want = _parse_cell_by_cell(cells, tab)
    assert np.array_equal(values, np.array(want[0]), equal_nan=True)
    assert codes.tolist() == want[1] and codes.dtype == np.int8
    assert label_map == want[2] and unknown == want[3] and n_labels == want[4]
    used = collections.Counter(v for v, c in zip(want[0], want[1], strict=True) if c == m.USED)
    assert tally == dict(used)
    # and the same, in the same order, as the factorize path
    tally2: dict[float, int] = {}
    other = b.parse_item(series, tab, tally2)  # 60 rows at most: below SHORT_TEXT_MIN_ROWS
    assert list(other[2].items()) == list(label_map.items()) and other[3] == unknown
    assert list(tally2.items()) == list(tally.items())


def test_short_texts_used_only_for_mostly_short_arrow_text(monkeypatch):
    monkeypatch.setattr(b, "SHORT_TEXT_MIN_ROWS", 0)
    short = pd.Series(["4", "5", "모름", None, "10"], dtype="str")
    assert isinstance(b._Distinct.of(short), b._ShortTexts)
    long_ = pd.Series(["very good", "bad", "4", "fine"], dtype="str")
    assert not isinstance(b._Distinct.of(long_), b._ShortTexts)
    objects = pd.Series(["4", 5, None], dtype=object)
    assert not isinstance(b._Distinct.of(objects), b._ShortTexts)
    blank = b.parse_item(pd.Series([None, None], dtype="str"), {})  # no text at all
    assert np.isnan(blank[0]).all() and blank[1].tolist() == [m.BLANK, m.BLANK]


def test_short_texts_of_several_arrow_chunks(monkeypatch):
    """A column made of several Arrow chunks (pandas' chunked reads) is keyed per chunk."""
    import pyarrow as pa

    monkeypatch.setattr(b, "SHORT_TEXT_MIN_ROWS", 0)
    chunked = pa.chunked_array([["4", "5", None], ["모름", "4"], ["10"]])
    series = pd.Series(pd.arrays.ArrowStringArray(chunked))
    assert isinstance(b._Distinct.of(series), b._ShortTexts)
    values, codes, label_map, _, _ = b.parse_item(series, {})
    # hand check: 4, 5, blank, don't know, 4, 10
    assert np.array_equal(values, [4.0, 5.0, np.nan, np.nan, 4.0, 10.0], equal_nan=True)
    assert codes.tolist() == [m.USED, m.USED, m.BLANK, m.DONT_KNOW, m.USED, m.USED]
    assert label_map == {"모름": DONT_KNOW}


# ------------------------------------------------------------------ blank rows and ranges


@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.none(), st.sampled_from(["a", "b"])), st.one_of(st.none(), st.floats(0, 5))
        ),
        min_size=1,
        max_size=30,
    ),
    with_int=st.booleans(),
)
@settings(max_examples=100, deadline=None)
def test_blank_rows_equal_every_cell_blank(rows, with_int):
    """Oracle: a row is blank when every one of its cells is None / NaN."""
    frame = pd.DataFrame(
        {"t": pd.Series([r[0] for r in rows], dtype="str"), "x": [r[1] for r in rows]}
    )
    if with_int:
        frame["n"] = np.arange(len(rows))
    want = [not with_int and r[0] is None and (r[1] is None or r[1] != r[1]) for r in rows]
    found = b._blank_rows(frame)
    got = [False] * len(rows) if found is None else found.tolist()
    assert got == want
    # the reader's "no data at all" check, against isna on every cell
    from csitool.io.read import _all_blank

    assert _all_blank(frame) == bool(frame.isna().all(axis=None)) == all(want)


def test_a_stray_off_the_scale_is_found_from_the_tally():
    """The range check read from the tally still finds answers off the scale (hand check:
    the 6 and the 9 of a 1-5 battery whose config pins 1-5)."""
    frame = pd.DataFrame({"q1": [1, 2, 6, 5] * 30, "q2": ["1", "9", "3", "4"] * 30})
    raw = RawTable(frame=frame, source="t.csv", kind="csv", format="CSV")
    s = build_survey(
        raw, Settings(scales={"q1": (1.0, 5.0), "q2": (1.0, 5.0)}), RoleSpec(attrs=("q1", "q2"))
    )
    assert s.ledger.column_counts("q1") == {"used": 90, "out_of_range": 30}
    assert s.ledger.column_counts("q2") == {"used": 90, "out_of_range": 30}
    assert np.isnan(s.values["q1"][2::4]).all() and np.isnan(s.values["q2"][1::4]).all()


@pytest.mark.parametrize("dtype", ["int64", "float64"])
def test_integer_and_float_items_give_the_same_survey(dtype):
    """An item read as integers (tally from the integers) and the same item as floats
    (tally from the floats) decide the same scale and the same figures."""
    rng = np.random.default_rng(5)
    q = rng.integers(1, 6, 300)
    frame = pd.DataFrame({"q1": q.astype(dtype), "q2": rng.integers(1, 6, 300)})
    raw = RawTable(frame=frame, source="t.csv", kind="csv", format="CSV")
    s = build_survey(raw, Settings(), RoleSpec(attrs=("q1", "q2")))
    assert s.scales["q1"].key == "1-5"
    assert np.array_equal(s.values["q1"], q.astype(float))


@pytest.mark.parametrize("dtype", ["int64", "float64"])
def test_dont_know_codes_stay_out_of_the_scale_of_integers_too(dtype):
    """Hand case: a 1-4 item whose every fifth answer is 9, SPSS's user-missing "don't
    know". Read as integers or as floats, the 9s are don't-know (80 of 400) and the scale is
    1-4 from the 320 used answers; the integer column once counted the 9s as answers and
    read the item as 1-10."""
    rng = np.random.default_rng(3)
    q = rng.integers(1, 5, 400)
    q[::5] = 9
    frame = pd.DataFrame({"q1": q.astype(dtype), "q2": rng.integers(1, 5, 400)})
    raw = RawTable(frame=frame, source="t.sav", kind="sav", format="SPSS", dont_know={"q1": {9.0}})
    s = build_survey(raw, Settings(), RoleSpec(attrs=("q1", "q2")))
    assert s.scales["q1"].key == "1-4"
    assert s.ledger.column_counts("q1") == {"used": 320, "dont_know": 80}
    assert np.array_equal(s.values["q1"], np.where(q == 9, np.nan, q), equal_nan=True)


# ------------------------------------------------------------------ long lines


@given(
    data=st.lists(
        st.sampled_from([b"a", b"bb", b",", b"\n", b"\r", b"\r\n", b"xyz" * 5]), max_size=60
    ),
    most=st.integers(1, 12),
)
@settings(max_examples=300, deadline=None)
def test_long_lines_found_in_a_mapped_file_as_in_a_read_one(data, most, tmp_path_factory):
    """The memory-mapped search of a file on disk refuses exactly the files (and names
    exactly the line) that the chunk-by-chunk read of the same bytes does."""
    import io

    from csitool.errors import InputError
    from csitool.io.limits import Limits
    from csitool.io.read import _check_lines

    raw = b"h" + b"".join(data)
    path = tmp_path_factory.mktemp("lines") / "f.csv"
    path.write_bytes(raw)
    limits = Limits(line_bytes=most)
    said = []
    for handle in (path, io.BytesIO(raw)):
        try:
            _check_lines(handle, "f.csv", limits)
            said.append(None)
        except InputError as exc:
            said.append(str(exc))
    assert said[0] == said[1]
