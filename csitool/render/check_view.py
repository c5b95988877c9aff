"""``csitool check`` output: the rules table, JUnit XML and GitHub Actions annotations."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from rich.table import Table

from csitool.render import fmt
from csitool.render.console import T
from csitool.stats.check import FAIL, NOT_JUDGED, PASS, CheckResult, RuleResult

if TYPE_CHECKING:
    from rich.console import Console

VERDICT = {
    PASS: ("pass", "green"),
    FAIL: ("fail", "bold red"),
    NOT_JUDGED: ("not_judged", "yellow"),
}


def _value(v: float | None) -> str:
    if v is None:
        return fmt.DASH
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def _baseline(r: RuleResult) -> str:
    d = r.difference
    if d is None or d.estimate is None:
        return ""
    p = "" if d.p_value is None else f"  p {d.p_value:.3f}"
    return f"{fmt.signed(d.estimate)} {fmt.interval(d.ci_low, d.ci_high)}{p}"


def render_check(result: CheckResult, console: Console, lang: str = "en") -> None:
    from csitool.render.i18n import check_detail, check_rule, text

    w = lambda key: text(key, lang)  # noqa: E731
    title = w("c.title").format(path=result.path)
    if result.baseline:
        title += w("c.baseline").format(path=result.baseline)
    table = Table(title=T(title), title_justify="left", header_style="bold")
    changes = any(_baseline(r) for r in result.rules)  # the change column only with a baseline
    for key, justify in (("c.rule", "left"), ("c.scope", "left"), ("c.observed", "right"),
                         ("c.limit", "right"), ("c.verdict", "left"),
                         ("c.change", "right"), ("c.detail", "left")):  # fmt: skip
        if key != "c.change" or changes:
            table.add_column(w(key), justify=justify, no_wrap=key != "c.detail")  # type: ignore[arg-type]
    for r in result.rules:
        key, style = VERDICT[r.verdict]
        detail = check_detail(r, lang)
        if r.rows:
            more = "…" if len(r.rows) >= 20 else ""
            detail += f" ({w('c.rows')} " + ", ".join(map(str, r.rows)) + more + ")"
        scope = w("scope.total") if r.scope == "total" else r.scope
        change = [T(_baseline(r))] if changes else []
        table.add_row(T(check_rule(r.rule, lang)), T(scope), T(_value(r.observed)),
                      T(_value(r.limit)), T(w(key), style), *change, T(detail))  # fmt: skip
    console.print(table)
    c = result.counts()
    line = w("c.counts").format(passed=c[PASS], failed=c[FAIL], unjudged=c[NOT_JUDGED])
    console.print(T(line, "bold red" if c[FAIL] else "bold green"))


def _xml_text(text: str) -> str:
    """XML 1.0 cannot hold NUL, ESC and most other control characters: show them escaped."""
    return fmt.safe(text, keep="\n\t")


def junit_xml(results: list[CheckResult]) -> str:
    """One <testsuite> per file, one <testcase> per rule: failures and skips (not judged)."""
    x = _xml_text
    suites = ET.Element("testsuites", name="csitool check")
    for res in results:
        c = res.counts()
        suite = ET.SubElement(
            suites, "testsuite", name=x(res.path), tests=str(len(res.rules)),
            failures=str(c[FAIL]), errors="0", skipped=str(c[NOT_JUDGED]),
        )  # fmt: skip
        for r in res.rules:
            case = ET.SubElement(
                suite, "testcase", classname=x(res.path), name=x(f"{r.rule} [{r.scope}]")
            )
            if r.verdict == FAIL:
                failure = ET.SubElement(case, "failure", message=x(r.message), type=r.rule)
                failure.text = x(r.message) + (f"\nrows: {r.rows}" if r.rows else "")
            elif r.verdict == NOT_JUDGED:
                ET.SubElement(case, "skipped", message=x(r.message))
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def _escape(text: str) -> str:
    """A workflow command's message: control characters shown as escapes (fmt.safe), then
    GitHub's own escapes for ``%``, carriage return and newline."""
    return fmt.safe(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value (file=, title=): also ``,`` and ``:``."""
    return _escape(text).replace(",", "%2C").replace(":", "%3A")


def github_annotations(results: list[CheckResult]) -> list[str]:
    """One ``::error`` workflow command per failed rule."""
    lines = []
    for res in results:
        for r in res.rules:
            if r.verdict == FAIL:
                title = _property(f"csitool check: {r.rule}")
                lines.append(
                    f"::error file={_property(res.path)},title={title}::"
                    f"{_escape(f'{r.rule} [{r.scope}]: {r.message}')}"
                )
    return lines
