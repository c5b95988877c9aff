"""Reading real and awkward files: encodings, delimiters, sheets, row numbers, failures."""

from __future__ import annotations

import io
import sys

import pytest

from csitool.errors import InputError
from csitool.io import read_table
from csitool.io.read import detect_delimiter, detect_encoding


@pytest.mark.parametrize(
    ("name", "encoding", "kind"),
    [
        ("ko_cp949.csv", "cp949", "csv"),
        ("ko_utf8_bom.csv", "utf-8-sig", "csv"),
        ("utf16_tab.txt", "utf-16", "tsv"),
        ("semicolon.csv", "utf-8", "csv"),
        ("nps_wide_bom.csv", "utf-8-sig", "csv"),
    ],
)
def test_text_encodings_and_delimiters(data, name, encoding, kind):
    raw = read_table(data / name)
    assert raw.encoding == encoding
    assert raw.kind == kind


def test_korean_files_read_the_same_whatever_the_encoding(data):
    a = read_table(data / "ko_cp949.csv").frame
    b = read_table(data / "ko_utf8_bom.csv").frame
    c = read_table(data / "utf16_tab.txt").frame
    assert list(a.columns) == list(b.columns) == list(c.columns)
    assert "전반적 만족도" in a.columns
    assert a.equals(b) and a.equals(c)


def test_semicolon_delimiter(data):
    raw = read_table(data / "semicolon.csv")
    assert raw.delimiter == ";"
    assert list(raw.frame.columns)[:3] == ["id", "segment", "nps"]
    assert len(raw.frame) == 25


def test_delimiter_and_encoding_detection_units():
    assert detect_delimiter("a;b;c", ".csv") == ";"
    assert detect_delimiter('"x,y";b;c', ".csv") == ";"
    assert detect_delimiter("a\tb", ".txt") == "\t"
    assert detect_delimiter("single", ".csv") == ","
    assert detect_encoding("만족".encode("cp949")) == "cp949"
    assert detect_encoding("만족".encode()) == "utf-8"


def test_first_sheet_with_data_is_used_and_named(data):
    raw = read_table(data / "second_sheet.xlsx")
    assert raw.sheet == "data"
    assert raw.sheets == ["표지", "data"]
    assert any("'data' used" in n for n in raw.notes)
    assert len(raw.frame) == 20


def test_sheet_by_name_and_number(data):
    assert read_table(data / "second_sheet.xlsx", sheet="data").sheet == "data"
    assert read_table(data / "second_sheet.xlsx", sheet="2").sheet == "data"
    with pytest.raises(InputError, match=r"no sheet '9'.*1: '표지', 2: 'data'"):
        read_table(data / "second_sheet.xlsx", sheet="9")
    with pytest.raises(InputError, match=r"sheet '표지' .* is empty"):
        read_table(data / "second_sheet.xlsx", sheet="1")


def test_leading_blank_rows_keep_excel_row_numbers(data):
    raw = read_table(data / "leading_blank_rows.xlsx")
    assert raw.first_data_row == 4  # header on Excel row 3
    # the 12 sits in Excel cell B8
    position = raw.frame.index[raw.frame["nps"] == 12][0]
    assert raw.first_data_row + position == 8


def test_quoted_newlines_count_as_one_row(data):
    raw = read_table(data / "nsmc_500.csv")
    assert len(raw.frame) == 500


def test_last_row_without_newline_is_read(data):
    assert len(read_table(data / "abc2.csv").frame) == 266


def test_stdin(monkeypatch, data):
    payload = (data / "semicolon.csv").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    raw = read_table("-")
    assert raw.source == "<stdin>" and len(raw.frame) == 25


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", r"is empty \(0 bytes\)"),
        ("header_only.csv", "has a header row but no data rows"),
        ("header_only.xlsx", "has a header row but no data rows"),
        ("corrupt.xlsx", "cannot read .* as a spreadsheet .*corrupt or truncated"),
        ("not_a_spreadsheet.xlsx", "is not a spreadsheet .*rename it to .csv"),
        ("missing.csv", "no such file"),
    ],
)
def test_unreadable_files(data, name, message):
    with pytest.raises(InputError, match=message) as info:
        read_table(data / name)
    assert str(data / name) in info.value.message


def test_wrong_encoding_forced(data):
    with pytest.raises(InputError, match=r"utf-8.*Leave encoding= out"):
        read_table(data / "ko_cp949.csv", encoding="utf-8")


def test_unknown_encoding(data):
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read_table(data / "ko_cp949.csv", encoding="klingon")


def test_password_protected_xlsx(tmp_path):
    # Excel saves an encrypted workbook as an OLE compound file even with the .xlsx suffix
    p = tmp_path / "locked.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InputError, match="password-protected"):
        read_table(p)
