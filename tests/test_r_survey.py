"""The same figures computed by R's ``survey`` package, compared to 1e-6.

Optional: skipped, saying so, where ``Rscript`` with the ``survey`` package is absent
(Debian: ``apt-get install r-base-core r-cran-survey``). Each test writes its data to a CSV,
runs the R calls shown in the test, and compares what R prints with csitool's figure.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from csitool.stats.csi import item_stats
from csitool.stats.nps import compare_nps, nps


def _r_available() -> bool:
    if shutil.which("Rscript") is None:
        return False
    done = subprocess.run(
        ["Rscript", "-e", "suppressMessages(library(survey))"], capture_output=True, check=False
    )
    return done.returncode == 0


pytestmark = pytest.mark.skipif(
    not _r_available(),
    reason="R with the survey package is not installed (apt-get install r-base-core r-cran-survey)",
)


def r_numbers(script: str, data: pd.DataFrame, tmp_path: Path) -> list[float]:
    """Run ``script`` in R with ``df`` read from a CSV; it must cat() numbers, one per line."""
    csv = tmp_path / "data.csv"
    data.to_csv(csv, index=False)
    head = "options(digits = 15)\nsuppressMessages(library(survey))\n"
    code = f'{head}df <- read.csv("{csv}")\n{script}\n'
    done = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, check=True)
    return [float(v) for v in done.stdout.split()]


def _survey_data(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 11, n).astype(float)
    # weights correlated with loyalty, as after post-stratification
    w = np.where(x >= 9, 2.2, np.where(x <= 6, 0.7, 1.0)) * rng.uniform(0.5, 1.5, n)
    z = np.where(x >= 9, 1.0, np.where(x <= 6, -1.0, 0.0))
    seg = np.where(rng.uniform(size=n) < 0.45, "A", "B")
    sat = np.clip(np.round(x / 2.5) + 1, 1, 5)
    return pd.DataFrame({"x": x, "w": w, "z": z, "seg": seg, "sat": sat})


def test_weighted_and_unweighted_nps_se(tmp_path):
    df = _survey_data(1, 700)
    got = r_numbers(
        """
        d <- svydesign(ids=~1, weights=~w, data=df)
        m <- svymean(~z, d); cat(coef(m) * 100, SE(m) * 100, "\\n")
        d1 <- svydesign(ids=~1, weights=~1, data=df)
        m1 <- svymean(~z, d1); cat(coef(m1) * 100, SE(m1) * 100, "\\n")
        """,
        df,
        tmp_path,
    )
    weighted = nps(df["x"].to_numpy(), df["w"].to_numpy())
    plain = nps(df["x"].to_numpy())
    assert (weighted.score, weighted.se) == pytest.approx(got[0:2], abs=1e-6)
    assert (plain.score, plain.se) == pytest.approx(got[2:4], abs=1e-6)


def test_weighted_nps_difference_between_segments(tmp_path):
    df = _survey_data(2, 900)
    got = r_numbers(
        """
        d <- svydesign(ids=~1, weights=~w, data=df)
        a <- svymean(~z, subset(d, seg == "A")); b <- svymean(~z, subset(d, seg == "B"))
        diff <- coef(a) - coef(b); se <- sqrt(SE(a)^2 + SE(b)^2)
        cat(diff * 100, se * 100, "\\n")
        """,
        df,
        tmp_path,
    )
    # csitool estimates each segment on its own rows (a design per segment); R's subset()
    # is the domain estimator of the full design: the same difference, SEs within 1%.
    a = df[df.seg == "A"]
    b = df[df.seg == "B"]
    d = compare_nps(nps(a.x.to_numpy(), a.w.to_numpy()), nps(b.x.to_numpy(), b.w.to_numpy()))
    assert d.estimate == pytest.approx(got[0], abs=1e-6)
    got_separate = r_numbers(
        """
        da <- svydesign(ids=~1, weights=~w, data=subset(df, seg == "A"))
        db <- svydesign(ids=~1, weights=~w, data=subset(df, seg == "B"))
        a <- svymean(~z, da); b <- svymean(~z, db)
        cat((coef(a) - coef(b)) * 100, sqrt(SE(a)^2 + SE(b)^2) * 100, "\\n")
        """,
        df,
        tmp_path,
    )
    assert (d.estimate, d.se) == pytest.approx(got_separate, abs=1e-6)
    # and the domain SE from the full design differs from it only slightly
    assert d.se == pytest.approx(got[1], rel=0.01)


def test_csi_interval_t_and_logit(tmp_path):
    df = pd.DataFrame({"x": [5.0] * 10 + [1.0], "w": 1.0})
    got = r_numbers(
        """
        d <- svydesign(ids=~1, weights=~w, data=df)
        u <- svyciprop(~I((x - 1) / 4), d, method = "logit", df = degf(d))
        cat(as.numeric(confint(u)) * 100, "\\n")
        """,
        df,
        tmp_path,
    )
    r = item_stats("x", df["x"].to_numpy(), 1, 5)
    assert r.ci_method == "logit"
    assert (r.ci_low, r.ci_high) == pytest.approx(got, abs=1e-6)

    big = _survey_data(3, 500)
    got = r_numbers(
        """
        d <- svydesign(ids=~1, weights=~w, data=df)
        m <- svymean(~sat, d); ci <- confint(m, df = degf(d))
        cat((coef(m) - 1) / 4 * 100, SE(m) / 4 * 100, (ci - 1) / 4 * 100, "\\n")
        """,
        big,
        tmp_path,
    )
    r = item_stats("sat", big["sat"].to_numpy(), 1, 5, big["w"].to_numpy())
    # degf(d) = n - 1 and csitool's t uses Kish n_eff - 1: equal when weights are equal,
    # so compare the estimate and SE here, and the interval on the unweighted design
    assert (r.csi, r.se) == pytest.approx(got[0:2], abs=1e-6)
    plain = r_numbers(
        """
        d <- svydesign(ids=~1, weights=~1, data=df)
        m <- svymean(~sat, d); ci <- confint(m, df = degf(d))
        cat((ci - 1) / 4 * 100, "\\n")
        """,
        big,
        tmp_path,
    )
    r = item_stats("sat", big["sat"].to_numpy(), 1, 5)
    assert r.ci_method == "t"
    assert (r.ci_low, r.ci_high) == pytest.approx(plain, abs=1e-6)
