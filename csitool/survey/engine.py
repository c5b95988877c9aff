"""A survey read by an out-of-core engine: roles from a sample, everything else from counts.

The in-memory path (:mod:`csitool.survey.build`) parses every cell; here an engine (DuckDB,
Spark) counts the rows per raw answer (with the row-level reasons and the weight sums) where
the data lives, and the same code that parses answers and decides scales runs on those
distinct answers and their counts. The result, a :class:`SurveySummary`, holds the roles,
scales, the ledger counts and per group the tallies from which ``score`` finishes every
figure with the in-memory path's statistics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from csitool.config import Reading, Settings
from csitool.errors import ColumnError, InputError, quote
from csitool.notes import as_note, info, warning
from csitool.survey import model as m
from csitool.survey import scales as sc
from csitool.survey.build import (
    WEIGHT_RANGE,
    _apply_scale,
    _expand_names,
    _not_items_note,
    _scale,
    _unmapped_message,
    parse_item,
)
from csitool.survey.comments import (
    CommentCounts,
    comment_columns,
    encode,
    joined_text,
    satisfaction,
)
from csitool.survey.labels import normalize_label
from csitool.survey.model import Scale, check_segment_count
from csitool.survey.roles import Roles, resolve_roles, suggest, unknown_column

if TYPE_CHECKING:
    from collections.abc import Sequence

    from csitool.io.columnar import CsvSource
    from csitool.io.csvsource import CsvPlan
    from csitool.io.engine.plan import Counts, Plan
    from csitool.survey.complete import CompleteRows
    from csitool.survey.facts import ExportFacts

ENGINES = ("pandas", "duckdb", "spark")
SAMPLE_ROWS = 20_000  # rows read into memory to detect roles (all of a smaller source)
BLANK = "(blank)"


@dataclass
class GroupTallies:
    """The sufficient statistics of one group as plain data: rows kept; per item the used
    answers ``(value, count, sum w, sum w^2)``; per multi-item index its moments
    ``(n, sw, sw2, s1, sx, sxx)`` (see :class:`csitool.stats.aggregate.Cross`)."""

    n_rows: int = 0
    cells: dict[str, list[tuple[float, int, float, float]]] = field(default_factory=dict)
    moments: dict[tuple[str, ...], list[Any]] = field(default_factory=dict)


@dataclass
class _Live:
    """What fetching rows from an open engine needs from the counting pass: the engine,
    the plan's row rules, the source's own column names, each item's used values per raw
    answer (:class:`~csitool.io.engine.plan.IndexItem`), the weight rescaling factor and
    each segment column's labeller."""

    runner: Any
    plan: Any
    orig: dict[str, str]
    numeric: dict[str, bool]
    wording: dict[str, str]
    table: dict[str, float | str]
    used: dict[str, tuple[tuple[Any, float], ...]]
    factor: float
    labels: dict[str, Any]


@dataclass
class _Fetched:
    """The grouped complete rows as numpy (see :func:`_collect`)."""

    x: np.ndarray
    extra: list[np.ndarray]
    freq: np.ndarray
    sw: np.ndarray | None
    sw2: np.ndarray | None
    codes: dict[str, np.ndarray]


