"""Write the messy-survey corpus: files an analyst can read, with the traps real exports have.

Run from the repository root::

    .venv/bin/python tests/data/messy/make_messy.py

Every file comes from one builder below. A builder draws its answers with its own seeded
generator and returns a :class:`Case`: the answers as written (``truth``, column -> cells, the
cells exactly as they land in the file, traps included) and a ``write`` function. The test
(``tests/test_messy.py``) calls the builders again to get ``truth`` and computes each headline
figure from it with numpy, so expectations never come from csitool's reading code.

All data here is synthetic and ours (MIT). No rows are copied from /work/shared/data; a few
files imitate the *layout* of public datasets (mistat AIRLINE_SURVEY, ABC, Kaggle airline
passenger satisfaction, Google Forms), nothing more.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat

HERE = Path(__file__).parent
SEED = 20240917
FIXED_DOC_TIME = dt.datetime(2024, 1, 2, 3, 4, 5)
FIXED_ZIP_TIME = (2024, 1, 2, 3, 4, 6)

Cell = Any


@dataclass
class Case:
    """One file: its name, the cells per column as written, and how to write it."""

    name: str
    truth: dict[str, list[Cell]]
    write: Callable[[Path], None] = field(repr=False)


BUILDERS: dict[str, Callable[[], Case]] = {}


def builder(name: str) -> Callable[[Callable[[np.random.Generator], Case]], Callable[[], Case]]:
    """Register a builder; each gets a generator seeded from SEED and the file name."""

    def deco(fn: Callable[[np.random.Generator], Case]) -> Callable[[], Case]:
        def make() -> Case:
            case = fn(np.random.default_rng([SEED, zlib.crc32(name.encode())]))
            case.name = name
            return case

        BUILDERS[name] = make
        return make

    return deco


# --------------------------------------------------------------------------------------------
# drawing answers
# --------------------------------------------------------------------------------------------


def rate(
    rng: np.random.Generator,
    n: int,
    lo: int,
    hi: int,
    *,
    base: np.ndarray | None = None,
    loc: float = 0.65,
    sd: float = 0.24,
    span: tuple[int, int] | None = None,
) -> list[int]:
    """Integer ratings on lo..hi around lo + loc * (hi - lo), correlated with ``base``.

    ``span`` (default lo..hi) is the observed range: answers are clipped into it and both of
    its ends are written at least once, so the observed min and max are exactly ``span``.
    """
    lo_obs, hi_obs = span or (lo, hi)
    z = rng.normal(size=n) if base is None else 0.75 * base + 0.66 * rng.normal(size=n)
    x = np.rint(lo + (hi - lo) * (loc + sd * z))
    x = np.clip(x, lo_obs, hi_obs).astype(int)
    at = rng.choice(n, size=2, replace=False)
    x[at[0]], x[at[1]] = lo_obs, hi_obs
    return [int(v) for v in x]


def inner(values: Sequence[Cell]) -> np.ndarray:
    """Positions of cells that are not the observed minimum or maximum (safe to overwrite)."""
    x = np.asarray(values, dtype=float)
    return np.flatnonzero((x > x.min()) & (x < x.max()))


def with_code(rng: np.random.Generator, values: list[Cell], code: Cell, k: int) -> list[Cell]:
    """Replace ``k`` random cells (never an observed end) by ``code``."""
    out = list(values)
    for i in rng.choice(inner(values), size=k, replace=False):
        out[int(i)] = code
    return out


def pick(
    rng: np.random.Generator, n: int, options: Sequence[Cell], p: Sequence[float] | None = None
) -> list[Cell]:
    return [options[int(i)] for i in rng.choice(len(options), size=n, p=p)]


def comments(rng: np.random.Generator, n: int, pool: Sequence[str]) -> list[Cell]:
    """Free text: about half blank, many repeats of a few short answers, some unique ones."""
    out: list[Cell] = []
    for i in range(n):
        u = rng.random()
        if u < 0.45:
            out.append(None)
        elif u < 0.75:
            out.append(pool[int(rng.integers(0, min(3, len(pool))))])
        else:
            out.append(f"{pool[int(rng.integers(0, len(pool)))]} ({i + 1})")
    return out


# --------------------------------------------------------------------------------------------
# writing files
# --------------------------------------------------------------------------------------------


def _cell_text(v: Cell) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return str(v)


def write_csv(
    path: Path,
    cols: dict[str, list[Cell]],
    *,
    encoding: str = "utf-8",
    pre: Sequence[Sequence[str]] = (),
    final_newline: bool = True,
) -> None:
    """CSV as Excel writes it: CRLF, minimal quoting; ``pre`` rows go above the header, padded
    with empty fields to the table's width as Excel pads every row of the used range."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    for row in pre:
        w.writerow(list(row) + [""] * (len(cols) - len(row)))
    w.writerow(list(cols))
    for row in zip(*cols.values(), strict=True):
        w.writerow([_cell_text(v) for v in row])
    text = buf.getvalue()
    if not final_newline:
        text = text.removesuffix("\r\n")
    path.write_bytes(text.encode(encoding))


