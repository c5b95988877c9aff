"""Wow-points and pain-points: what delights and what hurts, attribute by attribute.

Four lenses on the same respondents (complete on the target and every attribute):

1. performance: each attribute's CSI and top-box / bottom-2-box shares (as in ``score``);
2. importance: Johnson's relative weights for the target;
3. asymmetric impact: penalty-reward contrast analysis (one regression on a low and a high
   dummy per attribute) and the impact asymmetry that classes attributes as pain-points,
   wow-points, performance or low impact;
4. the ladder contrast: which attributes separate very from somewhat satisfied respondents,
   and dissatisfied from satisfied ones.

Then the importance-performance quadrants, the ranked actions, touchpoint stages and the
"one bad moment" comparison. Everything is weighted when the survey has a weight.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from csitool.config import ADJUSTS, DRIVER_ALPHA, IA_THRESHOLD, MIN_CELL, SPLITS
from csitool.errors import ColumnError, ConfigError, InputError, MissingRoleError, quote
from csitool.notes import Phrase, info, phrase, to_json
from csitool.stats.aggregate import Histogram
from csitool.stats.common import Rows, masked_sum, mean_se, none_if_nan, t_crit, wilson
from csitool.stats.csi import Cuts, default_cuts, item_from_histogram
from csitool.stats.inference import EMPTY, Difference, bh_adjust, t_p, two_proportions
from csitool.stats.nps import DETRACTOR_MAX, PROMOTER_MIN, compare_nps, nps_from_histogram
from csitool.stats.regression import relative_weights, wls
from csitool.survey.complete import CompleteRows, matrix

if TYPE_CHECKING:
    import pandas as pd

    from csitool.survey.engine import SurveySummary
    from csitool.survey.model import Survey

    Source = Survey | SurveySummary  # read into memory, or counted by an engine

PAIN = "pain-point"
WOW = "wow-point"
PERFORMANCE = "performance"
LOW_IMPACT = "low impact"
UNCLASSIFIED = "unclassified"
CLASSES = (PAIN, WOW, PERFORMANCE, LOW_IMPACT, UNCLASSIFIED)

FIX_FIRST = "fix first"
KEEP_UP = "keep up"
LOW_PRIORITY = "low priority"
OVERKILL = "possible overkill"
QUADRANTS = (FIX_FIRST, KEEP_UP, LOW_PRIORITY, OVERKILL)

# The columns of ``csitool drivers --format csv`` and ``DriversResult.to_frame()``.
TIDY_COLUMNS = [
    "file", "segment", "segment_value", "attribute", "stage", "n", "n_eff",
    "csi", "top_box", "bottom2_box", "importance_raw", "importance_share", "importance_rank",
    "penalty", "penalty_p", "penalty_q", "reward", "reward_p", "reward_q", "asymmetry_p", "ia",
    "class", "quadrant",
    "delight_difference", "delight_p_adjusted",
    "dissatisfaction_difference", "dissatisfaction_p_adjusted",
]  # fmt: skip

DEFAULT_STAGES = ("pre-contact", "first impression", "core service", "closing", "after-service")


class DriversDataError(ValueError):
    """The rows cannot carry the analysis (too few, a constant column); message says why."""


@dataclass(frozen=True)
class DriverOptions:
    """Significance level, impact-asymmetry threshold, smallest dummy group, quadrant split,
    confidence of intervals and the low-base threshold for segments."""

    alpha: float = DRIVER_ALPHA
    ia_threshold: float = IA_THRESHOLD
    min_cell: int = MIN_CELL
    split: str = SPLITS[0]
    confidence: float = 0.95
    min_base: int = 30
    adjust: str = ADJUSTS[0]  # "bh": classes use Benjamini-Hochberg q-values; "none": raw p

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Target:
    """The outcome: its column, how it was chosen (``sat``, ``nps`` or ``column``), its scale
    and the two ladder contrasts' groups: ``high`` (>= cut_high) against ``middle``
    (cut_low .. below cut_high) for delight, ``low`` (< cut_low) against ``rest`` for
    dissatisfaction."""

    column: str
    role: str
    scale_min: float
    scale_max: float
    cut_high: float
    cut_low: float
    high: str
    middle: str
    low: str
    rest: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Performance:
    """CSI (0-100) with its interval, mean, and top-box / bottom-2-box shares (percent)."""

    mean: float | None
    csi: float | None
    ci_low: float | None
    ci_high: float | None
    top_box: float | None
    bottom2_box: float | None


@dataclass(frozen=True)
class Importance:
    """Johnson's relative weight (sums to R^2 over attributes), its share (%) and rank."""

    raw_weight: float
    share: float
    rank: int


@dataclass(frozen=True)
class Impact:
    """Penalty-reward contrast analysis of one attribute.

    ``penalty``: the low (bottom-2-box) dummy's coefficient; ``reward``: the high (top box)
    dummy's, both in points of the target against the middle. ``asymmetry_p`` tests
    reward + penalty = 0. ``ia`` = (R - P) / (R + P) with R = max(reward, 0) and
    P = max(-penalty, 0). ``note`` says why something was not estimated. ``penalty_q`` and
    ``reward_q`` are the Benjamini-Hochberg adjusted p-values over every attribute's penalty
    and reward test (the classes use them unless the adjustment is off).
    """

    n_low: int
    n_middle: int
    n_high: int
    share_low: float
    share_high: float
    penalty: float | None
    penalty_se: float | None
    penalty_p: float | None
    reward: float | None
    reward_se: float | None
    reward_p: float | None
    asymmetry_p: float | None
    ia: float | None
    class_: str
    note: str | None = None
    penalty_q: float | None = None
    reward_q: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["class"] = d.pop("class_")
        return d


