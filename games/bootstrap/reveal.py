"""The bootstrap game's reveal: the model's intervals (pure, in the Round) and the three
bootstraps (pure too, but heavy: computed on demand by :func:`reveal_numbers`).

``reveal_numbers(round, progress=...)`` refits the round's model (the same fit as make_round's:
lmer is deterministic) and runs the parametric, participant (cluster) and row (case)
bootstraps with generators fixed by the round's seed, so a round always shows the same
bootstrap. REPLICATES holds a thousand refits in all; resampling refits cost two to three
times a parametric one (they rebuild the design), so they get fewer.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

import lmm_core

from ..base import Reveal, sub_seed

__all__ = ["build_reveal", "reveal_numbers", "bootstrap_story", "bootstrap_table",
           "too_narrow", "REPLICATES", "KINDS", "TOO_NARROW"]

KINDS = ("parametric", "cluster", "case")
REPLICATES = {"parametric": 400, "cluster": 300, "case": 300}
TOO_NARROW = 0.75  # a bootstrap interval under 75% of the profile interval's width
# the bootstraps as the interval table and chart name them (short enough for a phone)
SHORT_NAMES = {"parametric": "parametric bootstrap", "cluster": "resampling participants",
               "case": "resampling rows"}
FLOAT_KEYS = ("estimate", "se", "wald_lower", "wald_upper", "profile_lower", "profile_upper",
              "truth", "sd_people", "n_people", "n_obs", "mean_own", "pi_width", "rows_width",
              "one_se_width")


def build_reveal(num: dict, context: dict) -> Reveal:
    """Explanation, numbers and tables that need no bootstrap (what scoring relies on)."""
    numbers = {k: float(num[k]) for k in FLOAT_KEYS}
    coefficients = pd.DataFrame(num["coefficients"]["table"],
                                index=pd.Index(num["coefficients"]["names"], name="term"),
                                columns=["Estimate", "Std. Error", "t value"])
    intervals = pd.DataFrame({
        "interval": ["Wald: estimate ± 1.96 SE", "profile likelihood (lme4's default)"],
        "lower": [num["wald_lower"], num["profile_lower"]],
        "upper": [num["wald_upper"], num["profile_upper"]],
    })
    intervals["width"] = intervals["upper"] - intervals["lower"]
    return Reveal(_explanation(num, context), numbers,
                  {"coefficients": coefficients, "intervals": intervals},
                  {"own": num["own"]})


def _explanation(num: dict, context: dict) -> str:
    unit, effect, people = context["unit"], context["effect"], context["people"]
    n, n_obs = num["n_people"], num["n_obs"]
    lines = [
        f"**The model's answer.** lme4's profile interval for the {effect} runs from "
        f"{num['profile_lower']:.1f} to {num['profile_upper']:.1f} {unit} (width "
        f"{num['profile_upper'] - num['profile_lower']:.1f}); the Wald interval, estimate ± "
        f"1.96 standard errors, runs from {num['wald_lower']:.1f} to {num['wald_upper']:.1f}.",
    ]
    if context["design"] == "slope":
        lines.append(
            f"**Where the width comes from.** The {n} {people}'s own slopes spread with an SD "
            f"of {num['sd_people']:.1f} {unit}. The average of {n} such slopes is uncertain by "
            f"about SD / √{n} = {num['sd_people']:.1f} / {np.sqrt(n):.2f} = "
            f"{num['sd_people'] / np.sqrt(n):.2f} {unit}: the model's standard error is "
            f"{num['se']:.2f}. The interval is the estimate give or take about two of those. "
            f"The {n_obs} measurements do not count as {n_obs} independent pieces of "
            f"information: SD / √{n_obs} would give "
            f"{num['sd_people'] / np.sqrt(n_obs):.2f}, an interval far too narrow.")
        lines.append(
            f"**Not the range of people.** 95% of the {people}'s own slopes lie within about "
            f"±{num['pi_width'] / 2:.1f} {unit} of the average: that range describes people, "
            "not how well we know their average.")
    else:
        lines.append(
            f"**Where the width comes from.** Every participant's treatment − control "
            f"difference is measured against their own baseline, and the {n} differences "
            f"spread with an SD of {num['sd_people']:.1f} {unit}, about what the trial-to-trial "
            "noise alone produces: people do not really differ in the effect. So the "
            "uncertainty comes from the noise of single trials, and every trial adds "
            "information.")
    covered = num["profile_lower"] <= num["truth"] <= num["profile_upper"]
    lines.append(
        f"**The truth.** The data were simulated with a true {effect} of {num['truth']:.1f} "
        f"{unit}. " + ("The profile interval covers it, as 95% intervals do 19 times out of 20."
                       if covered else
                       "This time the profile interval misses it: 95% intervals miss the "
                       "truth about 1 time in 20, and this is one of those times."))
    return "\n\n".join(lines)


# ----- the bootstraps ----------------------------------------------------------------------
def reveal_numbers(round_, progress: Callable[[int, int], None] | None = None,
                   replicates: dict | None = None) -> dict:
    """The three bootstraps of the round's effect: replicates, percentile intervals, failures.

    progress(done, total) is called as refits finish (total over all three bootstraps).
    Deterministic: the same round gives the same numbers.
    """
    replicates = dict(REPLICATES if replicates is None else replicates)
    term = round_.context["term"]
    fit = lmm_core.lmer(round_.context["formula"], round_.data)
    total, done = sum(replicates.values()), 0
    out = {}
    for i, kind in enumerate(KINDS):
        def tick(k, _n, offset=done):
            if progress is not None:
                progress(offset + k, total)
        result = lmm_core.bootstrap(fit, replicates[kind], kind,
                                    rng=sub_seed(round_.seed, 20, i), progress=tick)
        values = result.replicates[term].to_numpy(dtype=float)
        ci = result.ci(0.95).loc[term]
        out[kind] = {"n": int(replicates[kind]), "values": values[np.isfinite(values)].tolist(),
                     "lower": float(ci["lower"]), "upper": float(ci["upper"]),
                     "width": float(ci["upper"] - ci["lower"]),
                     "sd": float(np.nanstd(values, ddof=1)),
                     "n_failed": int(result.n_failed),
                     "n_not_converged": int(result.n_not_converged)}
        done += replicates[kind]
    ref = round_.reveal.numbers
    width = ref["profile_upper"] - ref["profile_lower"]
    for kind in KINDS:
        out[kind]["ratio"] = out[kind]["width"] / width
    return out


def bootstrap_table(round_, boot: dict) -> pd.DataFrame:
    """Every interval of the round side by side, with its width relative to the profile's."""
    num = round_.reveal.numbers
    rows = [("Wald (± 1.96 SE)", num["wald_lower"], num["wald_upper"]),
            ("profile likelihood", num["profile_lower"], num["profile_upper"])]
    rows += [(SHORT_NAMES[k], boot[k]["lower"], boot[k]["upper"]) for k in KINDS]
    table = pd.DataFrame(rows, columns=["interval", "lower", "upper"])
    table["width"] = table["upper"] - table["lower"]
    table["width vs profile"] = [f"{100 * w / table['width'].iloc[1]:.0f}%"
                                 for w in table["width"]]
    return table


