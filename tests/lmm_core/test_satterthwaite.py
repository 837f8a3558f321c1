"""Satterthwaite's df and p-values against lmerTest 3.1-3 (tests/reference/make_reference.R).

Each case's R call is its "call" in the JSON (the test id is the case id); the values come from
``summary(lmerTest::lmer(...))$coefficients``. Tolerances: df and p-values 1e-3 relative.
Our optimizer stops a little closer to the optimum than lme4's in some cases (theta differs by
up to 1e-4), and a p-value of 1e-18 moves by 2e-3 relative for that; p-values below 1e-6 are
therefore compared on the log scale. ``test_at_lme4_theta`` removes the optimizer from the
comparison: at lme4's own theta, df and p agree to 1e-5.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import scipy.stats

import lmm_core
from lmm_core.errors import LmmError
from lmm_core.satterthwaite import contrast_f_test, contrast_t_test, varpar_covariance
from tests.reference.cases import ILL_CONDITIONED, case, case_data, model_case_ids, tolerance

CASES = [cid for cid in model_case_ids() if "satterthwaite" in case(cid)]


@pytest.fixture(scope="module")
def fits():
    return {cid: lmm_core.lmer(case(cid)["formula"], case_data(cid), reml=case(cid)["reml"])
            for cid in CASES}


def at_theta(fit, theta):
    """The same model evaluated at another theta (lme4's estimates)."""
    theta = np.asarray(theta, float)
    opt = dataclasses.replace(fit.opt, theta=theta)
    return dataclasses.replace(fit, opt=opt, _cache={})


def assert_pvalues(got, expected, rel):
    got, expected = np.asarray(got, float), np.asarray(expected, float)
    tiny = expected < 1e-6
    assert np.allclose(got[~tiny], expected[~tiny], rtol=rel, atol=0)
    assert np.allclose(np.log(got[tiny]), np.log(expected[tiny]), rtol=rel, atol=0)


@pytest.mark.parametrize("cid", CASES)
def test_coef_table_satterthwaite(fits, cid):
    ref = case(cid)
    table = fits[cid].coef_table(ddf="Satterthwaite")
    expected = pd.DataFrame(ref["satterthwaite"]).T
    assert list(table.columns) == ["Estimate", "Std. Error", "df", "t value", "Pr(>|t|)"]
    assert list(table.index) == list(expected.index), ref["call"]
    tol = tolerance(cid, 1e-3)  # flat likelihoods (cases.FLAT): where the optimizer stops
    assert np.allclose(table["df"], expected["df"], rtol=tol, atol=0), ref["call"]
    assert_pvalues(table["Pr(>|t|)"], expected["Pr(>|t|)"], tol)


@pytest.mark.parametrize("cid", CASES)
def test_at_lme4_theta(fits, cid):
    """Same R call; evaluated at lme4's theta so that only the df computation is compared."""
    ref = case(cid)
    table = at_theta(fits[cid], ref["theta"]).coef_table(ddf="Satterthwaite")
    expected = pd.DataFrame(ref["satterthwaite"]).T
    # ill-conditioned (cases.ILL_CONDITIONED): numerical derivatives agree to 3e-4 there
    rtol = 1e-3 if cid in ILL_CONDITIONED else 1e-5
    assert np.allclose(table["df"], expected["df"], rtol=rtol, atol=0), ref["call"]
    assert np.allclose(table["Pr(>|t|)"], expected["Pr(>|t|)"], rtol=10 * rtol, atol=0)


def test_sleepstudy_targets(fits):
    """lmer(Reaction ~ Days + (Days | Subject), sleepstudy): df 16.99973 and 16.99998;
    (1 | Subject): 22.810 and 161.0; sleep_seed: 19.295 and 17.163, p(days) = 3.06e-06."""
    df = fits["sleep_slopes_reml"].coef_table("Satterthwaite")["df"]
    assert df.to_numpy() == pytest.approx([16.99973, 16.99998], abs=1e-4)
    df = fits["sleep_intercept_reml"].coef_table("Satterthwaite")["df"]
    assert df.to_numpy() == pytest.approx([22.810, 161.0], abs=1e-3)
    table = fits["sleep_seed_reml"].coef_table("Satterthwaite")
    assert table["df"].to_numpy() == pytest.approx([19.295, 17.163], abs=1e-3)
    assert table.loc["days", "Pr(>|t|)"] == pytest.approx(3.064e-06, rel=1e-3)


def test_singular_fit_gets_residual_df(fits):
    """lmer(Yield ~ 1 + (1 | Batch), Dyestuff2): theta = 0, and lmerTest reports n - p = 29."""
    fit = fits["dyestuff2_singular"]
    assert fit.theta[0] == 0
    assert fit.coef_table("Satterthwaite")["df"].iloc[0] == pytest.approx(29.0, rel=1e-9)


def test_residual_and_wald(fits):
    fit = fits["sleep_slopes_reml"]
    plain = fit.coef_table()
    residual = fit.coef_table(ddf="residual")
    assert (residual["df"] == fit.nobs - fit.mm.p).all()
    expected = 2 * scipy.stats.t.sf(plain["t value"].abs(), fit.nobs - fit.mm.p)
    assert np.allclose(residual["Pr(>|t|)"], expected)
    wald = fit.coef_table(ddf="wald")  # names match case-insensitively
    assert np.isinf(wald["df"]).all()
    assert np.allclose(wald["Pr(>|t|)"], 2 * scipy.stats.norm.sf(plain["t value"].abs()))
    satt = fit.coef_table(ddf="Satterthwaite")
    assert (wald["Pr(>|t|)"] < satt["Pr(>|t|)"]).all(), "a z test is anti-conservative"


def test_bad_ddf_names_the_choices(fits):
    with pytest.raises(LmmError, match="Satterthwaite.*residual.*Wald"):
        fits["sleep_slopes_reml"].coef_table(ddf="Kenward-Roger")


def test_contrasts(fits):
    """contest1D(fm, c(0, 1)) equals the Days row; a 2-row contrast gives lmerTest's F."""
    fit = fits["sleep_slopes_reml"]
    row = fit.coef_table("Satterthwaite").loc["Days"]
    res = contrast_t_test(fit, [0, 1])
    assert res["df"] == pytest.approx(row["df"], rel=1e-12)
    assert res["Pr(>|t|)"] == pytest.approx(row["Pr(>|t|)"], rel=1e-12)
    f1 = contrast_f_test(fit, [[0, 1]])
    assert f1["F value"] == pytest.approx(row["t value"] ** 2)
    both = contrast_f_test(fit, np.eye(2))
    assert both["NumDF"] == 2 and 2 < both["DenDF"] < 17.1


def test_varpar_covariance_is_cached(fits):
    fit = fits["sleep_slopes_reml"]
    vc = varpar_covariance(fit)
    assert varpar_covariance(fit) is vc
    assert vc.vcov_varpar.shape == (4, 4) and vc.jacobian.shape == (4, 2, 2)
    assert np.allclose(vc.vcov_beta, fit.vcov().to_numpy())
