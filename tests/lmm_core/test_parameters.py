"""The parameter layer: theta <-> Lambda <-> SDs and correlations <-> names, per term and per
model, against lme4's names and VarCorr on the reference cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lmm_core
from lmm_core.parameters import (
    Covariance,
    parameter_names,
    sdcor,
    theta_from_sdcor,
    variance_names,
)
from tests.reference.cases import case, case_data


@pytest.fixture(scope="module")
def fits():
    return {cid: lmm_core.lmer(case(cid)["formula"], case_data(cid))
            for cid in ("sleep_slopes_reml", "sleep_uncorr_reml", "oxboys_quadratic",
                        "dyestuff2_singular")}


def test_one_term():
    cov = Covariance("Subject", ("(Intercept)", "Days", "Days2"))
    assert cov.q == 3 and cov.ntheta == 6
    assert list(zip(cov.rows, cov.cols, strict=True)) == [(0, 0), (1, 0), (2, 0), (1, 1),
                                                          (2, 1), (2, 2)]  # column-major
    assert cov.lower().tolist() == [0, -np.inf, -np.inf, 0, -np.inf, 0]
    assert cov.start().tolist() == [1, 0, 0, 1, 0, 1]
    assert cov.theta_names()[:2] == ["Subject.(Intercept)", "Subject.Days.(Intercept)"]
    assert cov.sdcor_names()[:2] == ["sd_(Intercept)|Subject", "cor_Days.(Intercept)|Subject"]
    theta = np.array([1.0, 0.5, -0.2, 2.0, 0.3, 0.7])
    lam = cov.lambda_(theta)
    assert np.allclose(np.tril(lam), lam) and lam[2, 1] == 0.3
    values = cov.sdcor(theta, 2.0)
    assert np.allclose(cov.theta(values, 2.0), theta)
    batch = cov.sdcor(np.tile(theta, (4, 1)), np.full(4, 2.0))
    assert batch.shape == (4, 6) and np.allclose(batch[3], values)


def test_undefined_and_impossible_correlations():
    cov = Covariance("g", ("(Intercept)", "x"))
    assert np.isnan(cov.sdcor(np.array([0.0, 0.0, 1.0]), 1.0)[1])  # zero SD: NaN, as R
    assert cov.sdcor(np.array([0.0, 0.0, 1.0]), 1.0, undefined=0.0)[1] == 0.0
    assert cov.theta(np.array([1.0, 1.0, 1.0]), 1.0) is not None  # |cor| = 1 is allowed
    three = Covariance("g", ("a", "b", "c"))
    assert three.theta(np.array([1, 0.9, -0.9, 1, 0.9, 1.0]), 1.0) is None  # not PSD


@pytest.mark.parametrize("cid", ["sleep_slopes_reml", "sleep_uncorr_reml", "oxboys_quadratic",
                                 "dyestuff2_singular"])
def test_model_layer_matches_lme4(fits, cid):
    """theta's names as lme4's; the SDs, correlations and sigma are VarCorr's numbers."""
    fit, ref = fits[cid], case(cid)
    assert fit.mm.theta_names == ref["theta_names"]
    names = variance_names(fit.mm)
    assert parameter_names(fit.mm) == names + list(ref["fixef"])
    values = sdcor(fit.mm, fit.theta, fit.sigma)
    lme4 = pd.DataFrame(ref["varcorr"])["sdcor"].to_numpy()  # VarCorr's own order
    np.testing.assert_allclose(np.sort(values), np.sort(lme4), rtol=2e-4, atol=1e-8)
    back = theta_from_sdcor(fit.mm, sdcor(fit.mm, fit.theta, fit.sigma, undefined=0.0))
    assert np.allclose(back, fit.theta, atol=1e-10)


def test_names_are_lme4s_confint_names():
    """confint(fit, oldNames = FALSE) row names, in lme4's order."""
    for cid in ("sleep_slopes_reml", "sleep_seed_reml", "penicillin_crossed"):
        fit = lmm_core.lmer(case(cid)["formula"], case_data(cid))
        assert parameter_names(fit.mm) == list(case(cid)["confint_profile"])


def test_fit_parameters_in_lme4s_confint_order(fits):
    fit = fits["sleep_slopes_reml"]
    params = fit.parameters()
    assert list(params.index) == ["sd_(Intercept)|Subject", "cor_Days.(Intercept)|Subject",
                                  "sd_Days|Subject", "sigma", "(Intercept)", "Days"]
    assert list(params.index) == list(fit.confint(method="Wald").index)
    np.testing.assert_allclose(params.to_numpy(),
                               [24.740658, 0.06555124, 5.922138, 25.591796, 251.405105,
                                10.467286], rtol=1e-6)
