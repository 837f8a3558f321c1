"""Fitting: the report matches lmm_core's fit, lme4's messages get plain words, and the
interval table lines up every method by parameter."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lmm_core
import simulators
from sandbox.fitting import estimates, explain, fit_model, interval_table, parameter_labels

SLEEP = simulators.load("sleep_seed")
FORMULA = "reaction ~ 1 + days + (1 + days | subject)"


def test_report_is_the_fit_and_lmertests_summary():
    report = fit_model(SLEEP, "reaction ~ 1 +   days\n + (1 + days | subject)",
                       data_name="sleep_seed")
    direct = lmm_core.lmer(FORMULA, SLEEP)
    assert report.formula == FORMULA  # spaces and line breaks tidied
    assert report.text.splitlines()[3] == "   Data: sleep_seed"
    assert "REML criterion at convergence: 1771.4" in report.text
    pd.testing.assert_frame_equal(report.fixed_effects, direct.coef_table("Satterthwaite"),
                                  check_names=False)
    # lme4: 24.13954, 5.91872, 25.48285 (tests/reference case sleep_seed_reml)
    assert report.random_effects["Std.Dev."].round(3).tolist() == [24.14, 5.919, 25.483]
    assert report.notes == ()
    assert report.seconds > 0


def test_ml_fit_prints_fit_statistics():
    report = fit_model(SLEEP, FORMULA, reml=False)
    assert "Linear mixed model fit by maximum likelihood" in report.text
    assert "AIC" in report.text


def test_errors_are_lmm_errors_with_the_caret():
    with pytest.raises(lmm_core.FormulaError) as error:
        fit_model(SLEEP, "reaction ~ days + (days | subject")
    assert str(error.value).splitlines()[-1].strip() == "^"
    with pytest.raises(lmm_core.ColumnNotFoundError, match="Did you mean 'days'"):
        fit_model(SLEEP, "reaction ~ dayz + (1 | subject)")


def test_a_singular_fit_gets_a_warning_in_plain_words():
    made = simulators.generate("convergence_trouble", seed=1, problem="singular")
    report = fit_model(made.data, made.formula)
    assert report.fit.is_singular
    (note,) = [n for n in report.notes if "singular" in n.message]
    assert note.level == "warning" and "Singular fit" in note.explanation


@pytest.mark.parametrize(("message", "words", "level"), [
    ("boundary (singular) fit: see help('isSingular')", "Singular fit", "warning"),
    ("Model failed to converge with max|grad| = 0.0123 (tol = 0.002, component 1)",
     "may not have converged", "warning"),
    ("Model is nearly unidentifiable: very large eigenvalue\n - Rescale variables?",
     "Nearly unidentifiable", "warning"),
    (" Hessian is numerically singular: parameters are not uniquely determined",
     "Nearly unidentifiable", "warning"),
    ("fixed-effect model matrix is rank deficient so dropping 1 column / coefficient",
     "fixed effects were dropped", "warning"),
    ("3 rows with missing values removed before fitting.", "were left out", "info"),
    ("something new from lme4", "", "warning"),
])
def test_explanations(message, words, level):
    note = explain(message)
    assert note.message == message.strip() and words in note.explanation
    assert note.level == level


def test_missing_rows_are_noted():
    data = SLEEP.copy()
    data.loc[[3, 50], "reaction"] = np.nan
    report = fit_model(data, FORMULA)
    assert [n.level for n in report.notes] == ["info"]
    assert "2 rows" in report.notes[0].message
    assert not report.notes[0].from_lme4  # R's lmer() drops them without a word
    assert all(explain(m).from_lme4 for m in ("boundary (singular) fit: see help('isSingular')",
                                              "something new from lme4"))


def test_interval_table_lines_up_methods_by_parameter():
    fit = lmm_core.lmer(FORMULA, SLEEP)
    wald = fit.confint(method="Wald")
    boot = lmm_core.bootstrap(fit, n=30, rng=2).ci()
    table = interval_table(fit, {"Wald": wald, "profile": None, "bootstrap": boot})
    assert list(table.index) == list(wald.index)  # confint's order: variances, then fixed
    assert list(table.columns) == ["parameter", "estimate", "Wald from", "Wald to",
                                   "bootstrap from", "bootstrap to"]
    np.testing.assert_allclose(table["Wald from"], wald.iloc[:, 0])
    np.testing.assert_allclose(table["bootstrap to"], boot["upper"].reindex(table.index))
    assert table.loc["sigma", "estimate"] == pytest.approx(fit.sigma)
    assert table.loc["days", "estimate"] == pytest.approx(fit.fixef["days"])
    assert table.loc["sd_days|subject", "estimate"] == pytest.approx(5.918878, abs=1e-5)
    assert table.loc["cor_days.(Intercept)|subject", "estimate"] == pytest.approx(0.06927,
                                                                                  abs=1e-4)
    assert table["Wald from"].isna().sum() == 4


def test_estimates_match_the_bootstraps_own():
    fit = lmm_core.lmer(FORMULA, SLEEP)
    boot = lmm_core.bootstrap(fit, n=5, rng=1)
    pd.testing.assert_series_equal(estimates(fit), boot.estimate, check_names=False)


def test_parameter_labels_in_words():
    made = simulators.generate("schools_nested", seed=1)
    labels = parameter_labels(lmm_core.lmer(made.formula, made.data).mm)
    assert labels["sd_(Intercept)|class:school"] == "SD of intercepts across class:school"
    sleep = parameter_labels(lmm_core.lmer(FORMULA, SLEEP).mm)
    assert sleep["cor_days.(Intercept)|subject"] == (
        "correlation of subject intercepts and days slopes")
    assert sleep["sd_days|subject"] == "SD of days slopes across subject"
    assert sleep["days"] == "days (fixed effect)"
    assert sleep["sigma"] == "residual SD (within groups)"
