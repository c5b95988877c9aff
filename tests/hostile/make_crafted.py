"""Crafted hostile inputs, written at test time (nothing here is committed as a file).

Each ``make_*`` function writes one file into ``folder`` and returns its path. The xlsx
cases are raw zip packages built from XML strings with :mod:`zipfile` (or, for the bombs,
from a precomputed deflate stream), so each is a few kilobytes however large it claims or
decompresses to. ``python tests/hostile/make_crafted.py FOLDER`` writes them all.

The cases come from a bad-input campaign (issue 14): each one crashed, hung or exhausted
memory before the package inspection of :mod:`csitool.io.package` existed.
"""

from __future__ import annotations

import os
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
PKG = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'{XML_DECL}<Types xmlns="{PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{ML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ML}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ML}.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'{XML_DECL}<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'{XML_DECL}<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'{XML_DECL}<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_OPEN = f'{XML_DECL}<worksheet xmlns="{MAIN}">'
SHEET_MEMBER = "xl/worksheets/sheet1.xml"
HEADER = ["id", "nps", "overall_sat", "q1_staff", "q2_price"]


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, 16383 -> XFD."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def survey_rows(n: int = 40) -> list[list[object]]:
    """A small plausible survey: header + ``n`` respondents (deterministic)."""
    rows: list[list[object]] = [list(HEADER)]
    for i in range(1, n + 1):
        rows.append([i, (i * 7) % 11, 1 + (i * 3) % 5, 1 + (i * 2) % 5, 1 + i % 5])
    return rows