def _collect(
    batches: Any, places: list[Any], n_required: int, labels: dict[str, tuple[Any, dict[str, int]]]
) -> _Fetched:
    """Arrow batches of ``_k0.., <segment columns>, _n, _sw, _sw2`` as numpy: the items'
    used values unpacked from the keys (``places``, :func:`csitool.io.engine.sql.packing`:
    required items then optional ones), the required ones into one column-major n x k
    matrix, the optional ones with NaN where not used; each row's count and weight sums
    (None without a weight column) and each segment column as the index of its label."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n_keys = max((p.key for p in places), default=0) + 1
    keys: list[list[np.ndarray]] = [[] for _ in range(n_keys)]
    weight: list[np.ndarray] = []
    weight2: list[np.ndarray] = []
    freq: list[np.ndarray] = []
    segs: dict[str, list[np.ndarray]] = {s: [] for s in labels}

    def floats(array: Any) -> np.ndarray:
        return np.asarray(array.to_numpy(zero_copy_only=False), dtype=float)  # nulls become NaN

    has_w = False
    for batch in batches:
        names = batch.schema.names
        for j in range(n_keys):
            keys[j].append(np.asarray(batch.column(f"_k{j}").to_numpy(), dtype=np.int64))
        freq.append(floats(batch.column("_n")))
        if "_sw" in names:
            has_w = True
            weight.append(floats(batch.column("_sw")))
            weight2.append(floats(batch.column("_sw2")))
        for s, (label, index) in labels.items():
            column = batch.column(s)
            encoded = pc.dictionary_encode(column)
            if isinstance(encoded, pa.ChunkedArray):
                encoded = encoded.combine_chunks()
            # each distinct raw value's label, as its index in display order; the last
            # entry is for nulls (a blank segment)
            found = [index[label(v)] for v in encoded.dictionary.to_pylist()]
            lookup = np.array([*found, index.get(label(None), -1)], dtype=np.int32)
            raw = encoded.indices.fill_null(len(found)).to_numpy(zero_copy_only=False)
            segs[s].append(lookup[raw])
    packed = [np.concatenate(k) if k else np.empty(0, dtype=np.int64) for k in keys]
    n = len(packed[0])

    def unpack(p: Any) -> np.ndarray:
        values = np.array([*p.values, np.nan])  # the slot after the values: not used
        return values[(packed[p.key] // p.stride) % max(p.card, 1)]

    x = np.empty((n, n_required), order="F")
    for j, p in enumerate(places[:n_required]):
        x[:, j] = unpack(p)
    extra = [unpack(p) for p in places[n_required:]]
    w = (np.concatenate(weight) if weight else np.empty(0)) if has_w else None
    w2 = (np.concatenate(weight2) if weight2 else np.empty(0)) if has_w else None
    codes = {s: np.concatenate(c) if c else np.empty(0, dtype=np.int32) for s, c in segs.items()}
    counts = np.concatenate(freq) if freq else np.empty(0)
    return _Fetched(x, extra, counts, w, w2, codes)


@dataclass
class SurveySummary:
    """A survey as an engine counted it: what :class:`~csitool.survey.model.Survey` says
    about roles, scales and the ledger, and per split (None = all rows, else a segment
    column) the :class:`GroupTallies` of each segment value, in display order."""

    source: str
    engine: str
    read: dict[str, Any]
    columns: list[str]
    roles: Roles
    scales: dict[str, Scale]
    settings: Settings
    ledger: dict[str, Any]
    n_rows: int
    groups: dict[str | None, dict[str, GroupTallies]]
    label_maps: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[Any] = field(default_factory=list)
    facts: ExportFacts | None = None
    live: _Live | None = field(default=None, repr=False, compare=False)

    @property
    def path(self) -> str:
        return self.source

    def close(self) -> None:
        """Close the engine (rows can no longer be fetched); the counts stay."""
        if self.live is not None and self.live.runner is not None:
            self.live.runner.close()
            self.live.runner = None

    def _open(self) -> _Live:
        if self.live is None or self.live.runner is None:
            raise RuntimeError("the engine is closed: open the survey with keep_open=True")
        return self.live

    def with_items(self, columns: list[str]) -> SurveySummary:
        """The summary with more columns read as rating items (a drivers target with no
        role): one more counting pass over those columns, their scales decided together,
        as :func:`csitool.survey.build.with_items` does in memory."""
        live = self._open()
        new = [c for c in dict.fromkeys(columns) if c not in self.scales]
        if not new:
            return self
        for c in new:
            if c not in self.columns:
                raise unknown_column(self.source, c, self.columns, None)
        plan = replace(live.plan, items=tuple(live.orig[c] for c in new))
        counts = live.runner.count(plan, live.numeric)
        cells = {c: counts.cells[None][live.orig[c]] for c in new}
        numeric = {c: live.numeric[live.orig[c]] for c in new}
        parsed, scales, label_maps, notes = _decide(
            new, cells, numeric, live.wording, live.table, self.settings, self.source, None
        )
        live.used.update({c: parsed[c].used_values() for c in new})
        return replace(
            self,
            scales={**self.scales, **scales},
            label_maps={**self.label_maps, **label_maps},
            notes=[*self.notes, *notes],
        )

    def complete(
        self, required: Sequence[str], optional: Sequence[str], by: Sequence[str]
    ) -> CompleteRows:
        """The rows kept by the ledger with a used value in every ``required`` item, fetched
        from the engine column by column: only the used values (mapped from the raw answers
        in SQL with the mapping the counting pass decided) and each row's segment, identical
        rows grouped into one with their count, sum of weights and sum of squared weights
        (``freq``, ``weights``, ``weights2``); nothing else reaches memory. ``by`` columns
        must have been counted."""
        from csitool.io.engine.plan import IndexItem
        from csitool.io.engine.sql import packing
        from csitool.survey.complete import CompleteRows, left_out_counts

        live = self._open()
        orders = {}
        for col in by:
            orders[col] = [v for v, _ in self.segments(col)]

        def item(c: str) -> IndexItem:
            return IndexItem(live.orig[c], live.numeric[live.orig[c]], live.used[c])

        optional = [c for c in dict.fromkeys(optional) if c not in required]
        splits = tuple(live.orig[c] for c in dict.fromkeys(by))
        plan = replace(
            live.plan,
            items=tuple(live.orig[c] for c in dict.fromkeys([*required, *optional])),
            splits=splits,
            # a row with a used value in every required item is not blank: the blank-row
            # test, which reads every column, is left out of the fetch (a blank row has no
            # id, so no duplicate, and no weight: it is dropped by the required items)
            columns=() if required else live.plan.columns,
        )
        needed = tuple(item(c) for c in required)
        also = tuple(item(c) for c in optional)
        # as the in-memory path rescales extreme weights (before squaring): live.factor
        fetched = live.runner.fetch(plan, live.numeric, needed, also, live.factor)
        labels = {
            live.orig[c]: (live.labels[c], {v: i for i, v in enumerate(orders[c])}) for c in by
        }
        got = _collect(fetched, packing(needed, also), len(required), labels)
        excluded = self.ledger["excluded"]
        row_level = {m.REASONS[c]: excluded.get(m.REASONS[c], 0) for c in m.ROW_LEVEL}
        used = round(float(got.freq.sum()))
        return CompleteRows(
            columns=list(required),
            x=got.x,
            optional=dict(zip(optional, got.extra, strict=True)),
            weights=got.sw,
            segments={c: (orders[c], got.codes[live.orig[c]]) for c in by},
            counts=left_out_counts(self.n_rows, row_level, self.ledger["rows_kept"], used),
            freq=got.freq,
            weights2=got.sw2,
        )

    def segment_values(self, column: str, role: str = "by") -> list[str]:
        """The values of a counted segment column in display order ((blank) last), as
        :meth:`Survey.segment_values <csitool.survey.model.Survey.segment_values>` gives."""
        return [v for v, _ in self.segments(column, role)]

    def exclusion_counts(self) -> list[tuple[str, str | None, int]]:
        """``(reason, column, count)`` as :meth:`Ledger.exclusion_counts
        <csitool.survey.model.Ledger.exclusion_counts>` gives them from every row: row
        reasons first (column: the id or weight column, else None), then each item's cell
        reasons on the rows kept. The engine keeps counts, not the rows they are in."""
        excluded = self.ledger["excluded"]
        column = {m.DUPLICATE_ID: self.roles.id, m.WEIGHT_MISSING: self.roles.weight,
                  m.WEIGHT_NOT_POSITIVE: self.roles.weight}  # fmt: skip
        out: list[tuple[str, str | None, int]] = []
        for code in sorted(m.ROW_LEVEL):
            n = excluded.get(m.REASONS[code], 0)
            if n:
                out.append((m.REASONS[code], column.get(code), int(n)))
        for col, per in self.ledger["by_column"].items():
            for code, name in m.REASONS.items():
                if code not in m.ROW_LEVEL and per.get(name):
                    out.append((name, col, int(per[name])))
        return out

    def comments(self, columns: Sequence[str] | None = None, by: Sequence[str] = ()) -> Any:
        """The kept rows grouped by comment as :func:`open_comments` groups them, from this
        open summary's engine (no second counting pass): the
        :class:`~csitool.survey.comments.CommentCounts` that ``voc`` finishes from."""
        live = self._open()
        cols = comment_columns(self.path, self.roles, self.columns,
                               tuple(columns) if columns else None)  # fmt: skip
        for c in by:
            self.segments(c)  # the segment-count check
        counts = _comment_counts(live.runner, self, cols, tuple(by))
        counts.close = lambda: None  # the engine is the summary's: closed by close()
        return counts

    def segments(self, column: str, role: str = "by") -> list[tuple[str, GroupTallies]]:
        """The segment values of ``column`` in display order ((blank) last) with their
        tallies; the column must have been counted (``by`` of :func:`open_summary`)."""
        if column not in self.columns:
            raise unknown_column(self.source, column, self.columns, role)
        groups = self.groups[column]
        check_segment_count(self.source, column, role, len(groups), self.settings)
        return list(groups.items())


def open_summary(
    source: str,
    reading: Reading,
    *,
    by: tuple[str, ...] = (),
    engine: str = "duckdb",
    threads: int | None = None,
    query: str | None = None,
    memory_limit: str | None = None,
    spark_master: str | None = None,
    facts: tuple[str, ...] | None = None,
    keep_open: bool = False,
    moments: bool = True,
    csv: CsvSource | None = None,
    segments: bool = False,
) -> SurveySummary:
    """Settings from csitool.toml, then count the columnar ``source`` (or the CSV ``csv``
    planned by :func:`csitool.io.csvsource.plan_csv`) with ``engine``.

    ``facts``: also count what ``check``'s export-contract rules judge
    (:class:`~csitool.survey.facts.ExportFacts`), with the blank cells of these columns.
    ``keep_open``: the engine stays open so that :meth:`SurveySummary.complete` can fetch
    rows (close it with :meth:`SurveySummary.close`); ``moments``: whether to count the
    overall index's cross moments (``score`` needs them, ``drivers`` does not);
    ``segments``: also count every detected segment column (``report`` chooses among them
    after the pass)."""
    settings, col = _prepare(source, reading, engine, query, csv)
    runner = _runner(col, engine, threads, memory_limit, spark_master)
    try:
        summary = summarise(runner, col.source, reading, settings, by, facts, moments, segments)
    except BaseException:
        runner.close()
        raise
    if not keep_open:
        summary.close()
    return summary


def _prepare(
    source: str, reading: Reading, engine: str, query: str | None, csv: CsvSource | None = None
) -> tuple[Settings, Any]:
    """The settings (csitool.toml and the reading flags) and the columnar source (or the
    CSV ``csv`` DuckDB reads as csitool does)."""
    from csitool.io.columnar import Columnar, locate

    settings = _settings(reading)
    if settings.strict:
        raise InputError(
            f"Error: {source}: strict reading lists the invalid rows, which the {engine} "
            "engine does not keep; use --engine pandas with --strict."
        )
    col = Columnar(source, "csv", csv=csv) if csv is not None else locate(source, query)
    if col is None or (col.kind == "csv" and engine != "duckdb"):
        raise InputError(
            f"Error: {source}: the {engine} engine reads Parquet, Arrow/Feather and DuckDB "
            "tables (duckdb:///file.duckdb?table=NAME)"
            + (", and DuckDB reads UTF-8 CSV files" if engine != "duckdb" else "")
            + ". Convert the file, or use --engine pandas."
        )
    return settings, col


def _runner(
    col: Any, engine: str, threads: int | None, memory_limit: str | None, spark_master: str | None
) -> Any:
    if engine == "spark":
        from csitool.io.engine.spark import SparkEngine

        return SparkEngine(col, master=spark_master, threads=threads)
    from csitool.io.engine.duck import DuckEngine

    return DuckEngine(col, threads=threads, memory_limit=memory_limit)


def _settings(reading: Reading) -> Settings:
    from csitool.config import find_config, load_settings

    settings = load_settings(find_config(reading.config))
    return replace(
        settings,
        strict=reading.strict or settings.strict,
        complete_only=reading.complete_only or settings.complete_only,
        format_hint=reading.format_hint or settings.format_hint,
    )


def summarise(
    runner: Any,
    source: str,
    reading: Reading,
    settings: Settings,
    by: tuple[str, ...],
    facts: tuple[str, ...] | None = None,
    moments: bool = True,
    segments: bool = False,
) -> SurveySummary:
    """Roles from a sample, then one counting pass (and one for the index moments, unless
    ``moments`` is off: drivers needs no index; and, for ``facts``, the passes that count
    and list the rows of the export contract). ``segments``: count every detected segment
    column (``roles.segment``) besides ``by``, in the same pass."""

    from csitool.io.columnar import to_raw
    from csitool.io.engine.plan import Plan, RowCodes

    text = bool(getattr(runner, "text", False))
    if text:  # a CSV: the sample as csitool's reader read it; every column text in SQL
        raw = runner.col.csv.sample
        clean = [str(c) for c in raw.frame.columns]
        orig = {c: c for c in clean}
        is_float = dict.fromkeys(clean, False)
        numeric = dict.fromkeys(clean, False)
    else:
        sample = runner.sample(SAMPLE_ROWS)
        original = [str(c) for c in sample.columns]
        raw = to_raw(runner.col, sample)
        clean = [str(c) for c in raw.frame.columns]
        orig = dict(zip(clean, original, strict=True))
        types = dict(runner.schema())
        is_float = {c: _is_float(types.get(orig[c], "")) for c in clean}
        numeric = {c: _is_numeric(types.get(orig[c], "")) for c in clean}

    table = {normalize_label(k): v for k, v in settings.labels.items()}
    notes: list[Any] = [as_note(n) for n in raw.notes]
    roles = resolve_roles(
        raw.frame, reading.roles, settings.roles, table, source, raw.labels, raw.meta,
        raw.measure,
    )  # fmt: skip
    _not_items_note(roles, notes)
    items = roles.items()
    for c in settings.csi_weights:
        if c == "attrs" or c in items:
            continue
        if c not in clean:
            raise ColumnError(
                f"Error: {source}: unknown column {quote(c)} ([csi.weights] in csitool.toml). "
                f"{suggest(c, clean)}"
            )
        items.append(c)
    for c in by:
        if c not in clean:
            raise unknown_column(source, c, clean, "by")
    if segments:
        by = (*by, *roles.segment)
    splits: tuple[str | None, ...] = (None, *dict.fromkeys(by))
    plan = Plan(
        columns=tuple((orig[c], is_float[c]) for c in clean),
        items=tuple(orig[c] for c in items),
        splits=tuple(orig[s] if s else None for s in splits),
        codes=RowCodes(m.BLANK_ROW, m.DUPLICATE_ID, m.WEIGHT_MISSING, m.WEIGHT_NOT_POSITIVE),
        id=orig[roles.id] if roles.id else None,
        weight=orig[roles.weight] if roles.weight else None,
    )
    counts = runner.count(plan, {orig[c]: numeric[c] for c in clean})
    texts: dict[str, dict[Any, list[str]]] = {}
    if text:  # type the distinct answers and segment values as the in-memory reader does
        texts = _type_texts(counts, items, [s for s in splits if s], numeric, is_float)

    # parse every distinct answer once, decide the scales from the full counts
    wording = {c: raw.labels.get(c, "") for c in clean}
    cells = {c: counts.cells[None][orig[c]] for c in items}
    parsed, scales, label_maps, scale_notes = _decide(
        items, cells, numeric, wording, table, settings, source, roles.nps
    )
    notes.extend(scale_notes)

    top = counts.max_weight
    factor = 1.0
    if top is not None and math.isfinite(top) and not WEIGHT_RANGE[0] <= top <= WEIGHT_RANGE[1]:
        factor = 1.0 / top

    # indexes (the overall CSI over several items): their cross moments in one more pass
    from csitool.io.engine.plan import IndexItem

    index_names = _index_columns(roles, settings, items)
    if index_names and moments:
        plan = replace(
            plan,
            indexes=tuple(
                tuple(
                    IndexItem(
                        orig[c],
                        numeric[c] and not text,
                        _as_written(parsed[c].used_values(), texts.get(c)),
                    )
                    for c in names
                )
                for names in index_names
            ),
        )
        counts = runner.moments(plan, counts, {orig[c]: numeric[c] and not text for c in clean})

    groups: dict[str | None, dict[str, GroupTallies]] = {}
    labellers: dict[str | None, Any] = {}
    for split in splits:
        key = orig[split] if split else None
        labels = _labeller(split, counts, key, is_float.get(split or "", False))
        labellers[split] = labels
        found: dict[str, GroupTallies] = {}
        for seg, reason, n in counts.rows[key]:
            g = found.setdefault(labels(seg), GroupTallies())
            if reason == m.USED:
                g.n_rows += n
        for c in items:
            p = parsed[c]
            for seg, reason, value, n, sw, sw2 in counts.cells[key][orig[c]]:
                if reason != m.USED:
                    continue
                used = p.used.get(_key(value))
                if used is None:
                    continue
                g = found.setdefault(labels(seg), GroupTallies())
                g.cells.setdefault(c, []).append(
                    (used, n, float(sw) * factor, float(sw2) * factor * factor)
                )
        for k, names in enumerate(index_names):
            for row in counts.moments.get(key, [[]] * len(index_names))[k]:
                seg, n, sw, sw2, s1, sx, sxx = row
                g = found.setdefault(labels(seg), GroupTallies())
                f2 = factor * factor
                add = [n, sw * factor, sw2 * f2, np.array(s1) * f2, np.array(sx) * f2,
                       np.array(sxx) * f2]  # fmt: skip
                prev = g.moments.get(names)
                g.moments[names] = (
                    add if prev is None else [a + b for a, b in zip(prev, add, strict=True)]
                )
        for g in found.values():
            for c in items:
                g.cells.setdefault(c, [])
        if split is None:
            groups[None] = {"Total": found.get("Total", GroupTallies(cells={c: [] for c in items}))}
        else:
            order = sorted(found, key=lambda v: (v == BLANK, v))
            groups[split] = {v: found[v] for v in order}

    ledger = _ledger(counts, items, parsed, orig)
    _notes(roles, items, parsed, counts, orig, groups, notes)
    read = raw.describe() | {"rows": ledger["n_rows"]}
    live = _Live(
        runner=runner,
        plan=replace(plan, items=(), splits=(None,), indexes=()),
        orig=orig,
        numeric={orig[c]: numeric[c] for c in clean},
        wording=wording,
        table=table,
        used={c: parsed[c].used_values() for c in items},
        factor=factor,
        labels={s: labellers[s] for s in splits if s},
    )
    parts: dict[str, Any] = {"roles": roles, "scales": scales, "groups": groups}
    if facts is not None:
        parts["facts"] = _facts(
            runner, plan, {orig[c]: numeric[c] for c in clean}, facts, ledger,
            _Shape(clean, orig, is_float, items, parsed, roles, raw.first_data_row),
        )  # fmt: skip
    return SurveySummary(source, runner.name, read, clean, settings=settings, ledger=ledger,
                         n_rows=ledger["n_rows"], notes=notes, label_maps=label_maps,
                         live=live, **parts)  # fmt: skip


@dataclass(frozen=True)
class _Shape:
    """What :func:`summarise` learnt of the source that :func:`_facts` needs."""

    clean: list[str]
    orig: dict[str, str]
    is_float: dict[str, bool]
    items: list[str]
    parsed: dict[str, _Parsed]
    roles: Roles
    first_row: int


def _facts(
    runner: Any,
    plan: Plan,
    numeric: dict[str, bool],
    blank_columns: tuple[str, ...],
    ledger: dict[str, Any],
    shape: _Shape,
) -> ExportFacts:
    """The export contract counted by the engine: the counts the ledger already has are
    taken from it (cells off the scale per item, repeated ids); the engine counts the others
    (rows off the scale in several items, blank cells) and lists the first rows of each kind
    that has any (``runner.listing``). Nothing to list, no query."""
    from csitool.io.engine.plan import Listing
    from csitool.survey.facts import MAX_ROWS_LISTED, OFF_SCALE, ExportFacts, Rows

    cells: dict[str, int] = {}
    off: list[tuple[str, tuple[Any, ...]]] = []
    for c in shape.items:
        n = sum(ledger["by_column"][c].get(m.REASONS[code], 0) for code in OFF_SCALE)
        if not n:
            continue
        cells[c] = n
        code_of = shape.parsed[c].code_of()
        raws = tuple(
            r
            for r in shape.parsed[c].raws
            if r is not None and not _isnan(r) and code_of.get(_key(r)) in OFF_SCALE
        )
        if raws:
            off.append((shape.orig[c], raws))
    n_dup = ledger["excluded"].get(m.REASONS[m.DUPLICATE_ID], 0)
    blank = tuple(dict.fromkeys(c for c in blank_columns if c in shape.clean))
    count = (("off_scale",) if len(off) > 1 else ()) + tuple(
        f"blank:{shape.orig[c]}" for c in blank
    )
    listing = Listing(
        off_scale=tuple(off),
        duplicates=n_dup > 0,
        blank=tuple((shape.orig[c], shape.is_float[c]) for c in blank),
        count=count,
        limit=MAX_ROWS_LISTED,
    )
    found: dict[str, tuple[int | None, list[int]]] = {}
    if off or n_dup or blank:
        found = runner.listing(plan, numeric, listing, m.DUPLICATE_ID)

    def rows(name: str, known: int | None = None) -> Rows:
        n, at = found.get(name, (known, []))
        return Rows(int(n if n is not None else known or 0), [shape.first_row + p for p in at])

    return ExportFacts(
        columns=list(shape.clean),
        n_rows=int(ledger["n_rows"]),
        off_scale=rows("off_scale", sum(cells.values()) if len(off) == 1 else 0),
        off_scale_cells=cells,
        duplicate_ids=rows("duplicates", n_dup) if shape.roles.id else None,
        blank={c: rows(f"blank:{shape.orig[c]}") for c in blank},
    )


def _decide(
    items: list[str],
    cells: dict[str, list[tuple[Any, ...]]],
    numeric: dict[str, bool],
    wording: dict[str, str],
    table: dict[str, float | str],
    settings: Settings,
    source: str,
    nps: str | None,
) -> tuple[dict[str, _Parsed], dict[str, Scale], dict[str, dict[str, Any]], list[Any]]:
    """The distinct answers of ``items`` parsed, their scales decided together (batteries),
    as :func:`csitool.survey.build.read_items` does on every cell: ``(parsed, scales,
    label maps, notes)``."""
    parsed: dict[str, _Parsed] = {}
    for c in items:
        parsed[c] = _parse_distinct(c, cells[c], numeric[c], table, settings, source)
    evidence = []
    for c in items:
        if c == nps:
            continue
        evidence.append(
            sc.Evidence(
                column=c,
                values=np.zeros(0),
                tally=parsed[c].tally,
                wording=f"{c} {wording.get(c, '')}".strip(),
                value_labels={},
                from_text_labels=parsed[c].n_labels > 0,
                battery=sc.battery_key(c, wording.get(c, ""), {}),
            )
        )
    decisions = sc.decide(
        evidence,
        config=settings.scales,
        default=settings.default_scale,
        reverse=_expand_names(settings.reverse, list(items)),
        na_codes=settings.na_codes,
    )
    notes: list[Any] = list(sc.merged_notes(decisions))
    scales: dict[str, Scale] = {}
    label_maps: dict[str, dict[str, Any]] = {}
    for c in items:
        scale = (
            Scale(*sc.NPS_SCALE, "nps", evidence=("NPS item: 0-10",))
            if c == nps
            else _scale(decisions[c])
        )
        scales[c] = scale
        parsed[c].finish(scale)
        if parsed[c].label_map:
            label_maps[c] = parsed[c].label_map
    return parsed, scales, label_maps, notes


def _type_texts(
    counts: Counts,
    items: list[str],
    splits: list[str],
    numeric: dict[str, bool],
    is_float: dict[str, bool],
) -> dict[str, dict[Any, list[str]]]:
    """A CSV counted as text: every distinct answer of an item and value of a segment
    column replaced, in ``counts``, by what the in-memory reader makes of it (the number 5
    when every text of the column is a number, else the text; see
    :func:`csitool.io.csvsource.type_like_pandas`), and ``numeric`` / ``is_float`` set from
    the column's type. Returns per item the texts behind each typed answer (to write the
    index moments' SQL, which runs on the text)."""
    from csitool.io.csvsource import type_like_pandas

    def typing(column: str, raws: list[Any]) -> dict[Any, Any]:
        distinct = list(dict.fromkeys(r for r in raws if r is not None))
        typed, kind = type_like_pandas(distinct, any(r is None for r in raws))
        numeric[column] = kind in "iuf"
        is_float[column] = kind == "f"
        return dict(zip(distinct, typed, strict=True)) | {None: None}

    conv: dict[str, dict[Any, Any]] = {}
    for c in items:
        conv[c] = typing(c, [row[2] for row in counts.cells[None][c]])
    for s in splits:
        conv[s] = typing(s, [row[0] for row in counts.rows[s]])
    for key in counts.rows:
        seg = conv[key] if key is not None else {None: None}
        counts.rows[key] = [(seg[v], r, n) for v, r, n in counts.rows[key]]
        for c, rows in counts.cells[key].items():
            counts.cells[key][c] = [(seg[v], r, conv[c][x], *rest) for v, r, x, *rest in rows]
    back: dict[str, dict[Any, list[str]]] = {}
    for c in items:
        for raw_text, value in conv[c].items():
            if raw_text is not None:
                back.setdefault(c, {}).setdefault(_key(value), []).append(raw_text)
    return back


