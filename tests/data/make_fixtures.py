"""Write the small, hand-checkable survey fixtures that live next to this script.

Run from the repository root:

    python tests/data/make_fixtures.py

The script is deterministic (no randomness, fixed xlsx timestamps), so running it again
reproduces the committed files byte for byte. Every count below is re-checked by an
assertion when the script runs. README.md in this folder repeats them per file.

Hand counts (NPS: promoters 9-10, passives 7-8, detractors 0-6):

ko_cp949.csv, ko_utf8_bom.csv, utf16_tab.txt (same 30 rows, three encodings)
    추천의향: promoters 14, passives 8, detractors 8, n=30 -> NPS = (14-8)/30*100 = 20.0
    전반적 만족도: 매우 만족 8, 만족 10, 보통 6, 불만족 4, 매우 불만족 2 (n=30)
    고객유형: VIP 9, 신규 11, 장기 10
    대기 시간: one "모름" (응답자ID 10, file row 11); 의견: 16 blank
semicolon.csv (25 rows)
    nps: promoters 10, passives 7, detractors 8, n=25 -> NPS = (10-8)/25*100 = 8.0
second_sheet.xlsx, sheet "data" (20 rows)
    NPS: promoters 8, passives 7, detractors 5, n=20 -> NPS = (8-5)/20*100 = 15.0
leading_blank_rows.xlsx: header on Excel row 3, B8 = 12 (out of range)
    the 9 valid nps: promoters 4, passives 2, detractors 3 -> NPS = (4-3)/9*100 = 11.11
labels_en.csv (20 rows)
    recommend: promoters 8, passives 5, detractors 7, n=20 -> NPS = (8-7)/20*100 = 5.0
    Overall satisfaction: Very satisfied 6, Satisfied 5, Neither satisfied nor dissatisfied 3,
        Dissatisfied 3, Very dissatisfied 2, Don't know 1
    Agreement: Strongly agree 5, Agree 6, Neither agree nor disagree 4, Disagree 3,
        Strongly disagree 2
unmapped_labels.csv: labels_en.csv with "Super happy" on file rows 3 and 17, "Meh" on row 13
dupes_weights.csv: id 3 on file rows 4 and 9, blank weight row 6, weight 0 row 7,
    weight -1 row 11, nps "abc" row 12
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).parent

Cell = str | int | float | None

# Fixed timestamps so that the xlsx files are byte-for-byte reproducible.
FIXED_DOC_TIME = datetime(2024, 1, 1, 0, 0, 0)
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# --------------------------------------------------------------------------------------------
# Korean survey (ko_cp949.csv, ko_utf8_bom.csv, utf16_tab.txt)
# --------------------------------------------------------------------------------------------

KO_HEADER = ["응답자ID", "고객유형", "추천의향", "전반적 만족도", "직원 친절", "대기 시간", "의견"]

# 응답자ID, 고객유형, 추천의향 (0-10), 전반적 만족도 (label), 직원 친절 (1-5),
# 대기 시간 (1-5 or "모름"), 의견 ("" = blank).
# Row 7 has a comma and row 15 has double quotes (both get CSV-quoted); row 9 contains
# "똠", a CP949 syllable outside KS X 1001, so the CP949 file does not decode as euc_kr.
KO_ROWS: list[tuple[int, str, int, str, int, int | str, str]] = [
    (1, "VIP", 10, "매우 만족", 5, 4, "항상 친절하게 응대해 주셔서 감사합니다."),
    (2, "신규", 9, "만족", 4, 3, ""),
    (3, "장기", 8, "만족", 4, 4, "대체로 만족합니다."),
    (4, "VIP", 10, "매우 만족", 5, 5, ""),
    (5, "신규", 6, "보통", 3, 2, "대기 시간이 너무 길었어요."),
    (6, "장기", 9, "매우 만족", 5, 4, ""),
    (7, "신규", 3, "불만족", 2, 1, "전화 연결이 잘 안 됩니다, 개선 부탁드립니다."),
    (8, "VIP", 7, "만족", 4, 3, ""),
    (9, "장기", 10, "매우 만족", 5, 5, "똠양꿍 메뉴도 생기면 좋겠어요."),
    (10, "신규", 5, "보통", 3, "모름", ""),
    (11, "장기", 9, "만족", 4, 4, "주차가 편했습니다."),
    (12, "VIP", 0, "매우 불만족", 1, 1, "다시는 이용하지 않겠습니다."),
    (13, "신규", 8, "만족", 4, 3, ""),
    (14, "장기", 9, "만족", 5, 4, ""),
    (15, "신규", 10, "매우 만족", 5, 5, '직원분이 "최고"였어요.'),
    (16, "VIP", 4, "불만족", 2, 2, "가격 대비 품질이 아쉽습니다."),
    (17, "장기", 7, "보통", 3, 3, ""),
    (18, "신규", 9, "만족", 4, 4, ""),
    (19, "VIP", 10, "매우 만족", 5, 4, "만족합니다!"),
    (20, "장기", 7, "보통", 3, 3, ""),
    (21, "신규", 2, "매우 불만족", 1, 2, "응대가 불친절했습니다."),
    (22, "VIP", 9, "만족", 4, 5, ""),
    (23, "장기", 8, "만족", 4, 3, "무난합니다."),
    (24, "신규", 10, "매우 만족", 5, 5, ""),
    (25, "장기", 5, "불만족", 2, 2, "예약 변경이 어려웠어요."),
    (26, "VIP", 9, "만족", 4, 4, ""),
    (27, "신규", 7, "보통", 3, 3, ""),
    (28, "장기", 10, "매우 만족", 4, 5, ""),
    (29, "VIP", 6, "불만족", 3, 2, "기대보다 별로였습니다."),
    (30, "신규", 8, "보통", 3, 3, ""),
]

# --------------------------------------------------------------------------------------------
# semicolon.csv
# --------------------------------------------------------------------------------------------

SEMI_HEADER = ["id", "segment", "nps", "overall satisfaction", "q_staff", "q_price"]
SEMI_NPS = [10, 9, 3, 8, 10, 6, 7, 9, 0, 10, 5, 8, 9, 2, 10, 7, 4, 9, 6, 10, 8, 1, 9, 7, 7]
SEMI_SAT = [5, 5, 2, 4, 5, 3, 4, 4, 1, 5, 3, 4, 5, 2, 5, 4, 2, 4, 3, 5, 4, 1, 5, 3, 4]
SEMI_STAFF = [5, 4, 3, 4, 5, 3, 4, 5, 2, 5, 3, 4, 4, 2, 5, 4, 3, 5, 3, 5, 4, 1, 4, 4, 3]
SEMI_PRICE = [4, 4, 2, 3, 4, 2, 3, 4, 1, 5, 2, 3, 4, 1, 4, 3, 2, 4, 2, 4, 3, 1, 4, 3, 3]
SEMI_SEGMENTS = ("Privatkunde", "Geschäftskunde")

# --------------------------------------------------------------------------------------------
# second_sheet.xlsx (sheet "data")
# --------------------------------------------------------------------------------------------

SECOND_HEADER = ["id", "NPS", "Overall satisfaction", "Staff", "Price"]
SECOND_NPS = [9, 10, 7, 8, 3, 10, 9, 6, 8, 7, 10, 5, 9, 8, 0, 7, 10, 4, 9, 8]
SECOND_SAT = [5, 5, 4, 4, 2, 5, 4, 3, 4, 4, 5, 3, 5, 4, 1, 3, 5, 2, 4, 4]
SECOND_STAFF = [5, 4, 4, 4, 2, 5, 5, 3, 4, 3, 5, 3, 4, 4, 1, 4, 5, 2, 4, 4]
SECOND_PRICE = [4, 5, 3, 4, 2, 4, 4, 3, 3, 4, 4, 2, 4, 3, 1, 3, 5, 2, 4, 3]

# --------------------------------------------------------------------------------------------
# leading_blank_rows.xlsx
# --------------------------------------------------------------------------------------------

LEADING_HEADER_ROW = 3  # Excel row of the header; rows 1-2 stay empty
LEADING_NPS = [9, 7, 10, 3, 12, 8, 10, 6, 9, 5]  # the 12 (id 5) lands in B8
LEADING_SAT = [4, 4, 5, 2, 5, 4, 5, 3, 4, 2]

# --------------------------------------------------------------------------------------------
# labels_en.csv and unmapped_labels.csv
# --------------------------------------------------------------------------------------------

LABELS_HEADER = [
    "Respondent",
    "How likely are you to recommend us? (0-10)",
    "Overall satisfaction",
    "Agreement",
]
LABELS_NPS = [10, 9, 8, 0, 7, 10, 6, 9, 3, 10, 8, 5, 9, 0, 7, 10, 2, 9, 8, 6]
# Spelled-out endpoint labels by position (0-based); every other score is a bare number.
LABELS_NPS_TEXT = {
    0: "10 - Extremely likely",
    3: "0 (Not at all likely)",
    5: "10 - Extremely likely",
    9: "10 (Extremely likely)",
    13: "0 - Not at all likely",
    15: "10 - Extremely likely",
}
VS, S, NEU, D, VD, DK = (
    "Very satisfied",
    "Satisfied",
    "Neither satisfied nor dissatisfied",
    "Dissatisfied",
    "Very dissatisfied",
    "Don't know",
)
LABELS_SAT = [VS, VS, S, VD, S, VS, NEU, S, D, VS, DK, NEU, VS, VD, S, VS, D, S, NEU, D]
SA, A, NA, DA, SD = (
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
)
LABELS_AGREE = [SA, A, A, SD, NA, SA, NA, A, DA, SA, A, NA, SA, SD, A, SA, DA, A, NA, DA]
# unmapped_labels.csv: data index (0-based) -> label a tool cannot know.
# Data index i is file row i + 2 (header = row 1): rows 3 and 17 "Super happy", row 13 "Meh".
UNMAPPED = {1: "Super happy", 11: "Meh", 15: "Super happy"}

# --------------------------------------------------------------------------------------------
# dupes_weights.csv (file row = data index + 2)
# --------------------------------------------------------------------------------------------

DUPES_HEADER = ["id", "weight", "nps", "sat"]
DUPES_ROWS: list[tuple[str, str, str, str]] = [
    ("1", "1", "9", "4"),  # row 2
    ("2", "1.5", "7", "4"),  # row 3
    ("3", "0.8", "10", "5"),  # row 4: id 3, first time
    ("4", "1.5", "3", "2"),  # row 5
    ("5", "", "8", "4"),  # row 6: blank weight
    ("6", "0", "9", "5"),  # row 7: weight 0
    ("7", "1", "6", "3"),  # row 8
    ("3", "0.8", "4", "2"),  # row 9: id 3 again, different answers
    ("8", "2", "10", "5"),  # row 10
    ("9", "-1", "8", "4"),  # row 11: weight -1
    ("10", "1", "abc", "3"),  # row 12: nps "abc"
    ("11", "1", "5", "2"),  # row 13
]


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def nps_counts(scores: Iterable[int]) -> tuple[int, int, int]:
    """Return (promoters, passives, detractors) for 0-10 scores."""
    values = list(scores)
    promoters = sum(1 for v in values if 9 <= v <= 10)
    passives = sum(1 for v in values if 7 <= v <= 8)
    detractors = sum(1 for v in values if 0 <= v <= 6)
    return promoters, passives, detractors


def csv_text(
    header: Sequence[Cell],
    rows: Iterable[Sequence[Cell]],
    *,
    delimiter: str = ",",
    lineterminator: str = "\r\n",
) -> str:
    """Render rows the way Excel does: minimal quoting, the given delimiter and line ending."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def xlsx_bytes(wb: Workbook) -> bytes:
    """Serialise a workbook with fixed timestamps so the output is reproducible."""
    wb.properties.created = FIXED_DOC_TIME
    raw = io.BytesIO()
    wb.save(raw)  # openpyxl stamps docProps/core.xml "modified" with the current time
    stamp = FIXED_DOC_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# writers
