"""The measures csitool reports, registered once: each turns a group's figures into an
:class:`Estimate`, and ``compare`` (rows and tests) and ``check`` (threshold rules) loop
over the registry instead of naming NPS, CSI and the ladder again.

Adding a measure (say a Customer Effort Score item): compute it in :mod:`csitool.stats.score`
(a field of :class:`~csitool.stats.score.GroupScore` or :class:`~csitool.stats.csi.ItemResult`),
then register one :class:`Measure` here with the row group it belongs to and how two groups
are tested against each other (``kind``). See CONTRIBUTING.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csitool.stats.csi import ItemResult

#: a :class:`csitool.stats.score.GroupScore`; not imported, even for types, because score
#: reads the registry to build its tidy rows (modules of a package form no cycle)
GroupScore = Any

#: How two groups' estimates are tested: the two-sample NPS z test on their standard
#: errors, Welch's t on means, or the column-proportion z test on shares.
KINDS = ("nps", "mean", "prop")


@dataclass(frozen=True)
class Estimate:
    """One figure of one group, with what a test between groups needs.

    ``value`` in the measure's unit (NPS points, CSI 0-100, shares in percent); ``se`` in
    the same unit (NaN for shares: their tests use the proportion and the effective n);
    ``n`` respondents and ``n_eff`` the Kish effective n of the base.
    """

    value: float | None
    kind: str
    se: float
    n: int
    n_eff: float
    ci_low: float | None = None
    ci_high: float | None = None
    low_base: bool = False
    method: str | None = None  # how the value was made, where there is a choice (CSI)

    @property
    def proportion(self) -> float:
        """A share as a proportion (0-1); 0 when there is none."""
        return 0.0 if self.value is None else self.value / 100


@dataclass(frozen=True)
class Measure:
    """A registered measure: its name, its row group (``compare --rows``), its test kind,
    and how to read it from a group (or, for ``per_item`` measures, from an attribute)."""

    name: str
    group: str
    kind: str
    of_group: Callable[[GroupScore], Estimate | None] | None = None
    of_item: Callable[[ItemResult], Estimate | None] | None = None
    in_compare: bool = True  # a row of ``compare`` (else only for rules such as check's)
    in_tidy: bool = True  # a row of ``score``'s tidy rows (``--format csv``, ``to_frame()``)
    tidy_name: str | None = None  # its name there, if not ``name``

    def tidy_label(self, est: Estimate) -> str:
        """The measure's name in the tidy rows: ``csi (mean)`` carries its method."""
        name = self.tidy_name or self.name
        return f"{name} ({est.method})" if est.method else name

    @property
    def per_item(self) -> bool:
        return self.of_item is not None


def _se(x: float | None) -> float:
    return math.nan if x is None else x


def _share(
    value: float | None,
    n: int,
    n_eff: float,
    low_base: bool = False,
    ci: tuple[float | None, float | None] = (None, None),
) -> Estimate:
    return Estimate(value, "prop", math.nan, n, n_eff, ci[0], ci[1], low_base)


def _nps(g: GroupScore) -> Estimate | None:
    n = g.nps
    if n is None or not n.n:
        return None
    return Estimate(n.score, "nps", _se(n.se), n.n, n.n_eff, n.ci_low, n.ci_high, n.low_base)


def _share_of(part: str, key: str) -> Callable[[GroupScore], Estimate | None]:
    """A share held by one of a group's results (``nps`` groups, ``ladder`` steps), on that
    result's base."""

    def get(g: GroupScore) -> Estimate | None:
        result = getattr(g, part)
        if result is None or not result.n:
            return None
        return _share(getattr(result, key), result.n, result.n_eff, result.low_base)

    return get


def _csi(g: GroupScore) -> Estimate | None:
    c = g.csi
    if c is None:
        return None
    return Estimate(
        c.score, "mean", _se(c.se), c.n, c.n_eff, c.ci_low, c.ci_high, c.low_base, c.method
    )


def _wow_gap(g: GroupScore) -> Estimate | None:
    lad = g.ladder
    if lad is None or not lad.n:
        return None
    # the wow gap is a share of the satisfied: its base is their effective n
    ci = (lad.wow_gap_ci_low, lad.wow_gap_ci_high)
    return _share(lad.wow_gap, lad.n, lad.satisfied_n_eff, lad.low_base, ci)


def _sat_top_box(g: GroupScore) -> Estimate | None:
    item = next((i for i in g.items if i.role == "sat"), None)
    return None if item is None else _share(item.top_box, item.n, item.n_eff)


