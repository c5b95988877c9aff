"""Every command option of csitool, written once.

A command names the options it takes (``@options("by format ci ...")``) and receives their
values as one :class:`Options` in its keyword-only parameter ``opt``; the shared role and
reading options come the same way as ``read`` (``common.reading_options``). Where a flag means
something slightly different in one command (``--by`` breaks figures down in ``score`` and
judges segments in ``check``), the catalogue holds a variant under ``"NAME@COMMAND"``: the
command picks it up by its own name. ``--help`` lists the options in the order named.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])
OPT_PARAM = "opt"


# The choices of options, as Typer shows and checks them (a member's value is what is typed).
TableFormat = StrEnum("TableFormat", ["table", "json", "csv", "markdown"])
InspectFormat = StrEnum("InspectFormat", ["table", "json"])
Lang = StrEnum("Lang", ["en", "ko"])
CiMethod = StrEnum("CiMethod", [("adjusted_wald", "adjusted-wald"), ("wald", "wald")])
Split = StrEnum("Split", ["mean", "median", "midpoint"])
Period = StrEnum("Period", ["month", "quarter", "year"])
Engine = StrEnum("Engine", ["auto", "pandas", "duckdb", "spark"])
SummaryFormat = StrEnum("SummaryFormat", ["table", "json"])
#: the report file; ``table`` and ``json`` are the old spelling of ``--summary``
ReportFormat = StrEnum("ReportFormat", ["xlsx", "html", "pdf", "table", "json"])
Correction = StrEnum("Correction", ["none", "bonferroni", "fdr"])


@dataclass(frozen=True)
class Opt:
    """One option: the parameter's annotation (type + ``typer.Option``) and default."""

    annotation: Any
    default: Any


#: what ``--help`` shows after an option that takes a value (instead of ``<str>``); options
#: with choices show them, flags nothing
METAVARS = {
    "--nps": "COLUMN", "--sat": "COLUMN", "--weight": "COLUMN", "--id": "COLUMN",
    "--date": "COLUMN", "--comment": "COLUMN", "--wave": "COLUMN", "--text": "COLUMN",
    "--sheet": "NAME|N", "--header-row": "N", "--encoding": "NAME", "--config": "FILE",
    "--format-hint": "LAYOUT", "--output": "FILE", "--confidence": "LEVEL", "--min-base": "N",
    "--alpha": "LEVEL", "--ia-threshold": "X", "--min-cell": "N", "--target": "sat|nps|COLUMN",
    "--wave-names": "NAMES", "--rows": "GROUPS", "--codebook": "FILE", "--export-tagged": "FILE",
    "--min-nps": "NPS", "--min-csi": "CSI", "--min-n": "N", "--max-detractors": "PCT",
    "--min-top-box": "PCT", "--max-excluded": "PCT", "--require-columns": "A,B,C",
    "--max-missing": "PCT", "--baseline": "FILE", "--max-drop": "MEASURE=POINTS",
    "--junit": "FILE",
}  # fmt: skip


def opt(kind: Any, *decls: str, default: Any = None, **kw: Any) -> Opt:
    if "metavar" not in kw:
        long = next((d for d in decls if d.startswith("--")), "")
        kw["metavar"] = "" if kind is bool else METAVARS.get(long)
        if kw["metavar"] is None:
            del kw["metavar"]
    return Opt(Annotated[kind, typer.Option(*decls, **kw)], default)


def by(help: str) -> Opt:
    return opt(list[str] | None, "--by", metavar="COLUMN", help=help)


def flag(name: str, help: str) -> Opt:
    return opt(bool, name, default=False, help=help)


LEVEL = {"min": 0.0001, "max": 0.5}
OUTPUT_HELP = "Write to this file (atomically; never over an input) instead of standard output."
SHOW_EXCLUDED_HELP = "List every row left out, with its row number in the file."

