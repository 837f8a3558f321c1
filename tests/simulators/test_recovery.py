"""Slow statistical checks: lmm_core, fitted with each scenario's formula, finds its truth.

Over seeds 0-49, Wald intervals for the fixed effects should cover ``truth["fixef"]`` at
roughly the nominal 95% rate, and the scenarios built to show a signature (a mixture's
inflated variance, unequal spreads, outliers, the nested-label trap, convergence trouble)
should show it on most seeds, since the games rely on it. The intercept's interval uses a t
quantile with (fewest groups - 1) degrees of freedom: with 4-6 schools a normal quantile is
known to undercover, and that is a property of the Wald interval, not of the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulators import generate

lmm_core = pytest.importorskip("lmm_core")

pytestmark = pytest.mark.slow
SEEDS = range(50)


def fit(formula, data):
    return lmm_core.lmer(formula, data, reml=True)


def variance(fitted, group: str) -> float:
    table = fitted.varcorr()
    rows = table[(table["grp"] == group) & (table["var2"].fillna("") == "")]
    return float(rows["vcov"].iloc[0])


def troubled(fitted) -> bool:
    return bool(fitted.is_singular or fitted.messages)


COVERAGE_CASES = [
    ("two_condition", {}),
    ("tails", {}),
    ("mixture", {}),
    ("heterogeneous_variance", {"component": "intercepts"}),
    ("heterogeneous_variance", {"component": "residuals"}),
    ("sleep", {}),
    ("schools_nested", {}),
    ("schools_crossed", {}),
]


@pytest.mark.parametrize(("name", "params"), COVERAGE_CASES)
def test_wald_intervals_cover_the_true_fixed_effects(name, params):
    hits = []
    for seed in SEEDS:
        scenario = generate(name, seed=seed, **params)
        fitted = fit(scenario.formula, scenario.data)
        table = fitted.coef_table()
        truth = pd.Series(scenario.truth["fixef"])
        assert list(table.index) == list(truth.index)
        quantile = pd.Series(stats.norm.ppf(0.975), index=truth.index)
        quantile["(Intercept)"] = stats.t.ppf(0.975, min(fitted.ngroups.values()) - 1)
        hits.append((table["Estimate"] - truth).abs() <= quantile * table["Std. Error"])
    coverage = pd.DataFrame(hits).mean()
    assert coverage.between(0.85, 1.0).all(), coverage.to_dict()


def share(results) -> float:
    return float(np.mean(results))


def test_mixture_group_term_shrinks_the_participant_variance():
    ratios = []
    for seed in SEEDS:
        scenario = generate("mixture", seed=seed)
        with_group = fit(scenario.formula, scenario.data)
        without = fit(scenario.truth["wrong_formula"], scenario.data)
        ratios.append(variance(without, "participant") / max(variance(with_group, "participant"),
                                                            1e-12))
    assert share(np.array(ratios) > 3) >= 0.9


@pytest.mark.parametrize("component", ["intercepts", "residuals"])
def test_heterogeneous_sites_show_different_spreads(component):
    ratios = []
    for seed in SEEDS:
        scenario = generate("heterogeneous_variance", seed=seed, component=component)
        data, truth = scenario.data, scenario.truth
        fitted = fit(scenario.formula, data)
        if component == "intercepts":
            effects = fitted.ranef()["participant"]["(Intercept)"]
            site = data.groupby("participant")["site"].first().reindex(effects.index)
            spread = effects.groupby(site).std()
        else:
            spread = pd.Series(fitted.residuals()).groupby(data["site"]).std()
        ratios.append(spread[truth["widest_site"]] / spread[truth["narrowest_site"]])
    assert share(np.array(ratios) > 2) >= 0.9


@pytest.mark.parametrize("kind", ["observations", "participants"])
def test_outliers_stand_out_in_the_fit(kind):
    found = []
    for seed in SEEDS:
        scenario = generate("outliers", seed=seed, kind=kind)
        truth = scenario.truth
        fitted = fit(scenario.formula, scenario.data)
        if kind == "participants":
            size = fitted.ranef()["participant"]["(Intercept)"].abs()
            found.append(set(size.nlargest(2).index) == set(truth["outlier_participants"]))
        else:
            size = pd.Series(np.abs(fitted.residuals()))
            found.append(set(size.nlargest(2).index) == set(truth["altered_rows"]))
    assert share(found) >= 0.85


def test_nested_data_show_the_reused_label_trap():
    shows_trap = []
    for seed in SEEDS:
        scenario = generate("schools_nested", seed=seed)
        right = fit(scenario.truth["right_formula"], scenario.data)
        wrong = fit(scenario.truth["wrong_formula"], scenario.data)
        lumped = variance(wrong, "class") < 0.5 * variance(right, "class:school")
        shows_trap.append(lumped and wrong.sigma > 1.5 * right.sigma)
    assert share(shows_trap) >= 0.9


REMEDY = {
    "center_scale": lambda f, d: lmm_core.center_scale(f, d),
    "drop_correlation": lambda f, d: lmm_core.drop_correlation(f, d),
    "simplify": lambda f, d: lmm_core.drop_random_slopes(f, d),
}


@pytest.mark.parametrize("problem", ["scale", "singular", "overparameterized"])
def test_maximal_model_struggles_and_the_right_remedy_helps(problem):
    before, after = [], []
    for seed in SEEDS:
        scenario = generate("convergence_trouble", seed=seed, problem=problem)
        before.append(troubled(fit(scenario.formula, scenario.data)))
        formula, data = REMEDY[scenario.truth["best_remedy"]](scenario.formula, scenario.data)
        after.append(troubled(fit(formula, data)))
    assert share(before) >= 0.5 and share(after) <= 0.2, (share(before), share(after))
