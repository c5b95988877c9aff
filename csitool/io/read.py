"""Read a survey export into a :class:`RawTable`.

Spreadsheets (.xlsx, .xlsm, .xls, .ods) are read with fastexcel, a Rust (calamine) reader
that is 10-20x faster than pandas' openpyxl engine. Text files (.csv, .tsv, .txt) have their
encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM, CP949/EUC-KR, ...) and delimiter detected,
then are parsed by pandas. ``-`` reads standard input.

Every failure becomes an :class:`~csitool.errors.InputError` whose message names the file
and the fix.
"""

from __future__ import annotations

import codecs
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csitool.errors import InputError
from csitool.notes import to_json

if TYPE_CHECKING:
    import pandas as pd

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAMPLE_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t", "|")


@dataclass
class RawTable:
    """A table as read from the file, before any interpretation.

    ``frame`` has unique, non-empty column names. Data row ``i`` (0-based position in
    ``frame``) is row ``first_data_row + i`` of the source file as a spreadsheet program
    shows it (header rows counted, 1-based).
    """

    frame: pd.DataFrame
    source: str
    kind: str
    format: str
    first_data_row: int = 2
    header_rows: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    layout: str = "plain"
    labels: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    row_status: Any = None
    dont_know: dict[str, set[float]] = field(default_factory=dict)
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)
    measure: dict[str, str] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    def describe(self) -> dict[str, Any]:
        """Plain facts about how the file was read (for ``inspect`` and JSON)."""
        return {
            "format": self.format,
            "layout": self.layout,
            "kind": self.kind,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "sheets": self.sheets,
            "header_rows": self.header_rows,
            "first_data_row": self.first_data_row,
            "rows": self.n_rows,
            "columns": len(self.frame.columns),
            "notes": to_json(self.notes),
        }


def read_table(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    hint: str | None = None,
) -> RawTable:
    """Read ``path`` (or ``"-"`` for standard input) into a :class:`RawTable`.

    Parameters
    ----------
    path:
        The survey export. Its kind is taken from the suffix, or sniffed from the bytes.
    sheet:
        Spreadsheets only: a sheet name, or a 1-based sheet number. Default: the first
        sheet that holds data.
    encoding:
        Text files only: force this encoding instead of detecting it.
    hint:
        Force a platform layout (see :mod:`csitool.io.layouts`) instead of detecting it.
    """
    from csitool.io import layouts

    if hint is not None and hint not in layouts.LAYOUTS:
        raise InputError(
            f"Error: unknown --format-hint {hint!r}; use one of {', '.join(layouts.LAYOUTS)}."
        )
    raw = _read_any(path, sheet, encoding, hint)
    return raw


def _read_any(
    path: str | Path, sheet: str | int | None, encoding: str | None, hint: str | None
) -> RawTable:
    source = str(path)
    if source == "-":
        data = sys.stdin.buffer.read()
        return _read_text(io.BytesIO(data), data[:SAMPLE_BYTES], "<stdin>", encoding, ".csv", hint)
    p = Path(path)
    if not p.exists():
        raise InputError(
            f"Error: {source}: no such file. Check the path and the working directory."
        )
    if p.is_dir():
        raise InputError(f"Error: {source} is a folder, not a survey file. Name a file inside it.")
    try:
        with p.open("rb") as fh:
            head = fh.read(SAMPLE_BYTES)
    except OSError as exc:
        raise InputError(
            f"Error: cannot open {source}: {exc.strerror}. Check its permissions."
        ) from exc
    if not head:
        raise InputError(f"Error: {source} is empty (0 bytes). Export the survey again.")
    suffix = p.suffix.lower()
    if suffix in (".sav", ".zsav") or hint == "spss":
        from csitool.io.spss import read_spss

        return read_spss(p)
    if suffix in SPREADSHEET_SUFFIXES or (
        suffix not in TEXT_SUFFIXES and (head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC))
    ):
        return _read_spreadsheet(p, head, sheet, hint)
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        raise InputError(
            f"Error: {source} looks like an Excel workbook, not text. Rename it to .xlsx (or .xls)."
        )
    return _read_text(p, head, source, encoding, suffix, hint)


