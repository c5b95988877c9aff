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
import csv
import io
import re
import stat
import sys
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csitool.errors import EXIT_INPUT, InputError, ReadError, SettingError
from csitool.io import limits as lim
from csitool.io import package, structure
from csitool.io.table import RawTable, clean_names
from csitool.notes import Note, Phrase, info, phrase, setting, warning

if TYPE_CHECKING:
    import pandas as pd

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
SPSS_SUFFIXES = {".sav", ".zsav"}
# Every suffix read_table reads by name (a folder of exports is searched for these).
INPUT_SUFFIXES = tuple(sorted(SPREADSHEET_SUFFIXES | TEXT_SUFFIXES | SPSS_SUFFIXES))
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAMPLE_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t", "|")


def read_table(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    hint: str | None = None,
    header_row: int | None = None,
) -> RawTable:
    """Read ``path`` (or ``"-"`` for standard input) into a :class:`RawTable`.

    Parameters
    ----------
    path:
        The survey export. Its kind is taken from the suffix, or sniffed from the bytes.
    sheet:
        Spreadsheets only: a sheet name, or a 1-based sheet number. Default: the first
        sheet that holds data and does not look like a cover or notes page.
    encoding:
        Text files only: force this encoding instead of detecting it.
    hint:
        Force a platform layout (see :mod:`csitool.io.layouts`) instead of detecting it.
    header_row:
        The 1-based row (Excel row, or line of a text file) holding the column names; rows
        above it are skipped. Default: found in the first rows (see
        :mod:`csitool.io.structure`).
    """
    from csitool.io import layouts

    if hint is not None and hint not in layouts.LAYOUTS:
        raise SettingError(
            "format_hint", "choice", value=hint, choices=layouts.LAYOUTS, exit_code=EXIT_INPUT
        )
    if header_row is not None and (
        isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1
    ):
        raise InputError(
            f"Error: {path}: header row {header_row!r} is not a row number; give the row that "
            "holds the column names as Excel numbers rows (1 = first row)."
        )
    raw = _read_any(path, sheet, encoding, hint, header_row)
    if raw.layout == "plain" and raw.kind != "sav":
        _long_format(raw)
    return raw


def _long_format(raw: RawTable) -> None:
    """Pivot a long (respondent, question, answer) table to one row per respondent, or
    refuse it with a message that says how to pivot it."""
    shape = structure.find_long(raw.frame)
    if shape is None:
        return
    codes = ", ".join(repr(c) for c in shape.questions[:8])
    codes += ", ..." if len(shape.questions) > 8 else ""
    if shape.key is None:
        keys = ", ".join(repr(c) for c in shape.attributes) or "the respondent columns"
        raise InputError(
            f"Error: {raw.source}: this looks like a long-format file, one row per answer "
            f"(question codes {codes} in column {shape.question!r}, answers in "
            f"{shape.answer!r}), but {shape.problem}. csitool needs one row per respondent "
            "and one column per question. Add a respondent id column (one per response) and "
            "pivot the file: in pandas, df.pivot_table(index=[" + keys + "], "
            f"columns={shape.question!r}, values={shape.answer!r}, aggfunc='first'); in "
            f"Excel, a PivotTable with the respondent in Rows, {shape.question!r} in Columns "
            f"and {shape.answer!r} in Values. Then read the pivoted file."
        )
    before = len(raw.frame)
    raw.frame = structure.pivot_long(raw.frame, shape)
    raw.meta = {**raw.meta, shape.key: "id"}
    raw.notes.append(
        info(
            "long_format",
            f"long format (one row per answer) pivoted: {before} rows -> {len(raw.frame)} "
            f"respondents ({shape.key!r}) x {len(shape.questions)} questions ({codes}) from "
            f"{shape.question!r} / {shape.answer!r}; each respondent's other columns "
            f"({', '.join(repr(c) for c in shape.attributes) or 'none'}) are the same on all "
            "their rows. Row numbers count respondents in order of first appearance, not "
            "lines of the file",
            before=before,
            after=len(raw.frame),
            key=shape.key,
            n_questions=len(shape.questions),
            codes=codes,
            question=shape.question,
            answer=shape.answer,
            attributes=list(shape.attributes),
        )
    )


