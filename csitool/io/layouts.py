"""Survey platforms' export layouts: recognise them and turn them into one header row.

A layout is detected from the header row and the first rows under it (or forced with
``--format-hint``). Each one yields: the column names users pass to options, the question
text of each column (used for role detection and display), platform metadata columns
(never attributes; some are the id or date), per-row status (preview, test, spam and partial
responses) and how many extra header rows to skip so row numbers stay those of the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from csitool.errors import InputError, ReadError
from csitool.notes import info

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

LAYOUTS = ("plain", "qualtrics", "surveymonkey", "google", "typeform", "msforms", "spss")

TIMESTAMP_WORDS = {
    "timestamp", "타임스탬프", "carimbo de data/hora", "marca temporal", "horodateur",
    "zeitstempel", "タイムスタンプ", "时间戳", "marca de temps", "informazioni cronologiche",
}  # fmt: skip

QUALTRICS_META = {
    "StartDate": "meta", "EndDate": "date", "Status": "meta", "IPAddress": "meta",
    "Progress": "meta", "Duration (in seconds)": "meta", "Finished": "meta",
    "RecordedDate": "date", "ResponseId": "id", "RecipientLastName": "meta",
    "RecipientFirstName": "meta", "RecipientEmail": "meta", "ExternalReference": "meta",
    "LocationLatitude": "meta", "LocationLongitude": "meta", "LocationAccuracy": "meta",
    "DistributionChannel": "meta", "UserLanguage": "meta", "Q_RecaptchaScore": "meta",
    "Q_RelevantIDDuplicate": "meta", "Q_RelevantIDDuplicateScore": "meta",
    "Q_RelevantIDFraudScore": "meta", "Q_RelevantIDLastStartDate": "meta",
    # legacy layout (row 2 names)
    "ResponseID": "id", "ResponseSet": "meta", "Name": "meta", "ExternalDataReference": "meta",
    "EmailAddress": "meta",
}  # fmt: skip
SURVEYMONKEY_META = {
    "Respondent ID": "id", "Collector ID": "meta", "Start Date": "meta", "End Date": "date",
    "IP Address": "meta", "Email Address": "meta", "First Name": "meta", "Last Name": "meta",
    "Custom Data 1": "meta",
}  # fmt: skip
TYPEFORM_META = {
    "#": "id", "Response Type": "meta", "Start Date (UTC)": "meta", "Stage Date (UTC)": "meta",
    "Submit Date (UTC)": "date", "Network ID": "meta", "Tags": "meta",
}  # fmt: skip
MSFORMS_META = {
    "ID": "id", "Start time": "meta", "Completion time": "date", "Email": "meta", "Name": "meta",
    "Last modified time": "meta", "Total points": "meta", "Quiz feedback": "meta",
}  # fmt: skip

# Qualtrics Status codes (numeric export) and labels (choice-text export)
STATUS_CODES = {0: None, 1: "preview", 2: "test", 4: None, 8: "spam", 9: "preview", 12: "spam",
                16: None, 17: "preview"}  # fmt: skip
STATUS_TEXT = {"survey preview": "preview", "survey test": "test", "spam": "spam",
               "preview spam": "preview", "imported spam": "spam"}  # fmt: skip
NPS_GROUP = re.compile(r"^(?P<base>.+)_NPS_GROUP$")
HTML_TAG = re.compile(r"<[^>]+>")


@dataclass
class Layout:
    """What a layout contributes to the RawTable."""

    name: str
    format: str
    extra_header_rows: int = 0
    names: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    row_status: list[str | None] | None = None
    notes: list[str] = field(default_factory=list)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v != v:
        return ""
    return str(v).strip()


def detect(headers: list[str], frame: pd.DataFrame, hint: str | None) -> str:
    """The layout name, from the headers and the first rows (or the hint)."""
    if hint:
        return hint
    first = headers[0].lstrip("\ufeff").strip() if headers else ""

    def row(k: int) -> list[str]:
        return [_cell(v) for v in frame.iloc[k].tolist()] if len(frame) > k else []

    if len(frame) >= 2 and row(1) and row(1)[0].startswith('{"ImportId"'):
        return "qualtrics"
    if headers[:2] == ["V1", "V2"] and "ResponseID" in row(0):
        return "qualtrics"
    if {"StartDate", "ResponseId"} <= set(headers) and row(0):
        # Qualtrics column ids; a text (not a date) under StartDate means header rows follow
        first_cell = row(0)[headers.index("StartDate")]
        if first_cell and not re.match(r"^\d{1,4}[-/.]\d", first_cell):
            return "qualtrics"
    if headers[:2] == ["Respondent ID", "Collector ID"]:
        return "surveymonkey"
    if first.casefold() in TIMESTAMP_WORDS:
        return "google"
    stripped = [h.strip() for h in headers]
    if first == "#" and ({"Submit Date (UTC)", "Network ID"} & set(stripped)):
        return "typeform"
    if stripped[:3] == ["ID", "Start time", "Completion time"]:
        return "msforms"
    return "plain"


def apply(
    name: str, headers: list[str], frame: pd.DataFrame, source: str, kind: str
) -> tuple[pd.DataFrame, Layout]:
    """Turn ``frame`` (read with one header row) into the layout's table."""
    if name == "qualtrics":
        return _qualtrics(headers, frame, source, kind)
    if name == "surveymonkey":
        return _surveymonkey(headers, frame, source, kind)
    if name == "google":
        meta = {headers[0]: "date"}
        return frame, Layout(name, f"Google Forms {kind.upper()}", names=headers, meta=meta)
    if name == "typeform":
        return _simple(name, f"Typeform {kind.upper()}", headers, frame, TYPEFORM_META)
    if name == "msforms":
        return _simple(name, f"Microsoft Forms {kind.upper()}", headers, frame, MSFORMS_META)
    return frame, Layout("plain", "", names=headers)


