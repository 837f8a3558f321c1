"""Data on which the maximal model gets into trouble, each with one remedy that really works.

``problem`` names the cause; ``truth["symptom"]`` the message the maximal fit gives on most
seeds. Rates are over seeds 0-49 with lmm_core (lme4's checks: singular when a diagonal theta
is below 1e-4, the scaled-gradient check, the Hessian eigenvalue checks):

``scale``
    Family income (1000-2000 a month) used uncentered, with a real random slope. In raw
    units the intercept sits 1500 units away from the data, so the intercept and slope
    effects are correlated almost -1 and theta spans five orders of magnitude; the maximal
    fit fails the gradient check (or is singular) on every seed, as lme4 does. Centering and
    scaling income cures it on about 95% of seeds; dropping the correlation does not (on the
    raw scale the correlation is real); dropping the slope hides real slope variance.
``singular``
    A random slope for motivation whose true variance is zero, in 4 schools: the maximal fit
    is singular on about three seeds in four. Only simplifying to ``(1 | school)`` matches
    the truth; centering changes nothing and ``||`` leaves a zero variance in the model.
``overparameterized``
    Two real, independent random slopes in only 4 schools: six covariance parameters from
    four groups, and the maximal fit is singular on about two seeds in three. Dropping the
    three correlations (``||``, true here) leaves a regular fit on about 90%; simplifying
    would throw away real slope variance.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .base import Draft, Param, ScenarioSpec, labels, random_choice, rounded

__all__ = ["convergence_trouble", "SPECS", "PROBLEMS", "REMEDIES"]

PROBLEMS = ("scale", "singular", "overparameterized")
REMEDIES = ("center_scale", "drop_correlation", "simplify")
SIGMA = 8.0
INCOME_CENTER = 1500.0
INCOME_SLOPE, INCOME_SLOPE_SD, CENTER_SD = 0.02, 0.025, 4.0


def convergence_trouble(*, rng, problem) -> Draft:
    """Pupils' test scores in a few schools; ``formula`` is the maximal model that struggles.

    truth adds ``problem``, ``symptom`` ("gradient" or "singular"), ``remedies`` ({remedy:
    True when it removes the cause without discarding structure that is really there}),
    ``best_remedy``, ``remedy_formulas`` ({remedy: lme4 formula}), ``n_groups`` and, for
    "scale", ``varcomp_centered`` (the same truth with income centered at ``centered_at``).
    With a zero slope SD the correlation is undefined and reported as 0.
    """
    problem = random_choice(problem, PROBLEMS, rng=rng)
    make = {"scale": _scale, "singular": _singular, "overparameterized": _overparameterized}
    data, truth, formula, remedy_formulas, what = make[problem](rng)
    best = {"scale": "center_scale", "singular": "simplify",
            "overparameterized": "drop_correlation"}[problem]
    truth |= {
        "problem": problem,
        "symptom": "gradient" if problem == "scale" else "singular",
        "remedies": {r: r == best for r in REMEDIES},
        "best_remedy": best,
        "remedy_formulas": remedy_formulas,
        "n_groups": int(data["school"].nunique()),
    }
    description = (
        f"Test scores of pupils in {truth['n_groups']} schools, with {what}; the maximal "
        "model has trouble fitting them."
    )
    return Draft(data, truth, formula, description)


def _frame(n_groups: int, n_per_group: int) -> tuple[pd.DataFrame, np.ndarray]:
    school = np.repeat(np.arange(n_groups), n_per_group)
    names = np.asarray(labels("School ", n_groups, width=1), dtype=object)
    return pd.DataFrame({"school": names[school]}), school


def _scale(rng):
    data, school = _frame(6, 25)
    income = np.round(rng.uniform(1000, 2000, school.size))
    u = rng.standard_normal((6, 2)) * [CENTER_SD, INCOME_SLOPE_SD]
    dx = income - INCOME_CENTER
    score = 60 + INCOME_SLOPE * dx + u[school, 0] + u[school, 1] * dx
    data["income"] = income.astype(np.int64)
    data["score"] = rounded(score + SIGMA * rng.standard_normal(school.size))
    raw = _raw_varcomp()
    truth = {
        "fixef": {
            "(Intercept)": round(60 - INCOME_SLOPE * INCOME_CENTER, 9),
            "income": INCOME_SLOPE,
        },
        "varcomp": {"school": raw, "residual_sd": SIGMA},
        "varcomp_centered": {
            "school": {"sd_(Intercept)": CENTER_SD, "sd_income": INCOME_SLOPE_SD, "cor": 0.0},
            "residual_sd": SIGMA,
        },
        "centered_at": INCOME_CENTER,
    }
    remedies = {
        "center_scale": "score ~ 1 + scale(income) + (1 + scale(income) | school)",
        "drop_correlation": "score ~ 1 + income + (1 + income || school)",
        "simplify": "score ~ 1 + income + (1 | school)",
    }
    formula = "score ~ 1 + income + (1 + income | school)"
    return data, truth, formula, remedies, "family income per month (1000 to 2000)"


def _raw_varcomp() -> dict:
    """The centered truth seen from income = 0: var(b0 - c*b1), cov, and the correlation."""
    var0 = CENTER_SD**2 + (INCOME_CENTER * INCOME_SLOPE_SD) ** 2
    cov = -INCOME_CENTER * INCOME_SLOPE_SD**2
    sd0 = math.sqrt(var0)
    return {"sd_(Intercept)": sd0, "sd_income": INCOME_SLOPE_SD,
            "cor": cov / (sd0 * INCOME_SLOPE_SD)}


def _singular(rng):
    data, school = _frame(4, 30)
    motivation = rounded(rng.standard_normal(school.size))
    u = 4.0 * rng.standard_normal(4)
    score = 60 + 3.0 * motivation + u[school] + SIGMA * rng.standard_normal(school.size)
    data["motivation"] = motivation
    data["score"] = rounded(score)
    truth = {
        "fixef": {"(Intercept)": 60.0, "motivation": 3.0},
        "varcomp": {
            "school": {"sd_(Intercept)": 4.0, "sd_motivation": 0.0, "cor": 0.0},
            "residual_sd": SIGMA,
        },
    }
    remedies = {
        "center_scale": "score ~ 1 + scale(motivation) + (1 + scale(motivation) | school)",
        "drop_correlation": "score ~ 1 + motivation + (1 + motivation || school)",
        "simplify": "score ~ 1 + motivation + (1 | school)",
    }
    formula = "score ~ 1 + motivation + (1 + motivation | school)"
    return data, truth, formula, remedies, "a motivation score (standardized)"


def _overparameterized(rng):
    data, school = _frame(4, 30)
    motivation = rounded(rng.standard_normal(school.size))
    anxiety = rounded(rng.standard_normal(school.size))
    u = rng.standard_normal((4, 3)) * [6.0, 4.0, 4.0]
    score = (
        60 + u[school, 0] + (3.0 + u[school, 1]) * motivation + (-2.0 + u[school, 2]) * anxiety
    )
    data["motivation"] = motivation
    data["anxiety"] = anxiety
    data["score"] = rounded(score + SIGMA * rng.standard_normal(school.size))
    truth = {
        "fixef": {"(Intercept)": 60.0, "motivation": 3.0, "anxiety": -2.0},
        "varcomp": {
            "school": {
                "sd_(Intercept)": 6.0, "sd_motivation": 4.0, "sd_anxiety": 4.0,
                "cor_(Intercept),motivation": 0.0, "cor_(Intercept),anxiety": 0.0,
                "cor_motivation,anxiety": 0.0,
            },
            "residual_sd": SIGMA,
        },
    }
    remedies = {
        "center_scale": "score ~ 1 + scale(motivation) + scale(anxiety)"
        " + (1 + scale(motivation) + scale(anxiety) | school)",
        "drop_correlation": "score ~ 1 + motivation + anxiety"
        " + (1 + motivation + anxiety || school)",
        "simplify": "score ~ 1 + motivation + anxiety + (1 | school)",
    }
    formula = "score ~ 1 + motivation + anxiety + (1 + motivation + anxiety | school)"
    return data, truth, formula, remedies, "standardized motivation and anxiety scores"


SPECS = (
    ScenarioSpec(
        "convergence_trouble",
        "Data on which the maximal model is singular or nearly unidentifiable.",
        (
            Param("problem", "choice", "random", "what goes wrong with the maximal model",
                  choices=(*PROBLEMS, "random")),
        ),
        convergence_trouble,
    ),
)