# --------------------------------------------------------------------------------------------


def write_korean(out: Path) -> None:
    """Same 30 rows as CP949 CSV, UTF-8-BOM CSV and UTF-16 'Unicode text' (all CRLF)."""
    assert len(KO_ROWS) == 30
    assert [r[0] for r in KO_ROWS] == list(range(1, 31))
    assert nps_counts(r[2] for r in KO_ROWS) == (14, 8, 8)
    assert Counter(r[3] for r in KO_ROWS) == {
        "매우 만족": 8,
        "만족": 10,
        "보통": 6,
        "불만족": 4,
        "매우 불만족": 2,
    }
    assert Counter(r[1] for r in KO_ROWS) == {"VIP": 9, "신규": 11, "장기": 10}
    assert [r[0] for r in KO_ROWS if r[5] == "모름"] == [10]
    assert sum(1 for r in KO_ROWS if r[6] == "") == 16

    comma = csv_text(KO_HEADER, KO_ROWS)
    (out / "ko_cp949.csv").write_bytes(comma.encode("cp949"))
    (out / "ko_utf8_bom.csv").write_bytes(comma.encode("utf-8-sig"))
    tab = csv_text(KO_HEADER, KO_ROWS, delimiter="\t")
    (out / "utf16_tab.txt").write_bytes(b"\xff\xfe" + tab.encode("utf-16-le"))


