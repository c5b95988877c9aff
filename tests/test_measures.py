"""The measure registry: compare and check loop over it; registering a measure is enough
for compare to show and test it."""

from __future__ import annotations

import numpy as np
import pytest

import csitool
from csitool.stats import measures
from csitool.stats.measures import Estimate, Measure
from tests.conftest import ROOT


def test_a_registered_measure_appears_in_compare_rows(monkeypatch):
    # a new per-item measure: the bottom-2-box share of each attribute, tested as a share
    def bottom2(it):
        return Estimate(it.bottom2_box, "prop", float("nan"), it.n, it.n_eff)

    monkeypatch.setattr(measures, "MEASURES", list(measures.MEASURES))
    measures.register(Measure("item_bottom2", "attr_bottom2", "prop", of_item=bottom2))
    assert "attr_bottom2" in measures.row_groups()
    s = csitool.load(ROOT / "sample_data" / "survey.xlsx")
    r = csitool.compare(s, by=["고객유형"], rows=["attr_bottom2"])
    rows = r.banners[0].rows
    assert {row.measure for row in rows} == {"item_bottom2"}
    assert [row.item for row in rows] == list(s.roles.attrs)
    # the cells are the attributes' bottom-2 shares in each segment, counted by hand
    col = s.roles.attrs[0]
    first = rows[0]
    seg = s.segment_labels("고객유형")
    value = r.banners[0].columns[0].label
    x = s.values[col][seg == value]
    x = x[~np.isnan(x)]
    w = s.weights[seg == value] if s.weights is not None else np.ones(len(x))
    if s.weights is not None:
        w = w[~np.isnan(s.values[col][seg == value])]
    assert first.cells[0].value == pytest.approx(100 * np.sum(w[x <= 2]) / np.sum(w))


def test_register_refuses_a_clash_and_an_unknown_kind(monkeypatch):
    monkeypatch.setattr(measures, "MEASURES", list(measures.MEASURES))
    with pytest.raises(ValueError, match="registered already"):
        measures.register(Measure("nps", "x", "nps", of_group=lambda g: None))
    with pytest.raises(ValueError, match="kind must be one of"):
        measures.register(Measure("ces", "ces", "median", of_group=lambda g: None))


def test_check_rules_read_the_registry():
    from csitool.stats.check import THRESHOLDS

    names = {m.name for m in measures.MEASURES}
    assert all(measure in names for _, measure, _, _ in THRESHOLDS)
