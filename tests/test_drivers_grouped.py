"""Drivers on frequency-weighted rows: a row standing for n identical respondents (their sum
of weights sw and of squared weights sw2) gives every figure of those respondents one row
each.

The oracle is the replicated table: the sample survey's complete rows, each repeated k times
(k from 1 to 4), analysed one respondent per row, against the same rows once with n = k,
sw = k w, sw2 = k w^2; and against the repeated rows grouped by pandas (distinct rows with
different weights added up). Weighted and unweighted, with segments, stages, the bad
moment's NPS and satisfaction.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from csitool.config import Reading
from csitool.stats import drivers as dv
from csitool.stats.common import Rows, mean_se
from csitool.stats.regression import wls
from csitool.survey.build import read_survey
from csitool.survey.complete import CompleteRows, from_survey
from tests.conftest import ROOT
from tests.test_golden import same

SAMPLE = ROOT / "sample_data" / "survey_en.csv"
BY = ("Customer type", "Channel")


@pytest.fixture(scope="module")
def sample():
    survey = read_survey(str(SAMPLE), Reading(config=ROOT / "sample_data" / "csitool.toml"))
    roles = survey.roles
    rows = from_survey(survey, [roles.sat, *roles.attrs], [roles.nps], BY)
    k = np.random.default_rng(4).integers(1, 5, size=rows.n)
    return survey, rows, k


def _repeated(rows: CompleteRows, k: np.ndarray, weighted: bool) -> CompleteRows:
    """Each row k times, one respondent per row."""
    idx = np.repeat(np.arange(rows.n), k)
    w = rows.weights[idx] if weighted and rows.weights is not None else None
    return dataclasses.replace(
        rows,
        x=np.asfortranarray(rows.x[idx]),
        optional={c: v[idx] for c, v in rows.optional.items()},
        weights=w,
        segments={c: (values, codes[idx]) for c, (values, codes) in rows.segments.items()},
    )


def _with_n(rows: CompleteRows, k: np.ndarray, weighted: bool) -> CompleteRows:
    """Each row once, standing for k respondents of its weight."""
    kf = k.astype(float)
    w = rows.weights if weighted else None
    return dataclasses.replace(
        rows,
        weights=None if w is None else kf * w,
        weights2=None if w is None else kf * w * w,
        freq=kf,
    )


def _pandas_grouped(rows: CompleteRows) -> CompleteRows:
    """Identical (values, NPS, segments) rows grouped by pandas: count, sum w, sum w^2."""
    cols = {f"x{j}": rows.x[:, j] for j in range(rows.x.shape[1])}
    cols |= {f"o{j}": v for j, v in enumerate(rows.optional.values())}
    cols |= {f"s{j}": codes for j, (_, codes) in enumerate(rows.segments.values())}
    frame = pd.DataFrame(cols)
    keys = list(frame.columns)
    frame["w"] = rows.weights
    frame["w2"] = rows.weights**2
    g = frame.groupby(keys, dropna=False, sort=True).agg(
        n=("w", "size"), sw=("w", "sum"), sw2=("w2", "sum")
    )
    g = g.reset_index()
    k = rows.x.shape[1]
    return dataclasses.replace(
        rows,
        x=np.asfortranarray(g[[f"x{j}" for j in range(k)]].to_numpy(dtype=float)),
        optional={c: g[f"o{j}"].to_numpy(dtype=float) for j, c in enumerate(rows.optional)},
        segments={
            c: (values, g[f"s{j}"].to_numpy(dtype=np.int32))
            for j, (c, (values, _)) in enumerate(rows.segments.items())
        },
        weights=g["sw"].to_numpy(dtype=float),
        weights2=g["sw2"].to_numpy(dtype=float),
        freq=g["n"].to_numpy(dtype=float),
    )


def _drivers(monkeypatch, survey, rows: CompleteRows) -> dict:
    monkeypatch.setattr(dv, "_complete", lambda *a, **kw: rows)
    out = dv.drivers(survey, None, BY, min_base=20).to_dict()
    out.pop("rows")  # the ledger counts of the file, not of these rows
    return out


@pytest.mark.parametrize("weighted", [True, False])
def test_rows_repeated_k_times_equal_rows_with_n_k(sample, monkeypatch, weighted):
    survey, rows, k = sample
    one_by_one = _drivers(monkeypatch, survey, _repeated(rows, k, weighted))
    grouped = _drivers(monkeypatch, survey, _with_n(rows, k, weighted))
    diffs = same(grouped, one_by_one)
    assert not diffs, "\n".join(diffs[:20])
    assert grouped["n"] == int(k.sum()) > rows.n
    assert grouped["stages"] and grouped["bad_moment"]["nps_bad"] is not None
    assert grouped["bad_moment"]["sat_difference"]["df"] is not None
    assert any(g["analysed"] for g in grouped["segments"][BY[0]])
    # the figures did move against the rows counted once (the test can fail)
    once = _drivers(monkeypatch, survey, _repeated(rows, np.ones_like(k), weighted))
    assert same(grouped, once)


def test_rows_grouped_by_pandas_equal_the_rows_one_by_one(sample, monkeypatch):
    """Repeated rows grouped as an engine groups them: distinct rows whose respondents
    have different weights carry the sums, not k times one weight."""
    survey, rows, k = sample
    repeated = _repeated(rows, k, True)
    # every second copy of a row gets another weight: equal values, unequal weights
    assert repeated.weights is not None
    w = repeated.weights * np.where(np.arange(repeated.n) % 2, 1.0, 1.7)
    repeated = dataclasses.replace(repeated, weights=w)
    grouped = _pandas_grouped(repeated)
    assert grouped.n < repeated.n
    diffs = same(_drivers(monkeypatch, survey, grouped), _drivers(monkeypatch, survey, repeated))
    assert not diffs, "\n".join(diffs[:20])


def test_wls_and_mean_se_on_grouped_rows_against_numpy_on_repeated_rows():
    """HC1 by hand on the repeated rows (numpy), against wls on the grouped rows."""
    rng = np.random.default_rng(9)
    m = 40
    d = np.column_stack([np.ones(m), rng.integers(0, 2, size=(m, 2))])
    y = d @ np.array([3.0, 1.0, -0.5]) + rng.normal(size=m)
    w = rng.uniform(0.5, 2.0, size=m)
    k = rng.integers(1, 4, size=m)
    fit = wls(d, y, Rows(k.astype(float), k * w, k * w * w))
    dr, yr, wr = np.repeat(d, k, axis=0), np.repeat(y, k), np.repeat(w, k)
    n, p = dr.shape
    a = np.linalg.inv(dr.T @ (dr * wr[:, None]))
    b = a @ dr.T @ (wr * yr)
    e = yr - dr @ b
    meat = dr.T @ (dr * (wr * wr * e * e)[:, None])
    cov = n / (n - p) * a @ meat @ a
    np.testing.assert_allclose(fit.coef, b, rtol=1e-10)
    np.testing.assert_allclose(fit.cov, cov, rtol=1e-10)
    assert fit.n == n
    assert fit.df == pytest.approx(wr.sum() ** 2 / (wr * wr).sum() - p, rel=1e-12)
    # the linearisation SE of a weighted mean: n / (n - 1) sum (w (x - m) / W)^2
    mean, se, n_eff = mean_se(y, Rows(k.astype(float), k * w, k * w * w))
    mr = np.sum(wr * yr) / wr.sum()
    var = n / (n - 1) * np.sum((wr * (yr - mr) / wr.sum()) ** 2)
    assert mean == pytest.approx(mr, rel=1e-12)
    assert se == pytest.approx(np.sqrt(var), rel=1e-10)
    assert n_eff == pytest.approx(wr.sum() ** 2 / (wr * wr).sum(), rel=1e-12)
