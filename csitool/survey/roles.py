"""Which column plays which role: detected from headers (English and Korean) and values,
then overridden by ``csitool.toml`` and by options (options beat the file; the file beats
detection).

Roles: ``nps`` (0-10 likelihood to recommend), ``sat`` (overall satisfaction), ``attrs``
(attribute satisfaction items), ``segment``, ``weight``, ``id``, ``date``, ``comment``.
Columns with no role are listed as ``other`` with the reason they were left out.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from csitool.config import ROLE_KEYS, RoleSpec
from csitool.errors import ColumnError, column_list
from csitool.notes import Phrase, phrase, setting
from csitool.survey.labels import DATE_OR_TIME, DONT_KNOW, parse_label

if TYPE_CHECKING:
    import pandas as pd

PROFILE_ROWS = 5000
#: Texts longer than this are never answer labels (the longest built-in one is 36).
LABEL_MAX_LEN = 60
#: A column of whole numbers rising row by row over this many rows is a row number.
INCREASING_MIN = 5
#: Distinct texts of a column parsed when profiling it (the commonest first).
PROFILE_DISTINCT = 500
#: Share of a column's numbers that must sit on the scale for it to count as a rating.
SCALE_SHARE = 0.95
#: The same for a column whose name or question already says what it is (NPS, overall).
NAMED_SHARE = 0.8

_ID = re.compile(
    r"(^|[^a-z])(id|uuid|respondent|#|no\.?)$|^(번호|응답자\s*번호|응답\s*번호|일련번호)$"
    r"|^(respondent|customer|member|client|response|case|record)\s*(id|number|no\.?|#|key)$"
    r"|^(고객|회원|응답자|응답|관리|설문|고객\s*관리)\s*(번호|id|아이디|코드)$"
)
_WEIGHT = re.compile(r"(^|[^a-z])(weight|weights|wt|wgt|weighting)([^a-z]|$)|가중치|가중값")
_DATE = re.compile(
    r"(^|[^a-z])(date|timestamp|time|submitted|completed|recorded ?date|start ?date|end ?date)"
    r"([^a-z]|$)|일자|날짜|일시|타임스탬프|응답일|제출"
)
_NPS = re.compile(r"recommend|(^|[^a-z])(nps|ltr)([^a-z]|$)|추천")
_NPS_NOT = re.compile(r"why|reason|comment|group|category|이유|의견|그룹|구분")
_SAT_STRONG = re.compile(
    r"(overall|general|total|all in all|altogether).{0,30}(satisf|experience)"
    r"|(satisf).{0,30}(overall|in general|all in all)"
    r"|(전반|종합|전체|총체|통틀어).{0,25}만족|만족.{0,10}(전반|종합|전체)"
)
_SAT_WEAK = re.compile(
    r"^(satisfaction|overall|csat|sat|osat|만족도|만족|만족 ?수준"
    r"|overall[ _]?(sat|satisfaction|score|rating)|(sat|satisfaction)[ _]?overall)$"
)
_COMMENT = re.compile(
    r"comment|feedback|remark|(^|[^a-z])why([^a-z]|$)|reason|suggest|opinion|verbatim|review"
    r"|(^|[^a-z])voc([^a-z]|$)|open.?end|anything else|tell us|improve"
    r"|의견|코멘트|이유|건의|제안|불만 ?사항|하고 싶은|기타|개선 ?사항|개선할 ?점|바라는 ?점"
    r"|자유롭게|적어 ?주|남겨 ?주|말씀"
)
_SEGMENT = re.compile(
    r"segment|customer.?type|(^|[^a-z])(type|group|channel|region|country|tier|grade|plan|store"
    r"|branch|gender|age.?group|area|market)([^a-z]|$)|고객\s*유형|유형|구분|채널|지역|등급|성별"
    r"|연령대|매장|지점|국가|그룹"
)
_MEASUREMENT = re.compile(
    r"\((years?|yrs?|months?|days?|minutes?|mins?|hours?|원|만원|분|년|개월|세|회|건|kg|km|%)\)"
    r"|(^|[^a-z])(age|income|tenure|seniority|number of|how many)([^a-z]|$)"
    r"|나이|소득|횟수|근속|몇\s*(번|회)"
)
_HUNDRED = re.compile(r"satisf|만족|score|점수|100|rating|평가|csi")
_OUTCOME_OTHER = re.compile(
    r"repurchase|re-?buy|intent|loyal|recommend|renew|retention|재구매|재이용|재방문|의향|추천|지속"
)

#: a model's output added beside the answers ("Naive Predicted q1", "Most Likely q1",
#: "fitted sat", "예측값"): numbers on the scale that no respondent gave
_MODEL_OUTPUT = re.compile(
    r"predicted|prediction|(^|[^a-z])pred([^a-z]|$)|fitted|most.?likely"
    r"|예측 ?값|예측치|추정 ?값|추정치"
)
#: importance ratings ("how much does it matter"): not satisfaction with the attribute
_IMPORTANCE = re.compile(r"importan|how much (does|do) .* matter|중요도|중요성|얼마나 중요")
#: a column named like another with an "i" before its number: qi6 beside q6, Qi12 beside Q12
_IMPORTANCE_TWIN = re.compile(r"(.*?[A-Za-z])i(\d+)")


def importance_of(header: str, column: str, columns: set[str]) -> str | None:
    """The item a column rates the importance of ("" when its wording says importance but
    names no item), or None when it is not an importance rating."""
    twin = _IMPORTANCE_TWIN.fullmatch(column)
    if twin and twin.group(1) + twin.group(2) in columns:
        return twin.group(1) + twin.group(2)
    return "" if _IMPORTANCE.search(header) else None


@dataclass(frozen=True)
class Profile:
    """What a sample of a column's values looks like (used only for detection)."""

    n: int
    numeric_share: float  # of non-blank values: numbers or mapped labels (incl. don't know)
    label_share: float  # of non-blank values: mapped text labels
    integer: bool
    vmin: float | None
    vmax: float | None
    distinct: int
    is_datetime: bool
    text_len: float
    unique_share: float
    increasing: bool
    in_0_10: float = 0.0  # of numeric values: whole numbers from 0 to 10
    above_5: float = 0.0  # of numeric values: whole numbers from 6 to 10
    zeros: float = 0.0  # of numeric values: exact zeros
    binary: bool = False  # two answers only: 0/1, 1/2, or two text labels
    looks_date: bool = False  # text that reads as dates or times