def _read_any(
    path: str | Path,
    sheet: str | int | None,
    encoding: str | None,
    hint: str | None,
    header_row: int | None = None,
) -> RawTable:
    source = str(path)
    limits = lim.current()
    if source == "-":
        data = _read_stream(sys.stdin.buffer, "<stdin>", limits)
        return _read_bytes(data, "<stdin>", ".csv", sheet, encoding, hint, header_row, limits)
    from csitool.io import columnar

    found = columnar.locate(source)
    if found is not None:  # Parquet, Arrow, a DuckDB table: columns with types, no sniffing
        return columnar.read_columnar(found)
    p = Path(path)
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise InputError(
            f"Error: cannot open {source}: {exc.strerror}. Check the path and its permissions."
        ) from exc
    if mode is None:
        raise InputError(
            f"Error: {source}: no such file. Check the path and the working directory."
        )
    if stat.S_ISDIR(mode):
        raise InputError(f"Error: {source} is a folder, not a survey file. Name a file inside it.")
    suffix = p.suffix.lower()
    if not stat.S_ISREG(mode):
        if stat.S_ISFIFO(mode) and _is_passed_descriptor(source):
            # <(cat file): a pipe that can be read once only, so read it once, into memory
            try:
                with p.open("rb") as fh:
                    data = _read_stream(fh, source, limits)
            except OSError as exc:
                raise InputError(f"Error: cannot read {source}: {exc.strerror}.") from exc
            return _read_bytes(data, source, suffix, sheet, encoding, hint, header_row, limits)
        what = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise InputError(
            f"Error: {source} is {what}, not a file: csitool would wait on it forever. Save "
            "the data to a file and read that, or pipe it to standard input with - "
            "(e.g. cat export.csv | csitool score -)."
        )
    head = read_head(p, source)
    if suffix in SPSS_SUFFIXES or hint == "spss":
        from csitool.io.spss import read_spss

        return read_spss(p)
    if suffix in SPREADSHEET_SUFFIXES or (
        suffix not in TEXT_SUFFIXES and (head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC))
    ):
        return _read_spreadsheet(p, head, sheet, hint, header_row, limits=limits)
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        raise InputError(
            f"Error: {source} looks like an Excel workbook, not text. Rename it to .xlsx (or .xls)."
        )
    _check_lines(p, source, limits)
    return _read_text(p, head, source, encoding, suffix, hint, header_row)


def read_head(p: Path, source: str) -> bytes:
    """The file's first :data:`SAMPLE_BYTES` bytes (what format, encoding and layout are
    decided on); an unreadable or empty file is an :class:`InputError` naming the fix."""
    try:
        with p.open("rb") as fh:
            head = fh.read(SAMPLE_BYTES)
    except OSError as exc:
        raise InputError(
            f"Error: cannot open {source}: {exc.strerror}. Check its permissions."
        ) from exc
    if not head:
        raise InputError(f"Error: {source} is empty (0 bytes). Export the survey again.")
    return head


def _is_passed_descriptor(source: str) -> bool:
    """``/dev/fd/N``, ``/dev/stdin`` or ``/proc/.../fd/N``: a pipe the shell opened for us
    (process substitution), as opposed to a named FIFO that may never get a writer."""
    return source.startswith(("/dev/fd/", "/dev/stdin", "/proc/self/fd/")) or bool(
        re.match(r"^/proc/\d+/fd/\d+$", source)
    )


