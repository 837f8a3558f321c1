"""Reviewer #2 wants p-values: judge significance, and estimate the degrees of freedom, from an
lme4 summary that has none.

lme4's ``summary()`` prints Estimate, Std. Error and t value, but no p-value: how many degrees
of freedom a t value in a mixed model has is not obvious. lmerTest answers with Satterthwaite's
approximation, and the answer depends on the level at which the tested effect varies:

- "between": a group of participants compared with another (each participant in one group,
  measured several times; ``simulators`` "mixture" with its groups named control and
  training): df is about the number of participants minus two;
- "slope": a slope that differs between people (``simulators`` "sleep" with random slopes):
  about the number of people minus one;
- "within": a condition compared within each person, the same for everybody (``simulators``
  "two_condition" with several trials): about the number of measurements minus the number of
  people.

The learner sees the summary as R prints it and says whether lmerTest's p-value is below
0.05 (and, above gentle, how many df it uses). Scored: the significance verdict right or
wrong, the df in bands. Everything scoring needs (Satterthwaite df and p) is computed here;
the reveal adds the z test, the residual-df t test and the likelihood-ratio test (also here)
and a parametric bootstrap of the likelihood ratio (``reveal.reveal_numbers``, on demand).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

import lmm_core
import simulators

from ..answers import finite_number
from ..base import (
    Option,
    Question,
    Round,
    Score,
    band_points,
    check_difficulty,
    check_seed,
    sub_seed,
)
from .reveal import build_reveal, test_numbers

__all__ = ["make_round", "score", "LEVELS", "DESIGNS", "ALPHA", "df_bands"]

ALPHA = 0.05

DESIGNS = {
    "between": {"term": "grouptraining", "group": "participant", "people": "participants",
                "formula": "value ~ 1 + condition + group + (1 | participant)",
                "small": "value ~ 1 + condition + (1 | participant)", "unit": "points",
                "effect": "the training group's difference from the control group"},
    "slope": {"term": "days", "group": "subject", "people": "people",
              "formula": "reaction ~ 1 + days + (1 + days | subject)",
              "small": "reaction ~ 1 + (1 + days | subject)", "unit": "ms/day",
              "effect": "the average change in reaction time per day"},
    "within": {"term": "conditiontreatment", "group": "participant", "people": "participants",
               "formula": "value ~ 1 + condition + (1 | participant)",
               "small": "value ~ 1 + (1 | participant)", "unit": "points",
               "effect": "the treatment − control difference"},
}

# Per difficulty: design shares, study sizes, the |t| the effect is aimed at (the data then
# scatter around it), p-values to avoid (too close to call for this level), the share of
# "trap" rounds (|t| > 1.96 but lmerTest's p > 0.05, drawn from TRAP_P; not possible for
# "within", whose df are large) and whether the df are asked.
TRAP_P = (0.07, 0.12)
LEVELS = {
    "gentle": {"designs": {"within": 0.4, "between": 0.3, "slope": 0.3},
               "between": {"n": (24, 32), "k": (2, 2)}, "slope": {"n": (16, 22), "k": (10, 10)},
               "within": {"n": (16, 24), "k": (2, 4)},
               "t": ((0.2, 1.2), (3.5, 6.0)), "avoid_p": (0.01, 0.2), "trap": 0.0,
               "ask_df": False},
    "normal": {"designs": {"within": 0.34, "between": 0.33, "slope": 0.33},
               "between": {"n": (12, 20), "k": (2, 3)}, "slope": {"n": (10, 16), "k": (8, 10)},
               "within": {"n": (12, 20), "k": (2, 4)},
               "t": ((1.1, 3.3),), "avoid_p": (0.04, 0.06), "trap": 0.15, "ask_df": True},
    "tricky": {"designs": {"within": 0.2, "between": 0.45, "slope": 0.35},
               "between": {"n": (6, 10), "k": (2, 3)}, "slope": {"n": (6, 9), "k": (8, 10)},
               "within": {"n": (8, 12), "k": (2, 3)},
               "t": ((1.9, 3.2),), "avoid_p": (0.045, 0.055), "trap": 0.5,
               "ask_df": True},
}


@dataclass(frozen=True)
class _Study:
    design: str
    data: object
    truth: float
    fit: object
    small: object


def make_round(seed: int, difficulty: str = "normal") -> Round:
    """A p-values round, fixed by (seed, difficulty)."""
    seed, level = check_seed(seed), LEVELS[check_difficulty(difficulty)]
    rng = sub_seed(seed, 0)
    names = list(level["designs"])
    design = str(rng.choice(names, p=[level["designs"][d] for d in names]))
    trap = design != "within" and rng.random() < level["trap"]
    study, num = _study(seed, design, level, trap)
    context = _context(study, num, level)
    questions = _questions(context, level["ask_df"])
    solution = {"sig": "yes" if num["p_satt"] < ALPHA else "no"}
    if level["ask_df"]:
        solution["df"] = num["df_satt"]
    return Round(
        game="pvalues",
        seed=seed,
        difficulty=difficulty,
        prompt=_prompt(context, level["ask_df"]),
        questions=questions,
        solution=solution,
        reveal=build_reveal(num, context),
        data=study.data,
        context=context,
    )


# ----- the study ---------------------------------------------------------------------------
def _study(seed: int, design: str, level: dict, trap: bool):
    """Simulate the study without the effect, then add an effect of the size that gives the
    t value this round is aimed at.

    Adding delta * x to the response (x the tested column of X) moves that estimate by exactly
    delta and changes nothing else: the residuals, the REML variance estimates, the standard
    error and Satterthwaite's df all stay the same. So the data are a draw from the model with
    true effect delta, and t is what the level asks for: below or beyond the cut-off by a
    margin that suits the level, or (a "trap") beyond 1.96 but short of the t cut-off for the
    df. A fit on or near the boundary (see _regular) is redrawn with the seed's next
    generator.
    """
    spec = DESIGNS[design]
    for attempt in range(8):
        rng = sub_seed(seed, 1, attempt)
        data, x, response = _simulate(design, level, rng)
        null_fit = lmm_core.lmer(spec["formula"], data)
        if _regular(null_fit):
            break
    row = null_fit.coef_table(ddf="Satterthwaite").loc[spec["term"]]
    t = _aim_t(rng, level, float(row["df"]), trap)
    sign = float(rng.choice([-1.0, 1.0])) if design != "slope" else 1.0
    delta = round(sign * t * float(row["Std. Error"]) - float(row["Estimate"]), 2)
    data = data.assign(**{response: np.round(data[response].to_numpy() + delta * x, 2) + 0.0})
    fit = lmm_core.lmer(spec["formula"], data)
    small = lmm_core.lmer(spec["small"], data)
    return _Study(design, data, delta, fit, small), test_numbers(fit, small, spec["term"])


def _regular(fit) -> bool:
    """Converged, no SD of zero and no correlation within 0.05 of ±1 (near the boundary the
    df no longer follow the rules the reveal teaches)."""
    vc = fit.varcorr()
    correlations = vc.loc[vc["var2"] != "", "sdcor"].abs()
    return fit.converged and not fit.is_singular and not bool((correlations > 0.95).any())


def _p_of(t: float, df: float) -> float:
    return float(2 * stats.t.sf(abs(t), df))


def _t_of(p: float, df: float) -> float:
    return float(stats.t.isf(p / 2, df))


def _aim_t(rng, level: dict, df: float, trap: bool) -> float:
    """|t| for the round: a trap if asked and the df leave room for one, else drawn from the
    level's ranges and moved out of the p-values it avoids."""
    top = _p_of(1.96 + 0.08, df)  # p of the smallest t that a z test calls significant
    if trap and top > TRAP_P[0] + 0.01:
        return _t_of(float(rng.uniform(TRAP_P[0], min(top, TRAP_P[1]))), df)
    ranges = level["t"]
    lo, hi = ranges[int(rng.integers(len(ranges)))]
    t = float(rng.uniform(lo, hi))
    p_low, p_high = level["avoid_p"]
    t_small, t_big = _t_of(p_high, df), _t_of(p_low, df)  # |t| range to avoid
    if t_small <= t <= t_big:
        t = t_small - 0.05 if t - t_small < t_big - t else t_big + 0.05
    return max(t, 0.05)