@dataclass
class Roles:
    """The resolved role of every column, with where each decision came from."""

    nps: str | None = None
    sat: str | None = None
    attrs: list[str] = field(default_factory=list)
    segment: list[str] = field(default_factory=list)
    weight: str | None = None
    id: str | None = None
    date: str | None = None
    comment: str | None = None
    source: dict[str, str] = field(
        default_factory=dict
    )  # column -> "option" | "config" | "detected"
    other: dict[str, str] = field(default_factory=dict)  # column -> why it has no role

    def role_of(self, column: str) -> str | None:
        for key in ROLE_KEYS:
            value = getattr(self, key)
            if value == column or (isinstance(value, list) and column in value):
                return key
        return None

    def items(self) -> list[str]:
        """Rating items in display order: nps, sat, then attributes."""
        out = [c for c in (self.nps, self.sat) if c]
        return out + [c for c in self.attrs if c not in out]

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ROLE_KEYS}


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", header).strip().casefold()


def profile(series: pd.Series, table: dict[str, float | str]) -> Profile:
    """What a column looks like (see :func:`_profile`); infinite cells are garbage for the
    ledger to report, not a numpy warning on standard error."""
    import numpy as np

    with np.errstate(invalid="ignore", over="ignore"):
        return _profile(series, table)


