"""Look inside a workbook's zip package before the native reader does.

calamine (through fastexcel) trusts what a package says: a ``uniqueCount`` of four billion
shared strings is reserved up front (the process aborts), a sheet whose cells span A1 to
XFD1048576 becomes one 512 GB block (abort), a part that inflates to gigabytes is inflated.
:func:`inspect` refuses such packages with a message before fastexcel sees them, reading
only the zip directory and the first element of the shared strings; :meth:`Package.sheet`
reads a sheet's head (its ``<dimension>``) and scans its cells only when that is cheap
(a small sheet) or needed (a declared block too big or too wide).

What is checked, and the limits (see :mod:`csitool.io.limits`):

- every part: uncompressed size at most ``CSITOOL_MAX_SHEET_MB``; compression ratio at most
  ``CSITOOL_MAX_RATIO`` for parts over 4 MB; a directory entry whose compressed data is
  larger than its declared size is a lie (deflate never grows data by more than a little);
- shared strings: ``count``/``uniqueCount`` that cannot fit in the part's size (each string
  takes at least the 5 bytes of ``<si/>``);
- a sheet: the block its value cells span (rows x columns) at most ``CSITOOL_MAX_CELLS``.
  The declared ``<dimension>`` is trusted for sheets over 2 MB that declare a small block;
  smaller sheets, and sheets that declare a big or very wide block, are scanned (a stray
  formatted cell at XFD1048576 widens the dimension without costing memory, a stray value
  does). Sheets over 2 MB without a ``<dimension>`` (openpyxl's write-only mode) are not
  scanned: that would cost a third of the read.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from csitool.errors import InputError
from csitool.io.limits import ENV, RATIO_FLOOR_BYTES, Limits, megabytes

SCAN_BYTES = 2 << 20
"""Sheets up to this size (uncompressed) have their cells scanned: about 0.05 s per MB."""
WIDE_COLUMNS = 1024
"""A sheet spanning more columns than this is read with its trailing blank columns cut."""
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_START = re.compile(rb"<(?:\w+:)?c[\s/>]")
# Searches with a literal head (fast): a row number of 5+ digits, a column of three letters.
# Neither, and every cell carrying r= (counted with bytes.count): every cell lies within rows
# 1-9,999 and columns A-ZZ.
_FAR_ROW = re.compile(rb'r="[A-Z]{1,3}[0-9]{5}')
_FAR_COLUMN = re.compile(rb'r="[A-Z]{3}[0-9]')
SMALL_BOUND = (9_999, 702)  # rows, columns (ZZ)


def _certainly_small(data: bytes) -> bool:
    """Every cell has r= and none lies beyond row 9,999 or column ZZ (a plain-namespace
    sheet; anything else goes the exact way)."""
    cells = data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>")
    refs = data.count(b' r="') - data.count(b"<row ")
    if cells == 0 or cells != refs or b"<row>" in data:
        return False
    return not (_FAR_ROW.search(data) or _FAR_COLUMN.search(data))


_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_FIX = "open it in Excel (or LibreOffice) and save a copy, then read the copy"


def column_index(letters: str) -> int:
    """1-based column number of ``A``..``XFD``."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def parse_ref(ref: str) -> tuple[int, int] | None:
    """``B7`` -> (row 7, column 2); None when it is not a cell reference."""
    m = _REF.match(ref.strip())
    if not m:
        return None
    return int(m.group(2)), column_index(m.group(1))


@dataclass(frozen=True)
class Block:
    """Rows ``top..bottom`` and columns ``left..right`` (1-based, inclusive)."""

    top: int
    left: int
    bottom: int
    right: int

    @property
    def rows(self) -> int:
        return self.bottom - self.top + 1

    @property
    def columns(self) -> int:
        return self.right - self.left + 1

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def __str__(self) -> str:
        return f"{column_letters(self.left)}{self.top}:{column_letters(self.right)}{self.bottom}"


@dataclass(frozen=True)
class SheetFacts:
    """What the package says about one sheet: its zip member, its declared block, the block
    its value cells really span (when scanned) and the cell farthest out."""

    member: str | None
    declared: Block | None = None
    cells: Block | None = None
    farthest: str | None = None

    @property
    def width(self) -> int | None:
        block = self.cells or self.declared
        return block.right if block else None

    @property
    def wide(self) -> bool:
        return (self.width or 0) > WIDE_COLUMNS


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