#: option name (or ``name@command``) -> its declaration
CATALOGUE: dict[str, Opt] = {
    # output and language: most commands
    "format": opt(TableFormat, "--format", "-f", default=TableFormat.table, help="Output format."),
    "format@check": opt(
        InspectFormat, "--format", "-f", default=InspectFormat.table, help="Output format."
    ),
    "format@inspect": opt(
        InspectFormat, "--format", "-f", default=InspectFormat.table, help="Output format."
    ),
    "output": opt(Path | None, "--output", "-o", help=OUTPUT_HELP),
    "output@init": opt(
        Path, "--output", "-o", default=Path("csitool.toml"), help="Where to write."
    ),
    "force@init": flag("--force", "Overwrite an existing file."),
    "lang": opt(
        Lang | None, "--lang", help="Language of the terminal tables and sentences: en or ko (en)."
    ),
    "show_excluded": flag("--show-excluded", SHOW_EXCLUDED_HELP),
    # segments
    "by@score": by("Break the figures down by this column (repeatable)."),
    "by@drivers": by("Repeat the analysis per value of this column (repeatable)."),
    "by@compare": by("Segment column: one banner each (repeatable)."),
    "by@voc": by("Themes per value of this column (repeatable)."),
    "by@check": by("Judge the thresholds per segment too."),
    # intervals and tests
    "ci": opt(CiMethod | None, "--ci", help="NPS interval: adjusted-wald (default) or wald."),
    "confidence": opt(
        float | None,
        "--confidence",
        min=0.5,
        max=0.999,
        help="Confidence level of intervals (default 0.95).",
    ),
    "min_base@score": opt(
        int | None,
        "--min-base",
        min=0,
        help="Flag figures whose (effective) n is below this (default 30).",
    ),
    "min_base@drivers": opt(
        int | None, "--min-base", min=0, help="Smallest effective n to analyse a segment (30)."
    ),
    "min_base@compare": opt(
        int | None, "--min-base", min=0, help="Columns below this are not tested (30)."
    ),
    "alpha@drivers": opt(
        float | None,
        "--alpha",
        **LEVEL,
        help="Significance level of penalties and rewards, on BH q-values (default 0.05).",
    ),
    "alpha@compare": opt(float, "--alpha", default=0.05, **LEVEL, help="Significance level."),
    "alpha@check": opt(
        float | None, "--alpha", **LEVEL, help="Significance level of drops (0.05)."
    ),
    # drivers
    "target": opt(
        str | None, "--target", "-t", help="What to explain: sat (default), nps, or a column name."
    ),
    "split": opt(
        Split | None, "--split", help="Quadrant split lines: mean (default), median, midpoint."
    ),
    "no_adjust": flag(
        "--no-adjust", "Classify on raw p-values instead of Benjamini-Hochberg q-values."
    ),
    "ia_threshold": opt(
        float | None,
        "--ia-threshold",
        min=0.0,
        max=0.99,
        help="|impact asymmetry| for a pain- or wow-point (default 0.2).",
    ),
    "min_cell": opt(
        int | None,
        "--min-cell",
        min=1,
        help="Fewest respondents to estimate a penalty/reward (10).",
    ),
    # compare
    "wave": opt(str | None, "--wave", help="Split one file into waves by this column."),
    "period": opt(Period | None, "--period", help="Split one file into waves by its dates."),
    "wave_names": opt(str | None, "--wave-names", help="Names of the files as waves: q1,q2,q3."),
    "letters": flag("--letters", "Significance letters across waves too."),
    "rows": opt(
        str | None,
        "--rows",
        help="Rows to show: nps,groups,csi,ladder,wow_gap,attr_csi,attr_top_box (all).",
    ),
    "two_levels": flag("--two-levels", "Lowercase letters at --alpha, uppercase at 0.01."),
    "correction": opt(
        Correction,
        "--correction",
        default=Correction.bonferroni,
        help="Multiple-comparison correction.",
    ),
    # engines (score, compare, check, drivers, voc): where the counting happens
    "engine": opt(
        Engine,
        "--engine",
        default=Engine.auto,
        help="pandas reads the file into memory; duckdb counts Parquet, Arrow and DuckDB "
        "tables (and UTF-8 CSVs) out of core; spark counts them on a Spark cluster "
        "(--spark-master). auto: duckdb for those sources and for a CSV from [engine] "
        "csv_threshold_mb, pandas otherwise.",
    ),
    "query": opt(
        str | None,
        "--query",
        metavar="SQL",
        help="With duckdb:///FILE.duckdb: read the rows of this query.",
    ),
    "jobs": opt(
        int | None,
        "--jobs",
        "-j",
        min=1,
        metavar="N",
        help="Threads of the duckdb/spark engine (default: all).",
    ),
    "spark_master": opt(
        str | None,
        "--spark-master",
        metavar="URL",
        help="Spark master (local[*], spark://host:7077, sc://host for Spark Connect; "
        "default: SPARK_REMOTE, else local).",
    ),
    # report
    "output@report": opt(
        Path | None,
        "--output",
        "-o",
        help="The report to write (one input only); .html or .pdf choose the format.",
    ),
    "out_dir": opt(
        Path | None,
        "--out-dir",
        metavar="FOLDER",
        help="Folder for <name>_report.xlsx|html|pdf (default: beside each input).",
    ),
    "combined": opt(
        Path | None,
        "--combined",
        metavar="FILE",
        help="Also write one workbook comparing every file.",
    ),
    "summary_md": opt(
        Path | None,
        "--summary-md",
        metavar="FILE",
        help="Also write a Markdown summary (for chat or a wiki).",
    ),
    "recursive": opt(
        bool, "--recursive", "-r", default=False, help="Look for exports in sub-folders too."
    ),
    "force@report": flag("--force", "Overwrite existing reports, --combined, --summary-md."),
    "jobs@report": opt(
        int,
        "--jobs",
        "-j",
        default=1,
        min=1,
        metavar="N",
        help="Files processed in parallel (processes).",
    ),
    "lang@report": opt(
        Lang | None, "--lang", help="ko or en (default: Korean when the headers are Korean)."
    ),
    "by@report": by("Segment breakdown in the report (repeatable)."),
    "format@report": opt(
        ReportFormat | None,
        "--format",
        "-f",
        help="The report file: xlsx (workbook), html (one page) or pdf (printed by "
        "Chromium). Default: from the suffix of --output, else xlsx. (table and json: "
        "deprecated spelling of --summary.)",
    ),
    "summary": opt(
        SummaryFormat | None, "--summary", help="The end-of-run summary: table or json."
    ),
    "quiet": opt(
        bool, "--quiet", "-q", default=False, help="No progress bar and no summary table."
    ),
    # voc
    "text": opt(
        list[str] | None, "--text", help="Comment column(s) to read (default: the comment role)."
    ),
    "codebook": opt(
        Path | None, "--codebook", help="A codebook TOML file (\\[themes.NAME] tables)."
    ),
    "show_codebook": flag("--show-codebook", "Print the codebook in use and exit."),
    "export_tagged": opt(
        Path | None, "--export-tagged", help="Write every comment with its themes: .csv or .xlsx."
    ),
    # check: thresholds, the export contract, a baseline wave
    "min_nps": opt(float | None, "--min-nps", help="Lowest acceptable NPS."),
    "min_csi": opt(float | None, "--min-csi", help="Lowest acceptable CSI."),
    "min_n": opt(int | None, "--min-n", help="Fewest rows kept; smaller segments are not judged."),
    "max_detractors": opt(
        float | None, "--max-detractors", help="Highest detractor share (percent)."
    ),
    "min_top_box": opt(
        float | None, "--min-top-box", help="Lowest top-box share of sat (percent)."
    ),
    "max_excluded": opt(
        float | None, "--max-excluded", help="Highest share of rows left out (percent)."
    ),
    "require_columns": opt(
        str | None, "--require-columns", help="Columns the export must have: a,b,c."
    ),
    "max_missing": opt(
        float | None, "--max-missing", help="Highest blank share per required column (percent)."
    ),
    "baseline": opt(Path | None, "--baseline", help="An earlier wave to compare with."),
    "max_drop": opt(
        list[str] | None, "--max-drop", help="Largest allowed fall: nps=5 csi=3 (needs --baseline)."
    ),
    "no_significance": flag("--no-significance", "Judge drops on the raw difference alone."),
    "allow_unjudged": flag(
        "--allow-unjudged",
        "Pass rules that cannot be judged (e.g. --min-nps on a file without NPS).",
    ),
    "junit": opt(Path | None, "--junit", help="Also write JUnit XML (one test per rule)."),
}