def write_semicolon(out: Path) -> None:
    """European-Excel style: ';' delimiter, UTF-8 without BOM, CRLF, integers only."""
    columns = [SEMI_NPS, SEMI_SAT, SEMI_STAFF, SEMI_PRICE]
    assert all(len(c) == 25 for c in columns)
    assert nps_counts(SEMI_NPS) == (10, 7, 8)
    rows = [
        [i + 1, SEMI_SEGMENTS[i % 2], nps, sat, staff, price]
        for i, (nps, sat, staff, price) in enumerate(zip(*columns, strict=True))
    ]
    (out / "semicolon.csv").write_bytes(csv_text(SEMI_HEADER, rows, delimiter=";").encode())


def write_second_sheet(out: Path) -> None:
    """First sheet '표지' is empty; the survey is on the second sheet 'data'."""
    columns = [SECOND_NPS, SECOND_SAT, SECOND_STAFF, SECOND_PRICE]
    assert all(len(c) == 20 for c in columns)
    assert nps_counts(SECOND_NPS) == (8, 7, 5)
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = "표지"
    data = wb.create_sheet("data")
    data.append(SECOND_HEADER)
    for i, values in enumerate(zip(*columns, strict=True)):
        data.append([i + 1, *values])
    (out / "second_sheet.xlsx").write_bytes(xlsx_bytes(wb))