def _cell(ref: str, value: object) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(
    rows: Sequence[Sequence[object]], *, dimension: str | None = None, extra: str = ""
) -> str:
    """A worksheet with ``rows`` from A1, an optional ``<dimension ref>`` and extra
    ``<row>`` XML appended inside ``<sheetData>``."""
    body = []
    for r, row in enumerate(rows, 1):
        cells = "".join(_cell(f"{column_letters(c)}{r}", v) for c, v in enumerate(row))
        body.append(f'<row r="{r}">{cells}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return SHEET_OPEN + dim + "<sheetData>" + "".join(body) + extra + "</sheetData></worksheet>"


def shared_strings(strings: Sequence[str], count: str | None, unique: str | None) -> str:
    attrs = (f' count="{count}"' if count else "") + (f' uniqueCount="{unique}"' if unique else "")
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return f'{XML_DECL}<sst xmlns="{MAIN}"{attrs}>{items}</sst>'


def write_xlsx(path: Path, sheet: str, strings: str | None = None) -> Path:
    """A minimal xlsx package around one worksheet's XML."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr(SHEET_MEMBER, sheet)
        zf.writestr("xl/sharedStrings.xml", strings or shared_strings([], "0", "0"))
    return path


# ---------------------------------------------------------------- the xlsx cases


def make_good_xlsx(folder: Path, name: str = "good.xlsx") -> Path:
    rows = survey_rows()
    return write_xlsx(folder / name, sheet_xml(rows, dimension=f"A1:E{len(rows)}"))


def make_stray_cell_value(folder: Path) -> Path:
    """A real table plus one cell holding a value at XFD1048576 (Excel's last cell)."""
    rows = survey_rows()
    extra = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return write_xlsx(
        folder / "stray_cell_value.xlsx", sheet_xml(rows, dimension="A1:XFD1048576", extra=extra)
    )


def make_stray_cell_styled(folder: Path) -> Path:
    """A real table plus one formatted but empty cell at XFD1048576."""
    rows = survey_rows()
    extra = '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    return write_xlsx(
        folder / "stray_cell_styled.xlsx", sheet_xml(rows, dimension="A1:XFD1048576", extra=extra)
    )


def make_dimension_only(folder: Path) -> Path:
    """A real table whose ``<dimension ref>`` claims the whole grid."""
    return write_xlsx(
        folder / "dimension_only.xlsx", sheet_xml(survey_rows(), dimension="A1:XFD1048576")
    )


def make_far_cell_undeclared(folder: Path) -> Path:
    """A sheet over 2 MB (3 MB of blank formatted rows) with no ``<dimension>`` and one value
    at XFD1048576. The package inspection trusts big sheets without scanning them, so this
    one still reaches the reader, which aborts: it exercises the batch's crash isolation."""
    row = b'<row r="45"><c r="A45" s="1"/></row>'
    head = _open_sheet(40)
    tail = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' + CLOSE_SHEET
    stream, crc, size = _stream(head, row * ((1 << 20) // len(row)), 3, tail)
    path = folder / "far_cell_undeclared.xlsx"
    path.write_bytes(_package_with_sheet(stream, crc, size))
    return path


def make_unique_count(folder: Path, value: str = "4294967295", name: str = "") -> Path:
    """sharedStrings whose ``uniqueCount`` (and ``count``) claim billions of strings."""
    rows = survey_rows()
    cells = []
    for r, row in enumerate(rows, 1):
        parts = []
        for c, v in enumerate(row):
            ref = f"{column_letters(c)}{r}"
            if r == 1:
                parts.append(f'<c r="{ref}" t="s"><v>{c}</v></c>')
            else:
                parts.append(f'<c r="{ref}"><v>{v}</v></c>')
        cells.append(f'<row r="{r}">{"".join(parts)}</row>')
    sheet = SHEET_OPEN + "<sheetData>" + "".join(cells) + "</sheetData></worksheet>"
    strings = shared_strings(HEADER, value, value)
    return write_xlsx(folder / (name or f"unique_count_{len(value)}.xlsx"), sheet, strings)


def make_unique_count_huge(folder: Path) -> Path:
    return make_unique_count(folder, "18446744073709551615", "unique_count_u64.xlsx")


def make_blank_columns_xlsx(folder: Path, columns: int = 16_000) -> Path:
    """A header row of 5 names then thousands of blank-but-present header cells, and a
    few data rows (a sheet someone formatted to the right edge)."""
    rows = survey_rows(20)
    blanks = "".join(
        f'<c r="{column_letters(c)}1" t="inlineStr"><is><t></t></is></c>' for c in range(5, columns)
    )
    sheet = sheet_xml(rows, dimension=f"A1:{column_letters(columns - 1)}21")
    sheet = sheet.replace("</c></row>", "</c>" + blanks + "</row>", 1)
    return write_xlsx(folder / "blank_columns.xlsx", sheet)


def _raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip file from (name, raw deflate data, crc, uncompressed size, method) entries.

    Sizes must fit 32 bits (no ZIP64)."""
    local = bytearray()
    central = bytearray()
    for name, data, crc, size, method in members:
        offset = len(local)
        encoded = name.encode()
        local += struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(encoded),
            0,
        )
        local += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size,
            len(encoded), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += encoded
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0
    )
    return bytes(local + central + end)


def _package_with_sheet(stream: bytes, crc: int, size: int) -> bytes:
    members = []
    for name, text in (
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/sharedStrings.xml", shared_strings([], "0", "0")),
    ):
        raw = text.encode()
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        data = comp.compress(raw) + comp.flush()
        members.append((name, data, zlib.crc32(raw), len(raw), 8))
    members.append((SHEET_MEMBER, stream, crc, size, 8))
    return _raw_zip(members)


def make_bomb(folder: Path, megabytes: int = 300, name: str = "bomb.xlsx") -> Path:
    """A sheet that inflates to ``megabytes`` MB (its zip entry says so truthfully)."""
    stream, crc, size = _sheet_stream(megabytes)
    path = folder / name
    path.write_bytes(_package_with_sheet(stream, crc, size))
    return path


def make_bomb_lying(folder: Path, megabytes: int = 300) -> Path:
    """The same bomb, but its zip entry claims the sheet is 4 KB uncompressed."""
    stream, crc, _size = _sheet_stream(megabytes)
    path = folder / "bomb_lying.xlsx"
    path.write_bytes(_package_with_sheet(stream, crc, 4096))
    return path


def make_ratio(folder: Path) -> Path:
    """A sheet of 40 MB that compresses over 1000:1 (under the size limit, over the ratio)."""
    stream, crc, size = _sheet_stream(40)
    path = folder / "ratio.xlsx"
    path.write_bytes(_package_with_sheet(stream, crc, size))
    return path


def _stream(head: bytes, unit: bytes, copies: int, tail: bytes) -> tuple[bytes, int, int]:
    """One raw deflate stream of ``head + unit * copies + tail`` built by compressing
    ``unit`` once: a full flush resets the dictionary, so every copy compresses to the same
    bytes and the stream costs milliseconds however large it inflates. Returns the stream,
    its CRC-32 and its inflated size."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)]
    blocks = [comp.compress(unit) + comp.flush(zlib.Z_FULL_FLUSH) for _ in range(min(copies, 3))]
    if copies > 3 and blocks[1] != blocks[2]:
        raise RuntimeError("deflate blocks differ")  # pragma: no cover - zlib is deterministic
    parts.extend(blocks[:2])
    parts.append(blocks[-1] * (copies - 2) if copies > 2 else b"")
    parts.append(comp.compress(tail) + comp.flush(zlib.Z_FINISH))
    crc = zlib.crc32(head)
    for _ in range(copies):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(tail, crc)
    return b"".join(parts), crc, len(head) + len(unit) * copies + len(tail)


def _open_sheet(rows: int) -> bytes:
    """A worksheet's XML up to (not including) ``</sheetData>``, with ``rows`` respondents."""
    head = sheet_xml(survey_rows(rows)).encode()
    return head[: head.index(b"</sheetData>")]


CLOSE_SHEET = b"</sheetData></worksheet>"


def _sheet_stream(megabytes: int) -> tuple[bytes, int, int]:
    """A real header and rows, then ``megabytes`` MB of formatted empty rows."""
    row = b'<row r="12"><c r="A12" s="1"/></row>'
    unit = row * ((1 << 20) // len(row))
    return _stream(_open_sheet(10), unit, megabytes, CLOSE_SHEET)


def make_huge_string(folder: Path, megabytes: int = 300) -> Path:
    """One inline-string cell of ``megabytes`` MB of 'A' (built the same cheap way)."""
    head = _open_sheet(5) + b'<row r="7"><c r="A7" t="inlineStr"><is><t>'
    tail = b"</t></is></c></row>" + CLOSE_SHEET
    stream, crc, size = _stream(head, b"A" * (1 << 20), megabytes, tail)
    path = folder / "huge_string.xlsx"
    path.write_bytes(_package_with_sheet(stream, crc, size))
    return path


def make_blank_grid(folder: Path, rows: int = 1_000_000, columns: int = 60) -> Path:
    """A real table, then about ``rows`` rows x ``columns`` columns of formatted blank cells
    (a sheet formatted down to row 1,000,000). The rows carry no ``r`` attribute (allowed:
    each row then follows the one before), so one compressed block serves them all."""
    row = b"<row>" + b'<c s="1"/>' * columns + b"</row>"
    per_unit = max(1, (1 << 20) // len(row))
    stream, crc, size = _stream(_open_sheet(10), row * per_unit, rows // per_unit, CLOSE_SHEET)
    path = folder / "blank_grid.xlsx"
    path.write_bytes(_package_with_sheet(stream, crc, size))
    return path


# ---------------------------------------------------------------- text cases


def good_csv_text(n: int = 40) -> str:
    return "\n".join(",".join(str(v) for v in row) for row in survey_rows(n)) + "\n"


def make_good_csv(folder: Path, name: str = "good.csv") -> Path:
    path = folder / name
    path.write_text(good_csv_text(), encoding="utf-8")
    return path


def make_blank_columns_csv(folder: Path, columns: int = 16_384) -> Path:
    """A header of 5 names followed by thousands of empty names (a trailing comma run)."""
    pad = "," * (columns - len(HEADER))
    lines = [",".join(HEADER) + pad]
    for row in survey_rows(30)[1:]:
        lines.append(",".join(str(v) for v in row) + pad)
    path = folder / "blank_columns.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_long_line_csv(folder: Path, megabytes: int = 100) -> Path:
    """A header, a few rows, then one line of ``megabytes`` MB without a newline."""
    path = folder / "long_line.csv"
    with path.open("wb") as fh:
        fh.write(good_csv_text(5).encode())
        fh.write(b"6,")
        chunk = b"x" * (1 << 20)
        for _ in range(megabytes):
            fh.write(chunk)
        fh.write(b",3,4,5\n")
    return path


def make_mixed_cp949(folder: Path) -> Path:
    """A UTF-8 export with Korean text where one cell was pasted in as CP949 bytes."""
    lines = ["id,지점,nps,overall_sat,q1_staff,의견"]
    for i in range(1, 41):
        lines.append(f"{i},강남,{(i * 7) % 11},{1 + (i * 3) % 5},{1 + (i * 2) % 5},좋아요 {i}")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    bad = "만족합니다".encode("cp949")
    data = data.replace("좋아요 17".encode(), bad)
    path = folder / "mixed_cp949.csv"
    path.write_bytes(data)
    return path


def make_utf16_nobom(folder: Path, big_endian: bool = False) -> Path:
    text = good_csv_text().replace(",", "\t")
    codec = "utf-16-be" if big_endian else "utf-16-le"
    path = folder / f"utf16_{'be' if big_endian else 'le'}_nobom.txt"
    path.write_bytes(text.encode(codec))
    return path


def make_utf16_nobom_be(folder: Path) -> Path:
    return make_utf16_nobom(folder, big_endian=True)


def make_utf16_nobom_korean(folder: Path) -> Path:
    """UTF-16 LE without a BOM, with Korean headers (few NUL bytes: Hangul's high bytes are
    not 0)."""
    lines = ["번호\t지점\t추천의향\t전반만족\t직원친절"]
    for i in range(1, 41):
        lines.append(f"{i}\t강남\t{(i * 7) % 11}\t{1 + (i * 3) % 5}\t{1 + (i * 2) % 5}")
    path = folder / "utf16_korean_nobom.txt"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-16-le"))
    return path


CASES: dict[str, Callable[[Path], Path]] = {
    "stray_cell_value": make_stray_cell_value,
    "stray_cell_styled": make_stray_cell_styled,
    "dimension_only": make_dimension_only,
    "unique_count_u32": make_unique_count,
    "unique_count_u64": make_unique_count_huge,
    "blank_columns_xlsx": make_blank_columns_xlsx,
    "bomb": make_bomb,
    "bomb_lying": make_bomb_lying,
    "ratio": make_ratio,
    "huge_string": make_huge_string,
    "blank_grid": make_blank_grid,
    "blank_columns_csv": make_blank_columns_csv,
    "long_line_csv": make_long_line_csv,
    "mixed_cp949": make_mixed_cp949,
    "utf16_le_nobom": make_utf16_nobom,
    "utf16_be_nobom": make_utf16_nobom_be,
    "utf16_korean_nobom": make_utf16_nobom_korean,
}


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path.cwd()
    folder.mkdir(parents=True, exist_ok=True)
    for name, make in CASES.items():
        path = make(folder)
        print(f"{name}: {path} ({os.path.getsize(path):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
