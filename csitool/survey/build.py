"""Raw table to :class:`Survey`: roles, parsed answers, scales and the ledger."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from csitool.config import Reading, RoleSpec, Settings
from csitool.errors import ColumnError, InputError, StrictError, quote
from csitool.notes import Note, as_note, info, phrase, setting, warning
from csitool.survey import model as m
from csitool.survey import scales as sc
from csitool.survey.labels import DONT_KNOW, normalize_label, parse_label
from csitool.survey.model import Ledger, Scale, Survey
from csitool.survey.roles import resolve_roles, suggest, unknown_column

if TYPE_CHECKING:
    import pandas as pd

    from csitool.io.table import RawTable

_NUMBER = re.compile(r"^\s*[+-]?\d+(?:[.,]\d+)?\s*(?:점|pts?|points?)?\s*$")


def parse_item(
    series: pd.Series, table: dict[str, float | str], tally: dict[float, int] | None = None
) -> tuple[np.ndarray, np.ndarray, dict[str, Any], list[str], int]:
    """Turn a column of answers into numbers.

    Returns ``(values, codes, label_map, unknown, n_labels)``: float values (NaN where not a
    number; always a new array, never a view of the series' memory, so the caller may write
    to it), reason codes (used / blank / don't know / not a number), the text labels that
    were mapped and their numbers, the distinct texts that could not be mapped, and how
    many cells held mapped text labels. Works on distinct values, so it is fast on large
    columns. ``tally`` (when given) is filled with the used answers per value (scale
    inference needs them): a text column's are counted on its distinct values for free, a
    number column's by :func:`~csitool.survey.scales.counts` (one bincount).
    """
    import pandas as pd

    n = len(series)
    if pd.api.types.is_bool_dtype(series):
        series = series.astype(object)
    if pd.api.types.is_numeric_dtype(series):
        # copy=True: pandas copies only when the result would share the frame's memory (a
        # float column); an integer column's conversion is already a new array
        values = series.to_numpy(dtype=float, na_value=np.nan, copy=True)
        integers = isinstance(series.dtype, np.dtype) and series.dtype.kind in "iu"
        if tally is not None:  # every number is used: blanks (NaN) are the only other cells
            tally.update(sc.counts(series.to_numpy() if integers else values))
        if integers:  # no blanks
            return values, np.full(n, m.USED, np.int8), {}, [], 0
        codes = np.where(np.isnan(values), np.int8(m.BLANK), np.int8(m.USED))
        return values, codes, {}, [], 0
    if pd.api.types.is_datetime64_any_dtype(series):
        values = np.full(n, np.nan)
        codes = np.where(series.isna().to_numpy(), m.BLANK, m.NOT_A_NUMBER).astype(np.int8)
        return values, codes, {}, [], 0
    distinct = _Distinct.of(series)
    uniques = distinct.uniques
    u_val = np.full(len(uniques) + 1, np.nan)
    u_code = np.full(len(uniques) + 1, m.BLANK, dtype=np.int8)  # last slot: NA sentinel
    label_map: dict[str, Any] = {}
    unknown: list[str] = []
    label_slots: list[int] = []
    for k, u in enumerate(uniques):
        if isinstance(u, int | float | np.integer | np.floating) and not isinstance(u, bool):
            try:
                u_val[k] = float(u)
            except OverflowError:  # a whole number of 309+ digits: no answer is that big
                u_code[k] = m.NOT_A_NUMBER
                unknown.append(str(u)[:20] + "…")
                continue
            u_code[k] = m.BLANK if np.isnan(u_val[k]) else m.USED
            continue
        text = str(u).strip()
        if not text:
            continue
        parsed = parse_label(text, table)
        if parsed == DONT_KNOW:
            u_code[k] = m.DONT_KNOW
            label_map[text] = DONT_KNOW
        elif isinstance(parsed, float):
            u_val[k] = parsed
            u_code[k] = m.USED
            if normalize_label(text) != normalize_label(m.number_text(parsed)):
                label_map[text] = parsed
                label_slots.append(k)
        else:
            u_code[k] = m.NOT_A_NUMBER
            unknown.append(text)
    values = distinct.spread(u_val)
    codes = distinct.spread(u_code)
    per_slot = distinct.per_slot() if tally is not None or label_slots else None
    if tally is not None and per_slot is not None:
        for k in np.flatnonzero((u_code == m.USED) & (per_slot > 0)).tolist():
            tally[float(u_val[k])] = tally.get(float(u_val[k]), 0) + int(per_slot[k])
    n_labels = int(per_slot[label_slots].sum()) if label_slots and per_slot is not None else 0
    return values, codes, label_map, unknown, n_labels


SHORT_TEXT_MIN_ROWS = 10_000
"""Fewest rows for which :class:`_Distinct` reads the bytes of short texts itself."""
_ONE_BYTE = 1 << 16  # keys below: a text of two bytes (256 * first + second)
_LONGER = 2 * _ONE_BYTE  # keys from _ONE_BYTE: a text of one byte (_ONE_BYTE + 256 * it)
_NULL = _LONGER + 1  # then any other text, and a blank cell


class _Distinct:
    """The distinct answers of a text column, in order of first appearance (``uniques``),
    and where they are: slot k is ``uniques[k]``, slot ``len(uniques)`` the blank cells.
    Here each row's slot comes from ``pandas.factorize``; see :class:`_ShortTexts`."""

    def __init__(self, uniques: Any, slots: np.ndarray) -> None:
        self.uniques = uniques
        self.slots = slots

    @staticmethod
    def of(series: pd.Series) -> _Distinct:
        import pandas as pd

        if len(series) >= SHORT_TEXT_MIN_ROWS:
            keys = _short_keys(series)
            if keys is not None:
                found = _ShortTexts.from_keys(series, keys)
                if found is not None:
                    return found
        slots, uniques = pd.factorize(series, use_na_sentinel=True)
        return _Distinct(uniques, np.where(slots < 0, len(uniques), slots))

    def spread(self, table: np.ndarray) -> np.ndarray:
        """``table`` (one entry per slot) at every row: a new array."""
        out: np.ndarray = table[self.slots]
        return out

    def per_slot(self) -> np.ndarray:
        """Rows per slot."""
        return np.bincount(self.slots, minlength=len(self.uniques) + 1)


class _ShortTexts(_Distinct):
    """:class:`_Distinct` of a long Arrow text column whose answers are mostly one or two
    bytes long ("4", "10": ratings written as text), read from the bytes: about three
    times faster than hashing a million strings. Each row has a key (the bytes themselves,
    ``_LONGER`` for another text, ``_NULL`` for a blank) and ``key_slot`` maps a key to
    its slot; only the rows of other texts (``rest``, in slots ``rest_slots``) are
    hashed."""

    def __init__(
        self,
        uniques: list[str],
        keys: np.ndarray,
        key_slot: np.ndarray,
        key_rows: np.ndarray,
        rest: np.ndarray,
        rest_slots: np.ndarray,
    ) -> None:
        self.uniques = uniques
        self.keys, self.key_slot, self.key_rows = keys, key_slot, key_rows
        self.rest, self.rest_slots = rest, rest_slots

    @staticmethod
    def from_keys(series: pd.Series, keys: np.ndarray) -> _ShortTexts | None:
        """From the keys of :func:`_short_keys`; None when most rows hold longer texts."""
        import pandas as pd

        key_rows = np.bincount(keys, minlength=_NULL + 1)
        rest = np.flatnonzero(keys == _LONGER)
        if len(rest) * 2 > len(keys):
            return None
        rest_slots, rest_uniques = pd.factorize(series.iloc[rest], use_na_sentinel=True)
        short = np.flatnonzero(key_rows[:_LONGER])
        texts = [
            (bytes([k >> 8, k & 255]) if k < _ONE_BYTE else bytes([(k - _ONE_BYTE) >> 8])).decode()
            for k in short.tolist()
        ]
        # order of first appearance: the short texts' first rows and the other texts' (the
        # first row of each rest slot: factorize numbers them as they appear)
        firsts = np.concatenate(
            [_first_rows(keys, short), rest[np.unique(rest_slots, return_index=True)[1]]]
        )
        order = np.argsort(firsts, kind="stable")
        found = [*texts, *(str(u) for u in rest_uniques)]
        slot_of = np.empty(len(order), dtype=np.intp)
        slot_of[order] = np.arange(len(order))  # short texts, then the others -> their slot
        key_slot = np.full(_NULL + 1, len(found), dtype=np.intp)  # _NULL: the blank slot
        key_slot[short] = slot_of[: len(short)]
        return _ShortTexts(
            [found[i] for i in order.tolist()],
            keys,
            key_slot,
            key_rows,
            rest,
            slot_of[len(short) :][rest_slots],
        )

    def spread(self, table: np.ndarray) -> np.ndarray:
        out: np.ndarray = table[self.key_slot][self.keys]
        out[self.rest] = table[self.rest_slots]
        return out

    def per_slot(self) -> np.ndarray:
        rows = np.bincount(self.rest_slots, minlength=len(self.uniques) + 1)
        short = np.flatnonzero(self.key_slot[:_LONGER] < len(self.uniques))
        rows[self.key_slot[short]] += self.key_rows[short]
        rows[-1] += self.key_rows[_NULL]
        return rows


def _short_keys(series: pd.Series) -> np.ndarray | None:
    """The key of every cell of an Arrow text column (see :class:`_ShortTexts`), or None
    for another column or when its first rows are mostly longer texts (free text, ids)."""
    import pandas as pd

    dtype = series.dtype
    if not isinstance(dtype, pd.StringDtype) or dtype.storage != "pyarrow":
        return None
    chunks = series.array.__arrow_array__().chunks
    parts = []
    for k, arr in enumerate(chunks):
        keys = _chunk_keys(arr, first=k == 0)
        if keys is None:
            return None
        parts.append(keys)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _chunk_keys(arr: Any, first: bool) -> np.ndarray | None:
    """:func:`_short_keys` of one Arrow chunk (None for a chunk that is not text, or a
    ``first`` one whose first thousand cells are mostly not one or two bytes long)."""
    import pyarrow as pa

    kind: np.dtype[Any]
    if pa.types.is_large_string(arr.type):
        kind = np.dtype(np.int64)
    elif pa.types.is_string(arr.type):
        kind = np.dtype(np.int32)
    else:
        return None
    n = len(arr)
    _, offset_buf, data_buf = arr.buffers()
    if data_buf is None or data_buf.size == 0 or offset_buf is None:  # no text at all
        keys = np.full(n, _LONGER, dtype=np.intp)
    else:
        offsets = np.frombuffer(offset_buf, kind, count=n + 1, offset=arr.offset * kind.itemsize)
        lengths = np.diff(offsets)
        head = lengths[:1000]
        if first and np.count_nonzero((head == 1) | (head == 2)) * 2 < len(head):
            return None
        data = np.frombuffer(data_buf, np.uint8)
        start = offsets[:-1]
        one, two = lengths == 1, lengths == 2
        # the first byte and the second (0 unless the text has two): a cell at the very end
        # of the data is clipped, and its length says it is not short
        keys = data.take(start, mode="clip").astype(np.intp)
        keys <<= 8
        second = data.take(start + 1, mode="clip")
        second *= two
        keys |= second
        np.add(keys, _ONE_BYTE, out=keys, where=one)
        np.copyto(keys, _LONGER, where=~(one | two))
    if arr.null_count:
        np.copyto(keys, _NULL, where=~arr.is_valid().to_numpy(zero_copy_only=False))
    return keys


def _first_rows(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The first row holding each key of ``wanted`` (all present), looked for in the first
    rows (where the answers of a scale all turn up), then key by key further down."""
    top = keys[:4096]
    seen, at = np.unique(top, return_index=True)
    found = dict(zip(seen.tolist(), at.tolist(), strict=True))
    missing = [k for k in wanted.tolist() if k not in found]
    if len(missing) > 16:
        seen, at = np.unique(keys, return_index=True)
        found = dict(zip(seen.tolist(), at.tolist(), strict=True))
    else:
        for k in missing:
            found[k] = len(top) + int(np.argmax(keys[len(top) :] == k))
    return np.array([found[k] for k in wanted.tolist()], dtype=np.int64)


def _duplicated(ids: pd.Series) -> np.ndarray:
    """True for the second and later copies of an id; blank ids are never duplicates.

    Ids in increasing order but for a few rows (an export sorted by response id, perhaps
    with a pasted copy) need no hashing (:func:`_sorted_candidates`). Text ids (a million
    unique strings hash slowly: 0.16 s) are otherwise screened on a 64-bit hash of their
    bytes (:func:`_string_hash`). Either way only the few rows that may repeat are
    compared as values, so the answer is exact."""
    import pandas as pd

    words = _string_words(ids)
    candidates = _sorted_candidates(ids, words)
    if candidates is None:
        hashed = None if words is None else _string_hash(*words)
        if hashed is None:
            dup: np.ndarray = ids.duplicated(keep="first").to_numpy(dtype=bool)
            return dup & ids.notna().to_numpy(dtype=bool)
        candidates = np.flatnonzero(pd.Series(hashed).duplicated(keep=False).to_numpy())
    dup = np.zeros(len(ids), dtype=bool)
    if len(candidates):
        dup[candidates] = ids.iloc[candidates].duplicated(keep="first").to_numpy(bool)
    return dup & ids.notna().to_numpy(dtype=bool)


SORTED_OUTLIERS = 64
"""Most rows out of increasing order for which :func:`_sorted_candidates` still answers."""


def _sorted_candidates(
    ids: pd.Series, words: tuple[np.ndarray, np.ndarray] | None
) -> np.ndarray | None:
    """When the ids increase from row to row but for a few rows, the rows that may be
    copies of another (sorted row numbers): the rows out of order, the rows just before
    them, and the one row of the increasing rest equal to each of those. Every other row
    is distinct from all the others. None when the ids are not such a column (then the
    hashed screen runs).

    Integer ids compare as numbers, text ids by their zero-padded bytes (from
    :func:`_string_words`: equal texts have equal padded bytes, so rows of strictly
    increasing bytes are distinct texts)."""
    import bisect

    n = len(ids)
    key: Any
    greater: Any  # greater(stop): row i + 1 > row i, for the rows before stop
    if words is not None:
        padded = words[0]
        big = padded.view(">u8")  # byte order of the texts = order of big-endian words

        def greater(stop: int) -> np.ndarray:
            before, after = big[: stop - 1], big[1:stop]
            out = np.zeros(len(before), dtype=bool)
            equal = np.ones(len(before), dtype=bool)
            for j in range(big.shape[1]):
                out |= equal & (after[:, j] > before[:, j])
                equal &= after[:, j] == before[:, j]
                if not equal.any():
                    break
            return out

        def key(i: int) -> bytes:
            return bytes(padded[i].tobytes())

    elif isinstance(ids.dtype, np.dtype) and ids.dtype.kind in "iu" and n:
        values = ids.to_numpy()

        def greater(stop: int) -> np.ndarray:
            return np.asarray(values[1:stop] > values[: stop - 1])

        def key(i: int) -> int:
            return int(values[i])

    else:
        return None
    head = min(n, 64 * SORTED_OUTLIERS)  # an unsorted column shows it in its first rows
    if head < n and np.count_nonzero(~greater(head)) > SORTED_OUTLIERS:
        return None
    down = np.flatnonzero(~greater(n)) + 1  # rows not greater than the row before
    if len(down) > SORTED_OUTLIERS:
        return None
    if not len(down):
        return down
    odd = np.union1d(down, down - 1)
    rest = np.ones(n, dtype=bool)
    rest[odd] = False
    kept = np.flatnonzero(rest)
    # the rest increases where it was adjacent before; check where it joins over a gap
    for gap in np.flatnonzero(np.diff(kept) > 1).tolist():
        if not key(int(kept[gap])) < key(int(kept[gap + 1])):
            return None
    found = set(odd.tolist())
    for i in odd.tolist():
        at = bisect.bisect_left(range(len(kept)), key(i), key=lambda k: key(int(kept[k])))
        if at < len(kept) and key(int(kept[at])) == key(i):
            found.add(int(kept[at]))
    return np.array(sorted(found), dtype=np.int64)


STRING_HASH_MAX_BYTES = 64
"""Longest id (in UTF-8 bytes) screened by :func:`_string_hash`; longer ids use pandas."""


def _string_words(ids: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """The bytes of an Arrow-backed text column, each text padded with zero bytes to a
    common multiple of 8 (one row per cell, ``uint8``), and the texts' lengths; None for
    other columns, no text at all or texts longer than :data:`STRING_HASH_MAX_BYTES`.
    Blank cells are the empty text."""
    import pandas as pd
    import pyarrow as pa

    if not isinstance(ids.dtype, pd.StringDtype) or ids.dtype.storage != "pyarrow":
        return None
    arr = pa.array(ids.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    n = len(arr)
    if n == 0 or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    kind = np.dtype(np.int64 if pa.types.is_large_string(arr.type) else np.int32)
    _, offset_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offset_buf, kind, count=n + 1, offset=arr.offset * kind.itemsize)
    offsets = offsets.astype(np.int64)
    lengths = np.diff(offsets)
    if arr.null_count:
        lengths = np.where(arr.is_null().to_numpy(zero_copy_only=False), 0, lengths)
    longest = int(lengths.max())
    if longest == 0 or longest > STRING_HASH_MAX_BYTES or data_buf is None:
        return None
    data = np.frombuffer(data_buf, np.uint8)
    width = -(-longest // 8) * 8
    start = offsets[:-1]
    if arr.null_count == 0 and (lengths == longest).all() and width == longest:
        first = int(start[0])
        padded = data[first : first + n * width].reshape(n, width)
    else:
        padded = np.zeros((n, width), np.uint8)
        for j in range(longest):
            has = lengths > j
            padded[has, j] = data[start[has] + j]
    return np.ascontiguousarray(padded), lengths


def _string_hash(padded: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """A 64-bit hash per text from :func:`_string_words` (equal texts, equal hashes): its
    64-bit words mixed with pandas' ``hash_array``, and its length."""
    import pandas as pd

    words = padded.view(np.uint64)
    hashed: np.ndarray = pd.util.hash_array(words[:, 0]) ^ lengths.astype(np.uint64)
    for k in range(1, words.shape[1]):
        hashed = pd.util.hash_array(hashed ^ words[:, k])
    return hashed


def _blank_rows(frame: pd.DataFrame) -> np.ndarray | None:
    """Rows whose every cell is blank, or None when no row can be: a column with no blank
    cell at all proves it without looking at the other columns. Integer and boolean
    columns cannot hold a blank, and an Arrow column knows its count of nulls, so a
    million-row file usually needs no pass over its cells."""
    import pandas as pd

    for _, series in frame.items():
        dtype = series.dtype
        if isinstance(dtype, np.dtype) and dtype.kind in "iub":
            return None
        arrow = isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
        if arrow and series.array.__arrow_array__().null_count == 0:
            return None
    blank: np.ndarray = frame.isna().all(axis=1).to_numpy()
    return blank


def _scale(d: sc.Decision) -> Scale:
    return Scale(d.min, d.max, d.source, d.reversed, d.na_codes, d.confidence, d.evidence)


WEIGHT_RANGE = (1e-100, 1e100)


def _rescaled(weights: np.ndarray) -> np.ndarray:
    """Weights whose largest is outside 1e-100..1e100 divided by their largest.

    Every figure depends on weights only relative to each other, but sums of squared
    weights (Kish effective n, variances) underflow to 0 below about 1e-154 and overflow
    above 1e154: 1e-300 for everyone must give the unweighted figures, not a division by
    zero. Ordinary weights are kept exactly as given.
    """
    if not np.isfinite(weights).any():
        return weights
    top = float(np.nanmax(weights))
    if WEIGHT_RANGE[0] <= top <= WEIGHT_RANGE[1]:
        return weights
    return weights / top


def build_survey(raw: RawTable, settings: Settings, options: RoleSpec | None = None) -> Survey:
    """Interpret a raw table: decide roles, parse answers, fix scales and fill the ledger."""

    frame = raw.frame
    source = raw.source
    table = {normalize_label(k): v for k, v in settings.labels.items()}
    notes: list[str] = [as_note(n) for n in raw.notes]
    measure = dict(raw.measure)
    for col in _categorical(raw):
        measure[col] = "nominal"
    roles = resolve_roles(
        frame, options or RoleSpec(), settings.roles, table, source, raw.labels, raw.meta,
        measure,
    )  # fmt: skip
    n = len(frame)
    _not_items_note(roles, notes)

    ledger = Ledger(n_rows=n, first_data_row=raw.first_data_row, row_reason=np.zeros(n, np.int8))
    row_reason = ledger.row_reason

    blank_rows = _blank_rows(frame)
    if blank_rows is not None:
        row_reason[blank_rows] = m.BLANK_ROW
    if raw.row_status is not None:
        _platform_status(raw, settings, ledger, notes)

    if roles.id:
        dup = _duplicated(frame[roles.id]) & (row_reason == m.USED)
        row_reason[dup] = m.DUPLICATE_ID
        ledger.row_reason_column[m.DUPLICATE_ID] = roles.id

    weights: np.ndarray | None = None
    if roles.weight:
        w_values, w_codes, _, _, _ = parse_item(frame[roles.weight], {})
        free = row_reason == m.USED
        row_reason[free & (w_codes != m.USED)] = m.WEIGHT_MISSING
        usable = (w_values > 0) & np.isfinite(w_values)
        row_reason[free & (w_codes == m.USED) & ~usable] = m.WEIGHT_NOT_POSITIVE
        ledger.row_reason_column[m.WEIGHT_MISSING] = roles.weight
        ledger.row_reason_column[m.WEIGHT_NOT_POSITIVE] = roles.weight
        weights = _rescaled(np.where(row_reason == m.USED, w_values, np.nan))

    item_columns = roles.items()
    for col in settings.csi_weights:
        if col == "attrs" or col in item_columns:
            continue
        if col not in frame.columns:
            raise ColumnError(
                f"Error: {source}: unknown column {quote(col)} ([csi.weights] in csitool.toml). "
                f"{suggest(col, [str(c) for c in frame.columns])}"
            )
        item_columns.append(col)

    scales, values, cells, label_maps, scale_notes = read_items(
        raw, item_columns, settings, row_reason, table, nps=roles.nps
    )
    ledger.cells.update(cells)
    notes.extend(scale_notes)

    _dirty_roles(roles, ledger, notes)
    _check_nps_group(raw, roles, values, notes)
    if roles.nps and roles.nps in values:
        answered = values[roles.nps][~np.isnan(values[roles.nps])]
        if len(answered) >= 100 and answered.min() >= 1:
            notes.append(
                warning(
                    "nps_scale",
                    f"{quote(roles.nps)} has no 0 answers among {len(answered)}: if its scale is "
                    "1-10 rather than 0-10, the NPS cut-offs (0-6 / 7-8 / 9-10) do not apply "
                    "to it",
                    roles.nps,
                    col=roles.nps,
                    n=len(answered),
                )
            )
    survey = Survey(
        raw=raw,
        roles=roles,
        scales=scales,
        values=values,
        weights=weights,
        ledger=ledger,
        settings=settings,
        label_maps=label_maps,
        notes=notes,
    )
    if settings.strict:
        _enforce_strict(survey)
    return survey


def _platform_status(raw: RawTable, settings: Settings, ledger: Ledger, notes: list[str]) -> None:
    """Preview, test and spam responses are left out; unfinished ones with --complete-only."""
    status = raw.row_status
    row_reason = ledger.row_reason
    column = "Status" if "Status" in raw.frame.columns else None
    for word, code in m.ROW_STATUS.items():
        hit = (status == word) & (row_reason == m.USED)
        if word == "partial":
            n = int(hit.sum())
            if not n:
                continue
            if not settings.complete_only:
                spelled = setting("complete_only", "True")
                notes.append(
                    info(
                        "partial_kept",
                        f"{n} unfinished response(s) kept (the platform marks them partial); "
                        f"{spelled} leaves them out",
                        n=n,
                        setting=spelled,
                    )
                )
                continue
            for name in ("Finished", "Response Type"):
                if name in raw.frame.columns:
                    ledger.row_reason_column[code] = name
        elif column:
            ledger.row_reason_column[code] = column
        row_reason[hit] = code


def _check_nps_group(
    raw: RawTable, roles: Any, values: dict[str, np.ndarray], notes: list[str]
) -> None:
    """A platform's NPS group column (Qualtrics ``Qn_NPS_GROUP``) must agree with the groups
    computed from the score; a mismatch is a note naming the first rows."""
    for col, what in raw.meta.items():
        if not what.startswith("nps_group:"):
            continue
        base = what.split(":", 1)[1]
        if base not in values:
            continue
        score = values[base]
        text = raw.frame[col].astype(str).str.strip().str.casefold()
        given = np.select(
            [text.isin(["1", "1.0", "detractor", "detractors"]),
             text.isin(["2", "2.0", "passive", "passives"]),
             text.isin(["3", "3.0", "promoter", "promoters"])],
            [-1, 0, 1], 99,
        )  # fmt: skip
        expected = np.where(
            score >= sc.PROMOTER_MIN, 1, np.where(score >= sc.DETRACTOR_MAX + 1, 0, -1)
        )
        bad = (given != 99) & ~np.isnan(score) & (given != expected)
        if bad.any():
            rows = [raw.first_data_row + int(i) for i in np.flatnonzero(bad)[:10]]
            notes.append(
                info(
                    "nps_group",
                    f"{quote(col)} disagrees with the groups computed from {quote(base)} in "
                    f"{int(bad.sum())} row(s): {', '.join(map(str, rows))}; the score is used",
                    col,
                    col=col,
                    base=base,
                    n=int(bad.sum()),
                    rows=rows,
                )
            )


def read_items(
    raw: RawTable,
    columns: list[str],
    settings: Settings,
    row_reason: np.ndarray,
    table: dict[str, float | str],
    nps: str | None = None,
) -> tuple[
    dict[str, Scale], dict[str, np.ndarray], dict[str, np.ndarray], dict[str, Any], list[Note]
]:
    """Parse rating items, decide their scales together (batteries), apply n/a codes,
    ranges and reversal. Returns scales, values (NaN where excluded), ledger codes, label
    maps and notes."""
    frame = raw.frame
    parsed: dict[str, tuple[np.ndarray, np.ndarray, dict[str, Any], int]] = {}
    tallies: dict[str, dict[float, int]] = {}
    for col in columns:
        if col != nps:  # the NPS item's scale is fixed: its answers need no counting
            tallies[col] = {}
        parsed[col] = _parse_answers(
            frame[col], col, table, settings, raw.source, raw.dont_know.get(col), tallies.get(col)
        )
    evidence = []
    extents: dict[str, tuple[float, float]] = {}
    for col in columns:
        if col == nps:
            continue
        vals, codes, _, n_labels = parsed[col]
        series = frame[col]
        # the used answers per value, counted by parse_item where it could (a number or a
        # text column) unless a don't-know code took some of the answers it counted out
        tally = tallies[col]
        if raw.dont_know.get(col) or (series.dtype.kind not in "iu" and not tally):
            tally = sc.counts(np.where(codes == m.USED, vals, np.nan))
        # every used answer lies between the tally's least and greatest value (inf, -inf:
        # there is none), which spares _apply_scale its own pass to look for strays
        extents[col] = (min(tally), max(tally)) if tally else (math.inf, -math.inf)
        wording = raw.labels.get(col, "")
        value_labels = raw.value_labels.get(col, {})
        evidence.append(
            sc.Evidence(
                column=col,
                values=vals,
                tally=tally,
                wording=f"{col} {wording}".strip(),
                value_labels=value_labels,
                from_text_labels=n_labels > 0,
                battery=(
                    f"group:{raw.groups[col]}"  # a merged group-header row names the battery
                    if raw.groups.get(col)
                    else sc.battery_key(col, wording, value_labels)
                ),
            )
        )
    reverse = _expand_names(settings.reverse, list(columns))
    decisions = sc.decide(
        evidence,
        config=settings.scales,
        default=settings.default_scale,
        reverse=reverse,
        na_codes=settings.na_codes,
    )
    scales: dict[str, Scale] = {}
    values: dict[str, np.ndarray] = {}
    cells: dict[str, np.ndarray] = {}
    label_maps: dict[str, Any] = {}
    notes: list[Note] = sc.merged_notes(decisions)
    excluded_rows = row_reason != m.USED
    for col in columns:
        vals, codes, label_map, _ = parsed[col]
        if col == nps:
            scale = Scale(*sc.NPS_SCALE, "nps", evidence=(NPS_EVIDENCE,))
        else:
            scale = _scale(decisions[col])
        vals, codes = _apply_scale(
            vals, codes, scale, row_reason, excluded_rows, in_place=True, extent=extents.get(col)
        )
        scales[col], values[col], cells[col] = scale, vals, codes
        if label_map:
            label_maps[col] = label_map
    return scales, values, cells, label_maps, notes


def _parse_answers(
    series: pd.Series,
    col: str,
    table: dict[str, float | str],
    settings: Settings,
    source: str,
    dont_know: set[float] | None,
    tally: dict[float, int] | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any], int]:
    """Answers to numbers and first ledger codes (blank, don't know, not a number); a text
    column also fills ``tally`` (used answers per value)."""
    vals, codes, label_map, unknown, n_labels = parse_item(series, table, tally)
    if dont_know:
        codes[np.isin(vals, list(dont_know)) & (codes == m.USED)] = m.DONT_KNOW
    if unknown:
        nonblank = int(np.count_nonzero(codes != m.BLANK))
        n_unknown = int(np.count_nonzero(codes == m.NOT_A_NUMBER))
        if n_labels > 0 or n_unknown * 2 >= nonblank:
            if settings.unmapped == "exclude":
                codes[codes == m.NOT_A_NUMBER] = m.UNMAPPED_LABEL
            else:
                raise InputError(_unmapped_message(source, col, unknown))
    return vals, codes, label_map, n_labels


def _apply_scale(
    vals: np.ndarray,
    codes: np.ndarray,
    scale: Scale,
    row_reason: np.ndarray,
    excluded_rows: np.ndarray | None = None,
    *,
    in_place: bool = False,
    extent: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """n/a codes, out-of-range answers, row-level reasons, then reversal (min + max - code).
    ``excluded_rows`` is ``row_reason != USED`` when the caller has it (one per survey).

    ``in_place=True`` writes the values into ``vals`` and returns it: only for a caller that
    owns the array (:func:`read_items`, whose values :func:`parse_item` made). A new array
    of a million values costs the first touch of fresh memory, several times the
    arithmetic; the figures are the same either way.

    ``extent`` (least, greatest) bounds every used answer when the caller knows it (from
    the answers' tally); otherwise the values are scanned for answers off the scale."""
    codes = codes.astype(np.int8)  # a copy: the caller's codes stay as parsed
    used = codes == m.USED  # kept up to date below: one pass per step, not two
    for code in scale.na_codes:
        hit = used & (vals == code)
        below = code == 0 and scale.min >= 1
        codes[hit] = m.NOT_APPLICABLE if below else m.DONT_KNOW
        used &= ~hit
    if extent is not None:
        beyond = extent[0] < scale.min or extent[1] > scale.max
    else:
        beyond = _beyond(vals, scale)
    if beyond:  # most columns hold no answer off the scale
        off = used & ((vals < scale.min) | (vals > scale.max))  # False for NaN
        if off.any():
            codes[off] = m.OUT_OF_RANGE
            used &= ~off
    if excluded_rows is None:
        excluded_rows = row_reason != m.USED
    if excluded_rows.any():
        np.copyto(codes, row_reason.astype(np.int8, copy=False), where=excluded_rows)
        np.copyto(used, False, where=excluded_rows)
    if not in_place:
        vals = np.where(used, vals, np.nan)
        if scale.reversed:
            vals = scale.min + scale.max - vals
        return vals, codes
    np.copyto(vals, np.nan, where=np.logical_not(used, out=used))
    if scale.reversed:
        np.subtract(scale.min + scale.max, vals, out=vals)
    return vals, codes


def _beyond(vals: np.ndarray, scale: Scale) -> bool:
    """Whether some value (NaN ignored) lies off the scale: False proves that no answer is
    out of range without the element-wise comparisons (two passes that allocate nothing)."""
    if not len(vals):
        return False
    with np.errstate(invalid="ignore"):
        lo, hi = float(np.fmin.reduce(vals)), float(np.fmax.reduce(vals))
    return lo < scale.min or hi > scale.max  # both NaN (no number at all): False


def _expand_names(patterns: tuple[str, ...], columns: list[str]) -> list[str]:
    import fnmatch

    out: list[str] = []
    for pat in patterns:
        out.extend(c for c in columns if c == pat or fnmatch.fnmatchcase(c, pat))
    return out


def _categorical(raw: RawTable) -> list[str]:
    """SPSS columns whose value labels name categories (declared nominal, or labels such as
    서울 / Germany / business with no rating word): their codes become the label texts, so
    they read as segments and never as rating items."""
    out = []
    for col, labels in list(raw.value_labels.items()):
        declared = raw.measure.get(col)
        texts = [t for t in labels.values() if not sc.is_na_label(t)]
        # labels that carry their own code ("point 5", "5점") are scale points
        numbered = sum(
            1 for code, t in labels.items()
            if any(float(x) in (code, code - 1) for x in re.findall(r"\d+", t))
        )  # fmt: skip
        categories = (
            len(texts) >= 2
            and not any(sc.polarity(t) for t in texts)
            and not any(_NUMBER.match(t) for t in texts)
            and numbered * 2 < len(labels)
        )
        if declared == "nominal" or (declared != "scale" and categories):
            raw.frame[col] = _as_text(raw.frame[col], labels)
            del raw.value_labels[col]
            out.append(col)
    return out


def _as_text(series: pd.Series, labels: dict[float, str]) -> pd.Series:
    import pandas as pd

    def one(v: Any) -> Any:
        if v is None or (isinstance(v, float) and v != v):
            return None
        try:
            key = float(v)
        except (TypeError, ValueError):
            return str(v)
        return labels.get(key, f"{key:g}")

    return pd.Series([one(v) for v in series.tolist()], index=series.index, dtype=object)


def _dirty_roles(roles: Any, ledger: Ledger, notes: list[str]) -> None:
    """A detected NPS or satisfaction column keeps its role despite a few invalid cells;
    say how many and where (they are in the ledger)."""
    for key in ("nps", "sat"):
        col = getattr(roles, key)
        if not col or roles.source.get(col) != "detected" or col not in ledger.cells:
            continue
        codes = ledger.cells[col]
        bad = np.flatnonzero(np.isin(codes, (m.OUT_OF_RANGE, m.NOT_A_NUMBER, m.UNMAPPED_LABEL)))
        if len(bad):
            rows = ", ".join(str(ledger.row_number(int(i))) for i in bad[:5])
            more = " ..." if len(bad) > 5 else ""
            notes.append(
                info(
                    "role_dirty",
                    f"{quote(col)} is the {key} item although {len(bad)} cell(s) are invalid "
                    f"(row {rows}{more}); they are left out",
                    col,
                    col=col,
                    role=key,
                    n=len(bad),
                    rows=rows,
                    more=more,
                )
            )


def _not_items_note(roles: Any, notes: list[str]) -> None:
    """One note naming the numeric columns that were not scored, grouped by why."""
    groups: dict[str, list[str]] = {}
    for col, why in roles.other.items():
        if why.startswith("importance rating"):
            groups.setdefault("importance ratings", []).append(col)
        elif why.startswith("a model's output"):
            groups.setdefault("a model's outputs (named as predicted)", []).append(col)
        elif why.startswith(("categories", "two answers", "numbers with", "numbers beyond")):
            groups.setdefault(why.split(",")[0].split(" (")[0], []).append(col)
    if not groups:
        return
    parts = []
    for why, cols in groups.items():
        shown = ", ".join(repr(c) for c in cols[:6]) + (
            f" (+{len(cols) - 6})" if len(cols) > 6 else ""
        )
        reason = phrase("why_not_item", why, form=WHY_NOT_ITEM.get(why))
        parts.append(phrase("not_an_item_part", f"{shown}: {why}", columns=cols, why=reason))
    notes.append(info("not_an_item", "not scored as ratings: " + "; ".join(parts), parts=parts))


NPS_EVIDENCE = phrase("evidence", "NPS item: 0-10", form="nps")

#: the reasons ``roles.why_not_item`` gives (their first words), as phrase forms
WHY_NOT_ITEM = {
    "categories": "categories",
    "numbers with a unit": "unit",
    "two answers only": "binary",
    "numbers with decimals": "decimals",
    "numbers beyond 0-10": "beyond",
    "importance ratings": "importance",
    "a model's outputs (named as predicted)": "model_output",
}


def with_items(survey: Survey, columns: list[str]) -> Survey:
    """The survey with more columns read as rating items (e.g. a drivers target that has no
    role). Columns already read are left as they are; the ledger gains the new columns."""
    frame = survey.raw.frame
    new = [c for c in columns if c not in survey.values]
    if not new:
        return survey
    names = [str(c) for c in frame.columns]
    for col in new:
        if col not in names:
            raise unknown_column(survey.path, col, names, None)
    table = {normalize_label(k): v for k, v in survey.settings.labels.items()}
    ledger = replace(survey.ledger, cells=dict(survey.ledger.cells))
    scales, values, cells, label_maps, notes = read_items(
        survey.raw, new, survey.settings, ledger.row_reason, table
    )
    ledger.cells.update(cells)
    return replace(
        survey,
        ledger=ledger,
        values={**survey.values, **values},
        scales={**survey.scales, **scales},
        label_maps={**survey.label_maps, **label_maps},
        notes=[*survey.notes, *notes],
    )


def open_survey(
    path: str | Path,
    roles: RoleSpec,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    config: Path | None = None,
    strict: bool = False,
    complete_only: bool = False,
    format_hint: str | None = None,
    header_row: int | None = None,
) -> Survey:
    """Settings from csitool.toml (``config``, or ``./csitool.toml``), then read and interpret.

    ``sheet`` and ``header_row`` beat ``[read] sheet`` / ``header_row`` in the file."""
    from csitool.config import find_config, load_settings
    from csitool.io import read_table

    settings = load_settings(find_config(config))
    settings = replace(
        settings,
        strict=strict or settings.strict,
        complete_only=complete_only or settings.complete_only,
        format_hint=format_hint or settings.format_hint,
    )
    raw = read_table(
        path,
        sheet=sheet if sheet is not None else settings.sheet,
        encoding=encoding,
        hint=settings.format_hint,
        header_row=header_row if header_row is not None else settings.header_row,
    )
    return build_survey(raw, settings, roles)


def read_survey(path: str | Path, reading: Reading) -> Survey:
    """:func:`open_survey` with the roles and reading options of one :class:`Reading`."""
    return open_survey(
        path,
        reading.roles,
        sheet=reading.sheet,
        encoding=reading.encoding,
        config=reading.config,
        strict=reading.strict,
        complete_only=reading.complete_only,
        format_hint=reading.format_hint,
        header_row=reading.header_row,
    )


def _unmapped_message(source: str, column: str, unknown: list[str]) -> str:
    shown = unknown[:10]
    more = f" (and {len(unknown) - 10} more)" if len(unknown) > 10 else ""
    lines = "\n".join(f'"{u}" = 0   # put its number here' for u in shown)
    return (
        f"Error: {source}: column {quote(column)} holds answer labels csitool cannot turn "
        "into numbers: "
        + ", ".join(repr(u) for u in shown)
        + f"{more}. Add them to csitool.toml, e.g.\n[labels]\n{lines}\n"
        '(use "dont_know" for answers that mean don\'t know / not applicable).'
    )


def _enforce_strict(survey: Survey) -> None:
    """Strict reading: invalid values, then uncertain readings (warning notes), are exit 3."""
    ledger = survey.ledger
    bad = [
        r
        for r in ledger.excluded(survey.raw.frame)
        if r["reason"] in {m.REASONS[c] for c in m.INVALID}
    ]
    unsure = [n for n in survey.notes if isinstance(n, Note) and n.is_warning]
    if bad:
        shown = "; ".join(
            f"row {r['row']}"
            + (f" {quote(r['column'])}" if r["column"] else "")
            + f" = {quote(r['value'])} ({m.REASON_TEXT[r['reason']]})"
            for r in bad[:5]
        )
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise StrictError(path=survey.path, count=len(bad), shown=shown + more,
                          uncertain=len(unsure))  # fmt: skip
    if unsure:
        shown = "; ".join(n.message for n in unsure[:5])
        more = f" and {len(unsure) - 5} more" if len(unsure) > 5 else ""
        raise StrictError(path=survey.path, problem="uncertain", count=len(unsure),
                          shown=shown + more)  # fmt: skip
