"""``csitool check``: rules on a survey export, each with an observed value, a limit and a
verdict (pass, fail, or not judged), including baseline rules whose falls must be real
(statistically significant) to fail."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from csitool.notes import setting
from csitool.stats import measures
from csitool.stats.inference import EMPTY, Difference, welch
from csitool.stats.nps import compare_nps
from csitool.stats.score import GroupScore, ScoreResult, score

if TYPE_CHECKING:
    import pandas as pd

    from csitool.config import CheckSettings
    from csitool.stats.csi import CsiResult
    from csitool.survey.engine import SurveySummary
    from csitool.survey.facts import ExportFacts
    from csitool.survey.model import Survey

PASS = "pass"
FAIL = "fail"
NOT_JUDGED = "not_judged"


@dataclass(frozen=True)
class RuleResult:
    """One rule on one scope (``total`` or ``column = value``).

    ``observed`` and ``limit`` are in the rule's unit (points, percent or a count);
    ``difference`` is set for baseline rules (current - baseline, with its test);
    ``rows`` lists source row numbers behind a failure (first 20). ``detail`` names the kind
    of ``message`` and ``params`` its values, so that a renderer can word it in another
    language (``render/i18n.py`` ``check_detail``).
    """

    rule: str
    scope: str
    observed: float | None
    limit: float | None
    verdict: str
    message: str
    difference: Difference | None = None
    rows: list[int] = field(default_factory=list)
    detail: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["difference"] = self.difference.to_dict() if self.difference else None
        return d


# The columns of ``CheckResult.to_frame()``.
TIDY_COLUMNS = ["file", "baseline", "rule", "scope", "verdict", "observed", "limit",
                "difference", "difference_p", "message"]  # fmt: skip


@dataclass(frozen=True)
class CheckResult:
    """Every rule's verdict for one file; ``passed`` when no rule failed."""

    path: str
    baseline: str | None
    rules: list[RuleResult]
    settings: dict[str, Any]

    @property
    def passed(self) -> bool:
        return all(r.verdict != FAIL for r in self.rules)

    def counts(self) -> dict[str, int]:
        return {v: sum(r.verdict == v for r in self.rules) for v in (PASS, FAIL, NOT_JUDGED)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "baseline": self.baseline,
            "passed": self.passed,
            "counts": self.counts(),
            "settings": self.settings,
            "rules": [r.to_dict() for r in self.rules],
        }

    def tidy_rows(self) -> list[dict[str, Any]]:
        """One row per rule and scope, at full precision (columns :data:`TIDY_COLUMNS`;
        ``check`` has no CSV output: these are the rules of its table and JSON)."""
        return [
            {
                "file": self.path,
                "baseline": self.baseline,
                "rule": r.rule,
                "scope": r.scope,
                "verdict": r.verdict,
                "observed": r.observed,
                "limit": r.limit,
                "difference": r.difference.estimate if r.difference else None,
                "difference_p": r.difference.p_value if r.difference else None,
                "message": r.message,
            }
            for r in self.rules
        ]

    def to_frame(self) -> pd.DataFrame:
        """:meth:`tidy_rows` as a pandas DataFrame (None as missing)."""
        from csitool.stats.tidy import frame

        return frame(self.tidy_rows(), TIDY_COLUMNS)


def _judged(rule: str, scope: str, observed: float | None, limit: float, unit: str,
            ok: bool | None, sign: str) -> RuleResult:  # fmt: skip
    if observed is None or ok is None:
        return RuleResult(rule, scope, None, limit, NOT_JUDGED, "no value to judge",
                          detail="no_value")  # fmt: skip
    shown = f"{observed:,.0f}" if rule == "min_n" else f"{observed:.1f}"
    text = f"{shown}{unit} {sign} {limit:g}{unit}"
    return RuleResult(rule, scope, observed, limit, PASS if ok else FAIL, text,
                      detail="threshold", params={"text": text})  # fmt: skip


def _at_least(rule: str, scope: str, observed: float | None, limit: float, unit: str) -> RuleResult:
    ok = None if observed is None else observed >= limit
    return _judged(rule, scope, observed, limit, unit, ok, ">=" if ok else "<")


def _at_most(rule: str, scope: str, observed: float | None, limit: float, unit: str) -> RuleResult:
    ok = None if observed is None else observed <= limit
    return _judged(rule, scope, observed, limit, unit, ok, "<=" if ok else ">")


#: Threshold rules: (rule, registered measure, direction, unit). The measure's value for a
#: group is what the rule judges (see :mod:`csitool.stats.measures`).
THRESHOLDS: tuple[tuple[str, str, str, str], ...] = (
    ("min_nps", "nps", ">=", ""),
    ("min_csi", "csi", ">=", ""),
    ("max_detractors", "detractors", "<=", "%"),
    ("min_top_box", "sat_top_box", ">=", "%"),
)