def _rows(cols: dict[str, list[Cell]]) -> list[list[Cell]]:
    return [list(cols)] + [list(r) for r in zip(*cols.values(), strict=True)]


def save_xlsx(wb: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed timestamps so the bytes are reproducible."""
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
    path.write_bytes(out.getvalue())


def write_xlsx(
    path: Path,
    cols: dict[str, list[Cell]],
    *,
    title: str = "Sheet1",
    pre: Sequence[Sequence[Cell]] = (),
    merges: Sequence[str] = (),
    cover: tuple[str, Sequence[Sequence[Cell]]] | None = None,
) -> None:
    """One data sheet (``pre`` rows above the header, ``merges`` merged ranges), optionally
    after a cover sheet ``(title, rows)`` that is the first and active sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if cover is not None:
        ws.title = cover[0]
        for row in cover[1]:
            ws.append(list(row))
        ws = wb.create_sheet(title)
    else:
        ws.title = title
    for row in pre:
        ws.append(list(row))
    for row in _rows(cols):
        ws.append(row)
    for rng_ in merges:
        ws.merge_cells(rng_)
    save_xlsx(wb, path)


def write_sav(path: Path, cols: dict[str, list[Cell]], **kw: Any) -> None:
    """pyreadstat.write_sav, then the header's creation date/time fixed for reproducibility."""
    frame = pd.DataFrame(cols)
    pyreadstat.write_sav(frame, str(path), **kw)
    data = bytearray(path.read_bytes())
    data[92:101] = b"02 Jan 24"  # SAV header: creation date (9 bytes) at offset 92
    data[101:109] = b"03:04:05"  # and creation time (8 bytes) at offset 101
    path.write_bytes(bytes(data))


def floats(values: list[Cell]) -> list[float]:
    return [float("nan") if v is None else float(v) for v in values]


EN5 = {1: "Very dissatisfied", 2: "Dissatisfied", 3: "Neutral", 4: "Satisfied", 5: "Very satisfied"}
KO5 = {1: "매우 불만족", 2: "불만족", 3: "보통", 4: "만족", 5: "매우 만족"}
KO5_REV = {1: "매우 만족", 2: "만족", 3: "보통", 4: "불만족", 5: "매우 불만족"}
EN7_REV = {
    1: "Very satisfied",
    2: "Satisfied",
    3: "Somewhat satisfied",
    4: "Neither satisfied nor dissatisfied",
    5: "Somewhat dissatisfied",
    6: "Dissatisfied",
    7: "Very dissatisfied",
}
KO_COMMENTS = [
    "없음",
    "좋아요",
    "특별히 없습니다",
    "배송이 더 빨랐으면 합니다",
    "직원분들이 친절했어요",
]
EN_COMMENTS = ["none", "Good", "n/a", "Faster checkout please", "Staff were lovely"]

# --------------------------------------------------------------------------------------------
# 1. scales
# --------------------------------------------------------------------------------------------


@builder("s01_4pt_airline.csv")
def _s01(rng: np.random.Generator) -> Case:
    n = 300
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"resp_id": list(range(1, n + 1))}
    for c in ["booking", "checkin", "boarding", "seat", "meal", "crew", "overall_experience"]:
        cols[c] = rate(rng, n, 1, 4, base=b, loc=0.7)
    return Case("", cols, lambda p: write_csv(p, cols))


@builder("s02_4pt_ko.xlsx")
def _s02(rng: np.random.Generator) -> Case:
    n = 300
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {
        "응답자ID": list(range(1, n + 1)),
        "성별": pick(rng, n, ["남", "여"]),
        "전반적 만족도": rate(rng, n, 1, 4, base=b),
    }
    for c in ["상품 품질", "가격", "배송", "고객센터"]:
        cols[c] = rate(rng, n, 1, 4, base=b, loc=0.62)
    return Case("", cols, lambda p: write_xlsx(p, cols, title="Sheet1"))


@builder("s03_detail_zero_na.xlsx")
def _s03(rng: np.random.Generator) -> Case:
    # ABC-style: section overall items have no zeros; detailed items use 0 for "not applicable".
    n = 266
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"ID": list(range(1001, 1001 + n))}
    cols["종합 만족도"] = rate(rng, n, 1, 5, base=b)
    cols["재구매 의향"] = rate(rng, n, 1, 5, base=b)
    cols["장비 전반 만족도"] = rate(rng, n, 1, 5, base=b)
    for c, k in [("장비 설치", 21), ("장비 품질", 9), ("장비 유지보수", 31)]:
        cols[c] = with_code(rng, rate(rng, n, 1, 5, base=b), 0, k)
    cols["영업 전반 만족도"] = rate(rng, n, 1, 5, base=b, loc=0.58)
    for c, k in [("영업 응대", 14), ("영업 전문성", 26)]:
        cols[c] = with_code(rng, rate(rng, n, 1, 5, base=b, loc=0.58), 0, k)
    return Case("", cols, lambda p: write_xlsx(p, cols, title="data"))


