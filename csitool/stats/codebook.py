"""VOC codebooks: themes with keywords, regular expressions and exclusions.

Matching rules (vectorised in :mod:`csitool.stats.voc`):

- a keyword with Hangul matches anywhere in the comment with all spaces removed, so stems
  match inflected words and particles ("친절" in "친절하게", "배송" in "배송이") and spacing
  variants match each other ("대기 시간" = "대기시간");
- any other keyword matches case-insensitively at the start of a word, so "deliver" matches
  "delivery" and "delivered" but "app" does not match "happy";
- ``patterns`` are regular expressions on the lowercased comment; ``exclude`` patterns veto
  the theme for a comment.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from csitool.errors import ConfigError, quote

DEFAULT_CODEBOOK = """\
# csitool VOC codebook: copy it into csitool.toml (under [voc]) or a file for --codebook
# and edit. Hangul keywords match inside words with spaces ignored ("배송" matches "배송이",
# "대기 시간" matches "대기시간"); other keywords match at the start of a word, any case.

[themes.price]
label = "price / 가격"
description = "price level and value for money"
keywords = ["가격", "비싸", "비싼", "비쌈", "저렴", "가성비", "할인", "price", "pricing",
            "expensive", "cheap", "overpriced", "value for money", "afford", "cost", "prices",
            "pricey"]

[themes.billing]
label = "billing and payment / 요금·결제"
description = "bills, charges, payment methods"
keywords = ["요금", "청구", "결제", "납부", "이중 결제", "bill", "billing", "charge", "invoice",
            "payment", "pay", "fee", "checkout"]

[themes.delivery]
label = "delivery / 배송"
description = "shipping, delivery time and accuracy"
keywords = ["배송", "배달", "택배", "도착", "delivery", "deliver", "shipping", "shipped",
            "courier", "package", "arrived", "as ordered", "wrong item"]

[themes.staff]
label = "staff attitude / 상담원·직원 친절"
description = "friendliness and manners of staff and agents"
keywords = ["친절", "직원", "상담원", "상담사", "응대", "말투", "퉁명", "태도", "staff", "employee",
            "agent", "rude", "friendly", "friendliest", "unfriendly", "polite", "attitude",
            "courteous", "curt", "greeted"]

[themes.expertise]
label = "expertise / 상담 전문성"
description = "staff knowledge and explanations"
keywords = ["전문", "잘 알고", "잘 몰라", "설명", "knowledge", "expert", "explain", "competent",
            "advisor", "knew the product", "know the product"]

[themes.wait]
label = "wait time / 대기 시간"
description = "queues, waiting, time to connect"
keywords = ["대기", "기다", "연결까지", "오래 걸", "지연", "wait", "queue", "on hold", "took long",
            "get through", "got through", "took over"]

[themes.digital]
label = "app and website / 앱·웹"
description = "app, website, online screens and errors"
keywords = ["앱", "어플", "웹", "홈페이지", "사이트", "화면", "로그인", "app", "apps", "website",
            "web site", "online", "login", "mobile", "screen"]

[themes.quality]
label = "product quality / 품질"
description = "quality, defects and durability of products"
keywords = ["품질", "하자", "불량", "고장", "파손", "quality", "defect", "broken", "faulty",
            "durable"]

[themes.refund]
label = "refund and exchange / 환불·교환"
description = "refunds, returns, exchanges and cancellations"
keywords = ["환불", "교환", "반품", "취소", "refund", "return", "exchange", "cancel"]

[themes.resolution]
label = "problem resolution / 문제 해결"
description = "whether and how fast problems were solved"
keywords = ["해결", "문제", "resolve", "resolution", "solved", "fixed", "issue", "problem"]

[themes.communication]
label = "follow-up and information / 안내·사후 연락"
description = "information given, updates and follow-up contact"
keywords = ["연락", "안내", "알려", "진행 상황", "사후", "정보", "follow up", "follow-up", "update",
            "inform", "notif", "call back", "called me back", "got back to me", "kept updated",
            "get in touch"]

[themes.accessibility]
label = "accessibility / 접근성"
description = "location, parking, opening hours, ease of access"
keywords = ["접근", "위치", "주차", "영업시간", "휠체어", "access", "location", "parking",
            "opening hours", "wheelchair"]

[themes.brand]
label = "brand and trust / 브랜드·신뢰"
description = "reputation and trust in the brand"
keywords = ["브랜드", "평판", "믿", "신뢰", "이름값", "brand", "trust", "reputation"]

