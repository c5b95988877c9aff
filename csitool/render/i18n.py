"""Words of the report in English and Korean: sheet names, headings and action sentences.

``text(key, lang)`` looks a word up; ``default_lang`` picks Korean when a survey's headers
are Korean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LANGS = ("en", "ko")
HANGUL = re.compile(r"[\uac00-\ud7a3]")

WORDS: dict[str, tuple[str, str]] = {
    # sheets
    "sheet.summary": ("Summary", "요약"),
    "sheet.nps": ("NPS", "NPS"),
    "sheet.attributes": ("Attributes", "속성"),
    "sheet.drivers": ("Wow & Pain", "감동·불만 요인"),
    "sheet.touchpoints": ("Touchpoints", "접점"),
    "sheet.segments": ("Segments", "세그먼트"),
    "sheet.quality": ("Data quality", "데이터 품질"),
    "sheet.comparison": ("Comparison", "비교"),
    "sheet.trend": ("Trend", "추이"),
    "sheet.voc": ("VOC", "고객의 소리"),
    "title.voc": ("Voice of the customer: themes in the comments", "고객의 소리: 의견의 주제"),
    "no_voc": ("No comment column.", "의견 열이 없습니다."),
    "voc_answered": ("comments answered", "응답한 의견"),
    "voc_untagged": ("comments without a theme", "주제가 없는 의견"),
    "voc_beside": (
        "Pain-points and wow-points from the ratings (drivers)",
        "평가 점수로 찾은 불만·감동 요인(동인 분석)",
    ),
    "theme": ("theme", "주제"),
    "mentions": ("mentions", "언급 수"),
    "nps_impact": ("NPS impact", "NPS 영향"),
    "sat_impact": ("satisfaction impact", "만족도 영향"),
    "voiced": ("voiced as", "의견 유형"),
    "title.trend": ("NPS and CSI over the files (waves)", "파일(조사 차수)별 NPS와 CSI 추이"),
    "letter": ("letter", "열 기호"),
    "nps_beats": ("NPS higher than", "NPS 유의하게 높은 열"),
    "csi_beats": ("CSI higher than", "CSI 유의하게 높은 열"),
    # titles
    "title.report": ("Customer satisfaction report", "고객만족도 보고서"),
    "title.summary": ("Summary", "요약"),
    "title.nps": ("Net Promoter Score", "순추천지수(NPS)"),
    "title.attributes": ("Attributes: performance", "속성별 성과"),
    "title.drivers": ("Wow-points and pain-points", "감동 요인과 불만 요인"),
    "title.touchpoints": ("Touchpoints (moments of truth)", "고객 접점(진실의 순간)"),
    "title.segments": ("Segments", "세그먼트별 결과"),
    "title.quality": ("Data quality: rows and cells left out", "데이터 품질: 제외된 행과 셀"),
    "title.comparison": ("Files compared", "파일 비교"),
    "source": ("Source", "원본 파일"),
    "date": ("Report date", "보고서 작성일"),
    # headings
    "measure": ("Measure", "지표"),
    "value": ("Value", "값"),
    "ci_low": ("{ci} low", "{ci} 하한"),
    "ci_high": ("{ci} high", "{ci} 상한"),
    "n": ("n", "응답 수"),
    "n_eff": ("effective n", "유효 표본 수"),
    "nps": ("NPS", "NPS"),
    "promoters": ("promoters", "추천 고객"),
    "passives": ("passives", "중립 고객"),
    "detractors": ("detractors", "비추천 고객"),
    "csi": ("CSI", "CSI"),
    "very": ("very satisfied", "매우 만족"),
    "somewhat": ("somewhat satisfied", "다소 만족"),
    "neutral": ("neutral", "보통"),
    "dissatisfied": ("dissatisfied", "불만족"),
    "wow_gap": ("wow gap (very / satisfied)", "감동 비율(매우 만족 / 만족)"),
    "rows_read": ("rows read", "읽은 행"),
    "rows_kept": ("rows kept", "사용한 행"),
    "left_out": ("left out", "제외"),
    "answer": ("answer", "응답 값"),
    "share": ("share", "비율"),
    "group": ("group", "집단"),
    "total": ("Total", "전체"),
    "item": ("item", "문항"),
    "role": ("role", "역할"),
    "scale": ("scale", "척도"),
    "mean": ("mean", "평균"),
    "top_box": ("top box", "최상위 응답"),
    "top2_box": ("top-2-box", "상위 2개 응답"),
    "bottom2_box": ("bottom-2-box", "하위 2개 응답"),
    "attribute": ("attribute", "속성"),
    "stage": ("stage", "단계"),
    "importance": ("importance share", "중요도 비중"),
    "raw_weight": ("relative weight", "상대 가중치"),
    "rank": ("rank", "순위"),
    "penalty": ("penalty", "불만 영향(penalty)"),
    "reward": ("reward", "감동 영향(reward)"),
    "p": ("p", "p값"),
    "ia": ("impact asymmetry", "영향 비대칭"),
    "class": ("class", "유형"),
    "quadrant": ("quadrant", "사분면"),
    "delight": ("top box: very − somewhat satisfied (pts)", "최상위: 매우 만족 − 다소 만족(%p)"),
    "dissat": ("bottom-2: dissatisfied − satisfied (pts)", "하위 2개: 불만족 − 만족(%p)"),
    "q": ("q (BH)", "q (BH)"),
    "actions": ("What to do first", "우선 조치 사항"),
    "fix": ("Fix (pain-points)", "개선(불만 요인)"),
    "promote": ("Protect and promote (wow-points)", "유지·강화(감동 요인)"),
    "no_drivers": ("No drivers analysis", "동인 분석 없음"),
    "adj.bh": (
        "Benjamini-Hochberg q over all penalty and reward tests",
        "BH 보정 q(전체 penalty·reward 검정)",
    ),
    "adj.none": ("unadjusted p (--no-adjust)", "보정 없는 p(--no-adjust)"),
    "letters_note": (
        "Letters: the segments a value is significantly higher than (alpha {alpha}, "
        "{correction} correction within each row)",
        "문자: 유의하게 더 높은 세그먼트(유의수준 {alpha}, 행마다 {correction} 보정)",
    ),
    "reading_notes": ("How the file was read (check these)", "파일 읽기 확인 사항"),
    # what a survey lacks (reports for surveys without an NPS or satisfaction item)
    "no_nps_item": ("no NPS item", "NPS 문항 없음"),
    "no_sat_item": ("no overall satisfaction item", "전반적 만족도 문항 없음"),
    "no_csi_item": ("no satisfaction or attribute item", "만족도·속성 문항 없음"),
    "nps_sheet_none": (
        "This survey has no NPS item (0-10 likelihood to recommend), so there are no NPS "
        "figures. If it has one, name it with --nps COLUMN or [roles] nps in csitool.toml.",
        "이 조사에는 NPS 문항(0-10점 추천 의향)이 없어 NPS를 계산하지 않았습니다. 문항이 "
        "있다면 --nps 열이름 또는 csitool.toml의 [roles] nps로 지정하세요.",
    ),
    "nps_columns_empty": (
        "The survey has no NPS item: the NPS columns are empty.",
        "NPS 문항이 없어 NPS 열은 비어 있습니다.",
    ),
    "voc_no_scores": (
        "The survey has no NPS or overall satisfaction item: themes are counted but not tied "
        "to scores.",
        "NPS 문항과 전반적 만족도 문항이 없어 주제의 언급 수만 세고 점수와 연결하지 않았습니다.",
    ),
    "drivers_need_target": (
        "No drivers analysis: it needs a target, an overall satisfaction or NPS item, and the "
        "survey has neither. Name one with --sat COLUMN or --nps COLUMN, or [roles] sat / nps "
        "in csitool.toml.",
        "동인 분석 없음: 분석 대상(전반적 만족도 또는 NPS 문항)이 필요한데 이 조사에는 둘 다 "
        "없습니다. --sat 열이름 또는 --nps 열이름, 또는 csitool.toml의 [roles] sat / nps로 "
        "지정하세요.",
    ),
    "drivers_need_attrs": (
        "No drivers analysis: the survey has no attribute items. Name them with --attr COLUMN "
        "or [roles] attrs in csitool.toml.",
        "동인 분석 없음: 속성 문항이 없습니다. --attr 열이름 또는 csitool.toml의 [roles] "
        "attrs로 지정하세요.",
    ),
    "segments_none": (
        "No segment column: give one with --by COLUMN, or name it with --segment COLUMN or "
        "[roles] segment in csitool.toml.",
        "세그먼트 열이 없습니다: --by 열이름으로 지정하거나 --segment 열이름 또는 "
        "csitool.toml의 [roles] segment로 지정하세요.",
    ),
    "segments_detected": (
        "Segments detected in the survey (no --by given): {cols}.",
        "조사에서 찾은 세그먼트(--by 지정 없음): {cols}.",
    ),
    "segments_skipped": (
        "Detected but left out (a segment needs {lo} to {hi} values; --by COLUMN shows any "
        "column): {cols}.",
        "찾았지만 제외한 세그먼트(값이 {lo}~{hi}개여야 함; --by 열이름으로 지정하면 표시): {cols}.",
    ),
    "n_values": ("{col} ({k} values)", "{col}({k}개 값)"),
    "stage_csi": ("stage CSI", "단계 CSI"),
    "any_low": ("any bottom-2-box", "하위 2개 응답 하나 이상"),
    "weakest": ("weakest", "가장 취약"),
    "bad_moment": ("One bad moment", "한 번의 나쁜 경험"),
    "bad_share": ("share rating any attribute bottom-2-box", "어느 속성이든 하위 2개 응답 비율"),
    "bad_sat": (
        "overall satisfaction (CSI): bad moment / others",
        "전반적 만족도(CSI): 나쁜 경험 / 그 외",
    ),
    "bad_nps": ("NPS: bad moment / others", "NPS: 나쁜 경험 / 그 외"),
    "difference": ("difference", "차이"),
    "p_value": ("p-value", "p값"),
    "segment": ("segment", "세그먼트"),
    "segment_value": ("value", "값"),
    "low_base": ("low base", "표본 부족"),
    "row": ("row", "행"),
    "column": ("column", "열"),
    "reason": ("reason", "사유"),
    "whole_row": ("(whole row)", "(행 전체)"),
    "nothing_left_out": ("Nothing left out.", "제외된 값이 없습니다."),
    "excluded_more": (
        "The first {listed:,} of {total:,} exclusions are listed above; the counts below "
        "cover them all. `csitool score {file} --show-excluded` lists every one.",
        "제외 {total:,}건 중 처음 {listed:,}건만 위에 있습니다. 아래 건수는 전체입니다. "
        "모두 보려면 `csitool score {file} --show-excluded`.",
    ),
    "no_stages": (
        "No stages configured ([stages] in csitool.toml).",
        "단계가 설정되지 않았습니다(csitool.toml의 [stages]).",
    ),
    "file": ("file", "파일"),
    "top_pain": ("top pain-point", "최대 불만 요인"),
    "top_wow": ("top wow-point", "최대 감동 요인"),
    "importance_axis": ("importance share (%)", "중요도 비중(%)"),
    "performance_axis": ("CSI", "CSI"),
    "split_line": ("split", "기준선"),
    # the workbook's headline tiles, charts and captions
    "tile.csi": ("CSI (0-100)", "고객만족지수 CSI(0-100)"),
    "tile.wow_gap": ("Wow gap: very / all satisfied", "감동 비율: 매우 만족 / 만족 전체"),
    "tile.groups": (
        "promoters {p} · passives {a} · detractors {d}",
        "추천 {p} · 중립 {a} · 비추천 {d}",
    ),
    "tile.n": ("Respondents analysed (n)", "분석 응답자 수(n)"),
    "tile.csi.sat": ("from the overall satisfaction item", "전반적 만족도 문항 기준"),
    "tile.csi.attribute_mean": ("mean of the attribute items", "속성 문항 평균 기준"),
    "tile.csi.composite": ("weighted composite of the attributes", "속성 가중 합성 기준"),
    "figures": ("Figures with intervals and bases", "지표별 신뢰구간과 표본 수"),
    "nps_by_group": ("NPS by group", "집단별 NPS"),
    "ladder_by_group": ("Satisfaction by group", "집단별 만족 단계"),
    "nps_groups": (
        "Detractors, passives and promoters",
        "비추천·중립·추천 고객 비율",
    ),
    "bad_group": ("bad moment", "나쁜 경험 있음"),
    "rest_group": ("others", "그 외"),
    "scatter_note": (
        "Points: red = pain-point, green = wow-point, blue = performance, grey = low impact. "
        "Dashed lines: the quadrant split (importance {imp}, CSI {perf}).",
        "점 색: 빨강 = 불만 요인, 초록 = 감동 요인, 파랑 = 성과 요인, 회색 = 영향 낮음. "
        "점선: 사분면 기준선(중요도 {imp}, CSI {perf}).",
    ),
    "voc_chart.nps_impact": (
        "NPS impact of each theme (points)",
        "주제별 NPS 영향(점)",
    ),
    "voc_chart.sat_impact": (
        "Satisfaction impact of each theme (points)",
        "주제별 만족도 영향(점)",
    ),
    # terminal
    "t.performance": ("1. Performance", "1. 성과"),
    "t.importance": (
        "2. Importance (relative weights, R² {r2})",
        "2. 중요도(상대 가중치, R² {r2})",
    ),
    "t.impact": (
        "3. Asymmetric impact (penalty-reward, model R² {r2}; {adj} at {alpha}, |IA| ≥ {ia})",
        "3. 비대칭 영향(penalty-reward, 모형 R² {r2}; {adj}, 유의수준 {alpha}, |IA| ≥ {ia})",
    ),
    "t.ladder": (
        "4. Ladder contrast (percentage points; q = Benjamini-Hochberg adjusted p)",
        "4. 만족 단계 대비(%p; q = Benjamini-Hochberg 보정 p)",
    ),
    "t.quadrants": (
        "Importance-performance quadrants (split at the {method}: importance {imp}%, CSI {perf})",
        "중요도-성과 사분면(기준선 {method}: 중요도 {imp}%, CSI {perf})",
    ),
    "fix.head": (
        "  Fix (pain-points, by damage = |penalty| × share rating it low):",
        "  개선할 불만 요인(손실 = |penalty| × 낮게 평가한 비율 순):",
    ),
    "promote.head": (
        "  Protect and promote (wow-points, by potential = reward × share not top):",
        "  지키고 키울 감동 요인(잠재력 = reward × 최고점이 아닌 비율 순):",
    ),
    "no_actions": (
        "  No significant pain-points or wow-points.",
        "  유의한 불만 요인이나 감동 요인이 없습니다.",
    ),
    "ladder.title": ("Satisfaction ladder", "만족 단계"),
    "wow_gap.label": ("wow gap: ", "감동 비율: "),
    "wow_gap.text": (
        " of satisfied customers are very satisfied ",
        " (만족 고객 중 매우 만족) ",
    ),
    "items": ("Items", "문항"),
    "by": ("By {col}", "{col}별"),
    "by_title": ("By {col}", "{col}별"),
    "waves": ("Waves", "조사 차수"),
    "base_n": ("base (n)", "표본 (n)"),
    "change": ("change", "변화"),
    "pass": ("pass", "통과"),
    "fail": ("FAIL", "실패"),
    "not_judged": ("not judged", "판정 안 함"),
    "m.nps": ("NPS", "NPS"),
    "m.promoters": ("promoters %", "추천 고객 %"),
    "m.passives": ("passives %", "중립 고객 %"),
    "m.detractors": ("detractors %", "비추천 고객 %"),
    "m.csi": ("CSI", "CSI"),
    "m.very": ("very satisfied %", "매우 만족 %"),
    "m.somewhat": ("somewhat satisfied %", "다소 만족 %"),
    "m.neutral": ("neutral %", "보통 %"),
    "m.dissatisfied": ("dissatisfied %", "불만족 %"),
    "m.wow_gap": ("wow gap %", "감동 비율 %"),
    "m.item_csi": ("CSI", "CSI"),
    "m.item_top_box": ("top box %", "최상위 응답 %"),
    # classes and quadrants
    "pain-point": ("pain-point", "불만 요인"),
    "wow-point": ("wow-point", "감동 요인"),
    "performance": ("performance", "성과 요인"),
    "low impact": ("low impact", "영향 낮음"),
    "unclassified": ("unclassified", "분류 불가"),
    "fix first": ("fix first", "우선 개선"),
    "keep up": ("keep up", "현상 유지"),
    "low priority": ("low priority", "낮은 우선순위"),
    "possible overkill": ("possible overkill", "과잉 투자 가능"),
}

REASONS_KO = {
    "blank": "빈 응답",
    "not_a_number": "숫자가 아님",
    "out_of_range": "척도 범위 밖",
    "dont_know": "모름/해당 없음",
    "unmapped_label": "숫자로 바꿀 수 없는 응답",
    "blank_row": "빈 행",
    "duplicate_id": "중복 ID(두 번째 이후)",
    "weight_missing": "가중치 없음",
    "weight_not_positive": "가중치가 0 이하이거나 무한대",
    "preview_response": "미리보기 응답",
    "test_response": "테스트 응답",
    "spam_response": "스팸 응답",
    "partial_response": "미완료 응답",
}


def text(key: str, lang: str) -> str:
    """The word for ``key`` in ``lang`` (the key itself if unknown)."""
    pair = WORDS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "ko" else pair[0]


def reason_text(reason: str, lang: str) -> str:
    from csitool.survey.model import REASON_TEXT

    if lang == "ko":
        return REASONS_KO.get(reason, reason)
    return REASON_TEXT.get(reason, reason)


def default_lang(headers: Iterable[str]) -> str:
    """Korean when any column header holds Hangul, else English."""
    return "ko" if any(HANGUL.search(str(h)) for h in headers) else "en"
