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
    # What a print shows is the comment at the end of its line, or the comment line under it.
    expected = []
    code = block.group(1).splitlines()
    for k, line in enumerate(code):
        if line.startswith("print("):
            same_line = re.search(r"\)  # (.+)$", line)
            below = re.match(r"# (.+)$", code[k + 1]) if k + 1 < len(code) else None
            assert same_line or below, f"README: no output comment for {line!r}"
            expected.append((same_line or below).group(1))  # type: ignore[union-attr]
    assert lines == expected


def test_readme_documents_every_exit_code():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ("| 0 |", "| 2 |", "| 3 |", "| 70 |"):
        assert code in text