def _simulate(design: str, level: dict, rng):
    """Data without the tested effect, the tested column of X, and the response's name."""
    size = level[design]
    n, k = int(rng.integers(size["n"][0], size["n"][1] + 1)), \
        int(rng.integers(size["k"][0], size["k"][1] + 1))
    seed = int(rng.integers(2**31))
    if design == "slope":
        sc = simulators.generate("sleep", seed=seed, n_subjects=n, n_days=k, n_incomplete=0,
                                 slope=0.0, sd_slope=round(float(rng.uniform(7.0, 10.0)), 1),
                                 sd_residual=round(float(rng.uniform(18.0, 30.0)), 1))
        return sc.data, sc.data["days"].to_numpy(float), "reaction"
    sd_p, sigma = round(float(rng.uniform(4.0, 8.0)), 1), round(float(rng.uniform(3.0, 6.0)), 1)
    if design == "within":
        sc = simulators.generate("two_condition", seed=seed, n_participants=n, n_trials=k,
                                 intercept=50.0, effect=0.0, sd_participant=sd_p,
                                 sd_residual=sigma)
        return sc.data, (sc.data["condition"] == "treatment").to_numpy(float), "value"
    sc = simulators.generate("mixture", seed=seed, n_participants=n + n % 2, n_trials=k,
                             share_high=0.5, group_difference=0.0, intercept=50.0,
                             effect=round(float(rng.uniform(3.0, 6.0)), 1), sd_participant=sd_p,
                             sd_residual=sigma)
    data = sc.data.assign(group=sc.data["group"].map({"average": "control",
                                                     "high": "training"}))
    return data, (data["group"] == "training").to_numpy(float), "value"