def _finish(raw: RawTable, headers: list[str], hint: str | None, unnamed: str) -> RawTable:
    """Recognise the platform layout and give the table its final column names."""
    from csitool.io import layouts

    name = layouts.detect(headers, raw.frame, hint)
    if name == "plain":
        raw.frame.columns = _clean_names(headers, unnamed_prefix=unnamed)
        return raw
    frame, lay = layouts.apply(name, headers, raw.frame, raw.source, raw.kind)
    clean = _clean_names(lay.names, unnamed_prefix=unnamed)
    mapping = dict(zip(lay.names, clean, strict=True))
    frame.columns = clean
    raw.frame = frame
    raw.layout = name
    raw.format = lay.format
    raw.header_rows += lay.extra_header_rows
    raw.first_data_row += lay.extra_header_rows
    raw.labels = {mapping.get(k, k): v for k, v in lay.labels.items()}
    raw.meta = {mapping.get(k, k): v for k, v in lay.meta.items()}
    raw.row_status = layouts.status_array(lay, len(frame))
    raw.notes.extend(lay.notes)
    return raw


# ---------------------------------------------------------------- spreadsheets


def _read_spreadsheet(
    p: Path, head: bytes, sheet: str | int | None, hint: str | None = None
) -> RawTable:
    import fastexcel

    source = str(p)
    suffix = p.suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".ods"} and head.startswith(OLE_MAGIC):
        raise InputError(
            f"Error: {source} is password-protected (encrypted). Open it in Excel, remove the "
            "password (File > Info > Protect Workbook > Encrypt with Password), save, and retry."
        )
    if not (head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC)):
        raise InputError(
            f"Error: {source} is not a spreadsheet (no Excel or OpenDocument signature). "
            "If it is a CSV or text export, rename it to .csv."
        )
    try:
        reader = fastexcel.read_excel(str(p))
        names = list(reader.sheet_names)
    except Exception as exc:  # fastexcel raises several unrelated types for bad files
        raise InputError(
            f"Error: cannot read {source} as a spreadsheet ({_short(exc)}). The file is corrupt "
            "or truncated: export or download it again, or open it in Excel and save a copy."
        ) from exc
    if not names:
        raise InputError(f"Error: {source} has no sheets. Export the survey again.")

    def load(name: str) -> Any:
        try:
            return reader.load_sheet(name, schema_sample_rows=None)
        except Exception as exc:
            raise InputError(
                f"Error: cannot read sheet {name!r} of {source} ({_short(exc)}). "
                "Open it in Excel and save a copy, or choose another sheet with --sheet."
            ) from exc

    notes: list[str] = []
    if sheet is not None:
        name = _pick_sheet(names, sheet, source)
        loaded = load(name)
        if loaded.width == 0:
            raise InputError(
                f"Error: sheet {name!r} of {source} is empty. Sheets: {', '.join(names)}."
            )
    else:
        loaded = None
        for candidate in names:
            trial = load(candidate)
            if trial.width > 0:
                name, loaded = candidate, trial
                break
        if loaded is None:
            raise InputError(
                f"Error: every sheet of {source} is empty ({', '.join(names)}). "
                "Export the survey again."
            )
        if name != names[0]:
            notes.append(f"sheet {name!r} used: the sheets before it are empty")
    frame = loaded.to_pandas()
    if len(frame) == 0:
        raise InputError(
            f"Error: sheet {name!r} of {source} has a header row but no data rows. "
            "Export the survey with its responses."
        )
    header_row = _xlsx_header_row(p, name) if suffix in {".xlsx", ".xlsm"} else 1
    headers = [str(c) for c in frame.columns]
    kind = suffix.lstrip(".") if suffix in SPREADSHEET_SUFFIXES else "xlsx"
    raw = RawTable(
        frame=frame,
        source=source,
        kind=kind,
        format=f"Excel workbook (.{kind})" if kind != "ods" else "OpenDocument spreadsheet (.ods)",
        first_data_row=header_row + 1,
        sheet=name,
        sheets=names,
        notes=notes,
    )
    return _finish(raw, headers, hint, "__UNNAMED__")


