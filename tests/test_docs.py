"""The README's Python example runs and prints what its comments say."""

from __future__ import annotations

import contextlib
import io
import re

from tests.conftest import ROOT


def test_readme_python_example_runs(monkeypatch):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Use it from Python\n\n```python\n(.*?)```", text, re.S)
    assert block, "README lost its Python example"
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block.group(1), "README.md", "exec"), {})
    lines = out.getvalue().splitlines()
    expected = re.findall(r"# (.+)", block.group(1))
    assert lines[0] == expected[0] and lines[1] == expected[1]
    assert lines[3] == expected[3]


def test_readme_documents_every_exit_code():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ("| 0 |", "| 2 |", "| 3 |", "| 70 |"):
        assert code in text