def write_leading_blank_rows(out: Path) -> None:
    """Header on Excel row 3; the out-of-range nps 12 sits in B8."""
    assert len(LEADING_NPS) == len(LEADING_SAT) == 10
    valid = [v for v in LEADING_NPS if 0 <= v <= 10]
    assert len(valid) == 9 and nps_counts(valid) == (4, 2, 3)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    for col, name in enumerate(["id", "nps", "sat"], start=1):
        ws.cell(row=LEADING_HEADER_ROW, column=col, value=name)
    for i, (nps, sat) in enumerate(zip(LEADING_NPS, LEADING_SAT, strict=True)):
        row = LEADING_HEADER_ROW + 1 + i
        ws.cell(row=row, column=1, value=i + 1)
        ws.cell(row=row, column=2, value=nps)
        ws.cell(row=row, column=3, value=sat)
    assert ws["B8"].value == 12
    (out / "leading_blank_rows.xlsx").write_bytes(xlsx_bytes(wb))


def write_labels(out: Path) -> None:
    """Text answers with English labels; a copy with two labels nobody can map."""
    assert len(LABELS_NPS) == len(LABELS_SAT) == len(LABELS_AGREE) == 20
    assert nps_counts(LABELS_NPS) == (8, 5, 7)
    for i, text in LABELS_NPS_TEXT.items():
        assert text.startswith(str(LABELS_NPS[i]) + " ")
    assert Counter(LABELS_SAT) == {VS: 6, S: 5, NEU: 3, D: 3, VD: 2, DK: 1}
    assert Counter(LABELS_AGREE) == {SA: 5, A: 6, NA: 4, DA: 3, SD: 2}

    def rows(sat: Sequence[str]) -> list[list[Cell]]:
        return [
            [f"R{i + 1:03d}", LABELS_NPS_TEXT.get(i, str(nps)), s, agree]
            for i, (nps, s, agree) in enumerate(zip(LABELS_NPS, sat, LABELS_AGREE, strict=True))
        ]

    lf = "\n"
    (out / "labels_en.csv").write_bytes(
        csv_text(LABELS_HEADER, rows(LABELS_SAT), lineterminator=lf).encode()
    )
    unmapped_sat = [UNMAPPED.get(i, s) for i, s in enumerate(LABELS_SAT)]
    assert Counter(unmapped_sat)["Super happy"] == 2 and Counter(unmapped_sat)["Meh"] == 1
    (out / "unmapped_labels.csv").write_bytes(
        csv_text(LABELS_HEADER, rows(unmapped_sat), lineterminator=lf).encode()
    )


