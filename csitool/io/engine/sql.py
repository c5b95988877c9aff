"""A :class:`Plan` as SQL, for DuckDB and Spark SQL (the two dialects differ in a few
spellings only, collected in :class:`Dialect`).

Two statements: the counts (one ``GROUP BY GROUPING SETS`` pass: per split and item, rows
per segment value, row reason and raw answer with their weight sums; per split, rows per
segment value and reason) and, when the overall CSI is an index over several items, their
cross moments (one more pass).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from csitool.io.engine.plan import IndexItem, Listing, Plan

#: the characters Python's ``str.strip()`` removes (the in-memory path's test of a blank cell),
#: written out: scanning all of Unicode for them took 0.1 s of every engine run
#: (tests/test_engine.py checks the list against ``str.isspace``)
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

# at most this many grouping columns per statement (the GROUPING bitmask is a 64-bit integer)
MAX_GROUPING = 60


@dataclass(frozen=True)
class Dialect:
    """Spellings that differ between DuckDB and Spark SQL."""

    name: str
    quote: str  # identifier quote
    grouping: str  # GROUPING(a, b, ...) bitmask function

    def group_by(self, columns: str, sets: str) -> str:
        """``GROUP BY GROUPING SETS``; Spark also lists the grouping columns first, so that
        its ``grouping_id`` bits follow their order."""
        if self.name == "spark" and columns:
            return f"GROUP BY {columns} GROUPING SETS ({sets})"
        return f"GROUP BY GROUPING SETS ({sets})"

    def q(self, name: str) -> str:
        return self.quote + name.replace(self.quote, self.quote * 2) + self.quote

    def hash64(self, x: str) -> str:
        """A 64-bit hash of a value (any type)."""
        return f"hash({x})" if self.name == "duckdb" else f"xxhash64({x})"

    def finite(self, x: str) -> str:
        return f"({x} < CAST('Infinity' AS DOUBLE) AND {x} > CAST('-Infinity' AS DOUBLE))"

    def blank(self, x: str, is_float: bool) -> str:
        """A missing cell, or text of whitespace only (as Python's ``str.strip`` sees it)."""
        if is_float:
            return f"({x} IS NULL OR isnan({x}))"
        if self.name == "duckdb":  # a regular expression: 4x cheaper than trim() with a set
            pattern = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]*"
            return f"({x} IS NULL OR regexp_full_match(CAST({x} AS VARCHAR), {literal(pattern)}))"
        return f"({x} IS NULL OR TRIM(BOTH {literal(WHITESPACE)} FROM CAST({x} AS STRING)) = '')"

    def to_double(self, x: str, numeric: bool) -> str:
        if numeric:
            return f"CAST({x} AS DOUBLE)"
        text = "VARCHAR" if self.name == "duckdb" else "STRING"
        return f"TRY_CAST(TRIM(CAST({x} AS {text})) AS DOUBLE)"


DUCKDB = Dialect("duckdb", '"', "GROUPING")
SPARK = Dialect("spark", "`", "grouping_id")