def _profile(series: pd.Series, table: dict[str, float | str]) -> Profile:
    """Profile the first rows of a column."""
    import numpy as np
    import pandas as pd

    s = series.iloc[:PROFILE_ROWS]
    if pd.api.types.is_datetime64_any_dtype(s):
        nonblank = s.dropna()
        return Profile(len(nonblank), 0.0, 0.0, False, None, None, 0, True, 0.0, 0.0, False)
    labels = 0
    text_len = 0.0
    label_kinds = 0
    looks_date = False
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        values = pd.to_numeric(s, errors="coerce").dropna().to_numpy(dtype=float)
        n = len(values)
        share = 1.0 if n else 0.0
        unique_share = len(np.unique(values)) / n if n else 0.0
        distinct_text = 0
    else:
        nonblank_text = s.dropna().astype(str).str.strip()
        nonblank_text = nonblank_text[nonblank_text != ""]
        nums: list[float] = []
        dk = 0
        tally = nonblank_text.value_counts()
        # the commonest distinct texts stand for the column (ids and free text are all
        # distinct; parsing 5,000 of them tells nothing more than parsing 500)
        looked = tally.iloc[:PROFILE_DISTINCT]
        for text, count in looked.items():
            if len(str(text)) > LABEL_MAX_LEN:  # a sentence, not an answer label or number
                continue
            parsed = parse_label(str(text), table)
            if parsed == DONT_KNOW:
                dk += int(count)
            elif isinstance(parsed, float):
                nums.extend([parsed] * int(count))
                try:
                    float(str(text).replace(",", "."))
                except ValueError:
                    labels += int(count)
                    label_kinds += 1
        values = np.asarray(nums, dtype=float)
        text_len = float(nonblank_text.str.len().mean()) if len(nonblank_text) else 0.0
        n = len(nonblank_text)
        n_looked = int(looked.sum())
        share = (len(values) + dk) / n_looked if n_looked else 0.0
        labels = round(labels * n / n_looked) if n_looked else 0
        heads = [str(t) for t in looked.index[:50]]
        looks_date = bool(heads) and sum(bool(DATE_OR_TIME.match(t)) for t in heads) >= 0.8 * len(
            heads
        )
        distinct_text = int(nonblank_text.nunique())
        unique_share = distinct_text / n if n else 0.0
    whole = values == np.floor(values) if len(values) else values.astype(bool)
    in_0_10 = float(np.mean(whole & (values >= 0) & (values <= 10))) if len(values) else 0.0
    above_5 = float(np.mean(whole & (values >= 6) & (values <= 10))) if len(values) else 0.0
    zeros = float(np.mean(values == 0)) if len(values) else 0.0
    uniq = np.unique(values) if len(values) else values
    set_ = {float(v) for v in uniq.tolist()} if len(uniq) <= 2 else set()
    binary = bool(
        len(values) >= 10
        and len(uniq) == 2
        and (set_ <= {0.0, 1.0} or set_ == {1.0, 2.0} or label_kinds == 2)
    )
    return Profile(
        n=n,
        numeric_share=share,
        label_share=labels / n if n else 0.0,
        integer=bool(len(values)) and float(np.mean(whole)) >= 0.98,
        vmin=float(values.min()) if len(values) else None,
        vmax=float(values.max()) if len(values) else None,
        distinct=len(uniq) if len(values) else distinct_text,
        is_datetime=False,
        text_len=text_len,
        unique_share=unique_share,
        increasing=bool(
            not labels and len(values) > 1 and len(values) == n and np.all(np.diff(values) > 0)
        ),
        in_0_10=in_0_10,
        above_5=above_5,
        zeros=zeros,
        binary=binary,
        looks_date=looks_date,
    )


def _is_rating(p: Profile, share: float = SCALE_SHARE) -> bool:
    """Whole numbers on a 0-10 range (a few strays allowed: they go to the ledger), with at
    least two distinct answers, and not a two-answer (binary) column."""
    return (
        p.n > 0
        and p.numeric_share >= 0.8
        and p.integer
        and p.in_0_10 >= share
        and p.distinct >= 2
        and not p.binary
    )


def _is_nps_values(p: Profile) -> bool:
    # 0-10 values; a 1-5 "would recommend" item is not an NPS item. The name already says
    # NPS, so strays such as a 12 or a -1 are allowed: they go to the ledger as out of range.
    # A 1-5 item has neither answers above 5 nor zeros.
    return (
        p.n > 0
        and p.numeric_share >= 0.8
        and p.in_0_10 >= 0.5
        and (p.above_5 >= 0.1 or p.zeros > 0)
    )


