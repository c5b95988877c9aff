"""The :class:`Survey` (typed numbers, roles, scales) and its data-quality :class:`Ledger`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from csitool.survey.roles import Roles

if TYPE_CHECKING:
    import pandas as pd

    from csitool.config import Settings
    from csitool.io.table import RawTable

# Reason codes. 0 means used. Row-level reasons exclude the whole row from every role.
USED = 0
BLANK = 1
NOT_A_NUMBER = 2
OUT_OF_RANGE = 3
DONT_KNOW = 4
UNMAPPED_LABEL = 5
BLANK_ROW = 6
DUPLICATE_ID = 7
WEIGHT_MISSING = 8
WEIGHT_NOT_POSITIVE = 9
PREVIEW_RESPONSE = 10
TEST_RESPONSE = 11
SPAM_RESPONSE = 12
PARTIAL_RESPONSE = 13
NOT_APPLICABLE = 14

REASONS: dict[int, str] = {
    BLANK: "blank",
    NOT_A_NUMBER: "not_a_number",
    OUT_OF_RANGE: "out_of_range",
    DONT_KNOW: "dont_know",
    UNMAPPED_LABEL: "unmapped_label",
    BLANK_ROW: "blank_row",
    DUPLICATE_ID: "duplicate_id",
    WEIGHT_MISSING: "weight_missing",
    WEIGHT_NOT_POSITIVE: "weight_not_positive",
    PREVIEW_RESPONSE: "preview_response",
    TEST_RESPONSE: "test_response",
    SPAM_RESPONSE: "spam_response",
    PARTIAL_RESPONSE: "partial_response",
    NOT_APPLICABLE: "not_applicable",
}
REASON_TEXT: dict[str, str] = {
    "blank": "blank answer",
    "not_a_number": "not a number",
    "out_of_range": "outside the item's scale",
    "dont_know": "don't know / not applicable",
    "unmapped_label": "text label with no number",
    "blank_row": "blank row",
    "duplicate_id": "duplicate id (second and later copies)",
    "weight_missing": "weight missing or not a number",
    "weight_not_positive": "weight zero, negative or infinite",
    "preview_response": "survey preview (platform status)",
    "test_response": "survey test (platform status)",
    "spam_response": "spam (platform status)",
    "partial_response": "unfinished response (platform status)",
    "not_applicable": "0 = not applicable (below a 1-k scale)",
}
ROW_STATUS = {
    "preview": PREVIEW_RESPONSE,
    "test": TEST_RESPONSE,
    "spam": SPAM_RESPONSE,
    "partial": PARTIAL_RESPONSE,
}
ROW_LEVEL = (
    BLANK_ROW,
    DUPLICATE_ID,
    WEIGHT_MISSING,
    WEIGHT_NOT_POSITIVE,
    PREVIEW_RESPONSE,
    TEST_RESPONSE,
    SPAM_RESPONSE,
    PARTIAL_RESPONSE,
)
INVALID = (
    NOT_A_NUMBER,
    OUT_OF_RANGE,
    UNMAPPED_LABEL,
    DUPLICATE_ID,
    WEIGHT_MISSING,
    WEIGHT_NOT_POSITIVE,
)


@dataclass(frozen=True)
class Scale:
    """An item's answer scale, where it came from (nps, config, labels, wording, answers,
    battery), whether it was reversed (values recoded as min + max - code), which codes mean
    not applicable, how sure csitool is (high, medium, low) and the evidence."""

    min: float
    max: float
    source: str
    reversed: bool = False
    na_codes: tuple[float, ...] = ()
    confidence: str = "high"
    evidence: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{number_text(self.min)}-{number_text(self.max)}"

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self) | {"na_codes": list(self.na_codes), "evidence": list(self.evidence)}


def number_text(x: float) -> str:
    """``5`` for 5.0, ``4.5`` for 4.5."""
    return str(int(x)) if float(x).is_integer() else str(x)


@dataclass
class Ledger:
    """For every input row and every role column: used, or excluded with a reason.

    ``row_reason[i]`` is a row-level reason (or 0); ``cells[col][i]`` the reason for that
    column (row-level reasons folded in), so ``used + excluded == n_rows`` for every column.
    Source row numbers are ``first_data_row + i``.
    """

    n_rows: int
    first_data_row: int
    row_reason: np.ndarray
    cells: dict[str, np.ndarray] = field(default_factory=dict)
    row_reason_column: dict[int, str] = field(default_factory=dict)

    def row_number(self, i: int) -> int:
        return self.first_data_row + int(i)

    def column_counts(self, column: str) -> dict[str, int]:
        """``{"used": n, reason: n, ...}`` for one column; the values add up to ``n_rows``."""
        counts = code_counts(self.cells[column])
        out = {"used": int(counts[USED])}
        for code, name in REASONS.items():
            if counts[code]:
                out[name] = int(counts[code])
        return out

    def counts(self) -> dict[str, int]:
        """Exclusions per reason: row-level reasons count rows, the others count cells."""
        out: dict[str, int] = {}
        row_counts = code_counts(self.row_reason)
        for code in ROW_LEVEL:
            if row_counts[code]:
                out[REASONS[code]] = int(row_counts[code])
        for codes in self.cells.values():
            cell_counts = code_counts(codes)
            for code, name in REASONS.items():
                if code not in ROW_LEVEL and cell_counts[code]:
                    out[name] = out.get(name, 0) + int(cell_counts[code])
        return out

    @property
    def rows_kept(self) -> int:
        return int(np.count_nonzero(self.row_reason == USED))

    def excluded(
        self, raw: pd.DataFrame | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Every exclusion as ``{row, column, value, reason}``, in source row order.

        A row-level exclusion is listed once (its column is the id or weight column, or
        ``None`` for a blank row); cell exclusions are listed per column. ``limit`` keeps
        the first ``limit`` of them (a workbook sheet holds about a million rows);
        :meth:`exclusion_counts` gives the exact counts however many are left out.
        """
        columns = list(self.cells)
        kept = self.row_reason == USED
        hits = [(codes != USED) & kept for codes in self.cells.values()]
        stop = self.n_rows
        if limit is not None:  # only the rows that hold the first `limit` entries
            per_row = (~kept).astype(np.int64)
            for hit in hits:
                per_row += hit
            stop = min(int(np.searchsorted(np.cumsum(per_row), max(0, limit))) + 1, stop)
        rows = [np.flatnonzero(~kept[:stop])]
        keys = [np.full(len(rows[0]), -1)]
        for k, hit in enumerate(hits):
            rows.append(np.flatnonzero(hit[:stop]))
            keys.append(np.full(len(rows[-1]), k))
        all_rows, all_keys = np.concatenate(rows), np.concatenate(keys)
        order = np.argsort(all_rows, kind="stable")  # by row, then column (block order)
        if limit is not None:
            order = order[: max(0, limit)]
        at, key = all_rows[order], all_keys[order]
        # reason codes and column names of the listed entries, one column at a time
        codes = self.row_reason[at].astype(np.int64)
        names: np.ndarray = np.full(len(at), None, dtype=object)
        for code in np.unique(codes[key < 0]).tolist():
            names[(key < 0) & (codes == code)] = self.row_reason_column.get(code)
        for k in np.unique(key[key >= 0]).tolist():
            mine = key == k
            codes[mine] = self.cells[columns[k]][at[mine]]
            names[mine] = columns[k]
        values: np.ndarray = np.full(len(at), None, dtype=object)
        if raw is not None:
            for col in {c for c in names.tolist() if c is not None and c in raw.columns}:
                mine = names == col
                values[mine] = _cells(raw[col], at[mine])
        reason_of = [REASONS.get(c, "") for c in range(max(REASONS) + 1)]
        return [
            {"row": row, "column": col, "value": value, "reason": reason_of[code]}
            for row, col, value, code in zip(
                (at + self.first_data_row).tolist(),
                names.tolist(),
                values.tolist(),
                codes.tolist(),
                strict=True,
            )
        ]

    def exclusion_counts(self) -> list[tuple[str, str | None, int]]:
        """``(reason, column, count)`` for every kind of exclusion :meth:`excluded` lists:
        row reasons first (column: the id/weight column, or None), then cells by column."""
        out: list[tuple[str, str | None, int]] = []
        for code, n in enumerate(np.bincount(self.row_reason.astype(np.int64))):
            if code != USED and n:
                out.append((REASONS[code], self.row_reason_column.get(code), int(n)))
        for col, codes in self.cells.items():
            left = codes[(codes != USED) & (self.row_reason == USED)].astype(np.int64)
            for code, n in enumerate(np.bincount(left)):
                if n:
                    out.append((REASONS[code], col, int(n)))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_rows": self.n_rows,
            "rows_kept": self.rows_kept,
            "excluded": self.counts(),
            "by_column": {c: self.column_counts(c) for c in self.cells},
        }