def _read_stream(stream: Any, source: str, limits: lim.Limits) -> bytes:
    """All of a stream (standard input, a pipe), refusing more than the stream limit."""
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(1 << 20):
        total += len(chunk)
        if total > limits.stream_bytes:
            raise InputError(
                f"Error: {source}: more than {lim.megabytes(limits.stream_bytes)} on a pipe or "
                "standard input, which csitool reads into memory. Save it to a file and read "
                f"the file, or raise {lim.ENV['stream_bytes']}."
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _read_bytes(
    data: bytes,
    source: str,
    suffix: str,
    sheet: str | int | None,
    encoding: str | None,
    hint: str | None,
    header_row: int | None,
    limits: lim.Limits,
) -> RawTable:
    """A survey held in memory (standard input, a pipe): a workbook or a text file."""
    if not data:
        raise InputError(f"Error: {source} is empty (0 bytes). Export the survey again.")
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        return _read_spreadsheet(data, data[:SAMPLE_BYTES], sheet, hint, header_row,
                                 source=source, suffix=suffix, limits=limits)  # fmt: skip
    _check_lines(io.BytesIO(data), source, limits)
    return _read_text(
        io.BytesIO(data), data[:SAMPLE_BYTES], source, encoding, suffix, hint, header_row
    )


def _check_lines(handle: Path | io.BytesIO, source: str, limits: lim.Limits) -> None:
    """Refuse a text file with a line longer than the line limit before pandas tries it
    (a 100 MB line takes gigabytes to parse). Looks only for line breaks, at C speed, in
    4 MB chunks: the first and last break of each chunk are enough. A file on disk is
    mapped into memory, so only the pages around those breaks are read (copying a 100 MB
    file into a buffer costs more than the search); lines are counted only to word the
    refusal."""
    most = limits.line_bytes
    chunk = min(4 << 20, max(most, 1))  # so a line inside one chunk fits the limit
    if isinstance(handle, Path):
        import mmap

        try:
            with handle.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                line_start = _long_line(mm, len(mm), chunk, most)
                line = None if line_start is None else mm[:line_start].count(b"\n") + 1
        except (OSError, ValueError):  # a file that cannot be mapped: read it in chunks
            line = _long_line_read(handle, chunk, most)
    else:
        line = _long_line_read(handle, chunk, most)
    if line is None:
        return
    raise InputError(
        f"Error: {source}: line {line:,} is longer than {lim.megabytes(most)} (no line "
        "break in it); survey exports have short lines, so the file is damaged or not a "
        "table. Export it again (from Excel: Save As CSV), or raise "
        f"{lim.ENV['line_bytes']} to read it anyway."
    )


def _long_line(data: Any, size: int, chunk: int, most: int) -> int | None:
    """Where the first line longer than ``most`` bytes starts in ``data`` (bytes or a
    memory map of ``size`` bytes, searched ``chunk`` bytes at a time), or None. A chunk
    with no line feed is split at carriage returns (old Mac files)."""
    line_start = 0  # where the current line starts
    for offset in range(0, size, chunk):
        end = min(offset + chunk, size)
        brk = b"\n" if data.find(b"\n", offset, end) >= 0 else b"\r"
        first, last = data.find(brk, offset, end), data.rfind(brk, offset, end)
        if first >= 0 and first - line_start <= most:
            line_start = last + 1
        if (end if first < 0 else first) - line_start > most:
            return line_start
    return None


def _long_line_read(handle: Path | io.BytesIO, chunk: int, most: int) -> int | None:
    """:func:`_long_line` of a stream read chunk by chunk into one buffer: the number of
    the long line, or None."""
    line_start = 0  # where the current line starts in the file
    offset = 0  # where the current chunk starts
    buf = bytearray(chunk)
    fh: Any = handle.open("rb") if isinstance(handle, Path) else handle
    try:
        while n := fh.readinto(buf):
            brk = b"\n" if buf.find(b"\n", 0, n) >= 0 else b"\r"  # CR alone: old Mac files
            first, last = buf.find(brk, 0, n), buf.rfind(brk, 0, n)
            if first >= 0 and offset + first - line_start <= most:
                line_start = offset + last + 1
            if offset + (n if first < 0 else first) - line_start > most:
                break
            offset += n
        else:
            return None
        fh.seek(0)
        line: int = fh.read(line_start).count(b"\n") + 1
        return line
    finally:
        if isinstance(handle, Path):
            fh.close()
        else:
            handle.seek(0)


def _finish(
    raw: RawTable,
    headers: list[str],
    hint: str | None,
    unnamed: str,
    groups: tuple[str, ...] = (),
) -> RawTable:
    """Recognise the platform layout and give the table its final column names."""
    from csitool.io import layouts

    name = layouts.detect(headers, raw.frame, hint)
    if name == "plain":
        raw.frame.columns = clean_names(headers, unnamed_prefix=unnamed)
        if len(groups) == len(raw.frame.columns):
            raw.groups = {str(c): g for c, g in zip(raw.frame.columns, groups, strict=True) if g}
        return raw
    frame, lay = layouts.apply(name, headers, raw.frame, raw.source, raw.kind)
    clean = clean_names(lay.names, unnamed_prefix=unnamed)
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
    p: Path | bytes,
    head: bytes,
    sheet: str | int | None,
    hint: str | None = None,
    header_row: int | None = None,
    *,
    source: str | None = None,
    suffix: str | None = None,
    limits: lim.Limits | None = None,
) -> RawTable:
    """A workbook from a path, or from bytes (standard input, a pipe). Zip packages are
    inspected first (:mod:`csitool.io.package`); the reader's panics become InputError."""
    limits = limits or lim.current()
    source = source if source is not None else str(p)
    suffix = suffix if suffix is not None else (p.suffix.lower() if isinstance(p, Path) else "")
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
    pkg = package.inspect(p, source, limits) if head.startswith(ZIP_MAGIC) else None
    try:
        return _read_workbook(p, pkg, source, suffix, sheet, hint, header_row)
    finally:
        if pkg is not None:
            pkg.close()


