"""Korean words: file formats as io describes them, in Korean (particles:
``tests/test_i18n_notes.py``)."""

from __future__ import annotations

from csitool.render.i18n import format_text


def test_file_formats_in_korean():
    assert format_text("Excel workbook (.xlsx)", "ko") == "엑셀 통합 문서(.xlsx)"
    assert format_text("semicolon-separated text", "ko") == "세미콜론 구분 텍스트"
    assert format_text("Excel workbook (.xlsx)", "en") == "Excel workbook (.xlsx)"
