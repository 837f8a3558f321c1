"""anova(): lme4's likelihood-ratio test and lmerTest's Type III F tests.

Reference values: tests/reference/lme4_reference.json (lme4 1.1-31, lmerTest 3.1-3), cases
"anova_lrt" and each model case's "anova_type3" (``anova(m, type = 3)`` of the case's call).
Tolerances: Chisq 1e-5, F values 1e-4, denominator df and p-values 1e-3 relative (p-values
below 1e-6 on the log scale, see test_satterthwaite.py). The printed Type III tables were
captured from ``print(anova(m, type = 3))`` with R 4.2.2 and lmerTest 3.1-3.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lmm_core
from lmm_core.anova import (
    F_COLUMNS,
    AnovaLRT,
    AnovaType3,
    anova,
    anova_type3,
    type3_contrasts,
)
from lmm_core.errors import DataError, LmmError, ModelSpecError
from tests.reference.cases import case, case_data, model_case_ids, tolerance

CASES = [cid for cid in model_case_ids() if "anova_type3" in case(cid)]
LRT = case("anova_lrt")


@pytest.fixture(scope="module")
def sleep():
    data = case_data("sleep_slopes_reml")
    fit = {name: lmm_core.lmer(f, data, data_name="sleepstudy")
           for name, f in LRT["models"].items()}
    return data, fit


@pytest.fixture(scope="module")
def fits():
    return {cid: lmm_core.lmer(case(cid)["formula"], case_data(cid), reml=case(cid)["reml"])
            for cid in CASES}


# ----- likelihood-ratio tests --------------------------------------------------------------
def test_lrt_matches_lme4(sleep):
    """fm_int <- lmer(Reaction ~ Days + (1 | Subject), sleepstudy); fm_slopes <- lmer(Reaction
    ~ Days + (Days | Subject), sleepstudy); anova(fm_int, fm_slopes): Chisq 42.1393, 2 df."""
    _, fit = sleep
    res = anova(fit["fm_int"], fit["fm_slopes"], names=["fm_int", "fm_slopes"])
    assert isinstance(res, AnovaLRT)
    expected = pd.DataFrame(LRT["table"]).T.astype(float)
    assert list(res.table.columns) == LRT["columns"]
    assert list(res.table.index) == list(expected.index)
    chisq = res.table.loc["fm_slopes", "Chisq"]
    assert chisq == pytest.approx(expected.loc["fm_slopes", "Chisq"], rel=1e-5)
    assert chisq == pytest.approx(42.1393, abs=1e-4)
    assert res.table.loc["fm_slopes", "Pr(>Chisq)"] == pytest.approx(7.07241e-10, rel=1e-4)
    for col in ["npar", "AIC", "BIC", "logLik", "deviance", "Df"]:
        assert np.allclose(res.table[col], expected[col], rtol=1e-7, equal_nan=True), col
    assert np.isnan(res.table.loc["fm_int", ["Chisq", "Df", "Pr(>Chisq)"]]).all()
    assert res.messages == tuple(LRT["messages"])


def test_lrt_prints_like_r(sleep):
    _, fit = sleep
    res = anova(fit["fm_int"], fit["fm_slopes"], names=["fm_int", "fm_slopes"])
    assert [s.rstrip() for s in str(res).splitlines()] == \
        [s.rstrip() for s in LRT["text"].splitlines()]


def test_lrt_orders_by_npar_and_names_models(sleep):
    _, fit = sleep
    res = anova(fit["fm_slopes"], fit["fm_int"])
    assert list(res.table.index) == ["model2", "model1"]
    assert res.formulas == (LRT["models"]["fm_int"], LRT["models"]["fm_slopes"])
    assert res.table["Chisq"].iloc[1] == pytest.approx(42.1393, abs=1e-4)


def test_lrt_of_ml_fits_does_not_refit(sleep):
    data, _ = sleep
    small = lmm_core.lmer(LRT["models"]["fm_int"], data, reml=False)
    big = lmm_core.lmer(LRT["models"]["fm_slopes"], data, reml=False)
    res = anova(small, big)
    assert res.messages == ()
    assert res.table["Chisq"].iloc[1] == pytest.approx(42.1393, abs=1e-4)


def test_lrt_rejects_different_data(sleep):
    data, fit = sleep
    fewer = lmm_core.lmer(LRT["models"]["fm_slopes"], data.iloc[:170])
    with pytest.raises(DataError, match="same data.*180.*170"):
        anova(fit["fm_int"], fewer)
    logged = lmm_core.lmer("log(Reaction) ~ Days + (Days | Subject)", data)
    with pytest.raises(DataError, match="response"):
        anova(fit["fm_int"], logged)


@pytest.mark.parametrize("small, big, why", [
    ("Reaction ~ Days + (1 | Subject)", "Reaction ~ I(Days^2) + (1 | Subject)",
     "same number|both have 4 parameters"),
    ("Reaction ~ Days + (1 | Subject)", "Reaction ~ 1 + (Days | Subject)", "fixed effect.*Days"),
    ("Reaction ~ Days + (0 + Days | Subject)", "Reaction ~ Days + (1 | Subject) + (1 | Days)",
     "random effect.*Days.*Subject"),
])
def test_lrt_rejects_non_nested_models(sleep, small, big, why):
    data, _ = sleep
    a, b = lmm_core.lmer(small, data), lmm_core.lmer(big, data)
    with pytest.raises(ModelSpecError, match=f"not nested.*({why})"):
        anova(a, b)


def test_lrt_bad_names(sleep):
    _, fit = sleep
    with pytest.raises(LmmError, match="2 different model names"):
        anova(fit["fm_int"], fit["fm_slopes"], names=["a", "a"])


# ----- Type III F tests --------------------------------------------------------------------
@pytest.mark.parametrize("cid", CASES)
def test_type3_matches_lmertest(fits, cid):
    ref = case(cid)
    res = anova_type3(fits[cid])
    assert list(res.table.index) == list(ref["anova_type3"]), ref["call"]
    for term, row in ref["anova_type3"].items():
        got = res.table.loc[term]
        if row["F value"] is None:  # aliased term (dropped column): NA row, as lmerTest
            assert got.isna().all()
            continue
        assert got["NumDF"] == row["NumDF"]
        tol = tolerance(cid, 1e-4)  # flat likelihoods (cases.FLAT): where the optimizer stops
        assert got["F value"] == pytest.approx(row["F value"], rel=tol), (ref["call"], term)
        assert got["Sum Sq"] == pytest.approx(row["Sum Sq"], rel=tol)
        assert got["DenDF"] == pytest.approx(row["DenDF"], rel=tolerance(cid, 1e-3))
        p, expected = got["Pr(>F)"], row["Pr(>F)"]
        if expected < 1e-6:
            p, expected = np.log(p), np.log(expected)
        assert p == pytest.approx(expected, rel=tolerance(cid, 1e-3))


def test_anova_of_one_fit_is_type3(fits):
    fit = fits["cake_factor"]
    res = anova(fit)
    assert isinstance(res, AnovaType3)
    pd.testing.assert_frame_equal(res.table, anova_type3(fit).table)


def test_type3_contrast_of_a_contained_main_effect(fits):
    """Reaction ~ Days * grp: Days is tested at the average slope of the two groups."""
    L = type3_contrasts(fits["sleep_interaction"])
    assert np.allclose(L["Days"], [[0, 1, 0, 0.5]])
    assert np.allclose(L["grp"], [[0, 0, 1, 0]])
    assert np.allclose(L["Days:grp"], [[0, 0, 0, 1]])


PRINTED = {
    "sleep_slopes_reml": """\