def _as_written(
    used: tuple[tuple[Any, float], ...], texts: dict[Any, list[str]] | None
) -> tuple[tuple[Any, float], ...]:
    """An index item's used values keyed by the texts written in the file (a CSV counted
    as text), or as they are."""
    if texts is None:
        return used
    return tuple((t, v) for r, v in used for t in texts.get(_key(r), []))


def _index_columns(roles: Roles, settings: Settings, items: list[str]) -> list[tuple[str, ...]]:
    from csitool.survey.roles import Roles as _R  # noqa: F401  (typing only)

    method = settings.csi_method
    if method == "auto":
        method = "sat" if roles.sat else "attribute_mean"
    if method == "attribute_mean":
        names = tuple(roles.attrs)
    elif method == "composite":
        spec = dict(settings.csi_weights)
        out: dict[str, None] = {}
        for k in spec:
            for c in roles.attrs if k == "attrs" else [k]:
                out[c] = None
        names = tuple(out)
    else:
        return []
    if len(names) < 2 or any(c not in items for c in names):
        return []
    return [names]


def _key(value: Any) -> Any:
    """Raw answers as dictionary keys: numbers as floats (1 and 1.0 are one answer)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return value


class _Parsed:
    """One item's distinct raw answers: counts, parsed value and reason code (before and
    after its scale), the tally the scale is decided from."""

    def __init__(
        self,
        raws: list[Any],
        counts: np.ndarray,
        values: np.ndarray,
        codes: np.ndarray,
        label_map: dict[str, Any],
        n_labels: int,
    ) -> None:
        self.raws = raws
        self.counts = counts
        self.values = values
        self.codes = codes
        self.label_map = label_map
        self.n_labels = n_labels
        self.used: dict[Any, float] = {}
        self.final_codes = codes

    @property
    def tally(self) -> dict[float, int]:
        out: dict[float, int] = {}
        for v, code, n in zip(self.values, self.codes, self.counts, strict=True):
            if code == m.USED and n:
                out[float(v)] = out.get(float(v), 0) + int(n)
        return out

    def finish(self, scale: Scale) -> None:
        vals, codes = _apply_scale(
            self.values, self.codes, scale, np.zeros(len(self.values), dtype=np.int8)
        )
        self.final_codes = codes
        self.used = {
            _key(r): float(v)
            for r, v, code in zip(self.raws, vals, codes, strict=True)
            if code == m.USED
        }

    def code_of(self) -> dict[Any, int]:
        return {_key(r): int(c) for r, c in zip(self.raws, self.final_codes, strict=True)}

    def used_values(self) -> tuple[tuple[Any, float], ...]:
        return tuple(
            (r, self.used[_key(r)]) for r in self.raws if r is not None and _key(r) in self.used
        )


def _parse_distinct(
    column: str,
    cells: list[tuple[Any, ...]],
    numeric: bool,
    table: dict[str, float | str],
    settings: Settings,
    source: str,
) -> _Parsed:
    """The in-memory parse (:func:`parse_item`) run on the distinct answers, counts kept."""
    import pandas as pd

    per: dict[Any, int] = {}
    first: dict[Any, Any] = {}
    for _seg, _reason, value, n, _sw, _sw2 in cells:
        k = _key(value) if value is not None and not _isnan(value) else None
        per[k] = per.get(k, 0) + n
        first.setdefault(k, value)
    raws = [first[k] for k in per]
    counts = np.array([per[k] for k in per], dtype=np.int64)
    if numeric:
        series = pd.Series([np.nan if r is None else float(r) for r in raws], dtype=float)
    else:
        series = pd.Series([None if r is None else r for r in raws], dtype=object)
    values, codes, label_map, unknown, _ = parse_item(series, table)
    labelled = {k for k, v in label_map.items() if isinstance(v, float)}
    n_labels = int(
        sum(int(n) for r, n in zip(raws, counts, strict=True)
            if isinstance(r, str) and r.strip() in labelled)
    )  # fmt: skip
    if unknown:
        nonblank = int(counts[codes != m.BLANK].sum())
        n_unknown = int(counts[codes == m.NOT_A_NUMBER].sum())
        if n_labels > 0 or n_unknown * 2 >= nonblank:
            if settings.unmapped == "exclude":
                codes[codes == m.NOT_A_NUMBER] = m.UNMAPPED_LABEL
            else:
                raise InputError(_unmapped_message(source, column, unknown))
    return _Parsed(raws, counts, values, codes, label_map, n_labels)


def _isnan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


def _is_float(sql_type: str) -> bool:
    t = sql_type.upper()
    return t in ("FLOAT", "DOUBLE", "REAL") or t.startswith(("FLOAT", "DOUBLE"))


def _is_numeric(sql_type: str) -> bool:
    t = sql_type.upper()
    return _is_float(t) or t.startswith(
        ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
         "UINTEGER", "UBIGINT", "DECIMAL", "INT", "LONG", "SHORT", "BYTE")
    )  # fmt: skip


def _labeller(split: str | None, counts: Counts, key: str | None, is_float: bool) -> Any:
    """Raw segment value to its label, as :meth:`Survey.segment_labels` writes it."""
    if split is None:
        return lambda seg: "Total"
    raws = {seg for seg, _r, _n in counts.rows[key]}
    whole = is_float and all(v is None or _isnan(v) or float(v).is_integer() for v in raws)

    def label(seg: Any) -> str:
        if seg is None or _isnan(seg):
            return BLANK
        if whole:
            return str(int(seg))
        text = str(seg).strip()
        return text if text else BLANK

    return label


def _ledger(
    counts: Counts, items: list[str], parsed: dict[str, _Parsed], orig: dict[str, str]
) -> dict[str, Any]:
    """The ledger's counts (``Ledger.to_dict`` without the per-row arrays)."""
    rows = np.zeros(len(m.REASONS) + 1, dtype=np.int64)
    for _seg, reason, n in counts.rows[None]:
        rows[reason] += n
    by_column: dict[str, dict[str, int]] = {}
    cell_totals: dict[str, np.ndarray] = {}
    for c in items:
        per = np.zeros(len(m.REASONS) + 1, dtype=np.int64)
        code_of = parsed[c].code_of()
        for _seg, reason, value, n, _sw, _sw2 in counts.cells[None][orig[c]]:
            k = _key(value) if value is not None and not _isnan(value) else None
            per[reason if reason != m.USED else code_of.get(k, m.BLANK)] += n
        cell_totals[c] = per
        out = {"used": int(per[m.USED])}
        for code, name in m.REASONS.items():
            if per[code]:
                out[name] = int(per[code])
        by_column[c] = out
    excluded: dict[str, int] = {}
    for code in m.ROW_LEVEL:
        if rows[code]:
            excluded[m.REASONS[code]] = int(rows[code])
    for per in cell_totals.values():
        for code, name in m.REASONS.items():
            if code not in m.ROW_LEVEL and per[code]:
                excluded[name] = excluded.get(name, 0) + int(per[code])
    return {
        "n_rows": int(rows.sum()),
        "rows_kept": int(rows[m.USED]),
        "excluded": excluded,
        "by_column": by_column,
    }


