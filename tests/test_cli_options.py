"""The shared role and reading options (``csitool.cli.common.reading_options``): every
command that reads a survey lists all of them, in their panels, and hands them over as
one ``Reading``."""

from __future__ import annotations

import pytest

from csitool.cli import common as c
from csitool.config import Reading, RoleSpec

SHARED = [
    "--nps", "--sat", "--attr", "--segment", "--weight", "--id", "--date", "--comment",
    "--sheet", "--header-row", "--encoding", "--config", "--strict", "--format-hint",
    "--complete-only",
]  # fmt: skip


@pytest.mark.parametrize("command", ["score", "drivers", "compare", "voc", "check", "inspect",
                                     "report"])  # fmt: skip
def test_every_reading_command_lists_the_shared_options(run, command):
    out = run(command, "--help").stdout
    for option in SHARED:
        assert option in out, option
    assert "Column roles" in out and "Reading" in out


def test_init_takes_only_where_the_table_is(run):
    out = run("init", "--help").stdout
    assert "--sheet" in out and "--header-row" in out and "--encoding" in out
    assert "--nps" not in out and "--config" not in out


def test_the_options_arrive_as_one_reading():
    seen = {}

    @c.reading_options
    def cmd(x: int = 0, *, read: Reading) -> None:
        seen["read"] = read

    cmd(x=1, nps="q1", attr=["a*"], segment=["s"], sheet="2", strict=True)
    assert seen["read"] == Reading(
        roles=RoleSpec(nps="q1", attrs=("a*",), segment=("s",)), sheet="2", strict=True
    )


def test_a_command_without_read_is_a_programming_error():
    def cmd(x: int = 0) -> None: ...

    with pytest.raises(TypeError, match="keyword-only parameter 'read'"):
        c.reading_options(cmd)
