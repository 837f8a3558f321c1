"""Formula suggestions for new data, and the pooling plot's columns taken from a formula."""

from __future__ import annotations

import pandas as pd
import pytest

import lmm_core
import simulators
from sandbox.formulas import grouping_columns, pooling_plan, suggest_formula

SLEEP = simulators.load("sleep_seed")


@pytest.mark.parametrize(("data", "formula"), [
    (SLEEP, "reaction ~ 1 + days + (1 | subject)"),
    (simulators.load("sleepstudy"), "Reaction ~ 1 + Days + (1 | Subject)"),
    (simulators.generate("two_condition", seed=1).data,
     "value ~ 1 + condition + (1 | participant)"),
    (simulators.generate("convergence_trouble", seed=1).data,
     "score ~ 1 + motivation + (1 | school)"),
    # numeric participant IDs, the outcome named like one, columns in another order
    (pd.DataFrame({"pp": [1, 1, 2, 2, 3, 3], "rt": [300., 320, 280, 310, 350, 330],
                   "cond": list("abababab")[:6]}), "rt ~ 1 + cond + (1 | pp)"),
])
def test_suggestions_fit(data, formula):
    suggestion = suggest_formula(data)
    assert suggestion.formula == formula
    lmm_core.lmer(suggestion.formula, data)  # a suggestion that does not fit would mislead


def test_a_within_group_predictor_is_offered_as_a_random_slope():
    note = suggest_formula(SLEEP).note
    assert "(1 + days | subject)" in note


def test_no_grouping_column_says_so():
    data = pd.DataFrame({"x": [1.0, 2, 3, 4], "y": [2.0, 1, 4, 3]})
    suggestion = suggest_formula(data)
    assert suggestion.group is None and "GROUP" in suggestion.formula
    assert "grouping factor" in suggestion.note


def test_grouping_columns_prefer_named_ones_and_skip_unique_labels():
    data = pd.DataFrame({"trial": [f"t{i}" for i in range(6)], "word": list("aabbcc"),
                         "subject": list("xxxyyy"), "score": range(6)})
    assert grouping_columns(data) == ["subject", "word"]


@pytest.mark.parametrize(("scenario", "columns"), [
    ("sleep", ("reaction", "days", "subject")),
    ("schools_nested", ("extraversion", "openness", "school")),  # not class: it is nested
    ("schools_crossed", ("extraversion", "openness", "school")),
    ("convergence_trouble", ("score", "motivation", "school")),
])
def test_pooling_plan_reads_the_formula(scenario, columns):
    made = simulators.generate(scenario, seed=3)
    plan = pooling_plan(made.formula, made.data)
    assert plan.applies and (plan.response, plan.predictor, plan.group) == columns
    assert plan.response in plan.responses and plan.predictor in plan.predictors
    assert plan.group in plan.groups


def test_the_random_slope_wins_over_the_first_fixed_effect():
    data = simulators.generate("schools_nested", seed=3).data
    plan = pooling_plan("extraversion ~ openness + social + (1 + social | school)", data)
    assert (plan.predictor, plan.group) == ("social", "school")


def test_a_formula_that_does_not_parse_falls_back_on_the_columns():
    plan = pooling_plan("reaction ~ days + (days | subject", SLEEP)
    assert plan.applies and (plan.response, plan.predictor, plan.group) == (
        "reaction", "days", "subject")


@pytest.mark.parametrize(("data", "words"), [
    (simulators.generate("two_condition", seed=1).data, "no numeric predictor"),
    (pd.DataFrame({"g": list("aabb"), "h": list("abab")}), "no numeric column"),
    (pd.DataFrame({"x": [1.0, 2, 3, 4], "y": [2.0, 1, 4, 3]}), "grouping factor"),
])
def test_reasons_when_no_pooling_plot_applies(data, words):
    plan = pooling_plan("y ~ x + (1 | g)", data)
    assert not plan.applies and words in plan.reason


def test_a_numeric_grouping_factor_is_not_offered_as_the_predictor():
    # (1 | days) first in the formula once emptied the predictor list (an IndexError on the page)
    plan = pooling_plan("reaction ~ days + (days | subject) + (1 | days)", SLEEP)
    assert (plan.predictor, plan.group) == ("days", "subject") and plan.predictors == ("days",)
    alone = pooling_plan("reaction ~ days + (1 | days)", SLEEP)
    assert alone.group == "days" and not alone.applies