[themes.store]
label = "store / 매장"
description = "store environment and cleanliness"
keywords = ["매장", "분위기", "깨끗", "청결", "store", "shop", "clean", "atmosphere"]
"""

HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


@dataclass(frozen=True)
class Theme:
    name: str
    label: str
    description: str
    keywords: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    themes: tuple[Theme, ...]
    source: str
    sentiment: bool = True
    text: str = field(default="", repr=False)


def _strings(value: Any, where: str, source: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v for v in items):
        raise ConfigError(f"Error: {source}: {where} must be a list of non-empty strings.")
    return tuple(items)


RE2_HINT = (
    "Patterns run on RE2, which has no lookarounds ((?=...), (?!...), (?<=...), (?<!...)) "
    "and no backreferences (\\1): use keywords, an exclude pattern, or a plain alternative "
    "such as 'late|delay'."
)


def _check_pattern(pattern: str, where: str, source: str) -> None:
    """A pattern must compile in Python's re (its messages are clearer) and in RE2, the
    engine :mod:`csitool.stats.voc` matches with."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(
            f"Error: {source}: {where} pattern {quote(pattern)} is not a valid regular "
            f"expression ({exc})."
        ) from None
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        pc.match_substring_regex(pa.array([""], pa.string()), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(
            f"Error: {source}: {where} pattern {quote(pattern)} is not supported "
            f"({quote(detail, limit=120)}). {RE2_HINT}"
        ) from None


def parse_codebook(data: dict[str, Any], source: str) -> Codebook:
    """A codebook from parsed TOML: ``[themes.NAME]`` tables (optionally under ``[voc]``)."""
    table = data.get("voc", data)
    themes_table = table.get("themes")
    if not isinstance(themes_table, dict) or not themes_table:
        raise ConfigError(
            f"Error: {source}: no themes. A codebook needs [themes.NAME] tables with keywords; "
            "`csitool voc --show-codebook` prints one to start from."
        )
    themes = []
    for name, t in themes_table.items():
        if not isinstance(t, dict):
            raise ConfigError(f"Error: {source}: [themes.{name}] must be a table.")
        unknown = set(t) - {"label", "description", "keywords", "patterns", "exclude"}
        if unknown:
            raise ConfigError(
                f"Error: {source}: unknown key(s) in [themes.{name}]: {', '.join(sorted(unknown))}"
                ". Known: label, description, keywords, patterns, exclude."
            )
        kw = _strings(t.get("keywords", []), f"[themes.{name}] keywords", source)
        pats = _strings(t.get("patterns", []), f"[themes.{name}] patterns", source)
        excl = _strings(t.get("exclude", []), f"[themes.{name}] exclude", source)
        for p in (*pats, *excl):
            _check_pattern(p, f"[themes.{name}]", source)
        if not kw and not pats:
            raise ConfigError(f"Error: {source}: [themes.{name}] needs keywords or patterns.")
        themes.append(
            Theme(
                str(name), str(t.get("label", name)), str(t.get("description", "")), kw, pats, excl
            )
        )
    sentiment = table.get("sentiment", True)
    return Codebook(tuple(themes), source, bool(sentiment))


def to_toml(book: Codebook) -> str:
    """A codebook as TOML (JSON string escapes are valid TOML basic strings)."""
    import json

    def q(items: tuple[str, ...]) -> str:
        return "[" + ", ".join(json.dumps(x, ensure_ascii=False) for x in items) + "]"

    lines = [f"sentiment = {'true' if book.sentiment else 'false'}", ""]
    for t in book.themes:
        lines.append(f"[themes.{json.dumps(t.name, ensure_ascii=False)}]")
        lines.append(f"label = {json.dumps(t.label, ensure_ascii=False)}")
        if t.description:
            lines.append(f"description = {json.dumps(t.description, ensure_ascii=False)}")
        lines.append(f"keywords = {q(t.keywords)}")
        if t.patterns:
            lines.append(f"patterns = {q(t.patterns)}")
        if t.exclude:
            lines.append(f"exclude = {q(t.exclude)}")
        lines.append("")
    return "\n".join(lines)


def default_codebook() -> Codebook:
    book = parse_codebook(tomllib.loads(DEFAULT_CODEBOOK), "built-in codebook")
    return Codebook(book.themes, book.source, book.sentiment, DEFAULT_CODEBOOK)


def codebook_from_toml(data: dict[str, Any], text: str, source: str) -> Codebook:
    """A codebook file's themes (``data``, the parsed TOML of ``text``), keeping its text."""
    book = parse_codebook(data, source)
    return Codebook(book.themes, book.source, book.sentiment, text)


def choose_codebook(
    given: Codebook | None, config_voc: dict[str, Any] | None, config_path: Any
) -> Codebook:
    """``given`` (a ``--codebook`` file, read by the caller), else ``[voc]`` themes in
    csitool.toml, else the built-in codebook (with ``[voc] sentiment`` when set)."""
    if given is not None:
        return given
    if config_voc and "themes" in config_voc:
        return parse_codebook({"voc": config_voc}, f"{config_path or 'csitool.toml'} [voc]")
    book = default_codebook()
    if config_voc and "sentiment" in config_voc:
        return Codebook(book.themes, book.source, bool(config_voc["sentiment"]), book.text)
    return book