class Options:
    """The values of a command's own options, by parameter name (``opt.by``)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:  # for mypy: the names are the command's choice
        raise AttributeError(f"the command did not ask for the option {name!r}")


def lookup(name: str, command: str) -> Opt:
    found = CATALOGUE.get(f"{name}@{command}") or CATALOGUE.get(name)
    if found is None:
        raise TypeError(f"no option {name!r} for {command} in csitool/cli/options.py")
    return found


def expand(fn: F, param: str, chosen: dict[str, Opt], make: Callable[[dict[str, Any]], Any]) -> F:
    """``fn`` with its keyword-only parameter ``param`` replaced, in the signature Typer
    reads, by the options ``chosen`` (so ``--help`` lists them as if written out); on each
    call their values are collected into ``make(values)`` and passed as ``param``. Typer has
    no option groups; this is sqlite-utils' ``output_options(fn)`` for Typer."""
    sig = inspect.signature(fn, eval_str=True)
    params = list(sig.parameters.values())
    at = [i for i, p in enumerate(params) if p.name == param]
    if not at or params[at[0]].kind is not inspect.Parameter.KEYWORD_ONLY:
        raise TypeError(f"{fn.__name__} needs a keyword-only parameter {param!r}")
    params[at[0] : at[0] + 1] = [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=o.default, annotation=o.annotation
        )
        for name, o in chosen.items()
    ]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {n: kwargs.pop(n, o.default) for n, o in chosen.items()}
        return fn(*args, **kwargs, **{param: make(given)})

    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params} | {
        "return": sig.return_annotation
    }
    return wrapper  # type: ignore[return-value]


def options(names: str) -> Callable[[F], F]:
    """A decorator that gives a command the options ``names`` (space-separated catalogue
    names, in ``--help`` order) and hands their values to it as one :class:`Options` in its
    keyword-only parameter ``opt``."""

    def decorate(fn: F) -> F:
        chosen = {name: lookup(name, fn.__name__) for name in names.split()}
        return expand(fn, OPT_PARAM, chosen, Options)

    return decorate