@builder("s04_item_few_zeros.csv")
def _s04(rng: np.random.Generator) -> Case:
    n = 250
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"id": list(range(1, n + 1))}
    cols["overall"] = rate(rng, n, 1, 5, base=b)
    cols["staff"] = rate(rng, n, 1, 5, base=b)
    cols["price"] = rate(rng, n, 1, 5, base=b, loc=0.5)
    cols["cleanliness"] = with_code(rng, rate(rng, n, 1, 5, base=b), 0, 5)  # 5 zeros = 2%
    return Case("", cols, lambda p: write_csv(p, cols))


@builder("s05_0to5_na.sav")
def _s05(rng: np.random.Generator) -> Case:
    n = 400
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"respid": list(range(1, n + 1))}
    cols["q0"] = rate(rng, n, 1, 5, base=b)
    zeros = {"q1": 38, "q2": 12, "q3": 55, "q4": 20, "q5": 41}
    for c, k in zeros.items():
        cols[c] = with_code(rng, rate(rng, n, 1, 5, base=b), 0, k)
    labels = {"q0": "Overall, how satisfied are you with the hotel?"}
    labels |= {
        "q1": "Check-in",
        "q2": "Room cleanliness",
        "q3": "Spa and wellness",
        "q4": "Breakfast",
        "q5": "Parking",
    }
    na_labels = {0: "Not applicable"} | EN5
    sav = {c: floats(v) for c, v in cols.items()}
    return Case(
        "",
        cols,
        lambda p: write_sav(
            p,
            sav,
            column_labels={"respid": "Respondent"} | labels,
            variable_value_labels={"q0": EN5} | {c: na_labels for c in zeros},
            variable_measure={"respid": "nominal"} | {c: "ordinal" for c in labels},
        ),
    )


@builder("s06_airline_passenger.csv")
def _s06(rng: np.random.Generator) -> Case:
    # Layout of the Kaggle "airline passenger satisfaction" table: 0-5 services where 0 means
    # not applicable, continuous columns, and a two-label satisfaction column.
    n = 300
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"id": list(range(70001, 70001 + n))}
    cols["Gender"] = pick(rng, n, ["Male", "Female"])
    cols["Customer Type"] = pick(rng, n, ["Loyal Customer", "disloyal Customer"], [0.8, 0.2])
    cols["Age"] = [int(v) for v in rng.integers(7, 86, size=n)]
    cols["Type of Travel"] = pick(rng, n, ["Business travel", "Personal Travel"])
    cols["Class"] = pick(rng, n, ["Business", "Eco", "Eco Plus"], [0.45, 0.45, 0.1])
    cols["Flight Distance"] = [int(v) for v in rng.integers(31, 4984, size=n)]
    for c, k in [
        ("Inflight wifi service", 9),
        ("Departure/Arrival time convenient", 14),
        ("Ease of Online booking", 13),
        ("Food and drink", 6),
    ]:
        cols[c] = with_code(rng, rate(rng, n, 1, 5, base=b, loc=0.55), 0, k)
    cols["Seat comfort"] = rate(rng, n, 1, 5, base=b)
    cols["Cleanliness"] = rate(rng, n, 1, 5, base=b)
    cols["Departure Delay in Minutes"] = [int(v) for v in np.minimum(rng.exponential(15, n), 300)]
    cols["satisfaction"] = ["satisfied" if v > 0.2 else "dissatisfied" for v in b]
    return Case("", cols, lambda p: write_csv(p, cols, final_newline=False))


@builder("s07_1to7.csv")
def _s07(rng: np.random.Generator) -> Case:
    n = 200
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"ResponseId": [f"R_{i:05d}" for i in range(1, n + 1)]}
    cols["Department"] = pick(rng, n, ["Sales", "IT", "HR", "Finance"])
    cols["Overall satisfaction"] = rate(rng, n, 1, 7, base=b)
    for c in ["Ease of use", "Reliability", "Support", "Value for money"]:
        cols[c] = rate(rng, n, 1, 7, base=b, loc=0.6)
    return Case("", cols, lambda p: write_csv(p, cols))


@builder("s08_1to10.csv")
def _s08(rng: np.random.Generator) -> Case:
    # Yellow-pages style 1-10 ratings (our own draws; no rows from the GPL data set).
    n = 400
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"customer": list(range(1, n + 1))}
    for c in ["Overall Satisfaction", "Price", "Ad Reach", "Distribution", "Customer Service"]:
        cols[c] = rate(rng, n, 1, 10, base=b, loc=0.6, sd=0.22)
    return Case("", cols, lambda p: write_csv(p, cols))


@builder("s09_0to10_not_nps.csv")
def _s09(rng: np.random.Generator) -> Case:
    n = 300
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"id": list(range(1, n + 1))}
    for c in ["Overall satisfaction (0-10)", "Staff (0-10)", "Speed (0-10)", "Price (0-10)"]:
        cols[c] = rate(rng, n, 0, 10, base=b, loc=0.66, sd=0.2)
    return Case("", cols, lambda p: write_csv(p, cols))