def _notes(
    roles: Roles,
    items: list[str],
    parsed: dict[str, _Parsed],
    counts: Counts,
    orig: dict[str, str],
    groups: dict[str | None, dict[str, GroupTallies]],
    notes: list[Any],
) -> None:
    """The in-memory path's notes that counts can give (dirty NPS / sat, a 1-10 NPS)."""
    for key in ("nps", "sat"):
        col = getattr(roles, key)
        if not col or roles.source.get(col) != "detected" or col not in parsed:
            continue
        code_of = parsed[col].code_of()
        bad = sum(
            n
            for _s, reason, value, n, _a, _b in counts.cells[None][orig[col]]
            if reason == m.USED
            and code_of.get(_key(value) if value is not None and not _isnan(value) else None)
            in (m.OUT_OF_RANGE, m.NOT_A_NUMBER, m.UNMAPPED_LABEL)
        )
        if bad:
            notes.append(
                info(
                    "role_dirty",
                    f"{quote(col)} is the {key} item although {bad} cell(s) are invalid; "
                    "they are left out",
                    col,
                    form="counted",
                    col=col,
                    role=key,
                    n=bad,
                )
            )
    if roles.nps:
        cells = groups[None]["Total"].cells.get(roles.nps, [])
        answered = sum(n for _v, n, _a, _b in cells)
        if answered >= 100 and min(v for v, *_ in cells) >= 1:
            notes.append(
                warning(
                    "nps_scale",
                    f"{quote(roles.nps)} has no 0 answers among {answered}: if its scale is "
                    "1-10 rather than 0-10, the NPS cut-offs (0-6 / 7-8 / 9-10) do not apply "
                    "to it",
                    roles.nps,
                    col=roles.nps,
                    n=answered,
                )
            )