def _group_rules(
    g: GroupScore, scope: str, spec: CheckSettings, low_base: int | None
) -> list[RuleResult]:
    """Threshold rules on one group; a group below the low-base size is not judged."""
    planned: list[tuple[str, float, Any, str, str]] = []
    for rule, name, direction, unit in THRESHOLDS:
        limit = getattr(spec, rule)
        if limit is not None:
            planned.append((rule, limit, measures.value(g, name), direction, unit))
    if scope != "total" and low_base is not None and g.n_rows < low_base:
        why = f"not judged: low base ({g.n_rows} rows < {low_base})"
        params = {"n": g.n_rows, "low_base": low_base}
        return [
            RuleResult(name, scope, None, limit, NOT_JUDGED, why, detail="low_base", params=params)
            for name, limit, *_ in planned
        ]
    out: list[RuleResult] = []
    for name, limit, observed, direction, unit in planned:
        judge = _at_least if direction == ">=" else _at_most
        out.append(judge(name, scope, observed, limit, unit))
    return out


def _contract(facts: ExportFacts, id_column: str | None, spec: CheckSettings) -> list[RuleResult]:
    """The export-contract rules, judged on the facts of the file (in memory or counted by an
    engine: :mod:`csitool.survey.facts`)."""
    out: list[RuleResult] = []
    for col in spec.require:
        present = col in facts.columns
        out.append(
            RuleResult(
                "require_column",
                col,
                None,
                None,
                PASS if present else FAIL,
                "present" if present else "missing from the export",
                detail="present" if present else "absent",
            )
        )
        if present and spec.max_missing is not None:
            blank = facts.blank[col]
            share = 100 * blank.n / facts.n_rows if facts.n_rows else 0.0
            r = _at_most("max_missing", col, share, spec.max_missing, "%")
            out.append(replace(r, rows=list(blank.first)))
    where = ", ".join(f"{col} ({n})" for col, n in facts.off_scale_cells.items())
    n_bad = facts.off_scale.n
    out.append(
        RuleResult(
            "in_scale",
            "total",
            float(n_bad),
            0.0,
            FAIL if n_bad else PASS,
            "every rating is a number on its scale"
            if not n_bad
            else f"{n_bad} row(s) with values off the scale or not numbers: {where}",
            rows=list(facts.off_scale.first),
            detail="in_scale_bad" if n_bad else "in_scale_ok",
            params={"n": n_bad, "where": where},
        )
    )
    if id_column and facts.duplicate_ids is not None:
        n_dup = facts.duplicate_ids.n
        out.append(
            RuleResult(
                "unique_ids",
                id_column,
                float(n_dup),
                0.0,
                FAIL if n_dup else PASS,
                "no duplicate ids" if not n_dup else f"{n_dup} row(s) repeat an earlier id",
                rows=list(facts.duplicate_ids.first),
                detail="ids_repeat" if n_dup else "ids_unique",
                params={"n": n_dup},
            )
        )
    return out


def _csi_se(c: CsiResult, confidence: float) -> float:
    """The CSI's standard error, from its t interval (half-width / t on n_eff - 1 df)."""
    return c.se if c.se is not None else math.nan


def _drop_rule(
    measure: str, limit: float, now: ScoreResult, before: ScoreResult, spec: CheckSettings
) -> RuleResult:
    rule = f"max_drop_{measure}"
    if measure == "nps":
        a, b = now.total.nps, before.total.nps
        diff = compare_nps(a, b) if a and b else EMPTY
    else:
        ca, cb = now.total.csi, before.total.csi
        if ca is None or cb is None or ca.score is None or cb.score is None:
            diff = EMPTY
        else:
            se_a = _csi_se(ca, now.options.confidence)
            se_b = _csi_se(cb, before.options.confidence)
            diff = welch(ca.score, se_a, ca.n_eff, cb.score, se_b, cb.n_eff)
    if diff.estimate is None:
        return RuleResult(rule, "total", None, limit, NOT_JUDGED,
                          f"no {measure.upper()} in both files", diff, detail="not_in_both",
                          params={"measure": measure.upper()})  # fmt: skip
    drop = -diff.estimate
    significant = diff.p_value is not None and diff.p_value < spec.alpha
    too_big = drop > limit
    fails = too_big and (significant or not spec.significance)
    p_text = "" if diff.p_value is None else f", p = {diff.p_value:.3f}"
    params = {"change": f"{diff.estimate:+.1f}", "drop": f"{drop:.1f}", "limit": f"{limit:g}",
              "alpha": f"{spec.alpha:g}", "p": p_text}  # fmt: skip
    if not too_big:
        detail = "drop_within"
        why = f"change {diff.estimate:+.1f} (limit: a drop of {limit:g}){p_text}"
    elif fails:
        detail = "drop_significant" if spec.significance else "drop_too_big"
        why = f"dropped {drop:.1f} > {limit:g}" + (
            f" and significant at {spec.alpha:g}{p_text}" if spec.significance else ""
        )
    else:
        detail = "drop_not_significant"
        why = f"dropped {drop:.1f} > {limit:g} but not significant at {spec.alpha:g}{p_text}"
    return RuleResult(rule, "total", drop, limit, FAIL if fails else PASS, why, diff,
                      detail=detail, params=params)  # fmt: skip