@builder("s10_1to100.sav")
def _s10(rng: np.random.Generator) -> Case:
    n = 250
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"id": list(range(1, n + 1))}
    cols["age"] = [int(v) for v in rng.integers(18, 81, size=n)]
    items = {
        "sat": "Overall, how satisfied are you with your stay?",
        "room": "Satisfaction with the room",
        "service": "Satisfaction with the service",
        "food": "Satisfaction with the food",
    }
    for c in items:
        cols[c] = rate(rng, n, 1, 100, base=b, loc=0.7, sd=0.18)
    vl = {1: "Very unsatisfied", 100: "Very satisfied"}
    sav = {c: floats(v) for c, v in cols.items()}
    return Case(
        "",
        cols,
        lambda p: write_sav(
            p,
            sav,
            column_labels={"id": "Respondent", "age": "Age in years"} | items,
            variable_value_labels={c: vl for c in items},
            variable_measure={"id": "nominal", "age": "scale"} | {c: "scale" for c in items},
        ),
    )


@builder("s11_wording_0to10.csv")
def _s11(rng: np.random.Generator) -> Case:
    n = 200
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"번호": list(range(1, n + 1))}
    cols["전반적인 만족도 (0-10)"] = rate(rng, n, 0, 10, base=b, span=(3, 9))
    cols["직원 친절도 (0-10)"] = rate(rng, n, 0, 10, base=b, span=(2, 9))
    cols["매장 청결도 (0-10)"] = rate(rng, n, 0, 10, base=b, span=(4, 9))
    return Case("", cols, lambda p: write_csv(p, cols))


@builder("s12_wording_5pt.xlsx")
def _s12(rng: np.random.Generator) -> Case:
    n = 150
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"응답자": list(range(1, n + 1))}
    cols["종합 만족도 (5점 척도)"] = rate(rng, n, 1, 5, base=b, loc=0.55, span=(1, 4))
    cols["제품 품질 (5점 척도)"] = rate(rng, n, 1, 5, base=b, loc=0.55, span=(1, 4))
    cols["가격 (5점 척도)"] = rate(rng, n, 1, 5, base=b, loc=0.5, span=(2, 4))
    return Case("", cols, lambda p: write_xlsx(p, cols))


@builder("s13_wording_7pt_cp949.csv")
def _s13(rng: np.random.Generator) -> Case:
    n = 180
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"ID": list(range(1, n + 1))}
    cols["종합 만족도 (7점 만점)"] = rate(rng, n, 1, 7, base=b, loc=0.6, span=(2, 6))
    cols["서비스 품질 (7점 만점)"] = rate(rng, n, 1, 7, base=b, loc=0.6, span=(2, 6))
    cols["가격 (7점 만점)"] = rate(rng, n, 1, 7, base=b, loc=0.5, span=(1, 6))
    return Case("", cols, lambda p: write_csv(p, cols, encoding="cp949"))


@builder("s14_battery_ranges.csv")
def _s14(rng: np.random.Generator) -> Case:
    n = 220
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"id": list(range(1, n + 1))}
    cols["Q4 Overall satisfaction"] = rate(rng, n, 1, 5, base=b)
    spans = {
        "Q5_1 Staff": (1, 5),
        "Q5_2 Speed": (2, 5),
        "Q5_3 Cleanliness": (3, 5),
        "Q5_4 Price": (1, 4),
        "Q5_5 Parking": (1, 5),
        "Q5_6 Opening hours": (2, 5),
    }
    for c, s in spans.items():
        cols[c] = rate(rng, n, 1, 5, base=b, loc=0.7, span=s)
    return Case("", cols, lambda p: write_csv(p, cols))


# --------------------------------------------------------------------------------------------
# 2. direction
# --------------------------------------------------------------------------------------------


@builder("d01_reversed_en_1to7.sav")
def _d01(rng: np.random.Generator) -> Case:
    # 1 = Very satisfied ... 7 = Very dissatisfied: low codes are good.
    n = 300
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"id": list(range(1, n + 1))}
    items = {
        "sat": "Overall, how satisfied are you with our service?",
        "s1": "Friendliness of staff",
        "s2": "Waiting time",
        "s3": "Price",
        "s4": "Product range",
    }
    for c in items:
        cols[c] = rate(rng, n, 1, 7, base=-b, loc=0.3)  # satisfied people pick low codes
    sav = {c: floats(v) for c, v in cols.items()}
    return Case(
        "",
        cols,
        lambda p: write_sav(
            p,
            sav,
            column_labels={"id": "Respondent"} | items,
            variable_value_labels={c: EN7_REV for c in items},
            variable_measure={"id": "nominal"} | {c: "ordinal" for c in items},
        ),
    )


def _ko_direction(rng: np.random.Generator, labels: dict[int, str], good_low: bool) -> Case:
    n = 250
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"ID": list(range(1, n + 1))}
    items = {
        "종합만족도": "전반적으로 얼마나 만족하십니까?",
        "A1": "직원의 친절",
        "A2": "대기 시간",
        "A3": "시설 청결",
        "A4": "요금",
    }
    for c in items:
        cols[c] = rate(rng, n, 1, 5, base=-b if good_low else b, loc=0.32 if good_low else 0.68)
    sav = {c: floats(v) for c, v in cols.items()}
    return Case(
        "",
        cols,
        lambda p: write_sav(
            p,
            sav,
            column_labels={"ID": "응답자 번호"} | items,
            variable_value_labels={c: labels for c in items},
            variable_measure={"ID": "nominal"} | {c: "ordinal" for c in items},
        ),
    )


