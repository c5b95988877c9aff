"""``csitool.toml`` merged with command-line options into one :class:`Settings`.

Precedence: options beat the file; the file beats detection. The file is looked up
in the working directory unless ``--config`` names one.

Example file::

    [roles]
    nps = "추천의향"
    sat = "전반적 만족도"
    attrs = ["A*", "B*"]          # glob patterns allowed
    segment = ["고객유형", "채널"]
    weight = "가중치"

    [scales]
    default = [1, 5]              # any rating item without its own entry
    "o_experience" = [1, 4]
    reverse = ["Q7*"]             # lowest code is the best answer: recode as min + max - code
    na = [0]                      # codes that mean "not applicable" in every item

    [labels]                      # text answer -> number (or "dont_know")
    "아주 좋음" = 5
    "잘 모르겠음" = "dont_know"

    [ladder."1-5"]                # lowest value of each ladder step
    very = 5
    somewhat = 4
    neutral = 3

    [csi]
    method = "composite"          # auto | sat | attribute_mean | composite
    [csi.weights]
    "전반적 만족도" = 0.3
    attrs = 0.5                   # the mean of the attribute items
    "재구매의향" = 0.2

    [score]
    min_base = 30
    confidence = 0.95
    ci = "adjusted-wald"

    [stages]                      # touchpoint stages, in journey order: attribute names/globs
    "pre-contact" = ["A*"]
    "first impression" = ["B*"]

    [read]
    header_row = 3                # the row holding the column names (1 = first row)
    sheet = "응답 데이터"          # a sheet name, or a number (1 = first sheet)

    [drivers]
    target = "sat"                # sat | nps | a column name
    alpha = 0.05
    ia_threshold = 0.2
    min_cell = 10
    split = "mean"                # mean | median | midpoint
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from csitool.errors import ConfigError, MissingFileError, quote

CONFIG_NAME = "csitool.toml"
ROLE_KEYS = ("nps", "sat", "attrs", "segment", "weight", "id", "date", "comment")
LIST_ROLES = ("attrs", "segment")
CSI_METHODS = ("auto", "sat", "attribute_mean", "composite")
# Names and defaults of settings, defined once here (the lowest layer that reads them) and
# imported by stats (which implements them) and by the CLI (which offers them as choices).
CI_METHODS = ("adjusted-wald", "wald")  # NPS interval methods; the first is the default
CI_METHOD = CI_METHODS[0]
SPLITS = ("mean", "median", "midpoint")  # importance-performance split lines; first: default
ADJUSTS = ("bh", "none")  # drivers' multiple-testing adjustment; first: default
DRIVER_ALPHA = 0.05  # [drivers] alpha
IA_THRESHOLD = 0.2  # [drivers] ia_threshold: |impact asymmetry| that makes a pain/wow-point
MIN_CELL = 10  # [drivers] min_cell: smallest penalty / reward dummy group
DONT_KNOW = "dont_know"
CSV_THRESHOLD_MB = 200.0  # [engine] csv_threshold_mb: auto counts a larger CSV with DuckDB
CONTRADICTIONS_LISTED = 1000  # [voc] contradictions_listed: rows listed (first by row; 0 = all)


@dataclass(frozen=True)
class RoleSpec:
    """Column names (or glob patterns, for ``attrs``) chosen by the user for each role."""

    nps: str | None = None
    sat: str | None = None
    attrs: tuple[str, ...] = ()
    segment: tuple[str, ...] = ()
    weight: str | None = None
    id: str | None = None
    date: str | None = None
    comment: str | None = None

    def merged(self, override: RoleSpec) -> RoleSpec:
        """Return these roles with every role that ``override`` sets replaced by its value."""
        changes = {k: getattr(override, k) for k in ROLE_KEYS if getattr(override, k)}
        return replace(self, **changes)


@dataclass(frozen=True)
class Reading:
    """How to read and interpret one survey file: the roles chosen by the user and the
    reading options (``--sheet``, ``--header-row``, ``--encoding``, ``--config``,
    ``--strict``, ``--format-hint``, ``--complete-only``). Every command that reads a
    survey, and every batch job, carries one; ``csitool.survey.build.read_survey`` opens
    a file with it."""

    roles: RoleSpec = field(default_factory=RoleSpec)
    sheet: str | None = None
    header_row: int | None = None
    encoding: str | None = None
    config: Path | None = None
    strict: bool = False
    format_hint: str | None = None
    complete_only: bool = False


@dataclass(frozen=True)
class LadderCuts:
    """Lowest value of each ladder step: very >= very; somewhat >= somewhat; neutral >= neutral."""

    very: float
    somewhat: float
    neutral: float


@dataclass(frozen=True)
class DriverSettings:
    """``[drivers]``: the target, significance level, asymmetry threshold, minimum cell size
    of a penalty/reward dummy, and the importance-performance split."""

    target: str | None = None
    alpha: float = DRIVER_ALPHA
    ia_threshold: float = IA_THRESHOLD
    min_cell: int = MIN_CELL
    split: str = SPLITS[0]
    adjust: str = ADJUSTS[0]


@dataclass(frozen=True)
class CheckSettings:
    """``[check]``: the rules of ``csitool check``. None means the rule is off."""

    min_nps: float | None = None
    min_csi: float | None = None
    min_n: int | None = None
    max_detractors: float | None = None
    min_top_box: float | None = None
    max_excluded: float | None = None
    by: tuple[str, ...] = ()
    require: tuple[str, ...] = ()
    max_missing: float | None = None
    baseline: str | None = None
    max_drop: dict[str, float] = field(default_factory=dict)
    alpha: float = 0.05
    significance: bool = True
    allow_unjudged: bool = False

    def merged(self, **options: Any) -> CheckSettings:
        """These settings with every option that is not None (or empty) replacing its key."""
        changes = {k: v for k, v in options.items() if v is not None and v != () and v != {}}
        return replace(self, **changes)


@dataclass(frozen=True)
class Settings:
    """Everything a command needs besides the data: roles, scales, labels and statistics options."""

    roles: RoleSpec = field(default_factory=RoleSpec)
    scales: dict[str, tuple[float, float]] = field(default_factory=dict)
    default_scale: tuple[float, float] | None = None
    reverse: tuple[str, ...] = ()
    na_codes: tuple[float, ...] = ()
    labels: dict[str, float | str] = field(default_factory=dict)
    unmapped: str = "error"
    ladder: dict[str, LadderCuts] = field(default_factory=dict)
    csi_method: str = "auto"
    csi_weights: dict[str, float] = field(default_factory=dict)
    min_base: int = 30
    confidence: float = 0.95
    ci_method: str = CI_METHOD
    max_segment_values: int = 200
    strict: bool = False
    complete_only: bool = False
    format_hint: str | None = None
    stages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    drivers: DriverSettings = field(default_factory=DriverSettings)
    check: CheckSettings = field(default_factory=CheckSettings)
    voc: dict[str, Any] = field(default_factory=dict)
    contradictions_listed: int = CONTRADICTIONS_LISTED
    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = None
    csv_threshold_mb: float = CSV_THRESHOLD_MB
    config_path: Path | None = None


BLAS_THREAD_VARIABLES = (
    "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
)  # fmt: skip
"""Environment variables that size the BLAS thread pools numpy and scipy load."""


def one_blas_thread(*, force: bool = False) -> None:
    """Run the BLAS libraries of this process on one thread.

    csitool's matrix work is small (vectors of weights, Gram matrices of a few dozen
    columns), and OpenBLAS threads that wait for work spin on a core: on two cores a
    report with one file burns two cores for the same wall time, and parallel workers
    (``--jobs``) slow each other down. The variables take effect for libraries loaded
    later; a BLAS library already loaded (a forked worker) is limited through
    threadpoolctl. ``force=False`` keeps a value the user set (the command line's
    default); worker processes pass ``force=True``: their parallelism is the processes.
    """
    import os
    import sys

    for name in BLAS_THREAD_VARIABLES:
        if force:
            os.environ[name] = "1"
        else:
            os.environ.setdefault(name, "1")
    if force and "numpy" in sys.modules:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")


def find_config(explicit: Path | None, cwd: Path | None = None) -> Path | None:
    """The config file: ``explicit`` if given (it must exist), else ``./csitool.toml`` if any."""
    if explicit is not None:
        if not explicit.is_file():
            raise MissingFileError(str(explicit), "config")
        return explicit
    candidate = (cwd or Path.cwd()) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def _finite(value: Any) -> bool:
    """A TOML number that is not a boolean, nan or inf."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an integer beyond float range
        return False


