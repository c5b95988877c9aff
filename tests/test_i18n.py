"""Korean words: particles chosen by the final sound, file formats, and terminal tables
that fit the width."""

from __future__ import annotations

import pytest

from csitool.render.i18n import format_text, josa

# Each case read aloud by hand: the last syllable's final consonant (받침) picks the form;
# digits are read as Korean numbers (3 삼, 2 이), Latin letters by their English names
# (M 엠, S 에스), and closing quotes and brackets are passed over.
PARTICLE_CASES = [
    ("시간", "은/는", "시간은"),  # 간: ㄴ
    ("처리", "은/는", "처리는"),  # 리: no final
    ("만족도", "이/가", "만족도가"),
    ("'B2. 대기 시간'", "은/는", "'B2. 대기 시간'은"),
    ("전반적 만족도(1-5점 척도)", "이/가", "전반적 만족도(1-5점 척도)가"),
    ("가격", "을/를", "가격을"),
    ("배송", "을/를", "배송을"),
    ("직원", "과/와", "직원과"),
    ("매장", "으로/로", "매장으로"),
    ("서울", "으로/로", "서울로"),  # ㄹ takes 로
    ("학교", "으로/로", "학교로"),
    ("Q3", "은/는", "Q3은"),  # 삼
    ("Q2", "은/는", "Q2는"),  # 이
    ("item", "이/가", "item이"),  # 엠
    ("NPS", "은/는", "NPS는"),  # 에스
    ("", "이/가", "가"),
]


@pytest.mark.parametrize(("word", "pair", "expected"), PARTICLE_CASES)
def test_particle_follows_the_final_sound(word, pair, expected):
    assert word + josa(word, pair) == expected


def test_file_formats_in_korean():
    assert format_text("Excel workbook (.xlsx)", "ko") == "엑셀 통합 문서(.xlsx)"
    assert format_text("semicolon-separated text", "ko") == "세미콜론 구분 텍스트"
    assert format_text("Excel workbook (.xlsx)", "en") == "Excel workbook (.xlsx)"
