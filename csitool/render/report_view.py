"""What ``csitool report`` prints: a progress bar on a terminal, and the end-of-run summary
as a table, JSON or Markdown."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from rich.table import Table

from csitool.render import fmt
from csitool.render.console import T, make_console


class Outcome(Protocol):
    """What this module reads of a :class:`csitool.batch.Outcome`. Render sits below batch
    (the application layer), so it names the fields it needs instead of importing it."""

    source: str
    status: str
    output: str | None
    error: str | None
    figures: dict[str, Any]

    def to_dict(self) -> dict[str, Any]: ...


@contextlib.contextmanager
def progress_bar(total: int, show: bool) -> Iterator[Callable[[Outcome], None]]:
    """A rich progress bar on standard error when ``show``; yields the per-file tick."""
    if not show:
        yield lambda outcome: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=make_console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("reports", total=total)
        yield lambda outcome: bar.advance(task)


def summary_json(outcomes: Sequence[Outcome], combined: Path | None) -> str:
    from csitool.render import jsonout

    doc = jsonout.envelope("report", [o.to_dict() for o in outcomes])
    doc["ok"] = sum(o.status == "ok" for o in outcomes)
    doc["failed"] = sum(o.status != "ok" for o in outcomes)
    doc["combined"] = str(combined) if combined else None
    return jsonout.dumps(doc)


#: more files than this and the summary lists only the failures, then one line
SUMMARY_ROWS = 20


def summary_table(outcomes: Sequence[Outcome], combined: Path | None, lang: str = "en") -> None:
    """Every file with its NPS, CSI and report (or why it failed); a batch of more than
    :data:`SUMMARY_ROWS` files lists only its failures, then the one-line count."""
    from csitool.render.i18n import text

    w = lambda key: text(key, lang)  # noqa: E731
    console = make_console()
    shown = outcomes if len(outcomes) <= SUMMARY_ROWS else [o for o in outcomes if o.status != "ok"]
    title = w("r.reports") if shown is outcomes else w("r.failed")
    table = Table(title=title, title_justify="left", header_style="bold")
    for name in (w("file"), w("r.status"), "NPS", "CSI", w("r.output")):
        table.add_column(name, justify="right" if name in ("NPS", "CSI") else "left")
    for o in shown:
        ok = o.status == "ok"
        f: dict[str, Any] = o.figures
        table.add_row(
            T(o.source),
            T(w(f"r.status.{o.status}"), "green" if ok else "bold red"),
            T(fmt.signed(f.get("nps")) if ok else ""),
            T(fmt.num(f.get("csi")) if ok else ""),
            T(o.output if ok else o.error),
        )
    if shown:
        console.print(table)
    n_ok = sum(o.status == "ok" for o in outcomes)
    n_bad = len(outcomes) - n_ok
    line = w("r.counts").format(ok=n_ok, bad=n_bad)
    if combined:
        line += w("r.combined").format(path=combined)
    console.print(T(line, "bold red" if n_bad else "green"))


def summary_markdown(outcomes: Sequence[Outcome], date: str) -> str:
    """A short Markdown summary of every file, for chat or a wiki."""
    from csitool.render.flat import md_text

    lines = [f"# Customer satisfaction reports ({date})", ""]
    lines.append("| file | NPS | CSI | wow gap | top pain-point | top wow-point | workbook |")
    lines.append("|---|---:|---:|---:|---|---|---|")

    def cell(v: Any) -> str:
        return md_text(str(v).replace("\n", " "))

    failed = []
    for o in outcomes:
        if o.status != "ok":
            failed.append(o)
            continue
        f = o.figures
        lines.append(
            f"| {cell(Path(o.source).name)} | {fmt.signed(f['nps'])} | {fmt.num(f['csi'])} | "
            f"{fmt.pct(f['wow_gap'])} | {cell(', '.join(f['pain_points'][:2]) or '–')} | "
            f"{cell(', '.join(f['wow_points'][:2]) or '–')} | {cell(o.output)} |"
        )
    if failed:
        lines += ["", "Failed:", ""]
        lines += [f"- {cell(o.source)}: {cell(o.error)}" for o in failed]
    return "\n".join(lines) + "\n"