def choose_engine(
    source: str, engine: str = "auto", *, query: str | None = None, need_rows: bool = False
) -> str:
    """The engine ``auto`` means for a columnar source: DuckDB for Parquet, Arrow and DuckDB
    sources, pandas for every other file and whenever row-level listings are asked for
    (``need_rows``). (A CSV is routed by :func:`open_any`: DuckDB above a size threshold
    when it can read the file as csitool does.)

    An explicit engine is checked: a SQL engine reads columnar sources (and DuckDB CSVs)
    only, and cannot list rows (``--show-excluded``)."""
    from csitool.errors import SettingError
    from csitool.io.columnar import locate

    if engine not in ("auto", *ENGINES):
        raise SettingError("engine", "choice", value=engine, choices=("auto", *ENGINES))
    columnar = source != "-" and locate(source, query) is not None
    if engine == "auto":
        return "duckdb" if columnar and not need_rows else "pandas"
    if engine != "pandas" and need_rows:
        raise InputError(
            f"Error: {source}: the {engine} engine counts rows and cannot list them or split "
            "dates into periods; use --engine pandas to list the excluded rows or for --period."
        )
    return engine


#: why DuckDB cannot read a CSV as csitool does (:class:`~csitool.io.csvsource.CsvPlan`)
CSV_REASONS = {
    "encoding": "its encoding is {detail}, which DuckDB does not read; save it as UTF-8 "
    "(Excel: Save As > CSV UTF-8)",
    "mixed": "it is UTF-8 but for a few cells in another encoding, which csitool repairs; "
    "save it again as UTF-8",
    "layout": "it is a {detail} export, which csitool reads by its platform's rules",
    "header_rows": "its header takes {detail} rows (a group-header row above the names)",
    "trimmed": "its lines end in a long run of empty fields, which csitool leaves out",
    "long": "it is in long format (one row per answer), which csitool pivots",
    "line_endings": "its lines end in a carriage return only (an old Mac file)",
    "duckdb": "DuckDB could not read it ({detail})",
}