def _is_hundred(p: Profile, header: str) -> bool:
    """A 0-100 / 1-100 rating: whole numbers up to 100, named or worded as satisfaction."""
    return (
        p.n > 0
        and p.numeric_share >= 0.8
        and p.integer
        and p.vmin is not None
        and p.vmax is not None
        and p.vmin >= 0
        and 10 < p.vmax <= 100
        and bool(_HUNDRED.search(header))
    )


def why_not_item(p: Profile, header: str, measure: str | None) -> Phrase | None:
    """Why a numeric-looking column is not a rating item (nominal, binary, continuous)."""
    if measure == "nominal":
        return phrase("no_role", "categories (nominal), not a rating", form="categories")
    if _MEASUREMENT.search(header) and p.numeric_share >= 0.8 and p.label_share < 0.5:
        return phrase(
            "no_role",
            "numbers with a unit (age, money, time, a count), not a rating scale",
            form="unit",
        )
    if p.binary:
        return phrase("no_role", "two answers only (binary), not a rating scale", form="binary")
    if p.increasing and p.n >= INCREASING_MIN:
        return phrase(
            "no_role",
            "numbers that rise row by row (a row or respondent number), not a rating scale",
            form="rising",
        )
    if p.n and p.numeric_share >= 0.8 and p.vmin is not None:
        if not p.integer:
            return phrase(
                "no_role",
                "numbers with decimals (a measurement or score), not a rating scale",
                form="decimals",
            )
        if p.in_0_10 < SCALE_SHARE and not _is_hundred(p, header):
            return phrase(
                "no_role",
                "numbers beyond 0-10 (a count, amount or code), not a rating scale",
                form="beyond",
            )
    return None


def near_columns(name: str, columns: list[str]) -> tuple[str, ...]:
    """The columns whose names are near ``name`` (close spellings, then containing it)."""
    near = difflib.get_close_matches(name, columns, n=3, cutoff=0.5)
    near += [c for c in columns if name.casefold() in c.casefold() and c not in near][:3]
    return tuple(near)


def suggest(name: str, columns: list[str]) -> str:
    """The columns as a message fragment, near matches of ``name`` first."""
    return column_list(near_columns(name, columns), tuple(columns))


def unknown_column(
    source: str, name: str, columns: list[str], role: str | None, config: bool = False
) -> ColumnError:
    """The error for a column ``name`` that ``columns`` lack, named for ``role``."""
    return ColumnError(
        path=source,
        column=name,
        role=role,
        config=config,
        choices=tuple(columns),
        near=near_columns(name, columns),
    )


def find_column(
    name: str,
    columns: list[str],
    role: str,
    source: str,
    labels: dict[str, str] | None = None,
    config: bool = False,
) -> str:
    """The column ``name`` means: its exact name, its number (1 = first column), or the one
    column whose name or question text contains it (or matches it as a glob pattern).
    Several matches are a :class:`ColumnError` listing them; none, one listing the columns;
    either names the ``role`` (from the config if ``config``) the column was asked for."""
    if name in columns:
        return name
    labels = labels or {}
    text = name.strip()
    if text.isdigit() and 1 <= int(text) <= len(columns):
        return columns[int(text) - 1]
    key = _norm(text)
    if any(ch in text for ch in "*?["):
        found = [
            c
            for c in columns
            if fnmatch.fnmatchcase(_norm(c), key)
            or fnmatch.fnmatchcase(_norm(labels.get(c, "")), key)
        ]
    else:
        found = [c for c in columns if key and (key in _norm(c) or key in _norm(labels.get(c, "")))]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ColumnError(
            path=source,
            column=name,
            role=role,
            config=config,
            problem="ambiguous",
            matches=tuple(found),
            choices=tuple(columns),
        )
    raise unknown_column(source, name, columns, role, config)


