"""Words of the report in English and Korean: sheet names, headings and action sentences.

``text(key, lang)`` looks a word up; ``default_lang`` picks Korean when a survey's headers
are Korean. ``note_text`` says a note (or a scale's evidence) in a language from its code
and parameters, ``quality_text`` the line on what was left out, ``scale_text`` a scale;
``josa`` picks a Korean particle by the final consonant of the word before it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csitool.notes import Phrase

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
        "BH 보정 q(전체 감점·가점 검정)",
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
    "excluded_counted": (
        "The {engine} engine counted the {total:,} exclusions below by reason and column; "
        "`csitool report {file} --engine pandas` lists their rows.",
        "{engine} 엔진은 제외 {total:,}건을 사유와 열별로 세었습니다(아래). 행 목록은 "
        "`csitool report {file} --engine pandas`로 볼 수 있습니다.",
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
        "3. 비대칭 영향(감점-가점 분석, 모형 R² {r2}; {adj}, 유의수준 {alpha}, |IA| ≥ {ia})",
    ),
    "t.ladder": (
        "4. Ladder contrast in percentage points: top-box gap = {high} − {middle}, bottom-2 "
        "gap = {low} − {rest}; q = Benjamini-Hochberg adjusted p",
        "4. 만족 단계 대비(%p): 최상위 차이 = {high} − {middle}, 하위 2 차이 = {low} − {rest}; "
        "q = Benjamini-Hochberg 보정 p",
    ),
    "t.quadrants": (
        "Importance-performance quadrants (split at the {method}: importance {imp}%, CSI {perf})",
        "중요도-성과 사분면(기준선 {method}: 중요도 {imp}%, CSI {perf})",
    ),
    "fix.head": (
        "  Fix (pain-points, by damage = |penalty| × share rating it low):",
        "  개선할 불만 요인(손실 = |감점| × 낮게 평가한 비율 순):",
    ),
    "promote.head": (
        "  Protect and promote (wow-points, by potential = reward × share not top):",
        "  지키고 키울 감동 요인(잠재력 = 가점 × 최고점이 아닌 비율 순):",
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
    # terminal tables and lines
    "h.item": ("item", "문항"),
    "h.scale": ("scale", "척도"),
    "h.mean": ("mean", "평균"),
    "h.top_box": ("top box", "최상위"),
    "h.top2": ("top-2", "상위 2"),
    "h.bottom2": ("bottom-2", "하위 2"),
    "h.ladder": ("very/somewhat", "매우/다소"),
    "h.segment": ("segment", "세그먼트"),
    "h.very": ("very", "매우 만족"),
    "h.somewhat": ("somewhat", "다소 만족"),
    "h.wow_gap": ("wow gap", "감동 비율"),
    "role.nps": ("nps", "NPS"),
    "role.sat": ("sat", "전반 만족"),
    "effective": ("effective", "유효"),
    "ci.adjusted-wald": ("adjusted-wald", "보정 Wald"),
    "ci.wald": ("wald", "Wald"),
    "csi.method": ("method: {method}", "산출: {method}"),
    "csi.sat": ("sat", "전반 만족 문항"),
    "csi.attribute_mean": ("attribute_mean", "속성 평균"),
    "csi.composite": ("composite", "가중 합성"),
    "rows.count": ("{n} rows", "{n}행"),
    "sheet.named": ("sheet {name}", "시트 {name}"),
    "note": ("note", "참고"),
    "warning": ("warning", "경고"),
    "vs": ("vs", "대"),
    "r.reports": ("Reports", "보고서"),
    "r.failed": ("Failed", "실패한 파일"),
    "r.status": ("status", "상태"),
    "r.status.ok": ("ok", "완료"),
    "r.status.failed": ("failed", "실패"),
    "r.output": ("report / reason", "보고서 / 실패 사유"),
    "r.counts": ("{ok} written, {bad} failed", "작성 {ok}, 실패 {bad}"),
    "r.combined": ("; combined workbook: {path}", "; 파일 비교 통합 문서: {path}"),
    "v.theme": ("theme", "주제"),
    "v.mentions": ("mentions", "언급"),
    "v.mentioned_by": ("said by det/pas/pro", "언급률 비/중/추"),
    "v.nps_mix": ("mix det/pas/pro", "구성 비/중/추"),
    "v.sentiment": ("sentiment −/0/+", "감정 부/중/긍"),
    "v.theme_nps": ("theme NPS", "주제 NPS"),
    "v.nps_impact": ("NPS impact", "NPS 영향"),
    "v.sat_impact": ("sat impact", "만족 영향"),
    "v.title": (
        "Themes, most damaging first (impact = NPS of all − NPS of the rest)",
        "주제(손실이 큰 순; 영향 = 전체 NPS − 그 주제를 뺀 NPS)",
    ),
    "v.head": (
        "{path}: comments in {cols} · {answered} answered, {non} non-answers, {blank} blank of "
        "{n} rows · codebook: {codebook}",
        "{path}: 의견 열 {cols} · {n}행 중 응답 {answered}, 무응답성 답변 {non}, 빈칸 {blank} · "
        "코드북: {codebook}",
    ),
    "v.builtin": ("built-in codebook", "기본 코드북"),
    "v.sentiment_word": ("sentiment", "감정"),
    "v.method.model": (
        "model: n-gram logistic regression on open reviews + service lexicon",
        "공개 리뷰로 학습한 n-gram 로지스틱 회귀 모형 + 서비스 사전",
    ),
    "v.method.lexicon": (
        "lexicon heuristic: the model file was not found",
        "사전 기반 판단: 모형 파일을 찾지 못함",
    ),
    "v.method.off": ("off", "사용 안 함"),
    "v.sentiment_counts": (
        "{pos} positive, {neu} neutral, {neg} negative",
        "긍정 {pos}, 중립 {neu}, 부정 {neg}",
    ),
    "v.against": (
        "to read: {n} comments whose sentiment seems to contradict the score ({pro} promoters "
        "with a clearly negative comment, {det} detractors with a clearly positive one; the "
        "model reads service comments right about two times in three)",
        "확인할 의견: 감정이 점수와 어긋나 보이는 의견 {n}개(추천 고객의 뚜렷한 부정 의견 "
        "{pro}개, 비추천 고객의 뚜렷한 긍정 의견 {det}개; 서비스 의견에 대한 모형 정확도는 약 "
        "3분의 2)",
    ),
    "v.against_all": (
        " · all in --format json and --export-tagged",
        " · 전체 목록은 --format json과 --export-tagged에",
    ),
    "v.against_first": (
        " · the first {listed} by row in --format json ([voc] contradictions_listed), all in "
        "--export-tagged",
        " · 행 순서로 처음 {listed}개는 --format json에([voc] contradictions_listed), 전체 목록은 "
        "--export-tagged에",
    ),
    "v.positive": ("positive", "긍정"),
    "v.negative": ("negative", "부정"),
    "v.neutral": ("neutral", "중립"),
    "v.row": ("row {row}", "{row}행"),
    "v.row_score": ("row {row} (NPS {score}, {sentiment})", "{row}행(NPS {score}, {sentiment})"),
    "v.untagged": (
        "untagged: {k} of {n} answered ({share}%)",
        "주제 없음: 응답 {n}개 중 {k}개({share}%)",
    ),
    "v.segment_head": ("{col} = {value} ({n} answered)", "{col} = {value} (응답 {n})"),
    "i.format": ("format", "형식"),
    "i.encoding": ("encoding", "인코딩"),
    "i.delimiter": ("delimiter", "구분자"),
    "i.sheet": ("sheet", "시트"),
    "i.sheet_of": ("{sheet} (of {all})", "{sheet} (전체: {all})"),
    "i.rows": ("rows", "행"),
    "i.rows_text": ("{n} data rows, from row {first}", "데이터 {n}행, {first}행부터"),
    "i.columns": ("columns", "열"),
    "i.groups": ("groups", "묶음"),
    "i.columns_title": ("Columns", "열"),
    "i.column": ("column", "열"),
    "i.question": ("question", "질문"),
    "i.role": ("role", "역할"),
    "i.from": ("from", "근거"),
    "i.labels": ("labels", "응답 라벨"),
    "i.used": ("used", "사용"),
    "i.more_labels": ("… ({k} labels)", "… (라벨 {k}개)"),
    "role.attrs": ("attrs", "속성"),
    "role.segment": ("segment", "세그먼트"),
    "role.weight": ("weight", "가중치"),
    "role.id": ("id", "ID"),
    "role.date": ("date", "날짜"),
    "role.comment": ("comment", "의견"),
    "from.detected": ("detected", "자동 인식"),
    "from.option": ("option", "명령 옵션"),
    "from.config": ("config", "설정 파일"),
    "from.layout": ("layout", "플랫폼 형식"),
    "from.empty column": ("empty column", "빈 열"),
    "from.another date column": ("another date column", "다른 날짜 열"),
    "from.open text (another comment column)": (
        "open text (another comment column)",
        "자유 응답(다른 의견 열)",
    ),
    "from.outcome item (loyalty/intention), not an attribute": (
        "outcome item (loyalty/intention), not an attribute",
        "결과 문항(충성도·의향), 속성 아님",
    ),
    "from.numbers that are not a rating scale": (
        "numbers that are not a rating scale",
        "평가 척도가 아닌 숫자",
    ),
    "from.platform metadata": ("platform metadata", "플랫폼 메타데이터"),
    "c.title": ("csitool check: {path}", "csitool 검사: {path}"),
    "c.baseline": ("  (baseline {path})", "  (비교 기준 {path})"),
    "c.rule": ("rule", "규칙"),
    "c.scope": ("scope", "범위"),
    "c.observed": ("observed", "관측값"),
    "c.limit": ("limit", "기준"),
    "c.verdict": ("verdict", "판정"),
    "c.change": ("change vs baseline", "기준 대비 변화"),
    "c.detail": ("detail", "내용"),
    "c.rows": ("rows", "행"),
    "c.counts": (
        "{passed} passed, {failed} failed, {unjudged} not judged",
        "통과 {passed}, 실패 {failed}, 판정 안 함 {unjudged}",
    ),
    "scope.total": ("total", "전체"),
    "cmp.level": ("alpha {alpha}", "유의수준 {alpha}"),
    "cmp.two_levels": (
        "lowercase at {alpha}, uppercase at 0.01",
        "소문자는 유의수준 {alpha}, 대문자는 0.01",
    ),
    "cmp.arrows": (
        "▲ / ▼: a significant rise / fall from the previous wave at {alpha}.",
        "▲ / ▼: 직전 차수보다 유의하게 오름 / 내림(유의수준 {alpha}).",
    ),
    "cmp.footer": (
        "Letters: the column is significantly higher than the lettered columns ({level}; "
        "correction: {correction}). Tests: NPS two-sample z, shares column-proportion z "
        "(pooled), CSI Welch t; effective n. * base below {base}: not tested.",
        "문자: 그 열이 문자로 표시된 열보다 유의하게 높음({level}; 보정: {correction}). 검정: "
        "NPS 두 표본 z, 비율 열 비율 z(합동), CSI Welch t; 유효 표본 수 기준. * 표본 {base} "
        "미만: 검정하지 않음.",
    ),
    "correction.bonferroni": ("bonferroni", "Bonferroni"),
    "correction.fdr": ("fdr", "FDR(Benjamini-Hochberg)"),
    "correction.none": ("none", "없음"),
    "h.attribute": ("attribute", "속성"),
    "h.attributes": ("attributes", "속성"),
    "h.stage": ("stage", "단계"),
    "h.raw_weight": ("raw weight", "가중치"),
    "h.share": ("share", "비중"),
    "h.rank": ("rank", "순위"),
    "h.counts": ("low / mid / top", "하 / 중 / 상"),
    "h.penalty": ("penalty", "감점"),
    "h.reward": ("reward", "가점"),
    "h.class": ("class", "유형"),
    "h.quadrant": ("quadrant", "사분면"),
    "h.any_low": ("any bottom-2", "하위 2 하나 이상"),
    "h.delight": ("top-box gap", "최상위 차이"),
    "h.dissat": ("bottom-2 gap", "하위 2 차이"),
    "t.touchpoints": ("Touchpoints", "고객 접점"),
    "very satisfied": ("very satisfied", "매우 만족"),
    "somewhat satisfied": ("somewhat satisfied", "다소 만족"),
    "neutral + dissatisfied": ("neutral + dissatisfied", "보통+불만족"),
    "satisfied": ("satisfied", "만족"),
    "passives + promoters": ("passives + promoters", "중립+추천"),
    "split.mean": ("mean", "평균"),
    "split.median": ("median", "중앙값"),
    "split.midpoint": ("midpoint", "중간점"),
    "bad.title": (
        "One bad moment: {bad} of {n} rate at least one attribute bottom-2",
        "한 번의 나쁜 경험: {n}명 중 {bad}명이 한 속성 이상을 하위 2점으로 평가",
    ),
    "bad.share_row": ("share with a bad moment", "나쁜 경험 비율"),
    "bad.col_bad": ("bad moment", "나쁜 경험"),
    "bad.col_rest": ("everyone else", "나머지"),
    "bad.sat": ("overall satisfaction (CSI)", "전반적 만족도(CSI)"),
    "d.title": ("drivers", "동인 분석"),
    "d.title_by": ("drivers by {col}", "{col}별 동인 분석"),
    "d.target": ("target: {column} ({role}, {scale})", "분석 대상: {column} ({role}, {scale})"),
    "d.attributes": ("attributes: {k}", "속성: {k}개"),
    "d.rows": ("rows used: {used} of {n}", "사용한 행: {n}행 중 {used}행"),
    "d.skipped": (
        "{col} = {value}: not analysed ({reason}).",
        "{col} = {value}: 분석하지 않음({reason}).",
    ),
    "d.incomplete": ("incomplete", "응답 누락"),
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
    "not_applicable": "해당 없음으로 본 0 응답",
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


#: file formats as io describes them, in Korean (a pattern and its replacement, in order)
FORMATS_KO: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Excel workbook \((\.\w+)\)$"), r"엑셀 통합 문서(\1)"),
    (re.compile(r"^OpenDocument spreadsheet \((\.\w+)\)$"), r"OpenDocument 스프레드시트(\1)"),
    (re.compile(r"^CSV$"), "CSV"),
    (re.compile(r"^tab-separated text$"), "탭 구분 텍스트"),
    (re.compile(r"^semicolon-separated text$"), "세미콜론 구분 텍스트"),
    (re.compile(r"^pipe-separated text$"), "세로줄(|) 구분 텍스트"),
    (re.compile(r"^(.+)-separated text$"), r"\1 구분 텍스트"),
    (re.compile(r"^SPSS \.sav$"), "SPSS 파일(.sav)"),
    (
        re.compile(r"^Qualtrics (\w+), legacy layout \(2 header rows\)$"),
        r"Qualtrics \1(이전 형식, 머리글 2행)",
    ),
    (re.compile(r"^Qualtrics (\w+) \(3 header rows\)$"), r"Qualtrics \1(머리글 3행)"),
]


def format_text(described: str, lang: str) -> str:
    """A file format as io describes it (``Excel workbook (.xlsx)``), in ``lang``."""
    if lang != "ko":
        return described
    for pattern, korean in FORMATS_KO:
        if pattern.match(described):
            return pattern.sub(korean, described)
    return described


#: check rules and the sentences of their details, in Korean (English: the rule's message)
RULES_KO = {
    "min_nps": "NPS 하한", "min_csi": "CSI 하한", "min_n": "최소 응답 수",
    "max_detractors": "비추천 비율 상한", "min_top_box": "최상위 비율 하한",
    "max_excluded": "제외 비율 상한", "require_column": "필수 열", "max_missing": "빈 값 비율 상한",
    "in_scale": "척도 안의 값", "unique_ids": "ID 중복 없음",
    "max_drop_nps": "NPS 하락 한도", "max_drop_csi": "CSI 하락 한도",
}  # fmt: skip
DETAILS_KO = {
    "threshold": "{text}",
    "low_base": "판정 안 함: 표본 부족({n}행 < {low_base})",
    "present": "있음",
    "absent": "내보낸 파일에 없음",
    "in_scale_ok": "모든 평가 값이 척도 안의 숫자",
    "in_scale_bad": "척도 밖이거나 숫자가 아닌 값이 있는 행 {n}개: {where}",
    "ids_unique": "중복 ID 없음",
    "ids_repeat": "앞에 나온 ID를 다시 쓴 행 {n}개",
    "not_in_both": "두 파일 모두에 {measure} 값이 있지 않음",
    "drop_within": "변화 {change}(한도: {limit} 하락){p}",
    "drop_too_big": "{drop} 하락 > {limit}",
    "drop_significant": "{drop} 하락 > {limit}, 유의수준 {alpha}에서 유의{p}",
    "drop_not_significant": "{drop} 하락 > {limit}, 유의수준 {alpha}에서 유의하지 않음{p}",
    "missing_min_nps": "NPS 값 없음(NPS 문항이 없거나 유효 응답이 없음)",
    "missing_max_detractors": "NPS 값 없음(NPS 문항이 없거나 유효 응답이 없음)",
    "missing_min_csi": "CSI 값 없음(평가 문항이 없거나 유효 응답이 없음)",
    "missing_min_top_box": "전반적 만족도 문항 없음",
    "unjudged_allowed": "판정할 수 없음: {why_text}({setting} 설정으로 허용)",
    "unjudged_fails": "판정할 수 없음: {why_text}; 검사 실패로 봅니다({setting}로 허용 가능)",
}


def check_rule(rule: str, lang: str) -> str:
    return RULES_KO.get(rule, rule) if lang == "ko" else rule


def check_detail(rule: Any, lang: str) -> str:
    """A check rule's detail in ``lang`` (English: its message as the library wrote it)."""
    if lang != "ko" or rule.detail not in DETAILS_KO:
        return str(rule.message)
    params = dict(rule.params)
    if "why" in params:
        params["why_text"] = DETAILS_KO.get(params["why"], rule.message).format(**params)
    return DETAILS_KO[rule.detail].format(**params)