def _pair(value: Any, where: str, path: Path) -> tuple[float, float]:
    ok = (
        isinstance(value, list)
        and len(value) == 2
        and all(_finite(v) for v in value)
        and value[0] < value[1]
        and math.isfinite(float(value[1]) - float(value[0]))
    )
    if not ok:
        raise ConfigError(
            f"Error: {path}: {where} must be a scale [min, max] with min < max, e.g. [1, 5]; "
            f"got {quote(value)}."
        )
    return float(value[0]), float(value[1])


def _roles_from_table(table: dict[str, Any], path: Path) -> RoleSpec:
    unknown = sorted(set(table) - set(ROLE_KEYS))
    if unknown:
        raise ConfigError(
            f"Error: {path}: unknown key(s) in [roles]: {', '.join(unknown)}. "
            f"Known roles: {', '.join(ROLE_KEYS)}."
        )
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in LIST_ROLES:
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                raise ConfigError(
                    f"Error: {path}: [roles] {key} must be a column name or a list of names."
                )
            values[key] = tuple(items)
        else:
            if not isinstance(value, str):
                raise ConfigError(f"Error: {path}: [roles] {key} must be one column name.")
            values[key] = value
    return RoleSpec(**values)


def load_settings(path: Path | None) -> Settings:
    """Read ``csitool.toml`` at ``path`` (or return defaults when ``path`` is None)."""
    if path is None:
        return Settings()
    from csitool.io.textfile import read_toml

    try:
        _, data = read_toml(path)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"Error: {path} is not valid TOML ({exc}). Fix the line it names."
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Error: cannot read config {path}: {exc}. Save it as UTF-8.") from exc

    known = {
        "roles",
        "scales",
        "labels",
        "ladder",
        "csi",
        "score",
        "stages",
        "drivers",
        "check",
        "voc",
        "report",
        "read",
        "engine",
    }
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"Error: {path}: unknown table(s) {', '.join('[' + u + ']' for u in unknown)}. "
            f"Known tables: {', '.join('[' + k + ']' for k in sorted(known))}."
        )

    for name in sorted(known & set(data)):
        if not isinstance(data[name], dict):
            raise ConfigError(
                f"Error: {path}: [{name}] must be a table (a [{name}] header followed by "
                f"key = value lines); got {name} = {quote(data[name])}."
            )
    roles = _roles_from_table(data.get("roles", {}), path)

    scales: dict[str, tuple[float, float]] = {}
    default_scale = None
    reverse: tuple[str, ...] = ()
    na_codes: tuple[float, ...] = ()
    for col, value in data.get("scales", {}).items():
        if col == "reverse":
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                raise ConfigError(
                    f"Error: {path}: [scales] reverse must be a list of columns or glob "
                    'patterns whose lowest code is the best answer, e.g. reverse = ["Q7*"].'
                )
            reverse = tuple(items)
            continue
        if col == "na":
            codes = value if isinstance(value, list) else [value]
            if not all(_finite(v) for v in codes):
                raise ConfigError(
                    f"Error: {path}: [scales] na must be a list of codes that mean not "
                    "applicable, e.g. na = [0, 9]."
                )
            na_codes = tuple(float(v) for v in codes)
            continue
        pair = _pair(value, f"[scales] {quote(col)}", path)
        if col == "default":
            default_scale = pair
        else:
            scales[col] = pair

    labels: dict[str, float | str] = {}
    unmapped = "error"
    for text, value in data.get("labels", {}).items():
        if text == "unmapped":
            if value not in ("error", "exclude"):
                raise ConfigError(f'Error: {path}: [labels] unmapped must be "error" or "exclude".')
            unmapped = value
        elif not (_finite(value) or value == DONT_KNOW):
            raise ConfigError(
                f"Error: {path}: [labels] {quote(text)} must be a number or "
                f'"{DONT_KNOW}"; got {quote(value)}.'
            )
        else:
            labels[str(text)] = value if isinstance(value, str) else float(value)

    ladder: dict[str, LadderCuts] = {}
    for key, table in data.get("ladder", {}).items():
        if not isinstance(table, dict) or set(table) != {"very", "somewhat", "neutral"}:
            raise ConfigError(
                f'Error: {path}: [ladder."{key}"] needs exactly very, somewhat and neutral '
                "(the lowest value of each step)."
            )
        if not all(_finite(table[k]) for k in ("very", "somewhat", "neutral")):
            raise ConfigError(
                f'Error: {path}: [ladder."{key}"] very, somewhat and neutral must be numbers '
                "(the lowest scale value of each step), e.g. very = 5."
            )
        cuts = LadderCuts(float(table["very"]), float(table["somewhat"]), float(table["neutral"]))
        if not cuts.very >= cuts.somewhat >= cuts.neutral:
            raise ConfigError(f'Error: {path}: [ladder."{key}"] needs very >= somewhat >= neutral.')
        ladder[str(key)] = cuts

    csi = data.get("csi", {})
    method = csi.get("method", "auto")
    if method not in CSI_METHODS:
        raise ConfigError(
            f"Error: {path}: [csi] method must be one of {', '.join(CSI_METHODS)};"
            f" got {quote(method)}."
        )
    weights_table = csi.get("weights", {})
    if not isinstance(weights_table, dict):
        raise ConfigError(
            f"Error: {path}: [csi] weights must be a table of column = weight, e.g.\n"
            '[csi.weights]\n"overall satisfaction" = 0.3\nattrs = 0.7'
        )
    csi_weights: dict[str, float] = {}
    for col, w in weights_table.items():
        if not _finite(w) or w <= 0:
            raise ConfigError(
                f"Error: {path}: [csi.weights] {quote(col)} must be a positive number."
            )
        csi_weights[col] = float(w)
    if method == "composite" and not csi_weights:
        raise ConfigError(
            f'Error: {path}: [csi] method = "composite" needs a [csi.weights] table, e.g.\n'
            '[csi.weights]\n"overall satisfaction" = 0.3\nattrs = 0.5\n"repurchase" = 0.2'
        )

    score = data.get("score", {})
    min_base = score.get("min_base", 30)
    confidence = score.get("confidence", 0.95)
    ci_method = score.get("ci", CI_METHOD)
    if isinstance(min_base, bool) or not isinstance(min_base, int) or min_base < 0:
        raise ConfigError(f"Error: {path}: [score] min_base must be a whole number >= 0.")
    if not isinstance(confidence, float) or not 0 < confidence < 1:
        raise ConfigError(f"Error: {path}: [score] confidence must be between 0 and 1, e.g. 0.95.")
    max_segments = score.get("max_segment_values", 200)
    if isinstance(max_segments, bool) or not isinstance(max_segments, int) or max_segments < 2:
        raise ConfigError(f"Error: {path}: [score] max_segment_values must be a whole number >= 2.")
    if ci_method not in CI_METHODS:
        raise ConfigError(
            f"Error: {path}: [score] ci must be one of {', '.join(CI_METHODS)};"
            f" got {quote(ci_method)}."
        )
    sheet, header_row = _read(data.get("read", {}), path)
    return Settings(
        csv_threshold_mb=_engine(data.get("engine", {}), path),
        sheet=sheet,
        header_row=header_row,
        stages=_stages(data.get("stages", {}), path),
        drivers=_drivers(data.get("drivers", {}), path),
        check=_check(data.get("check", {}), path),
        voc=dict(data.get("voc", {})),
        contradictions_listed=_contradictions_listed(data.get("voc", {}), path),
        roles=roles,
        scales=scales,
        default_scale=default_scale,
        reverse=reverse,
        na_codes=na_codes,
        labels=labels,
        unmapped=unmapped,
        ladder=ladder,
        csi_method=method,
        csi_weights=csi_weights,
        min_base=min_base,
        confidence=confidence,
        ci_method=ci_method,
        max_segment_values=max_segments,
        config_path=path,
    )