def _expand(
    patterns: tuple[str, ...],
    columns: list[str],
    role: str,
    source: str,
    labels: dict[str, str] | None = None,
    config: bool = False,
) -> list[str]:
    out: list[str] = []
    for pat in patterns:
        if pat in columns:
            matched = [pat]
        elif any(ch in pat for ch in "*?["):
            matched = [c for c in columns if fnmatch.fnmatchcase(c, pat)]
            if not matched:
                matched = [
                    c for c in columns
                    if fnmatch.fnmatchcase(_norm((labels or {}).get(c, "")), _norm(pat))
                ]  # fmt: skip
            if not matched:
                raise ColumnError(
                    path=source,
                    column=pat,
                    role=role,
                    config=config,
                    problem="no_match",
                    choices=tuple(columns),
                    near=near_columns(pat, columns),
                )
        else:
            matched = [find_column(pat, columns, role, source, labels, config)]
        out.extend(c for c in matched if c not in out)
    return out


def resolve_roles(
    frame: pd.DataFrame,
    options: RoleSpec,
    config: RoleSpec,
    label_table: dict[str, float | str],
    source: str,
    labels: dict[str, str] | None = None,
    meta: dict[str, str] | None = None,
    measure: dict[str, str] | None = None,
) -> Roles:
    """Decide each column's role: options, then the config file, then detection.

    ``labels`` (question text per column, from a platform layout) is what detection reads;
    ``meta`` marks platform metadata columns: ``id`` / ``date`` take that role unless set
    otherwise, and the others never become attributes or segments.
    """
    columns = [str(c) for c in frame.columns]
    roles = Roles()
    taken: set[str] = set()
    labels = labels or {}
    meta = meta or {}
    measure = measure or {}

    # 1. explicit choices
    for spec, origin in ((options, "option"), (config, "config")):
        in_config = origin == "config"
        for key in ROLE_KEYS:
            value = getattr(spec, key)
            if not value or getattr(roles, key):
                continue
            if isinstance(value, tuple):
                # a column an option already gave another role keeps that role
                found = _expand(value, columns, key, source, labels, in_config)
                cols = [c for c in found if c not in taken]
                setattr(roles, key, cols)
                for c in cols:
                    roles.source[c] = origin
                    taken.add(c)
            else:
                col = find_column(value, columns, key, source, labels, in_config)
                if col in taken:
                    continue
                setattr(roles, key, col)
                roles.source[col] = origin
                taken.add(col)
    explicit_attrs = bool(roles.attrs)
    explicit_segment = bool(roles.segment)
    roles.attrs = [c for c in roles.attrs if c not in (roles.nps, roles.sat)]

    # 2. detection, on a profile of each remaining column
    for col, what in meta.items():
        if col in taken or col not in columns:
            continue
        if what in ("id", "date") and not getattr(roles, what):
            setattr(roles, what, col)
            roles.source[col] = "layout"
        elif what.startswith("nps_group:"):
            base = what.split(":", 1)[1]
            roles.other[col] = phrase(
                "no_role", f"platform NPS group of {base!r} (checked)", form="nps_group", col=base
            )
        else:
            roles.other[col] = phrase("no_role", "platform metadata", form="meta")
        taken.add(col)
    free = [c for c in columns if c not in taken]
    profiles = {c: profile(frame[c], label_table) for c in free}
    headers = {c: _norm(labels.get(c, c)) for c in free}

    def claim(key: str, col: str) -> None:
        if isinstance(getattr(roles, key), list):
            getattr(roles, key).append(col)
        else:
            setattr(roles, key, col)
        roles.source[col] = "detected"
        taken.add(col)

    def pick(key: str, test: Any) -> None:
        if getattr(roles, key):
            return
        for c in free:
            if c not in taken and test(c, headers[c], profiles[c]):
                claim(key, c)
                return

    def level_ok(c: str) -> bool:
        return measure.get(c) != "nominal"

    pick(
        "nps",
        lambda c, h, p: (
            bool(_NPS.search(h)) and not _NPS_NOT.search(h) and _is_nps_values(p) and level_ok(c)
        ),
    )
    pick(
        "sat",
        lambda c, h, p: (
            bool(_SAT_STRONG.search(h)) and (_is_rating(p) or _is_hundred(p, h)) and level_ok(c)
        ),
    )
    pick("sat", lambda c, h, p: bool(_SAT_WEAK.search(h)) and _is_rating(p) and level_ok(c))
    pick("weight", lambda c, h, p: bool(_WEIGHT.search(h)) and p.numeric_share >= 0.8)
    pick("id", lambda c, h, p: bool(_ID.search(h)) and p.unique_share > 0.9)
    pick("date", lambda c, h, p: p.is_datetime)
    pick("date", lambda c, h, p: bool(_DATE.search(h)) and p.numeric_share < 0.5 and p.n > 0)
    if not roles.comment:  # of the columns named like comments, the one with the longest text
        named = [
            c for c in free
            if c not in taken and _COMMENT.search(headers[c])
            and profiles[c].numeric_share < 0.5 and profiles[c].n > 0
        ]  # fmt: skip
        if named:
            claim("comment", max(named, key=lambda c: profiles[c].text_len))
    pick(
        "comment",
        lambda c, h, p: p.numeric_share < 0.2 and p.text_len >= 20 and p.unique_share > 0.5,
    )
    # an unnamed column of strictly increasing whole numbers is a row/respondent number
    pick("id", lambda c, h, p: h.startswith("column ") and p.increasing and p.integer)

    names = set(headers)
    for c in free:
        if c in taken:
            continue
        h, p = headers[c], profiles[c]
        free_text = (bool(_COMMENT.search(h)) and p.numeric_share < 0.5) or (
            p.numeric_share < 0.5 and p.text_len >= 25
        )
        not_item = why_not_item(p, h, measure.get(c))
        if p.n == 0:
            roles.other[c] = phrase("no_role", "empty column", form="empty")
        elif p.looks_date:
            roles.other[c] = phrase("no_role", "another date column", form="date")
        elif free_text:
            roles.other[c] = phrase("no_role", "open text (another comment column)", form="text")
        elif (not explicit_segment and measure.get(c) == "nominal" and 2 <= p.distinct <= 50) or (
            not explicit_segment
            and bool(_SEGMENT.search(h))
            and (not _is_rating(p) or bool(_SEGMENT.fullmatch(h)))
            and p.distinct <= 50
            and not (p.label_share > 0.5)
            and not (p.numeric_share >= 0.8 and not p.integer)
        ):
            claim("segment", c)
        elif _OUTCOME_OTHER.search(h) and (_is_rating(p) or p.label_share > 0.5):
            roles.other[c] = phrase(
                "no_role", "outcome item (loyalty/intention), not an attribute", form="outcome"
            )
        elif not explicit_attrs and _is_rating(p) and importance_of(h, c, names) is not None:
            of = importance_of(h, c, names)
            roles.other[c] = (
                phrase("no_role", f"importance rating of {of!r}, not a satisfaction attribute",
                       form="importance_of", item=of)
                if of
                else phrase("no_role", "importance rating, not a satisfaction attribute",
                            form="importance")
            )  # fmt: skip
        elif not explicit_attrs and _is_rating(p) and _MODEL_OUTPUT.search(h):
            roles.other[c] = phrase(
                "no_role", "a model's output (named as predicted), not an answer",
                form="model_output",
            )  # fmt: skip
        elif not explicit_attrs and (_is_rating(p) or _is_hundred(p, h)) and not not_item:
            claim("attrs", c)
        elif not_item:
            roles.other[c] = not_item
        elif (
            not explicit_segment
            and p.numeric_share < 0.5
            and 2 <= p.distinct <= 20
            and p.unique_share < 0.5
        ):
            claim("segment", c)
        elif explicit_attrs and _is_rating(p):
            spelled = setting("attrs")
            roles.other[c] = phrase(
                "no_role",
                f"rating item not chosen by {spelled} / [roles] attrs",
                form="not_chosen",
                setting=spelled,
            )
        elif p.is_datetime:
            roles.other[c] = phrase("no_role", "another date column", form="date")
        elif p.numeric_share >= 0.8:
            roles.other[c] = phrase(
                "no_role", "numbers that are not a rating scale", form="numbers"
            )
        else:
            roles.other[c] = phrase("no_role", "text with no detected role", form="text_other")
    return roles
