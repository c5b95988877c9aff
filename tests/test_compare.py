"""``csitool compare``: significance letters worked out by hand, two levels, corrections,
weights, low bases, and waves from files and from dates agreeing."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import csitool

# Segment A: 60 promoters (10), 25 passives (8), 15 detractors (3) of 100
# Segment B: 45 / 30 / 25;  segment C: 40 / 35 / 25.
GROUPS = {"A": (60, 25, 15), "B": (45, 30, 25), "C": (40, 35, 25)}


def _frame(weights: bool = False) -> pd.DataFrame:
    rows = []
    for seg, (pro, pas, det) in GROUPS.items():
        rows += [(seg, 10)] * pro + [(seg, 8)] * pas + [(seg, 3)] * det
    f = pd.DataFrame(rows, columns=["segment", "nps"])
    f["overall satisfaction"] = np.where(f["nps"] == 10, 5, np.where(f["nps"] == 8, 4, 2))
    if weights:
        f["weight"] = np.tile([0.5, 1.5], len(f) // 2)
    return f


def _load(tmp_path, frame, **roles):
    path = tmp_path / "c.csv"
    frame.to_csv(path, index=False)
    return csitool.load(path, nps="nps", sat="overall satisfaction", segment=["segment"], **roles)


def _pooled_p(x1: int, x2: int, n: int = 100) -> float:
    """Independent two-proportion z test without continuity correction."""
    p1, p2 = x1 / n, x2 / n
    pooled = (x1 + x2) / (2 * n)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * 2 / n)
    return 2 * stats.norm.sf(abs(z))


def _row(result, measure):
    return next(r for r in result.banners[0].rows if r.measure == measure)


def test_letters_by_hand(tmp_path):
    # promoters: A 60% vs B 45%: pooled p .525, z = .15 / sqrt(.525 x .475 x .02) = 2.124,
    # p = .034 -> A beats B; A vs C (40%): pooled .5, z = .2 / .0707 = 2.83, p = .0047 -> A
    # beats C; B vs C: z = .71, p = .48 -> nothing. So promoters: A "BC", B "", C "".
    assert _pooled_p(60, 45) == pytest.approx(0.0337, abs=1e-4)
    assert _pooled_p(60, 40) == pytest.approx(0.00468, abs=1e-4)
    s = _load(tmp_path, _frame())
    r = csitool.compare(s, ["segment"], correction="none")
    assert [c.letter for c in r.banners[0].columns] == ["A", "B", "C", None]
    promoters = _row(r, "promoters")
    assert [c.sig_higher_than for c in promoters.cells] == [["B", "C"], [], [], []]
    # passives: C 35% vs A 25%: z = .10 / sqrt(.3 x .7 x .02) = 1.543, p = .12 -> no letter
    assert all(not c.sig_higher_than for c in _row(r, "passives").cells)
    # two levels: lowercase at .05, uppercase at .01 -> A "bC"
    r2 = csitool.compare(s, ["segment"], two_levels=True, correction="none")
    assert _row(r2, "promoters").cells[0].sig_higher_than == ["b", "C"]
    # the default, Bonferroni over the row's 3 pairs: .034 x 3 = .10 (gone), .0047 x 3 = .014
    # (stays), so A beats C only
    r3 = csitool.compare(s, ["segment"])
    assert r3.correction == "bonferroni"
    assert _row(r3, "promoters").cells[0].sig_higher_than == ["C"]
    # Benjamini-Hochberg: sorted p .0047, .034, .48 -> q = .014, .051, .48: A beats C only
    r4 = csitool.compare(s, ["segment"], correction="fdr")
    assert _row(r4, "promoters").cells[0].sig_higher_than == ["C"]


def test_nps_letters_use_the_two_sample_nps_test(tmp_path):
    # NPS A = 60 - 15 = 45, B = 45 - 25 = 20, C = 15
    s = _load(tmp_path, _frame())
    row = _row(csitool.compare(s, ["segment"]), "nps")
    assert [c.value for c in row.cells[:3]] == pytest.approx([45, 20, 15])

    def z(p1, d1, p2, d2, n=100):  # each SE^2 = Var / (n - 1), Var = p + d - (p - d)^2
        v1, v2 = p1 + d1 - (p1 - d1) ** 2, p2 + d2 - (p2 - d2) ** 2
        return (p1 - d1 - p2 + d2) / math.sqrt(v1 / (n - 1) + v2 / (n - 1))

    # Bonferroni over the 3 pairs (the default): A-B z = 2.264, p x 3 = .071 (no letter);
    # A-C p x 3 below .05 (a letter)
    p_ab = 2 * stats.norm.sf(z(0.60, 0.15, 0.45, 0.25))
    p_ac = 2 * stats.norm.sf(z(0.60, 0.15, 0.40, 0.25))
    assert 3 * p_ab > 0.05 > 3 * p_ac
    assert row.test == "two-sample NPS z"
    assert row.cells[0].sig_higher_than == ["C"]
    raw = _row(csitool.compare(s, ["segment"], correction="none"), "nps")
    assert raw.cells[0].sig_higher_than == ["B", "C"]  # both p < .05 unadjusted


def test_weights_use_effective_n(tmp_path):
    s = _load(tmp_path, _frame(weights=True), weight="weight")
    r = csitool.compare(s, ["segment"])
    col = r.banners[0].columns[0]
    w = np.tile([0.5, 1.5], 50)
    assert col.n_eff == pytest.approx(w.sum() ** 2 / (w**2).sum())  # Kish: 80 of 100
    plain = csitool.compare(
        _load(tmp_path, _frame().assign(weight=1.0), weight="weight"), ["segment"]
    )
    unweighted = csitool.compare(_load(tmp_path, _frame()), ["segment"])
    assert plain.to_dict() == unweighted.to_dict()


def test_low_base_is_marked_and_not_tested(tmp_path):
    f = _frame()
    f.loc[f.index[:20], "segment"] = "D"  # 20 rows: below 30
    r = csitool.compare(_load(tmp_path, f), ["segment"])
    cols = {c.label: c for c in r.banners[0].columns}
    assert cols["D"].low_base and not cols["B"].low_base
    for row in r.banners[0].rows:
        letters = {
            c.label: cell.sig_higher_than
            for c, cell in zip(r.banners[0].columns, row.cells, strict=True)
        }
        assert letters["D"] == [] and all(cols["D"].letter not in v for v in letters.values())


def test_waves_from_files_and_from_dates_agree(tmp_path, run):
    f = _frame()
    f["date"] = ["2026-07-15"] * 150 + ["2026-08-15"] * 150
    f = f.sample(frac=1, random_state=1).reset_index(drop=True)
    f.to_csv(tmp_path / "all.csv", index=False)
    for month in ("2026-07", "2026-08"):
        f[f["date"].str.startswith(month)].to_csv(tmp_path / f"{month}.csv", index=False)
    args = ["--nps", "nps", "--sat", "overall satisfaction", "-f", "json"]
    one = json.loads(run("compare", tmp_path / "all.csv", "--period", "month", *args).stdout)
    two = json.loads(
        run("compare", tmp_path / "2026-07.csv", tmp_path / "2026-08.csv", *args).stdout
    )
    b1, b2 = one["files"][0]["banners"][0], two["files"][0]["banners"][0]
    assert [c["label"] for c in b1["columns"]] == [c["label"] for c in b2["columns"]]
    for r1, r2 in zip(b1["rows"], b2["rows"], strict=True):
        assert [c["value"] for c in r1["cells"]] == pytest.approx([c["value"] for c in r2["cells"]])
        assert r1["changes"][1]["p_value"] == pytest.approx(r2["changes"][1]["p_value"])


def test_wave_missing_a_column_is_reported(tmp_path, run):
    f = _frame()
    f.to_csv(tmp_path / "q1.csv", index=False)
    f.assign(extra=1).to_csv(tmp_path / "q2.csv", index=False)
    r = run("compare", tmp_path / "q1.csv", tmp_path / "q2.csv", "--nps", "nps")
    assert r.exit_code == 0, r.stderr
    assert "wave 'q1' lacks column(s) the other waves have: extra" in r.stdout


def test_json_shape_and_usage_errors(tmp_path, run):
    path = tmp_path / "c.csv"
    _frame().to_csv(path, index=False)
    r = run("compare", path, "--by", "segment", "--nps", "nps", "-f", "json")
    doc = json.loads(r.stdout)["files"][0]
    assert doc["alpha"] == 0.05 and doc["correction"] == "bonferroni"
    col = doc["banners"][0]["columns"][0]
    assert set(col) == {"label", "letter", "n", "n_eff", "low_base"}
    cell = doc["banners"][0]["rows"][0]["cells"][0]
    assert set(cell) == {"value", "n", "n_eff", "sig_higher_than"}
    r = run("compare", path)
    assert r.exit_code == 2 and "say what to compare" in r.stderr
    r = run("compare", path, path, "--by", "segment")
    assert r.exit_code == 2
    assert run("compare", path, "--by", "segment", "-f", "markdown").exit_code == 0
    assert run("compare", path, "--by", "segment", "-f", "csv").stdout.startswith("banner,")


def test_by_a_column_with_too_many_values_is_refused(run, tmp_path):
    # 300 distinct customer codes: an id, not a segment (the default limit is 200)
    path = tmp_path / "ids.csv"
    path.write_text(
        "code,nps\n" + "".join(f"C{i:04d},{i % 11}\n" for i in range(300)), encoding="utf-8"
    )
    for command in ("compare", "score"):
        r = run(command, path, "--by", "code")
        assert r.exit_code == 3, r.stdout
        assert "'code' has 300 different values (the limit is 200)" in r.stderr
    (tmp_path / "csitool.toml").write_text("[score]\nmax_segment_values = 400\n")
    assert run("score", path, "--by", "code", "--format", "json").exit_code == 0


def test_api_and_command_make_the_same_decision(tmp_path):
    """csitool.compare and ``csitool compare`` share stats.compare.compare: the same
    refusals, and a list of one survey is that survey."""
    from csitool.errors import UsageError

    s = _load(tmp_path, _frame())
    with pytest.raises(UsageError, match="several surveys are compared as waves"):
        csitool.compare([s, s], ["segment"])
    with pytest.raises(UsageError, match="say what to compare"):
        csitool.compare(s)
    one = csitool.compare([s], ["segment"], correction="none").to_dict()
    assert one == csitool.compare(s, ["segment"], correction="none").to_dict()
    waves = csitool.compare([s, s], names=["a", "b"]).to_dict()
    assert [c["label"] for c in waves["banners"][0]["columns"]] == ["a", "b"]
