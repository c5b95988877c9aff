"""Where the table is: header row, group-header row, cover sheets and long-format files.

Pure functions over a small sample of raw cells (the first :data:`SCAN_ROWS` rows of a
sheet or text file, read without a header), so they cost the same on 100 rows and on
1,000,000. :func:`find_long` looks at a bounded head of the frame.

The header heuristic, in order:

1. ``width`` is the largest number of filled cells in any sampled row.
2. Blank rows are skipped. A row with few filled cells (at most 2 when the table is 5 or
   more columns wide, or fewer than half of ``width``) is a title or a note: skipped.
3. The first other row is the header, unless it is a *group-header row*: a row of a few
   text cells with gaps between them (merged cells read as a value and blanks) directly
   above a fuller row of distinct text. Then that fuller row is the header and the group
   names are forward-filled over its columns.
4. A header that is mostly numbers is not a header (a file without one): the first
   non-blank row is kept, as before.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from csitool.notes import Phrase, phrase

if TYPE_CHECKING:
    import pandas as pd

SCAN_ROWS = 30
"""Rows sampled to find the header (titles and notes above a header are rarely more)."""
UNNAMED_PREFIXES = ("__UNNAMED__", "Unnamed: ")
NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$")
COVER_NAMES = {
    "조사개요", "개요", "표지", "안내", "설명", "목차", "notes", "note", "readme", "read me",
    "cover", "about", "info", "information", "contents", "intro", "introduction",
}  # fmt: skip
COVER_MAX_ROWS = 30
LONG_TEXT = 40
LONG_MAX_COLUMNS = 15
LONG_SAMPLE_ROWS = 200_000
LONG_CODE_MAX = 120  # question codes or full question texts
QUESTION_WORDS = ("question", "문항", "질문", "item", "variable", "변수", "qid")
ANSWER_WORDS = ("answer", "value", "답변", "응답값", "값")


def cell_text(value: Any) -> str:
    """A cell as stripped text; blanks (None, NaN, '', unnamed headers) are ``""``."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    text = str(value).strip()
    if text.startswith(UNNAMED_PREFIXES) or text in ("nan", "NaN", "<NA>", "None"):
        return ""
    return text


def looks_numeric(text: str) -> bool:
    """True for ``3``, ``-1.5``, ``4,5``, ``80%``: a cell that reads as a number."""
    return bool(NUMBER.match(text.replace(" ", "")))


@dataclass(frozen=True)
class RowFacts:
    """What the header heuristic needs to know about one sampled row."""

    filled: int
    positions: tuple[int, ...]
    texts: tuple[str, ...]

    @property
    def numeric_share(self) -> float:
        return sum(looks_numeric(t) for t in self.texts) / self.filled if self.filled else 0.0

    @property
    def distinct_share(self) -> float:
        return len(set(self.texts)) / self.filled if self.filled else 0.0


def row_facts(row: Sequence[Any]) -> RowFacts:
    cells = [cell_text(v) for v in row]
    positions = tuple(i for i, t in enumerate(cells) if t)
    return RowFacts(len(positions), positions, tuple(cells[i] for i in positions))


@dataclass(frozen=True)
class HeaderGuess:
    """Where the header is in a sample (0-based positions in the sample).

    ``header`` is the header row; ``group`` the group-header row above it, or None;
    ``skipped`` the positions of non-blank rows above that were skipped (titles, notes);
    ``unsure`` is set when the row under the header looks like a header too.
    """

    header: int
    group: int | None = None
    skipped: tuple[int, ...] = ()
    unsure: bool = False
    groups: tuple[str, ...] = field(default=())


def _is_title(facts: RowFacts, width: int) -> bool:
    return facts.filled < (width + 1) // 2 or (width >= 5 and facts.filled <= 2)


def _is_textual_header(facts: RowFacts) -> bool:
    return facts.filled >= 2 and facts.numeric_share <= 0.5 and facts.distinct_share >= 0.8


def _is_group_row(group: RowFacts, header: RowFacts) -> bool:
    """A few text cells with gaps between them above a fuller row of distinct text."""
    if group.filled < 2 or group.filled >= header.filled or group.numeric_share > 0:
        return False
    if not _is_textual_header(header):
        return False
    spread = any(b - a > 1 for a, b in zip(group.positions, group.positions[1:], strict=False))
    under = set(header.positions)
    return spread and all(p in under for p in group.positions)