class Package:
    """An open workbook package whose parts passed :func:`inspect`."""

    def __init__(self, zf: zipfile.ZipFile, source: str, limits: Limits) -> None:
        self.zf = zf
        self.source = source
        self.limits = limits
        self.sizes = {i.filename: i.file_size for i in zf.infolist()}

    def close(self) -> None:
        self.zf.close()

    def member(self, sheet_name: str) -> str | None:
        """The zip member holding ``sheet_name``'s cells (workbook.xml and its rels)."""
        from xml.etree import ElementTree

        try:
            workbook = ElementTree.fromstring(self.zf.read("xl/workbook.xml"))
            rid = None
            for el in workbook.iter():
                if _local(el.tag) == "sheet" and el.get("name") == sheet_name:
                    rid = el.get(f"{{{_RELS_NS}}}id") or el.get("id")
                    break
            if rid is None:
                return None
            rels = ElementTree.fromstring(self.zf.read("xl/_rels/workbook.xml.rels"))
        except (KeyError, ElementTree.ParseError, ValueError):
            return None
        for el in rels.iter():
            if _local(el.tag) == "Relationship" and el.get("Id") == rid:
                target = el.get("Target") or ""
                name = target.lstrip("/") if target.startswith("/") else "xl/" + target
                return name if name in self.sizes else None
        return None

    def sheet(self, sheet_name: str) -> SheetFacts:
        """Facts about one sheet; refuses (InputError) a sheet whose cells span a block
        bigger than ``CSITOOL_MAX_CELLS``."""
        member = self.member(sheet_name)
        if member is None:
            return SheetFacts(None)
        declared = self._dimension(member)
        size = self.sizes[member]
        needed = declared is not None and (
            declared.cells > self.limits.cells or declared.columns > WIDE_COLUMNS
        )
        if size > SCAN_BYTES and not needed:
            return SheetFacts(member, declared)
        if not needed:
            quick = self._quick_block(member)
            if quick is not None and quick.cells <= self.limits.cells:
                return SheetFacts(member, declared, quick)
        block, farthest = self._scan(member)
        facts = SheetFacts(member, declared, block, farthest)
        if block is not None and block.cells > self.limits.cells:
            raise InputError(
                f"Error: {self.source}: the cells of sheet {sheet_name!r} span {block} "
                f"({block.rows:,} rows x {block.columns:,} columns), more than the "
                f"{self.limits.cells:,} cells csitool reads: cell {farthest} holds a value far "
                "from the table. Delete the rows and columns after the data (or clear that "
                f"cell) and save a copy. To read it anyway, raise {ENV['cells']} "
                f"(it needs about {block.cells * 32 // (1 << 30) + 1} GB of memory)."
            )
        return facts

    def _dimension(self, member: str) -> Block | None:
        """The ``<dimension ref>`` at the head of a sheet (read until ``<sheetData>``)."""
        from xml.etree import ElementTree

        try:
            with self.zf.open(member) as fh:
                for _event, el in ElementTree.iterparse(fh, events=("start",)):
                    name = _local(el.tag)
                    if name == "dimension":
                        return _block(el.get("ref") or "")
                    if name == "sheetData":
                        return None
        except (ElementTree.ParseError, OSError, zipfile.BadZipFile, ValueError, EOFError):
            return None
        return None

    def _quick_block(self, member: str) -> Block | None:
        """The block spanned by every cell reference (``r="B7"``), empty cells included, at
        C speed: a bound on the block of value cells. None when some cell has no ``r`` (its
        place follows the cell before it) or the part cannot be read: then :meth:`_scan`.

        A filter ahead of the expat scan (which costs 10x the read of a small sheet), not a
        parser: it decides only that a sheet is certainly small enough."""
        try:
            data = self.zf.read(member)
        except (OSError, zipfile.BadZipFile, ValueError, EOFError, KeyError):
            return None
        if _certainly_small(data):
            # certainly small: a bound, not the block (its width only decides "wide", and
            # 702 columns is not wide)
            return Block(1, 1, *SMALL_BOUND)
        refs = _CELL_REF.findall(data)
        if not refs or len(refs) != len(_CELL_START.findall(data)):
            return None
        rows = [int(r) for _, r in refs]
        letters = {c for c, _ in refs}
        columns = [column_index(c.decode()) for c in letters]
        return Block(min(rows), min(columns), max(rows), max(columns))

    def _scan(self, member: str) -> tuple[Block | None, str | None]:
        """The block spanned by cells holding a value (``<v>`` or ``<is>``), streaming the
        sheet through expat; cells and rows without ``r`` follow the one before."""
        from xml.parsers import expat

        state = {"row": 0, "col": 0, "valued": False}
        box = [0, 0, 0, 0]  # top, left, bottom, right
        far = {"row": (0, ""), "col": (0, "")}

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = name.rsplit(" ", 1)[-1]
            if tag == "c":
                ref = parse_ref(attrs.get("r", "")) if "r" in attrs else None
                if ref is not None:
                    state["row"], state["col"] = ref
                else:
                    state["col"] += 1
            elif tag == "row":
                r = attrs.get("r", "")
                state["row"] = int(r) if r.isdigit() else state["row"] + 1
                state["col"] = 0
            elif tag in ("v", "is") and state["row"]:
                row, col = state["row"], state["col"]
                if not box[0]:
                    box[:] = [row, col, row, col]
                else:
                    box[0], box[1] = min(box[0], row), min(box[1], col)
                    box[2], box[3] = max(box[2], row), max(box[3], col)
                if row >= far["row"][0]:
                    far["row"] = (row, f"{column_letters(col)}{row}")
                if col >= far["col"][0]:
                    far["col"] = (col, f"{column_letters(col)}{row}")

        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = start
        try:
            with self.zf.open(member) as fh:
                while chunk := fh.read(1 << 16):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except (expat.ExpatError, OSError, zipfile.BadZipFile, ValueError, EOFError):
            pass  # a malformed sheet: the reader's own error says so
        if not box[0]:
            return None, None
        block = Block(*box)
        # name the cell that makes the block big: the farther out of the two extremes
        by_rows = far["row"][0] / MAX_ROWS >= far["col"][0] / MAX_COLUMNS
        return block, (far["row"] if by_rows else far["col"])[1]