def literal(value: Any) -> str:
    """A SQL literal for a raw answer (number or text)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"CAST('{value}' AS DOUBLE)"
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def dup_statement(plan: Plan, d: Dialect, relation: str, keys: list[str]) -> str:
    """The row keys (``keys``: the columns that give the source order) of the second and
    later copies of an id, with a marker ``_d``. Only ids seen more than once are sorted.

    The ids seen more than once are found by their 64-bit hash: grouping 8-byte numbers
    instead of the ids' text takes a quarter less time on 100M rows (11.0 s against 14.7 s),
    and the rows whose hash repeats are then numbered by the id itself, so a hash shared by
    two different ids only lets a few more rows into that numbering, never marks one."""
    k = ", ".join(d.q(c) for c in keys)
    idq = d.q(plan.id or "")
    h = d.hash64(idq)
    return (
        f"SELECT {k}, 1 AS _d FROM (SELECT {k}, row_number() OVER (PARTITION BY {idq} "
        f"ORDER BY {k}) AS _k FROM {relation} WHERE {idq} IS NOT NULL AND {h} IN (SELECT {h} "
        f"FROM {relation} WHERE {idq} IS NOT NULL GROUP BY {h} HAVING count(*) > 1)) AS t "
        "WHERE _k > 1"
    )


def base_cte(
    plan: Plan,
    d: Dialect,
    relation: str,
    order: str | None,
    numeric: dict[str, bool],
    dups: tuple[str, list[str]] | None = None,
    carry: tuple[str, ...] = (),
    row: str | None = None,
) -> str:
    """``WITH r AS (...)``: the role columns, the row reason ``_r`` and the weight ``_w``
    (NULL on excluded rows; 1 without a weight column). ``dups``: a table of the duplicate
    rows' keys (:func:`dup_statement`) and the key columns, joined instead of a window
    over every row. ``carry``: more source columns to keep in ``r`` (the row keys of a
    listing, the columns whose blanks it counts). ``row``: an expression for the row's index
    in the source, kept as ``_row`` (its columns qualified with ``_src.`` when ``dups`` is
    given)."""
    c = plan.codes
    blank = " AND ".join(
        f"({d.q(n)} IS NULL OR isnan({d.q(n)}))" if is_float else f"{d.q(n)} IS NULL"
        for n, is_float in plan.columns
    )  # no columns: no row can be blank (the engine proved it from file statistics)
    blank = blank or "FALSE"
    flags = [f"({blank}) AS _bl"]
    whens = [f"WHEN _bl THEN {c.blank_row}"]
    if plan.id and dups:
        flags.append("_dup._d IS NOT NULL AS _dp")
        on = " AND ".join(f"_src.{d.q(k)} = _dup.{d.q(k)}" for k in dups[1])
        relation = f"{relation} AS _src LEFT JOIN {dups[0]} AS _dup ON {on}"
    elif plan.id:
        over = f"PARTITION BY {d.q(plan.id)}" + (f" ORDER BY {order}" if order else "")
        flags.append(f"({d.q(plan.id)} IS NOT NULL AND row_number() OVER ({over}) > 1) AS _dp")
    if plan.id:
        whens.append(f"WHEN _dp THEN {c.duplicate_id}")
    if plan.weight:
        # the weight is converted once per row (a text weight's TRY_CAST repeated in every
        # WHEN was most of a CSV's counting time: 1.8 s of CPU on 2M rows, now 0.6 s)
        weight = d.to_double(d.q(plan.weight), numeric.get(plan.weight, False))
        whens.append(f"WHEN _wv IS NULL OR isnan(_wv) THEN {c.weight_missing}")
        whens.append(f"WHEN NOT (_wv > 0 AND {d.finite('_wv')}) THEN {c.weight_not_positive}")
    else:
        weight = "CAST(1.0 AS DOUBLE)"
    keep = sorted(
        {*plan.items, *(s for s in plan.splits if s), *((plan.weight,) if plan.weight else ()),
         *carry}
    )  # fmt: skip
    # the duplicates' table has the key columns too: a carried key is the source's
    src = "_src." if plan.id and dups else ""
    cols = "".join(f"{src if k in carry else ''}{d.q(k)} AS {d.q(k)}, " for k in keep)
    r_cols = "".join(f"{d.q(k)}, " for k in keep)
    reason = "CASE " + " ".join(whens) + " ELSE 0 END"
    row0, row1 = (f"{row} AS _row, ", "_row, ") if row else ("", "")
    inner = f"SELECT {cols}{row0}{', '.join(flags)}, {weight} AS _wv FROM {relation}"
    return (
        f"WITH r0 AS (SELECT {r_cols}{row1}{reason} AS _r, _wv FROM ({inner}) AS _b), "
        f"r AS (SELECT {r_cols}{row1}_r, CASE WHEN _r = 0 THEN _wv END AS _w FROM r0)"
    )


def comment_statement(keys: list[str], d: Dialect, row: bool) -> str:
    """The kept rows grouped by ``keys`` (the comment columns, the NPS and satisfaction
    items, the segment columns), with count ``_n``, sum w ``_sw``, sum w^2 ``_sw2`` and
    the first row ``_first`` (NULL without ``row``) (without the WITH)."""
    k = ", ".join(d.q(c) for c in keys)
    first = "min(_row)" if row else "CAST(NULL AS BIGINT)"
    return (
        f"SELECT {k}, count(*) AS _n, sum(_w) AS _sw, sum(_w * _w) AS _sw2, "
        f"{first} AS _first FROM r WHERE _r = 0 GROUP BY {k}"
    )


def rows_statement(
    keys: list[str], d: Dialect, table: str, limit: int = 0, upto: int | None = None
) -> str:
    """The kept rows whose ``keys`` equal (NULL = NULL) a row of ``table`` (columns
    ``_k0``, ``_k1``, ... and ``_k``, the row's index): ``_row`` and ``_k``, by row, the
    first ``limit`` (0: all), none after row ``upto`` (without the WITH)."""
    same = "<=>" if d.name == "spark" else "IS NOT DISTINCT FROM"
    on = " AND ".join(f"r.{d.q(c)} {same} t._k{i}" for i, c in enumerate(keys))
    before = f" AND r._row <= {int(upto)}" if upto is not None else ""
    first = f" LIMIT {int(limit)}" if limit else ""
    return (
        f"SELECT r._row, t._k FROM r JOIN {table} AS t ON {on} WHERE r._r = 0{before} "
        f"ORDER BY r._row{first}"
    )


def count_statements(
    plan: Plan, d: Dialect
) -> list[tuple[str, list[tuple[str | None, str | None]]]]:
    """The grouping-set statements (without the WITH), each with the (split, item) of its
    sets (item None: the rows per segment value and reason). Its SELECT: ``_g`` (the
    GROUPING bitmask), the grouping columns of :func:`statement_names`, ``_r``, count,
    sum w, sum w^2, max w."""
    sets: list[tuple[str | None, str | None]] = []
    for split in counted_splits(plan):
        sets.append((split, None))
        sets.extend((split, item) for item in plan.items)
    parts: list[list[tuple[str | None, str | None]]] = [[]]
    for s in sets:
        if parts[-1] and len(statement_names([*parts[-1], s])) + 1 > MAX_GROUPING:
            parts.append([])
        parts[-1].append(s)
    out = []
    for part in parts:
        names = statement_names(part)
        grouping = ", ".join([*(d.q(n) for n in names), "_r"])
        gsets = ", ".join(
            "(" + ", ".join([*(d.q(k) for k in pair if k), "_r"]) + ")" for pair in part
        )
        cols = "".join(f"{d.q(n)}, " for n in names)
        out.append(
            (
                f"SELECT {d.grouping}({grouping}) AS _g, {cols}_r, count(*), sum(_w), "
                f"sum(_w * _w), max(_w) FROM r {d.group_by(grouping, gsets)}",
                part,
            )
        )
    return out


def counted_splits(plan: Plan) -> tuple[str | None, ...]:
    """The splits a count statement groups by: the total is the sum of any segment split's
    groups (blank segment values included), so it is counted apart only without one."""
    named = tuple(s for s in plan.splits if s)
    return named if named else (None,)


def grouping_mask(names: list[str], pair: tuple[str | None, str | None]) -> int:
    """The GROUPING bitmask of one set: a 1 for each grouping column left out of it (the
    first column is the highest bit; ``_r`` is the last and always in)."""
    cols = [*names, "_r"]
    present = {k for k in pair if k} | {"_r"}
    mask = 0
    for col in cols:
        mask = (mask << 1) | (0 if col in present else 1)
    return mask


def statement_names(part: list[tuple[str | None, str | None]]) -> list[str]:
    """The grouping columns of a count statement, in the order of its SELECT."""
    return sorted({k for pair in part for k in pair if k})


def mapped(item: IndexItem, d: Dialect) -> str:
    """The used value of an index item on a kept row, NULL elsewhere."""
    whens = " ".join(
        f"WHEN {literal(raw)} THEN CAST({value!r} AS DOUBLE)" for raw, value in item.used
    )
    if not whens:
        return "CAST(NULL AS DOUBLE)"
    return f"CASE WHEN _r = 0 THEN CASE {d.q(item.column)} {whens} END END"


def moment_statement(plan: Plan, index: tuple[IndexItem, ...], d: Dialect) -> str:
    """Cross moments of one index per split (without the WITH)."""
    k = len(index)
    xs = [f"_x{j}" for j in range(k)]
    splits = [s for s in plan.splits if s]
    inner = ", ".join(
        [
            *(d.q(s) for s in splits),
            "_w",
            *(f"{mapped(it, d)} AS {x}" for it, x in zip(index, xs, strict=True)),
        ]
    )
    anyone = " OR ".join(f"{x} IS NOT NULL" for x in xs)
    aggs = [
        f"count(CASE WHEN {anyone} THEN 1 END)",
        f"sum(CASE WHEN {anyone} THEN _w END)",
        f"sum(CASE WHEN {anyone} THEN _w * _w END)",
    ]
    for j in range(k):
        for m in range(k):
            both = f"0 * {xs[j]} + 0 * {xs[m]}"
            aggs.append(f"sum(_w * _w + {both})")
            aggs.append(f"sum(_w * _w * {xs[j]} + {both})")
            aggs.append(f"sum(_w * _w * {xs[j]} * {xs[m]})")
    grouping = ", ".join(d.q(s) for s in splits) or "1"
    gsets = ", ".join([*(f"({d.q(s)})" for s in splits), "()"])
    seg_cols = "".join(f"{d.q(s)}, " for s in splits)
    g = f"{d.grouping}({grouping})" if splits else "0"
    return (
        f"SELECT {g} AS _g, {seg_cols}{', '.join(aggs)} FROM (SELECT {inner} FROM r) "
        f"{d.group_by(grouping if splits else '', gsets)}"
    )


def listing_conditions(listing: Listing, d: Dialect, duplicate_code: int) -> dict[str, str]:
    """The condition on ``r`` of each name of a :class:`Listing`."""
    out: dict[str, str] = {}
    if listing.off_scale:
        out["off_scale"] = f"(_r = 0 AND {off_scale_cells(listing, d)})"
    if listing.duplicates:
        out["duplicates"] = f"_r = {duplicate_code}"
    for col, is_float in listing.blank:
        out[f"blank:{col}"] = d.blank(d.q(col), is_float)
    return out


def off_scale_cells(listing: Listing, d: Dialect) -> str:
    """A row with any off-scale answer, whatever its row reason."""
    hits = " OR ".join(
        f"{d.q(col)} IN ({', '.join(literal(v) for v in raws)})" for col, raws in listing.off_scale
    )
    return f"({hits})"


def count_listing(conditions: dict[str, str], names: tuple[str, ...]) -> str:
    """One pass counting the rows of each condition named (without the WITH)."""
    cols = ", ".join(f"count(CASE WHEN {conditions[n]} THEN 1 END)" for n in names)
    return f"SELECT {cols} FROM r"


def first_rows(condition: str, keys: list[str], limit: int, d: Dialect) -> str:
    """The keys of the first ``limit`` rows of a condition (without the WITH): per file
    when the keys are (file, row in file), so that the caller orders the files."""
    if len(keys) == 1:
        k = d.q(keys[0])
        return f"SELECT {k} FROM r WHERE {condition} ORDER BY {k} LIMIT {int(limit)}"
    f, k = d.q(keys[0]), d.q(keys[1])
    return (
        f"SELECT {f}, {k} FROM (SELECT {f}, {k}, row_number() OVER (PARTITION BY {f} "
        f"ORDER BY {k}) AS _n FROM r WHERE {condition}) AS t WHERE _n <= {int(limit)}"
    )


#: the largest product of answer counts packed into one BIGINT key (below 2**63)
PACK_LIMIT = 2**62


@dataclass(frozen=True)
class Packed:
    """Where an item's used value sits in the packed keys of :func:`complete_statement`:
    in key ``_k{key}``, as ``index * stride`` with ``index`` the position of the value in
    ``values`` (ascending); ``index == len(values)`` is an optional item not used on the
    row (``card`` counts that slot)."""

    key: int
    stride: int
    values: tuple[float, ...]
    card: int


def packing(required: tuple[IndexItem, ...], optional: tuple[IndexItem, ...]) -> list[Packed]:
    """Each item's place in the packed keys, required items then optional ones, the first
    item most significant: packed in that order, a key holds items while the product of
    their answer counts stays below :data:`PACK_LIMIT`, then the next key starts. Ordering
    by the keys orders the rows as ordering by the items' values would (an optional item's
    unused slot last)."""
    items = [(it, False) for it in required] + [(it, True) for it in optional]
    cards = [len({v for _, v in it.used}) + int(opt) for it, opt in items]
    groups: list[list[int]] = [[]]
    size = 1
    for j, card in enumerate(cards):
        if groups[-1] and size * max(card, 1) >= PACK_LIMIT:
            groups.append([])
            size = 1
        groups[-1].append(j)
        size *= max(card, 1)
    out: list[Packed | None] = [None] * len(items)
    for key, members in enumerate(groups):
        stride = 1
        for j in reversed(members):  # the last item of a key varies fastest
            it = items[j][0]
            out[j] = Packed(key, stride, tuple(sorted({v for _, v in it.used})), cards[j])
            stride *= max(cards[j], 1)
    return [p for p in out if p is not None]


def _packed_key(key: int, members: list[tuple[IndexItem, Packed, bool]], d: Dialect) -> str:
    """One packed key: the sum of its items' ``index * stride`` (BIGINT)."""
    terms = []
    for it, p, opt in members:
        index = {v: i for i, v in enumerate(p.values)}
        whens = " ".join(
            f"WHEN {literal(raw)} THEN CAST({index[v] * p.stride} AS BIGINT)" for raw, v in it.used
        )
        term = f"CASE {d.q(it.column)} {whens} END" if whens else "CAST(NULL AS BIGINT)"
        if opt:
            term = f"coalesce({term}, CAST({len(p.values) * p.stride} AS BIGINT))"
        terms.append(term)
    return f"({' + '.join(terms) or 'CAST(0 AS BIGINT)'}) AS _k{key}"