def _engine(table: dict[str, Any], path: Path) -> float:
    """``[engine]``: ``csv_threshold_mb``, the CSV size (MB) from which ``--engine auto``
    counts a CSV with DuckDB rather than reading it into memory."""
    known = {"csv_threshold_mb"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"Error: {path}: unknown key(s) in [engine]: {', '.join(unknown)}. "
            f"Known keys: {', '.join(sorted(known))}."
        )
    value = table.get("csv_threshold_mb", CSV_THRESHOLD_MB)
    if not _finite(value) or value < 0:
        raise ConfigError(
            f"Error: {path}: [engine] csv_threshold_mb must be a number of megabytes >= 0 "
            f"(0: every CSV DuckDB can read), e.g. csv_threshold_mb = {CSV_THRESHOLD_MB:g}."
        )
    return float(value)


def _contradictions_listed(table: dict[str, Any], path: Path) -> int:
    """``[voc] contradictions_listed``: how many of the comments that contradict their score
    ``voc`` lists (the first by row; 0 = all). The counts are always exact."""
    value = table.get("contradictions_listed", CONTRADICTIONS_LISTED)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(
            f"Error: {path}: [voc] contradictions_listed must be a whole number >= 0 (the "
            f"first rows listed; 0: all), e.g. contradictions_listed = {CONTRADICTIONS_LISTED}; "
            f"got {quote(value)}."
        )
    return value