@builder("d02_reversed_ko_1to5.sav")
def _d02(rng: np.random.Generator) -> Case:
    return _ko_direction(rng, KO5_REV, good_low=True)


@builder("d03_normal_ko_1to5.sav")
def _d03(rng: np.random.Generator) -> Case:
    return _ko_direction(rng, KO5, good_low=False)


@builder("d04_reversed_endpoints_en.sav")
def _d04(rng: np.random.Generator) -> Case:
    # Only the endpoints are labelled, reversed: 1 = Very satisfied, 7 = Very dissatisfied.
    n = 240
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"id": list(range(1, n + 1))}
    items = {
        "overall": "Overall satisfaction",
        "x1": "Value for money",
        "x2": "Ease of ordering",
        "x3": "Delivery",
    }
    for c in items:
        cols[c] = rate(rng, n, 1, 7, base=-b, loc=0.35)
    vl = {1: "Very satisfied", 7: "Very dissatisfied"}
    sav = {c: floats(v) for c, v in cols.items()}
    return Case(
        "",
        cols,
        lambda p: write_sav(
            p,
            sav,
            column_labels=items,
            variable_value_labels={c: vl for c in items},
            variable_measure={"id": "nominal"} | {c: "ordinal" for c in items},
        ),
    )


# --------------------------------------------------------------------------------------------
# 3. measurement level
# --------------------------------------------------------------------------------------------


@builder("m01_nominal_segments.sav")
def _m01(rng: np.random.Generator) -> Case:
    n = 350
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"id": list(range(1, n + 1))}
    cols["country"] = [int(v) for v in rng.integers(1, 6, size=n)]
    cols["language"] = [int(v) for v in rng.integers(1, 5, size=n)]
    cols["traveller"] = [int(v) for v in rng.integers(1, 6, size=n)]
    cols["sat"] = rate(rng, n, 1, 5, base=b)
    cols["rec"] = rate(rng, n, 0, 10, base=b, loc=0.72, sd=0.22)
    for c in ["q1", "q2", "q3", "q4"]:
        cols[c] = rate(rng, n, 1, 5, base=b)
    sav = {c: floats(v) for c, v in cols.items()}
    value_labels = {
        "country": {1: "Germany", 2: "France", 3: "United Kingdom", 4: "Spain", 5: "Italy"},
        "language": {1: "German", 2: "French", 3: "English", 4: "Spanish"},
        "traveller": {1: "Business", 2: "Leisure", 3: "Family", 4: "Couple", 5: "Solo"},
    } | {c: EN5 for c in ["sat", "q1", "q2", "q3", "q4"]}
    return Case(
        "",
        cols,
        lambda p: write_sav(
            p,
            sav,
            column_labels={
                "id": "Respondent",
                "country": "Country of residence",
                "language": "Language of the interview",
                "traveller": "Type of traveller",
                "sat": "Overall satisfaction",
                "rec": "How likely are you to recommend us to a friend or colleague?",
                "q1": "Booking",
                "q2": "Check-in",
                "q3": "Room",
                "q4": "Breakfast",
            },
            variable_value_labels=value_labels,
            variable_measure={
                "id": "nominal",
                "country": "nominal",
                "language": "nominal",
                "traveller": "nominal",
                "rec": "scale",
            }
            | {c: "ordinal" for c in ["sat", "q1", "q2", "q3", "q4"]},
        ),
    )


@builder("m02_labelled_no_measure.sav")
def _m02(rng: np.random.Generator) -> Case:
    n = 300
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"ID": list(range(1, n + 1))}
    cols["지역"] = [int(v) for v in rng.integers(1, 6, size=n)]
    cols["연령대"] = [int(v) for v in rng.integers(1, 6, size=n)]
    cols["종합만족도"] = rate(rng, n, 1, 5, base=b)
    for c in ["B1", "B2", "B3", "B4"]:
        cols[c] = rate(rng, n, 1, 5, base=b)
    sav = {c: floats(v) for c, v in cols.items()}
    return Case(
        "",
        cols,
        lambda p: write_sav(
            p,
            sav,
            column_labels={
                "지역": "거주 지역",
                "연령대": "응답자 연령대",
                "종합만족도": "전반적인 만족도",
                "B1": "상담 직원의 친절",
                "B2": "처리 속도",
                "B3": "안내의 정확성",
                "B4": "이용 편의성",
            },
            variable_value_labels={
                "지역": {1: "서울", 2: "부산", 3: "대구", 4: "인천", 5: "광주"},
                "연령대": {1: "20대", 2: "30대", 3: "40대", 4: "50대", 5: "60대 이상"},
            }
            | {c: KO5 for c in ["종합만족도", "B1", "B2", "B3", "B4"]},
        ),  # no variable_measure at all: every variable is "unknown"
    )


