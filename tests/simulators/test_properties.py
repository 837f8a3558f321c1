"""Property tests: any allowed parameters give a tidy table that matches its formula and truth."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simulators import SCENARIOS, ScenarioError, generate

NAMES = sorted(SCENARIOS)
SIZE_SPAN = 10  # sizes are drawn from [low, low + SIZE_SPAN] to keep the examples fast
FORMULA_FUNCTIONS = {"scale"}


def expected_rows(name: str, p: dict, truth: dict) -> int:
    """How many rows the documented design has."""
    two = 2 * p.get("n_trials", 1)
    if name in {"two_condition", "outliers", "tails", "mixture"}:
        return p["n_participants"] * two
    if name == "heterogeneous_variance":
        return p["n_sites"] * p["n_per_site"] * two
    if name == "sleep":
        k = p["n_incomplete"]
        return p["n_subjects"] * p["n_days"] + k * (k + 1) // 2
    if name.startswith("schools"):
        return p["n_schools"] * p["n_classes"] * p["n_pupils"]
    if name == "items_crossed":
        return p["n_participants"] * p["n_items"]
    if name == "multisite":
        return p["n_sites"] * p["n_per_site"] * two
    return {"scale": 150, "singular": 120, "overparameterized": 120}[truth["problem"]]


def value_strategy(param):
    if param.kind == "choice":
        return st.sampled_from(param.choices)
    if param.kind == "int":
        return st.integers(int(param.low), int(min(param.high, param.low + SIZE_SPAN)))
    return st.floats(param.low, param.high, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios(draw):
    name = draw(st.sampled_from(NAMES))
    params = {p.name: draw(value_strategy(p)) for p in SCENARIOS[name].params}
    seed = draw(st.integers(0, 2**32))
    try:
        return name, seed, params, generate(name, seed=seed, **params)
    except ScenarioError:  # a cross-parameter check (e.g. too many outliers)
        assume(False)


def formula_names(formula: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", formula)) - FORMULA_FUNCTIONS


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_any_allowed_parameters_give_a_tidy_table(case):
    name, seed, params, scenario = case
    data = scenario.data
    assert isinstance(data.index, pd.RangeIndex)
    assert len(data) == expected_rows(name, params, scenario.truth)
    assert formula_names(scenario.formula) <= set(data.columns)
    for column in data.columns:
        series = data[column]
        if series.dtype == object:
            assert series.map(type).eq(str).all(), column
        else:
            assert series.dtype in (np.int64, np.float64), column


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_values_are_missing_only_when_asked_for(case):
    _, _, params, scenario = case
    response = scenario.formula.split("~")[0].strip()
    others = scenario.data.drop(columns=response)
    assert not others.isna().any().any()
    missing = scenario.data[response].isna()
    assert list(np.flatnonzero(missing)) == scenario.truth.get("missing_rows", [])
    if params.get("missing_fraction", 0) == 0:
        assert not missing.any()
    assert np.isfinite(scenario.data[response].dropna().to_numpy()).all()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_truth_matches_the_formula(case):
    _, _, _, scenario = case
    truth = scenario.truth
    fixef = truth["fixef"]
    assert next(iter(fixef)) == "(Intercept)"
    assert all(isinstance(v, float) and math.isfinite(v) for v in fixef.values())
    assert truth["varcomp"]["residual_sd"] > 0
    fixed_part = re.sub(r"\([^()]*\|[^()]*\)", "", scenario.formula.split("~")[1])
    for term in fixef:
        if term != "(Intercept)":
            assert any(term.startswith(var) for var in formula_names(fixed_part)), term
    groups = {k for k in truth["varcomp"] if k != "residual_sd"}
    for group in groups:
        assert set(group.split(":")) <= set(scenario.data.columns)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_same_arguments_same_data(case):
    name, seed, params, scenario = case
    again = generate(name, seed=seed, **params)
    pd.testing.assert_frame_equal(scenario.data, again.data)
    assert scenario.truth == again.truth and scenario.params == again.params


NUMERIC = [
    (name, param)
    for name in NAMES
    for param in SCENARIOS[name].params
    if param.kind != "choice"
]


@pytest.mark.parametrize(("name", "param"), NUMERIC, ids=[f"{n}-{p.name}" for n, p in NUMERIC])
def test_values_outside_the_range_are_rejected_with_the_range(name, param):
    allowed = f"from {param.low:g} to {param.high:g}"
    for bad in (param.low - 1, param.high + 1):
        with pytest.raises(ScenarioError, match=re.escape(allowed)):
            generate(name, seed=0, **{param.name: bad})