def _read(table: dict[str, Any], path: Path) -> tuple[str | int | None, int | None]:
    """``[read]``: ``header_row`` (a row number >= 1) and ``sheet`` (a name or a number)."""
    known = {"header_row", "sheet"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"Error: {path}: unknown key(s) in [read]: {', '.join(unknown)}. "
            f"Known keys: {', '.join(sorted(known))}."
        )
    header_row = table.get("header_row")
    if header_row is not None and (
        isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1
    ):
        raise ConfigError(
            f"Error: {path}: [read] header_row must be a row number >= 1 (1 = first row, as "
            f"Excel numbers rows); got {quote(header_row)}."
        )
    sheet = table.get("sheet")
    if sheet is not None and (
        isinstance(sheet, bool) or not isinstance(sheet, str | int) or sheet == ""
    ):
        raise ConfigError(
            f'Error: {path}: [read] sheet must be a sheet name ("응답 데이터") or a number '
            f"(1 = first sheet); got {quote(sheet)}."
        )
    if isinstance(sheet, int) and sheet < 1:
        raise ConfigError(
            f"Error: {path}: [read] sheet must be a sheet name or a number >= 1;"
            f" got {quote(sheet)}."
        )
    return sheet, header_row


def _stages(table: dict[str, Any], path: Path) -> dict[str, tuple[str, ...]]:
    stages: dict[str, tuple[str, ...]] = {}
    for name, value in table.items():
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
            raise ConfigError(
                f"Error: {path}: [stages] {quote(name)} must be a list of attribute columns or "
                "glob "
                'patterns, e.g. "first impression" = ["B*"].'
            )
        stages[str(name)] = tuple(items)
    return stages


