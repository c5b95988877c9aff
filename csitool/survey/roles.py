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
from csitool.errors import ColumnError
from csitool.survey.labels import DONT_KNOW, parse_label

if TYPE_CHECKING:
    import pandas as pd

PROFILE_ROWS = 5000

_ID = re.compile(
    r"(^|[^a-z])(id|uuid|respondent|#|no\.?)$|^(번호|응답자\s*번호|응답\s*번호|일련번호)$"
)
_WEIGHT = re.compile(r"(^|[^a-z])(weight|weights|wt|wgt|weighting)([^a-z]|$)|가중치|가중값")
_DATE = re.compile(
    r"(^|[^a-z])(date|timestamp|time|submitted|completed|recorded ?date|start ?date|end ?date)"
    r"([^a-z]|$)|일자|날짜|일시|타임스탬프|응답일|제출"
)
_NPS = re.compile(r"recommend|(^|[^a-z])(nps|ltr)([^a-z]|$)|추천")
_NPS_NOT = re.compile(r"why|reason|comment|group|category|이유|의견|그룹|구분")
_SAT_STRONG = re.compile(
    r"(overall|general|total).{0,30}(satisf|experience)|(satisf).{0,30}overall"
    r"|(전반|종합|전체|총체).{0,10}만족|만족.{0,10}(전반|종합|전체)"
)
_SAT_WEAK = re.compile(r"^(satisfaction|overall|csat|sat|만족도|만족|만족 ?수준)$")
_COMMENT = re.compile(
    r"comment|feedback|remark|(^|[^a-z])why([^a-z]|$)|reason|suggest|opinion|verbatim|review"
    r"|(^|[^a-z])voc([^a-z]|$)|open.?end|의견|코멘트|이유|건의|제안|불만 ?사항|하고 싶은|기타"
)
_SEGMENT = re.compile(
    r"segment|customer.?type|(^|[^a-z])(type|group|channel|region|country|tier|grade|plan|store"
    r"|branch|gender|age.?group|area|market)([^a-z]|$)|고객\s*유형|유형|구분|채널|지역|등급|성별"
    r"|연령대|매장|지점|국가|그룹"
)
_OUTCOME_OTHER = re.compile(
    r"repurchase|re-?buy|intent|loyal|recommend|renew|retention|재구매|재이용|재방문|의향|추천|지속"
)


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
    """Profile the first rows of a column."""
    import numpy as np
    import pandas as pd

    s = series.iloc[:PROFILE_ROWS]
    if pd.api.types.is_datetime64_any_dtype(s):
        nonblank = s.dropna()
        return Profile(len(nonblank), 0.0, 0.0, False, None, None, 0, True, 0.0, 0.0, False)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        values = pd.to_numeric(s, errors="coerce").dropna().to_numpy(dtype=float)
        labels = 0
        text_len = 0.0
    else:
        nonblank_text = s.dropna().astype(str).str.strip()
        nonblank_text = nonblank_text[nonblank_text != ""]
        nums: list[float] = []
        labels = 0
        dk = 0
        for text, count in nonblank_text.value_counts().items():
            parsed = parse_label(str(text), table)
            if parsed == DONT_KNOW:
                dk += int(count)
            elif isinstance(parsed, float):
                nums.extend([parsed] * int(count))
                try:
                    float(str(text).replace(",", "."))
                except ValueError:
                    labels += int(count)
        values = np.asarray(nums, dtype=float)
        text_len = float(nonblank_text.str.len().mean()) if len(nonblank_text) else 0.0
        n_text = len(nonblank_text)
        share = (len(values) + dk) / n_text if n_text else 0.0
        unique_share = nonblank_text.nunique() / n_text if n_text else 0.0
        return Profile(
            n=n_text,
            numeric_share=share,
            label_share=labels / n_text if n_text else 0.0,
            integer=bool(len(values)) and bool(np.all(np.equal(np.mod(values, 1), 0))),
            vmin=float(values.min()) if len(values) else None,
            vmax=float(values.max()) if len(values) else None,
            distinct=len(np.unique(values)) if len(values) else nonblank_text.nunique(),
            is_datetime=False,
            text_len=text_len,
            unique_share=unique_share,
            increasing=False,
        )
    n = len(values)
    return Profile(
        n=n,
        numeric_share=1.0 if n else 0.0,
        label_share=0.0,
        integer=bool(n) and bool(np.all(np.equal(np.mod(values, 1), 0))),
        vmin=float(values.min()) if n else None,
        vmax=float(values.max()) if n else None,
        distinct=len(np.unique(values)),
        is_datetime=False,
        text_len=text_len,
        unique_share=len(np.unique(values)) / n if n else 0.0,
        increasing=bool(n > 1 and np.all(np.diff(values) > 0)),
    )


def _is_rating(p: Profile) -> bool:
    return (
        p.n > 0
        and p.numeric_share >= 0.8
        and p.integer
        and p.vmin is not None
        and p.vmax is not None
        and p.vmin >= 0
        and p.vmax <= 10
        and p.distinct >= 2
    )