MISSING = {
    "min_nps": "no NPS figure (no NPS item, or no valid answer)",
    "max_detractors": "no NPS figure (no NPS item, or no valid answer)",
    "min_csi": "no CSI figure (no rating item, or no valid answer)",
    "min_top_box": "no overall satisfaction item",
}


def _unjudged(r: RuleResult, allow: bool) -> RuleResult:
    """A rule that cannot be judged for want of a figure fails the run (a gate must not pass
    silently), unless ``allow_unjudged``; a segment too small to judge stays not judged."""
    if r.verdict != NOT_JUDGED or r.detail == "low_base":
        return r
    why = MISSING.get(r.rule, r.message) if r.message == "no value to judge" else r.message
    # the reason it cannot be judged, as the renderer words it: a missing figure or the rule's
    params = {"why": r.detail if r.detail != "no_value" else f"missing_{r.rule}"} | r.params
    allowed = setting("allow_unjudged", "True")
    params["setting"] = allowed
    if allow:
        return replace(r, message=f"cannot be judged: {why} (allowed by {allowed})",
                       detail="unjudged_allowed", params=params)  # fmt: skip
    return replace(
        r,
        verdict=FAIL,
        message=f"cannot be judged: {why}; this fails the check ({allowed} accepts it)",
        detail="unjudged_fails",
        params=params,
    )


def check(
    survey: Survey | SurveySummary,
    spec: CheckSettings,
    baseline: Survey | SurveySummary | None = None,
) -> CheckResult:
    """Judge ``survey`` by the rules in ``spec`` (thresholds, export contract, baseline).

    Every rule reads the figures of :func:`~csitool.stats.score.score` and the export
    facts of :func:`~csitool.survey.facts.export_facts`, which a survey read into memory
    and one counted by an engine (:class:`~csitool.survey.engine.SurveySummary`, opened
    with ``by=spec.by`` and ``facts=spec.require``) both give: the result is the same.

    Rules that are always on: ``in_scale`` (no out-of-range or non-numeric ratings) and
    ``unique_ids`` (when there is an id column). Segments (``spec.by``) below ``min_n``
    rows (or below the low-base size of ``[score] min_base`` when ``min_n`` is not set) are
    not judged.
    """
    result = score(survey, spec.by)
    rules: list[RuleResult] = []
    t = result.total
    q = result.quality
    if spec.min_n is not None:
        rules.append(_at_least("min_n", "total", float(q["rows_kept"]), spec.min_n, ""))
    rules.extend(_group_rules(t, "total", spec, None))
    if spec.max_excluded is not None:
        left = 100 * (q["n_rows"] - q["rows_kept"]) / q["n_rows"] if q["n_rows"] else 0.0
        rules.append(_at_most("max_excluded", "total", left, spec.max_excluded, "%"))
    low_base = spec.min_n if spec.min_n is not None else survey.settings.min_base
    for col, groups in result.segments.items():
        for g in groups:
            rules.extend(_group_rules(g, f"{col} = {g.value}", spec, low_base))
    from csitool.survey.facts import export_facts

    rules.extend(_contract(export_facts(survey, spec.require), survey.roles.id, spec))
    if spec.max_drop:
        if baseline is None:
            from csitool.errors import SettingError

            raise SettingError("max_drop", "needs", needs="baseline")
        before = score(baseline)
        for measure in ("nps", "csi"):
            if measure in spec.max_drop:
                rules.append(_drop_rule(measure, spec.max_drop[measure], result, before, spec))
    rules = [_unjudged(r, spec.allow_unjudged) for r in rules]
    settings = {k: v for k, v in asdict(spec).items() if v not in (None, (), {}) or k in ("alpha",)}
    return CheckResult(
        path=survey.path,
        baseline=baseline.path if baseline is not None else None,
        rules=rules,
        settings=settings,
    )
