"""The exception family of csitool and the exit code each one maps to.

Every error a user can cause is a :class:`CsiError`. The command line prints its
message (which names the file and the fix) and exits with its ``exit_code``;
anything else is a bug and exits 70.
"""

from __future__ import annotations

from collections.abc import Callable

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_BUG = 70
QUOTE_LIMIT = 200  # characters of user text echoed in a message


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """User text (a column, role, value or pattern) as a message quotes it: ``repr`` (so
    control and bidi characters show as escapes), cut to ``limit`` characters with an
    ellipsis and the full length, so a 50 MB role name does not come back whole.

    >>> quote("Q5")
    "'Q5'"
    >>> quote("x" * 500, limit=5)
    "'xxxxx…' (500 characters)"
    """
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit] + '…'!r} ({len(value):,} characters)"
    text = repr(value)
    if len(text) > limit + 2:
        return text[:limit] + "…"
    return text


class CsiError(Exception):
    """Base class for every error a user can cause; carries its exit code."""

    exit_code: int = EXIT_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[object, ...]:
        # keyword-only fields do not survive pickle's default ``cls(*args)``; a batch worker
        # process sends its errors back whole
        return (_restore, (type(self), self.args), self.__dict__)


def _restore(cls: type[CsiError], args: tuple[object, ...]) -> CsiError:
    exc = cls.__new__(cls)
    exc.args = args
    return exc


class InputError(CsiError):
    """The input file cannot be read or understood (exit 3)."""

    exit_code = EXIT_INPUT


def column_list(near: tuple[str, ...], columns: tuple[str, ...]) -> str:
    """The columns as a message fragment, the near matches of a name first.

    >>> column_list(("Q1",), ("ID", "Q1"))
    "Did you mean 'Q1'? Columns: 'Q1', 'ID'."
    """
    parts = []
    if near:
        parts.append("Did you mean " + ", ".join(quote(c) for c in near) + "?")
    rest = [c for c in columns if c not in near]
    parts.append("Columns: " + ", ".join(quote(c) for c in (*near, *rest)) + ".")
    return " ".join(parts)