def _is_nps_values(p: Profile) -> bool:
    # 0-10 values; a 1-5 "would recommend" item is not an NPS item. Strays such as a 12 are
    # allowed here: they are caught later as out of the 0-10 range.
    return (
        p.n > 0
        and p.numeric_share >= 0.8
        and p.vmin is not None
        and p.vmax is not None
        and p.vmin >= 0
        and p.vmax > 5
    )


def suggest(name: str, columns: list[str]) -> str:
    """The columns as a message fragment, near matches of ``name`` first."""
    near = difflib.get_close_matches(name, columns, n=3, cutoff=0.5)
    near += [c for c in columns if name.casefold() in c.casefold() and c not in near][:3]
    rest = [c for c in columns if c not in near]
    parts = []
    if near:
        parts.append("Did you mean " + ", ".join(repr(c) for c in near) + "?")
    parts.append("Columns: " + ", ".join(repr(c) for c in near + rest) + ".")
    return " ".join(parts)


def _check_column(name: str, columns: list[str], where: str, source: str) -> str:
    if name in columns:
        return name
    raise ColumnError(
        f"Error: {source}: unknown column {name!r} ({where}). {suggest(name, columns)}"
    )


def _expand(patterns: tuple[str, ...], columns: list[str], where: str, source: str) -> list[str]:
    out: list[str] = []
    for pat in patterns:
        if pat in columns:
            matched = [pat]
        elif any(ch in pat for ch in "*?["):
            matched = [c for c in columns if fnmatch.fnmatchcase(c, pat)]
            if not matched:
                raise ColumnError(
                    f"Error: {source}: the pattern {pat!r} ({where}) matches no column. "
                    f"{suggest(pat, columns)}"
                )
        else:
            matched = [_check_column(pat, columns, where, source)]
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

    # 1. explicit choices
    for spec, origin, flag in ((options, "option", "--{}"), (config, "config", "csitool.toml")):
        for key in ROLE_KEYS:
            value = getattr(spec, key)
            if not value or getattr(roles, key):
                continue
            where = flag.format(key.rstrip("s") if key == "attrs" else key)
            if origin == "config":
                where = f"[roles] {key} in csitool.toml"
            if isinstance(value, tuple):
                # a column an option already gave another role keeps that role
                cols = [c for c in _expand(value, columns, where, source) if c not in taken]
                setattr(roles, key, cols)
                for c in cols:
                    roles.source[c] = origin
                    taken.add(c)
            else:
                col = _check_column(value, columns, where, source)
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
            roles.other[col] = f"platform NPS group of {what.split(':', 1)[1]!r} (checked)"
        else:
            roles.other[col] = "platform metadata"
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

    pick(
        "nps",
        lambda c, h, p: bool(_NPS.search(h)) and not _NPS_NOT.search(h) and _is_nps_values(p),
    )
    pick("sat", lambda c, h, p: bool(_SAT_STRONG.search(h)) and _is_rating(p))
    pick("sat", lambda c, h, p: bool(_SAT_WEAK.search(h)) and _is_rating(p))
    pick("weight", lambda c, h, p: bool(_WEIGHT.search(h)) and p.numeric_share >= 0.8)
    pick("id", lambda c, h, p: bool(_ID.search(h)) and p.unique_share > 0.9)
    pick("date", lambda c, h, p: p.is_datetime)
    pick("date", lambda c, h, p: bool(_DATE.search(h)) and p.numeric_share < 0.5 and p.n > 0)
    pick(
        "comment",
        lambda c, h, p: bool(_COMMENT.search(h)) and p.numeric_share < 0.5 and p.n > 0,
    )
    pick(
        "comment",
        lambda c, h, p: p.numeric_share < 0.2 and p.text_len >= 20 and p.unique_share > 0.5,
    )
    # an unnamed column of strictly increasing whole numbers is a row/respondent number
    pick("id", lambda c, h, p: h.startswith("column ") and p.increasing and p.integer)

    for c in free:
        if c in taken:
            continue
        h, p = headers[c], profiles[c]
        if p.n == 0:
            roles.other[c] = "empty column"
        elif (
            not explicit_segment
            and bool(_SEGMENT.search(h))
            and (not _is_rating(p) or bool(_SEGMENT.fullmatch(h)))
            and p.distinct <= 50
            and not (p.label_share > 0.5)
        ):
            claim("segment", c)
        elif _OUTCOME_OTHER.search(h) and (_is_rating(p) or p.label_share > 0.5):
            roles.other[c] = "outcome item (loyalty/intention), not an attribute"
        elif not explicit_attrs and _is_rating(p):
            claim("attrs", c)
        elif (
            not explicit_segment
            and p.numeric_share < 0.5
            and 2 <= p.distinct <= 20
            and p.unique_share < 0.5
        ):
            claim("segment", c)
        elif explicit_attrs and _is_rating(p):
            roles.other[c] = "rating item not chosen by --attr / [roles] attrs"
        elif p.is_datetime:
            roles.other[c] = "another date column"
        elif p.numeric_share >= 0.8:
            roles.other[c] = "numbers that are not a rating scale"
        else:
            roles.other[c] = "text with no detected role"
    return roles