def _block(ref: str) -> Block | None:
    parts = ref.split(":")
    ends = [parse_ref(p) for p in parts[:2]]
    if not ends or any(e is None for e in ends):
        return None
    (r1, c1), (r2, c2) = ends[0], ends[-1]  # type: ignore[misc]
    return Block(min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


def inspect(data: Path | bytes, source: str, limits: Limits) -> Package | None:
    """Check a workbook package's directory and shared strings; return it open, or None
    when it is not a readable zip (the spreadsheet reader then says what is wrong)."""
    handle: Any = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        zf = zipfile.ZipFile(handle)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None
    try:
        for info in infos:
            _check_member(info, source, limits)
        _check_shared_strings(zf, infos, source)
    except BaseException:
        zf.close()
        raise
    return Package(zf, source, limits)


def _check_member(info: zipfile.ZipInfo, source: str, limits: Limits) -> None:
    size, packed = info.file_size, info.compress_size
    part = f"part {info.filename!r}"
    if size > limits.sheet_bytes:
        raise InputError(
            f"Error: {source}: {part} holds {megabytes(size)} uncompressed, "
            f"over the {megabytes(limits.sheet_bytes)} csitool reads from one part (a sheet "
            "of 200,000 answers x 60 questions is about 170 MB). If it is a real export, "
            f"export fewer columns, or raise {ENV['sheet_bytes']} (e.g. "
            f"{ENV['sheet_bytes']}={size // (1 << 20) + 100}); else {_FIX}."
        )
    if size >= RATIO_FLOOR_BYTES and packed and size / packed > limits.ratio:
        raise InputError(
            f"Error: {source}: {part} compresses {size / packed:,.0f}:1 "
            f"({megabytes(packed)} -> {megabytes(size)}), over the {limits.ratio:,.0f}:1 "
            "csitool accepts (real sheets compress 5-20:1; this looks like a zip bomb or a "
            "sheet formatted down to its last row). Delete the empty rows and columns after "
            "the data in Excel (or LibreOffice) and save a copy, or raise "
            f"{ENV['ratio']} to read it anyway."
        )
    if info.compress_type != zipfile.ZIP_STORED and packed > size + size // 1000 + 1024:
        raise InputError(
            f"Error: {source}: the zip directory says {part} holds "
            f"{megabytes(size)} but its compressed data is {megabytes(packed)}: the file is "
            f"damaged or crafted. Download or export it again, or {_FIX}."
        )


def _check_shared_strings(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], source: str) -> None:
    from xml.etree import ElementTree

    for info in infos:
        if not info.filename.lower().endswith("sharedstrings.xml"):
            continue
        most = info.file_size // 5 + 16  # each string is at least <si/>
        try:
            with zf.open(info) as fh:
                attrs = _first_element(fh)
        except (ElementTree.ParseError, OSError, zipfile.BadZipFile, ValueError, EOFError):
            continue  # malformed: the reader says so
        # count (references to the strings) may exceed the part's size; uniqueCount may not
        for key in ("uniqueCount",):
            text = (attrs.get(key) or "").strip()
            if not text:
                continue
            if not text.isdigit() or int(text) > most:
                raise InputError(
                    f"Error: {source}: its shared strings declare {key}={text[:24]} but their "
                    f"part ({megabytes(info.file_size)}) holds at most {most:,} strings: the "
                    f"file is damaged or crafted. {_FIX[0].upper() + _FIX[1:]}."
                )


def _first_element(fh: IO[bytes]) -> dict[str, str]:
    from xml.etree import ElementTree

    for _event, el in ElementTree.iterparse(fh, events=("start",)):
        return dict(el.attrib)
    return {}
