"""Random or fixed? A multi-site study (``simulators`` "multisite") and one factor to place.

The sites were drawn from many that could have taken part, so the design alone leaves two
answers open; the data and the question decide:

- "between" (many sites, question about the site-level ``setting``): site must be random.
  With site as a fixed effect the site dummies absorb the setting (lme4 drops a column), and
  leaving site out treats the participants of one site as independent evidence about it.
- "within_many" (many sites, question about the treatment): random, to generalise to sites
  in general; fixed estimates the treatment well, but only for these sites (half points).
- "within_few" (three sites): fixed. A variance estimated from three sites rests on three
  numbers (its 95% interval runs from about half to six times the estimate); random is not
  wrong in principle (half points).
- "condition" (the manipulated factor, two levels chosen on purpose): fixed. A random effect
  for two levels of interest makes no sense, and leaving it out drops the question.

Each option is fitted for the reveal (lmm_core.lmer), so the table shows what each choice does
to the answer: the estimate and standard error of the term asked about, and the SDs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

import lmm_core
import simulators

from ..base import Option, Question

__all__ = ["CASES", "VERDICTS", "make_study", "question", "fit_options", "numbers",
           "sd_interval_factor", "explanation", "OPTION_WORDS"]

CASES = ("between", "within_many", "within_few", "condition")
OPTION_WORDS = {"random": "As a random effect: (1 | {f})", "fixed": "As a fixed effect: + {f}",
                "omit": "Leave {f} out of the model"}
# case -> option -> (points, misconception)
VERDICTS = {
    "between": {"random": (100, None), "fixed": (0, "fixed_absorbs_site_predictor"),
                "omit": (0, "ignored_clustering")},
    "within_many": {"random": (100, None), "fixed": (50, "fixed_cannot_generalize"),
                    "omit": (0, "ignored_clustering")},
    "within_few": {"fixed": (100, None), "random": (50, "variance_from_too_few_levels"),
                   "omit": (0, "ignored_clustering")},
    "condition": {"fixed": (100, None), "random": (0, "random_effect_for_levels_of_interest"),
                  "omit": (0, "dropped_the_manipulation")},
}
TERM = {"between": "settinguniversity", "within_many": "conditiontreatment",
        "within_few": "conditiontreatment", "condition": "conditiontreatment"}
FORMULAS = {
    "site": {"random": "value ~ condition + setting + (1 | site) + (1 | participant)",
             "fixed": "value ~ condition + setting + site + (1 | participant)",
             "omit": "value ~ condition + setting + (1 | participant)"},
    "condition": {"fixed": "value ~ condition + setting + (1 | site) + (1 | participant)",
                  "random": "value ~ setting + (1 | condition) + (1 | site) + (1 | participant)",
                  "omit": "value ~ setting + (1 | site) + (1 | participant)"},
}


def factor_of(case: str) -> str:
    return "condition" if case == "condition" else "site"


def make_study(case: str, rng):
    """The round's multi-site data (a simulators.Scenario)."""
    n_sites = 3 if case == "within_few" else int(rng.integers(8, 15))
    return simulators.generate(
        "multisite", seed=int(rng.integers(2**31)), n_sites=n_sites,
        n_per_site=int(rng.integers(4, 8)) if n_sites > 3 else int(rng.integers(8, 12)),
        n_trials=2, effect=round(float(rng.uniform(2.0, 4.0)), 1),
        setting_effect=round(float(rng.choice([-1, 1]) * rng.uniform(3.0, 6.0)), 1),
        sd_site=round(float(rng.uniform(3.0, 5.0)), 1), sd_participant=4.0, sd_residual=3.0)


def question(case: str) -> Question:
    f = factor_of(case)
    return Question("factor", f"How should `{f}` enter the model?", options=tuple(
        Option(k, OPTION_WORDS[k].format(f=f)) for k in ("random", "fixed", "omit")))


def fit_options(case: str, data: pd.DataFrame) -> dict:
    """The three options, fitted (REML)."""
    return {k: lmm_core.lmer(v, data) for k, v in FORMULAS[factor_of(case)].items()}


def sd_interval_factor(k: int) -> tuple[float, float]:
    """How far the true SD may lie from one estimated from k group means (95%, by the
    chi-square distribution with k - 1 df): multiply the estimate by these."""
    return (math.sqrt((k - 1) / stats.chi2.ppf(0.975, k - 1)),
            math.sqrt((k - 1) / stats.chi2.ppf(0.025, k - 1)))


def _sd(fit, group: str) -> float:
    vc = fit.varcorr()
    row = vc[(vc["grp"] == group) & (vc["var2"] == "")]
    return float(row["sdcor"].iloc[0]) if len(row) else float("nan")


