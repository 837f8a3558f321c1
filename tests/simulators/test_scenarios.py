"""What each scenario promises its games: designs, labels and the truth fields they read."""

from __future__ import annotations

import numpy as np
import pytest

from simulators import ScenarioError, generate
from simulators.experiments import alternative_for


def test_two_condition_is_the_course_design():
    scenario = generate("two_condition", seed=0)
    data = scenario.data
    assert list(data.columns) == ["participant", "condition", "value"] and len(data) == 40
    assert data["participant"].nunique() == 20 and data["participant"].iloc[0] == "P01"
    conditions = data.groupby("participant")["condition"].apply(sorted).tolist()
    assert conditions == [["control", "treatment"]] * 20
    assert scenario.formula == "value ~ 1 + condition + (1 | participant)"
    assert set(scenario.truth["fixef"]) == {"(Intercept)", "conditiontreatment"}
    assert (data["value"] == data["value"].round(2)).all()


def test_two_condition_missing_values_on_request():
    scenario = generate("two_condition", seed=0, missing_fraction=0.1)
    assert scenario.data["value"].isna().sum() == 4 == len(scenario.truth["missing_rows"])


def test_labels_sort_as_numbers_beyond_99():
    ids = generate("two_condition", seed=0, n_participants=120).data["participant"].unique()
    assert ids[0] == "P001" and list(ids) == sorted(ids)


@pytest.mark.parametrize("seed", range(5))
def test_outlying_observations_are_the_most_extreme(seed):
    scenario = generate("outliers", seed=seed, n_outliers=3)
    truth, values = scenario.truth, scenario.data["value"]
    rows = truth["altered_rows"]
    assert len(rows) == 3 and truth["outlier_participants"] == []
    assert list(values.iloc[rows]) != truth["original_values"]
    deviation = (values - values.median()).abs()
    assert set(deviation.nlargest(3).index) == set(rows)


def test_outlying_participants_have_both_rows_moved():
    scenario = generate("outliers", seed=4, kind="participants", n_outliers=2)
    truth, data = scenario.truth, scenario.data
    assert len(truth["outlier_participants"]) == 2
    moved = data.loc[truth["altered_rows"], "participant"]
    assert sorted(moved.unique()) == truth["outlier_participants"] and len(moved) == 4
    means = data.groupby("participant")["value"].mean()
    distance = (means - means.median()).abs()
    assert set(distance.nlargest(2).index) == set(truth["outlier_participants"])


@pytest.mark.parametrize(
    ("hypothesis", "higher_is_better", "alternative"),
    [
        ("better", True, "greater"),
        ("better", False, "less"),
        ("worse", True, "less"),
        ("worse", False, "greater"),
        ("different", True, "two-sided"),
        ("different", False, "two-sided"),
    ],
)
def test_test_direction_follows_hypothesis_and_measure(hypothesis, higher_is_better, alternative):
    assert alternative_for(hypothesis, higher_is_better) == alternative


def test_tails_truth_is_consistent():
    for seed in range(30):
        truth = generate("tails", seed=seed).truth
        sign = np.sign(truth["true_effect"])
        assert {"positive": 1, "negative": -1, "zero": 0}[truth["effect"]] == sign
        assert truth["fixef"]["conditiontreatment"] == truth["true_effect"]
        expected = alternative_for(truth["hypothesis"], truth["higher_is_better"])
        assert truth["alternative"] == expected
        wanted = {"greater": 1, "less": -1, "two-sided": sign or 2}[expected]
        assert truth["hypothesis_true"] == (sign == wanted)


def test_tails_random_choices_cover_every_case():
    truths = [generate("tails", seed=s).truth for s in range(60)]
    assert {t["hypothesis"] for t in truths} == {"better", "worse", "different"}
    assert {t["effect"] for t in truths} == {"positive", "negative", "zero"}
    assert {t["measure"] for t in truths} == {"score", "reaction_time"}


def test_tails_fixed_choices_are_respected():
    scenario = generate(
        "tails", seed=1, hypothesis="better", effect="negative", measure="reaction_time"
    )
    truth = scenario.truth
    assert (truth["alternative"], truth["hypothesis_true"]) == ("less", True)
    assert scenario.formula.startswith("reaction_time ~")


def test_mixture_groups_and_terms():
    scenario = generate("mixture", seed=0, n_participants=21, share_high=0.3)
    data, truth = scenario.data, scenario.truth
    assert truth["group_sizes"] == {"average": 15, "high": 6}
    per_person = data.groupby("participant")["group"].nunique()
    assert (per_person == 1).all()
    assert sorted(data["group"].unique()) == ["average", "high"]  # "average" is the baseline
    assert "grouphigh" in truth["fixef"] and "group" not in truth["wrong_formula"]


@pytest.mark.parametrize("component", ["intercepts", "residuals"])
def test_heterogeneous_sites_really_differ(component):
    scenario = generate("heterogeneous_variance", seed=2, component=component, sd_ratio=10)
    truth, data = scenario.truth, scenario.data
    sds = truth["site_sd"]
    assert sds[truth["widest_site"]] == pytest.approx(10 * sds[truth["narrowest_site"]])
    if component == "intercepts":
        spread = data.groupby(["site", "participant"])["value"].mean().groupby("site").std()
    else:
        centred = data["value"] - data.groupby(["participant", "condition"])["value"].transform(
            "mean"
        )
        spread = centred.groupby(data["site"]).std()
    assert spread[truth["widest_site"]] > 3 * spread[truth["narrowest_site"]]


def test_widest_site_is_shuffled_by_seed():
    widest = {generate("heterogeneous_variance", seed=s).truth["widest_site"] for s in range(20)}
    assert widest == {"A", "B"}