def group_names(group_row: Sequence[Any], header_row: Sequence[Any]) -> tuple[str, ...]:
    """Group name of each header column: the group cell at or left of it, forward-filled
    (a merged cell is read as its value in the first column and blanks after it)."""
    names: list[str] = []
    current = ""
    for i in range(len(header_row)):
        text = cell_text(group_row[i]) if i < len(group_row) else ""
        if text:
            current = text
        names.append(current)
    return tuple(names)


def find_header(rows: Sequence[Sequence[Any]]) -> HeaderGuess | None:
    """Find the header row in the first rows of a sheet or file (see the module docstring).

    Returns None when the sample holds no non-blank row.

    >>> find_header([["Survey 2024"], [], ["id", "nps", "sat"], [1, 9, 4]]).header
    2
    >>> find_header([["id", "nps"], [1, 9]]).header
    0
    """
    sample = rows[:SCAN_ROWS]
    facts = [row_facts(r) for r in sample]
    nonblank = [i for i, f in enumerate(facts) if f.filled]
    if not nonblank:
        return None
    width = max(f.filled for f in facts)
    first = nonblank[0]
    skipped: list[int] = []
    for pos, i in enumerate(nonblank):
        f = facts[i]
        nxt = nonblank[pos + 1] if pos + 1 < len(nonblank) else None
        if nxt is not None and nxt == i + 1 and _is_group_row(f, facts[nxt]):
            return _guess(sample, facts, nxt, i, skipped, nonblank)
        if _is_title(f, width):
            skipped.append(i)
            continue
        if not _is_textual_header(f):
            return HeaderGuess(first)  # numbers, not names: keep the first row, as before
        return _guess(sample, facts, i, None, skipped, nonblank)
    return HeaderGuess(first)


def _guess(
    sample: Sequence[Sequence[Any]],
    facts: list[RowFacts],
    header: int,
    group: int | None,
    skipped: list[int],
    nonblank: list[int],
) -> HeaderGuess:
    after = [i for i in nonblank if i > header][:1]
    unsure = False
    if (skipped or group is not None) and after:
        below = facts[after[0]]
        unsure = (
            _is_textual_header(below)
            and below.filled >= facts[header].filled
            and below.numeric_share == 0
            and not set(below.texts) & set(facts[header].texts)
        )
    groups = group_names(sample[group], sample[header]) if group is not None else ()
    return HeaderGuess(header, group, tuple(skipped), unsure, groups)


def describe_rows(numbers: Sequence[int]) -> str:
    """``rows 1-2`` / ``row 4`` / ``rows 1, 3`` for 1-based row numbers."""
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    if list(numbers) == list(range(numbers[0], numbers[-1] + 1)):
        return f"rows {numbers[0]}-{numbers[-1]}"
    return "rows " + ", ".join(str(n) for n in numbers)


# ---------------------------------------------------------------- cover sheets


def cover_reason(name: str, rows: Sequence[Sequence[Any]], n_rows: int) -> Phrase | None:
    """Why a sheet looks like a cover / notes page rather than responses, or None.

    ``rows`` is a sample of the sheet read without a header, ``n_rows`` its total height.
    A cover has few rows (at most 30), is not mostly numbers, and has one or two columns,
    mostly long text, or a cover name ("조사개요", "Notes", "README", "안내", "표지", ...).
    """
    if n_rows > COVER_MAX_ROWS:
        return None
    facts = [row_facts(r) for r in rows]
    filled = [f for f in facts if f.filled]
    if not filled:
        return None
    width = max(f.filled for f in filled)
    shape = f"{len(filled)} rows, {width} column{'s' if width != 1 else ''}"
    texts = [t for f in filled for t in f.texts]
    if sum(looks_numeric(t) for t in texts) >= len(texts) / 2:
        return None  # mostly numbers: a small table of answers, not a cover
    long = sum(len(t) >= LONG_TEXT for t in texts)
    size = {"rows": len(filled), "cols": width}
    if name.strip().casefold() in COVER_NAMES:
        return phrase("cover_reason", f"its name and size ({shape})", form="name", **size)
    if width <= 2:
        return phrase("cover_reason", f"{shape}", form="narrow", **size)
    if long and long >= len(texts) / 3:
        return phrase("cover_reason", f"{shape}, mostly long text", form="long_text", **size)
    return None