def _simple(
    name: str, fmt: str, headers: list[str], frame: pd.DataFrame, table: dict[str, str]
) -> tuple[pd.DataFrame, Layout]:
    names = [h.replace("\xa0", " ").strip() for h in headers]
    labels = {}
    for n in names:
        clean = HTML_TAG.sub("", n).strip()
        if clean != n:
            labels[n] = clean
    meta = {n: table[n] for n in names if n in table}
    status = None
    if name == "typeform" and "Response Type" in names:
        col = frame[headers[names.index("Response Type")]]
        status = ["partial" if _cell(v).lower() == "partial" else None for v in col]
    return frame, Layout(name, fmt, names=names, labels=labels, meta=meta, row_status=status)


def retype(frame: pd.DataFrame) -> pd.DataFrame:
    """After dropping header rows: text columns whose every value is a number become numbers."""
    import pandas as pd

    frame = frame.reset_index(drop=True)
    out = {}
    for col in frame.columns:
        s = frame[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            s = s.astype(object)
            text = s.where(s.notna(), None)
            blank = text.map(lambda v: v is None or (isinstance(v, str) and v.strip() == ""))
            nums = pd.to_numeric(text.where(~blank, None), errors="coerce")
            if bool((nums.notna() | blank).all()) and bool(nums.notna().any()):
                out[col] = nums.astype(float)
                continue
            out[col] = s.where(~blank, None)
        else:
            out[col] = s
    return pd.DataFrame(out, index=range(len(frame)))


def _qualtrics(
    headers: list[str], frame: pd.DataFrame, source: str, kind: str
) -> tuple[pd.DataFrame, Layout]:
    legacy = headers[:2] == ["V1", "V2"]
    if len(frame) < (1 if legacy else 2):
        raise InputError(f"Error: {source}: a Qualtrics export without data rows.")
    row1 = [_cell(v) for v in frame.iloc[0].tolist()]
    if legacy:
        # V1..Vn carry their real names in row 2; questions keep their ids, texts in row 2
        names = [
            row1[j] if re.fullmatch(r"V\d+", h) and row1[j] else h for j, h in enumerate(headers)
        ]
        labels = {n: row1[j] for j, n in enumerate(names) if row1[j] and row1[j] != n}
        body = frame.iloc[1:]
        extra, fmt = 1, f"Qualtrics {kind.upper()}, legacy layout (2 header rows)"
    else:
        row2 = [_cell(v) for v in frame.iloc[1].tolist()]
        bad = [headers[j] for j, c in enumerate(row2) if c and not c.startswith("{")]
        if not row2[0].startswith('{"ImportId"') or bad:
            raise ReadError(source, "not_qualtrics")
        for c in row2:
            if c:
                try:
                    json.loads(c)
                except ValueError:
                    raise InputError(
                        f"Error: {source}: a cell of the ImportId row (row 3) is not valid "
                        f"JSON: {c[:60]!r}. Export the file again from Qualtrics."
                    ) from None
        names = list(headers)
        labels = {n: row1[j] for j, n in enumerate(names) if row1[j] and row1[j] != n}
        body = frame.iloc[2:]
        extra, fmt = 2, f"Qualtrics {kind.upper()} (3 header rows)"
    if len(body) == 0:
        raise InputError(
            f"Error: {source} has Qualtrics header rows but no responses. Export it again with "
            "its responses."
        )
    body = retype(body.set_axis(names, axis=1))
    meta = {n: QUALTRICS_META[n] for n in names if n in QUALTRICS_META}
    for n in names:
        m = NPS_GROUP.match(n)
        if m and m.group("base") in names:
            meta[n] = f"nps_group:{m.group('base')}"
        elif n.endswith(("_DO", "_TEXT")) or " - Topics" in n or " - Sentiment" in n:
            meta.setdefault(n, "meta")
    status = _qualtrics_status(body)
    layout = Layout("qualtrics", fmt, extra, names, labels, meta, status)
    return body, layout


def _qualtrics_status(body: pd.DataFrame) -> list[str | None] | None:
    if "Status" not in body.columns and "Finished" not in body.columns:
        return None
    out: list[str | None] = [None] * len(body)
    if "Status" in body.columns:
        for i, v in enumerate(body["Status"]):
            if isinstance(v, float) and v == v:
                out[i] = STATUS_CODES.get(int(v))
            elif isinstance(v, str):
                out[i] = STATUS_TEXT.get(v.strip().casefold())
    if "Finished" in body.columns:
        for i, v in enumerate(body["Finished"]):
            done = _cell(v).casefold()
            if out[i] is None and done in ("0", "0.0", "false"):
                out[i] = "partial"
    return out


def _surveymonkey(
    headers: list[str], frame: pd.DataFrame, source: str, kind: str
) -> tuple[pd.DataFrame, Layout]:
    if len(frame) < 1:
        raise InputError(f"Error: {source}: a SurveyMonkey export without data rows.")
    sub = [_cell(v) for v in frame.iloc[0].tolist()]
    notes: list[str] = []
    n_fixed = sum(1 for h in headers if h in SURVEYMONKEY_META)
    filled = sum(1 for c in sub[n_fixed:] if c)
    missing = len(headers) - n_fixed - filled
    if missing and filled:
        notes.append(
            info(
                "sub_items_ragged",
                f"row 2 (sub-items) is ragged: {missing} of {len(headers) - n_fixed} question "
                "cells are empty; those columns are named from row 1 alone (as 'Response')",
                missing=missing,
                total=len(headers) - n_fixed,
            )
        )
    names: list[str] = []
    labels: dict[str, str] = {}
    question = ""
    for j, h in enumerate(headers):
        unnamed = h.startswith("Unnamed: ") or h.startswith("__UNNAMED__") or not h
        if j < n_fixed:
            names.append(h)
            continue
        if not unnamed:
            question = h
        item = sub[j] if j < len(sub) else ""
        if item in ("", "Response"):
            name = question
        elif item == "Open-Ended Response":
            name = question if not unnamed else f"{question} - Other (open-ended)"
        else:
            name = f"{question} - {item}"
        names.append(name)
    from csitool.io.table import clean_names

    body = retype(frame.iloc[1:].set_axis(clean_names(names, "Unnamed: "), axis=1))
    meta = {n: SURVEYMONKEY_META[n] for n in names if n in SURVEYMONKEY_META}
    layout = Layout("surveymonkey", f"SurveyMonkey {kind.upper()} (2 header rows)", 1,
                    list(body.columns), labels, meta, None, notes)  # fmt: skip
    return body, layout


def _is_blank(h: str) -> bool:
    return not h or h.startswith("Unnamed: ") or h.startswith("__UNNAMED__")


def status_array(layout: Layout, n: int) -> np.ndarray | None:
    import numpy as np

    if layout.row_status is None:
        return None
    return np.array(layout.row_status + [None] * (n - len(layout.row_status)), dtype=object)