@builder("m03_dummies_bom.csv")
def _m03(rng: np.random.Generator) -> Case:
    n = 300
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"ID": list(range(1, n + 1))}
    cols["재구매여부"] = [int(v) for v in (b + rng.normal(size=n) > 0)]
    cols["멤버십가입"] = [int(v) for v in rng.random(n) < 0.35]
    cols["앱사용"] = [int(v) for v in rng.random(n) < 0.6]
    cols["구매경험(1=예, 2=아니오)"] = [1 if v < 0.7 else 2 for v in rng.random(n)]
    cols["추천의향"] = rate(rng, n, 0, 10, base=b, loc=0.7, sd=0.22)
    cols["종합만족도"] = rate(rng, n, 1, 5, base=b)
    for c in ["C1 상품 구색", "C2 가격", "C3 배송", "C4 반품"]:
        cols[c] = rate(rng, n, 1, 5, base=b)
    return Case("", cols, lambda p: write_csv(p, cols, encoding="utf-8-sig"))


@builder("m04_continuous.csv")
def _m04(rng: np.random.Generator) -> Case:
    n = 300
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"id": list(range(1, n + 1))}
    cols["age"] = [int(v) for v in rng.integers(18, 81, size=n)]
    cols["spend_krw"] = [int(v) * 100 for v in rng.integers(150, 12001, size=n)]
    cols["visit_minutes"] = [int(v) for v in rng.integers(3, 181, size=n)]
    cols["latent_score"] = [round(float(v), 2) for v in np.clip(70 + 12 * b, 0, 100)]
    cols["nps"] = rate(rng, n, 0, 10, base=b, loc=0.7, sd=0.22)
    cols["overall_sat"] = rate(rng, n, 1, 5, base=b)
    for c in ["q_staff", "q_price", "q_speed"]:
        cols[c] = rate(rng, n, 1, 5, base=b)
    return Case("", cols, lambda p: write_csv(p, cols))


@builder("m05_continuous_scale.sav")
def _m05(rng: np.random.Generator) -> Case:
    n = 250
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"ID": list(range(1, n + 1))}
    cols["연령"] = [int(v) for v in rng.integers(19, 80, size=n)]
    cols["월평균이용금액"] = [int(v) * 1000 for v in rng.integers(5, 400, size=n)]
    cols["이용시간_분"] = [int(v) for v in rng.integers(5, 121, size=n)]
    cols["CSI_잠재점수"] = [round(float(v), 3) for v in np.clip(68 + 10 * b, 0, 100)]
    cols["종합만족도"] = rate(rng, n, 1, 5, base=b)
    for c in ["D1", "D2", "D3", "D4"]:
        cols[c] = rate(rng, n, 1, 5, base=b, loc=0.6)
    sav = {c: floats(v) for c, v in cols.items()}
    items = ["종합만족도", "D1", "D2", "D3", "D4"]
    return Case(
        "",
        cols,
        lambda p: write_sav(
            p,
            sav,
            column_labels={
                "연령": "만 나이",
                "월평균이용금액": "월평균 이용 금액(원)",
                "이용시간_분": "1회 평균 이용 시간(분)",
                "CSI_잠재점수": "PLS 잠재변수 점수",
                "종합만족도": "전반적인 만족도",
                "D1": "요금 수준",
                "D2": "통화 품질",
                "D3": "고객센터",
                "D4": "부가 서비스",
            },
            variable_value_labels={c: KO5 for c in items},
            variable_measure={"ID": "nominal", "연령": "scale", "월평균이용금액": "scale"}
            | {"이용시간_분": "scale", "CSI_잠재점수": "scale"}
            | {c: "ordinal" for c in items},
        ),
    )


# --------------------------------------------------------------------------------------------
# 4. layout
# --------------------------------------------------------------------------------------------


def _ko_basic(rng: np.random.Generator, n: int, attrs: Sequence[str]) -> dict[str, list[Cell]]:
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"응답자ID": list(range(1, n + 1))}
    cols["성별"] = pick(rng, n, ["남", "여"])
    cols["추천의향"] = rate(rng, n, 0, 10, base=b, loc=0.7, sd=0.22)
    cols["종합만족도"] = rate(rng, n, 1, 5, base=b)
    for c in attrs:
        cols[c] = rate(rng, n, 1, 5, base=b, loc=0.62)
    return cols


@builder("l01_title_row.xlsx")
def _l01(rng: np.random.Generator) -> Case:
    cols = _ko_basic(rng, 120, ["친절성", "신속성", "정확성"])
    pre = [["2024년 하반기 고객만족도 조사 결과 (Raw Data)"]]
    return Case("", cols, lambda p: write_xlsx(p, cols, title="Raw", pre=pre))


@builder("l02_title_blank_notes_bom.csv")
def _l02(rng: np.random.Generator) -> Case:
    cols = _ko_basic(rng, 150, ["상품 구색", "매장 분위기", "계산 속도"])
    pre = [
        ["2024 매장 이용 고객 만족도 조사"],
        [],
        ["※ 만족도 문항: 1=매우 불만족 ~ 5=매우 만족 / 추천의향: 0~10점"],
    ]
    return Case("", cols, lambda p: write_csv(p, cols, encoding="utf-8-sig", pre=pre))