def csv_reason(why: str, detail: str = "") -> str:
    """Why DuckDB does not count this CSV, as a clause."""
    return CSV_REASONS[why].format(detail=detail)


def _plan_csv(source: str, reading: Reading, settings: Settings) -> CsvPlan:
    from csitool.io.csvsource import plan_csv

    return plan_csv(
        source,
        rows=SAMPLE_ROWS,
        encoding=reading.encoding,
        hint=settings.format_hint,
        header_row=reading.header_row if reading.header_row is not None else settings.header_row,
    )


def _in_memory_note(source: str, settings: Settings, why: str, detail: str) -> Any:
    import os

    mb = os.path.getsize(source) / 1e6
    return info(
        "engine_pandas",
        f"read into memory: the CSV is {mb:,.0f} MB, above [engine] csv_threshold_mb = "
        f"{settings.csv_threshold_mb:g} from which DuckDB counts it, but "
        + csv_reason(why, detail),
        form=why,
        mb=round(mb),
        threshold=settings.csv_threshold_mb,
        detail=detail,
    )


def open_any(
    source: str,
    reading: Reading,
    *,
    engine: str = "auto",
    by: tuple[str, ...] = (),
    query: str | None = None,
    threads: int | None = None,
    spark_master: str | None = None,
    need_rows: bool = False,
    facts: tuple[str, ...] | None = None,
    keep_open: bool = False,
    moments: bool = True,
    segments: bool = False,
) -> Any:
    """A :class:`~csitool.survey.model.Survey` read into memory (engine ``pandas``) or a
    :class:`SurveySummary` counted by DuckDB or Spark; ``auto`` as :func:`choose_engine`,
    and for a CSV (.csv .tsv .txt) DuckDB when the file is at least ``[engine]
    csv_threshold_mb`` and DuckDB reads it as csitool does (else pandas, with a note
    saying why). ``keep_open``, ``moments`` and ``segments``: as :func:`open_summary`
    (ignored in memory, where every column is at hand). ``facts``: the engine also counts
    ``check``'s export contract (see :func:`open_summary`); a CSV is then read into memory
    (its rows are listed by their line, which the engine does not keep), as it is with
    ``keep_open`` (drivers and report fetch rows after the count)."""
    from csitool.io.csvsource import is_text_file
    from csitool.survey.build import read_survey

    if reading.strict and engine not in ("auto", "pandas"):
        raise InputError(
            f"Error: {source}: strict reading lists the invalid rows, which the {engine} "
            "engine does not keep; use --engine pandas with --strict."
        )
    # check lists rows by their line and drivers fetches rows after counting: a CSV is
    # counted as text, so those two read it into memory
    rows = need_rows or reading.strict or facts is not None or keep_open
    if engine in ("auto", "duckdb") and query is None and not rows and is_text_file(source):
        return _open_csv(source, reading, engine, by, threads)
    if engine == "duckdb" and (facts is not None or keep_open) and is_text_file(source):
        raise InputError(
            f"Error: {source}: {'check' if facts is not None else 'this command'} through the "
            "duckdb engine reads Parquet, Arrow/Feather and DuckDB tables; for a CSV, use "
            "--engine pandas (or auto)."
        )
    # --strict names the first invalid rows: a row listing, so auto reads into memory
    chosen = choose_engine(source, engine, query=query, need_rows=need_rows or reading.strict)
    if chosen == "pandas":
        if query is not None:
            from urllib.parse import quote as url_quote

            sep = "&" if "?" in source else "?"
            source = f"{source}{sep}query={url_quote(query)}"
        return read_survey(source, reading)
    return open_summary(
        source,
        reading,
        by=by,
        engine=chosen,
        threads=threads,
        query=query,
        spark_master=spark_master,
        facts=facts,
        keep_open=keep_open,
        moments=moments,
        segments=segments,
    )