def _drivers(table: dict[str, Any], path: Path) -> DriverSettings:
    known = {"target", "alpha", "ia_threshold", "min_cell", "split", "adjust"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"Error: {path}: unknown key(s) in [drivers]: {', '.join(unknown)}. "
            f"Known keys: {', '.join(sorted(known))}."
        )
    d = DriverSettings()
    target = table.get("target", d.target)
    alpha = table.get("alpha", d.alpha)
    threshold = table.get("ia_threshold", d.ia_threshold)
    min_cell = table.get("min_cell", d.min_cell)
    split = table.get("split", d.split)
    adjust = table.get("adjust", d.adjust)
    if adjust not in ADJUSTS:
        raise ConfigError(
            f'Error: {path}: [drivers] adjust must be "bh" or "none"; got {adjust!r}.'
        )
    if target is not None and not isinstance(target, str):
        raise ConfigError(f'Error: {path}: [drivers] target must be "sat", "nps" or a column.')
    if not isinstance(alpha, float) or not 0 < alpha < 1:
        raise ConfigError(f"Error: {path}: [drivers] alpha must be between 0 and 1, e.g. 0.05.")
    if not _finite(threshold):
        raise ConfigError(f"Error: {path}: [drivers] ia_threshold must be a number, e.g. 0.2.")
    if not 0 <= threshold < 1:
        raise ConfigError(f"Error: {path}: [drivers] ia_threshold must be from 0 to below 1.")
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
        raise ConfigError(f"Error: {path}: [drivers] min_cell must be a whole number >= 1.")
    if split not in SPLITS:
        raise ConfigError(
            f"Error: {path}: [drivers] split must be one of {', '.join(SPLITS)};"
            f" got {quote(split)}."
        )
    return DriverSettings(target, alpha, float(threshold), min_cell, split, adjust)