@builder("l03_title_blank_notes_en.xlsx")
def _l03(rng: np.random.Generator) -> Case:
    n = 160
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"Respondent": list(range(1, n + 1))}
    cols["Region"] = pick(rng, n, ["North", "South", "East", "West"])
    cols["Likelihood to recommend (0-10)"] = rate(rng, n, 0, 10, base=b, loc=0.7, sd=0.22)
    cols["Overall satisfaction"] = rate(rng, n, 1, 5, base=b)
    for c in ["Staff", "Speed", "Price"]:
        cols[c] = rate(rng, n, 1, 5, base=b)
    pre = [
        ["Customer Survey Q3 2024"],
        [],
        ["Note: ratings 1 = poor ... 5 = excellent; exported 2024-10-01"],
    ]
    return Case("", cols, lambda p: write_xlsx(p, cols, title="Export", pre=pre))


@builder("l04_merged_group.xlsx")
def _l04(rng: np.random.Generator) -> Case:
    n = 200
    cols = _ko_basic(rng, n, ["상품", "가격", "배송", "포장", "상담"])
    cols = {
        "응답자ID": cols["응답자ID"],
        "성별": cols["성별"],
        "연령대": pick(rng, n, ["20대", "30대", "40대", "50대 이상"]),
        "종합만족도": cols["종합만족도"],
        "추천의향": cols["추천의향"],
    } | {c: cols[c] for c in ["상품", "가격", "배송", "포장", "상담"]}
    pre = [["응답자 정보", None, None, "종합 평가", None, "세부 항목", None, None, None, None]]
    merges = ["A1:C1", "D1:E1", "F1:J1"]
    return Case("", cols, lambda p: write_xlsx(p, cols, title="결과", pre=pre, merges=merges))


@builder("l05_cover_sheet.xlsx")
def _l05(rng: np.random.Generator) -> Case:
    cols = _ko_basic(rng, 180, ["접근성", "시설", "직원 응대", "대기 시간"])
    cover = (
        "조사개요",
        [
            ["조사명", "2024년 공공서비스 고객만족도 조사"],
            ["조사 기간", "2024.09.01 ~ 2024.09.30"],
            ["표본 수", "180명"],
            ["조사 방법", "온라인 설문 (1:1 링크 발송)"],
            ["문의", "고객경험팀 02-000-0000"],
        ],
    )
    return Case("", cols, lambda p: write_xlsx(p, cols, title="응답 데이터", cover=cover))


def _long(rng: np.random.Generator, n: int, q: dict[str, tuple[int, int]]):
    b = rng.normal(size=n)
    wide: dict[str, list[Cell]] = {}
    for text, (lo, hi) in q.items():
        wide[text] = rate(rng, n, lo, hi, base=b, loc=0.7 if hi == 10 else 0.65, sd=0.22)
    return wide


@builder("l06_long_format.csv")
def _l06(rng: np.random.Generator) -> Case:
    n = 80
    q = {
        "Likelihood to recommend (0-10)": (0, 10),
        "Overall satisfaction (1-5)": (1, 5),
        "Staff (1-5)": (1, 5),
        "Price (1-5)": (1, 5),
    }
    wide = _long(rng, n, q)
    long: dict[str, list[Cell]] = {"respondent": [], "question": [], "answer": []}
    for i in range(n):
        for text in q:
            long["respondent"].append(f"P{i + 1:03d}")
            long["question"].append(text)
            long["answer"].append(wide[text][i])
    return Case("", wide, lambda p: write_csv(p, long))


@builder("l07_long_format_ko.xlsx")
def _l07(rng: np.random.Generator) -> Case:
    n = 90
    q = {"추천의향": (0, 10), "종합만족도": (1, 5), "친절성": (1, 5)}
    wide = _long(rng, n, q)
    long: dict[str, list[Cell]] = {"응답자": [], "문항": [], "응답": []}
    for i in range(n):
        for text in q:
            long["응답자"].append(i + 1)
            long["문항"].append(text)
            long["응답"].append(wide[text][i])
    return Case("", wide, lambda p: write_xlsx(p, long, title="long"))


# --------------------------------------------------------------------------------------------
# 5. roles
# --------------------------------------------------------------------------------------------


@builder("r01_nps_dirty_cp949.csv")
def _r01(rng: np.random.Generator) -> Case:
    n = 600
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"응답자ID": list(range(1, n + 1))}
    cols["성별"] = pick(rng, n, ["남", "여"])
    rec: list[Cell] = list(rate(rng, n, 0, 10, base=b, loc=0.7, sd=0.22))
    bad = rng.choice(inner(rec), size=5, replace=False)
    for i, v in zip(bad, [11, 12, -1, "모름", "모름"], strict=True):
        rec[int(i)] = v
    cols["추천의향"] = rec
    cols["종합만족도"] = rate(rng, n, 1, 5, base=b)
    for c in ["E1 품질", "E2 가격", "E3 서비스"]:
        cols[c] = rate(rng, n, 1, 5, base=b)
    return Case("", cols, lambda p: write_csv(p, cols, encoding="cp949"))