def test_sleep_defaults_mirror_the_course_data():
    scenario = generate("sleep", seed=0)
    data, truth = scenario.data, scenario.truth
    assert data.shape == (183, 3) and list(data.columns) == ["subject", "days", "reaction"]
    counts = data["subject"].value_counts()
    assert truth["incomplete_participants"] == {"S19": 1, "S20": 2}
    assert counts["S19"] == 1 and counts["S20"] == 2 and (counts.drop(["S19", "S20"]) == 10).all()
    assert data["days"].min() == 0 and data["days"].max() == 9
    assert set(truth["varcomp"]["subject"]) == {"sd_(Intercept)", "sd_days", "cor"}


def test_sleep_allows_perfect_correlation():
    scenario = generate("sleep", seed=0, correlation=1.0, sd_residual=0.1, n_incomplete=0)
    data = scenario.data
    fits = data.groupby("subject").apply(
        lambda d: np.polyfit(d["days"], d["reaction"], 1), include_groups=False
    )
    slopes, intercepts = np.vstack(fits).T
    assert np.corrcoef(slopes, intercepts)[0, 1] > 0.99


def test_schools_default_size_and_labels():
    for name in ("schools_nested", "schools_crossed"):
        data = generate(name, seed=0).data
        assert data.shape == (1200, 7)
        assert sorted(data["school"].unique()) == sorted(["I", "II", "III", "IV", "V", "VI"])
        letters = data.groupby("school")["class"].unique().map(sorted).tolist()
        assert letters == [list("abcd")] * 6
        assert data["pupil"].is_unique


def class_means(name: str, seed: int):
    data = generate(name, seed=seed, sd_school=0.0, sd_residual=0.1).data
    return data.groupby(["school", "class"])["extraversion"].mean().unstack()


def test_nested_classes_differ_per_school_and_crossed_ones_do_not():
    nested, crossed = class_means("schools_nested", 0), class_means("schools_crossed", 0)
    # within a letter, schools agree for a shared method and disagree for unrelated classes
    assert crossed.std().max() < 0.5 < nested.std().min()


def test_schools_truth_names_right_and_wrong_formulas():
    nested = generate("schools_nested", seed=0)
    crossed = generate("schools_crossed", seed=0)
    assert nested.formula == nested.truth["right_formula"] == crossed.truth["wrong_formula"]
    assert crossed.formula == crossed.truth["right_formula"] == nested.truth["wrong_formula"]
    assert "(1 | school/class)" in nested.formula
    assert "class:school" in nested.truth["varcomp"] and "class" in crossed.truth["varcomp"]
    assert (nested.truth["n_classes_real"], crossed.truth["n_classes_real"]) == (24, 4)


@pytest.mark.parametrize(
    ("problem", "best"),
    [("scale", "center_scale"), ("singular", "simplify"),
     ("overparameterized", "drop_correlation")],
)
def test_convergence_remedies(problem, best):
    truth = generate("convergence_trouble", seed=0, problem=problem).truth
    assert truth["problem"] == problem and truth["best_remedy"] == best
    assert truth["remedies"] == {
        r: r == best for r in ("center_scale", "drop_correlation", "simplify")
    }
    assert set(truth["remedy_formulas"]) == set(truth["remedies"])
    assert truth["symptom"] in {"gradient", "singular"}


def test_convergence_scale_problem_uses_a_large_uncentered_predictor():
    scenario = generate("convergence_trouble", seed=0, problem="scale")
    income = scenario.data["income"]
    assert income.between(1000, 2000).all() and income.std() > 200
    school = scenario.truth["varcomp"]["school"]
    assert school["cor"] < -0.99  # the raw-scale truth: intercept at income 0 vs slope
    assert scenario.truth["fixef"]["(Intercept)"] == pytest.approx(30.0)


def test_convergence_random_problem_covers_all_three():
    problems = {generate("convergence_trouble", seed=s).truth["problem"] for s in range(20)}
    assert problems == {"scale", "singular", "overparameterized"}


def test_items_are_fully_crossed_and_frequency_is_a_property_of_the_word():
    scenario = generate("items_crossed", seed=7, n_participants=6, n_items=8)
    data = scenario.data
    cells = data.groupby(["participant", "item"]).size()
    assert len(cells) == 48 and (cells == 1).all()
    assert data.groupby("item")["frequency"].nunique().max() == 1
    assert (data.groupby("frequency")["item"].nunique() == 4).all()
    assert sorted(scenario.truth["rare_items"]) == sorted(
        data.loc[data["frequency"] == "rare", "item"].unique())
    assert np.array_equal(data["rt"], np.round(data["rt"]))
    assert scenario.formula == "rt ~ frequency + (1 | participant) + (1 | item)"


def test_items_need_an_even_number_of_words():
    with pytest.raises(ScenarioError, match="even"):
        generate("items_crossed", seed=1, n_items=7)
    with pytest.raises(ScenarioError, match="n_participants"):
        generate("items_crossed", seed=1, n_participants=2)


def test_multisite_nests_participants_in_sites_with_a_site_level_setting():
    scenario = generate("multisite", seed=2, n_sites=6, n_per_site=4, n_trials=2)
    data = scenario.data
    assert data.groupby("participant")["site"].nunique().max() == 1  # nested, unique labels
    assert data.groupby("site")["setting"].nunique().max() == 1  # a property of the site
    assert set(data["setting"]) == {"clinic", "university"}
    assert sorted(data.loc[data["setting"] == "university", "site"].unique()) == \
        scenario.truth["university_sites"]
    cells = data.groupby(["participant", "condition"]).size()
    assert (cells == 2).all() and len(data) == 6 * 4 * 4