class ColumnError(InputError):
    """A column named by an argument, an option or the config is not there, or cannot take
    the role it was given (exit 3).

    Raised with a ready ``message`` (``ColumnError("Error: ...")``) or, better, with fields
    that say what went wrong, so the command line can word it in terms of its options while
    ``message`` speaks of the Python API:

    ``role`` is the role or argument the column was named for (``nps``, ``sat``, ``attrs``,
    ``segment``, ``weight``, ``id``, ``date``, ``comment``, ``by``, ``wave``, ``text``,
    ``target``), or None when the message need not say; ``config`` is true when it came
    from ``[roles]`` in csitool.toml.
    ``problem`` is one of: ``unknown`` (no such column; ``choices`` are the columns,
    ``near`` the near matches), ``ambiguous`` (``column`` matches each of ``matches``),
    ``no_match`` (the glob pattern ``column`` matches no column), ``too_many_values`` (a
    segment column with ``count`` values, over the ``limit``), ``is_attribute`` (the target
    ``column`` is one of the attributes).
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        path: str = "",
        column: str = "",
        role: str | None = None,
        config: bool = False,
        problem: str = "unknown",
        choices: tuple[str, ...] = (),
        near: tuple[str, ...] = (),
        matches: tuple[str, ...] = (),
        count: int = 0,
        limit: int = 0,
    ) -> None:
        self.path = path
        self.column = column
        self.role = role
        self.config = config
        self.problem = problem
        self.choices = tuple(choices)
        self.near = tuple(near)
        self.matches = tuple(matches)
        self.count = count
        self.limit = limit
        super().__init__(message if message is not None else self._library_message())

    def where(self, flag: str | None = None) -> str:
        """Where the column was named: ``[roles] nps in csitool.toml`` for the config, else
        ``flag`` (the command line's option) or the API's keyword argument (``nps=``)."""
        if self.config:
            return f"[roles] {self.role} in csitool.toml"
        if self.role is None:
            return ""
        return flag or f"{self.role}="

    def explain(self, where: str) -> str:
        """The message, with ``where`` the column was named (an option, an argument)."""
        head = f"Error: {self.path}: "
        column = quote(self.column)
        if self.problem == "ambiguous":
            shown = ", ".join(
                f"{self.choices.index(c) + 1}: {quote(c)}" if c in self.choices else quote(c)
                for c in self.matches[:10]
            )
            return (
                f"{head}{column} ({where}) matches several columns: {shown}. "
                "Give the exact column name or its number (1 = first column)."
            )
        if self.problem == "no_match":
            return (
                f"{head}the pattern {column} ({where}) matches no column. "
                f"{column_list(self.near, self.choices)}"
            )
        if self.problem == "too_many_values":
            return (
                f"{head}{where} {self.column!r} has {self.count:,} different values "
                f"(the limit is {self.limit}): it looks like an id or free text, not a segment. "
                "Choose a column with fewer values, or raise [score] max_segment_values in "
                "csitool.toml."
            )
        if self.problem == "is_attribute":
            return (
                f"{head}the target {column} is one of the attributes; choose another target, "
                f"or leave it out of the attributes ({where})."
            )
        at = f" ({where})" if where else ""
        return f"{head}unknown column {column}{at}. {column_list(self.near, self.choices)}"

    def _library_message(self) -> str:
        if self.problem == "is_attribute":
            return self.explain("attrs=")
        return self.explain(self.where())


#: what a missing role is needed for, as the library says it: (role, purpose) -> the fix
MISSING_ROLE_MESSAGES = {
    ("sat", "target"): 'no overall satisfaction item to explain. Pass sat="COLUMN" to '
    'csitool.load() (or [roles] sat in csitool.toml), or choose target="nps" or a column.',
    ("nps", "target"): 'no NPS (0-10) item to explain. Pass nps="COLUMN" to csitool.load() '
    '(or [roles] nps in csitool.toml), or choose target="sat" or a column.',
    ("attrs", "drivers"): 'no attribute items to analyse. Pass attrs=["Q5_*"] to '
    "csitool.load() or set [roles] attrs in csitool.toml.",
    ("comment", "voc"): 'no comment column found. Pass text=["COLUMN"] or set [roles] '
    "comment in csitool.toml.",
    ("date", "period"): 'period needs a date column; pass date="COLUMN" to csitool.load() '
    "or set [roles] date in csitool.toml.",
    ("items", "score"): "no rating item found (no NPS, overall satisfaction or attribute "
    "column), so there is nothing to score. Pass nps=, sat= or attrs= to csitool.load(), or "
    'set them under [roles] in csitool.toml (nps = "...", sat = "...", attrs = ["..."]). '
    "Columns: {columns}.",
    ("items", "report"): "no rating item found (no NPS, overall satisfaction or attribute "
    "column), so there is nothing to report. Pass sat=, nps= (and attrs=) to csitool.load(), "
    'or set them under [roles] in csitool.toml (sat = "...", nps = "...", attrs = ["..."]). '
    "Columns: {columns}.",
}


class MissingRoleError(ColumnError):
    """No column has the ``role`` that ``purpose`` needs (exit 3): ``sat`` or ``nps`` as
    the drivers ``target``, ``attrs`` for ``drivers``, ``comment`` for ``voc``, ``date`` for
    a ``period``; ``items`` (no rating item at all) to ``score`` or ``report``, with the
    file's ``choices`` (columns) listed."""

    def __init__(self, path: str, role: str, purpose: str, choices: tuple[str, ...] = ()) -> None:
        self.purpose = purpose
        fix = MISSING_ROLE_MESSAGES.get((role, purpose), f"no {role} column for {purpose}.")
        super().__init__(
            f"Error: {path}: {fix.replace('{columns}', self.columns_text(choices))}",
            path=path,
            role=role,
            problem="missing",
            choices=choices,
        )

    @staticmethod
    def columns_text(choices: tuple[str, ...]) -> str:
        """The columns as the message lists them."""
        return ", ".join(repr(str(c)) for c in choices)


def api_spelling(setting: str, value: str | None = None) -> str:
    """A setting as the Python API spells it in a message: ``encoding=``,
    ``encoding="utf-8"``, ``header_row=N`` (an upper-case value is a placeholder)."""
    if value is None:
        return f"{setting}="
    if value.isupper():
        return f"{setting}={value}"
    return f'{setting}="{value}"'


#: messages of a ReadError, by ``problem``; ``{encoding_utf8}`` and the like are the setting
#: as the caller spells it (``encoding="utf-8"`` for the API, ``--encoding utf-8`` for the CLI)
READ_MESSAGES = {
    "unknown_encoding": "unknown encoding {encoding!r} for {path}. "
    "Use e.g. {encoding_utf8}, cp949 or utf-16.",
    "invalid_encoding": "{path} is not valid {encoding} ({detail}). Leave {encoding_} out to "
    "detect it, or try {encoding_utf8} / cp949 / utf-16.",
    "undecodable_forced": "{path} cannot be decoded as {encoding} ({detail}). Leave {encoding_} "
    "out to detect it.",
    "undecodable": "{path} cannot be decoded as {encoding} ({detail}). Pass the right one, e.g. "
    "{encoding_cp949} (Korean Excel) or {encoding_utf8}.",
    "not_utf8": "{path} is not valid UTF-8 (first on line {row}) and not mostly UTF-8 either. "
    "Pass its encoding, e.g. {encoding_cp949} (Korean Excel) or {encoding_latin1}.",
    "not_qualtrics": "{path}: looks like a Qualtrics export but its third row is not the "
    "ImportId row. Export it again from Qualtrics (CSV or Excel, all header rows), or pass "
    "{format_hint_plain} to read it as a plain table.",
    "no_sheet": "{path} has no sheet {sheet!r}. Sheets: {sheets}. Pass a name or a number "
    "(1 = first sheet) to {sheet_}.",
    "sheet_unreadable": "cannot read sheet {sheet!r} of {path} ({detail}). Open it in Excel "
    "and save a copy, or choose another sheet with {sheet_}.",
    "no_rows_under_header": "{path}: sheet {sheet!r} has no data rows under its header on row "
    "{row}. Check the header row ({header_row_n}, or [read] header_row in csitool.toml).",
    "nothing_from_header": "{path}: nothing on or after line {row}, the header row asked for. "
    "Give the line that holds the column names ({header_row_n}, or [read] header_row in "
    "csitool.toml).",
}


class ReadError(InputError):
    """A file cannot be read as asked, and a reading setting (``encoding``, ``sheet``,
    ``header_row``) is the fix (exit 3).

    ``problem`` is a key of :data:`READ_MESSAGES`: ``unknown_encoding``,
    ``invalid_encoding``, ``undecodable`` / ``undecodable_forced`` (``detail``: the
    decoder's reason), ``not_utf8`` (``row``: the first bad line), ``no_sheet`` (``sheet``
    asked, ``sheets`` there), ``sheet_unreadable``, ``no_rows_under_header`` and
    ``nothing_from_header`` (``row``: the header row), ``not_qualtrics`` (a Qualtrics-looking
    export without its ImportId row). ``message`` names the settings as the
    Python API does; :meth:`explain` takes another spelling (the command line's options).
    """

    def __init__(
        self,
        path: str,
        problem: str,
        *,
        encoding: str = "",
        detail: str = "",
        row: int = 0,
        sheet: object = None,
        sheets: tuple[str, ...] = (),
    ) -> None:
        self.path = path
        self.problem = problem
        self.encoding = encoding
        self.detail = detail
        self.row = row
        self.sheet = sheet
        self.sheets = tuple(sheets)
        super().__init__(self.explain(api_spelling))

    def explain(self, spell: Callable[[str, str | None], str]) -> str:
        """The message, each setting spelled by ``spell(setting, value)``."""
        return "Error: " + READ_MESSAGES[self.problem].format(
            path=self.path,
            encoding=self.encoding,
            detail=self.detail,
            row=self.row,
            sheet=self.sheet,
            sheets=", ".join(f"{i}: {n!r}" for i, n in enumerate(self.sheets, 1)),
            encoding_=spell("encoding", None),
            encoding_utf8=spell("encoding", "utf-8"),
            encoding_cp949=spell("encoding", "cp949"),
            encoding_latin1=spell("encoding", "latin-1"),
            sheet_=spell("sheet", None),
            header_row_n=spell("header_row", "N"),
            format_hint_plain=spell("format_hint", "plain"),
        )


class ConfigError(CsiError):
    """``csitool.toml`` is malformed or contradicts itself (exit 3)."""

    exit_code = EXIT_INPUT


class StrictError(InputError):
    """Strict reading was asked for and some rows hold invalid values, or some readings are
    uncertain (exit 3).

    Typed form: ``problem`` is ``invalid`` (``count`` invalid values, ``uncertain`` readings
    besides) or ``uncertain`` (``count`` uncertain readings); ``shown`` lists the first ones.
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        path: str = "",
        problem: str = "invalid",
        count: int = 0,
        shown: str = "",
        uncertain: int = 0,
    ) -> None:
        self.path = path
        self.problem = problem
        self.count = count
        self.shown = shown
        self.uncertain = uncertain
        if message is None:
            message = self.explain("strict", "load it with strict=False")
        super().__init__(message)

    def explain(self, strict: str, drop: str) -> str:
        """The message, with ``strict`` naming the setting and ``drop`` the way out."""
        if self.problem == "uncertain":
            return (
                f"Error: {self.path}: {strict}: {self.count} uncertain reading(s): "
                f"{self.shown}. "
                'Confirm them in csitool.toml ([scales] "COLUMN" = [min, max], [scales] '
                f'na = [0], [scales] reverse = ["COLUMN"], [roles] ...), or {drop}.'
            )
        also = (
            f" Also {self.uncertain} uncertain reading(s) (see the warnings)."
            if self.uncertain
            else ""
        )
        return (
            f"Error: {self.path}: {strict}: {self.count} invalid value(s): {self.shown}. "
            f"Fix them in the file, or {drop} to leave them out of the analysis.{also}"
        )


#: what a setting that names a file calls it in a message
FILE_NOUNS = {"config": "config file", "codebook": "codebook"}


class MissingFileError(ConfigError):
    """A file named by a setting (``config``, ``codebook``) does not exist (exit 3)."""

    def __init__(self, path: str, setting: str) -> None:
        self.path = path
        self.setting = setting
        super().__init__(self.explain(f"as {setting}="))

    def explain(self, given: str) -> str:
        """The message, ``given`` saying where the path came from (``to --config``)."""
        noun = FILE_NOUNS.get(self.setting, self.setting)
        return f"Error: {noun} {self.path} not found. Check the path given {given}."


class UsageError(CsiError):
    """The command line was used wrongly in a way Typer cannot see (exit 2)."""

    exit_code = EXIT_USAGE


class SettingError(UsageError):
    """A setting (a keyword argument of the API, an option of the command line) has a
    value it cannot take, or lacks a partner (exit 2, or ``exit_code`` when given).

    ``setting`` is its name as the API spells it (``correction``, ``rows``, ``names``,
    ``max_drop``, ``format_hint``, ...); ``problem`` is one of: ``choice`` (``value`` is
    not among ``choices``; for a list setting, ``value`` holds the unknown ones), ``count``
    (``count`` values given for ``expected`` surveys), ``needs`` (the setting needs the
    setting ``needs``), ``one_survey`` (it applies to one survey, several were given),
    ``one_output`` (one output path for ``count`` inputs),
    ``missing`` (nothing says what to do). ``message`` words it for the Python API.
    """

    def __init__(
        self,
        setting: str,
        problem: str,
        *,
        value: object = None,
        choices: tuple[str, ...] = (),
        needs: str | None = None,
        count: int = 0,
        expected: int = 0,
        exit_code: int | None = None,
    ) -> None:
        self.setting = setting
        self.problem = problem
        self.value = value
        self.choices = tuple(choices)
        self.needs = needs
        self.count = count
        self.expected = expected
        if exit_code is not None:
            self.exit_code = exit_code
        super().__init__(self.explain(api_spelling))

    def explain(self, spell: Callable[[str, str | None], str]) -> str:
        """The message, each setting spelled by ``spell(setting, value)`` (as for
        :class:`ReadError`: ``correction=`` for the API, ``--correction`` for the CLI)."""
        problem = self.problem
        if problem == "choice" and isinstance(self.value, tuple | list):
            problem = "choice_list"
        return "Error: " + SETTING_MESSAGES.get(problem, SETTING_MESSAGES["missing"]).format(
            name=spell(self.setting, None),
            known=", ".join(self.choices),
            value=quote(self.value),
            shown=", ".join(quote(v) for v in self.value or ())
            if isinstance(self.value, tuple | list)
            else "",
            count=self.count,
            expected=self.expected,
            needs=self.needs,
            needs_file=spell(self.needs or "", "FILE"),
            out_dir=spell("out_dir", None),
            by=spell("by", None),
            wave=spell("wave", None),
            period=spell("period", None),
            by_column=spell("by", "COLUMN"),
            wave_column=spell("wave", "COLUMN"),
            periods=spell("period", "month|quarter|year"),
        )


#: messages of a SettingError, by ``problem``; settings as the caller spells them
SETTING_MESSAGES = {
    "choice": "{name} must be one of {known} (got {value}).",
    "choice_list": "unknown {name} {shown}; choose from {known}.",
    "count": "{name} gives {count} names for {expected} surveys.",
    "needs": "{name} needs {needs_file} (or [check] {needs} in csitool.toml).",
    "one_output": "{name} names one workbook but {count} inputs were given; "
    "use {out_dir} for a batch.",
    "one_survey": "several surveys are compared as waves; {by}, {wave} and {period} apply to "
    "one survey.",
    "missing": "say what to compare: {by_column} (segments), {wave_column} or {periods} "
    "(waves in one survey), or several surveys (waves).",
}


class OutputError(UsageError):
    """A path csitool was asked to write is not safe or not writable (exit 2).

    The fields say what went wrong, so the command line can word it in terms of its
    options; ``message`` is a plain fallback for library callers.

    ``problem`` is one of: ``protected`` (``other`` is an input, baseline, config or codebook
    file: ``other_role`` says which), ``duplicate`` (another output of the same run,
    ``other_role`` is its label), ``stdout`` (standard output is not allowed here),
    ``directory``, ``special`` (a device, FIFO or socket: ``detail`` says which), ``exists``
    (an existing file without permission to replace it), ``no_folder`` (``other`` is the
    missing folder), ``not_folder`` (``other`` is a file standing where a folder should be),
    ``read_only`` (``other`` is the folder), ``write_failed`` (``detail`` is the system's
    reason).
    """

    def __init__(
        self,
        path: str,
        problem: str,
        *,
        label: str = "output",
        other: str | None = None,
        other_role: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.path = path
        self.problem = problem
        self.label = label
        self.other = other
        self.other_role = other_role
        self.detail = detail
        why = detail or problem.replace("_", " ")
        if other:
            why += f" ({other_role + ' ' if other_role else ''}{other})"
        super().__init__(f"Error: cannot write {label} {path}: {why}; choose another path.")