@dataclass(frozen=True)
class Contrast:
    """A box share among group ``a`` minus among group ``b`` (percentage points), tested
    with a two-proportion z test; ``p_adjusted`` is Benjamini-Hochberg over attributes."""

    a: str
    b: str
    share_a: float | None
    share_b: float | None
    n_a: float
    n_b: float
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    z: float | None
    p_value: float | None
    p_adjusted: float | None = None


@dataclass(frozen=True)
class AttributeDrivers:
    """All four lenses and the quadrant for one attribute."""

    column: str
    stage: str | None
    scale_min: float
    scale_max: float
    performance: Performance
    importance: Importance
    impact: Impact
    delight: Contrast
    dissatisfaction: Contrast
    quadrant: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "stage": self.stage,
            "scale": [self.scale_min, self.scale_max],
            "performance": asdict(self.performance),
            "importance": asdict(self.importance),
            "impact": self.impact.to_dict(),
            "delight": asdict(self.delight),
            "dissatisfaction": asdict(self.dissatisfaction),
            "quadrant": self.quadrant,
        }


@dataclass(frozen=True)
class Action:
    """One thing to do. ``kind`` is ``fix`` (a pain-point, ranked by damage = |penalty| x
    share rating it low) or ``promote`` (a wow-point, ranked by potential = reward x share
    not yet giving it the top box). ``share`` is that share (%), ``effect`` the points."""

    kind: str
    rank: int
    column: str
    stage: str | None
    scale_min: float
    scale_max: float
    share: float
    effect: float
    value: float


@dataclass(frozen=True)
class StageResult:
    """One touchpoint stage: the CSI of its attributes per respondent (with interval) and
    the share of respondents rating at least one of them bottom-2-box."""

    name: str
    attributes: list[str]
    n: int
    csi: float | None
    ci_low: float | None
    ci_high: float | None
    any_low: float | None
    any_low_ci_low: float | None
    any_low_ci_high: float | None
    weakest: bool = False


@dataclass(frozen=True)
class BadMoment:
    """Respondents rating any attribute bottom-2-box against everyone else.

    ``sat_*``: overall satisfaction as CSI (0-100) and the Welch test of the difference;
    ``nps_*``: NPS of each group and the two-sample z test.
    """

    share: float | None
    ci_low: float | None
    ci_high: float | None
    n_bad: int
    n_rest: int
    sat_column: str | None
    sat_bad: float | None
    sat_rest: float | None
    sat_difference: Difference
    nps_column: str | None
    nps_bad: float | None
    nps_rest: float | None
    nps_difference: Difference

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sat_difference"] = self.sat_difference.to_dict()
        d["nps_difference"] = self.nps_difference.to_dict()
        return d


@dataclass(frozen=True)
class DriversGroup:
    """The analysis of one group of respondents (the total, or one segment value)."""

    value: str
    n: int
    n_eff: float
    r2: float
    model_r2: float
    attributes: list[AttributeDrivers]
    split: dict[str, Any]
    stages: list[StageResult]
    bad_moment: BadMoment | None
    actions: list[Action]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "analysed": True,
            "n": self.n,
            "n_eff": self.n_eff,
            "r2": self.r2,
            "model_r2": self.model_r2,
            "attributes": [a.to_dict() for a in self.attributes],
            "quadrant_split": self.split,
            "stages": [asdict(s) for s in self.stages],
            "bad_moment": self.bad_moment.to_dict() if self.bad_moment else None,
            "actions": [asdict(a) for a in self.actions],
            "notes": to_json(self.notes),
        }


@dataclass(frozen=True)
class SkippedGroup:
    """A segment value that was not analysed, and why."""

    value: str
    n: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "analysed": False, "n": self.n, "reason": self.reason}


