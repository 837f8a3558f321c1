"""confint(): Wald and profile intervals against lme4 1.1-31.

Reference: ``confint(m, method = "profile" | "Wald", oldNames = FALSE)`` for the case's R call
(tests/reference/lme4_reference.json, "confint_profile" and "confint_wald"). lme4 interpolates
the profile with splines, so profile intervals are compared at 1e-3 relative (they agree to
2e-4 or better); Wald intervals at 1e-6.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lmm_core
from lmm_core.confint import percent_labels
from lmm_core.errors import LmmError
from tests.reference.cases import case, case_data, model_case_ids

PROFILE = [cid for cid in model_case_ids() if "confint_profile" in case(cid)]
WALD = [cid for cid in model_case_ids() if "confint_wald" in case(cid)]


@pytest.fixture(scope="module")
def fits():
    return {cid: lmm_core.lmer(case(cid)["formula"], case_data(cid), reml=case(cid)["reml"])
            for cid in sorted(set(PROFILE + WALD + ["dyestuff2_singular"]))}


def expected_table(ref: dict) -> pd.DataFrame:
    values = np.array([[np.nan if v is None else v for v in row] for row in ref.values()])
    return pd.DataFrame(values, index=list(ref), columns=["2.5 %", "97.5 %"])


@pytest.mark.parametrize("cid", WALD)
def test_wald(fits, cid):
    ref = case(cid)
    got = fits[cid].confint(method="Wald")
    expected = expected_table(ref["confint_wald"])
    assert list(got.index) == list(expected.index), ref["call"]
    assert list(got.columns) == ["2.5 %", "97.5 %"]
    assert np.allclose(got, expected, rtol=1e-6, equal_nan=True)


@pytest.mark.parametrize("cid", PROFILE)
def test_profile(fits, cid):
    ref = case(cid)
    got = fits[cid].confint()
    expected = expected_table(ref["confint_profile"])
    assert list(got.index) == list(expected.index), ref["call"]
    assert np.allclose(got, expected, rtol=1e-3, atol=1e-6), ref["call"]


def test_sleepstudy_days_profile(fits):
    """lmer(Reaction ~ Days + (Days | Subject), sleepstudy): Days 7.359 to 13.576."""
    got = fits["sleep_slopes_reml"].confint(parm="Days")
    assert list(got.index) == ["Days"]
    assert got.loc["Days"].to_numpy() == pytest.approx([7.35865, 13.57592], rel=1e-5)


# confint(lmer(<formula>, <data>), oldNames = FALSE) with R 4.2.2 / lme4 1.1-31 (not in the
# JSON): the singular fit's sd interval starts at its bound, as lme4's does.
EXTRA = {
    ("dyestuff2_singular", "Yield ~ 1 + (1 | Batch)"): {
        "sd_(Intercept)|Batch": [0.0, 2.084043], "sigma": [2.892831, 4.815833],
        "(Intercept)": [4.312100, 7.019092]},
    ("sleep_slopes_reml", "Reaction ~ Days + (Days || Subject)"): {
        "sd_(Intercept)|Subject": [15.258647, 37.786471], "sd_Days|Subject": [3.964074, 8.769159],
        "sigma": [22.880555, 28.787598], "(Intercept)": [237.572148, 265.238062],
        "Days": [7.334067, 13.600505]},
}


@pytest.mark.parametrize("cid, formula", list(EXTRA), ids=[f for _, f in EXTRA])
def test_profile_more_models(cid, formula):
    fit = lmm_core.lmer(formula, case_data(cid))
    got = fit.confint()
    expected = pd.DataFrame(EXTRA[cid, formula], index=["2.5 %", "97.5 %"]).T
    assert list(got.index) == list(expected.index)
    assert np.allclose(got, expected, rtol=1e-3, atol=1e-6)


def test_profile_of_an_ml_fit_equals_that_of_the_reml_fit(fits):
    """lme4 profiles the ML deviance, refitting a REML fit by ML first."""
    ref = case("sleep_slopes_reml")
    ml = lmm_core.lmer(ref["formula"], case_data("sleep_slopes_reml"), reml=False)
    got = ml.confint(parm="theta_")
    assert np.allclose(got, fits["sleep_slopes_reml"].confint(parm="theta_"), rtol=1e-5)


def test_parm_selects_rows(fits):
    fit = fits["sleep_slopes_reml"]
    assert list(fit.confint("Wald", parm="theta_").index) == [
        "sd_(Intercept)|Subject", "cor_Days.(Intercept)|Subject", "sd_Days|Subject", "sigma"]
    assert list(fit.confint("Wald", parm="beta_").index) == ["(Intercept)", "Days"]
    with pytest.raises(LmmError, match="No parameter named 'days'.*'Days'"):
        fit.confint("Wald", parm="days")


@pytest.mark.parametrize("level, labels", [
    (0.95, ["2.5 %", "97.5 %"]), (0.9, ["5 %", "95 %"]), (0.99, ["0.5 %", "99.5 %"]),
    (0.999, ["0.05 %", "99.95 %"]), (0.683, ["15.8 %", "84.2 %"]),
])
def test_percent_labels_follow_r(level, labels):
    assert percent_labels(level) == labels


def test_wald_level(fits):
    fit = fits["sleep_intercept_reml"]
    wide, narrow = fit.confint("Wald", level=0.99), fit.confint("Wald", level=0.5)
    assert list(narrow.columns) == ["25 %", "75 %"]
    assert (wide.iloc[-2:, 0] < narrow.iloc[-2:, 0]).all()


@pytest.mark.parametrize("kwargs, message", [
    ({"method": "bootstrap"}, "'profile', 'Wald', 'boot'"),
    ({"level": 95}, "between 0 and 1"),
    ({"level": 0.0}, "between 0 and 1"),
    ({"level": "0.95"}, "between 0 and 1"),
])
def test_bad_arguments(fits, kwargs, message):
    with pytest.raises(LmmError, match=message):
        fits["sleep_intercept_reml"].confint(**kwargs)


def test_boot_delegates():
    """confint(m, method = "boot"): lme4's rows and column names, from lmm_core.bootstrap."""
    pytest.importorskip("lmm_core.bootstrap")
    fit = lmm_core.lmer("Reaction ~ Days + (1 | Subject)", case_data("sleep_intercept_reml"))
    ci = fit.confint(method="boot", nsim=20, rng=1)
    assert list(ci.index) == ["sd_(Intercept)|Subject", "sigma", "(Intercept)", "Days"]
    assert list(ci.columns) == ["2.5 %", "97.5 %"]
    assert (ci.iloc[:, 0] < ci.iloc[:, 1]).all()
    assert list(fit.confint(method="boot", nsim=20, rng=1, parm="beta_").index) == \
        ["(Intercept)", "Days"]
    with pytest.raises(LmmError, match="'perc', 'basic', 'norm'"):
        fit.confint(method="boot", nsim=20, rng=1, boot_type="bca")