def _context(study: _Study, num: dict, level: dict) -> dict:
    spec = DESIGNS[study.design]
    fit = study.fit
    return {
        "design": study.design, "term": spec["term"], "formula": spec["formula"],
        "small": spec["small"], "group": spec["group"], "people": spec["people"],
        "unit": spec["unit"], "effect": spec["effect"], "truth": study.truth,
        "n_obs": int(fit.nobs), "n_groups": int(fit.ngroups[spec["group"]]),
        "n_fixed": int(fit.mm.p), "per_person": int(fit.nobs // fit.ngroups[spec["group"]]),
        "summary": str(fit.summary()), "summary_lmertest": str(fit.summary(ddf="Satterthwaite")),
        "anova": str(lmm_core.anova(study.small, fit, names=["without", "with"])),
        "t": num["t"], "df_satt": num["df_satt"], "p_satt": num["p_satt"],
        "p_z": num["p_z"], "df_resid": num["df_resid"], "ask_df": bool(level["ask_df"]),
    }


# ----- questions and prompt ----------------------------------------------------------------
def _questions(context: dict, ask_df: bool) -> tuple[Question, ...]:
    term = context["term"]
    sig = Question("sig", f"Will lmerTest's p-value for {term} be below 0.05?", options=(
        Option("yes", "Yes: p < 0.05, significant"),
        Option("no", "No: p ≥ 0.05, not significant")))
    if not ask_df:
        return (sig,)
    df = Question("df", f"Degrees of freedom lmerTest will use for {term}", kind="number",
                  low=1.0, high=float(context["n_obs"]), step=1.0, unit="df",
                  help="Satterthwaite's approximation: count the units at the level where "
                       "the effect varies, minus the fixed effects estimated at that level.")
    return (df, sig)


def _design_words(context: dict) -> str:
    n, per = context["n_groups"], context["per_person"]
    if context["design"] == "between":
        return (f"{n} participants were randomly assigned, half to a **training** group and "
                f"half to a **control** group; each was measured {per} times, half of them "
                "in a control and half in a treatment condition.")
    if context["design"] == "slope":
        return (f"{n} people had their reaction time measured on each of {per} days of "
                "sleep deprivation; people differ in how fast they slow down.")
    return (f"{n} participants were each measured {per // 2} times in a control and "
            f"{per // 2} times in a treatment condition.")


def _prompt(context: dict, ask_df: bool) -> str:
    lines = [
        f"**The study.** {_design_words(context)} The model is `{context['formula']}`; the "
        f"question is about `{context['term']}`: {context['effect']}.",
        "**Reviewer #2.** \"Where are the p-values?\" lme4 prints a t value but no p-value "
        "(below). lmerTest would add one, from a t distribution with *Satterthwaite's* "
        "degrees of freedom.",
    ]
    if ask_df:
        lines.append("**Your job.** How many degrees of freedom will lmerTest use for "
                     f"`{context['term']}`, and will its p-value be below 0.05?")
    else:
        lines.append(f"**Your job.** Will lmerTest's p-value for `{context['term']}` be below "
                     "0.05? (With many degrees of freedom, a t beyond about ±2 is.)")
    return "\n\n".join(lines)


# ----- scoring -----------------------------------------------------------------------------
def df_bands(df: float) -> tuple[float, float]:
    """The df errors for full and half points: a quarter (at least 2) and 60% (at least 5)."""
    return max(0.25 * df, 2.0), max(0.6 * df, 5.0)




def score(round: Round, answer: Mapping) -> Score:  # noqa: A002
    ctx = round.context
    sig = answer.get("sig")
    guess_df = finite_number(answer.get("df")) if ctx["ask_df"] else None
    if sig not in ("yes", "no") or (ctx["ask_df"] and guess_df is None):
        what = "say whether p is below 0.05" + (" and type the degrees of freedom"
                                                 if ctx["ask_df"] else "")
        return Score(0, False, f"Answer every question: {what}.", "no_answer")
    sig_points = 100 if sig == round.solution["sig"] else 0
    if ctx["ask_df"]:
        df_points = band_points(abs(guess_df - ctx["df_satt"]), *df_bands(ctx["df_satt"]))
        points = int(round_half_up((sig_points + df_points) / 2))
    else:
        df_points, points = None, sig_points
    code = None if points == 100 else _misconception(ctx, sig, sig_points, guess_df, df_points)
    return Score(points, points >= 75, _feedback(ctx, sig_points, guess_df, df_points, code),
                 code)


def round_half_up(x: float) -> float:
    return math.floor(x + 0.5)


def _df_code(ctx: dict, guess: float) -> str:
    """What a wrong df guess was most likely based on."""
    df, resid, groups = ctx["df_satt"], ctx["df_resid"], ctx["n_groups"] - 1
    dist = {k: abs(math.log(max(guess, 0.5) / v)) for k, v in
            (("satt", df), ("resid", resid), ("groups", max(groups, 1)))}
    if dist["resid"] < dist["satt"] and df < 0.5 * resid:
        return "ignored_small_df"
    if dist["groups"] < dist["satt"] and df > 2.0 * groups:
        return "used_number_of_groups"
    return "misjudged_df"


def _misconception(ctx, sig, sig_points, guess_df, df_points) -> str:
    df_code = _df_code(ctx, guess_df) if df_points is not None and df_points < 100 else None
    if sig_points == 0:
        if sig == "yes":
            if ctx["p_z"] < ALPHA:
                return "ignored_small_df" if df_code == "ignored_small_df" \
                    else "z_test_overconfident"
            return "t_below_cutoff"
        if df_code == "used_number_of_groups":
            return df_code
        return "missed_significant_effect"
    return df_code or "misjudged_df"


FEEDBACK = {
    "z_test_overconfident": "|t| is beyond 1.96, so a z test would call it significant, but "
                            "with only {df:.1f} degrees of freedom the cut-off is t = {crit:.2f}"
                            ": treating t as z is overconfident when the df are small.",
    "ignored_small_df": "You counted measurements, not the units the effect varies over: the "
                        "residual df ({resid}) would make t almost a z. The information about "
                        "{term} comes from {groups} {people}, so lmerTest uses {df:.1f} df.",
    "t_below_cutoff": "|t| = {abs_t:.2f} is below 1.96: not significant by any of the tests, "
                      "whatever the df.",
    "missed_significant_effect": "|t| = {abs_t:.2f} is beyond the cut-off t = {crit:.2f} for "
                                 "{df:.1f} df: lmerTest's p = {p:.3f} is below 0.05.",
    "used_number_of_groups": "This effect varies within each of the {groups} {people} and "
                             "everyone has it alike, so every measurement informs it: lmerTest "
                             "uses {df:.1f} df, not the number of {people}.",
    "misjudged_df": "lmerTest uses {df:.1f} df here: count the units at the level where "
                    "{term} varies, minus the fixed effects estimated at that level.",
}


def _feedback(ctx, sig_points, guess_df, df_points, code) -> str:
    fill = {"df": ctx["df_satt"], "crit": _crit(ctx["df_satt"]), "resid": ctx["df_resid"],
            "term": ctx["term"], "groups": ctx["n_groups"], "people": ctx["people"],
            "abs_t": abs(ctx["t"]), "p": ctx["p_satt"]}
    verdict = "below" if ctx["p_satt"] < ALPHA else "not below"
    parts = [f"lmerTest: t = {ctx['t']:.2f} on {ctx['df_satt']:.1f} df, p = "
             f"{ctx['p_satt']:.3g}, {verdict} 0.05."]
    if df_points is not None:
        parts.append(f"Your df guess {guess_df:g} earns {df_points} of 100 for that part.")
    if code is None:
        parts.append("Right on both counts." if df_points is not None else "Right.")
    else:
        parts.append(FEEDBACK[code].format(**fill))
    return " ".join(parts)


def _crit(df: float) -> float:
    return float(stats.t.ppf(1 - ALPHA / 2, df))