def numbers(case: str, fits: dict, data: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """The reveal's named numbers and its table (options as columns)."""
    term = TERM[case]
    columns, num = {}, {"n_sites": int(data["site"].nunique())}
    for key, fit in fits.items():
        table = fit.coef_table()
        dropped = any("rank deficient" in m for m in fit.messages)
        row = table.loc[term] if term in table.index and not (
            dropped and term == "settinguniversity") else None
        col = {"estimate": np.nan, "its SE": np.nan, "t value": np.nan}
        if row is not None:
            col = {"estimate": row["Estimate"], "its SE": row["Std. Error"],
                   "t value": row["t value"]}
            num |= {f"{key}_{k}": float(row[c]) for k, c in (
                ("est", "Estimate"), ("se", "Std. Error"), ("t", "t value"))}
        col |= {"SD site": _sd(fit, "site"), "SD participant": _sd(fit, "participant")}
        if case == "condition":
            col["SD condition"] = _sd(fit, "condition")
        col |= {"SD residual": float(fit.sigma), "fixed parameters": float(fit.mm.p)}
        num[f"{key}_dropped"] = float(dropped)
        num[f"{key}_sd_site"] = col["SD site"]
        columns[key] = col
    table = pd.DataFrame(columns)
    table.index.name = "quantity"
    lo, hi = sd_interval_factor(num["n_sites"])
    num |= {"sd_factor_low": lo, "sd_factor_high": hi,
            "n_participants": int(data["participant"].nunique())}
    if case == "condition":
        num["sd_condition"] = _sd(fits["random"], "condition")
    return num, table


def explanation(case: str, num: dict) -> str:
    """Plain words on what each option did here, naming the numbers on screen."""
    k = num["n_sites"]
    if case == "between":
        return "\n\n".join([
            f"**Site must be random here.** The question is about the setting, which is the "
            f"same for all participants of a site: the evidence about it comes from {k} "
            f"sites, not from {num['n_participants']} participants.",
            "**As a fixed effect, site swallows the setting.** One dummy per site already "
            "says everything about each site, setting included: the two cannot be told apart "
            "(lme4 says the fixed-effect model matrix is rank deficient and drops a column). "
            "The table has no estimate for the setting in that column.",
            f"**Left out, site is forgotten.** Without (1 | site) the model treats the "
            f"participants of one site as independent evidence: the setting's standard error "
            f"shrinks from {num['random_se']:.2f} to {num['omit_se']:.2f} (t from "
            f"{num['random_t']:.2f} to {num['omit_t']:.2f}). That is pseudo-replication: "
            f"{num['n_participants']} participants counted where {k} sites are the sample.",
            f"**As a random effect** the {k} sites are a sample of sites (SD "
            f"{num['random_sd_site']:.2f}), and the setting is tested against how much sites "
            f"differ anyway: estimate {num['random_est']:.2f}, SE {num['random_se']:.2f}.",
        ])
    if case == "within_many":
        return "\n\n".join([
            f"**Random, to speak about sites in general.** The {k} sites were drawn from "
            "many; the treatment is compared within each participant. As a random effect "
            f"the sites are a sample (SD {num['random_sd_site']:.2f}), and the conclusion is "
            "about sites like them.",
            f"**Fixed works for the treatment, for these sites.** With one dummy per site "
            f"the treatment estimate is {num['fixed_est']:.2f} (SE {num['fixed_se']:.2f}), "
            f"against {num['random_est']:.2f} (SE {num['random_se']:.2f}) with random sites: "
            f"a within-participant effect does not care. But {k - 1} site parameters describe "
            "only these sites, and say nothing about the next one.",
            "**Left out**, site's differences land in the participants' SD: fine for this "
            "within-participant effect, but the model then claims participants from the same "
            "site are no more alike than strangers.",
        ])
    if case == "within_few":
        return "\n\n".join([
            f"**Only {k} sites: fixed.** A random effect estimates the SD of sites from {k} "
            f"site averages. Here it is {num['random_sd_site']:.2f}, but an SD from {k} "
            f"values is known only to within a factor: its 95% interval runs from about "
            f"{num['sd_factor_low']:.2f} to {num['sd_factor_high']:.1f} times the estimate. "
            "lme4's FAQ suggests at least five or six levels for a random effect.",
            f"**The treatment does not care.** Fixed sites: {num['fixed_est']:.2f} (SE "
            f"{num['fixed_se']:.2f}); random sites: {num['random_est']:.2f} (SE "
            f"{num['random_se']:.2f}). With {k} sites, the honest summary is about these "
            "sites; to speak about sites in general, a study needs more of them.",
        ])
    return "\n\n".join([
        "**Condition is fixed.** Its two levels were chosen on purpose and are the question "
        "itself: you want *their* difference, not the spread of a population of conditions.",
        f"**As a random effect** the model would estimate an SD of conditions from two "
        f"levels (here {num['sd_condition']:.2f}) and report no treatment effect at all.",
        f"**Left out**, the model cannot answer the question. The fixed model's treatment "
        f"effect is {num['fixed_est']:.2f} (SE {num['fixed_se']:.2f}, t = "
        f"{num['fixed_t']:.2f}).",
    ])
