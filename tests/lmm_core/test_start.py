"""start_theta: lme4's starting values (mkLmerDevfun), against lme4 on every reference case.

The reference JSON holds environment(lmer(..., devFunOnly = TRUE))$pp$theta per case: a
moment estimate when every random term is (1 | f) with a factor of its own (Penicillin, Assay,
the nested simulation), else 1 on the diagonal and 0 below it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lmm_core
from lmm_core.design import model_matrices
from lmm_core.formula import parse_formula
from lmm_core.start import start_theta
from tests.reference.cases import case, case_data, model_case_ids

CASES = model_case_ids()


@pytest.mark.parametrize("cid", CASES)
def test_start_is_lme4s(cid):
    ref = case(cid)
    mm = model_matrices(parse_formula(ref["formula"]), case_data(cid))
    np.testing.assert_allclose(start_theta(mm), ref["theta_start"], rtol=1e-12, atol=0)


def test_the_rule_applies_only_to_separate_random_intercepts():
    rng = np.random.default_rng(1)
    data = pd.DataFrame({"g": np.repeat(list("abcdefgh"), 6), "x": rng.normal(size=48)})
    data["y"] = np.repeat(rng.normal(size=8), 6) + data["x"] + rng.normal(size=48)
    moments = model_matrices(parse_formula("y ~ x + (1 | g)"), data)
    assert start_theta(moments)[0] != 1.0
    for formula in ("y ~ x + (x | g)", "y ~ x + (1 | g) + (1 | g)", "y ~ x + (0 + x | g)"):
        mm = model_matrices(parse_formula(formula), data)
        np.testing.assert_array_equal(start_theta(mm), mm.theta0)


def test_no_residual_variance_left_keeps_the_default():
    """var(y) - sum(var of group means) <= 0 (classes nested in schools, y constant within a
    class: the class means already hold all of var(y)): lme4 keeps theta = 1."""
    rng = np.random.default_rng(2)
    data = pd.DataFrame({"school": np.repeat(list("abcdef"), 6),
                         "class": np.repeat([f"c{i}" for i in range(12)], 3)})
    data["y"] = np.repeat(rng.normal(size=12), 3)
    data["x"] = rng.normal(size=36)
    mm = model_matrices(parse_formula("y ~ x + (1 | school) + (1 | class)"), data)
    np.testing.assert_array_equal(start_theta(mm), [1.0, 1.0])


def test_lmer_starts_there():
    c = case("assay_intercepts")
    fit = lmm_core.lmer(c["formula"], case_data("assay_intercepts"))
    assert fit.opt.feval == c["feval"]  # lme4's 66 evaluations, from lme4's start