# ---------------------------------------------------------------- long format


@dataclass(frozen=True)
class LongShape:
    """A long file: one row per (respondent, question) answer.

    ``key`` is None when no column identifies the respondent (the file cannot be pivoted).
    """

    question: str
    answer: str
    key: str | None
    questions: tuple[str, ...]
    attributes: tuple[str, ...]
    problem: str = ""


def _has_word(name: str, words: Sequence[str]) -> bool:
    low = name.casefold()
    return any(w in low for w in words)


def find_long(frame: pd.DataFrame) -> LongShape | None:
    """Recognise a long-format table (respondent, question, answer) or return None.

    Only narrow tables (at most 15 columns) with a column named like a question
    ("Question", "문항", "Item", ...) holding a few short codes that repeat, or a column
    named like an answer ("Answer", "Value", "답변", ...), are examined; wide survey exports
    return None at once. The respondent key is the first other column that, paired with
    the question, is unique and under which every other column but one (the answer) is
    constant.
    """
    if len(frame.columns) > LONG_MAX_COLUMNS or len(frame.columns) < 2 or len(frame) < 4:
        return None
    head = frame.iloc[:LONG_SAMPLE_ROWS]
    names = [str(c) for c in head.columns]
    n = len(head)
    question = None
    for name in names:
        col = head[name]
        k = int(col.nunique(dropna=True))
        if not 2 <= k <= min(200, n // 2):
            continue
        values = [cell_text(v) for v in col.dropna().unique()]
        if not all(0 < len(c) <= LONG_CODE_MAX for c in values):
            continue
        if _has_word(name, QUESTION_WORDS):
            question = name
            break
    answers = [c for c in names if c != question and _has_word(c, ANSWER_WORDS)]
    if question is None:
        return None
    codes = tuple(cell_text(v) for v in head[question].dropna().unique())
    for key in names:
        if key == question:
            continue
        k = int(head[key].nunique(dropna=True))
        if not 2 <= k <= n // 2 or n > k * len(codes):
            continue
        if head.duplicated([key, question]).any() or head[key].isna().any():
            continue
        grouped = head.groupby(key, sort=False, dropna=False)
        varying = [
            c
            for c in names
            if c not in (key, question) and int(grouped[c].nunique(dropna=False).max()) > 1
        ]
        if len(varying) == 1:
            attrs = tuple(c for c in names if c not in (key, question, varying[0]))
            return LongShape(question, varying[0], key, codes, attrs)
    answer = answers[0] if answers else _guess_answer(names, question)
    problem = (
        "no column identifies the respondent: no column, paired with "
        f"{question!r}, is unique with every other column but {answer!r} fixed per respondent"
    )
    attrs = tuple(c for c in names if c not in (question, answer))
    return LongShape(question, answer, None, codes, attrs, problem)


def _guess_answer(names: list[str], question: str) -> str:
    i = names.index(question)
    return names[i + 1] if i + 1 < len(names) else names[i - 1]


def pivot_long(frame: pd.DataFrame, shape: LongShape) -> pd.DataFrame:
    """One row per respondent (in order of first appearance): the key, the respondent
    columns (first value), then one column per question code (in order of first
    appearance). A question column whose answers are all numbers becomes numeric."""
    import pandas as pd

    if shape.key is None:
        raise ValueError("a long shape without a respondent key cannot be pivoted")
    key, question = shape.key, shape.question
    codes = frame[question].map(cell_text)
    base = frame.drop_duplicates(key, keep="first")[[key, *shape.attributes]]
    wide = (
        frame.assign(**{question: codes})
        .pivot(index=key, columns=question, values=shape.answer)
        .reindex(index=base[key].to_numpy(), columns=[q for q in shape.questions if q])
    )
    out = base.reset_index(drop=True)
    for q in wide.columns:
        values = wide[q].reset_index(drop=True)
        with contextlib.suppress(ValueError, TypeError):
            values = pd.to_numeric(values)
        out[str(q)] = values
    return out
