"""``csitool inspect`` and ``csitool init`` output: what was read, as JSON facts, and a
csitool.toml recording the detected roles and scales."""

from __future__ import annotations

import json
import re
from typing import Any

from csitool.notes import to_json


def inspect_dict(survey: Any) -> dict[str, Any]:
    """The facts ``inspect --format json`` prints for one file."""
    columns = []
    for col in [str(x) for x in survey.raw.frame.columns]:
        scale = survey.scales.get(col)
        columns.append(
            {
                "column": col,
                "role": survey.roles.role_of(col),
                "source": survey.roles.source.get(col),
                "why_no_role": survey.roles.other.get(col),
                "scale": scale.to_dict() if scale else None,
                "labels": survey.label_maps.get(col, {}),
                "quality": survey.ledger.column_counts(col) if col in survey.ledger.cells else None,
            }
        )
    return {
        "path": survey.path,
        "n_rows": survey.n_rows,
        "read": survey.raw.describe(),
        "roles": survey.roles.to_dict(),
        "columns": columns,
        "quality": survey.ledger.to_dict(),
        "notes": to_json(survey.notes),
    }


# TOML basic strings accept no raw control character but tab (DEL included) and no
# surrogate; json.dumps escapes C0 controls already, so escape DEL (and, to keep the file
# readable in a terminal, C1 and bidi overrides) the same way. Lone surrogates (from
# undecodable bytes) cannot be written as UTF-8 or escaped in TOML: U+FFFD stands in.
_TOML_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


SCALE_KEYWORDS = ("default", "reverse", "na")


def _q(text: str) -> str:
    """``text`` as a TOML basic string that ``load_settings`` reads back unchanged."""
    quoted = json.dumps(_SURROGATE.sub("\ufffd", str(text)), ensure_ascii=False)
    return _TOML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def config_text(survey: Any) -> str:
    """A csitool.toml recording the detected roles and scales, for the user to edit."""
    from csitool.render import fmt

    r = survey.roles
    lines = [
        f"# csitool.toml written by `csitool init` from {_q(survey.path)}",
        "# Edit freely: these settings beat detection; command-line options beat them.",
        "",
        "[roles]",
    ]
    for key in ("nps", "sat", "weight", "id", "date", "comment"):
        value = getattr(r, key)
        lines.append(f"{key} = {_q(value)}" if value else f'# {key} = "COLUMN"')
    for key in ("attrs", "segment"):
        values = getattr(r, key)
        if values:
            lines.append(f"{key} = [")
            lines.extend(f"    {_q(v)}," for v in values)
            lines.append("]")
        else:
            lines.append(f'# {key} = ["COLUMN", "PATTERN*"]')
    if r.other:
        lines.append("# columns with no role:")
        lines.extend(f"#   {_q(col)}: {_q(why)[1:-1]}" for col, why in r.other.items())
    lines += ["", "[scales]", "# default = [1, 5]   # for every rating item without its own entry"]
    for col, scale in survey.scales.items():
        if scale.source == "nps":
            continue
        how = scale.source + (
            "" if scale.confidence == "high" else f", {scale.confidence} confidence"
        )
        entry = f"{_q(col)} = [{fmt.value(scale.min)}, {fmt.value(scale.max)}]   # {how}"
        # a column called default, reverse or na would read as that setting: leave it out
        lines.append(entry if col not in SCALE_KEYWORDS else f"# {entry} (name reserved)")
    flipped = [c for c, s in survey.scales.items() if s.reversed]
    if flipped:
        lines.append(
            "reverse = [" + ", ".join(_q(c) for c in flipped) + "]   # lowest code is best"
        )
    na = sorted({v for s in survey.scales.values() for v in s.na_codes if v == 0})
    if na:
        lines.append("na = [0]   # 0 means not applicable")
    lines += [
        "",
        "[labels]",
        '# text answer = number, or "dont_know"; built-in English and Korean labels need no entry',
        '# "아주 좋음" = 5',
        "",
        "[score]",
        "min_base = 30",
        "confidence = 0.95",
        'ci = "adjusted-wald"',
        "",
    ]
    return "\n".join(lines)
