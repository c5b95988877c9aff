"""VOC codebooks: themes with keywords, regular expressions and exclusions.

Matching rules (vectorised in :mod:`csitool.stats.voc`):

- a keyword with Hangul matches where it begins at the start of a word or of a morpheme
  (Kiwi's analysis), and may run on past the end of one: stems match inflected words and
  particles ("친절" in "친절하게", "배송" in "배송이", "기다" in "기다렸어요"), compounds match
  their parts ("대기" in "통화대기가", "배송" in "빠른배송"), spacing variants match each other
  ("대기 시간" = "대기시간" = "대 기 시간"), and nothing matches from the middle of a word or
  across words ("기다" is not in "각기 다른", "지연" not in "그런지 연락", "대기" not in
  "현대 기술");
- any other keyword matches case-insensitively at the start of a word, so "deliver" matches
  "delivery" and "delivered" but "app" does not match "happy";
- ``patterns`` are regular expressions on the lowercased comment; ``exclude`` patterns veto
  the theme for a comment;
- ``ignore`` words are taken out of the comment before the theme's keywords are matched
  (same rules as keywords): a longer word that begins with a keyword but means something
  else ("대기업" for "대기", "apple" for "app"), without vetoing the theme for the comment.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from csitool.errors import ConfigError, quote

DEFAULT_CODEBOOK = """\
# csitool VOC codebook: copy it into csitool.toml (under [voc]) or a file for --codebook
# and edit. Hangul keywords match from the start of a word or a morpheme, spaces ignored
# ("배송" matches "배송이" and "빠른배송", "대기 시간" matches "대기시간", but "기다" does not
# match "각기 다른"); other keywords match at the start of a word, any case ("deliver"
# matches "delivery"). `ignore` lists longer words that begin with a keyword but mean
# something else; `exclude` patterns veto the theme for the whole comment.

[themes.price]
label = "price / 가격"
description = "price level and value for money"
keywords = ["가격", "비싸", "비싼", "비쌈", "저렴", "가성비", "할인", "싸게", "싼", "혜택", "돈값",
            "값어치", "물가", "price", "pricing", "expensive", "cheap", "overpriced",
            "value for money", "afford", "cost", "pricey", "discount", "bargain", "deals",
            "on sale", "the sale", "rip off", "pay for"]
ignore = ["cheap material"]

[themes.billing]
label = "billing and payment / 요금·결제"
description = "bills, charges, payment methods"
keywords = ["요금", "청구", "결제", "납부", "수수료", "자동이체", "계좌이체", "카드값", "bill",
            "billing", "charge", "invoice", "payment", "pay", "paid", "fee", "checkout",
            "direct debit", "overcharg", "autopay", "declin", "statement", "in cash"]
ignore = ["요금제", "결제 취소", "charger", "feel", "pay for"]

[themes.delivery]
label = "delivery / 배송"
description = "shipping, delivery time and accuracy"
keywords = ["배송", "배달", "택배", "도착", "delivery", "deliver", "delivry", "shipping",
            "shipped", "courier", "package", "parcel", "arrived", "as ordered", "wrong item",
            "driver", "tracking", "turned up", "showed up", "came earlier", "came late"]

[themes.staff]
label = "staff attitude / 상담원·직원 친절"
description = "friendliness and manners of staff and agents"
keywords = ["친절", "직원", "응대", "말투", "퉁명", "태도", "매니저", "대리님", "점원", "반말",
            "웃으면서", "무시", "귀찮아", "성의", "상담원 교육", "책임지고", "staff", "employee",
            "rude", "friendly", "friendliest", "unfriendly", "polite", "attitude", "courteous",
            "curt", "greeted", "welcoming", "manager", "teller", "cashier", "rep ", "lady",
            "guy who", "dismissive", "condescending", "patient", "ignored me", "kind",
            "above and beyond", "manners", "served me"]

[themes.expertise]
label = "expertise / 상담 전문성"
description = "staff knowledge and explanations"
keywords = ["전문", "잘 알고", "잘 몰라", "잘 모르", "모른다고", "아는 게 없", "답을 못",
            "답변을 못", "말이 다 달라", "틀렸", "설명", "이해를 못", "knowledge", "expert",
            "explained", "explanations", "explanation of", "competent", "advisor", "advice",
            "knew", "know anything", "know how", "clueless", "no idea", "jargon",
            "wrong information", "different answers",
            "diagnos", "answer a", "know the product"]

[themes.wait]
label = "wait time / 대기 시간"
description = "queues, waiting, time to connect"
keywords = ["대기", "기다", "기달", "연결까지", "연결하기", "연결이 안", "오래 걸", "오래걸",
            "줄이", "대기줄", "wait", "waitin", "queue", "on hold", "hold music", "took long",
            "took forever", "get through", "got through", "took over", "in line",
            "to be seen", "to answer the phone", "put on hold", "long on hold"]
ignore = ["대기업", "대기 공간", "대기실", "waiter", "waiting area", "waiting room"]

