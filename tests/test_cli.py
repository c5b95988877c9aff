"""The command line: output formats, exit codes and messages (stdout and stderr apart)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT


def test_version(run):
    from csitool import __version__

    r = run("--version")
    assert r.exit_code == 0 and r.stdout.strip() == f"csitool {__version__}"


def test_python_dash_m():
    out = subprocess.run(
        [sys.executable, "-m", "csitool", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("csitool ")


@pytest.mark.parametrize(
    "command", ["score", "drivers", "report", "compare", "voc", "check", "inspect", "init"]
)
def test_every_command_has_help_and_is_documented(run, command):
    r = run(command, "--help")
    assert r.exit_code == 0 and "Usage" in r.stdout
    assert f"csitool {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_score_table(run, data):
    r = run("score", data / "ko_cp949.csv")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    # hand count (tests/data/README.md): 14 promoters, 8 passives, 8 detractors of 30 -> +20.0
    assert "+20.0" in out
    assert "promoters 46.7% · passives 26.7% · detractors 26.7%" in out
    # ladder: 8 very (26.7%), 10 somewhat (33.3%) -> wow gap 8/18 = 44.4%
    assert "very satisfied (5)" in out and "26.7%" in out and "44.4%" in out
    assert "Left out of 30 rows: 1 don't know" in out
    assert "\x1b[" not in out  # NO_COLOR


def test_score_json_schema(run, data):
    r = run("score", data / "ko_cp949.csv", "--format", "json", "--by", "고객유형")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["schema_version"] == 2 and doc["command"] == "score"
    f = doc["files"][0]
    for key in ("path", "n_rows", "quality", "nps", "csi", "ladder", "items", "segments"):
        assert key in f
    assert set(f["nps"]) >= {
        "n",
        "n_eff",
        "promoters",
        "passives",
        "detractors",
        "score",
        "se",
        "ci_low",
        "ci_high",
        "ci_method",
        "low_base",
    }
    assert set(f["csi"]) >= {"score", "ci_low", "ci_high", "method"}
    assert set(f["ladder"]) >= {"very", "somewhat", "neutral", "dissatisfied", "wow_gap"}
    assert set(f["items"][0]) >= {
        "column",
        "scale",
        "n",
        "mean",
        "csi",
        "top_box",
        "top2_box",
        "bottom2_box",
    }
    assert f["nps"]["score"] == pytest.approx(20.0)
    assert f["quality"]["excluded"] == {"dont_know": 1}
    assert [g["value"] for g in f["segments"]["고객유형"]] == ["VIP", "신규", "장기"]
    # tests/data/README.md: VIP 9, 신규 11, 장기 10 -> every segment is a low base (< 30)
    assert all(g["nps"]["low_base"] for g in f["segments"]["고객유형"])
    assert [g["n_rows"] for g in f["segments"]["고객유형"]] == [9, 11, 10]


def test_score_csv_and_markdown(run, data):
    r = run("score", data / "semicolon.csv", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    flat = pd.read_csv(__import__("io").StringIO(r.stdout))
    nps_row = flat[(flat.measure == "nps") & (flat.segment.isna())].iloc[0]
    # tests/data/README.md: 10 promoters, 7 passives, 8 detractors of 25 -> NPS 8.0
    assert nps_row.value == pytest.approx(8.0)
    r = run("score", data / "semicolon.csv", "--format", "markdown")
    assert r.exit_code == 0 and r.stdout.startswith("| file | segment |")


def test_score_several_files(run, data):
    r = run("score", data / "semicolon.csv", data / "second_sheet.xlsx", "-f", "json")
    doc = json.loads(r.stdout)
    # hand counts: semicolon 8.0; second_sheet 8 promoters, 5 detractors of 20 -> 15.0
    assert [f["nps"]["score"] for f in doc["files"]] == pytest.approx([8.0, 15.0])


def test_wald_option_and_confidence(run, data):
    r = run("score", data / "semicolon.csv", "-f", "json", "--ci", "wald", "--confidence", "0.9")
    n = json.loads(r.stdout)["files"][0]["nps"]
    assert n["ci_method"] == "wald" and n["confidence"] == 0.9
    # Wald: score +/- 1.644854 * se
    assert n["ci_high"] - n["score"] == pytest.approx(1.6448536 * n["se"], rel=1e-6)


def test_markup_in_column_names_is_printed_literally(run, tmp_path):
    p = tmp_path / "m.csv"
    p.write_text(
        "id,nps,q2[other],[bold]sat\n"
        + "\n".join(f"{i},{i % 11},{i % 5 + 1},{i % 5 + 1}" for i in range(40)),
        encoding="utf-8",
    )
    r = run("score", p, "--sat", "[bold]sat")
    assert r.exit_code == 0, r.stderr
    assert "q2[other]" in r.stdout and "[bold]sat" in r.stdout


def test_show_excluded_lists_source_rows(run, data):
    r = run("score", data / "dupes_weights.csv", "--show-excluded", "-f", "json")
    rows = json.loads(r.stdout)["files"][0]["excluded_rows"]
    assert [x["row"] for x in rows] == [6, 7, 9, 11, 12]


def test_output_file_is_written_and_inputs_protected(run, data, tmp_path):
    out = tmp_path / "out.json"
    r = run("score", data / "semicolon.csv", "-f", "json", "-o", out)
    assert r.exit_code == 0 and json.loads(out.read_text())["files"][0]["n_rows"] == 25
    src = tmp_path / "copy.csv"
    src.write_bytes((data / "semicolon.csv").read_bytes())
    r = run("score", src, "-o", src)
    assert r.exit_code == 2 and "is one of the input files" in r.stderr
    assert src.read_bytes() == (data / "semicolon.csv").read_bytes()


def test_inspect_table_and_json(run, data):
    r = run("inspect", data / "second_sheet.xlsx")
    assert r.exit_code == 0
    assert "'data'" in r.stdout and "Overall satisfaction" in r.stdout
    doc = json.loads(run("inspect", data / "ko_cp949.csv", "-f", "json").stdout)["files"][0]
    assert doc["read"]["encoding"] == "cp949"
    roles = {c["column"]: c["role"] for c in doc["columns"]}
    assert roles["추천의향"] == "nps" and roles["고객유형"] == "segment"


def test_init_writes_and_refuses_to_overwrite(run, data, tmp_path):
    r = run("init", data / "ko_cp949.csv")
    assert r.exit_code == 0, r.stderr
    text = (tmp_path / "csitool.toml").read_text(encoding="utf-8")
    assert 'nps = "추천의향"' in text
    r = run("init", data / "ko_cp949.csv")
    assert r.exit_code == 2 and "already exists; pass --force" in r.stderr
    assert run("init", data / "ko_cp949.csv", "--force").exit_code == 0
    # the written file is read back by the next command
    r = run("score", data / "ko_cp949.csv", "-f", "json")
    assert json.loads(r.stdout)["files"][0]["roles"]["nps"] == "추천의향"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "missing.xlsx"], "Error: missing.xlsx: no such file."),
        (["score", "{data}/empty.csv"], "is empty (0 bytes). Export the survey again."),
        (["score", "{data}/header_only.csv"], "has a header row but no data rows"),
        (["score", "{data}/header_only.xlsx"], "has a header row but no data rows"),
        (["score", "{data}/corrupt.xlsx"], "The file is corrupt or truncated"),
        (["score", "{data}/not_a_spreadsheet.xlsx"], "is not a spreadsheet"),
        (["score", "{data}/ko_cp949.csv", "--encoding", "utf-8"], "is not valid utf-8"),
        (["score", "{data}/ko_cp949.csv", "--nps", "NPS"], "unknown column 'NPS' (--nps)"),
        (["score", "{data}/ko_cp949.csv", "--by", "지역"], "unknown column '지역' (--by)"),
        (["score", "{data}/unmapped_labels.csv"], '[labels]\n"Super happy" = 0'),
        (["score", "{data}/leading_blank_rows.xlsx", "--strict"], "row 8 'nps' = 12"),
        (["inspect", "{data}/second_sheet.xlsx", "--sheet", "x"], "has no sheet 'x'"),
        (["drivers", "{data}/ko_cp949.csv", "--target", "지역"], "unknown column '지역'"),
        (["drivers", "{data}/ko_cp949.csv", "--target", "대기 시간"], "is one of the attributes"),
        (["drivers", "{data}/dupes_weights.csv"], "no attribute items to analyse"),
    ],
)
def test_error_paths_exit_3_with_one_message(run, data, args, message):
    r = run(*[a.format(data=data) for a in args])
    assert r.exit_code == 3, r.stdout
    assert r.stderr.startswith("Error:")
    assert message in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_bad_config_is_exit_3(run, data, tmp_path):
    (tmp_path / "csitool.toml").write_text("[roles\nnps=", encoding="utf-8")
    r = run("score", data / "semicolon.csv")
    assert r.exit_code == 3 and "is not valid TOML" in r.stderr


def test_usage_error_is_exit_2(run, data):
    r = run("score", data / "semicolon.csv", "--format", "pdf")
    assert r.exit_code == 2


def test_internal_error_is_exit_70_without_traceback(run, data, monkeypatch):
    import csitool.stats.score as score_mod

    def boom(*a, **k):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(score_mod, "score", boom)
    r = run("score", data / "semicolon.csv")
    assert r.exit_code == 70
    assert "internal error" in r.stderr and "please report it" in r.stderr
    assert "Traceback" not in r.stderr


def test_stdin(run, data):
    r = run("score", "-", "-f", "json", input=(data / "semicolon.csv").read_bytes())
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["files"][0]["nps"]["score"] == pytest.approx(8.0)


SAMPLE = ROOT / "sample_data" / "survey.xlsx"
STAGES = ROOT / "sample_data" / "csitool.toml"


def test_drivers_table_on_the_sample(run):
    r = run("drivers", SAMPLE, "--config", STAGES)
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    for title in ("1. Performance", "2. Importance", "3. Asymmetric impact", "4. Ladder contrast",
                  "quadrants", "Touchpoints", "One bad moment", "What to do first"):  # fmt: skip
        assert title in out
    assert "rows used: 1,491 of 1,500" in out and "7 incomplete" in out
    assert "1. 'B2. 대기 시간' is a pain-point: 24% rate it poorly (1-2)" in out
    assert "after-service" in out and "weakest" in out


def test_drivers_json_csv_markdown(run):
    r = run("drivers", SAMPLE, "-f", "json", "--by", "고객유형", "--min-base", "400")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["command"] == "drivers"
    f = doc["files"][0]
    keys = "target settings rows n n_eff r2 model_r2 attributes quadrant_split stages"
    for key in [*keys.split(), "bad_moment", "actions", "segments", "notes"]:
        assert key in f, key
    assert f["target"]["column"] == "전반적 만족도" and f["rows"]["used"] == 1491
    a = f["attributes"][3]
    assert a["column"] == "B2. 대기 시간" and a["impact"]["class"] == "pain-point"
    assert set(a) == {"column", "stage", "scale", "performance", "importance", "impact",
                      "delight", "dissatisfaction", "quadrant"}  # fmt: skip
    assert f["actions"][0]["sentence"].startswith("'B2. 대기 시간' is a pain-point")
    seg = {g["value"]: g for g in f["segments"]["고객유형"]}
    # VIP has about 15% of 1,491 rows: below --min-base 400, so it is not analysed
    assert seg["VIP"]["analysed"] is False and "low base" in seg["VIP"]["reason"]
    assert seg["장기"]["analysed"] is True and seg["장기"]["attributes"]
    r = run("drivers", SAMPLE, "-f", "csv")
    lines = r.stdout.splitlines()
    assert lines[0].startswith("file,segment,segment_value,attribute,stage,n,n_eff,csi")
    assert len(lines) == 14
    r = run("drivers", SAMPLE, "-f", "markdown", "--target", "nps")
    assert r.exit_code == 0 and r.stdout.count("\n") == 15


def test_drivers_show_excluded_lists_rows(run):
    r = run("drivers", SAMPLE, "--show-excluded", "-f", "json")
    rows = {x["row"]: x for x in json.loads(r.stdout)["files"][0]["excluded_rows"]}
    # sample_data/README.md: row 760 has a blank 전반적 만족도, row 307 a 모름 in E2,
    # row 1189 a duplicate id, row 871 a blank weight
    assert rows[760]["columns"] == {"전반적 만족도": "blank"}
    assert rows[307]["columns"] == {"E2. 환불·교환 처리": "dont_know"}
    assert rows[1189]["reason"] == "duplicate_id" and rows[871]["reason"] == "weight_missing"
    assert len(rows) == 9


def test_lang_ko_terminal_output(run):
    r = run("score", SAMPLE, "--lang", "ko")
    assert r.exit_code == 0, r.stderr
    assert "매우 만족 (5)" in r.stdout and "감동 비율: 44.8%" in r.stdout
    r = run("drivers", SAMPLE, "--lang", "ko")
    # the particle follows the last syllable: 시간 ends in a consonant (은), 처리 in a vowel (는)
    assert "1. 'B2. 대기 시간'은 불만 요인입니다: 24%가 낮게 평가했고(1-2점)" in r.stdout
    assert "2. 'E2. 환불·교환 처리'는 불만 요인입니다" in r.stdout
    assert "우선 조치 사항" in r.stdout


def test_report_prints_no_progress_bar_off_a_terminal(run, tmp_path):
    r = run("report", ROOT / "tests" / "data" / "semicolon.csv", "-o", tmp_path / "x.xlsx")
    assert r.exit_code == 0 and r.stderr == ""
    assert "1 written, 0 failed" in r.stdout


def test_lang_ko_for_compare_check_and_voc(run):
    r = run("compare", SAMPLE, "--by", "고객유형", "--rows", "nps,groups", "--lang", "ko")
    assert "고객유형별" in r.stdout and "추천 고객 %" in r.stdout and "표본 (n)" in r.stdout
    r = run("check", SAMPLE, "--lang", "ko")
    assert r.exit_code == 1 and "실패" in r.stdout
    r = run("voc", SAMPLE, "--lang", "ko")
    assert "불만 요인" in r.stdout


def test_interval_labels_follow_the_confidence(run, data):
    r = run("score", data / "ko_cp949.csv", "--confidence", "0.8", "--by", "고객유형")
    assert r.exit_code == 0, r.stderr
    assert "80% CI" in r.stdout and "95% CI" not in r.stdout
    r = run("drivers", data / "ko_cp949.csv", "--confidence", "0.9")
    assert "90% CI" in r.stdout and "95% CI" not in r.stdout


def test_a_file_with_no_rating_item_is_not_scored_silently(run, tmp_path):
    # a lookup table (the shape of prepbench's input_02.csv): nothing to score -> exit 3
    path = tmp_path / "lookup.csv"
    path.write_text(
        "Number,Question\n1,What day?\n2,What time?\n3,Would you recommend?\n3a,Why?\n3b,Why not?\n"
    )
    r = run("score", path)
    assert r.exit_code == 3
    assert "no rating item found" in r.stderr and "'Number', 'Question'" in r.stderr


def test_score_check_and_inspect_read_a_folder(run, tmp_path):
    import shutil

    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "a.xlsx")
    shutil.copy(ROOT / "tests" / "data" / "semicolon.csv", folder / "b.csv")
    (folder / "notes.txt.bak").write_text("not a survey", encoding="utf-8")
    r = run("score", folder, "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert [Path(f["path"]).name for f in json.loads(r.stdout)["files"]] == ["a.xlsx", "b.csv"]
    r = run("inspect", folder, "-f", "json")
    assert [Path(f["path"]).name for f in json.loads(r.stdout)["files"]] == ["a.xlsx", "b.csv"]
    r = run("check", folder, "--min-nps", "-100", "-f", "json")
    assert len(json.loads(r.stdout)["files"]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run("score", empty)
    assert r.exit_code == 2 and f"no survey files found in {empty}" in r.stderr