def bootstrap_story(round_, boot: dict) -> str:
    """Plain words on the three bootstraps, naming the numbers on screen."""
    ctx = round_.context
    unit, n, n_obs = ctx["unit"], ctx["n_people"], ctx["n_obs"]
    words = {k: f"{boot[k]['lower']:.1f} to {boot[k]['upper']:.1f} {unit} "
                f"({100 * boot[k]['ratio']:.0f}% of the profile interval's width)"
             for k in KINDS}
    lines = [
        f"**Parametric:** {words['parametric']}. It simulates new {ctx['people']} and new "
        "noise from the fitted model and refits; it is right when the model is right.",
        f"**Resampling participants:** {words['cluster']}. Each bootstrap study draws {n} "
        f"{ctx['people']} with replacement, with all their measurements: other people, as in "
        "a real replication. It needs no model assumptions, but with few people it runs a "
        "little narrow.",
    ]
    if ctx["design"] == "slope":
        lines.append(
            f"**Resampling rows:** {words['case']}. Each bootstrap study draws {n_obs} "
            f"measurements from the same {n} people, so the people — and their slopes — stay "
            "the same; only which of their measurements are used changes. The variation "
            "*between* people, the main source of uncertainty about their average, never "
            "enters: the interval is far too narrow.")
    else:
        lines.append(
            f"**Resampling rows:** {words['case']}. It keeps the same {n} participants and "
            "reshuffles their trials. For this effect that is harmless: it is measured within "
            "each person and people do not differ in it, so the trials really are independent "
            "pieces of information about it. Row resampling fails for effects that vary "
            "between people (an average slope, a group mean), not for these.")
    failed = sum(boot[k]["n_failed"] for k in KINDS)
    if failed:
        lines.append(f"{failed} refits failed and were left out of the intervals.")
    return "\n\n".join(lines)


def too_narrow(boot: dict) -> list[str]:
    """The bootstraps whose interval is under TOO_NARROW of the profile interval's width."""
    return [k for k in KINDS if boot[k]["ratio"] < TOO_NARROW]
