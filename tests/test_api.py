"""The Python API gives what the commands print: to_frame() is the CSV's rows, check() is
the verdict of ``csitool check``. The oracle each time is the CLI's own output on the sample
files, read back with pandas or json: the two paths share the statistics, and these tests
hold the API and the renderers to the same rows."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import csitool
from tests.conftest import ROOT

SAMPLE = str(ROOT / "sample_data" / "survey.xlsx")
PREV = str(ROOT / "sample_data" / "survey_prev.xlsx")


def _same_rows(frame: pd.DataFrame, csv_text: str) -> None:
    """``frame`` equals ``pandas.read_csv`` of the CSV. The CSV writes None and "" alike as
    an empty cell, which read_csv reads as NaN; dtypes differ only where a column is empty."""
    want = pd.read_csv(io.StringIO(csv_text))
    got = frame.replace({"": np.nan})
    assert list(got.columns) == list(want.columns)
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), want, check_dtype=False, check_exact=True
    )


def test_score_to_frame_is_the_csv(run) -> None:
    out = run("score", SAMPLE, "--by", "고객유형", "--format", "csv")
    assert out.exit_code == 0, out.output
    survey = csitool.load(SAMPLE)
    _same_rows(csitool.score(survey, by=["고객유형"]).to_frame(), out.stdout)


def test_drivers_to_frame_is_the_csv(run) -> None:
    out = run("drivers", SAMPLE, "--format", "csv")
    assert out.exit_code == 0, out.output
    frame = csitool.drivers(csitool.load(SAMPLE)).to_frame()
    assert len(frame) > 0
    _same_rows(frame, out.stdout)


def test_compare_and_voc_to_frame_are_the_csv(run) -> None:
    survey = csitool.load(SAMPLE)
    out = run("compare", SAMPLE, "--by", "고객유형", "--format", "csv")
    assert out.exit_code == 0, out.output
    _same_rows(csitool.compare(survey, by=["고객유형"]).to_frame(), out.stdout)
    out = run("voc", SAMPLE, "--format", "csv")
    assert out.exit_code == 0, out.output
    _same_rows(csitool.voc(survey).to_frame(), out.stdout)


def test_check_is_the_verdict_of_the_command(run) -> None:
    """The same rules and baseline as the golden ``check_ko`` case."""
    out = run("check", SAMPLE, "--baseline", PREV, "--min-nps", "0", "--max-drop", "nps=5",
              "--format", "json")  # fmt: skip
    cli = json.loads(out.stdout)["files"][0]
    result = csitool.check(csitool.load(SAMPLE), PREV, min_nps=0, max_drop={"nps": 5})
    assert out.exit_code == (0 if result.passed else 1)
    assert json.loads(json.dumps(result.to_dict())) == cli
    frame = result.to_frame()
    assert frame[["rule", "scope", "verdict"]].values.tolist() == [
        [r["rule"], r["scope"], r["verdict"]] for r in cli["rules"]
    ]


def test_check_takes_a_loaded_baseline_and_config_rules(tmp_path: Path) -> None:
    """A Survey as baseline is the same as its path; rules not given come from [check]."""
    survey = csitool.load(SAMPLE)
    by_path = csitool.check(survey, PREV, max_drop={"nps": 5})
    loaded = csitool.check(survey, csitool.load(PREV), max_drop={"nps": 5})
    assert loaded.to_dict()["rules"] == by_path.to_dict()["rules"]
    cfg = tmp_path / "csitool.toml"
    cfg.write_text("[check]\nmin_nps = 90\n", encoding="utf-8")
    strict = csitool.check(csitool.load(SAMPLE, config=cfg))
    rule = next(r for r in strict.rules if r.rule == "min_nps")
    assert rule.limit == 90 and rule.verdict == "fail"


def test_load_takes_every_reading_option(tmp_path: Path) -> None:
    """Roles as keywords beat detection; one name or a list for attrs and segment."""
    survey = csitool.load(
        SAMPLE, sheet=1, header_row=None, strict=False, complete_only=True,
        segment="고객유형", format_hint=None,
    )  # fmt: skip
    assert survey.roles.segment == ["고객유형"]


@pytest.mark.parametrize("suffix", [".sav", ".zsav", ".csv", ".xlsx"])
def test_a_folder_yields_every_kind_io_reads(tmp_path: Path, suffix: str) -> None:
    from csitool.batch import collect_inputs

    (tmp_path / f"a{suffix}").write_bytes(b"")
    (tmp_path / "notes.md").write_bytes(b"")
    assert [p.name for p in collect_inputs([str(tmp_path)], False)] == [f"a{suffix}"]
