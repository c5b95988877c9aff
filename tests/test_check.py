"""``csitool check``: every rule passing and failing, baselines with honest significance,
exit codes, low-base segments, JUnit XML, GitHub annotations and a pipeline-style run."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data" / "survey.xlsx"
PREV = ROOT / "sample_data" / "survey_prev.xlsx"


def _nps_file(path: Path, det: int, pas: int, pro: int, sat=None) -> Path:
    # detractors answer 3, passives 7, promoters 10
    nps = [3] * det + [7] * pas + [10] * pro
    data = {"id": range(1, len(nps) + 1), "nps": nps}
    if sat is not None:
        data["overall satisfaction"] = sat
    pd.DataFrame(data).to_csv(path, index=False)
    return path


def _rules(r):
    doc = json.loads(r.stdout)
    return {(x["rule"], x["scope"]): x for x in doc["files"][0]["rules"]}


def test_check_figures_drop_of_8_is_not_significant(run, tmp_path):
    # baseline 100/200/200 (NPS 20), current 120/200/180 (NPS 12): drop 8,
    # each SE^2 = Var / (n - 1) (linearisation; R svymean), Var = p + d - (p - d)^2:
    # z = 8 / (100 sqrt(.56/499 + .5856/499)) = 1.6696, p = 0.095 -> not significant at 0.05
    base = _nps_file(tmp_path / "base.csv", 100, 200, 200)
    now = _nps_file(tmp_path / "now.csv", 120, 200, 180)
    r = run("check", now, "--baseline", base, "--max-drop", "nps=5", "-f", "json")
    assert r.exit_code == 0, r.stdout + r.stderr
    rule = _rules(r)[("max_drop_nps", "total")]
    assert rule["verdict"] == "pass" and rule["observed"] == pytest.approx(8.0)
    z = 8 / (100 * math.sqrt((0.56 + 0.5856) / 499))
    assert rule["difference"]["statistic"] == pytest.approx(-z, abs=1e-9)
    assert rule["difference"]["p_value"] == pytest.approx(math.erfc(z / math.sqrt(2)), abs=1e-9)
    assert round(z, 3) == 1.67 and round(rule["difference"]["p_value"], 3) == 0.095
    assert "not significant at 0.05" in rule["message"]
    # judged on the raw difference, the same drop fails
    r = run("check", now, "--baseline", base, "--max-drop", "nps=5", "--no-significance")
    assert r.exit_code == 1 and "FAIL" in r.stdout


def test_large_sample_drop_is_significant(run, tmp_path):
    # ten times the respondents: z = 8 / (100 sqrt(1.1456 / 4999)) = 5.28, p < 1e-6
    base = _nps_file(tmp_path / "base.csv", 1000, 2000, 2000)
    now = _nps_file(tmp_path / "now.csv", 1200, 2000, 1800)
    r = run("check", now, "--baseline", base, "--max-drop", "nps=5", "-f", "json")
    assert r.exit_code == 1
    rule = _rules(r)[("max_drop_nps", "total")]
    assert rule["verdict"] == "fail"
    z = 8 / (100 * math.sqrt((0.56 + 0.5856) / 4999))
    assert rule["difference"]["statistic"] == pytest.approx(-z, abs=1e-9)


def test_csi_drop_uses_welch(run, tmp_path):
    rng = np.random.default_rng(9)
    sat_a = rng.integers(2, 6, 300)
    sat_b = rng.integers(1, 6, 250)
    base = _nps_file(tmp_path / "base.csv", 100, 100, 100, sat=sat_a)
    now = _nps_file(tmp_path / "now.csv", 50, 100, 100, sat=sat_b)
    r = run("check", now, "--baseline", base, "--max-drop", "csi=1", "-f", "json")
    rule = _rules(r)[("max_drop_csi", "total")]
    # independent: Welch t test on the CSI-scaled answers, (x - 1) / 4 x 100
    ref = stats.ttest_ind((sat_b - 1) * 25.0, (sat_a - 1) * 25.0, equal_var=False)
    assert rule["difference"]["estimate"] == pytest.approx(25 * (sat_b.mean() - sat_a.mean()))
    assert rule["difference"]["statistic"] == pytest.approx(ref.statistic, rel=1e-9)
    assert rule["difference"]["p_value"] == pytest.approx(ref.pvalue, rel=1e-6)
    assert rule["verdict"] == (
        "fail" if ref.pvalue < 0.05 and -rule["difference"]["estimate"] > 1 else "pass"
    )
    assert r.exit_code == (1 if rule["verdict"] == "fail" else 0)


@pytest.mark.parametrize(
    ("option", "good", "bad", "rule"),
    [
        # sample: NPS +14.4, CSI 73.2, 1,498 rows kept, detractors 25.1%, top box 33.4%,
        # 2 of 1,500 rows left out (0.13%)
        ("--min-nps", "10", "20", "min_nps"),
        ("--min-csi", "70", "75", "min_csi"),
        ("--min-n", "1000", "2000", "min_n"),
        ("--max-detractors", "30", "20", "max_detractors"),
        ("--min-top-box", "30", "40", "min_top_box"),
        ("--max-excluded", "1", "0.1", "max_excluded"),
    ],
)
def test_threshold_rules_pass_and_fail(run, tmp_path, option, good, bad, rule):
    clean = tmp_path / "clean.xlsx"
    shutil.copy(SAMPLE, clean)
    r = run("check", clean, option, good, "-f", "json")
    assert _rules(r)[(rule, "total")]["verdict"] == "pass"
    r = run("check", clean, option, bad, "-f", "json")
    assert _rules(r)[(rule, "total")]["verdict"] == "fail"
    assert r.exit_code == 1


def test_contract_rules(run, tmp_path):
    r = run("check", SAMPLE, "--require-columns", "응답자ID, 의견, 지역", "--max-missing", "50",
            "-f", "json")  # fmt: skip
    rules = _rules(r)
    assert rules[("require_column", "응답자ID")]["verdict"] == "pass"
    assert rules[("require_column", "지역")]["verdict"] == "fail"
    assert rules[("max_missing", "의견")]["verdict"] == "pass"  # 39.9% blank <= 50%
    assert rules[("max_missing", "의견")]["observed"] == pytest.approx(39.9, abs=0.05)
    # sample_data/README.md: row 213 holds 12 in 추천의향; row 1189 repeats an id
    assert rules[("in_scale", "total")]["verdict"] == "fail"
    assert rules[("in_scale", "total")]["rows"] == [213]
    assert rules[("unique_ids", "응답자ID")]["rows"] == [1189]
    clean = tmp_path / "clean.csv"
    _nps_file(clean, 10, 10, 10)
    rules = _rules(run("check", clean, "-f", "json"))
    assert rules[("in_scale", "total")]["verdict"] == "pass"
    assert rules[("unique_ids", "id")]["verdict"] == "pass"


def test_segment_below_min_n_is_not_judged(run):
    r = run("check", SAMPLE, "--by", "고객유형", "--min-n", "300", "--min-nps", "0", "-f", "json")
    rules = _rules(r)
    # VIP has 214 rows: below 300, so neither a pass nor a failure
    vip = rules[("min_nps", "고객유형 = VIP")]
    assert vip["verdict"] == "not_judged" and "low base (214 rows < 300)" in vip["message"]
    assert rules[("min_nps", "고객유형 = 장기")]["verdict"] == "pass"


def test_exit_codes(run, tmp_path):
    ok = _nps_file(tmp_path / "ok.csv", 10, 10, 30)
    assert run("check", ok).exit_code == 0
    assert run("check", ok, "--min-nps", "90").exit_code == 1
    r = run("check", ok, "--max-drop", "nps=5")
    assert r.exit_code == 2 and "needs --baseline" in r.stderr
    r = run("check", ok, "--baseline", ok, "--max-drop", "nps:5")
    assert r.exit_code == 2 and "use nps=POINTS" in r.stderr
    r = run("check", tmp_path / "missing.csv")
    assert r.exit_code == 3 and r.stderr.startswith("Error:")


def test_junit_xml_counts(run, tmp_path):
    out = tmp_path / "junit.xml"
    r = run("check", SAMPLE, "--min-nps", "10", "--min-csi", "75", "--by", "고객유형",
            "--min-n", "300", "--junit", out)  # fmt: skip
    assert r.exit_code == 1
    root = ET.parse(out).getroot()
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert int(suite.get("tests")) == len(cases)
    assert int(suite.get("failures")) == len(failures)
    assert int(suite.get("skipped")) == len(skipped) == 2  # VIP: min_nps and min_csi
    # CSI 73.2 < 75 in the total and in every judged segment; in_scale and unique_ids fail
    names = {c.get("name") for c in failures}
    assert {"min_csi [total]", "in_scale [total]", "unique_ids [응답자ID]"} <= names


def test_github_annotations_only_under_github_actions(run, monkeypatch):
    r = run("check", SAMPLE, "--min-csi", "75")
    assert "::error" not in r.stdout
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    r = run("check", SAMPLE, "--min-csi", "75")
    errors = [line for line in r.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 3  # min_csi, in_scale, unique_ids
    assert any("min_csi [total]" in e for e in errors)
    r = run("check", SAMPLE, "--min-csi", "75", "-f", "json")
    json.loads(r.stdout)  # annotations go to stderr with JSON output
    assert r.stderr.count("::error ") == 3


def test_pipeline_run_with_config(tmp_path):
    """The installed command as a pipeline runs it: plain `csitool check export.xlsx`."""
    shutil.copy(SAMPLE, tmp_path / "export.xlsx")
    shutil.copy(PREV, tmp_path / "previous.xlsx")
    (tmp_path / "csitool.toml").write_text(
        '[check]\nmin_nps = 10\nmin_csi = 70\nmin_n = 300\nby = ["고객유형"]\n'
        'baseline = "previous.xlsx"\nmax_drop = { nps = 5, csi = 3 }\n'
        'require = ["응답자ID", "추천의향"]\n',
        encoding="utf-8",
    )
    exe = Path(sys.executable).with_name("csitool")
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    proc = subprocess.run(
        [str(exe), "check", "export.xlsx", "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True, env=env,
    )  # fmt: skip
    # the sample has an out-of-range 12 and a duplicate id
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)["files"][0]
    verdicts = {(x["rule"], x["scope"]): x["verdict"] for x in doc["rules"]}
    assert verdicts[("min_nps", "total")] == "pass"
    assert verdicts[("max_drop_nps", "total")] == "pass"  # NPS rose from +8.4 to +14.4
    assert verdicts[("in_scale", "total")] == "fail"
    assert doc["baseline"] == "previous.xlsx"


def test_a_rule_that_cannot_be_judged_fails_the_gate(run, tmp_path):
    # a satisfaction-only survey: --min-nps has nothing to judge, so the gate must not pass
    path = tmp_path / "sat_only.csv"
    path.write_text("id,전반적 만족도\n" + "".join(f"{i},{1 + i % 5}\n" for i in range(60)))
    r = run("check", path, "--min-nps", "0")
    assert r.exit_code == 1
    assert "cannot be judged: no NPS figure" in r.stdout
    r = run("check", path, "--min-nps", "0", "--allow-unjudged", "--format", "json")
    assert r.exit_code == 0, r.stdout
    rule = next(x for x in json.loads(r.stdout)["files"][0]["rules"] if x["rule"] == "min_nps")
    assert rule["verdict"] == "not_judged" and "allowed by --allow-unjudged" in rule["message"]


def test_one_bad_cell_does_not_let_a_gate_pass(run, tmp_path):
    # every valid answer is 0 (NPS = -100 by hand); one -1 and one "nan" cell must not hide it
    path = tmp_path / "n.csv"
    path.write_text("id,nps\n" + "".join(f"{i},0\n" for i in range(40)) + "41,-1\n42,nan\n")
    r = run("check", path, "--min-nps", "0", "--format", "json")
    assert r.exit_code == 1
    rule = next(x for x in json.loads(r.stdout)["files"][0]["rules"] if x["rule"] == "min_nps")
    assert rule["verdict"] == "fail" and rule["observed"] == -100.0