def _check(table: dict[str, Any], path: Path) -> CheckSettings:
    numbers = ("min_nps", "min_csi", "max_detractors", "min_top_box", "max_excluded",
               "max_missing")  # fmt: skip
    known = {*numbers, "min_n", "by", "require", "baseline", "max_drop", "alpha", "significance",
             "allow_unjudged"}  # fmt: skip
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"Error: {path}: unknown key(s) in [check]: {', '.join(unknown)}. "
            f"Known keys: {', '.join(sorted(known))}."
        )
    values: dict[str, Any] = {}
    for key in numbers:
        if key in table:
            v = table[key]
            if not _finite(v):
                raise ConfigError(f"Error: {path}: [check] {key} must be a number.")
            values[key] = float(v)
    if "min_n" in table:
        if isinstance(table["min_n"], bool) or not isinstance(table["min_n"], int):
            raise ConfigError(f"Error: {path}: [check] min_n must be a whole number.")
        values["min_n"] = table["min_n"]
    for key in ("by", "require"):
        if key in table:
            items = [table[key]] if isinstance(table[key], str) else table[key]
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                raise ConfigError(f"Error: {path}: [check] {key} must be a list of column names.")
            values[key] = tuple(items)
    if "baseline" in table:
        if not isinstance(table["baseline"], str):
            raise ConfigError(f"Error: {path}: [check] baseline must be a file path.")
        values["baseline"] = table["baseline"]
    if "max_drop" in table:
        drops = table["max_drop"]
        ok = isinstance(drops, dict) and set(drops) <= {"nps", "csi"}
        if not ok or not all(_finite(v) and v >= 0 for v in drops.values()):
            raise ConfigError(
                f"Error: {path}: [check] max_drop must look like {{ nps = 5, csi = 3 }} "
                "(points, >= 0)."
            )
        values["max_drop"] = {k: float(v) for k, v in drops.items()}
    if "alpha" in table:
        a = table["alpha"]
        if not isinstance(a, float) or not 0 < a < 1:
            raise ConfigError(f"Error: {path}: [check] alpha must be between 0 and 1, e.g. 0.05.")
        values["alpha"] = a
    for key in ("significance", "allow_unjudged"):
        if key in table:
            if not isinstance(table[key], bool):
                raise ConfigError(f"Error: {path}: [check] {key} must be true or false.")
            values[key] = table[key]
    return CheckSettings(**values)
