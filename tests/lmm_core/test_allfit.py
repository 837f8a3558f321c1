"""all_fit(): lme4's allFit() optimizers on sleepstudy, against allFit itself.

In R, lme4 1.1-31 (tests/reference, case allfit_sleepstudy):
m <- lmer(Reaction ~ Days + (Days | Subject), sleepstudy); allFit(m)
gives logLik -871.8141 for all seven optimizers, no messages, fixed effects equal to 1e-9.
"""

from __future__ import annotations

import numpy as np
import pytest

import lmm_core
import simulators
from lmm_core import optimize
from lmm_core.allfit import AllFitResult, all_fit
from lmm_core.errors import LmmError
from lmm_core.start import start_theta
from tests.reference.cases import case

REF = case("allfit_sleepstudy")["optimizers"]  # all_fit takes ~0.03 s: not slow


@pytest.fixture(scope="module")
def fit():
    sleep = simulators.load("sleepstudy")  # the copy the package ships
    return lmm_core.lmer("Reaction ~ Days + (Days | Subject)", sleep)


@pytest.fixture(scope="module")
def result(fit):
    return all_fit(fit)


def test_tables_name_the_optimizers_as_lme4(result, fit):
    assert isinstance(result, AllFitResult)
    names = ["bobyqa", "Nelder_Mead", "optimx.L-BFGS-B", "nloptwrap.NLOPT_LN_NELDERMEAD",
             "nloptwrap.NLOPT_LN_BOBYQA"]
    assert list(result.fixef.index) == names and set(names) <= set(REF)
    assert list(result.fixef.columns) == ["(Intercept)", "Days"]
    assert list(result.sdcor.columns) == ["sd_(Intercept)|Subject",
                                          "cor_Days.(Intercept)|Subject", "sd_Days|Subject",
                                          "sigma"]
    assert list(result.theta.columns) == fit.mm.theta_names
    assert result.which_ok.all() and (result.times > 0).all()
    assert result.messages == {name: [] for name in names}


def test_optimizers_agree_with_lme4s_allfit(result):
    for name in result.fixef.index:
        ref = REF[name]
        assert result.llik[name] == pytest.approx(ref["loglik"], abs=1e-6), name
        np.testing.assert_allclose(result.fixef.loc[name], list(ref["fixef"].values()),
                                   rtol=1e-8)
        np.testing.assert_allclose(result.theta.loc[name], ref["theta"], atol=1e-5)
    assert result.agree(1e-6) and result.spread()["logLik"] < 1e-6


def test_the_same_nlopt_runs_as_lme4(result):
    """lme4's Nelder_Mead (ported) and nloptwrap take lme4's steps: same evaluations, same
    stopping point to rounding; lme4's default is lmer's own fit."""
    for name in ("Nelder_Mead", "nloptwrap.NLOPT_LN_NELDERMEAD", "nloptwrap.NLOPT_LN_BOBYQA"):
        assert result.fits[name].opt.feval == REF[name]["feval"], name
        np.testing.assert_allclose(result.theta.loc[name], REF[name]["theta"], rtol=1e-7)


def test_each_refit_starts_where_lmer_starts(fit, result, monkeypatch):
    starts = []
    real = optimize.OPTIMIZERS["bobyqa"]
    monkeypatch.setitem(optimize.OPTIMIZERS, "bobyqa",
                        lambda fun, x0, lower, **kw: starts.append(x0) or real(fun, x0, lower))
    all_fit(fit, ["bobyqa"])
    np.testing.assert_array_equal(starts[0], start_theta(fit.mm))
    assert result.fits["nloptwrap.NLOPT_LN_BOBYQA"].objective == pytest.approx(fit.objective,
                                                                              abs=1e-9)


def test_failing_optimizer_is_recorded_not_raised(fit, monkeypatch):
    def broken(fun, x0, lower, **kwargs):
        raise RuntimeError("nlopt failure")

    monkeypatch.setitem(optimize.OPTIMIZERS, "broken", broken)
    result = all_fit(fit, ["bobyqa", "broken"])
    assert result.which_ok.to_dict() == {"bobyqa": True, "broken": False}
    assert result.fixef.loc["broken"].isna().all() and np.isnan(result.llik["broken"])
    assert "nlopt failure" in result.messages["broken"][0]
    assert result.fits["broken"] is None and result.agree()


def test_unknown_optimizer(fit):
    with pytest.raises(LmmError, match="bobyqa"):
        all_fit(fit, ["bobyqa", "newton"])
