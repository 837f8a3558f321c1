"""The bootstrap game's reveal: the model's intervals (pure, in the Round) and the
bootstraps (pure too, but heavy: computed on demand by :func:`reveal_numbers`).

``reveal_numbers(round, progress=...)`` refits the round's model (the same fit as make_round's:
lmer is deterministic) and runs the round's bootstraps (all three for an interval round, the
shown ones for a judge round) with generators fixed by the round's seed, so a round always
shows the same bootstraps. REPLICATES holds about a thousand refits for the three; resampling
refits cost two to three times a parametric one (they rebuild the design), so they get fewer,
and a crossed design's refits cost more again, so it gets fewer still.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

import lmm_core

from ..base import Reveal, sub_seed

__all__ = ["build_reveal", "reveal_numbers", "bootstrap_story", "bootstrap_table",
           "too_narrow", "replicates_for", "kinds_of", "REPLICATES", "KINDS", "TOO_NARROW"]

KINDS = ("parametric", "cluster", "case")
REPLICATES = {"parametric": 400, "cluster": 300, "case": 300}
CROSSED_REPLICATES = {"parametric": 300, "cluster": 200, "case": 200}
TOO_NARROW = 0.75  # a bootstrap interval under 75% of the profile interval's width
# the bootstraps as the interval table and chart name them (short enough for a phone)
SHORT_NAMES = {"parametric": "parametric bootstrap", "cluster": "resampling participants",
               "case": "resampling rows"}
KIND_NAMES = {"parametric": "Parametric", "cluster": "Resampling participants",
              "case": "Resampling rows"}
FLOAT_KEYS = ("estimate", "se", "wald_lower", "wald_upper", "profile_lower", "profile_upper",
              "truth", "sd_people", "n_people", "n_obs", "mean_own", "pi_width", "rows_width",
              "one_se_width")


def build_reveal(num: dict, context: dict) -> Reveal:
    """Explanation, numbers and tables that need no bootstrap (what scoring relies on)."""
    numbers = {k: float(num[k]) for k in FLOAT_KEYS}
    coefficients = pd.DataFrame(num["coefficients"]["table"],
                                index=pd.Index(num["coefficients"]["names"], name="term"),
                                columns=["Estimate", "Std. Error", "t value"])
    reference = ("Wald: estimate ± 1.96 SE (the reference here)"
                 if context["reference_kind"] == "Wald"
                 else "profile likelihood (lme4's default)")
    intervals = pd.DataFrame({
        "interval": ["Wald: estimate ± 1.96 SE", reference],
        "lower": [num["wald_lower"], num["profile_lower"]],
        "upper": [num["wald_upper"], num["profile_upper"]],
    })
    intervals["width"] = intervals["upper"] - intervals["lower"]
    return Reveal(_explanation(num, context), numbers,
                  {"coefficients": coefficients, "intervals": intervals},
                  {"own": num["own"]})


def _reference_words(context: dict) -> str:
    return ("the Wald interval" if context["reference_kind"] == "Wald"
            else "lme4's profile interval")


def _explanation(num: dict, context: dict) -> str:
    unit, effect = context["unit"], context["effect"]
    ref = _reference_words(context)
    lines = [
        f"**The model's answer.** {ref[0].upper() + ref[1:]} for the {effect} runs from "
        f"{num['profile_lower']:.1f} to {num['profile_upper']:.1f} {unit} (width "
        f"{num['profile_upper'] - num['profile_lower']:.1f})"
        + (", the estimate ± 1.96 standard errors (a profile interval would take seconds for "
           "this crossed model)." if context["reference_kind"] == "Wald" else
           f"; the Wald interval, estimate ± 1.96 standard errors, runs from "
           f"{num['wald_lower']:.1f} to {num['wald_upper']:.1f}."),
        _width_words(num, context),
    ]
    if context["design"] == "slope":
        lines.append(
            f"**Not the range of people.** 95% of the {context['people']}'s own slopes lie "
            f"within about ±{num['pi_width'] / 2:.1f} {unit} of the average: that range "
            "describes people, not how well we know their average.")
    covered = num["profile_lower"] <= num["truth"] <= num["profile_upper"]
    lines.append(
        f"**The truth.** The data were simulated with a true {effect} of {num['truth']:.1f} "
        f"{unit}. " + (f"{ref[0].upper() + ref[1:]} covers it, as 95% intervals do 19 times "
                       "out of 20." if covered else
                       f"This time {ref} misses it: 95% intervals miss the truth about 1 "
                       "time in 20, and this is one of those times."))
    return "\n\n".join(lines)


def _width_words(num: dict, context: dict) -> str:
    """Where the interval's width comes from, for the round's design, with its numbers."""
    unit, people = context["unit"], context["people"]
    n, n_obs = num["n_people"], num["n_obs"]
    if context["design"] == "slope":
        return (
            f"**Where the width comes from.** The {n} {people}'s own slopes spread with an SD "
            f"of {num['sd_people']:.1f} {unit}. The average of {n} such slopes is uncertain by "
            f"about SD / √{n} = {num['sd_people']:.1f} / {np.sqrt(n):.2f} = "
            f"{num['sd_people'] / np.sqrt(n):.2f} {unit}: the model's standard error is "
            f"{num['se']:.2f}. The interval is the estimate give or take about two of those. "
            f"The {n_obs} measurements do not count as {n_obs} independent pieces of "
            f"information: SD / √{n_obs} would give "
            f"{num['sd_people'] / np.sqrt(n_obs):.2f}, an interval far too narrow.")
    if context["design"] == "within":
        return (
            f"**Where the width comes from.** Every participant's treatment − control "
            f"difference is measured against their own baseline, and the {n} differences "
            f"spread with an SD of {num['sd_people']:.1f} {unit}, about what the trial-to-trial "
            "noise alone produces: people do not really differ in the effect. So the "
            "uncertainty comes from the noise of single trials, and every trial adds "
            "information.")
    k = num["n_items"]
    per_word = num["sd_item"] ** 2 + num["sd_residual"] ** 2 / n
    return (
        f"**Where the width comes from.** The effect is a difference between words: the "
        f"average of {k // 2} rare words minus the average of {k // 2} frequent ones. Words "
        f"differ (the model's SD of words is {num['sd_item']:.1f} ms), so other words would "
        f"give another difference: about √(2 × ({num['sd_item']:.1f}² + "
        f"{num['sd_residual']:.1f}² / {n}) / {k // 2}) = "
        f"{np.sqrt(2 * per_word / (k // 2)):.1f} ms, close to the model's standard error "
        f"{num['se']:.1f}. The {n} participants matter little: each read every word, so their "
        "own speed cancels out of the difference. More words, not more participants, would "
        "narrow this interval.")


# ----- the bootstraps ----------------------------------------------------------------------
def kinds_of(round_) -> list[str]:
    """The bootstraps a round shows: all three for an interval round, else the shown ones (in
    KINDS order)."""
    shown = round_.context.get("shown") or KINDS
    return [k for k in KINDS if k in shown]


def replicates_for(round_) -> dict:
    """Refits per bootstrap for the round (fewer for the slower crossed refits)."""
    table = CROSSED_REPLICATES if round_.context["design"] == "crossed" else REPLICATES
    return {k: table[k] for k in kinds_of(round_)}


def reveal_numbers(round_, progress: Callable[[int, int], None] | None = None,
                   replicates: dict | None = None) -> dict:
    """The round's bootstraps of its effect: replicates, percentile intervals, failures.

    progress(done, total) is called as refits finish (total over all the bootstraps).
    Resampling participants draws whole participants (the crossed design keeps its words).
    Deterministic: the same round gives the same numbers.
    """
    replicates = dict(replicates_for(round_) if replicates is None else replicates)
    term, group = round_.context["term"], round_.context["group"]
    fit = lmm_core.lmer(round_.context["formula"], round_.data)
    total, done = sum(replicates.values()), 0
    out = {}
    for kind in [k for k in KINDS if k in replicates]:
        def tick(k, _n, offset=done):
            if progress is not None:
                progress(offset + k, total)
        result = lmm_core.bootstrap(fit, replicates[kind], kind,
                                    rng=sub_seed(round_.seed, 20, KINDS.index(kind)),
                                    progress=tick, group=group if kind == "cluster" else None)
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
    for kind in out:
        out[kind]["ratio"] = out[kind]["width"] / width
    return out


def bootstrap_table(round_, boot: dict) -> pd.DataFrame:
    """Every interval of the round side by side, with its width relative to the reference's
    (the profile interval, or the Wald interval for a crossed design)."""
    num = round_.reveal.numbers
    wald_ref = round_.context["reference_kind"] == "Wald"
    rows = [("Wald (± 1.96 SE)", num["wald_lower"], num["wald_upper"])]
    if not wald_ref:
        rows.append(("profile likelihood", num["profile_lower"], num["profile_upper"]))
    rows += [(SHORT_NAMES[k], boot[k]["lower"], boot[k]["upper"]) for k in boot]
    table = pd.DataFrame(rows, columns=["interval", "lower", "upper"])
    table["width"] = table["upper"] - table["lower"]
    base = num["profile_upper"] - num["profile_lower"]
    table["width vs " + ("Wald" if wald_ref else "profile")] = [
        f"{100 * w / base:.0f}%" for w in table["width"]]
    return table


STORY = {
    "parametric": "It simulates new {people}{words} and new noise from the fitted model and "
                  "refits; it is right when the model is right.",
    "cluster": "Each bootstrap study draws {n} {people} with replacement, with all their "
               "measurements: other people, as in a real replication.",
    "case": "Each bootstrap study draws {n_obs} measurements with replacement from the same "
            "{n} {people}.",
}
VERDICT_WORDS = {
    ("slope", "cluster"): "It needs no model assumptions, but with few people it runs a "
                          "little narrow.",
    ("slope", "case"): "The people, and their slopes, stay the same; only which of their "
                       "measurements are used changes. The variation *between* people, the "
                       "main source of uncertainty about their average, never enters: the "
                       "interval is far too narrow.",
    ("within", "cluster"): "It needs no model assumptions, but with few people it runs a "
                           "little narrow.",
    ("within", "case"): "For this effect that is harmless: it is measured within each person "
                        "and people do not differ in it, so the trials really are independent "
                        "pieces of information about it. Row resampling fails for effects "
                        "that vary between people (an average slope, a group mean), not for "
                        "these.",
    ("crossed", "parametric"): "It is the only one of the three that samples new words.",
    ("crossed", "cluster"): "But every bootstrap study has the same words, and the effect is a "
                            "difference between words: the main source of uncertainty never "
                            "enters, and the interval is far too narrow.",
    ("crossed", "case"): "It keeps the same participants and the same words: far too narrow.",
}


def bootstrap_story(round_, boot: dict) -> str:
    """Plain words on the round's bootstraps, naming the numbers on screen."""
    ctx = round_.context
    reference = "Wald" if ctx["reference_kind"] == "Wald" else "profile"
    fill = {"people": ctx["people"], "n": ctx["n_people"], "n_obs": ctx["n_obs"],
            "words": " and new words" if ctx["design"] == "crossed" else ""}
    lines = []
    for kind in boot:
        b = boot[kind]
        head = (f"**{KIND_NAMES[kind]}:** {b['lower']:.1f} to {b['upper']:.1f} {ctx['unit']} "
                f"({100 * b['ratio']:.0f}% of the {reference} interval's width). ")
        lines.append(head + STORY[kind].format(**fill)
                     + (" " + VERDICT_WORDS[(ctx["design"], kind)]
                        if (ctx["design"], kind) in VERDICT_WORDS else ""))
    failed = sum(b["n_failed"] for b in boot.values())
    if failed:
        lines.append(f"{failed} refits failed and were left out of the intervals.")
    return "\n\n".join(lines)


def too_narrow(boot: dict) -> list[str]:
    """The bootstraps whose interval is under TOO_NARROW of the reference interval's width."""
    return [k for k in boot if boot[k]["ratio"] < TOO_NARROW]
