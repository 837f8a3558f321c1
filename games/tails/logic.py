"""One tail or two: match the test to the research hypothesis, before seeing the data.

A round is a simulated within-participant experiment (``simulators`` "tails": treatment versus
control, one measurement each) and a hypothesis that says "better", "worse" or "different".
The learner picks a two-tailed test or a one-tailed test and its direction. The fit is lme4's
``value ~ 1 + condition + (1 | participant)`` with Satterthwaite degrees of freedom (lmerTest);
its t value gives the p-value of each possible test.

The "anova" variant asks, for a hypothesis without a direction, where the rejection region is:
of the F test for the comparison (F = t² here, so a difference in either direction makes F
large: the upper tail only) or, in half of these rounds, of the t test for the same comparison
(both tails). Side by side in the reveal, one tail of F is both tails of t.
"""

from __future__ import annotations

from collections.abc import Mapping

from scipy import stats

import lmm_core
import simulators

from ..base import (
    Option,
    Question,
    Round,
    Score,
    check_difficulty,
    check_seed,
    sub_seed,
)
from .reveal import ALPHA, TEST_WORDS, build_reveal

__all__ = ["make_round", "score", "ALPHA", "TEST_WORDS"]

TERM = "conditiontreatment"

# Per difficulty: participants, effect size (residual SDs), measure, share of F-test rounds.
LEVELS = {
    "gentle": {"n_participants": 30, "effect_size": 1.0, "measure": "score", "anova": 0.15},
    "normal": {"n_participants": 20, "effect_size": 0.8, "measure": "random", "anova": 0.25},
    "tricky": {"n_participants": 12, "effect_size": 0.5, "measure": "random", "anova": 0.25},
}

T_OPTIONS = (
    Option("two-sided", "Two-tailed: treatment differs from control, in either direction"),
    Option("greater", "One-tailed: treatment is HIGHER than control"),
    Option("less", "One-tailed: treatment is LOWER than control"),
)
F_OPTIONS = (
    Option("upper", "Only the upper tail: large F values"),
    Option("both", "Both tails: very small and very large F values"),
    Option("lower", "Only the lower tail: small F values"),
)
T_REGION_OPTIONS = (
    Option("upper", "Only the upper tail: large positive t values"),
    Option("both", "Both tails: large negative and large positive t values"),
    Option("lower", "Only the lower tail: large negative t values"),
)
MEASURE_WORDS = {
    "score": ("test score", "points", "higher scores are better"),
    "reaction_time": ("reaction time", "ms", "lower (faster) reaction times are better"),
}
HYPOTHESIS_WORDS = {
    "better": "do **better** with the treatment than in the control condition",
    "worse": "do **worse** with the treatment than in the control condition",
    "different": "do **differently** with the treatment than in the control condition "
                 "(better or worse: the researchers do not say which)",
}


def make_round(seed: int, difficulty: str = "normal") -> Round:
    """A tails round, fixed by (seed, difficulty)."""
    seed, level = check_seed(seed), LEVELS[check_difficulty(difficulty)]
    rng = sub_seed(seed, 0)
    variant = "anova" if rng.random() < level["anova"] else "t"
    scenario = simulators.generate(
        "tails",
        seed=int(rng.integers(2**31)),
        n_participants=level["n_participants"],
        effect_size=level["effect_size"],
        measure=level["measure"],
        hypothesis="different" if variant == "anova" else "random",
    )
    numbers = _test_numbers(scenario)
    truth = scenario.truth
    context = {
        "variant": variant,
        "measure": truth["measure"],
        "response": truth["measure"],
        "hypothesis": truth["hypothesis"],
        "higher_is_better": truth["higher_is_better"],
        "unit": MEASURE_WORDS[truth["measure"]][1],
        "n_participants": int(scenario.data["participant"].nunique()),
    }
    if variant == "anova":
        statistic = "F" if sub_seed(seed, 3).random() < 0.5 else "t"
        context["statistic"] = statistic
        question = Question("region", f"Where is the {statistic} test's rejection region "
                                      "(α = 0.05)?",
                            options=F_OPTIONS if statistic == "F" else T_REGION_OPTIONS)
        solution = {"region": "upper" if statistic == "F" else "both"}
    else:
        question = Question("test", "Which test matches the hypothesis?", options=T_OPTIONS)
        solution = {"test": truth["alternative"]}
    return Round(
        game="tails",
        seed=seed,
        difficulty=difficulty,
        prompt=_prompt(scenario, variant, context.get("statistic", "F")),
        questions=(question,),
        solution=solution,
        reveal=build_reveal(numbers, context, truth),
        data=scenario.data,
        context=context,
    )