[themes.digital]
label = "app and website / 앱·웹"
description = "app, website, online screens and errors"
keywords = ["앱", "어플", "웹", "홈페이지", "사이트", "화면", "로그인", "인터넷뱅킹", "모바일",
            "챗봇", "비밀번호", "인증서", "app", "apps", "website", "web site", "site",
            "online", "login", "log in", "mobile", "screen", "password", "chatbot",
            "authentication"]
ignore = ["apple", "applause", "appreciat", "approx", "appoint", "online, had to"]

[themes.quality]
label = "product quality / 품질"
description = "quality, defects and durability of products"
keywords = ["품질", "하자", "불량", "고장", "파손", "튼튼", "마감", "재질", "싸구려", "맛",
            "식어서", "박음질", "신선", "색이 빠", "배터리", "성능", "상했", "찌그러", "quality",
            "defect", "broken", "broke", "faulty", "durable", "flimsy", "material", "tasteless",
            "stitching", "mouldy", "moldy", "works perfectly", "battery", "sturdy", "well made",
            "damaged", "gone off"]
ignore = ["고장 접수", "또 고장", "기분이 상", "broken after"]

[themes.refund]
label = "refund and exchange / 환불·교환"
description = "refunds, returns, exchanges and cancellations"
keywords = ["환불", "교환", "반품", "취소", "해지", "refund", "return", "exchange", "cancel",
            "money back"]
ignore = ["해지했는데 요금"]

[themes.resolution]
label = "problem resolution / 문제 해결"
description = "whether and how fast problems were solved"
keywords = ["해결", "문제", "처리가 안", "처리 결과가", "조치", "민원",
            "수리", "as 받", "반복", "흐지부지", "달라지는 게 없", "resolve", "resolution",
            "solved", "fix", "issue", "problem", "sorted", "complaint", "ticket",
            "still broken", "nothing was done", "persists"]
ignore = ["문제없", "문제 없", "no issues", "no problem", "no complaints"]

[themes.communication]
label = "follow-up and information / 안내·사후 연락"
description = "information given, updates and follow-up contact"
keywords = ["연락", "안내", "알려", "알림", "공지", "콜백", "해피콜", "문자도", "진행 상황", "사후",
            "follow up", "follow-up", "updates", "updated", "inform", "notif", "call back",
            "called me back", "call me back", "callback", "got back to me", "heard back",
            "kept updated", "get in touch", "told me", "email", "letter", "reminder",
            "communication", "status", "spamming", "marketing calls"]

[themes.accessibility]
label = "accessibility / 접근성"
description = "location, parking, opening hours, ease of access"
keywords = ["접근", "위치", "주차", "영업시간", "휠체어", "근처", "가까", "멀리", "문을 열",
            "문 닫", "엘리베이터", "대리점이 없", "토요일에도", "주말에도", "역에서", "access",
            "location", "parking", "opening hours", "wheelchair", "get to", "by bus", "miles",
            "open late", "open on", "closed at", "nearest", "lift", "pram"]

[themes.brand]
label = "brand and trust / 브랜드·신뢰"
description = "reputation and trust in the brand"
keywords = ["브랜드", "평판", "믿", "신뢰", "이름값", "이 회사", "회사 이미지", "광고", "년째",
            "brand", "trust", "reputation", "this company", "loyal", "rely on", "ethic",
            "all marketing", "in the business", "bank with"]

[themes.store]
label = "store / 매장"
description = "store environment and cleanliness"
keywords = ["매장", "분위기", "깨끗", "청결", "화장실", "인테리어", "추웠", "더웠", "진열",
            "리모델링", "쾌적", "가게", "지저분", "점포", "냄새", "의자", "시끄", "대기 공간",
            "지점 안", "store", "shop", "clean", "atmosphere", "toilet", "cramped", "layout",
            "freezing", "fitting room", "refurbished", "waiting area", "smell", "spotless",
            "messy", "crowded", "loud"]
ignore = ["store credit", "shopping"]
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
    ignore: tuple[str, ...] = ()


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
        unknown = set(t) - {"label", "description", "keywords", "patterns", "exclude", "ignore"}
        if unknown:
            raise ConfigError(
                f"Error: {source}: unknown key(s) in [themes.{name}]: {', '.join(sorted(unknown))}"
                ". Known: label, description, keywords, patterns, exclude, ignore."
            )
        kw = _strings(t.get("keywords", []), f"[themes.{name}] keywords", source)
        pats = _strings(t.get("patterns", []), f"[themes.{name}] patterns", source)
        excl = _strings(t.get("exclude", []), f"[themes.{name}] exclude", source)
        ign = _strings(t.get("ignore", []), f"[themes.{name}] ignore", source)
        for p in (*pats, *excl):
            _check_pattern(p, f"[themes.{name}]", source)
        if not kw and not pats:
            raise ConfigError(f"Error: {source}: [themes.{name}] needs keywords or patterns.")
        themes.append(
            Theme(
                name=str(name),
                label=str(t.get("label", name)),
                description=str(t.get("description", "")),
                keywords=kw,
                patterns=pats,
                exclude=excl,
                ignore=ign,
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
        if t.ignore:
            lines.append(f"ignore = {q(t.ignore)}")
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