@dataclass(frozen=True)
class DriversResult:
    """``csitool drivers`` for one file."""

    path: str
    target: Target
    options: DriverOptions
    rows: dict[str, Any]
    total: DriversGroup
    segments: dict[str, list[DriversGroup | SkippedGroup]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        total = self.total.to_dict()
        total.pop("value")
        total.pop("analysed")
        return {
            "path": self.path,
            "target": self.target.to_dict(),
            "settings": self.options.to_dict(),
            "rows": self.rows,
            **total,
            "segments": {c: [g.to_dict() for g in gs] for c, gs in self.segments.items()},
            "notes": to_json(self.notes) + total.pop("notes"),
        }

    def tidy_rows(self) -> list[dict[str, Any]]:
        """One row per attribute for the total and each analysed segment value, at full
        precision (the rows of ``csitool drivers --format csv``; columns :data:`TIDY_COLUMNS`)."""
        out: list[dict[str, Any]] = []
        groups: list[tuple[str, DriversGroup]] = [("", self.total)]
        for col, gs in self.segments.items():
            groups.extend((col, g) for g in gs if isinstance(g, DriversGroup))
        for seg, g in groups:
            for a in g.attributes:
                i = a.impact
                out.append({
                    "file": self.path, "segment": seg, "segment_value": g.value if seg else "",
                    "attribute": a.column, "stage": a.stage, "n": g.n, "n_eff": g.n_eff,
                    "csi": a.performance.csi, "top_box": a.performance.top_box,
                    "bottom2_box": a.performance.bottom2_box,
                    "importance_raw": a.importance.raw_weight,
                    "importance_share": a.importance.share,
                    "importance_rank": a.importance.rank,
                    "penalty": i.penalty, "penalty_p": i.penalty_p, "penalty_q": i.penalty_q,
                    "reward": i.reward, "reward_p": i.reward_p, "reward_q": i.reward_q,
                    "asymmetry_p": i.asymmetry_p, "ia": i.ia,
                    "class": i.class_, "quadrant": a.quadrant,
                    "delight_difference": a.delight.difference,
                    "delight_p_adjusted": a.delight.p_adjusted,
                    "dissatisfaction_difference": a.dissatisfaction.difference,
                    "dissatisfaction_p_adjusted": a.dissatisfaction.p_adjusted,
                })  # fmt: skip
        return out

    def to_frame(self) -> pd.DataFrame:
        """:meth:`tidy_rows` as a pandas DataFrame (None as missing)."""
        from csitool.stats.tidy import frame

        return frame(self.tidy_rows(), TIDY_COLUMNS)


# --------------------------------------------------------------------------------------
# The lenses on plain arrays
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    """Complete rows of one group: target y, attributes x (rows x k), what each row stands
    for (``rows``: its number of respondents, sum of weights and of squared weights; one
    respondent per row in memory, identical respondents grouped by an engine), the
    attribute scales, and the optional sat / NPS columns on the same rows."""

    y: np.ndarray
    x: np.ndarray
    rows: Rows
    columns: list[str]
    scales: list[tuple[float, float]]
    sat: np.ndarray | None
    sat_scale: tuple[float, float] | None
    nps: np.ndarray | None


def _check_fit(d: _Data, target: str) -> None:
    k = d.x.shape[1]
    n = d.rows.count
    if n <= k + 1:
        raise DriversDataError(
            f"only {n} complete rows for {k} attributes; the analysis needs more rows than "
            "attributes + 1 (rows missing the target or any attribute are left out)"
        )
    for j, col in enumerate(d.columns):
        column = d.x[:, j]
        if np.all(column == column[0]):
            raise DriversDataError(
                f"attribute {quote(col)} has the same answer ({column[0]:g}) in all {n} complete "
                "rows, so its importance cannot be estimated; leave it out of the attributes"
            )
    if np.all(d.y == d.y[0]):
        raise DriversDataError(
            f"the target {quote(target)} has the same answer ({d.y[0]:g}) in all {n} complete rows"
        )


def _share(mask: np.ndarray, rows: Rows) -> float:
    total = rows.total
    return masked_sum(rows.sw, mask) / total if total > 0 else math.nan


def _count(mask: np.ndarray, rows: Rows) -> int:
    """The respondents of the rows in ``mask``."""
    return round(rows.respondents(mask))


def _histogram(values: np.ndarray, rows: Rows) -> Histogram:
    """The used answers (NaN left out) of frequency-weighted rows as a :class:`Histogram`."""
    keep = ~np.isnan(values)
    x = values[keep] if not keep.all() else values
    if not len(x):
        return Histogram.empty()
    part = rows[keep] if not keep.all() else rows
    lo = float(x.min())
    whole = None
    if abs(lo) < 2.0**52 and lo.is_integer() and float(x.max()) - lo < 10_000:
        # whole-number answers (the usual case): their level numbers straight from x
        whole = x.astype(np.int64)
        if not bool((whole == x).all()):
            whole = None
    if whole is not None:
        idx = whole
        if lo:
            idx -= int(lo)
        levels = lo + np.arange(int(idx.max()) + 1, dtype=float)
    elif (shifted := x - lo).max() < 10_000 and bool(np.all(shifted == np.floor(shifted))):
        idx = shifted.astype(np.int64)  # whole steps from a fractional lowest answer
        levels = lo + np.arange(int(idx.max()) + 1, dtype=float)
    else:
        levels, idx = np.unique(x, return_inverse=True)
    size = len(levels)
    # one respondent per row: the counts are those of the rows (the same as adding n = 1s)
    count = np.bincount(idx, minlength=size) if part.single else np.bincount(idx, part.n, size)
    used = count > 0
    return Histogram(
        levels[used],
        np.rint(count[used]).astype(np.int64),
        np.bincount(idx, weights=part.sw, minlength=size)[used],
        np.bincount(idx, weights=part.sw2, minlength=size)[used],
    )


@dataclass(frozen=True)
class _Ends:
    """Each attribute's rows rated in its bottom two (``low``: at most min + 1) and at its
    top (``high``: the maximum), made once for the impacts, the contrasts and the bad
    moment."""

    low: list[np.ndarray]
    high: list[np.ndarray]

    @classmethod
    def of(cls, d: _Data) -> _Ends:
        low = [d.x[:, j] <= lo + 1 for j, (lo, _) in enumerate(d.scales)]
        high = [d.x[:, j] >= hi for j, (_, hi) in enumerate(d.scales)]
        return cls(low, high)


def _impacts(d: _Data, opts: DriverOptions, ends: _Ends) -> tuple[list[Impact], float]:
    """Penalty-reward contrast analysis: one WLS of y on low/high dummies of every attribute."""
    size, k = d.x.shape
    n = d.rows.count
    dummies: list[np.ndarray] = []  # the design: an intercept, then these 0/1 columns
    slots: list[tuple[int | None, int | None]] = []
    notes: list[Phrase | None] = []
    counts: list[tuple[int, int, int, float, float]] = []
    for j in range(k):
        low, high = ends.low[j], ends.high[j]
        n_low, n_high = _count(low, d.rows), _count(high, d.rows)
        n_mid = n - n_low - n_high
        counts.append((n_low, n_mid, n_high, 100 * _share(low, d.rows), 100 * _share(high, d.rows)))
        why: list[Phrase] = []
        low_slot = high_slot = None
        if n_mid < opts.min_cell:
            why.append(
                phrase(
                    "impact",
                    f"only {n_mid} in the middle (the reference; needs {opts.min_cell})",
                    form="middle",
                    n=n_mid,
                    need=opts.min_cell,
                )
            )
        else:
            if n_low >= opts.min_cell:
                low_slot = 1 + len(dummies)
                dummies.append(low)
            else:
                why.append(
                    phrase(
                        "impact",
                        f"penalty not estimated: {n_low} rated it low (needs {opts.min_cell})",
                        form="penalty",
                        n=n_low,
                        need=opts.min_cell,
                    )
                )
            if n_high >= opts.min_cell:
                high_slot = 1 + len(dummies)
                dummies.append(high)
            else:
                why.append(
                    phrase(
                        "impact",
                        f"reward not estimated: {n_high} gave it the top box "
                        f"(needs {opts.min_cell})",
                        form="reward",
                        n=n_high,
                        need=opts.min_cell,
                    )
                )
        slots.append((low_slot, high_slot))
        notes.append(phrase("impact_note", "; ".join(why), parts=why) if why else None)
    design = np.empty((size, 1 + len(dummies)))  # built once, in place (no stacked copies)
    design[:, 0] = 1.0
    for term, mask in enumerate(dummies, 1):
        design[:, term] = mask
    del dummies
    fit = wls(design, d.y, d.rows)
    del design
    impacts: list[Impact] = []
    for j in range(k):
        low_slot, high_slot = slots[j]
        note = notes[j]

        def coef(slot: int | None) -> tuple[float | None, float | None, float | None]:
            if slot is None or not fit.kept[slot]:
                return (None, None, None)
            return (float(fit.coef[slot]), float(fit.se[slot]), none_if_nan(fit.p[slot]))

        pen, pen_se, pen_p = coef(low_slot)
        rew, rew_se, rew_p = coef(high_slot)
        for slot, name in ((low_slot, "penalty"), (high_slot, "reward")):
            if slot is not None and not fit.kept[slot]:
                extra = phrase(
                    "impact",
                    f"{name} not estimated: collinear with other terms",
                    form="penalty_collinear" if name == "penalty" else "reward_collinear",
                )
                parts = [*(note.params["parts"] if note else []), extra]
                note = phrase("impact_note", "; ".join(parts), parts=parts)
        asym_p = None
        if pen is not None and rew is not None and low_slot is not None and high_slot is not None:
            var = (
                fit.cov[low_slot, low_slot]
                + fit.cov[high_slot, high_slot]
                + 2 * fit.cov[low_slot, high_slot]
            )
            if var > 0 and fit.df > 0:
                asym_p = t_p((pen + rew) / math.sqrt(var), fit.df)
        n_low, n_mid, n_high, s_low, s_high = counts[j]
        impact = Impact(
            n_low, n_mid, n_high, s_low, s_high,
            pen, pen_se, pen_p, rew, rew_se, rew_p, asym_p, None, "", note,
        )  # fmt: skip
        impacts.append(impact)
    # multiplicity: one Benjamini-Hochberg family of every penalty and reward test
    q = bh_adjust([x for i in impacts for x in (i.penalty_p, i.reward_p)])
    out = []
    for j, i in enumerate(impacts):
        pen_q, rew_q = q[2 * j], q[2 * j + 1]
        use_pen, use_rew = (pen_q, rew_q) if opts.adjust == "bh" else (i.penalty_p, i.reward_p)
        ia, class_ = classify(
            i.penalty, use_pen, i.reward, use_rew, i.asymmetry_p, opts.alpha, opts.ia_threshold
        )
        out.append(replace(i, ia=ia, class_=class_, penalty_q=pen_q, reward_q=rew_q))
    return out, fit.r2


def classify(
    penalty: float | None,
    penalty_p: float | None,
    reward: float | None,
    reward_p: float | None,
    asymmetry_p: float | None,
    alpha: float = DRIVER_ALPHA,
    threshold: float = IA_THRESHOLD,
) -> tuple[float | None, str]:
    """Impact asymmetry and class of one attribute: ``(ia, class)``.

    Notes
    -----
    A penalty counts as significant when it is negative with p < alpha; a reward when it is
    positive with p < alpha. IA = (R - P) / (R + P), R = max(reward, 0), P = max(-penalty, 0).

    - neither significant: low impact;
    - only the penalty: pain-point when IA <= -threshold, else performance;
    - only the reward: wow-point when IA >= +threshold, else performance;
    - both: performance, unless the asymmetry itself is significant (test of
      reward + penalty = 0, p < alpha) and IA is beyond the threshold: then pain- or wow-point;
    - a penalty or reward (or its p-value) that could not be estimated: unclassified.
    """
    if penalty is None or reward is None or penalty_p is None or reward_p is None:
        return (None, UNCLASSIFIED)
    big_p, big_r = max(-penalty, 0.0), max(reward, 0.0)
    ia = (big_r - big_p) / (big_r + big_p) if big_r + big_p > 0 else None
    pen_sig = penalty < 0 and penalty_p is not None and penalty_p < alpha
    rew_sig = reward > 0 and reward_p is not None and reward_p < alpha
    if not pen_sig and not rew_sig:
        return (ia, LOW_IMPACT)
    if ia is None:
        return (ia, PERFORMANCE)
    if pen_sig and rew_sig:
        if asymmetry_p is None or asymmetry_p >= alpha:
            return (ia, PERFORMANCE)
        return (ia, PAIN if ia <= -threshold else WOW if ia >= threshold else PERFORMANCE)
    if pen_sig:
        return (ia, PAIN if ia <= -threshold else PERFORMANCE)
    return (ia, WOW if ia >= threshold else PERFORMANCE)


@dataclass(frozen=True)
class _Side:
    """One group of a contrast: its rows (a boolean array), whether there are any, and
    their sum of weights and of squared weights (the same for every attribute)."""

    mask: np.ndarray
    some: bool
    sw: float
    sw2: float

    @classmethod
    def of(cls, mask: np.ndarray, rows: Rows) -> _Side:
        _, sw, sw2 = rows.sums(mask)
        return cls(mask, bool(mask.any()), sw, sw2)


def _contrast(
    hit: np.ndarray, side_a: _Side, side_b: _Side, rows: Rows, names: tuple[str, str],
    confidence: float,
) -> Contrast:  # fmt: skip
    a, b = side_a.mask, side_b.mask
    sw_a, sw2_a, sw_b, sw2_b = side_a.sw, side_a.sw2, side_b.sw, side_b.sw2
    n_a = sw_a * sw_a / sw2_a if sw2_a > 0 else 0.0  # Kish n_eff of each group
    n_b = sw_b * sw_b / sw2_b if sw2_b > 0 else 0.0
    if not side_a.some or not side_b.some:
        return Contrast(names[0], names[1], None, None, n_a, n_b, None, None, None, None, None)
    pa = masked_sum(rows.sw, a & hit) / sw_a
    pb = masked_sum(rows.sw, b & hit) / sw_b
    t = two_proportions(pa, n_a, pb, n_b, confidence=confidence)

    def pts(v: float | None) -> float | None:
        return None if v is None else 100 * v

    return Contrast(
        names[0], names[1], 100 * pa, 100 * pb, n_a, n_b,
        pts(t.estimate), pts(t.ci_low), pts(t.ci_high), t.statistic, t.p_value,
    )  # fmt: skip


def _split_value(values: np.ndarray, how: str) -> float:
    if how == "median":
        return float(np.median(values))
    if how == "midpoint":
        return float((values.min() + values.max()) / 2)
    return float(values.mean())


def quadrant(importance: float, performance: float, imp_cut: float, perf_cut: float) -> str:
    """Importance-performance quadrant; a value on a split line counts as high."""
    high_imp, high_perf = importance >= imp_cut, performance >= perf_cut
    if high_imp:
        return KEEP_UP if high_perf else FIX_FIRST
    return OVERKILL if high_perf else LOW_PRIORITY


def _stages(d: _Data, stages: dict[str, list[str]], confidence: float) -> list[StageResult]:
    out: list[StageResult] = []
    index = {c: j for j, c in enumerate(d.columns)}
    for name, cols in stages.items():
        js = [index[c] for c in cols]
        lo = np.array([d.scales[j][0] for j in js])
        hi = np.array([d.scales[j][1] for j in js])
        sub = d.x[:, js]
        per_person = (100 * (sub - lo) / (hi - lo)).mean(axis=1)
        mean, se, n_eff = mean_se(per_person, d.rows)
        half = t_crit(confidence, n_eff - 1) * se if not math.isnan(se) else math.nan
        any_low = np.asarray((sub <= lo + 1).any(axis=1))
        share = _share(any_low, d.rows)
        a, b = wilson(share, n_eff, confidence)
        stage = StageResult(
            name, cols, d.rows.count, none_if_nan(mean),
            none_if_nan(mean - half), none_if_nan(mean + half),
            100 * share, 100 * a, 100 * b,
        )  # fmt: skip
        out.append(stage)
    scored = [s for s in out if s.csi is not None]
    if scored:
        weakest = min(scored, key=lambda s: s.csi or 0.0)
        out = [StageResult(**{**asdict(s), "weakest": s is weakest}) for s in out]
    return out


def _bad_moment(
    d: _Data, sat_col: str | None, nps_col: str | None, conf: float, ends: _Ends
) -> BadMoment:
    bad = np.zeros(d.x.shape[0], dtype=bool)
    for low in ends.low:  # some attribute rated in its bottom two
        bad |= low
    share = _share(bad, d.rows)
    a, b = wilson(share, d.rows.n_eff, conf)
    sat_bad = sat_rest = None
    sat_diff = EMPTY
    if d.sat is not None and d.sat_scale is not None:
        s_lo, s_hi = d.sat_scale
        csi = 100 * (d.sat - s_lo) / (s_hi - s_lo)
        ok = ~np.isnan(csi)
        m1, se1, n1 = mean_se(csi[ok & bad], d.rows[ok & bad])
        m2, se2, n2 = mean_se(csi[ok & ~bad], d.rows[ok & ~bad])
        sat_bad, sat_rest = none_if_nan(m1), none_if_nan(m2)
        from csitool.stats.inference import welch

        sat_diff = welch(m1, se1, n1, m2, se2, n2, confidence=conf)
    nps_bad = nps_rest = None
    nps_diff = EMPTY
    if d.nps is not None:
        r1 = nps_from_histogram(_histogram(d.nps[bad], d.rows[bad]), confidence=conf)
        r2 = nps_from_histogram(_histogram(d.nps[~bad], d.rows[~bad]), confidence=conf)
        nps_bad, nps_rest = r1.score, r2.score
        nps_diff = compare_nps(r1, r2, confidence=conf)
    return BadMoment(
        100 * share, 100 * a, 100 * b, _count(bad, d.rows), _count(~bad, d.rows),
        sat_col, sat_bad, sat_rest, sat_diff, nps_col, nps_bad, nps_rest, nps_diff,
    )  # fmt: skip


def _actions(attrs: list[AttributeDrivers]) -> list[Action]:
    fix = []
    promote = []
    for a in attrs:
        imp = a.impact
        if imp.class_ == PAIN and imp.penalty is not None:
            effect = -imp.penalty
            fix.append((effect * imp.share_low / 100, a, imp.share_low, effect))
        elif imp.class_ == WOW and imp.reward is not None:
            share = 100 - imp.share_high
            promote.append((imp.reward * share / 100, a, share, imp.reward))
    out: list[Action] = []
    for kind, items in (("fix", fix), ("promote", promote)):
        items.sort(key=lambda t: -t[0])
        for rank, (value, a, share, effect) in enumerate(items, 1):
            lo, hi = a.scale_min, a.scale_max
            out.append(Action(kind, rank, a.column, a.stage, lo, hi, share, effect, value))
    return out


def analyse(
    d: _Data,
    *,
    target: Target,
    value: str,
    options: DriverOptions,
    stages: dict[str, list[str]],
    stage_of: dict[str, str],
    sat_col: str | None,
    nps_col: str | None,
) -> DriversGroup:
    """All lenses for one group's complete rows. Raises DriversDataError if it cannot fit."""
    _check_fit(d, target.column)
    k = d.x.shape[1]
    n = d.rows.count
    conf = options.confidence
    notes: list[str] = []
    if n < 10 * k:
        notes.append(
            info(
                "drivers_few_rows",
                f"{n} complete rows for {k} attributes (fewer than 10 per attribute): "
                "the estimates are unstable",
                n=n,
                k=k,
            )
        )
    rw = relative_weights(d.x, d.y, d.rows.sw)  # correlations need only the sums of weights
    order = np.argsort(-rw.raw, kind="stable")
    rank = np.empty(k, dtype=int)
    rank[order] = np.arange(1, k + 1)
    ends = _Ends.of(d)
    impacts, model_r2 = _impacts(d, options, ends)
    perf: list[Performance] = []
    for j, col in enumerate(d.columns):
        lo, hi = d.scales[j]
        it = item_from_histogram(col, _histogram(d.x[:, j], d.rows), lo, hi, confidence=conf)
        perf.append(Performance(it.mean, it.csi, it.ci_low, it.ci_high, it.top_box, it.bottom2_box))

    # ladder contrast groups on the target
    y = d.y
    high = y >= target.cut_high
    low = y < target.cut_low
    sides = [_Side.of(m, d.rows) for m in (high, ~high & ~low, low, ~low)]
    delight: list[Contrast] = []
    dissat: list[Contrast] = []
    for j in range(k):
        delight.append(
            _contrast(ends.high[j], sides[0], sides[1], d.rows, (target.high, target.middle),
                      conf)
        )  # fmt: skip
        dissat.append(
            _contrast(ends.low[j], sides[2], sides[3], d.rows, (target.low, target.rest), conf)
        )
    for family in (delight, dissat):
        adjusted = bh_adjust([c.p_value for c in family])
        family[:] = [
            Contrast(**{**asdict(c), "p_adjusted": q})
            for c, q in zip(family, adjusted, strict=True)
        ]

    shares = rw.share
    csis = np.array([p.csi if p.csi is not None else np.nan for p in perf])
    imp_cut = _split_value(shares, options.split)
    perf_cut = _split_value(csis, options.split)
    attrs = [
        AttributeDrivers(
            column=col,
            stage=stage_of.get(col),
            scale_min=d.scales[j][0],
            scale_max=d.scales[j][1],
            performance=perf[j],
            importance=Importance(float(rw.raw[j]), float(shares[j]), int(rank[j])),
            impact=impacts[j],
            delight=delight[j],
            dissatisfaction=dissat[j],
            quadrant=quadrant(float(shares[j]), float(csis[j]), imp_cut, perf_cut),
        )
        for j, col in enumerate(d.columns)
    ]
    for a in attrs:
        if a.impact.note:
            params = getattr(a.impact.note, "params", {})
            notes.append(
                info(
                    "impact_skipped",
                    f"{a.column}: {a.impact.note}",
                    a.column,
                    col=a.column,
                    parts=params.get("parts", []),
                )
            )
    return DriversGroup(
        value=value,
        n=n,
        n_eff=d.rows.n_eff,
        r2=rw.r2,
        model_r2=model_r2,
        attributes=attrs,
        split={"method": options.split, "importance": imp_cut, "performance": perf_cut},
        stages=_stages(d, stages, conf) if stages else [],
        bad_moment=_bad_moment(d, sat_col, nps_col, conf, ends),
        actions=_actions(attrs),
        notes=notes,
    )


# --------------------------------------------------------------------------------------
# From a Survey, or a survey counted by an engine
# --------------------------------------------------------------------------------------


def resolve_target(survey: Source, target: str | None) -> tuple[Source, str, str]:
    """``(survey, column, role)`` for ``--target`` (sat, nps or a column; default sat, else
    nps). A column without a role is read as a rating item."""
    roles = survey.roles
    choice = target or survey.settings.drivers.target
    if choice is None:
        choice = "sat" if roles.sat else "nps"
    if choice == "sat":
        if not roles.sat:
            raise MissingRoleError(survey.path, "sat", "target")
        return survey, roles.sat, "sat"
    if choice == "nps":
        if not roles.nps:
            raise MissingRoleError(survey.path, "nps", "target")
        return survey, roles.nps, "nps"
    if choice in roles.attrs:
        raise ColumnError(path=survey.path, column=choice, role="target", problem="is_attribute")
    if choice not in survey.scales:
        survey = _with_items(survey, [choice])
    role = "nps" if choice == roles.nps else "sat" if choice == roles.sat else "column"
    return survey, choice, role


def _with_items(survey: Source, columns: list[str]) -> Source:
    """The survey with ``columns`` read as rating items too (engine or memory)."""
    from csitool.survey.engine import SurveySummary

    if isinstance(survey, SurveySummary):
        return survey.with_items(columns)
    from csitool.survey.build import with_items

    return with_items(survey, columns)


def _complete(
    survey: Source, required: list[str], optional: list[str], by: Sequence[str]
) -> CompleteRows:
    """The complete rows: fetched by the engine that counted ``survey``, or masked in memory."""
    from csitool.survey.engine import SurveySummary

    if isinstance(survey, SurveySummary):
        return survey.complete(required, optional, by)
    from csitool.survey.complete import from_survey

    return from_survey(survey, required, optional, by)


def _rows_of(complete: CompleteRows) -> Rows:
    """What each complete row stands for: one respondent in memory; a group of identical
    respondents (their count, sum of weights and of squared weights) from an engine."""
    if complete.freq is None:
        return Rows.of(complete.weights, complete.n)
    sw = complete.freq if complete.weights is None else complete.weights
    sw2 = complete.freq if complete.weights2 is None else complete.weights2
    return Rows(complete.freq, sw, sw2)


def resolve_stages(survey: Source) -> tuple[dict[str, list[str]], dict[str, str]]:
    """``[stages]`` patterns matched to the attributes: ``(stage -> columns, column -> stage)``."""
    attrs = survey.roles.attrs
    stages: dict[str, list[str]] = {}
    stage_of: dict[str, str] = {}
    where = survey.settings.config_path or "csitool.toml"
    for name, patterns in survey.settings.stages.items():
        cols: list[str] = []
        for pattern in patterns:
            matched = [a for a in attrs if a == pattern or fnmatch.fnmatchcase(a, pattern)]
            if not matched:
                raise ConfigError(
                    f"Error: {where}: [stages] {quote(name)}: {quote(pattern)} matches no "
                    "attribute. "
                    f"Attributes: {', '.join(attrs)}."
                )
            for col in matched:
                if col in stage_of and stage_of[col] != name:
                    raise ConfigError(
                        f"Error: {where}: [stages]: attribute {quote(col)} is in both "
                        f"{quote(stage_of[col])} and {quote(name)}; put it in one stage."
                    )
                if col not in cols:
                    cols.append(col)
                    stage_of[col] = name
        stages[name] = cols
    return stages, stage_of


def _target_info(survey: Source, column: str, role: str) -> Target:
    scale = survey.scales[column]
    if role == "nps":
        return Target(column, role, scale.min, scale.max, float(PROMOTER_MIN),
                      float(DETRACTOR_MAX + 1), "promoters", "passives",
                      "detractors", "passives + promoters")  # fmt: skip
    custom = survey.settings.ladder.get(scale.key)
    cuts = (
        Cuts(custom.very, custom.somewhat, custom.neutral)
        if custom
        else default_cuts(scale.min, scale.max)
    )
    return Target(column, role, scale.min, scale.max, cuts.very, cuts.somewhat,
                  "very satisfied", "somewhat satisfied", "neutral + dissatisfied",
                  "satisfied")  # fmt: skip


def drivers(
    survey: Source,
    target: str | None = None,
    by: Sequence[str] = (),
    *,
    alpha: float | None = None,
    ia_threshold: float | None = None,
    min_cell: int | None = None,
    split: str | None = None,
    confidence: float | None = None,
    min_base: int | None = None,
    adjust: str | None = None,
) -> DriversResult:
    """Wow-points and pain-points of ``survey``'s attributes for ``target``, as ``csitool
    drivers`` shows them (``csitool.drivers`` is this function); ``result.to_frame()`` gives
    the rows of ``csitool drivers --format csv``.

    Parameters
    ----------
    target:
        ``"sat"`` (default when there is an overall satisfaction item), ``"nps"``, or a column.
    by:
        Segment columns; each value is analysed where its base allows.
    alpha, ia_threshold, min_cell, split, confidence, min_base:
        Override ``[drivers]`` / ``[score]`` in csitool.toml; ``split`` is ``"mean"``,
        ``"median"`` or ``"midpoint"``.
    adjust:
        ``"bh"`` (default): the classes judge penalties and rewards on Benjamini-Hochberg
        q-values over every attribute's two tests, so ``alpha`` bounds the false discovery
        rate; ``"none"``: on the raw p-values.

    Raises
    ------
    InputError
        When the complete rows cannot carry the model (too few rows, a constant attribute).
    """
    s = survey.settings
    ds = s.drivers
    options = DriverOptions(
        alpha=ds.alpha if alpha is None else alpha,
        ia_threshold=ds.ia_threshold if ia_threshold is None else ia_threshold,
        min_cell=ds.min_cell if min_cell is None else min_cell,
        split=ds.split if split is None else split,
        confidence=s.confidence if confidence is None else confidence,
        min_base=s.min_base if min_base is None else min_base,
        adjust=ds.adjust if adjust is None else adjust,
    )
    if options.adjust not in ADJUSTS:
        raise ValueError(f"adjust must be one of {ADJUSTS}, got {options.adjust!r}")
    if options.split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {options.split!r}")
    survey, column, role = resolve_target(survey, target)
    attrs = list(survey.roles.attrs)
    if not attrs:
        raise MissingRoleError(survey.path, "attrs", "drivers")
    info = _target_info(survey, column, role)
    stages, stage_of = resolve_stages(survey)
    roles = survey.roles
    sat_col = roles.sat if roles.sat else None
    nps_col = roles.nps if roles.nps else None
    optional = [c for c in dict.fromkeys((sat_col, nps_col)) if c]
    rows = _complete(survey, [column, *attrs], optional, by)
    scales = [(survey.scales[a].min, survey.scales[a].max) for a in attrs]
    sat_scale = (survey.scales[sat_col].min, survey.scales[sat_col].max) if sat_col else None

    every = _rows_of(rows)

    def weights(mask: np.ndarray | None) -> Rows:
        return every if mask is None else every[mask]

    def data(mask: np.ndarray | None) -> _Data:
        """One group's _Data: the total's arrays are views of the complete rows (no copy)."""

        def col(name: str | None) -> np.ndarray | None:
            if name is None:
                return None
            values = rows.column(name)
            return values if mask is None else values[mask]

        attrs_x = [rows.x[:, j] for j in range(1, len(rows.columns))]
        x = rows.x[:, 1:] if mask is None else matrix(attrs_x, mask)
        return _Data(
            y=rows.x[:, 0] if mask is None else rows.x[mask, 0],
            x=x,
            rows=weights(mask),
            columns=attrs,
            scales=scales,
            sat=col(sat_col),
            sat_scale=sat_scale,
            nps=col(nps_col),
        )

    def run(mask: np.ndarray | None, value: str) -> DriversGroup:
        return analyse(
            data(mask), target=info, value=value, options=options, stages=stages,
            stage_of=stage_of, sat_col=sat_col, nps_col=nps_col,
        )  # fmt: skip

    try:
        total = run(None, "Total")
    except DriversDataError as exc:
        raise InputError(f"Error: {survey.path}: {exc}.") from None

    segments: dict[str, list[DriversGroup | SkippedGroup]] = {}
    n_terms = 2 * len(attrs) + 1
    for seg in by:
        values, codes = rows.segments[seg]
        groups: list[DriversGroup | SkippedGroup] = []
        for i, v in enumerate(values):
            mask = codes == i
            group = weights(mask)
            n, n_eff = group.count, group.n_eff
            if n <= n_terms or n_eff < options.min_base:
                need = max(n_terms + 1, options.min_base)
                groups.append(
                    SkippedGroup(str(v), n, f"low base: {n} complete rows, needs at least {need}")
                )
                continue
            try:
                groups.append(run(mask, str(v)))
            except DriversDataError as exc:
                groups.append(SkippedGroup(str(v), n, str(exc)))
        segments[seg] = groups
    return DriversResult(
        path=survey.path,
        target=info,
        options=options,
        rows=rows.counts,
        total=total,
        segments=segments,
        notes=list(survey.notes),
    )


def left_out_rows(survey: Survey, target: str, attrs: Sequence[str]) -> list[dict[str, Any]]:
    """Every row drivers leaves out, in row order: ``{row, reason, columns}``; ``columns``
    lists the target/attributes a row is missing (with each cell's ledger reason)."""
    from csitool.survey.model import REASONS

    cols = [target, *attrs]
    row_reason = survey.ledger.row_reason
    out: list[dict[str, Any]] = []
    missing = np.zeros(survey.n_rows, dtype=bool)
    for c in cols:
        missing |= np.isnan(survey.values[c])
    for i in np.flatnonzero((row_reason != 0) | missing):
        code = int(row_reason[i])
        if code:
            out.append(
                {"row": survey.ledger.row_number(int(i)), "reason": REASONS[code], "columns": {}}
            )
            continue
        gaps = {
            c: REASONS.get(int(survey.ledger.cells[c][i]), "blank")
            for c in cols
            if np.isnan(survey.values[c][i])
        }
        out.append(
            {"row": survey.ledger.row_number(int(i)), "reason": "incomplete", "columns": gaps}
        )
    return out