def write_broken(out: Path) -> None:
    """Files that must be rejected cleanly: truncated zip, text named .xlsx, zero bytes."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["id", "nps", "sat"])
    ws.append([1, 9, 5])
    real = xlsx_bytes(wb)
    assert real[:4] == b"PK\x03\x04"
    (out / "corrupt.xlsx").write_bytes(real[:200])
    (out / "not_a_spreadsheet.xlsx").write_bytes(b"hello, this is not a spreadsheet\n")
    (out / "empty.csv").write_bytes(b"")


def write_header_only(out: Path) -> None:
    """A header and no data, as CSV and as xlsx."""
    (out / "header_only.csv").write_bytes(b"id,nps,sat\n")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.append(["id", "nps", "sat"])
    (out / "header_only.xlsx").write_bytes(xlsx_bytes(wb))


def write_dupes_weights(out: Path) -> None:
    """12 rows with a duplicate id and bad weights / scores on known file rows."""
    assert len(DUPES_ROWS) == 12
    file_row = {i + 2: r for i, r in enumerate(DUPES_ROWS)}
    assert [n for n, r in file_row.items() if r[0] == "3"] == [4, 9]
    assert [n for n, r in file_row.items() if r[1] == ""] == [6]
    assert [n for n, r in file_row.items() if r[1] == "0"] == [7]
    assert [n for n, r in file_row.items() if r[1] == "-1"] == [11]
    assert [n for n, r in file_row.items() if not r[2].isdigit()] == [12]
    (out / "dupes_weights.csv").write_bytes(
        csv_text(DUPES_HEADER, DUPES_ROWS, lineterminator="\n").encode()
    )


def main() -> None:
    """Write every fixture into the folder that holds this script."""
    write_korean(OUT)
    write_semicolon(OUT)
    write_second_sheet(OUT)
    write_leading_blank_rows(OUT)
    write_labels(OUT)
    write_broken(OUT)
    write_header_only(OUT)
    write_dupes_weights(OUT)


if __name__ == "__main__":
    main()
