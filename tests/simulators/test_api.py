"""The public interface of simulators: registry, generate(), load() and their error messages."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

import simulators
from simulators import SCENARIOS, Scenario, ScenarioError, generate, load

NAMES = sorted(SCENARIOS)

# sha256 (first 16 hex digits) of data.to_csv(index=False) at seed 0 with default params.
# Homework datasets are handed out by seed, so a change here means every student's data
# changed: on purpose (update the table) or by accident (e.g. a numpy upgrade changed a
# random stream; numpy promises the same stream only within a version).
FINGERPRINTS = {
    "convergence_trouble": "aa57e88642062315",
    "heterogeneous_variance": "f59e9708d0df663b",
    "items_crossed": "eea622d0537c0806",
    "mixture": "7441bddd67fa0883",
    "multisite": "942e77d1462fca8f",
    "outliers": "c5bc335a243766c3",
    "schools_crossed": "9be08a304fa89ea7",
    "schools_nested": "c15b494a75d93547",
    "sleep": "c8f015b2e264abba",
    "tails": "4d70c90c787e9257",
    "two_condition": "b03125e19b642a8a",
}


def fingerprint(data: pd.DataFrame) -> str:
    return hashlib.sha256(data.to_csv(index=False).encode()).hexdigest()[:16]


def test_registry_lists_the_documented_scenarios():
    assert set(SCENARIOS) == {
        "two_condition", "outliers", "mixture", "heterogeneous_variance", "tails", "sleep",
        "schools_nested", "schools_crossed", "convergence_trouble", "items_crossed",
        "multisite",
    }


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_is_documented_and_its_default_is_allowed(name):
    spec = SCENARIOS[name]
    assert spec.name == name and spec.summary
    for param in spec.params:
        assert param.help and param.kind in {"int", "float", "choice"}
        assert param.validate(param.default) == param.default
        assert param.allowed()
    assert spec.resolve({}) == spec.defaults


def test_registry_cannot_be_changed():
    with pytest.raises(TypeError):
        SCENARIOS["new"] = SCENARIOS["sleep"]


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_scenario(name):
    first, second = generate(name, seed=7), generate(name, seed=7)
    pd.testing.assert_frame_equal(first.data, second.data)
    assert first.truth == second.truth
    assert (first.formula, first.description) == (second.formula, second.description)


@pytest.mark.parametrize("name", NAMES)
def test_different_seeds_give_different_data(name):
    assert not generate(name, seed=1).data.equals(generate(name, seed=2).data)


@pytest.mark.parametrize("name", NAMES)
def test_scenario_records_seed_params_and_json_friendly_truth(name):
    scenario = generate(name, seed=3)
    assert isinstance(scenario, Scenario) and scenario.name == name
    assert scenario.seed == 3 and scenario.params == SCENARIOS[name].defaults
    assert json.loads(json.dumps(scenario.truth)) == scenario.truth
    assert scenario.description.endswith(".") and "\n" not in scenario.description


@pytest.mark.parametrize("name", NAMES)
def test_data_do_not_change_unnoticed(name):
    assert fingerprint(generate(name, seed=0).data) == FINGERPRINTS[name]


def test_scenario_is_frozen():
    scenario = generate("two_condition", seed=0)
    with pytest.raises(AttributeError):
        scenario.seed = 1


@pytest.mark.parametrize("seed", [-1, 1.5, "3", None, True])
def test_bad_seed_is_rejected(seed):
    with pytest.raises(ScenarioError, match="seed"):
        generate("two_condition", seed=seed)


def test_seed_is_required():
    with pytest.raises(TypeError):
        generate("two_condition")


def test_unknown_scenario_suggests_close_names():
    with pytest.raises(ScenarioError, match="'two_condition'"):
        generate("two_conditions", seed=0)


def test_unknown_scenario_lists_all_when_nothing_is_close():
    with pytest.raises(ScenarioError, match="Allowed: .*'sleep'"):
        generate("zzz", seed=0)


def test_scenario_error_is_a_value_error():
    assert issubclass(ScenarioError, ValueError)


def test_unknown_parameter_suggests_close_names():
    with pytest.raises(ScenarioError, match="no parameter 'n_participant'.*'n_participants'"):
        generate("two_condition", seed=0, n_participant=10)


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("two_condition", {"n_participants": 2}, "from 4 to 500"),
        ("two_condition", {"sd_residual": 0}, "from 0.1 to 100"),
        ("two_condition", {"n_participants": 10.5}, "an integer from 4 to 500"),
        ("two_condition", {"effect": float("nan")}, "from -100 to 100"),
        ("two_condition", {"effect": "big"}, "a number from -100 to 100"),
        ("sleep", {"correlation": 1.5}, "from -1 to 1"),
        ("tails", {"hypothesis": "greater"}, "one of 'better', 'worse', 'different'"),
        ("outliers", {"n_outliers": 6}, "from 1 to 5"),
        ("sleep", {"n_days": 3, "n_incomplete": 3}, "from 0 to 2"),
    ],
)
def test_bad_values_name_the_allowed_range(name, params, message):
    with pytest.raises(ScenarioError, match=message):
        generate(name, seed=0, **params)


def test_integral_floats_are_accepted_as_ints():
    scenario = generate("two_condition", seed=0, n_participants=10.0)
    assert scenario.params["n_participants"] == 10 and len(scenario.data) == 20


def test_load_sleepstudy_is_lme4s_data():
    data = load("sleepstudy")
    assert data.shape == (180, 3) and list(data.columns) == ["Reaction", "Days", "Subject"]
    assert data["Subject"].map(type).eq(str).all() and data["Subject"].nunique() == 18
    assert data["Reaction"].iloc[0] == pytest.approx(249.56)


def test_load_sleep_seed_is_the_183_row_course_version():
    data = load("sleep_seed")
    assert data.shape == (183, 3) and list(data.columns) == ["subject", "days", "reaction"]
    counts = data["subject"].value_counts()
    assert counts["373"] == 1 and counts["374"] == 2 and (counts.drop(["373", "374"]) == 10).all()


def test_load_returns_a_fresh_copy():
    data = load("sleepstudy")
    data.loc[0, "Reaction"] = -1
    assert load("sleepstudy").loc[0, "Reaction"] > 0


def test_load_unknown_name_lists_datasets():
    with pytest.raises(ScenarioError, match="'sleepstudy'"):
        load("sleepstudyy")


def test_all_lists_the_public_names():
    for name in simulators.__all__:
        assert hasattr(simulators, name)
