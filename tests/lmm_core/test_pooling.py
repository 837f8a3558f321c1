"""pooling(): complete, no and partial pooling against R.

Reference (tests/reference/make_reference.R, case "pooling_sleepstudy"):
    no pooling:       lm(Reaction ~ Days) per Subject
    complete pooling: lm(Reaction ~ Days, sleepstudy)
    partial pooling:  coef(lmer(Reaction ~ Days + (Days | Subject), sleepstudy))$Subject
    spread:           apply(no_pool, 2, sd); apply(partial, 2, sd)
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import scipy.stats

import simulators
from lmm_core.errors import ColumnNotFoundError, DataError, LmmError
from lmm_core.pooling import CONSTANT_PREDICTOR, ONE_OBSERVATION, pooling, shrinkage

ROOT = Path(__file__).resolve().parents[2]
REF = json.loads((ROOT / "tests" / "reference" / "lme4_reference.json").read_text())["cases"]


@pytest.fixture(scope="module")
def sleep():
    return simulators.load("sleepstudy")  # the copy the package ships


@pytest.fixture(scope="module")
def result(sleep):
    return pooling(sleep, "Reaction", "Days", "Subject")


def test_matches_r(result):
    ref = REF["pooling_sleepstudy"]
    groups = result.groups
    assert list(groups.index) == ref["no_pooling"]["levels"]
    np.testing.assert_allclose(groups[["no_pool_intercept", "no_pool_slope"]],
                               ref["no_pooling"]["values"], rtol=1e-10)
    np.testing.assert_allclose(groups[["partial_intercept", "partial_slope"]],
                               ref["partial_pooling"]["values"], rtol=1e-6)
    complete = list(ref["complete_pooling"].values())
    np.testing.assert_allclose(groups[["complete_intercept", "complete_slope"]],
                               np.tile(complete, (18, 1)), rtol=1e-10)
    np.testing.assert_allclose(result.complete, complete, rtol=1e-10)
    assert (groups["n"] == 10).all() and (groups["note"] == "").all()


def test_spread(result):
    ref = REF["pooling_sleepstudy"]
    spread = result.spread
    assert list(spread.index) == ["no pooling", "partial pooling"]
    np.testing.assert_allclose(spread.loc["no pooling"], list(ref["sd_no_pooling"].values()),
                               atol=1e-4)
    np.testing.assert_allclose(spread.loc["partial pooling"],
                               list(ref["sd_partial_pooling"].values()), atol=1e-4)
    assert spread.loc["no pooling", "intercept"] == pytest.approx(28.954, abs=1e-3)
    assert spread.loc["partial pooling", "slope"] == pytest.approx(5.455, abs=1e-3)


def test_shrinkage(result):
    g, pop = result.groups, result.population
    expected = 1 - (g.partial_intercept - pop.iloc[0]).abs() / (
        g.no_pool_intercept - pop.iloc[0]).abs()
    np.testing.assert_allclose(g.shrinkage_intercept, expected)
    assert g.shrinkage_intercept.median() > 0  # partial pooling pulls toward the population
    np.testing.assert_allclose(shrinkage([5.0, 2.0, 1.0], [9.0, 2.0, np.nan], 1.0),
                               [0.5, 0.0, np.nan])
    assert np.isnan(shrinkage([1.0], [1.0], 1.0)[0])  # nothing to shrink


def test_population_normal(result):
    normal = result.population_normal
    fit = result.fit
    np.testing.assert_allclose(normal.mean, fit.fixef)
    vc = fit.varcorr()
    sd0, sd1, cor = vc.sdcor[0], vc.sdcor[1], vc.sdcor[2]
    np.testing.assert_allclose(normal.cov, [[sd0**2, cor * sd0 * sd1], [cor * sd0 * sd1, sd1**2]])
    ellipse = normal.ellipse(0.9, n_points=50)
    assert list(ellipse.columns) == ["x", "y", "order"] and len(ellipse) == 50
    d = ellipse[["x", "y"]].to_numpy() - normal.mean
    mahal = np.einsum("ni,ij,nj->n", d, np.linalg.inv(normal.cov), d)
    np.testing.assert_allclose(mahal, scipy.stats.chi2.ppf(0.9, 2), rtol=1e-8)
    grid = normal.grid(n=40)
    assert len(grid) == 1600 and grid.density.max() == pytest.approx(
        normal.density(*normal.mean), rel=0.05)
    with pytest.raises(LmmError, match="level"):
        normal.ellipse(1.5)


def test_one_observation_group_gets_a_note(sleep):
    data = sleep.drop(index=range(1, 10))  # subject 308 keeps day 0 only
    res = pooling(data, "Reaction", "Days", "Subject")
    row = res.groups.loc["308"]
    assert row.n == 1 and np.isnan(row.no_pool_slope) and row.note == ONE_OBSERVATION
    assert row.no_pool_intercept == sleep.Reaction[0]  # lm() with one row: intercept = y
    assert np.isfinite(row.partial_slope)  # the mixed model still gives it a slope
    assert np.isnan(row.shrinkage_slope)
    assert res.spread.notna().all().all()  # SDs over the groups that have a slope


def test_constant_predictor_note(sleep):
    data = sleep.copy()
    data.loc[data.Subject == "309", "Days"] = 4
    row = pooling(data, "Reaction", "Days", "Subject").groups.loc["309"]
    assert row.note == CONSTANT_PREDICTOR and np.isnan(row.no_pool_slope)


def test_missing_values_left_out_of_all_fits(sleep):
    data = sleep.astype({"Reaction": float})
    data.loc[[0, 1], "Reaction"] = np.nan
    res = pooling(data, "Reaction", "Days", "Subject")
    assert res.groups.loc["308", "n"] == 8 and res.fit.nobs == 178


def test_bad_columns(sleep):
    with pytest.raises(ColumnNotFoundError, match="Did you mean 'Days'"):
        pooling(sleep, "Reaction", "days", "Subject")
    with pytest.raises(DataError, match="numeric"):
        pooling(sleep.assign(Days=sleep.Days.astype(str)), "Reaction", "Days", "Subject")


def test_unusual_names_and_long_table(sleep):
    data = sleep.rename(columns={"Days": "days awake", "Subject": "who"})
    res = pooling(data, "Reaction", "days awake", "who")
    assert res.fit.formula == "Reaction ~ `days awake` + (`days awake` | who)"
    long = res.long()
    assert list(long.columns) == ["group", "method", "intercept", "slope"] and len(long) == 54
