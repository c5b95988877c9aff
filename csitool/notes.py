"""Notes: what csitool decided while reading and computing, with a stable code.

A :class:`Note` is a ``str`` (its message), so it prints, joins and compares like text;
it also carries a stable ``code`` (for programs: JSON ``notes[].code``), a ``level``
(``"info"`` or ``"warning"``) and the ``column`` it is about. Warnings are the inferences
csitool is not sure of or evidence that conflicts: every command prints them on standard
error, and ``--strict`` turns them into exit 3.

Codes in use (documented in the README):

=======================  ==========================================================
``note``                 a plain remark (no code of its own)
``sheet_chosen``         a sheet other than the first was read (cover, notes, empty)
``header_row``           the header was found below title or note rows
``header_merged``        a group-header row above the header: groups kept in RawTable.groups
``long_format``          a long (respondent, question, answer) file was pivoted
``columns_trimmed``      a long run of blank columns after the table was not read
``encoding_mixed``       a UTF-8 file with a few cells in another encoding (repaired)
``scale_inferred``       a scale chosen on weak evidence (e.g. few answers)
``scale_top_unused``     the top (or bottom) of the chosen scale was never answered
``scale_battery``        an item took its battery's scale
``scale_mixed``          a battery's items point to different scales
``zero_as_na``           0 answers read as "not applicable", not as a scale point
``reversed``             a scale whose lowest code is best was recoded
``reversed_conflict``    labels and wording disagree about an item's direction
``not_an_item``          a column that looks numeric was not scored (nominal, binary,
                         continuous)
``role_weak``            a role chosen on weak evidence
``role_dirty``           a role column holds some invalid cells (in the ledger)
``nps_scale``            the NPS item does not look like a 0-10 item
``sub_items_ragged``     a SurveyMonkey sub-item row with empty cells
``sav_shifted``          an SPSS item coded 1-11 with labels 0..10, read as code - 1
``sav_1_to_11``          an SPSS item coded 1-11 whose labels do not read 0..10
``sav_missing``          SPSS user-missing codes left out as don't know
``partial_kept``         unfinished responses kept (complete_only leaves them out)
``nps_group``            a platform's NPS group column disagrees with the score
``no_nps``, ``no_sat``   score found no NPS / overall satisfaction item
``drivers_few_rows``     drivers: fewer than 10 complete rows per attribute
``impact_skipped``       drivers: a penalty or reward not estimated
``voc_no_scores``        voc: themes not tied to scores (no NPS or satisfaction item)
``voc_lexicon``          voc: sentiment from the lexicon (the model file was not found)
``voc_no_kiwi``          voc: no kiwipiepy, Korean keywords matched at word starts only
``wave_columns``         compare: a wave lacks columns the other waves have
=======================  ==========================================================

Each note carries ``params``, the values its sentence is made of, so a renderer can say it in
another language (``csitool.render.i18n.note_text``); a code with several sentences names
the one meant with ``params["form"]``. Fragments inside notes and a scale's evidence are
:class:`Phrase` objects that do the same.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

INFO = "info"
WARNING = "warning"


class Phrase(str):
    """A sentence or fragment (its ``str`` value, in English) with a stable ``code`` and the
    ``params`` it was written from, so a renderer can say it in another language
    (:func:`csitool.render.i18n.note_text`). A scale's evidence and a driver's impact note
    are phrases; a :class:`Note` is one too.

    A code with several sentences names the one meant with the ``form`` parameter
    (``header_row`` with ``form="asked"``); ``code`` plus ``form`` is the key of the
    sentence in a translation catalogue (:attr:`key`).
    """

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, message: str, params: dict[str, Any] | None = None) -> Phrase:
        self = super().__new__(cls, message)
        self.code = code
        self.params = dict(params or {})
        return self

    @property
    def message(self) -> str:
        return str.__str__(self)

    @property
    def key(self) -> str:
        """``code``, or ``code.form`` when the code has several sentences."""
        form = self.params.get("form")
        return f"{self.code}.{form}" if form else self.code

    def __reduce__(self) -> Any:  # survives pickling (report --jobs)
        return (Phrase, (self.code, self.message, self.params))


def phrase(code: str, message: str, **params: Any) -> Phrase:
    """A fragment (scale evidence, a reason) that a renderer can translate."""
    return Phrase(code, message, params)


class Note(Phrase):
    """A message with a stable ``code``, a ``level``, the ``column`` it concerns and the
    ``params`` its sentence was written from."""

    level: str
    column: str | None

    def __new__(
        cls,
        code: str,
        message: str,
        *,
        level: str = INFO,
        column: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> Note:
        self = str.__new__(cls, message)
        self.code = code
        self.params = dict(params or {})
        self.level = level
        self.column = column
        return self

    @property
    def is_warning(self) -> bool:
        return self.level == WARNING

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ("code", "level", "column", "message")}

    def __reduce__(self) -> Any:  # survives pickling (report --jobs)
        return (_rebuild, (self.code, self.message, self.level, self.column, self.params))


def _rebuild(
    code: str,
    message: str,
    level: str,
    column: str | None,
    params: dict[str, Any] | None = None,
) -> Note:
    return Note(code, message, level=level, column=column, params=params)


def warning(code: str, message: str, column: str | None = None, **params: Any) -> Note:
    """A note csitool wants the user to see: printed by every command, fatal with --strict.

    ``params`` are the values the sentence is made of (for its translations)."""
    return Note(code, message, level=WARNING, column=column, params=params)


def info(code: str, message: str, column: str | None = None, **params: Any) -> Note:
    """A note on what csitool decided; ``params`` as for :func:`warning`."""
    return Note(code, message, level=INFO, column=column, params=params)


def as_note(text: str) -> Note:
    """A plain string as a note (code ``note``); a Note is returned as it is."""
    return text if isinstance(text, Note) else Note("note", str(text))


#: Codes that change the numbers with certainty: said on standard error like warnings, but
#: not fatal under --strict.
TOLD = ("reversed",)


def loud(notes: list[Any]) -> list[Note]:
    """The notes every command says out loud: warnings, and confident recodes (reversed)."""
    out = []
    for n in notes:
        if isinstance(n, Note) and (n.is_warning or n.code in TOLD):
            out.append(n)
    return out


def to_json(notes: list[Any]) -> list[dict[str, Any]]:
    """Notes as JSON objects ``{code, level, column, message}``."""
    return [as_note(n).to_dict() for n in notes]


def _api_spelling(setting: str, value: str | None = None) -> str:
    from csitool.errors import api_spelling

    return api_spelling(setting, value)


#: how notes and messages spell a setting: the Python API's (``nps="COLUMN"``) unless the
#: command line installs its own (``--nps COLUMN``) with :func:`use_spelling`
_SPELLING: list[Any] = [_api_spelling]


def use_spelling(spell: Any) -> None:
    """Spell settings in notes as ``spell(setting, value)`` from now on (a batch worker
    process, with the job's spelling)."""
    _SPELLING[0] = spell


@contextlib.contextmanager
def spelling(spell: Any) -> Iterator[None]:
    """Spell settings as ``spell(setting, value)`` inside the block (a command's run)."""
    before = _SPELLING[0]
    _SPELLING[0] = spell
    try:
        yield
    finally:
        _SPELLING[0] = before


def setting(name: str, value: str | None = None) -> str:
    """A setting as the caller spells it: ``--header-row N`` on the command line,
    ``header_row=N`` in Python."""
    spelled: str = _SPELLING[0](name, value)
    return spelled