def code_counts(codes: np.ndarray) -> np.ndarray:
    """How many cells hold each reason code (index = code; at least ``len(REASONS) + 1``
    slots), as ``np.bincount`` counts them. bincount first copies int8 codes to 8-byte
    integers (8 MB per million cells); most cells are used, so those are counted with one
    comparison and only the others go through bincount."""
    size = len(REASONS) + 1
    other = codes[codes != USED]
    counts = np.bincount(other.astype(np.intp), minlength=size)
    counts[USED] = len(codes) - len(other)
    return counts


def _cells(series: pd.Series, at: np.ndarray) -> list[Any]:
    """The cells of ``series`` at positions ``at`` as plain Python values for a listing:
    None for blanks, whole floats as ints, numpy scalars unwrapped, anything else (dates)
    as text. One take of the column, not one lookup per cell."""
    taken = series.iloc[at]
    if isinstance(taken.dtype, np.dtype) and taken.dtype.kind == "f":
        v = taken.to_numpy()
        blank = np.isnan(v)
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(v) & (v == np.floor(v))
        small = whole & (np.abs(v) < 2.0**62)
        out: np.ndarray = v.astype(object)
        out[small] = v[small].astype(np.int64).astype(object)
        big = np.flatnonzero(whole & ~small)
        out[big] = [int(x) for x in v[big].tolist()]
        out[blank] = None
        return list(out.tolist())
    return [_plain(v) for v in taken.tolist()]


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int | float | str) else str(value)