def _test_numbers(scenario) -> dict:
    """Estimate, SE, t, Satterthwaite df and the p-value of every possible test."""
    fit = lmm_core.lmer(scenario.formula, scenario.data)
    row = fit.coef_table(ddf="Satterthwaite").loc[TERM]
    t, df = float(row["t value"]), float(row["df"])
    means = scenario.data.groupby("condition")[scenario.truth["measure"]].mean()
    return {
        "estimate": float(row["Estimate"]),
        "se": float(row["Std. Error"]),
        "t": t,
        "df": df,
        "p_two-sided": float(2 * stats.t.sf(abs(t), df)),
        "p_greater": float(stats.t.sf(t, df)),
        "p_less": float(stats.t.cdf(t, df)),
        "t_crit_two": float(stats.t.ppf(1 - ALPHA / 2, df)),
        "t_crit_one": float(stats.t.ppf(1 - ALPHA, df)),
        "F": t * t,
        "F_crit": float(stats.f.ppf(1 - ALPHA, 1, df)),
        "mean_control": float(means["control"]),
        "mean_treatment": float(means["treatment"]),
    }


def _prompt(scenario, variant: str, statistic: str = "F") -> str:
    truth = scenario.truth
    name, unit, better = MEASURE_WORDS[truth["measure"]]
    n = scenario.data["participant"].nunique()
    lines = [
        f"**The study.** Each of {n} participants was measured once in a control condition "
        f"and once with a treatment. The outcome is their **{name}** ({unit}); {better}.",
        f"**The hypothesis.** The researchers predict that people "
        f"{HYPOTHESIS_WORDS[truth['hypothesis']]}.",
    ]
    if variant == "anova" and statistic == "F":
        lines.append(
            "**The test.** They analyse the condition effect with an ANOVA F test "
            "(for two conditions, F is the t value squared). Decide before you see the data: "
            "which values of F count as evidence for their hypothesis?"
        )
    elif variant == "anova":
        lines.append(
            "**The test.** They analyse the condition effect with a t test (treatment − "
            "control, in standard errors). Decide before you see the data: which values of "
            "t count as evidence for their hypothesis?"
        )
    else:
        lines.append(
            "**Your job.** Pick the test *before* seeing the data, as in a preregistration: "
            "the hypothesis, not the data, decides the tails. The data appear after you answer."
        )
    return "\n\n".join(lines)


def score(round: Round, answer: Mapping) -> Score:  # noqa: A002
    """Full points for the matching test; half for a two-tailed test of a directional
    hypothesis (valid but less powerful); none for a wrong or missing direction."""
    if round.context["variant"] == "anova":
        if round.context.get("statistic", "F") == "t":
            return _score_t_region(answer.get("region"))
        return _score_anova(answer.get("region"))
    chosen, right = answer.get("test"), round.solution["test"]
    if chosen not in TEST_WORDS:
        return Score(0, False, "No test was chosen: pick one of the three tests.", "no_answer")
    if chosen == right:
        return Score(100, True, f"Right: the hypothesis calls for a {TEST_WORDS[right]} test.")
    if right == "two-sided":
        return Score(0, False,
                     f"You chose a {TEST_WORDS[chosen]} test, but the hypothesis says only "
                     "'different', not which way. A one-tailed test would miss an effect in "
                     "the other direction: it needs a two-tailed test.",
                     "one_tailed_for_nondirectional")
    if chosen == "two-sided":
        return Score(50, False,
                     "A two-tailed test is valid, but the hypothesis predicts a direction: a "
                     f"{TEST_WORDS[right]} test puts the whole 5% on the predicted side and "
                     "has more power to find the predicted effect.",
                     "two_tailed_for_directional")
    hint = "" if round.context["higher_is_better"] else (
        " Careful: for reaction times, lower is better.")
    return Score(0, False,
                 f"You tested the wrong direction: the hypothesis calls for a "
                 f"{TEST_WORDS[right]} test.{hint}",
                 "one_tailed_wrong_direction")


def _score_t_region(region) -> Score:
    if region == "both":
        return Score(100, True, "Right: the hypothesis has no direction, so a large t either "
                     "way counts: 2.5% in each tail. (As an F test, the same comparison has "
                     "one tail: F = t² turns both tails of t into the upper tail of F.)")
    return Score(0, False, "The hypothesis says only 'different', not which way: a t test "
                 "must count large negative and large positive t values, 2.5% in each tail. "
                 "(The F test for the same comparison has only an upper tail, because F = t² "
                 "has no sign.)", "one_tailed_for_nondirectional")


def _score_anova(region) -> Score:
    if region == "upper":
        return Score(100, True, "Right: only large F values count as evidence of a difference, "
                     "whatever its direction.")
    if region == "both":
        return Score(0, False, "The hypothesis is two-sided, but F already squares away the "
                     "sign: both directions of difference make F large. A small F is no "
                     "evidence of a difference, so only the upper tail counts.",
                     "f_test_two_tailed")
    if region == "lower":
        return Score(0, False, "Small F values mean the condition means are closer than noise "
                     "would predict: no evidence of a difference. Evidence is a large F.",
                     "f_test_lower_tail")
    return Score(0, False, "No region was chosen: pick one of the three answers.", "no_answer")