def _open_csv(
    source: str, reading: Reading, engine: str, by: tuple[str, ...], threads: int | None
) -> Any:
    """A CSV: DuckDB when asked (or, under auto, when the file is large enough) and it reads
    the file as csitool does; else in memory, with a note when the size asked for DuckDB."""
    import os

    from csitool.survey.build import read_survey

    settings = _settings(reading)
    if engine == "auto" and os.path.getsize(source) < settings.csv_threshold_mb * 1e6:
        return read_survey(source, reading)  # without importing the engine (start-up)
    from csitool.io.engine.duck import EngineReadError

    plan = _plan_csv(source, reading, settings)
    if plan.source is None:
        why = plan.why or "layout"
        if engine == "duckdb":
            raise InputError(
                f"Error: {source}: the duckdb engine cannot read this CSV as csitool does: "
                f"{csv_reason(why, plan.detail)}. Or use --engine pandas (or auto)."
            )
        survey = read_survey(source, reading)
        survey.notes.append(_in_memory_note(source, settings, why, plan.detail))
        return survey
    try:
        return open_summary(source, reading, by=by, engine="duckdb", threads=threads,
                            csv=plan.source)  # fmt: skip
    except EngineReadError as exc:
        if engine == "duckdb":
            raise
        survey = read_survey(source, reading)  # pandas says what is wrong, or reads it
        survey.notes.append(_in_memory_note(source, settings, "duckdb", exc.detail))
        return survey