def _native(call: Any, message: Any) -> Any:
    """Run a call into the native reader; turn its failures into InputError.

    calamine's panics arrive as ``pyo3_runtime.PanicException``, a BaseException (not an
    Exception), so they are caught here too; KeyboardInterrupt and SystemExit pass."""
    try:
        return call()
    except (InputError, KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except MemoryError as exc:
        raise _as_error(message("it needs more memory than there is")) from exc
    except BaseException as exc:
        raise _as_error(message(_short(exc))) from exc


def _as_error(message: str | InputError) -> InputError:
    return message if isinstance(message, InputError) else InputError(message)


def _read_workbook(
    p: Path | bytes,
    pkg: package.Package | None,
    source: str,
    suffix: str,
    sheet: str | int | None,
    hint: str | None,
    header_row: int | None,
) -> RawTable:
    import fastexcel

    def opened() -> Any:
        reader = fastexcel.read_excel(p if isinstance(p, bytes) else str(p))
        return reader, list(reader.sheet_names)

    reader, names = _native(
        opened,
        lambda why: (
            f"Error: cannot read {source} as a spreadsheet ({why}). The file is corrupt "
            "or truncated: export or download it again, or open it in Excel and save a copy."
        ),
    )
    if not names:
        raise InputError(f"Error: {source} has no sheets. Export the survey again.")
    facts: dict[str, package.SheetFacts] = {}
    trimmed: list[Phrase] = []

    def load(name: str, **options: Any) -> Any:
        if pkg is not None and name not in facts:
            facts[name] = pkg.sheet(name)
        fact = facts.get(name)
        return _native(
            lambda: (
                _load_wide(reader, name, options, trimmed)
                if fact is not None and fact.wide
                else reader.load_sheet(name, schema_sample_rows=None, **options)
            ).to_pandas(),
            lambda why: ReadError(source, "sheet_unreadable", sheet=name, detail=why),
        )

    notes: list[str] = []
    if sheet is not None:
        name = _pick_sheet(names, sheet, source)
        frame = load(name)
        if len(frame.columns) == 0:
            raise InputError(
                f"Error: sheet {name!r} of {source} is empty. Sheets: {', '.join(names)}."
            )
    else:
        name, frame, note = _choose_sheet(names, load, source)
        if note is not None:
            notes.append(note)
    if len(frame) == 0:
        raise InputError(
            f"Error: sheet {name!r} of {source} has a header row but no data rows. "
            "Export the survey with its responses."
        )
    xlsx = suffix in {".xlsx", ".xlsm"} or (pkg is not None and suffix not in {".ods"})
    groups: tuple[str, ...] = ()
    header_rows = 1
    if header_row is not None:
        top = header_row
        frame = load(name, header_row=top - 1)
        notes.append(
            info("header_row", f"header read from row {top} (as asked)", form="asked", row=top)
        )
    else:
        guess = structure.find_header(_frame_sample(frame))
        if guess is None or (guess.header == 0 and guess.group is None) or _platform(frame, hint):
            top = _xlsx_header_row(pkg, name) if xlsx else 1
        else:
            # Titles or a group row above the header: find it again among the sheet's rows
            # as Excel numbers them (fastexcel's header_row counts from the sheet's row 1).
            sample = load(name, header_row=None, skip_rows=0, n_rows=structure.SCAN_ROWS * 4)
            rows = sample.to_numpy(dtype=object).tolist()
            start = next((i for i, r in enumerate(rows) if structure.row_facts(r).filled), 0)
            found = structure.find_header(rows[start:])
            if found is None:
                top = _xlsx_header_row(pkg, name) if xlsx else 1
            else:
                top = start + found.header + 1
                frame = load(name, header_row=top - 1)
                header_rows, groups, more = _header_notes(found, start, lambda i: start + i + 1)
                notes.extend(more)
    if len(frame) == 0:
        raise ReadError(source, "no_rows_under_header", sheet=name, row=top)
    notes.extend(info("columns_trimmed", t, **t.params) for t in dict.fromkeys(trimmed))
    headers = [str(c) for c in frame.columns]
    kind = suffix.lstrip(".") if suffix in SPREADSHEET_SUFFIXES else "xlsx"
    what = f"Excel workbook (.{kind})" if kind != "ods" else "OpenDocument spreadsheet (.ods)"
    place: dict[str, Any] = {"first_data_row": top + 1, "header_rows": header_rows, "notes": notes}
    raw = RawTable(frame, source, kind, what, sheet=name, sheets=names, **place)
    return _finish(raw, headers, hint, "__UNNAMED__", groups)


def _platform(frame: pd.DataFrame, hint: str | None) -> bool:
    """True when a survey platform's layout is recognised on the header as read: its own
    header rows are not titles (SurveyMonkey's first row is half blank, for one)."""
    from csitool.io import layouts

    return layouts.detect([str(c) for c in frame.columns], frame, hint) != "plain"


def _records_frame(records: list[list[str]]) -> pd.DataFrame:
    """The first records of a text file as a small frame named by the first of them."""
    import pandas as pd

    width = max(len(r) for r in records)
    padded = [r + [""] * (width - len(r)) for r in records]
    return pd.DataFrame(padded[1:6], columns=padded[0])


def _frame_sample(frame: pd.DataFrame) -> list[list[Any]]:
    """The header as read plus the first rows under it, as plain cells."""
    rows: list[list[Any]] = [list(frame.columns)]
    rows.extend(frame.iloc[: structure.SCAN_ROWS - 1].to_numpy(dtype=object).tolist())
    return rows


def _header_notes(
    guess: structure.HeaderGuess, offset: int, row_number: Any
) -> tuple[int, tuple[str, ...], list[str]]:
    """Header rows used, group names and the notes saying what was skipped and why.

    ``row_number`` turns a position in the sample into the file's row number."""
    notes: list[str] = []
    top = row_number(guess.header)
    if guess.skipped:
        skipped = [row_number(i) for i in guess.skipped]
        text = f"header found on row {top}; {structure.describe_rows(skipped)} above it "
        text += "(a title or notes) skipped"
        if guess.unsure:
            spelled = setting("header_row", "N")
            notes.append(
                warning(
                    "header_row",
                    text + f"; row {top + 1} looks like a header too: if the names are on "
                    f"another row, pass {spelled} (or [read] header_row)",
                    form="unsure",
                    row=top,
                    skipped=skipped,
                    next=top + 1,
                    setting=spelled,
                )
            )
        else:
            notes.append(info("header_row", text, form="skipped", row=top, skipped=skipped))
    elif guess.header or offset:
        notes.append(info("header_row", f"header found on row {top}", form="found", row=top))
    if guess.group is None:
        return 1, (), notes
    named = list(dict.fromkeys(g for g in guess.groups if g))
    notes.append(
        info(
            "header_merged",
            f"row {row_number(guess.group)} holds group names over the header "
            f"({', '.join(named)}): column names are taken from row {top}, and each "
            "column's group is kept as a battery hint",
            group_row=row_number(guess.group),
            groups=named,
            row=top,
        )
    )
    return 2, guess.groups, notes


def _choose_sheet(names: list[str], load: Any, source: str) -> tuple[str, pd.DataFrame, Any]:
    """The first sheet that holds data and does not look like a cover or notes page.

    Sheets are loaded in order and only until one qualifies, so a workbook whose first sheet
    holds the responses costs one load. When every non-empty sheet looks like a cover, the
    first of them is read. Returns the name, the frame and a ``sheet_chosen`` note (or None).
    """
    passed: list[Phrase] = []
    first: tuple[str, pd.DataFrame] | None = None
    for candidate in names:
        frame = load(candidate)
        if len(frame.columns) == 0:
            passed.append(
                phrase(
                    "sheet_skipped", f"sheet {candidate!r} is empty", form="empty", sheet=candidate
                )
            )
            continue
        sample = _frame_sample(frame)
        reason = structure.cover_reason(candidate, sample, len(frame) + 1)
        if reason is None:
            if candidate == names[0]:
                return candidate, frame, None
            if all(p.params.get("form") == "empty" for p in passed):
                text = f"sheet {candidate!r} used: the sheets before it are empty"
                note = info("sheet_chosen", text, form="empty_before", sheet=candidate)
            else:
                spelled = setting("sheet")
                text = f"sheet {candidate!r} read: " + "; ".join(passed)
                text += f". Pass {spelled} to read another sheet"
                note = info(
                    "sheet_chosen",
                    text,
                    form="passed",
                    sheet=candidate,
                    passed=passed,
                    setting=spelled,
                )
            return candidate, frame, note
        passed.append(
            phrase(
                "sheet_skipped",
                f"sheet {candidate!r} looks like a cover ({reason})",
                form="cover",
                sheet=candidate,
                reason=reason,
            )
        )
        if first is None:
            first = (candidate, frame)
    if first is None:
        raise InputError(
            f"Error: every sheet of {source} is empty ({', '.join(names)}). "
            "Export the survey again."
        )
    name, frame = first
    chosen: Note | None = None
    if name != names[0]:
        chosen = info(
            "sheet_chosen",
            f"sheet {name!r} used: the sheets before it are empty",
            form="empty_before",
            sheet=name,
        )
    return name, frame, chosen


def _pick_sheet(names: list[str], sheet: str | int, source: str) -> str:
    if isinstance(sheet, str) and sheet in names:
        return sheet
    text = str(sheet).strip()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(names):
            return names[number - 1]
    raise ReadError(source, "no_sheet", sheet=sheet, sheets=tuple(names))


def _load_wide(reader: Any, name: str, options: dict[str, Any], trimmed: list[Phrase]) -> Any:
    """Load a sheet that spans more than :data:`package.WIDE_COLUMNS` columns without its
    trailing blank columns.

    fastexcel names every header cell, and thousands of blank ones take it minutes, so the
    header is read here from a header-less sample and only the columns up to the last one
    holding anything in the sample are loaded, named explicitly."""
    rows = structure.SCAN_ROWS * 4
    sample = reader.load_sheet(
        name, header_row=None, skip_rows=0, n_rows=rows, dtypes="string"
    ).to_pandas()
    cells = sample.to_numpy(dtype=object).tolist()
    keep = max(
        (
            max(i for i, v in enumerate(r) if structure.cell_text(v)) + 1
            for r in cells
            if any(structure.cell_text(v) for v in r)
        ),
        default=1,
    )
    if keep < sample.shape[1]:
        blank = sample.shape[1] - keep
        trimmed.append(
            phrase(
                "columns_trimmed",
                f"sheet {name!r}: {blank:,} blank columns after column {keep} "
                f"(empty in the first {len(cells)} rows) not read",
                form="sheet",
                sheet=name,
                blank=blank,
                keep=keep,
                rows=len(cells),
            )
        )
    columns = list(range(keep))
    if "header_row" in options and options["header_row"] is None:
        rest = {k: v for k, v in options.items() if k != "header_row"}
        return reader.load_sheet(
            name, header_row=None, use_columns=columns, schema_sample_rows=None, **rest
        )
    top = options.get("header_row", 0)
    header = cells[top] if top < len(cells) else []
    names: list[str] = []
    for i in columns:
        text = structure.cell_text(header[i]) if i < len(header) else ""
        text = text or f"__UNNAMED__{i}"
        base, k = text, 1
        while text in names:
            text = f"{base}_{k}"
            k += 1
        names.append(text)
    return reader.load_sheet(
        name,
        header_row=None,
        skip_rows=top + 1,
        column_names=names,
        use_columns=columns,
        schema_sample_rows=None,
        n_rows=options.get("n_rows"),
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xlsx_header_row(pkg: package.Package | None, sheet_name: str) -> int:
    """1-based Excel row of the first row holding a value (spreadsheet readers skip blank rows).

    Streams the sheet's XML (``iterparse``) and stops at that row, so it reads only the start
    of a big sheet. Falls back to 1 when the layout is unusual.
    """
    from xml.etree import ElementTree

    if pkg is None:
        return 1
    try:
        member = pkg.member(sheet_name)
        if member is None:
            return 1
        with pkg.zf.open(member) as fh:
            number = 0
            for _event, el in ElementTree.iterparse(fh, events=("end",)):
                if _local(el.tag) != "row":
                    continue
                number = int(el.get("r") or number + 1)
                for cell in el:
                    for part in cell:
                        if _local(part.tag) in ("v", "is") and "".join(part.itertext()):
                            return number
                el.clear()
    except (KeyError, OSError, zipfile.BadZipFile, ValueError, ElementTree.ParseError):
        return 1
    return 1


# ---------------------------------------------------------------- text files


def detect_encoding(sample: bytes) -> str:
    """Best encoding for a text export, from its first bytes.

    BOMs decide first (UTF-8-SIG, UTF-16). Then UTF-16 without a BOM (NUL bytes at odd
    positions: little-endian; at even positions: big-endian), which is valid UTF-8 byte by
    byte but never text. Then UTF-8 if the sample decodes, or if it decodes but for a few
    byte runs (most non-ASCII characters valid UTF-8: the reader repairs the runs and says
    where); then CP949 (Korean Excel's "CSV"; a superset of EUC-KR), then
    charset-normalizer's best guess.

    >>> detect_encoding("id\tnps\n1\t9\n".encode("utf-16-le"))
    'utf-16-le'
    >>> detect_encoding("지점,만족\n강남,".encode() + "좋아요".encode("cp949") + b"\n")
    'utf-8'
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith(codecs.BOM_UTF16_LE) or sample.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return utf16
    if _decodes(sample, "utf-8") or _mostly_utf8(sample):
        return "utf-8"
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


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NUL bytes fill one parity of the first bytes and not the
    other (ASCII digits, tabs and line breaks in UTF-16) and the bytes decode so."""
    head = sample[: 4096 & ~1]
    head = head[: len(head) & ~1]
    half = len(head) // 2
    if half < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= half * 0.2 and even <= half * 0.02:
        enc = "utf-16-le"
    elif even >= half * 0.2 and odd <= half * 0.02:
        enc = "utf-16-be"
    else:
        return None
    return enc if _decodes(head, enc) else None


def _mostly_utf8(sample: bytes) -> bool:
    """Valid UTF-8 but for a few byte runs: at least 4 valid non-ASCII characters per
    invalid run (a CP949 file read as UTF-8 is nearly all invalid runs)."""
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(sample, final=False)
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return bad > 0 and good >= 4 * bad


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
    header_row: int | None = None,
    nrows: int | None = None,
) -> RawTable:
    """A text export read by pandas (``nrows``: only its first data rows, a sample)."""
    import pandas as pd

    if not sample:
        raise InputError(f"Error: {source} is empty (0 bytes). Export the survey again.")
    forced = encoding is not None
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise ReadError(source, "unknown_encoding", encoding=encoding) from exc
        enc = encoding
    else:
        enc = detect_encoding(sample)
    try:
        text_head = sample.decode(enc, errors="strict" if forced else "replace")
    except UnicodeDecodeError as exc:
        if not _decodes(sample, enc):
            raise ReadError(source, "invalid_encoding", encoding=enc, detail=_short(exc)) from exc
        text_head = codecs.getincrementaldecoder(enc)().decode(sample, final=False)
    text_head = text_head.lstrip("\ufeff")
    lines = text_head.splitlines()[: structure.SCAN_ROWS * 4]
    first_line = next((line for line in lines if line.strip()), "")
    if not first_line.strip():
        raise InputError(
            f"Error: {source} has no header row (the first lines are blank or the file holds "
            "only whitespace). Export the survey again with column headers."
        )
    delimiter = detect_delimiter(first_line, suffix)
    if not any(d in first_line for d in DELIMITERS):  # a title line: look further down
        delimiter = sniff_delimiter(lines, suffix)
    notes: list[str] = []
    groups: tuple[str, ...] = ()
    header_rows = 1
    if header_row is not None:
        top = header_row
        notes.append(
            info(
                "header_row",
                f"header read from line {top} (as asked)",
                form="asked_line",
                row=top,
            )
        )
    else:
        numbered = _records(text_head, delimiter)
        found = structure.find_header([r for _, r in numbered])
        if found is not None and (found.header or found.group is not None):
            first = next(i for i, (_, r) in enumerate(numbered) if any(c.strip() for c in r))
            if _platform(_records_frame([r for _, r in numbered[first:]]), hint):
                found = structure.HeaderGuess(first)
        top = numbered[found.header][0] if found is not None else 1
        if found is not None and (found.header or found.group is not None):
            header_rows, groups, notes = _header_notes(found, 0, lambda i: numbered[i][0])
    if isinstance(handle, io.BytesIO):
        handle.seek(0)
    usecols = _kept_columns(text_head, delimiter, top)
    if usecols is not None:
        notes.append(info("columns_trimmed", usecols[1], **usecols[1].params))
    options: dict[str, Any] = {
        "sep": delimiter,
        "skip_blank_lines": False,
        "keep_default_na": False,  # "N/A" is a "don't know" answer, not a blank
        "na_values": [""],
        "low_memory": False,
        "skiprows": top - 1 if top > 1 else None,
        "usecols": range(usecols[0]) if usecols is not None else None,
        "nrows": nrows,
    }
    try:
        try:
            frame = pd.read_csv(handle, encoding=enc, encoding_errors="strict", **options)
        except UnicodeDecodeError:
            if forced or enc not in ("utf-8", "utf-8-sig"):
                raise
            # Mostly UTF-8 with a few cells in another encoding (a CP949 cell pasted in)
            text, note = _repair_mixed(_all_bytes(handle), source)
            notes.append(note)
            frame = pd.read_csv(io.StringIO(text), **options)
    except UnicodeDecodeError as exc:
        problem = "undecodable_forced" if forced else "undecodable"
        raise ReadError(source, problem, encoding=enc, detail=_short(exc)) from exc
    except MemoryError as exc:
        raise InputError(
            f"Error: {source} needs more memory than there is to read (a damaged file, or "
            "one far bigger than a survey export). Check the file, or split it."
        ) from exc
    except pd.errors.EmptyDataError as exc:
        if top > 1:
            raise ReadError(source, "nothing_from_header", row=top) from exc
        raise InputError(f"Error: {source} holds no columns. Export the survey again.") from exc
    except pd.errors.ParserError as exc:
        raise InputError(
            f"Error: {source} is not a well-formed {_delim_name(delimiter)}-separated file "
            f"({_short(exc)}). Check for unbalanced quotes, or save it again from Excel as CSV."
        ) from exc
    # A header line followed only by blank lines gives all-blank rows: treat as header only.
    if len(frame) == 0 or _all_blank(frame):
        raise InputError(
            f"Error: {source} has a header row but no data rows. Export the survey with its "
            "responses."
        )
    headers = [str(c) for c in frame.columns]
    kind = "tsv" if delimiter == "\t" else "csv"
    fmt = "CSV" if delimiter == "," else f"{_delim_name(delimiter)}-separated text"
    place: dict[str, Any] = {"first_data_row": top + 1, "header_rows": header_rows, "notes": notes}
    raw = RawTable(frame, source, kind, fmt, encoding=enc, delimiter=delimiter, **place)
    return _finish(raw, headers, hint, "Unnamed: ", groups)


def _all_blank(frame: pd.DataFrame) -> bool:
    """Whether every cell of the frame is blank (``frame.isna().all(axis=None)``), column
    by column until one has a value: an integer or boolean column always has one, and an
    Arrow text column knows its count of nulls, so a survey needs no pass over its cells."""
    import numpy as np
    import pandas as pd

    for _, series in frame.items():
        dtype = series.dtype
        if isinstance(dtype, np.dtype) and dtype.kind in "iub":
            return len(series) == 0
        arrow = isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
        if arrow and series.array.__arrow_array__().null_count < len(series):
            return False
        if not arrow and series.notna().any():
            return False
    return True


TRIM_MIN_COLUMNS = 64
"""Trailing blank columns of a text file are cut when there are at least this many."""


def _kept_columns(text_head: str, delimiter: str, top: int) -> tuple[int, Phrase] | None:
    """Columns to read when a text file's lines end in a long run of empty fields (a sheet
    saved as CSV after formatting to the right edge): up to the last field holding anything
    in the first records, with a note; None to read every column."""
    records = [r for _, r in _records(text_head, delimiter)][max(top - 1, 0) :]
    if not records:
        return None
    width = max(len(r) for r in records)
    keep = max(
        (
            max(i for i, v in enumerate(r) if v.strip()) + 1
            for r in records
            if any(v.strip() for v in r)
        ),
        default=width,
    )
    if width - keep < TRIM_MIN_COLUMNS:
        return None
    return keep, phrase(
        "columns_trimmed",
        f"{width - keep:,} blank columns after column {keep} (empty in the first "
        f"{len(records)} lines) not read",
        form="lines",
        blank=width - keep,
        keep=keep,
        rows=len(records),
    )


def _all_bytes(handle: Path | io.BytesIO) -> bytes:
    if isinstance(handle, Path):
        return handle.read_bytes()
    handle.seek(0)
    return handle.read()


MIXED_MAX_SPOTS = 200


def _repair_mixed(data: bytes, source: str) -> tuple[str, Any]:
    """Decode a file that is UTF-8 but for a few byte runs (cells typed or pasted in CP949,
    Korean Excel's encoding): each run is decoded as CP949 (or, failing that, replaced by
    U+FFFD), and a warning names the lines. Refuses when the runs are not few."""
    pieces: list[str] = []
    lines: list[int] = []
    replaced = 0
    good = 0
    pos = 0
    start_bom = 3 if data.startswith(codecs.BOM_UTF8) else 0
    pos = start_bom
    while True:
        try:
            piece = data[pos:].decode("utf-8")
        except UnicodeDecodeError as exc:
            start = pos + exc.start
            piece = data[pos:start].decode("utf-8")
            good += sum(1 for ch in piece if ord(ch) > 127)
            pieces.append(piece)
            end = start
            while end < len(data) and data[end] >= 0x80:
                end += 1
            run = data[start:end]
            try:
                pieces.append(run.decode("cp949"))
            except UnicodeDecodeError:
                pieces.append(run.decode("utf-8", "replace"))
                replaced += 1
            lines.append(data.count(b"\n", 0, start) + 1)
            if len(lines) > MIXED_MAX_SPOTS or len(lines) * 4 > good + 4 * 8:
                break
            pos = end
            continue
        good += sum(1 for ch in piece if ord(ch) > 127)
        pieces.append(piece)
        break
    if len(lines) > MIXED_MAX_SPOTS or len(lines) * 4 > good + 4 * 8:
        raise ReadError(source, "not_utf8", row=lines[0])
    shown = ", ".join(str(n) for n in lines[:10]) + (", ..." if len(lines) > 10 else "")
    how = (
        "read as CP949 (Korean Excel)"
        if not replaced
        else (f"read as CP949 where they decode ({replaced} could not be and show as \ufffd)")
    )
    cp949, utf8 = setting("encoding", "cp949"), setting("encoding", "utf-8")
    note = warning(
        "encoding_mixed",
        f"the file is UTF-8 but {len(lines)} cell(s) on line(s) {shown} are not: {how}. "
        f"Check those cells; to read the whole file in one encoding instead, pass {cp949} or "
        f"{utf8}",
        form="replaced" if replaced else "cp949",
        count=len(lines),
        lines=shown,
        replaced=replaced,
        cp949=cp949,
        utf8=utf8,
    )
    return "".join(pieces), note


def sniff_delimiter(lines: list[str], suffix: str) -> str:
    """Delimiter of a text export whose first line has none (a title): the candidate that
    splits some line of the first lines into the most fields."""
    if suffix == ".tsv":
        return "\t"
    best, most = ",", 0
    for d in DELIMITERS:
        count = max((re.sub(r'"[^"]*"', "", line).count(d) for line in lines), default=0)
        if count > most:
            best, most = d, count
    return best


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The first records of a text export with the 1-based line each one starts on."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for record in reader:
            out.append((line, record))
            line = reader.line_num + 1
            if len(out) >= structure.SCAN_ROWS:
                break
    except csv.Error:  # a quoted field cut by the end of the sample
        pass
    return out


def _delim_name(d: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(d, repr(d))


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