@builder("r02_variants_a_bom.csv")
def _r02(rng: np.random.Generator) -> Case:
    n = 200
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"응답자 ID": [f"R{i:04d}" for i in range(1, n + 1)]}
    cols["추천 의향"] = rate(rng, n, 0, 10, base=b, loc=0.7, sd=0.22)
    cols["종합 만족도"] = rate(rng, n, 1, 5, base=b)
    for c in ["상품 품질", "가격", "배송 속도"]:
        cols[c] = rate(rng, n, 1, 5, base=b)
    cols["기타 의견을 자유롭게 적어 주세요"] = comments(rng, n, KO_COMMENTS)
    return Case("", cols, lambda p: write_csv(p, cols, encoding="utf-8-sig"))


@builder("r03_variants_b.xlsx")
def _r03(rng: np.random.Generator) -> Case:
    n = 200
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"회원번호": list(range(100001, 100001 + n))}
    cols["회원등급"] = pick(rng, n, ["일반", "실버", "골드", "VIP"])
    cols["주변에 추천하실 의향"] = rate(rng, n, 0, 10, base=b, loc=0.7, sd=0.22)
    cols["전반적으로 저희 서비스에 얼마나 만족하십니까?"] = rate(rng, n, 1, 5, base=b)
    for c in ["앱 사용 편의성", "결제 과정", "고객 응대"]:
        cols[c] = rate(rng, n, 1, 5, base=b)
    cols["개선 사항"] = comments(rng, n, KO_COMMENTS)
    return Case("", cols, lambda p: write_xlsx(p, cols))


@builder("r04_variants_c_dupids_cp949.csv")
def _r04(rng: np.random.Generator) -> Case:
    n = 250
    b = rng.normal(size=n)
    ids = [f"C{20240000 + i}" for i in range(1, n + 1)]
    ids[120] = ids[37]  # two ids duplicated: their second copies must be excluded
    ids[201] = ids[88]
    cols: dict[str, list[Cell]] = {"고객번호": ids}
    cols["추천할 가능성"] = rate(rng, n, 0, 10, base=b, loc=0.7, sd=0.22)
    cols["종합 만족도"] = rate(rng, n, 1, 5, base=b)
    for c in ["요금", "통화 품질", "멤버십 혜택"]:
        cols[c] = rate(rng, n, 1, 5, base=b)
    cols["하고 싶은 말"] = comments(rng, n, KO_COMMENTS)
    cols["하고 싶은 말"][7] = "똠양꿍 메뉴가 있었으면 좋겠어요"  # CP949-only syllable (not EUC-KR)
    return Case("", cols, lambda p: write_csv(p, cols, encoding="cp949"))


@builder("r05_variants_en.csv")
def _r05(rng: np.random.Generator) -> Case:
    n = 220
    b = rng.normal(size=n)
    cols: dict[str, list[Cell]] = {"Respondent ID": list(range(5001, 5001 + n))}
    cols["Likelihood to recommend"] = rate(rng, n, 0, 10, base=b, loc=0.7, sd=0.22)
    cols["In general, I am satisfied"] = rate(rng, n, 1, 7, base=b)
    for c in ["The staff were helpful", "The website is easy to use", "Prices are fair"]:
        cols[c] = rate(rng, n, 1, 7, base=b)
    cols["Comments"] = comments(rng, n, EN_COMMENTS)
    return Case("", cols, lambda p: write_csv(p, cols))


@builder("r06_google_forms_ko.csv")
def _r06(rng: np.random.Generator) -> Case:
    n = 150
    b = rng.normal(size=n)
    start = dt.datetime(2024, 5, 3, 9, 0, 0)
    stamps = []
    for i in range(n):
        t = start + dt.timedelta(minutes=int(37 * i + rng.integers(0, 30)), seconds=int(i * 7 % 60))
        half = "오전" if t.hour < 12 else "오후"
        h12 = t.hour % 12 or 12
        stamps.append(f"{t.year}. {t.month}. {t.day} {half} {h12}:{t.minute:02d}:{t.second:02d}")
    cols: dict[str, list[Cell]] = {"타임스탬프": stamps}
    cols["저희 매장을 친구나 동료에게 추천할 가능성은 얼마나 되나요?"] = rate(
        rng, n, 0, 10, base=b, loc=0.7, sd=0.22
    )
    cols["전반적으로 저희 매장에 얼마나 만족하십니까?"] = rate(rng, n, 1, 5, base=b)
    for c in [
        "직원의 친절도는 어떠셨나요?",
        "매장의 청결 상태는 어떠셨나요?",
        "대기 시간은 적절했나요?",
    ]:
        cols[c] = rate(rng, n, 1, 5, base=b)
    cols["방문 목적을 선택해 주세요."] = pick(rng, n, ["식사", "포장", "모임", "기타"])
    cols["개선할 점이 있다면 자유롭게 적어 주세요."] = comments(rng, n, KO_COMMENTS)
    return Case("", cols, lambda p: write_csv(p, cols, final_newline=False))


# --------------------------------------------------------------------------------------------


def build(name: str) -> Case:
    """The case for one file name (regenerated from its seed; nothing is written)."""
    return BUILDERS[name]()


def main(out: Path = HERE) -> None:
    for name, make in BUILDERS.items():
        make().write(out / name)
    print(f"wrote {len(BUILDERS)} files to {out}", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
