"""Notes in Korean: every note code has a Korean sentence, the sentences fit the parameters
their creation sites pass, notes read from real files come out in Korean, and particles
follow the final consonant of the word before them."""

from __future__ import annotations

import ast
import pickle
import re
import string
from pathlib import Path

import pytest

import csitool
from csitool.notes import Note, Phrase, info, phrase, warning
from csitool.render.i18n import (
    NOTES_KO,
    REASONS_KO,
    josa,
    korean_note,
    note_text,
    quality_text,
    scale_text,
)
from csitool.survey.model import REASON_TEXT, Scale

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "csitool"
MAKERS = {"info", "warning", "phrase", "Note", "Phrase"}


# ---------------------------------------------------------------- the sites in the source


def _forms(node: ast.expr, where: str) -> list[str]:
    """The constant values a ``form=`` expression can take."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _forms(node.body, where) + _forms(node.orelse, where)
    text = ast.unparse(node)
    if text == "WHY_NOT_ITEM.get(why)":
        from csitool.survey.build import WHY_NOT_ITEM

        return list(WHY_NOT_ITEM.values())
    if text == "why" and "engine.py" in where:
        from csitool.survey.engine import CSV_REASONS

        return list(CSV_REASONS)
    raise AssertionError(f"{where}: form={text} is not a constant the test can read")


def note_sites(makers: set[str] = MAKERS) -> list[tuple[str, str, set[str], bool]]:
    """Every note or phrase made in the source with a literal code: (where, key, the
    parameters passed, whether more come through ``**params``)."""
    sites = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name not in makers or not node.args:
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue  # a note passed on (merged_notes, _rebuild)
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            named = {k.arg for k in node.keywords if k.arg is not None}
            spread = any(k.arg is None for k in node.keywords)
            params = named - {"form", "params", "level", "column"}
            form = next((k.value for k in node.keywords if k.arg == "form"), None)
            forms = _forms(form, where) if form is not None else [""]
            for f in forms:
                key = f"{first.value}.{f}" if f else first.value
                sites.append((where, key, params, spread))
    return sites


SITES = note_sites()


def test_the_source_makes_notes_with_codes():
    # the walk finds the sites (a walk that finds nothing would pass every test below)
    keys = {key for _, key, _, _ in SITES}
    assert {"header_row.asked", "zero_as_na.answers", "role_dirty", "not_an_item"} <= keys
    assert len(SITES) > 50


#: ``as_note`` wraps a plain string as code ``note``: it has no parameters to say otherwise
PLAIN = {"note"}


def test_every_note_code_in_the_source_has_a_korean_sentence():
    missing = sorted(
        {
            f"{where}: {key}"
            for where, key, _, spread in SITES
            if key not in NOTES_KO and not spread and key not in PLAIN
        }
    )
    assert not missing, "no Korean template in render/i18n.py NOTES_KO for:\n" + "\n".join(missing)


def test_no_korean_sentence_for_a_code_nobody_makes():
    made = {key for _, key, _, _ in SITES}
    assert sorted(set(NOTES_KO) - made) == []


def _fields(template: str) -> set[str]:
    return {
        re.split(r"[.\[]", name)[0]
        for _, name, _, _ in string.Formatter().parse(template)
        if name is not None
    }


def test_korean_sentences_name_only_parameters_their_sites_pass():
    problems = []
    for where, key, params, spread in SITES:
        if spread or key not in NOTES_KO:
            continue
        # scale notes are merged by column: merged_notes adds ``columns``
        extra = {"columns"} if "survey/scales.py" in where else set()
        lacking = _fields(NOTES_KO[key]) - params - extra
        if lacking:
            problems.append(f"{where}: {key} lacks {sorted(lacking)}")
    assert not problems, "\n".join(problems)


def test_korean_sentences_have_no_english_words_of_their_own():
    # the template without its fields and the setting names it cites ([scales] reverse)
    allowed = {"NPS", "CSI", "UTF", "CP949", "csitool", "toml", "Kiwi", "CSV", "DuckDB", "MB"}
    for key, template in NOTES_KO.items():
        bare = re.sub(r"\{[^}]*\}", " ", template)
        bare = re.sub(r"\[\w+\]( [\w.\"]+)?", " ", bare)
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", bare)) - allowed
        assert not words, f"{key}: {sorted(words)}"


def test_korean_sentences_never_write_both_particles():
    for key, template in NOTES_KO.items():
        assert not re.search(r"\((은|는|이|가|을|를|과|와|으로|로)\)", template), key


# ---------------------------------------------------------------- notes from real files

#: words that may stay in Latin letters in a Korean note: measures, encodings, units
ALLOWED = {"NPS", "CSI", "CI", "n", "p", "UTF", "CP949", "csitool", "toml", "ufffd"}
FILES = sorted(
    [*ROOT.glob("sample_data/*.xlsx"), *ROOT.glob("sample_data/*.csv")]
    + [p for p in (ROOT / "tests/data/messy").iterdir() if p.suffix in {".csv", ".xlsx", ".sav"}]
)


def _data_words(value: object) -> list[str]:
    """The text of a parameter (a column, a value, a setting): data, not language."""
    if isinstance(value, Phrase):
        return [w for v in value.params.values() for w in _data_words(v)]
    if isinstance(value, list | tuple):
        return [w for v in value for w in _data_words(v)]
    if isinstance(value, str):
        return [value] if value.strip() else []
    return []


def latin_words(text: str, note: Phrase) -> list[str]:
    """Latin words of ``text`` other than the data the note carries, settings (``--sheet``,
    ``[read] header_row``, ``sheet=``) and :data:`ALLOWED` tokens."""
    for data in sorted(_data_words(note), key=len, reverse=True):
        text = text.replace(repr(data), " ").replace(data, " ")
    text = re.sub(r"\[\w+\]( [\w.\"]+)?", " ", text)  # [read] header_row, [scales] reverse
    text = re.sub(r"--[\w-]+|\b\w+=", " ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text) if w not in ALLOWED]


def _phrases_of(survey) -> list[Phrase]:
    out = [n for n in survey.notes if isinstance(n, Phrase)]
    for sc in survey.scales.values():
        out.extend(e for e in sc.evidence if isinstance(e, Phrase))
    out.extend(why for why in survey.roles.other.values() if isinstance(why, Phrase))
    return out


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, Phrase]]:
    found = []
    for path in FILES:
        survey = csitool.load(path)
        found.extend((path.name, n) for n in _phrases_of(survey))
        result = csitool.score(survey)
        found.extend((path.name, n) for n in result.notes if n not in survey.notes)
    return found


def test_the_corpus_gives_many_kinds_of_notes(corpus):
    keys = {n.key for _, n in corpus}
    assert len(keys) >= 20, sorted(keys)
    assert {"no_role.outcome", "evidence.nps", "header_row.skipped"} <= keys


def test_every_note_read_from_the_corpus_is_said_in_korean(corpus):
    problems = []
    for name, note in corpus:
        try:
            korean = korean_note(note)
        except KeyError as exc:
            problems.append(f"{name}: {note.key}: no template or parameter {exc}")
            continue
        if note_text(note, "ko") != korean:
            problems.append(f"{name}: {note.key}: note_text falls back to English")
        if not re.search(r"[\uac00-\ud7a3]", korean):
            problems.append(f"{name}: {note.key}: no Korean in {korean!r}")
        words = latin_words(korean, note)
        if words:
            problems.append(f"{name}: {note.key}: English words {words} in {korean!r}")
        if re.search(r"\((은|는|이|가|을|를)\)", korean):
            problems.append(f"{name}: {note.key}: both particles in {korean!r}")
    assert not problems, "\n".join(problems)


def test_no_plain_string_notes_are_left(corpus):
    assert [(name, str(n)) for name, n in corpus if n.code in PLAIN] == []


def test_english_is_the_note_itself(corpus):
    for _, note in corpus:
        assert note_text(note, "en") == note.message


def test_a_korean_note_reads_as_written():
    # hand-written expectations: the particle after a quoted Korean column (추천의향: 향 has
    # final ㅇ, so 이 is not used here but the location particle 에 is fixed text)
    note = info(
        "role_dirty",
        "'추천의향' is the nps item although 3 cell(s) are invalid (row 80, 256, 582); "
        "they are left out",
        "추천의향",
        col="추천의향",
        role="nps",
        n=3,
        rows="80, 256, 582",
        more="",
    )
    assert note_text(note, "ko") == (
        "'추천의향'에 잘못된 셀이 3개 있지만 NPS 문항으로 사용했습니다(80, 256, 582행). "
        "잘못된 셀은 제외했습니다"
    )
    merged = warning(
        "scale_mixed", "…", None, own_lo=1.0, own_hi=4.0, lo=1.0, hi=5.0,
        columns=["a", "b", "c", "d", "e", "f"],
    )  # fmt: skip
    assert note_text(merged, "ko").startswith("'a', 'b', 'c', 'd' 외 2개(문항 6개): ")
    assert "1~4에 맞지만 문항 묶음의 응답은 1~5에 맞습니다" in note_text(merged, "ko")


def test_the_particle_follows_the_value():
    # sav_missing: '{codes:은/는}'; 9 is read 구 (no final consonant), 8 is read 팔 (ㄹ)
    nine = info("sav_missing", "…", "q", col="q", codes="9")
    eight = info("sav_missing", "…", "q", col="q", codes="8, 9, 98")
    assert "코드 9는 " in note_text(nine, "ko")
    assert "코드 8, 9, 98은 " in note_text(eight, "ko")
    # header_row.skipped: rows end in 행 (final ㅇ) -> 은
    skipped = info("header_row", "…", form="skipped", row=4, skipped=[1, 3])
    assert note_text(skipped, "ko") == (
        "머리글을 4행에서 찾았고, 그 위의 1, 3행은 제목이나 안내로 보고 건너뛰었습니다"
    )
    cli = info("partial_kept", "…", n=2, setting="--complete-only")
    api = info("partial_kept", "…", n=2, setting="complete_only=True")
    assert note_text(cli, "ko").endswith("--complete-only를 지정하세요")  # y: a vowel
    assert note_text(api, "ko").endswith("complete_only=True를 지정하세요")  # e: a vowel


def test_a_note_without_a_template_or_with_missing_parameters_falls_back_to_english():
    assert note_text(info("no_such_code", "plain"), "ko") == "plain"
    assert note_text(info("role_dirty", "english", "x"), "ko") == "english"  # no params
    assert note_text("a plain string", "ko") == "a plain string"
    with pytest.raises(KeyError):
        korean_note(info("no_such_code", "plain"))


def test_nested_phrases_are_said_in_korean():
    why = phrase("zero_why", "0 is rare (3 of 300 answers)", form="rare", zeros=3, total=300)
    note = warning("zero_as_na", "…", "q", form="answers", why=why, columns=["q"])
    assert note_text(note, "ko") == (
        "'q': 0 응답은 척도 점수가 아니라 해당 없음으로 보고 제외했습니다"
        "(0 응답이 드묾: 응답 300개 중 3개)"
    )


def test_params_survive_pickling():
    note = warning("header_row", "text", "c", form="unsure", row=2, skipped=[1])
    back = pickle.loads(pickle.dumps(note))
    assert isinstance(back, Note)
    assert (back.code, back.level, back.column, back.message, back.params) == (
        "header_row", "warning", "c", "text", {"form": "unsure", "row": 2, "skipped": [1]},
    )  # fmt: skip
    bit = pickle.loads(pickle.dumps(phrase("evidence", "12 answers", form="answers", n=12)))
    assert isinstance(bit, Phrase) and bit.key == "evidence.answers" and bit.params["n"] == 12
    assert note.to_dict() == {"code": "header_row", "level": "warning", "column": "c",
                              "message": "text"}  # fmt: skip


# ---------------------------------------------------------------- particles

JOSA_CASES = [
    # word, pair, expected: Hangul by its final consonant
    ("시간", "은/는", "은"),
    ("처리", "은/는", "는"),
    ("'B2. 대기 시간'", "은/는", "은"),
    ("전반적 만족도(1-5점 척도)", "이/가", "가"),
    ("직원", "과/와", "과"),
    ("학교", "으로/로", "로"),
    ("Q3", "은/는", "은"),  # 삼
    ("Q2", "은/는", "는"),  # 이
    ("item", "이/가", "이"),  # 엠
    ("NPS", "은/는", "는"),  # 에스
    ("", "이/가", "가"),  # nothing to read: the vowel form
    ("만족도", "은/는", "는"),
    ("응답", "은/는", "은"),
    ("점수", "이/가", "가"),
    ("문항", "이/가", "이"),
    ("척도", "을/를", "를"),
    ("행", "을/를", "을"),
    ("가격", "과/와", "과"),
    ("배송", "과/와", "과"),
    ("서비스", "과/와", "와"),
    ("매장", "으로/로", "으로"),
    ("서울", "으로/로", "로"),  # ㄹ takes 로
    ("나라", "으로/로", "로"),
    # closing quotes and brackets are skipped
    ("'추천의향'", "이/가", "이"),
    ("'만족도'", "이/가", "가"),
    ("종합(5점)", "을/를", "을"),
    ("「가격」", "은/는", "은"),
    # digits as read: 0 영 1 일 2 이 3 삼 4 사 5 오 6 육 7 칠 8 팔 9 구
    ("10", "을/를", "을"),
    ("1", "으로/로", "로"),
    ("2", "을/를", "를"),
    ("3", "이/가", "이"),
    ("4", "은/는", "는"),
    ("5", "을/를", "를"),
    ("6", "으로/로", "으로"),
    ("7", "으로/로", "로"),
    ("8", "과/와", "과"),
    ("9", "이/가", "가"),
    ("'Q5'", "을/를", "를"),
    ("1~7", "으로/로", "로"),
    # Latin: an acronym letter by letter (L 엘, M 엠, N 엔, R 알 end in a consonant)
    ("NPS", "은/는", "는"),
    ("CSI", "이/가", "가"),
    ("ID", "을/를", "를"),
    ("CRM", "을/를", "을"),
    ("VOC", "이/가", "가"),
    ("R", "으로/로", "로"),
    ("--header-row N", "을/를", "을"),
    # a lower-case word: l, m, n and ng end in a consonant
    ("Excel", "으로/로", "로"),
    ("item", "이/가", "이"),
    ("Kim", "과/와", "과"),
    ("column", "은/는", "은"),
    ("ranking", "을/를", "을"),
    ("score", "이/가", "가"),
    ("--sheet", "을/를", "를"),
    ("sheet=", "을/를", "를"),  # nothing to read: the vowel form
]


@pytest.mark.parametrize(("word", "pair", "expected"), JOSA_CASES)
def test_josa(word, pair, expected):
    assert josa(word, pair) == expected


def test_josa_refuses_an_unknown_pair():
    with pytest.raises(ValueError, match="unknown particle pair"):
        josa("문항", "의/에")


# ---------------------------------------------------------------- data quality and scales


def test_every_exclusion_reason_has_korean():
    assert set(REASON_TEXT) <= set(REASONS_KO)


def test_quality_text_in_english_and_korean():
    quality = {"n_rows": 1500, "excluded": {"duplicate_id": 1, "out_of_range": 1234}}
    assert quality_text(quality, "en") == (
        "Left out of 1,500 rows: 1 duplicate id (second and later copies); "
        "1,234 outside the item's scale (--show-excluded lists them by row)."
    )
    assert quality_text(quality, "ko") == (
        "전체 1,500행 중 제외: 중복 ID(두 번째 이후) 1건; 척도 범위 밖 1,234건 "
        "(행별 목록은 --show-excluded로 볼 수 있습니다)."
    )
    clean = {"n_rows": 20, "excluded": {}}
    assert quality_text(clean, "en") == "All 20 rows used; nothing left out."
    assert quality_text(clean, "ko") == "20행을 모두 사용했습니다. 제외한 값이 없습니다."


def test_quality_text_in_korean_has_no_english_for_any_reason():
    quality = {"n_rows": 10, "excluded": dict.fromkeys(REASON_TEXT, 1)}
    said = quality_text(quality, "ko")
    words = set(re.findall(r"[A-Za-z]+", said)) - {"ID", "show", "excluded"}
    assert not words, said


def test_scale_text_in_english_and_korean():
    scale = Scale(1.0, 5.0, "answers", reversed=True, na_codes=(0.0,), confidence="low")
    assert scale_text(scale, "en") == "1-5 (answers); reversed; 0 = n/a; low confidence"
    assert scale_text(scale, "ko") == "1-5 (응답 분포); 역코딩; 0 = 해당 없음; 신뢰도 낮음"
    plain = Scale(0.0, 10.0, "nps")
    assert scale_text(plain, "en") == "0-10 (nps)"
    assert scale_text(plain, "ko") == "0-10 (NPS 문항)"


def test_readme_documents_every_note_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # notes, not the fragments (phrases) inside them
    codes = {key.split(".")[0] for _, key, _, _ in note_sites({"info", "warning", "Note"})}
    assert "header_row" in codes
    assert sorted(c for c in codes if f"`{c}`" not in readme) == []


# ---------------------------------------------------------------- notes of crafted files


def _write(path: Path, header: list[str], rows: list[list[object]], tail: str = "") -> Path:
    lines = [",".join(header) + tail] + [",".join(str(v) for v in r) + tail for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> list[tuple[str, Phrase]]:
    """Notes the sample and the messy corpus do not give, from small files made here."""
    tmp = tmp_path_factory.mktemp("crafted")
    found: list[tuple[str, Phrase]] = []

    def add(name: str, notes: list) -> None:
        found.extend((name, n) for n in notes if isinstance(n, Phrase))

    # an NPS item answered 1-10 only (120 answers), a 1-4 item with 30 answers, a 1-7 item
    # whose top is never answered, 70 blank columns after the table
    rows = [[i, 1 + i % 10, 1 + i % 4, 1 + i % 5, f"좋아요 {i}"] for i in range(120)]
    path = _write(tmp / "few.csv", ["id", "추천의향", "A", "B", "의견"], rows, "," * 70)
    survey = csitool.load(path, attrs=["A", "B"], sat="A")
    add("few.csv", survey.notes)
    add("few.csv", csitool.load(path, header_row=1).notes)
    small = csitool.load(
        _write(tmp / "small.csv", ["id", "A"], [[i, 1 + i % 4] for i in range(30)])
    )
    add("small.csv", small.notes)
    # a UTF-8 file with one CP949 cell
    good = "id,추천의향,의견\n" + "".join(f"{i},{i % 11},친절해요 {i}\n" for i in range(40))
    (tmp / "mixed.csv").write_bytes(good.encode() + b"41,9," + "만족".encode("cp949"))
    add("mixed.csv", csitool.load(tmp / "mixed.csv").notes)
    # drivers on too few rows for its attributes, compare of waves with other columns, voc
    # without scores
    rows = [[i, i % 11, 1 + i % 5, 1 + (i * 7) % 5, 1 + (i * 3) % 5] for i in range(25)]
    drv = csitool.load(
        _write(tmp / "drv.csv", ["id", "추천의향", "x1", "x2", "x3"], rows), attrs=["x*"]
    )
    result = csitool.drivers(drv)
    add("drv.csv", result.notes + result.total.notes)
    other = csitool.load(_write(tmp / "w2.csv", ["id", "추천의향", "y"], [r[:3] for r in rows]))
    add("waves", csitool.compare([drv, other]).notes)
    text_only = _write(
        tmp / "voc.csv", ["id", "의견"], [[i, f"배송이 느려요 {i}"] for i in range(20)]
    )
    add("voc.csv", csitool.voc(csitool.load(text_only), text=["의견"]).notes)
    return found


def test_crafted_files_give_the_rarer_notes(crafted):
    keys = {n.key for _, n in crafted}
    expected = {
        "nps_scale", "columns_trimmed.lines", "header_row.asked_line", "encoding_mixed.cp949",
        "scale_inferred.few", "drivers_few_rows", "impact_skipped", "wave_columns", "voc_no_scores",
    }  # fmt: skip
    assert expected <= keys, sorted(keys)


def test_crafted_notes_are_said_in_korean(crafted):
    problems = []
    for name, note in crafted:
        korean = korean_note(note)
        words = latin_words(korean, note)
        if words or not re.search(r"[\uac00-\ud7a3]", korean):
            problems.append(f"{name}: {note.key}: {words} in {korean!r}")
    assert not problems, "\n".join(problems)
