"""lmm_core against lme4 1.1-31 on committed reference values (tests/reference/make_reference.R).

Tolerances: objective 1e-6 relative, fixed effects 1e-5, standard errors and variance
components 2e-4 (looser on the flat likelihoods in tests/reference/cases.FLAT, with the
reason). lme4's messages are matched by kind (their numbers masked), and lmm_core's
``converged`` by lme4's codes. Each test id is a case whose R call is in the JSON under "call".
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import lmm_core
from tests.reference.cases import (
    FLAT,
    case,
    case_data,
    model_case_ids,
    objective_tolerance,
    rel,
    tolerance,
)

CASES = model_case_ids()


@pytest.fixture(scope="module")
def fits():
    out = {}
    for cid in CASES:
        c = case(cid)
        out[cid] = lmm_core.lmer(c["formula"], case_data(cid), reml=c["reml"])
    return out


@pytest.mark.parametrize("cid", CASES)
def test_objective_and_scalars(fits, cid):
    fit, ref = fits[cid], case(cid)
    tol = objective_tolerance(cid)
    assert fit.objective == pytest.approx(ref["objective"], rel=tol), ref["call"]
    assert fit.loglik == pytest.approx(ref["loglik"], rel=tol)
    assert fit.aic == pytest.approx(ref["aic"], rel=tol)
    assert fit.bic == pytest.approx(ref["bic"], rel=tol)
    assert fit.sigma == pytest.approx(ref["sigma"], rel=tolerance(cid))
    assert fit.nobs == ref["nobs"]
    assert fit.ngroups == ref["ngroups"]
    assert fit.npar == ref["loglik_df"]


@pytest.mark.parametrize("cid", CASES)
def test_fixed_effects_and_standard_errors(fits, cid):
    fit, ref = fits[cid], case(cid)
    assert list(fit.fixef.index) == list(ref["fixef"]), "lme4's coefficient names and order"
    assert rel(fit.fixef.values, list(ref["fixef"].values())) < 1e-5
    se = fit.coef_table()["Std. Error"]
    assert rel(se.values, [ref["se"][k] for k in se.index]) < tolerance(cid)
    vcov = fit.vcov()
    assert list(vcov.index) == ref["vcov_names"]
    assert rel(vcov.to_numpy(), np.array(ref["vcov"]), floor=1e-3) < tolerance(cid)


@pytest.mark.parametrize("cid", CASES)
def test_theta_and_varcorr(fits, cid):
    fit, ref = fits[cid], case(cid)
    assert fit.mm.theta_names == ref["theta_names"]
    tol = tolerance(cid)
    assert np.allclose(fit.theta, ref["theta"], rtol=tol, atol=tol)
    vc = fit.varcorr()
    expected = pd.DataFrame(ref["varcorr"])
    assert list(vc.columns) == ["grp", "var1", "var2", "vcov", "sdcor"]
    assert vc[["grp", "var1", "var2"]].values.tolist() == \
        expected[["grp", "var1", "var2"]].values.tolist()
    assert rel(vc["vcov"], expected["vcov"], floor=1e-2) < tol
    assert rel(vc["sdcor"], expected["sdcor"], floor=1e-2) < tol


@pytest.mark.parametrize("cid", CASES)
def test_ranef_coef_fitted(fits, cid):
    fit, ref = fits[cid], case(cid)
    for kind, tables in (("ranef", fit.ranef()), ("coef", fit.coef())):
        assert list(tables) == list(ref[kind]), f"{kind} grouping factors in lme4's order"
        for group, table in tables.items():
            expected = ref[kind][group]
            assert [str(v) for v in table.index] == expected["levels"]
            assert list(table.columns) == expected["columns"]
            scale = max(1.0, np.abs(np.array(expected["values"])).max())
            assert np.allclose(table.to_numpy(), expected["values"],
                               atol=tolerance(cid) * scale)
    scale = np.abs(ref["fitted_head"]).max() * tolerance(cid, 1e-5)
    assert np.allclose(fit.fitted()[:10], ref["fitted_head"], atol=scale)
    assert np.allclose(fit.residuals()[:10], ref["resid_head"], atol=scale)


def kind(message: str) -> str:
    """A message with its numbers masked: "max|grad| = # (tol = #, component #)"."""
    return re.sub(r"\d[\d.e+-]*", "#", message)


@pytest.mark.parametrize("cid", CASES)
def test_messages_and_singularity(fits, cid):
    """lme4's warnings and messages, the same kinds in the same order (numbers exact where
    the fit is not flat), and converged as lme4's codes say (optimizer 0, checkConv >= 0)."""
    fit, ref = fits[cid], case(cid)
    assert fit.is_singular == ref["singular"]
    if cid in FLAT:
        assert [kind(m) for m in fit.messages] == [kind(m) for m in ref["messages"]]
    else:
        assert list(fit.messages) == ref["messages"]
    lme4_converged = ref["conv_opt"] == 0 and min(np.atleast_1d(ref["conv_lme4_code"])) >= 0
    assert fit.converged == lme4_converged


def test_sleepstudy_numbers_quoted_in_the_issue(fits):
    """lmer(Reaction ~ Days + (Days | Subject), sleepstudy): the values students see."""
    fit = fits["sleep_slopes_reml"]
    assert fit.objective == pytest.approx(1743.628272, abs=1e-5)
    assert fit.fixef.to_numpy() == pytest.approx([251.405105, 10.467286], abs=1e-5)
    assert fit.coef_table()["Std. Error"].to_numpy() == pytest.approx([6.824597, 1.545790],
                                                                       abs=1e-5)
    assert fit.sigma == pytest.approx(25.591796, abs=1e-5)
    vc = fit.varcorr()
    assert vc["vcov"].to_numpy()[[0, 1, 3]] == pytest.approx([612.100, 35.0717, 654.940],
                                                              rel=2e-4)
    assert vc["sdcor"][2] == pytest.approx(0.06555, abs=1e-4)
    assert fits["sleep_slopes_ml"].objective == pytest.approx(1751.939344, abs=1e-5)
    assert fits["sleep_uncorr_reml"].objective == pytest.approx(1743.669294, abs=1e-5)
    assert fits["sleep_intercept_reml"].objective == pytest.approx(1786.465085, abs=1e-5)


def test_course_data_with_incomplete_participants(fits):
    """lmer(reaction ~ 1 + days + (1 + days | subject), sleep_seed): 183 rows."""
    fit = fits["sleep_seed_reml"]
    assert fit.nobs == 183
    assert fit.objective == pytest.approx(1771.4478, abs=1e-4)
    assert fit.fixef.to_numpy() == pytest.approx([252.5426, 10.4521], abs=1e-4)
    assert fit.coef_table()["Std. Error"].to_numpy() == pytest.approx([6.433, 1.542], abs=1e-3)
    vc = fit.varcorr()["vcov"].to_numpy()
    assert vc[[0, 1, 3]] == pytest.approx([582.72, 35.03, 649.36], rel=2e-4)


def test_rank_deficient_design_drops_the_column(fits):
    fit = fits["sleep_rankdef"]
    assert list(fit.fixef.index) == ["(Intercept)", "Days"]
    assert "fixed-effect model matrix is rank deficient so dropping 1 column / coefficient" \
        in fit.messages


def test_nested_groups_are_named_like_lme4(fits):
    fit = fits["pastes_nested"]
    assert list(fit.ngroups) == ["cask:batch", "batch"]
    assert fit.ranef()["cask:batch"].index[0] == "a:A"