def open_comments(
    source: str,
    reading: Reading,
    columns: tuple[str, ...] | None = None,
    *,
    by: tuple[str, ...] = (),
    engine: str = "duckdb",
    threads: int | None = None,
    query: str | None = None,
    memory_limit: str | None = None,
    spark_master: str | None = None,
) -> tuple[SurveySummary, CommentCounts]:
    """The survey counted as :func:`open_summary` counts it, and its kept rows grouped by
    (comment, NPS answer, satisfaction answer, ``by`` values) where the data lives: the
    :class:`~csitool.survey.comments.CommentCounts` that ``voc`` finishes from. The engine
    stays open for the contradictions' row listing until ``counts.close()``."""
    settings, col = _prepare(source, reading, engine, query)
    runner = _runner(col, engine, threads, memory_limit, spark_master)
    try:
        summary = summarise(runner, col.source, reading, settings, by)
        cols = comment_columns(summary.path, summary.roles, summary.columns, columns)
        for c in by:
            summary.segments(c)  # the segment-count check
        counts = _comment_counts(runner, summary, cols, by)
    except BaseException:
        runner.close()
        raise
    return summary, counts


def _without_blank_rows(frame: Any, keys: list[str], blank: int) -> Any:
    """The comment groups counted without the blank-row test, the ``blank`` blank rows the
    ledger counted taken back out. With a weight column there is nothing to do (a blank row
    has no weight, so it is never kept); without one, every blank row was counted as kept
    (it has no id, so it is no repeated id) in the one group whose keys are all blank, with
    weight 1: that group loses ``blank`` rows (and goes when none is left). Its first row
    may then be a blank row's, which only places the group (no example or listed row comes
    from a blank comment)."""
    if not blank:
        return frame
    at = np.flatnonzero(frame[keys].isna().all(axis=1).to_numpy())
    if len(at) != 1 or int(frame["_n"].iat[at[0]]) < blank:
        raise ValueError("the blank rows are not where the counts put them")
    left = int(frame["_n"].iat[at[0]]) - blank
    if not left:
        return frame.drop(index=frame.index[at[0]]).reset_index(drop=True)
    frame = frame.copy()
    for col in ("_n", "_sw", "_sw2"):
        frame.iloc[at[0], frame.columns.get_loc(col)] = left
    return frame


def _comment_counts(
    runner: Any, summary: SurveySummary, cols: list[str], by: tuple[str, ...]
) -> CommentCounts:
    """Group the kept rows in the engine, then label the groups as the in-memory path
    does: the comment joined from its columns, the used NPS and satisfaction answers, the
    segment labels."""
    if summary.live is None:
        raise ValueError("the summary was not counted by an engine")
    k = summary.live
    name = k.orig
    roles = summary.roles
    scored = [r for r in (roles.nps, roles.sat) if r]
    import pandas as pd

    keys = list(dict.fromkeys(name[c] for c in [*cols, *scored, *by]))
    # the blank-row test reads every column of the source: it is left out, and the blank
    # rows are taken back out of the groups (see _without_blank_rows); a CSV's table keeps
    # its own cheap test
    text = bool(getattr(runner, "text", False))
    plan = replace(k.plan, items=tuple(name[c] for c in [*cols, *scored]),
                   splits=tuple(name[c] for c in by), indexes=(),
                   columns=k.plan.columns if text else ())  # fmt: skip
    frame = runner.comments(plan, k.numeric, keys)
    if not text and k.plan.columns and not k.plan.weight:
        blank = summary.ledger["excluded"].get(m.REASONS[m.BLANK_ROW], 0)
        frame = _without_blank_rows(frame, keys, int(blank))
    clean = frame.rename(columns={name[c]: c for c in [*cols, *scored, *by]})
    texts, code = encode(joined_text(clean, cols))

    def per_value(column: str, of: Any, blank: Any, dtype: Any) -> np.ndarray:
        """``of(value)`` for each group's value of ``column``, computed once per distinct
        value (a blank cell, None or NaN, gives ``blank``)."""
        at, distinct = pd.factorize(frame[column], use_na_sentinel=True)
        table = np.array([*(of(v) for v in distinct.tolist()), blank], dtype=dtype)
        return table[at]  # the sentinel -1 takes the last entry

    def used(col: str) -> np.ndarray:
        answers = {_key(r): v for r, v in k.used[col]}
        return per_value(name[col], lambda v: answers.get(_key(v), np.nan), np.nan, float)

    nps = used(roles.nps) if roles.nps else None
    sat = None
    if roles.sat:
        scale = summary.scales[roles.sat]
        sat = satisfaction(used(roles.sat), scale.min, scale.max)
    segments = {}
    for c in by:
        label = k.labels[c]
        values = [v for v, _ in summary.segments(c)]
        segments[c] = (values, per_value(name[c], label, label(None), object))
    first = frame["_first"].to_numpy(dtype=float, na_value=np.nan)
    first = np.where(np.isnan(first), -1, first + 1).astype(np.int64)  # row 1: the first record
    n = frame["_n"].to_numpy(dtype=np.int64)
    wanted_keys = [name[c] for c in cols] + ([name[roles.nps]] if roles.nps else [])

    def rows_of(mask: np.ndarray, limit: int = 0) -> tuple[np.ndarray, np.ndarray]:
        picked = np.flatnonzero(mask)
        if not len(picked):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        if first[picked].min() < 0:  # no row order: one unnumbered entry per row
            where = np.repeat(picked, n[picked])
            where = where[:limit] if limit else where
            return np.full(len(where), -1, np.int64), where
        upto = None
        if limit and len(picked) >= limit:
            # each group's first row is flagged: the first ``limit`` flagged rows are at or
            # before the limit-th smallest first row, so later rows and groups need no look
            upto = int(np.partition(first[picked], limit - 1)[limit - 1]) - 1
            picked = picked[first[picked] - 1 <= upto]
        # a row stands for every group with its comment and NPS answer: take the first
        # (the flag depends on those alone); the frame's index is the group's position
        sub = frame.iloc[picked][wanted_keys].drop_duplicates()
        at, k_ = runner.rows(plan, k.numeric, wanted_keys, sub.reset_index(drop=True),
                             limit, upto)  # fmt: skip
        return at + 1, sub.index.to_numpy(dtype=np.int64)[k_]

    return CommentCounts(
        texts=texts,
        code=code,
        nps=nps,
        sat=sat,
        segments=segments,
        n=n,
        sw=frame["_sw"].to_numpy(dtype=float),
        sw2=frame["_sw2"].to_numpy(dtype=float),
        first=first,
        rows_of=rows_of,
        close=runner.close,
    )
