"""Remedies: new (formula, data) pairs that parse, fit, and never change their inputs.

References (tests/reference/lme4_reference.json):
    sleep_uncorr_reml:    lmer(Reaction ~ Days + (Days || Subject), sleepstudy) -> 1743.669294
    sleep_intercept_reml: lmer(Reaction ~ Days + (1 | Subject), sleepstudy)     -> 1786.465085
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lmm_core
import simulators
from lmm_core.errors import ColumnNotFoundError, DataError, FormulaError
from lmm_core.remedies import (
    Remedy,
    center_scale,
    drop_correlation,
    drop_random_slopes,
    formula_text,
    relevel,
)

ROOT = Path(__file__).resolve().parents[2]
REF = json.loads((ROOT / "tests" / "reference" / "lme4_reference.json").read_text())["cases"]
CAKE = ROOT / "tests" / "reference" / "data" / "cake.csv"
SLOPES = "Reaction ~ Days + (Days | Subject)"


@pytest.fixture(scope="module")
def sleep():
    return simulators.load("sleepstudy")  # the copy the package ships


# formula -> (drop_correlation, drop_random_slopes)
FORMULAS = [
    ("y ~ x + (x | g)", "y ~ x + (x || g)", "y ~ x + (1 | g)"),
    ("y ~ x*z + (x*z | g)", "y ~ x + z + x:z + (x + z + x:z || g)", "y ~ x + z + x:z + (1 | g)"),
    ("y ~ 0 + x + (1 + x | g) + (1|h)", "y ~ 0 + x + (x || g) + (1 | h)",
     "y ~ 0 + x + (1 | g) + (1 | h)"),
    ("y ~ x + (0 + x + z | g)", "y ~ x + (0 + x + z || g)", "y ~ x + (1 | g)"),
    ("log(y) ~ I(x^2) + (x | g:h)", "log(y) ~ I(x^2) + (x || g:h)", "log(y) ~ I(x^2) + (1 | g:h)"),
    ("`my y` ~ `a b` + (`a b` | `g 1`)", "`my y` ~ `a b` + (`a b` || `g 1`)",
     "`my y` ~ `a b` + (1 | `g 1`)"),
    ("y ~ x + (x || g)", "y ~ x + (x || g)", "y ~ x + (1 | g)"),  # already uncorrelated
    ("y ~ x + (1 | g)", "y ~ x + (1 | g)", "y ~ x + (1 | g)"),  # nothing to do: text kept
    ("y ~ x + offset(log(n)) + (x | a/b)",
     "y ~ x + offset(log(n)) + (x || b:a) + (x || a)",
     "y ~ x + offset(log(n)) + (1 | b:a) + (1 | a)"),
    ("y ~ poly(x, 2) + scale(z, scale = FALSE) + (poly(x, 2) | g)",
     "y ~ poly(x, 2) + scale(z, scale = FALSE) + (poly(x, 2) || g)",
     "y ~ poly(x, 2) + scale(z, scale = FALSE) + (1 | g)"),
]


@pytest.mark.parametrize(("formula", "uncorrelated", "intercepts"), FORMULAS)
def test_formula_rewrites(formula, uncorrelated, intercepts):
    assert drop_correlation(formula).formula == uncorrelated
    assert drop_random_slopes(formula).formula == intercepts
    for text in (uncorrelated, intercepts):
        lmm_core.parse_formula(text)


@pytest.mark.parametrize("formula", [f for f, _, _ in FORMULAS] + [
    "y ~ 1 + (1 | a/b)", "y ~ (1 | a/b/c)", 'y ~ I(x > 1) + dummy(s, "M") + (1 | g)'])
def test_formula_text_round_trips(formula):
    parsed = lmm_core.parse_formula(formula)
    again = lmm_core.parse_formula(formula_text(parsed))
    assert (again.response, again.fixed, again.random, again.offsets) == (
        parsed.response, parsed.fixed, parsed.random, parsed.offsets)
    assert [t.group_name for t in again.random] == [t.group_name for t in parsed.random]


def test_remedies_take_and_give_parsed_formulas(sleep):
    """A Formula goes in without being parsed again; remedy.parsed goes straight to lmer()."""
    parsed = lmm_core.parse_formula(SLOPES)
    remedy = drop_correlation(parsed, sleep)
    assert remedy.formula == "Reaction ~ Days + (Days || Subject)"
    assert remedy.parsed.random == lmm_core.parse_formula(remedy.formula).random
    fit = lmm_core.lmer(remedy.parsed, remedy.data)
    assert fit.objective == pytest.approx(REF["sleep_uncorr_reml"]["objective"], rel=1e-6)
    assert center_scale(parsed, sleep).parsed is parsed  # formula unchanged: same object


def test_bad_formula_raises():
    with pytest.raises(FormulaError):
        drop_correlation("y ~ (x | ")


def test_drop_correlation_fits_like_lme4(sleep):
    before = sleep.copy()
    remedy = drop_correlation(SLOPES, sleep)
    assert isinstance(remedy, Remedy) and remedy.data is sleep
    formula, data = remedy
    fit = lmm_core.lmer(formula, data)
    assert fit.objective == pytest.approx(REF["sleep_uncorr_reml"]["objective"], abs=1e-5)
    assert fit.objective == pytest.approx(1743.669294, abs=1e-6)
    fit = lmm_core.lmer(*drop_random_slopes(SLOPES, sleep))
    assert fit.objective == pytest.approx(REF["sleep_intercept_reml"]["objective"], abs=1e-5)
    pd.testing.assert_frame_equal(sleep, before)


def test_center_scale(sleep):
    before = sleep.copy()
    remedy = center_scale(SLOPES, sleep)
    assert remedy.formula == SLOPES and list(remedy.scaling.index) == ["Days"]
    mean, sd = remedy.scaling.loc["Days", ["mean", "sd"]]
    assert mean == pytest.approx(4.5) and sd == pytest.approx(sleep.Days.std(ddof=1))
    np.testing.assert_allclose(remedy.data.Days, (sleep.Days - 4.5) / sd)
    pd.testing.assert_frame_equal(sleep, before)
    original, scaled = lmm_core.lmer(SLOPES, sleep), lmm_core.lmer(*remedy)
    slope = original.fixef["Days"]
    assert scaled.fixef["Days"] == pytest.approx(slope * sd, rel=1e-6)
    assert scaled.fixef["(Intercept)"] == pytest.approx(
        original.fixef["(Intercept)"] + slope * mean, rel=1e-6)
    # REML changes by log|RX|^2: X -> X T with |T| = 1/sd, so logLik rises by log(sd)
    assert scaled.loglik == pytest.approx(original.loglik + np.log(sd), abs=1e-5)


def test_center_scale_default_skips_response_groups_and_log_arguments(sleep):
    data = sleep.assign(x=np.arange(180.0) + 1)
    remedy = center_scale("Reaction ~ Days + log(x) + (1 | Subject)", data)
    assert list(remedy.scaling.index) == ["Days"]
    assert (remedy.data.x == data.x).all()


def test_center_scale_columns_argument(sleep):
    remedy = center_scale(SLOPES, sleep.assign(c=1.0), columns=["Days", "c"])
    assert remedy.scaling.loc["c", "scaled"] == False  # noqa: E712 - constant: centred only
    assert (remedy.data.c == 0).all()
    with pytest.raises(ColumnNotFoundError):
        center_scale(SLOPES, sleep, columns="days")
    with pytest.raises(DataError, match="not numeric"):
        center_scale(SLOPES, sleep.assign(s="a"), columns=["s"])


def test_relevel_changes_the_reference_level():
    cake = pd.read_csv(CAKE)
    before = cake.copy()
    formula = "angle ~ recipe + temp + (1 | replicate)"
    remedy = relevel(formula, cake, "recipe", "B")
    assert remedy.formula == formula
    assert list(remedy.data.recipe.cat.categories) == ["B", "A", "C"]
    assert not remedy.data.recipe.cat.ordered
    original, releveled = lmm_core.lmer(formula, cake), lmm_core.lmer(*remedy)
    assert list(releveled.fixef.index) == ["(Intercept)", "recipeA", "recipeC", "temp"]
    assert releveled.fixef["(Intercept)"] == pytest.approx(
        original.fixef["(Intercept)"] + original.fixef["recipeB"], abs=1e-6)
    assert releveled.objective == pytest.approx(original.objective, abs=1e-6)
    pd.testing.assert_frame_equal(cake, before)


def test_relevel_numbers_stored_as_text_and_missing_values(sleep):
    data = sleep.assign(day=sleep.Days.astype(str).where(sleep.Days != 3))
    remedy = relevel("Reaction ~ day + (1 | Subject)", data, "day", 5)
    assert remedy.data.day.cat.categories[0] == "5" and remedy.data.day.isna().sum() == 18
    fit = lmm_core.lmer(*remedy)
    assert fit.fixef.index[1] == "day0" and "day5" not in fit.fixef.index


def test_relevel_errors(sleep):
    with pytest.raises(DataError, match="levels are: 308, 309"):
        relevel(SLOPES, sleep.astype({"Subject": str}), "Subject", "999")
    with pytest.raises(DataError, match="numeric"):
        relevel(SLOPES, sleep, "Days", 0)
    with pytest.raises(ColumnNotFoundError):
        relevel(SLOPES, sleep, "subject", "308")