def check_segment_count(path: str, column: str, role: str, count: int, settings: Any) -> None:
    """A segment column with more values than ``[score] max_segment_values`` is refused
    (a ColumnError naming the count and the limit): it is an id or free text, not a segment."""
    from csitool.errors import ColumnError

    limit = settings.max_segment_values
    if count > limit:
        raise ColumnError(path=path, column=column, role=role, problem="too_many_values",
                          count=count, limit=limit)  # fmt: skip


@dataclass
class Survey:
    """A survey ready for statistics.

    ``values[col]`` is a float array over all input rows with NaN where the ledger excludes
    the cell; ``weights`` is None without a weight role, else a float array with NaN on
    excluded rows. ``raw`` keeps the table as read (for listing exclusions and segments).
    """

    raw: RawTable
    roles: Roles
    scales: dict[str, Scale]
    values: dict[str, np.ndarray]
    weights: np.ndarray | None
    ledger: Ledger
    settings: Settings
    label_maps: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: each segment column's values and row codes, made once (:meth:`segment_codes`); not an
    #: init argument, so a survey made by ``dataclasses.replace`` starts without them
    _segments: dict[str, tuple[list[str], np.ndarray]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def path(self) -> str:
        return self.raw.source

    @property
    def n_rows(self) -> int:
        return self.ledger.n_rows

    def segments(self, column: str, role: str = "by") -> tuple[list[str], np.ndarray]:
        """The values of a segment column in display order ((blank) last) and every row's
        value. ``role`` is the argument that named it (``by``, ``wave``), for errors.

        An unknown column is a :class:`ColumnError` listing the columns, near matches first.
        """
        values, codes = self.segment_codes(column, role)
        labels: np.ndarray = np.array(values, dtype=object)[codes]
        return values, labels

    def segment_codes(self, column: str, role: str = "by") -> tuple[list[str], np.ndarray]:
        """:meth:`segments` as numbers: the values in display order and every row's index
        into them (a read-only int32 array). Made once per column and kept, since a report
        splits its score, drivers and comments by the same columns."""
        from csitool.survey.roles import unknown_column

        names = [str(c) for c in self.raw.frame.columns]
        if column not in names:
            raise unknown_column(self.path, column, names, role)
        if column not in self._segments:
            texts, codes = self._segment_parts(column)
            used = np.bincount(codes, minlength=len(texts)) > 0
            distinct = {str(t) for t in texts[used].tolist()}
            values = sorted(distinct, key=lambda v: (v == "(blank)", v))
            where = {v: i for i, v in enumerate(values)}
            index = np.array([where.get(str(t), -1) for t in texts.tolist()], dtype=np.int32)
            row_codes = index[codes]
            row_codes.flags.writeable = False
            self._segments[column] = (values, row_codes)
        values, row_codes = self._segments[column]
        check_segment_count(self.path, column, role, len(values), self.settings)
        return list(values), row_codes

    def segment_values(self, column: str, role: str = "by") -> list[str]:
        """The values of a segment column in display order ((blank) last): what
        :meth:`segments` gives without the rows (a survey counted by an engine has the
        same method)."""
        return self.segment_codes(column, role)[0]

    def segment_labels(self, column: str) -> np.ndarray:
        """The segment value of every row as text; blanks become ``"(blank)"``."""
        texts, codes = self._segment_parts(column)
        out: np.ndarray = texts[codes]
        return out

    def _segment_parts(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """The distinct texts of a segment column (an object array; blanks as ``"(blank)"``,
        a text may repeat) and each row's index into them: each distinct value is made into
        text once, so the rows share a few text objects (a million new ones took 0.14 s,
        and hashing them as much)."""
        import pandas as pd

        series = self.raw.frame[column]
        if pd.api.types.is_float_dtype(series):
            as_int = series.dropna()
            if len(as_int) and bool((as_int % 1 == 0).all()):
                codes, uniques = pd.factorize(series, use_na_sentinel=True)
                texts = np.array(
                    [*(str(int(v)) for v in uniques.tolist()), "(blank)"], dtype=object
                )
                return texts, np.where(codes < 0, len(texts) - 1, codes)
        if isinstance(series.dtype, pd.StringDtype):
            codes, uniques = pd.factorize(series.str.strip(), use_na_sentinel=True)
            texts = np.array([*uniques.tolist(), "(blank)"], dtype=object)  # -1 (NA): last
            texts[np.array([t == "" for t in texts.tolist()], dtype=bool)] = "(blank)"
            return texts, np.where(codes < 0, len(texts) - 1, codes)
        text = series.astype(object).where(series.notna(), None)
        cells = np.array(
            ["(blank)" if v is None or str(v).strip() == "" else str(v).strip() for v in text],
            dtype=object,
        )
        at, distinct = pd.factorize(cells)
        return np.asarray(distinct, dtype=object), at

    def frame(self) -> pd.DataFrame:
        """The typed item values (NaN where excluded) with source row numbers, for library use."""
        import pandas as pd

        data: dict[str, Any] = {"row": self.ledger.first_data_row + np.arange(self.n_rows)}
        data.update(self.values)
        if self.weights is not None:
            data["weight"] = self.weights
        return pd.DataFrame(data)
