"""all_fit(): every optimizer on sleepstudy, like lme4's summary(allFit(fit)).

In R, lme4 1.1-31: summary(allFit(lmer(Reaction ~ Days + (Days | Subject), sleepstudy)))
gives logLik -871.8141 for all seven optimizers and fixed effects equal to 1e-5.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import lmm_core
import simulators
from lmm_core import optimize
from lmm_core.allfit import AllFitResult, all_fit
from lmm_core.errors import LmmError

pytestmark = pytest.mark.slow  # allFit refits with every optimizer

ROOT = Path(__file__).resolve().parents[2]
REF = json.loads((ROOT / "tests" / "reference" / "lme4_reference.json").read_text())["cases"]


@pytest.fixture(scope="module")
def fit():
    sleep = simulators.load("sleepstudy")  # the copy the package ships
    return lmm_core.lmer("Reaction ~ Days + (Days | Subject)", sleep)


@pytest.fixture(scope="module")
def result(fit):
    return all_fit(fit)


def test_tables(result, fit):
    assert isinstance(result, AllFitResult)
    names = list(optimize.OPTIMIZERS)
    assert list(result.fixef.index) == names and list(result.fixef.columns) == ["(Intercept)",
                                                                                  "Days"]
    assert list(result.sdcor.columns) == ["sd_(Intercept)|Subject",
                                          "cor_Days.(Intercept)|Subject", "sd_Days|Subject",
                                          "sigma"]
    assert list(result.theta.columns) == fit.mm.theta_names
    assert result.which_ok.all() and (result.times > 0).all()
    assert set(result.messages) == set(names)
    assert all(isinstance(m, list) for m in result.messages.values())


def test_optimizers_agree_with_each_other_and_lme4(result):
    ref = REF["sleep_slopes_reml"]
    np.testing.assert_allclose(result.fixef, np.tile(list(ref["fixef"].values()), (6, 1)),
                               rtol=1e-4)
    np.testing.assert_allclose(result.llik, ref["loglik"], atol=1e-4)
    assert (result.fixef.max() - result.fixef.min()).max() < 1e-4
    assert result.agree(1e-4)
    np.testing.assert_allclose(result.theta.loc["bobyqa"], ref["theta"], rtol=1e-5)
    assert result.spread()["logLik"] < 1e-4


def test_failing_optimizer_is_recorded_not_raised(fit, monkeypatch):
    def broken(fun, x0, lower):
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