def _item_mean(it: ItemResult) -> Estimate | None:
    return Estimate(it.mean, "mean", math.nan, it.n, it.n_eff, low_base=it.low_base)


def _item_csi(it: ItemResult) -> Estimate | None:
    return Estimate(it.csi, "mean", _se(it.se), it.n, it.n_eff, it.ci_low, it.ci_high, it.low_base)


def _item_box(key: str) -> Callable[[ItemResult], Estimate | None]:
    """An attribute's top / top-2 / bottom-2 box share, with its interval where it has one."""

    def get(it: ItemResult) -> Estimate | None:
        ci = (getattr(it, f"{key}_ci_low", None), getattr(it, f"{key}_ci_high", None))
        return _share(getattr(it, key), it.n, it.n_eff, it.low_base, ci)

    return get


MEASURES: list[Measure] = [
    Measure("nps", "nps", "nps", of_group=_nps),
    *(Measure(k, "groups", "prop", of_group=_share_of("nps", k))
      for k in ("promoters", "passives", "detractors")),
    Measure("csi", "csi", "mean", of_group=_csi),
    *(Measure(k, "ladder", "prop", of_group=_share_of("ladder", k), tidy_name=f"ladder_{k}")
      for k in ("very", "somewhat", "neutral", "dissatisfied")),
    Measure("wow_gap", "wow_gap", "prop", of_group=_wow_gap),
    Measure("item_mean", "attr_mean", "mean", of_item=_item_mean, in_compare=False),
    Measure("item_csi", "attr_csi", "mean", of_item=_item_csi),
    Measure("item_top_box", "attr_top_box", "prop", of_item=_item_box("top_box")),
    Measure("item_top2_box", "attr_top2_box", "prop", of_item=_item_box("top2_box"),
            in_compare=False),
    Measure("item_bottom2_box", "attr_bottom2_box", "prop", of_item=_item_box("bottom2_box"),
            in_compare=False),
    Measure("sat_top_box", "sat_top_box", "prop", of_group=_sat_top_box, in_compare=False,
            in_tidy=False),
]  # fmt: skip


def row_groups() -> tuple[str, ...]:
    """The row groups of ``compare --rows``, in registry order (registered measures included)."""
    return tuple(dict.fromkeys(m.group for m in MEASURES if m.in_compare))


#: The built-in row groups (``row_groups()`` also lists measures registered later).
ROW_GROUPS: tuple[str, ...] = row_groups()


def value(g: GroupScore, name: str) -> float | None:
    """The value of a registered group measure for ``g`` (None when it has none)."""
    read = measure(name).of_group
    est = read(g) if read is not None else None
    return None if est is None else est.value


def register(measure: Measure) -> None:
    """Add a measure (its name must be new, its kind one of :data:`KINDS`)."""
    if measure.kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {measure.kind!r}")
    if any(m.name == measure.name for m in MEASURES):
        raise ValueError(f"a measure named {measure.name!r} is registered already")
    MEASURES.append(measure)


def measure(name: str) -> Measure:
    return next(m for m in MEASURES if m.name == name)


def estimates(
    g: GroupScore, groups: Sequence[str] | None = None
) -> dict[tuple[str, str | None], Estimate]:
    """Every registered figure of one group for ``compare``, keyed by (measure, item): group
    measures first, then each attribute's measures (attributes in order)."""
    groups = row_groups() if groups is None else groups
    chosen = [m for m in MEASURES if m.group in groups]
    return {(m.name, item): est for m, item, est in _walk(g, chosen, roles=("attr",))}


def tidy_estimates(g: GroupScore) -> Iterator[tuple[Measure, str | None, Estimate]]:
    """Every registered figure of one group for the tidy rows (``score --format csv``):
    group measures, then each item's (NPS, satisfaction and attributes, in order)."""
    return _walk(g, [m for m in MEASURES if m.in_tidy], roles=("nps", "sat", "attr"))


def _walk(
    g: GroupScore, chosen: Sequence[Measure], roles: Sequence[str]
) -> Iterator[tuple[Measure, str | None, Estimate]]:
    for m in chosen:
        est = m.of_group(g) if m.of_group is not None else None
        if est is not None:
            yield m, None, est
    per_item = [m for m in chosen if m.of_item is not None]
    for it in g.items:
        if it.role not in roles:
            continue
        for m in per_item:
            est = m.of_item(it)  # type: ignore[misc]
            if est is not None:
                yield m, it.column, est
