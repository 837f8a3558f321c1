"""The bootstrap game's studies: three designs whose effect lives at different levels.

- "slope" (``simulators`` "sleep"): reaction time over days of sleep deprivation, people differ
  in their slopes, ``reaction ~ 1 + days + (1 + days | subject)``; the effect (the average
  slope) varies *between people*.
- "within" (``simulators`` "two_condition" with several trials): a treatment effect measured
  within each person that people do not differ in, ``value ~ 1 + condition + (1 |
  participant)``; every trial informs it.
- "crossed" (``simulators`` "items_crossed"): every participant reads every word, half of them
  rare, ``rt ~ frequency + (1 | participant) + (1 | item)``; the effect is a difference
  *between words*, so it is uncertain because of which words were sampled.

:func:`make_study` simulates and fits until the study shows what its round is about, and
:func:`study_numbers` gives everything scoring and the reveal need (no bootstrap: that is the
page's slow reveal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

import lmm_core
import simulators

from ..base import sub_seed

__all__ = ["DESIGNS", "Study", "make_study", "own_effects", "study_numbers", "Z95"]

Z95 = 1.959963984540054

# design -> what the round is about
DESIGNS = {
    "slope": {"term": "days", "unit": "ms/day", "group": "subject", "response": "reaction",
              "effect": "average slope", "people": "people", "reference": "profile"},
    "within": {"term": "conditiontreatment", "unit": "points", "group": "participant",
               "response": "value", "effect": "treatment effect", "people": "participants",
               "reference": "profile"},
    "crossed": {"term": "frequencyrare", "unit": "ms", "group": "participant",
                "response": "rt", "effect": "frequency effect (rare − frequent)",
                "people": "participants", "reference": "Wald"},
}


@dataclass(frozen=True)
class Study:
    design: str
    scenario: object
    fit: object


def make_study(seed: int, design: str, level: dict, premise: bool) -> Study:
    """Simulate and fit until the study shows what the round is about (deterministically:
    attempt k uses the k-th generator of the seed).

    Always: no fit on or near the boundary (see _regular), whose intervals say more about
    the boundary than about bootstrapping. With ``premise``, the reason behind the round's
    answer must hold in these data, not only in the simulation (see _premise_holds).
    """
    for attempt in range(12):
        scenario = _simulate(design, level, sub_seed(seed, 1, attempt))
        fit = lmm_core.lmer(scenario.formula, scenario.data)
        study = Study(design, scenario, fit)
        if _regular(fit) and (not premise or _premise_holds(study)):
            break
    return study


def _regular(fit) -> bool:
    """Converged, away from the boundary: no SD of zero (lme4's isSingular) and no
    correlation within 0.05 of ±1 (nearly as degenerate, though lme4's tolerance lets it
    pass); there the SE is no longer SD of people / √n."""
    vc = fit.varcorr()
    correlations = vc.loc[vc["var2"] != "", "sdcor"].abs()
    return fit.converged and not fit.is_singular and not bool((correlations > 0.95).any())


def _premise_holds(study: Study) -> bool:
    """slope: the within-person noise alone explains under half of the standard error (so
    resampling rows, which sees only that noise, is clearly too narrow); within: the spread of
    people's own differences agrees with the model's standard error (people visibly do not
    differ in the effect); crossed: which words were sampled explains at least 80% of the
    effect's variance (so resampling participants, which keeps the words, is clearly too
    narrow)."""
    fit, data = study.fit, study.scenario.data
    se = float(fit.coef_table().loc[DESIGNS[study.design]["term"], "Std. Error"])
    if study.design == "slope":
        centred = data["days"] - data.groupby("subject")["days"].transform("mean")
        rows_se = fit.sigma / math.sqrt(float((centred**2).sum()))
        return rows_se / se < 0.5
    if study.design == "within":
        own = own_effects(data, "within")
        return 0.85 <= float(own.std(ddof=1)) / math.sqrt(own.size) / se <= 1.2
    sd = _sds(fit)
    words = sd["item"] ** 2
    return words / (words + fit.sigma**2 / data["participant"].nunique()) >= 0.8


def _sds(fit) -> dict:
    vc = fit.varcorr()
    return {g: float(v) for g, v in zip(vc["grp"], vc["sdcor"], strict=True)
            if g != "Residual"}


def _draw_int(rng, bounds) -> int:
    return int(rng.integers(bounds[0], bounds[1] + 1))


def _simulate(design: str, level: dict, rng):
    seed = int(rng.integers(2**31))
    if design == "slope":
        return simulators.generate(
            "sleep", seed=seed, n_subjects=_draw_int(rng, level["n_people"]),
            n_days=_draw_int(rng, level["n_days"]), n_incomplete=0,
            slope=round(float(rng.uniform(5.0, 14.0)), 1),
            sd_slope=round(float(rng.uniform(*level["sd_slope"])), 1),
            sd_residual=round(float(rng.uniform(18.0, 32.0)), 1))
    if design == "within":
        return simulators.generate(
            "two_condition", seed=seed, n_participants=int(rng.integers(10, 15)),
            n_trials=int(rng.integers(4, 7)), intercept=50.0,
            effect=round(float(rng.choice([-1, 1]) * rng.uniform(2.0, 5.0)), 1),
            sd_participant=8.0, sd_residual=round(float(rng.uniform(4.0, 7.0)), 1))
    return simulators.generate(
        "items_crossed", seed=seed, n_participants=int(rng.integers(14, 21)),
        n_items=2 * int(rng.integers(6, 10)),
        frequency_effect=round(float(rng.uniform(25.0, 60.0)), 0),
        sd_item=round(float(rng.uniform(35.0, 55.0)), 0),
        sd_residual=round(float(rng.uniform(45.0, 65.0)), 0))


def own_effects(data: pd.DataFrame, design: str) -> pd.Series:
    """What each unit says about the effect from its data alone: a person's least-squares
    slope, a person's treatment mean minus control mean, or (crossed) a word's average
    reading time."""
    spec = DESIGNS[design]
    y = spec["response"]
    if design == "slope":
        def slope(g):
            x = g["days"].to_numpy(float)
            return float(np.polyfit(x, g[y].to_numpy(float), 1)[0])
        out = data.groupby("subject", sort=True)[["days", y]].apply(slope)
    elif design == "within":
        means = data.groupby(["participant", "condition"], sort=True)[y].mean().unstack()
        out = means["treatment"] - means["control"]
    else:
        out = data.groupby("item", sort=True)[y].mean()
    return out.astype(float).rename("own")


def study_numbers(study: Study) -> dict:
    """Everything scoring and the reveal need: estimate, SE, Wald and reference intervals,
    the spread of the units' own effects and the widths a misconception would give."""
    spec, fit = DESIGNS[study.design], study.fit
    term = spec["term"]
    row = fit.coef_table().loc[term]
    wald = fit.confint("Wald", parm=term).to_numpy()[0]
    reference = (wald if spec["reference"] == "Wald"
                 else fit.confint("profile", parm=term).to_numpy()[0])
    data = study.scenario.data
    own = own_effects(data, study.design)
    sd_people = float(own.std(ddof=1))
    n_people = int(data[spec["group"]].nunique())
    out = {
        "estimate": float(row["Estimate"]), "se": float(row["Std. Error"]),
        "wald_lower": float(wald[0]), "wald_upper": float(wald[1]),
        "profile_lower": float(reference[0]), "profile_upper": float(reference[1]),
        "truth": float(study.scenario.truth["fixef"][term]),
        "sd_people": sd_people, "n_people": n_people, "n_obs": int(fit.nobs),
        "mean_own": float(own.mean()),
        "pi_width": 2 * Z95 * sd_people,
        "rows_width": 2 * Z95 * sd_people / math.sqrt(int(fit.nobs)),
        "one_se_width": 2.0 * float(row["Std. Error"]),
        "own": {str(k): float(v) for k, v in own.items()},
        "coefficients": {"names": list(fit.fixef.index),
                         "table": fit.coef_table().to_numpy().tolist()},
        "formula": fit.formula,
        "n_days": int(data["days"].nunique()) if study.design == "slope" else 0,
        "n_trials": int(study.scenario.params.get("n_trials", 0)),
        "n_items": int(data["item"].nunique()) if study.design == "crossed" else 0,
        "rare": list(study.scenario.truth.get("rare_items", [])),
    }
    if study.design == "crossed":
        sds = _sds(fit)
        out |= {"sd_item": sds["item"], "sd_participant": sds["participant"],
                "sd_residual": float(fit.sigma)}
    return out