def _pick_sheet(names: list[str], sheet: str | int, source: str) -> str:
    if isinstance(sheet, str) and sheet in names:
        return sheet
    text = str(sheet).strip()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(names):
            return names[number - 1]
    raise InputError(
        f"Error: {source} has no sheet {sheet!r}. Sheets: "
        + ", ".join(f"{i}: {n!r}" for i, n in enumerate(names, 1))
        + ". Pass a name or a number (1 = first sheet) to --sheet."
    )


_ROW_RE = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')


def _xlsx_header_row(p: Path, sheet_name: str) -> int:
    """1-based Excel row of the first row holding a value (spreadsheet readers skip blank rows).

    Reads only the start of the sheet's XML. Falls back to 1 when the layout is unusual.
    """
    try:
        with zipfile.ZipFile(p) as zf:
            workbook = zf.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            rid = None
            for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", workbook):
                attrs = m.group(1)
                nm = re.search(r'\bname="([^"]*)"', attrs)
                if nm and _xml_unescape(nm.group(1)) == sheet_name:
                    r = re.search(r'\br:id="([^"]*)"', attrs) or re.search(r'\bid="([^"]*)"', attrs)
                    rid = r.group(1) if r else None
                    break
            if rid is None:
                return 1
            target = None
            for m in re.finditer(r"<Relationship\b([^>]*)/?>", rels):
                if f'Id="{rid}"' in m.group(1):
                    t = re.search(r'Target="([^"]*)"', m.group(1))
                    target = t.group(1) if t else None
            if target is None:
                return 1
            member = target.lstrip("/") if target.startswith("/") else "xl/" + target
            with zf.open(member) as fh:
                buf = b""
                while chunk := fh.read(1 << 16):
                    buf += chunk
                    for row in _ROW_RE.finditer(buf):
                        end = buf.find(b"</row>", row.end())
                        if end < 0:
                            break
                        body = buf[row.end() : end]
                        if b"<v>" in body or b"<v " in body or b"<is>" in body or b"<t" in body:
                            return int(row.group(1))
                    else:
                        # keep only an unfinished tail
                        last = buf.rfind(b"<row")
                        buf = buf[last:] if last >= 0 else b""
                        continue
                    last = buf.rfind(b"<row")
                    buf = buf[last:] if last >= 0 else b""
                    if len(buf) > (1 << 24):
                        return 1
    except (KeyError, OSError, zipfile.BadZipFile, ValueError):
        return 1
    return 1


def _xml_unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


# ---------------------------------------------------------------- text files