def default_lang(headers: Iterable[str]) -> str:
    """Korean when any column header holds Hangul, else English."""
    return "ko" if any(HANGUL.search(str(h)) for h in headers) else "en"


# ---------------------------------------------------------------- Korean particles

#: particle pairs: (after a final consonant, after a vowel)
JOSA_PAIRS: dict[str, tuple[str, str]] = {
    "은/는": ("은", "는"),
    "이/가": ("이", "가"),
    "을/를": ("을", "를"),
    "과/와": ("과", "와"),
    "으로/로": ("으로", "로"),
}
#: how a final digit is read (영, 일, 이, 삼, 사, 오, 육, 칠, 팔, 구): its final consonant,
#: "" for none, "ㄹ" for rieul (which takes 로, not 으로)
_DIGIT_FINAL = {
    "0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ", "7": "ㄹ",
    "8": "ㄹ", "9": "",
}  # fmt: skip
#: letter names that end in a consonant when an upper-case word (an acronym) is read letter
#: by letter: L 엘, M 엠, N 엔, R 알
_LETTER_FINAL = {"L": "ㄹ", "M": "ㅁ", "N": "ㄴ", "R": "ㄹ"}
#: closing quotes, brackets and marks a particle skips over to the word
_CLOSERS = "'\"’”)]}>」』）】〉》…. "
#: the 28 final consonants of a Hangul syllable, by (code - 0xAC00) % 28 (0: none)
_JONGSEONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def final_consonant(word: str) -> str | None:
    """The final consonant of ``word`` as a Korean reads it aloud: ``""`` for a vowel,
    ``"ㄹ"`` for rieul, another jamo for the rest, None when it cannot be told.

    Hangul syllables by their code point ((code - 0xAC00) % 28 is the final consonant);
    a digit as it is read (0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구);
    Latin letters by a small rule: an upper-case word is read letter by letter (L, M, N, R
    end in a consonant: 엘, 엠, 엔, 알), a lower-case word ends in a consonant after l, m,
    n (and ng: ``bl`` 블 aside, English words ending so are read with a final consonant),
    in a vowel otherwise. Closing quotes and brackets are skipped.
    """
    w = word.rstrip(_CLOSERS)
    if not w:
        return None
    ch = w[-1]
    code = ord(ch)
    if 0xAC00 <= code <= 0xD7A3:
        return _JONGSEONG[(code - 0xAC00) % 28].strip()
    if ch in _DIGIT_FINAL:
        return _DIGIT_FINAL[ch]
    if ch.isascii() and ch.isalpha():
        if ch.isupper():
            return _LETTER_FINAL.get(ch, "")
        if w.lower().endswith("ng"):
            return "ㅇ"
        return {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ"}.get(ch, "")
    return None


def josa(word: str, pair: str) -> str:
    """The particle of ``pair`` (``"은/는"``, ``"이/가"``, ``"을/를"``, ``"과/와"``,
    ``"으로/로"``) that follows ``word``: the first after a final consonant, the second after
    a vowel; ``으로/로`` takes 로 after ㄹ too. A word that cannot be read (a symbol) takes
    the vowel form.

    >>> josa("만족도", "은/는"), josa("응답", "이/가"), josa("'Q5'", "을/를")
    ('는', '이', '를')
    >>> josa("서울", "으로/로"), josa("매장", "으로/로")
    ('로', '으로')
    """
    if pair not in JOSA_PAIRS:
        raise ValueError(f"unknown particle pair {pair!r}: one of {', '.join(JOSA_PAIRS)}")
    after_consonant, after_vowel = JOSA_PAIRS[pair]
    final = final_consonant(word)
    if not final or (pair == "으로/로" and final == "ㄹ"):
        return after_vowel
    return after_consonant


# ---------------------------------------------------------------- notes


def _columns(cols: Sequence[Any], limit: int = 4) -> str:
    from csitool.errors import quote

    shown = ", ".join(quote(c) for c in cols[:limit])
    if len(cols) > limit:
        shown += f" 외 {len(cols) - limit}개(문항 {len(cols)}개)"
    return shown


def _rows(numbers: Sequence[int]) -> str:
    """``1~2행`` / ``4행`` / ``1, 3행`` (structure.describe_rows in Korean)."""
    nums = [int(n) for n in numbers]
    if len(nums) == 1:
        return f"{nums[0]}행"
    if nums == list(range(nums[0], nums[-1] + 1)):
        return f"{nums[0]}~{nums[-1]}행"
    return ", ".join(str(n) for n in nums) + "행"


def _setting_ko(spelled: str) -> str:
    """A setting as spelled for the caller, with its placeholder in Korean."""
    return re.sub(r"\bCOLUMN\b", "열이름", spelled)


ROLES_KO = {"nps": "NPS", "sat": "전반적 만족도", "attrs": "속성", "weight": "가중치"}


class _KoFormatter(string.Formatter):
    """``str.format`` for the Korean catalogue.

    Conversions: ``!q`` a data value quoted (``'Q5'``), ``!c`` columns (``'A', 'B' 외 3개``),
    ``!l`` values quoted and joined (``없음`` when none), ``!r`` row numbers (``1~2행``),
    ``!s`` a setting as spelled, ``!o`` a role. A spec ending in a particle pair (``이/가``)
    appends the particle that fits the formatted value. Phrases among the values are said
    in Korean; lists are joined with ``, `` (phrases with ``; ``).
    """

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        from csitool.errors import quote

        if conversion == "q":
            return quote(value)
        if conversion == "c":
            return _columns(list(value))
        if conversion == "l":
            return ", ".join(quote(v) for v in value) or "없음"
        if conversion == "r":
            return _rows(list(value))
        if conversion == "s":
            return _setting_ko(str(value))
        if conversion == "o":
            return ROLES_KO.get(str(value), str(value))
        if conversion is None:
            return value
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        pair = next((p for p in JOSA_PAIRS if format_spec.endswith(p)), None)
        if pair is not None:
            format_spec = format_spec[: -len(pair)]
        out = self._plain(value, format_spec)
        return out + josa(out, pair) if pair else out

    def _plain(self, value: Any, spec: str) -> str:
        from csitool.notes import Phrase

        if isinstance(value, Phrase):
            return note_text(value, "ko")
        if isinstance(value, list | tuple):
            if value and all(isinstance(v, Phrase) for v in value):
                return "; ".join(note_text(v, "ko") for v in value)
            return ", ".join(self._plain(v, spec) for v in value)
        return format(value, spec)


_KO = _KoFormatter()


def note_text(note: str, lang: str) -> str:
    """A note (or any :class:`~csitool.notes.Phrase`: a scale's evidence, an impact note)
    in ``lang``.

    English is the note itself. Korean fills the template of the note's key (``code`` or
    ``code.form``) in :data:`NOTES_KO` with its ``params``; a plain string, a note without
    a Korean template or one whose parameters do not fit it is said in English.
    """
    from csitool.notes import Phrase

    if lang != "ko" or not isinstance(note, Phrase) or note.key not in NOTES_KO:
        return str.__str__(note)
    try:
        return korean_note(note)
    except (KeyError, IndexError, ValueError, TypeError):
        return note.message


def korean_note(note: Phrase) -> str:
    """``note`` in Korean; KeyError when its key has no template or its parameters lack
    one the template names (:func:`note_text` falls back to English instead)."""
    return _KO.vformat(NOTES_KO[note.key], (), note.params)


def quality_text(quality: Mapping[str, Any], lang: str) -> str:
    """The line on what was left out and why (``quality`` as ``Ledger.to_dict()``)."""
    from csitool.render import fmt

    excluded: Mapping[str, int] = quality.get("excluded", {})
    n_rows = fmt.count(quality["n_rows"])
    if lang == "ko":
        if not excluded:
            return f"{n_rows}행을 모두 사용했습니다. 제외한 값이 없습니다."
        parts = [f"{reason_text(k, lang)} {n:,}건" for k, n in excluded.items()]
        return (
            f"전체 {n_rows}행 중 제외: "
            + "; ".join(parts)
            + " (행별 목록은 --show-excluded로 볼 수 있습니다)."
        )
    if not excluded:
        return f"All {n_rows} rows used; nothing left out."
    parts = [f"{n:,} {reason_text(k, lang)}" for k, n in excluded.items()]
    return (
        f"Left out of {n_rows} rows: " + "; ".join(parts) + " (--show-excluded lists them by row)."
    )


#: where a scale came from, in Korean
SCALE_SOURCES_KO = {
    "answers": "응답 분포",
    "battery": "문항 묶음",
    "labels": "값 레이블",
    "wording": "질문 문구",
    "config": "설정 파일",
    "nps": "NPS 문항",
}
CONFIDENCE_KO = {"high": "높음", "medium": "보통", "low": "낮음"}


def scale_text(scale: Any, lang: str = "en") -> str:
    """``1-5 (answers)``, plus ``reversed``, ``0 = n/a`` and ``low confidence`` when so
    (``scale`` a :class:`~csitool.survey.model.Scale`)."""
    from csitool.render import fmt

    ko = lang == "ko"
    source = SCALE_SOURCES_KO.get(scale.source, scale.source) if ko else scale.source
    parts = [f"{scale.key} ({source})"]
    if scale.reversed:
        parts.append("역코딩" if ko else "reversed")
    if scale.na_codes:
        codes = ", ".join(fmt.value(v) for v in scale.na_codes)
        parts.append(f"{codes} = 해당 없음" if ko else f"{codes} = n/a")
    if scale.confidence != "high":
        level = scale.confidence
        parts.append(f"신뢰도 {CONFIDENCE_KO.get(level, level)}" if ko else f"{level} confidence")
    return "; ".join(parts)


def evidence_text(scale: Any, lang: str = "en") -> str:
    """The evidence a scale was decided on, as one line in ``lang``."""
    return "; ".join(note_text(e, lang) for e in scale.evidence)


#: Korean sentences of the notes, by key (``code`` or ``code.form``; see
#: :class:`csitool.notes.Phrase`), filled by :class:`_KoFormatter`. Every code used in the
#: code base has one (``tests/test_i18n_notes.py``).
NOTES_KO: dict[str, str] = {
    # reading the file (io)
    "long_format": (
        "긴 형식(응답 하나당 한 행) 파일을 응답자별로 펼쳤습니다: {before:,}행 → 응답자 "
        "{after:,}명({key!q} 기준) × 문항 {n_questions}개({codes}), 문항 코드는 {question!q}, "
        "응답은 {answer!q} 열에서 읽었습니다. 응답자의 다른 열({attributes!l})은 그 응답자의 "
        "모든 행에서 같습니다. 행 번호는 파일의 줄이 아니라 응답자가 처음 나온 순서입니다"
    ),
    "engine_pandas.encoding": (
        "메모리로 읽었습니다: CSV가 {mb:,}MB로 DuckDB가 세는 기준"
        "([engine] csv_threshold_mb = {threshold:g})을 넘지만, "
        "인코딩이 {detail}이라 DuckDB가 읽지 못합니다. "
        "UTF-8로 저장하세요(엑셀: 다른 이름으로 저장 > CSV UTF-8)"
    ),
    "engine_pandas.mixed": (
        "메모리로 읽었습니다: CSV가 {mb:,}MB로 DuckDB가 세는 기준"
        "([engine] csv_threshold_mb = {threshold:g})을 넘지만, "
        "UTF-8 파일에 다른 인코딩의 셀이 몇 개 있어 csitool이 고쳐 읽습니다. "
        "UTF-8로 다시 저장하세요"
    ),
    "engine_pandas.layout": (
        "메모리로 읽었습니다: CSV가 {mb:,}MB로 DuckDB가 세는 기준"
        "([engine] csv_threshold_mb = {threshold:g})을 넘지만, "
        "{detail} 내보내기 파일이라 csitool이 그 플랫폼의 규칙으로 읽습니다"
    ),
    "engine_pandas.header_rows": (
        "메모리로 읽었습니다: CSV가 {mb:,}MB로 DuckDB가 세는 기준"
        "([engine] csv_threshold_mb = {threshold:g})을 넘지만, "
        "머리글이 {detail}행입니다(열 이름 위에 그룹 머리글 행)"
    ),
    "engine_pandas.trimmed": (
        "메모리로 읽었습니다: CSV가 {mb:,}MB로 DuckDB가 세는 기준"
        "([engine] csv_threshold_mb = {threshold:g})을 넘지만, "
        "줄 끝에 빈 칸이 길게 이어져 csitool이 그 열을 읽지 않습니다"
    ),
    "engine_pandas.long": (
        "메모리로 읽었습니다: CSV가 {mb:,}MB로 DuckDB가 세는 기준"
        "([engine] csv_threshold_mb = {threshold:g})을 넘지만, "
        "긴 형식(응답 하나당 한 행)이라 csitool이 응답자별로 펼칩니다"
    ),
    "engine_pandas.line_endings": (
        "메모리로 읽었습니다: CSV가 {mb:,}MB로 DuckDB가 세는 기준"
        "([engine] csv_threshold_mb = {threshold:g})을 넘지만, "
        "옛 맥 파일처럼 줄 끝이 캐리지 리턴뿐입니다"
    ),
    "engine_pandas.duckdb": (
        "메모리로 읽었습니다: CSV가 {mb:,}MB로 DuckDB가 세는 기준"
        "([engine] csv_threshold_mb = {threshold:g})을 넘지만, "
        "DuckDB가 읽지 못했습니다({detail})"
    ),
    "header_row.asked": "머리글을 {row}행에서 읽었습니다(지정한 대로)",
    "header_row.asked_line": "머리글을 {row}번째 줄에서 읽었습니다(지정한 대로)",
    "header_row.found": "머리글을 {row}행에서 찾았습니다",
    "header_row.skipped": (
        "머리글을 {row}행에서 찾았고, 그 위의 {skipped!r:은/는} 제목이나 안내로 보고 건너뛰었습니다"
    ),
    "header_row.unsure": (
        "머리글을 {row}행에서 찾았고, 그 위의 {skipped!r:은/는} 제목이나 안내로 보고 "
        "건너뛰었습니다. {next}행도 머리글처럼 보입니다: 열 이름이 다른 행에 있다면 "
        "{setting!s}(또는 [read] header_row)로 지정하세요"
    ),
    "header_merged": (
        "{group_row}행에 머리글 위의 묶음 이름({groups})이 있습니다: 열 이름은 {row}행에서 "
        "읽고, 각 열의 묶음 이름은 문항 묶음을 판단하는 단서로 사용합니다"
    ),
    "sheet_chosen.empty_before": "앞의 시트가 비어 있어 {sheet!q} 시트를 읽었습니다",
    "sheet_chosen.passed": (
        "{sheet!q} 시트를 읽었습니다: {passed}. 다른 시트를 읽으려면 {setting!s:을/를} 지정하세요"
    ),
    "sheet_skipped.empty": "{sheet!q} 시트는 비어 있음",
    "sheet_skipped.cover": "{sheet!q} 시트는 표지로 보임({reason})",
    "cover_reason.name": "시트 이름과 크기: {rows}행, {cols}열",
    "cover_reason.narrow": "{rows}행, {cols}열",
    "cover_reason.long_text": "{rows}행, {cols}열, 대부분 긴 글",
    "columns_trimmed.sheet": (
        "{sheet!q} 시트: {keep}번째 열 뒤의 빈 열 {blank:,}개(처음 {rows}행에서 비어 있음)는 "
        "읽지 않았습니다"
    ),
    "columns_trimmed.lines": (
        "{keep}번째 열 뒤의 빈 열 {blank:,}개(처음 {rows}줄에서 비어 있음)는 읽지 않았습니다"
    ),
    "encoding_mixed.cp949": (
        "UTF-8 파일이지만 {lines}번째 줄의 셀 {count}개는 UTF-8이 아니어서 CP949(한글 엑셀)로 "
        "읽었습니다. 이 셀들을 확인하세요. 파일 전체를 한 인코딩으로 읽으려면 {cp949!s} 또는 "
        "{utf8!s:을/를} 지정하세요"
    ),
    "encoding_mixed.replaced": (
        "UTF-8 파일이지만 {lines}번째 줄의 셀 {count}개는 UTF-8이 아니어서 읽을 수 있는 곳은 "
        "CP949(한글 엑셀)로 읽었습니다({replaced}개는 읽지 못해 \ufffd로 표시). 이 셀들을 "
        "확인하세요. 파일 전체를 한 인코딩으로 읽으려면 {cp949!s} 또는 {utf8!s:을/를} "
        "지정하세요"
    ),
    "sub_items_ragged": (
        "2행(하위 문항)이 고르지 않습니다: 문항 셀 {total}개 중 {missing}개가 비어 있어 그 "
        "열들은 1행의 이름만으로 이름을 붙였습니다"
    ),
    "sav_shifted": (
        "{col!q:은/는} {lo:g}~{hi:g}로 코딩되어 있지만 값 레이블은 0~10입니다: "
        "코드 − {shift}로 읽었습니다"
    ),
    "sav_1_to_11": (
        "{col!q:은/는} 1~11로 코딩되어 있지만 값 레이블이 0~10이 아닙니다: 코드를 그대로 "
        "사용하므로 NPS 문항이라면 11은 범위 밖입니다(다시 코딩하거나 코드에 0~10 레이블을 "
        "붙이세요)"
    ),
    "sav_missing": ("{col!q}: 사용자 결측 코드 {codes:은/는} 모름/해당 없음으로 보고 제외했습니다"),
    # roles and scales (survey)
    "partial_kept": (
        "미완료 응답 {n}건을 포함했습니다(플랫폼이 미완료로 표시한 응답). 제외하려면 "
        "{setting!s:을/를} 지정하세요"
    ),
    "nps_group": (
        "{col!q}의 고객 구분이 {base!q} 점수로 계산한 구분과 {n}개 행에서 다릅니다({rows!r}); "
        "점수로 계산한 구분을 사용했습니다"
    ),
    "role_dirty": (
        "{col!q}에 잘못된 셀이 {n}개 있지만 {role!o} 문항으로 사용했습니다({rows}행{more}). "
        "잘못된 셀은 제외했습니다"
    ),
    "role_dirty.counted": (
        "{col!q}에 잘못된 셀이 {n:,}개 있지만 {role!o} 문항으로 사용했습니다. "
        "잘못된 셀은 제외했습니다"
    ),
    "nps_scale": (
        "{col!q}에는 응답 {n:,}개 중 0점이 하나도 없습니다: 척도가 0~10이 아니라 1~10이라면 "
        "NPS 기준(0~6 / 7~8 / 9~10)이 맞지 않습니다"
    ),
    "not_an_item": "평가 문항으로 계산하지 않은 열: {parts}",
    "not_an_item_part": "{columns!c}: {why}",
    "why_not_item.categories": "범주(명목) 변수",
    "why_not_item.unit": "단위가 있는 숫자(나이, 금액, 시간, 개수)",
    "why_not_item.binary": "응답이 두 가지뿐(이분형)",
    "why_not_item.decimals": "소수가 있는 숫자(측정값이나 점수)",
    "why_not_item.beyond": "0~10을 넘는 숫자(개수, 금액, 코드)",
    "why_not_item.importance": "중요도 평가(만족도 속성이 아님)",
    "why_not_item.model_output": "모델이 만든 예측값(열 이름으로 판단)",
    # why a column has no role (inspect)
    "no_role.nps_group": "플랫폼이 만든 {col!q}의 NPS 고객 구분(점수와 대조함)",
    "no_role.meta": "플랫폼 메타데이터",
    "no_role.empty": "빈 열",
    "no_role.date": "다른 날짜 열",
    "no_role.text": "주관식 응답(다른 의견 열)",
    "no_role.outcome": "결과 문항(충성도·의향): 속성이 아님",
    "no_role.importance": "중요도 평가: 만족도 속성이 아님",
    "no_role.model_output": "모델이 만든 예측값(열 이름으로 판단): 응답이 아님",
    "no_role.importance_of": "{item!q}의 중요도 평가: 만족도 속성이 아님",
    "no_role.categories": "범주(명목) 변수: 평가 문항이 아님",
    "no_role.unit": "단위가 있는 숫자(나이, 금액, 시간, 개수): 평가 척도가 아님",
    "no_role.binary": "응답이 두 가지뿐(이분형): 평가 척도가 아님",
    "no_role.rising": "행마다 커지는 숫자(행 번호나 응답자 번호): 평가 척도가 아님",
    "no_role.decimals": "소수가 있는 숫자(측정값이나 점수): 평가 척도가 아님",
    "no_role.beyond": "0~10을 넘는 숫자(개수, 금액, 코드): 평가 척도가 아님",
    "no_role.not_chosen": "{setting!s} / [roles] attrs 설정에서 고르지 않은 평가 문항",
    "no_role.numbers": "평가 척도가 아닌 숫자",
    "no_role.text_other": "역할을 찾지 못한 텍스트",
    "reversed.config": (
        "{columns!c}: [scales] reverse 설정에 따라 역코딩했습니다(높을수록 좋게 다시 코딩)"
    ),
    "reversed.auto": (
        "{columns!c}: 가장 낮은 코드가 가장 좋은 응답입니다({evidence}). 높을수록 좋도록 "
        "{value:g} − 값으로 다시 코딩했습니다"
    ),
    "reversed_conflict": (
        "{columns!c}: 값 레이블과 질문 문구가 어느 쪽 끝이 좋은 응답인지 서로 다르게 "
        "말합니다. 값 레이블을 따랐습니다"
    ),
    "zero_as_na.unlabelled": (
        "{columns!c}: 레이블이 붙은 척도 {lo:g}~{hi:g}보다 낮은 0 응답은 해당 없음으로 보고 "
        "제외했습니다"
    ),
    "zero_as_na.labelled": (
        "{columns!c}: 0 응답은 값 레이블에 따라 해당 없음으로 보고 제외했습니다"
    ),
    "zero_as_na.wording": (
        "{columns!c}: {lo:g}~{hi:g}점 척도의 0 응답은 해당 없음으로 보고 제외했습니다"
    ),
    "zero_as_na.answers": (
        "{columns!c}: 0 응답은 척도 점수가 아니라 해당 없음으로 보고 제외했습니다({why})"
    ),
    "zero_why.battery": "같은 문항 묶음의 다른 문항에는 0 응답이 없음",
    "zero_why.file": "파일의 다른 평가 문항(1점부터 시작하는 척도)에는 0 응답이 없음",
    "zero_why.rare": "0 응답이 드묾: 응답 {total}개 중 {zeros}개",
    "zero_why.apart": "0 응답({zeros}개)이 1점과 2점보다 많아 척도와 떨어져 있음",
    "scale_top_unused.wording": (
        "{columns!c}: 질문 문구는 {lo:g}~{hi:g}점이지만 {hi:g}점에 이른 응답이 없습니다"
    ),
    "scale_top_unused.answers": (
        "{columns!c}: {lo:g}~{hi:g}로 판단했지만 {hi:g}점에 이른 응답이 없습니다(최고 {top:g}점). "
        "척도가 더 짧다면 [scales]로 고정하세요"
    ),
    "scale_mixed": (
        "{columns!c}: 이 문항의 응답은 {own_lo:g}~{own_hi:g}에 맞지만 문항 묶음의 응답은 "
        "{lo:g}~{hi:g}에 맞습니다. {own_lo:g}~{own_hi:g}로 판단했습니다"
    ),
    "scale_battery": (
        "{columns!c}: 이 문항의 응답이 양 끝에 닿지 않아 문항 묶음의 척도 {lo:g}~{hi:g}로 "
        "판단했습니다"
    ),
    "scale_inferred.unfit": (
        "{columns!c}: 응답의 98%를 담는 흔한 척도가 없어 {lo:g}~{hi:g}로 판단했습니다"
    ),
    "scale_inferred.few": (
        '{columns!c}: 응답 {n:,}개만 보고 {lo:g}~{hi:g}로 판단했습니다. [scales] "열이름" = '
        "[최소, 최대]로 고정하세요"
    ),
    "scale_inferred.short": (
        "{columns!c}: {points:g}점 척도({lo:g}~{hi:g})로 판단했습니다. 응답 {n:,}개 중 {hi:g}점을 "
        "넘는 값이 없습니다"
    ),
    # scale evidence
    "evidence.value_labels": "값 레이블 {lo:g}~{hi:g}",
    "evidence.end_labels": "레이블 {lo:g} = {lo_label!q}, {hi:g} = {hi_label!q}",
    "evidence.unlabelled_zero": "레이블 없는 0 응답 {n}개 = 해당 없음",
    "evidence.wording_ends": "질문 문구에 양 끝의 뜻이 나옴",
    "evidence.config": "csitool.toml 설정",
    "evidence.text_labels": "글로 된 응답을 1~5로 바꿈",
    "evidence.wording_range": "질문 문구상 {lo:g}~{hi:g}",
    "evidence.zero_na": "0 응답 {n}개 = 해당 없음",
    "evidence.battery": "문항 {k}개 묶음, 응답 {n:,}개",
    "evidence.answers": "응답 {n:,}개",
    "evidence.reverse_config": "[scales] reverse로 역코딩",
    "evidence.nps": "NPS 문항: 0~10",
    # statistics
    "no_nps": "NPS 문항을 찾지 못했습니다: {setting!s} 또는 [roles] nps 설정으로 지정하세요",
    "no_nps.zero_ten": (
        "문항 문구로 NPS 문항을 찾지 못했습니다. {columns!c:은/는} 0~10점 문항이라 속성으로 "
        "계산했습니다: 추천 의향을 묻는 문항이면 {setting!s} 또는 [roles] nps 설정으로 지정하세요"
    ),
    "no_sat": (
        "전반적 만족도 문항이 없습니다: 만족 단계를 보려면 {setting!s} 또는 [roles] sat 설정으로 "
        "지정하세요"
    ),
    "drivers_few_rows": (
        "속성 {k}개에 완전한 응답 행이 {n}개뿐입니다(속성당 10개 미만): 추정치가 불안정합니다"
    ),
    "impact_skipped": "{col}: {parts}",
    "impact_note": "{parts}",
    "impact.penalty_collinear": "불만 영향을 추정하지 않음: 다른 항과 공선성이 있음",
    "impact.reward_collinear": "감동 영향을 추정하지 않음: 다른 항과 공선성이 있음",
    "impact.middle": "중간 응답이 {n}개뿐입니다(기준 집단; {need}개 필요)",
    "impact.penalty": "불만 영향을 추정하지 않음: 낮게 평가한 응답이 {n}개({need}개 필요)",
    "impact.reward": "감동 영향을 추정하지 않음: 최고점 응답이 {n}개({need}개 필요)",
    "voc_no_scores": (
        "NPS 문항과 만족도 문항이 없습니다: 주제의 언급 수만 세고 점수와 연결하지 않았습니다"
    ),
    "wave_columns": "{wave!q} 차수에는 다른 차수에 있는 열이 없습니다: {missing}",
    "voc_lexicon": "감정은 키워드 사전으로 판단했습니다(감정 모형 파일을 찾지 못함)",
    "voc_no_kiwi": (
        "한국어 형태소 분석기(Kiwi)가 설치되지 않아 한국어 키워드를 어절 시작에서만 "
        "찾았습니다(통화대기 같은 복합어는 놓침). 설치하면 복합어 안에서도 찾습니다"
    ),
}