def complete_statement(
    plan: Plan,
    required: tuple[IndexItem, ...],
    optional: tuple[IndexItem, ...],
    d: Dialect,
    factor: float = 1.0,
) -> str:
    """The kept rows with a used value in every ``required`` item, identical rows grouped
    (without the WITH): the items' used values packed into BIGINT keys ``_k0, _k1, ...``
    (:func:`packing`: a handful of integers group and sort much faster than a column per
    item), the raw segment columns (``plan.splits``), then ``_n`` the number of rows in the
    group and, with a weight column only, ``_sw`` and ``_sw2`` the sums of the weights
    times ``factor`` and of their squares. A row is complete when each required item's raw
    answer is one of its used answers (an ``IN`` list: a mapping evaluated in the filter
    cost as much again as the grouping). Sorted by the group, so the rows (and the figures
    summed over them) come in the same order every time."""
    places = packing(required, optional)
    items = [(it, False) for it in required] + [(it, True) for it in optional]
    n_keys = max((p.key for p in places), default=0) + 1
    by_key: list[list[tuple[IndexItem, Packed, bool]]] = [[] for _ in range(n_keys)]
    for (it, opt), p in zip(items, places, strict=True):
        by_key[p.key].append((it, p, opt))
    cols = [_packed_key(k, members, d) for k, members in enumerate(by_key)]
    keys = [f"_k{k}" for k in range(n_keys)]
    segments = [d.q(s) for s in plan.splits if s]
    cols += segments
    keys += segments
    aggs = ["count(*) AS _n"]
    if plan.weight:
        w = "_w" if factor == 1.0 else f"(_w * CAST('{factor!r}' AS DOUBLE))"
        cols.append(f"{w} AS _w")
        aggs += ["sum(_w) AS _sw", "sum(_w * _w) AS _sw2"]
    where = ["_r = 0"]
    for it in required:
        raws = ", ".join(literal(raw) for raw, _ in it.used)
        where.append(f"{d.q(it.column)} IN ({raws})" if raws else "FALSE")
    group = ", ".join(keys)
    return (
        f"SELECT {group}, {', '.join(aggs)} FROM (SELECT {', '.join(cols)} FROM r "
        f"WHERE {' AND '.join(where)}) AS t GROUP BY {group} ORDER BY {group}"
    )
