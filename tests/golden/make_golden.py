"""Write the golden JSON of every command on the shipped sample files.

Run ``python tests/golden/make_golden.py`` only when a change is meant to change the
figures; ``tests/test_golden.py`` checks that the commands still print exactly these.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SAMPLE = ROOT / "sample_data"

#: name -> command line (run from the repository root, no csitool.toml picked up)
CASES: dict[str, list[str]] = {
    "score_ko": ["score", "sample_data/survey.xlsx", "--by", "고객유형", "--format", "json"],
    "score_en": ["score", "sample_data/survey_en.csv", "--format", "json"],
    "inspect_ko": ["inspect", "sample_data/survey.xlsx", "--format", "json"],
    "drivers_ko": [
        "drivers", "sample_data/survey.xlsx", "--config", "sample_data/csitool.toml",
        "--by", "채널", "--format", "json",
    ],
    "compare_ko": ["compare", "sample_data/survey.xlsx", "--by", "고객유형", "--format", "json"],
    "compare_waves": [
        "compare", "sample_data/survey_prev.xlsx", "sample_data/survey.xlsx", "--format", "json",
    ],
    "voc_ko": ["voc", "sample_data/survey.xlsx", "--by", "고객유형", "--format", "json"],
    "check_ko": [
        "check", "sample_data/survey.xlsx", "--baseline", "sample_data/survey_prev.xlsx",
        "--min-nps", "0", "--max-drop", "nps=5", "--format", "json",
    ],
}  # fmt: skip


def run(args: list[str]) -> str:
    """The command's standard output, with the version field blanked."""
    import os

    from typer.testing import CliRunner

    from csitool.cli.app import app

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, args)
    finally:
        os.chdir(old)
    if result.exit_code not in (0, 1):
        raise RuntimeError(f"{args}: exit {result.exit_code}\n{result.stderr}")
    doc = json.loads(result.stdout)
    doc["version"] = "*"
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> None:
    for name, args in CASES.items():
        (HERE / f"{name}.json").write_text(run(args), encoding="utf-8")
        print("wrote", name, file=sys.stderr)


if __name__ == "__main__":
    main()