def detect_encoding(sample: bytes) -> str:
    """Best encoding for a text export, from its first bytes.

    BOMs decide first (UTF-8-SIG, UTF-16). Otherwise UTF-8 if the sample decodes, then CP949
    (Korean Excel's "CSV"; a superset of EUC-KR), then charset-normalizer's best guess.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith(codecs.BOM_UTF16_LE) or sample.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if _decodes(sample, "utf-8"):
        return "utf-8"
    if _looks_utf16_without_bom(sample):
        return "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
    if _decodes(sample, "cp949"):
        return "cp949"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        return "latin-1"
    return str(best.encoding)


def _decodes(sample: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
    except UnicodeDecodeError:
        return False
    return True


def _looks_utf16_without_bom(sample: bytes) -> bool:
    head = sample[:4096]
    return len(head) >= 4 and head.count(b"\x00") > len(head) // 3


def detect_delimiter(first_line: str, suffix: str) -> str:
    """Delimiter of a text export: tab for .tsv, else the commonest candidate in the header."""
    if suffix == ".tsv":
        return "\t"
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _read_text(
    handle: Path | io.BytesIO,
    sample: bytes,
    source: str,
    encoding: str | None,
    suffix: str,
    hint: str | None = None,
) -> RawTable:
    import pandas as pd

    if not sample:
        raise InputError(f"Error: {source} is empty (0 bytes). Export the survey again.")
    forced = encoding is not None
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise InputError(
                f"Error: unknown encoding {encoding!r} for {source}. "
                "Use e.g. --encoding utf-8, cp949 or utf-16."
            ) from exc
        enc = encoding
    else:
        enc = detect_encoding(sample)
    try:
        text_head = sample.decode(enc, errors="strict" if forced else "replace")
    except UnicodeDecodeError as exc:
        if not _decodes(sample, enc):
            raise InputError(
                f"Error: {source} is not valid {enc} ({_short(exc)}). Leave --encoding out to "
                "detect it, or try --encoding utf-8 / cp949 / utf-16."
            ) from exc
        text_head = codecs.getincrementaldecoder(enc)().decode(sample, final=False)
    text_head = text_head.lstrip("\ufeff")
    first_line = text_head.splitlines()[0] if text_head.strip() else ""
    if not first_line.strip():
        raise InputError(
            f"Error: {source} has no header row (the first line is blank or the file holds only "
            "whitespace). Export the survey again with column headers."
        )
    delimiter = detect_delimiter(first_line, suffix)
    if isinstance(handle, io.BytesIO):
        handle.seek(0)
    try:
        frame = pd.read_csv(
            handle,
            sep=delimiter,
            encoding=enc,
            skip_blank_lines=False,
            keep_default_na=False,  # "N/A" is a "don't know" answer, not a blank
            na_values=[""],
            low_memory=False,
            encoding_errors="strict",
        )
    except UnicodeDecodeError as exc:
        hint = (
            "Leave --encoding out to detect it"
            if forced
            else "Pass the right one, e.g. --encoding cp949 (Korean Excel) or --encoding utf-8"
        )
        raise InputError(
            f"Error: {source} cannot be decoded as {enc} ({_short(exc)}). {hint}."
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"Error: {source} holds no columns. Export the survey again.") from exc
    except pd.errors.ParserError as exc:
        raise InputError(
            f"Error: {source} is not a well-formed {_delim_name(delimiter)}-separated file "
            f"({_short(exc)}). Check for unbalanced quotes, or save it again from Excel as CSV."
        ) from exc
    # A header line followed only by blank lines gives all-blank rows: treat as header only.
    if len(frame) == 0 or bool(frame.isna().all(axis=None)):
        raise InputError(
            f"Error: {source} has a header row but no data rows. Export the survey with its "
            "responses."
        )
    headers = [str(c) for c in frame.columns]
    kind = "tsv" if delimiter == "\t" else "csv"
    fmt = "CSV" if delimiter == "," else f"{_delim_name(delimiter)}-separated text"
    raw = RawTable(
        frame=frame,
        source=source,
        kind=kind,
        format=fmt,
        encoding=enc,
        delimiter=delimiter,
    )
    return _finish(raw, headers, hint, "Unnamed: ")


def _delim_name(d: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(d, repr(d))


def _clean_names(names: list[str], unnamed_prefix: str) -> list[str]:
    """Blank headers become ``column N``; duplicates get `` (2)``, `` (3)``; spaces trimmed."""
    out: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(names, 1):
        name = raw.strip()
        if not name or name.startswith(unnamed_prefix) or name == "nan":
            name = f"column {i}"
        base, k = name, 2
        while name in seen:
            name = f"{base} ({k})"
            k += 1
        seen.add(name)
        out.append(name)
    return out


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