Type III Analysis of Variance Table with Satterthwaite's method
     Sum Sq Mean Sq NumDF DenDF F value    Pr(>F)
Days  30031   30031     1    17  45.853 3.264e-06 ***
---
Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1""",
    "sleep_rankdef": """\
Type III Analysis of Variance Table with Satterthwaite's method
      Sum Sq Mean Sq NumDF DenDF F value    Pr(>F)
Days  162703  162703     1   161   169.4 < 2.2e-16 ***
Days2
---
Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1""",
    "sleep_interaction": """\
Type III Analysis of Variance Table with Satterthwaite's method
         Sum Sq Mean Sq NumDF   DenDF  F value    Pr(>F)
Days     162703  162703     1 160.000 177.5687 < 2.2e-16 ***
grp         197     197     1  21.013   0.2149  0.647685
Days:grp   8029    8029     1 160.000   8.7623  0.003543 **
---
Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1""",
    "cake_factor": """\
Type III Analysis of Variance Table with Satterthwaite's method
                    Sum Sq Mean Sq NumDF DenDF F value Pr(>F)
recipe               10.19    5.09     2    42  0.2488 0.7809
temperature        2100.30  420.06     5   210 20.5199 <2e-16 ***
recipe:temperature  205.98   20.60    10   210  1.0062 0.4393
---
Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1""",
}


@pytest.mark.parametrize("cid", list(PRINTED))
def test_type3_prints_like_lmertest(fits, cid):
    """print(anova(m, type = 3)) for the case's R call (trailing blanks aside)."""
    lines = [s.rstrip() for s in str(anova_type3(fits[cid])).splitlines()]
    assert lines == PRINTED[cid].splitlines()


def test_type3_without_terms_is_empty(fits):
    """lmer(Yield ~ 1 + (1 | Batch), Dyestuff): no fixed-effect terms, an empty table."""
    res = anova_type3(fits["dyestuff_reml"])
    assert res.table.empty and list(res.table.columns) == F_COLUMNS
    assert str(res).splitlines()[1] == "     Sum Sq Mean Sq NumDF DenDF F value Pr(>F)"
