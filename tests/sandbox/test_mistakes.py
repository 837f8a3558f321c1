"""Structural mistakes found before fitting: each one named, none for the course's and the
simulated studies' own formulas, and the suggested fix is the model without the mistake."""

from __future__ import annotations

import numpy as np
import pytest

import lmm_core
import simulators
from sandbox.mistakes import check_model

SLEEP = simulators.load("sleep_seed").assign(
    age=lambda d: d["subject"].astype(int) % 7 + 20,  # one age per participant
    subject_id=lambda d: d["subject"].astype(int),  # participant numbers, as uploads have
)


@pytest.mark.parametrize(("formula", "codes"), [
    ("reaction ~ days + (1 | subject) + (1 | subject)", ["duplicated_random_effect"]),
    ("reaction ~ days + (days | subject) + (1 | subject)", ["duplicated_random_effect"]),
    ("reaction ~ days + (days || subject) + (0 + days | subject)",
     ["duplicated_random_effect"]),
    ("reaction ~ days + subject + (1 | subject)", ["grouping_factor_as_fixed_effect"]),
    ("reaction ~ days * subject + (days | subject)", ["grouping_factor_as_fixed_effect"] * 2),
    ("reaction ~ days + age + (age | subject)", ["slope_constant_within_group"]),
    ("reaction ~ days + subject_id + (1 | subject_id)", ["numeric_group_as_fixed_effect"]),
    ("reaction ~ 1 + (days | subject)", ["random_slope_without_fixed_effect"]),
    # fine: crossed, nested, uncorrelated, a between-subject predictor as a fixed effect
    ("reaction ~ days + age + (days || subject)", []),
    ("reaction ~ days + (1 | subject) + (1 | days)", []),
    ("reaction ~ days + (1 | subject/days)", []),
    # not checked here: the fit's own error says it better
    ("reaction ~ days + (1 | subject", []),
    ("reaction ~ dayz + (1 | subject)", []),
    ("reaction ~ days", []),
])
def test_each_mistake_is_named(formula, codes):
    found = check_model(formula, SLEEP)
    assert [p.code for p in found] == codes
    for p in found:
        assert p.text.startswith("**") and p.blocks == (p.severity != "warning")


def test_the_same_random_effect_twice_is_explained_and_fixed():
    formula = "reaction ~ days + (1 | subject) + (1 | subject)"
    (problem,) = check_model(formula, SLEEP)
    assert problem.severity == "mistake" and problem.blocks
    assert "two variances for one thing" in problem.text
    assert "centring or scaling would not help" in problem.text
    assert problem.fix == "reaction ~ days + (1 | subject)"
    # lme4 (and lmm_core) would fit it with warnings: the fix fits cleanly, to the same model
    assert lmm_core.lmer(formula, SLEEP).messages
    fixed = lmm_core.lmer(problem.fix, SLEEP)
    assert not fixed.messages and check_model(problem.fix, SLEEP) == ()


@pytest.mark.parametrize(("formula", "fix"), [
    ("reaction ~ days + (days | subject) + (1 | subject)",
     "reaction ~ days + (days | subject)"),
    ("reaction ~ days + (1 | subject) + (days | subject)",
     "reaction ~ days + (days || subject)"),  # the same as (1 | s) + (0 + days | s)
    ("reaction ~ 0 + I(days^2) + (I(days^2) | subject) + (0 + I(days^2) | subject)",
     "reaction ~ 0 + I(days^2) + (I(days^2) | subject)"),
    ("reaction ~ days + offset(days) + (1 | subject) + (1 | subject)",
     "reaction ~ days + offset(days) + (1 | subject)"),  # the offset stays
])
def test_the_fix_keeps_the_first_of_each_repeated_effect(formula, fix):
    (problem,) = check_model(formula, SLEEP)
    assert problem.fix == fix
    assert lmm_core.parse_formula(fix)  # it can be typed back


def test_the_fix_quotes_unusual_names_once():
    data = SLEEP.rename(columns={"days": "my day", "subject": "sub j", "reaction": "rt ms"})
    (problem,) = check_model("`rt ms` ~ `my day` + (1 + `my day` | `sub j`) + (1 | `sub j`)",
                             data)
    assert problem.fix == "`rt ms` ~ `my day` + (`my day` | `sub j`)"
    assert lmm_core.lmer(problem.fix, data)  # it can be typed back and fitted


def test_a_slope_that_never_changes_within_a_group_is_a_mistake():
    (problem,) = check_model("reaction ~ days + age + (1 + age | subject)", SLEEP)
    assert problem.code == "slope_constant_within_group" and problem.blocks
    assert "` age ` does not change within any ` subject `" in problem.text


def test_an_infinite_value_names_its_column_and_row_and_blocks():
    data = SLEEP.assign(days=SLEEP["days"].astype(float))
    data.loc[[4, 30], "days"] = [np.inf, -np.inf]
    (problem,) = check_model("reaction ~ days + (1 | subject)", data)
    assert problem.code == "infinite_value" and problem.severity == "error"
    assert "` days ` holds an infinite value" in problem.text and "row(s) 5, 31" in problem.text
    assert check_model("reaction ~ 1 + (1 | subject)", data) == ()  # days is not used


@pytest.mark.parametrize("name", list(simulators.SCENARIOS))
def test_no_false_alarm_on_the_studies_own_formulas(name):
    made = simulators.generate(name, seed=1)
    assert check_model(made.formula, made.data) == ()


def test_hostile_names_stay_inside_code_spans():
    name = "[x](http://example.org)<img src=x onerror=alert(1)>"
    data = SLEEP.rename(columns={"subject": name})
    (problem,) = check_model(f"reaction ~ days + (1 | `{name}`) + (1 | `{name}`)", data)
    assert problem.text.count(name) == problem.text.count(f"` {name} `") == 2
