"""Pick the model: participants from two groups that differ in their mean, or in their spread.

A round is a within-participant experiment (control versus treatment) whose participants come
from two groups, A and B, recorded in the column ``group``. Two variants, drawn by the seed:

- "means" (``simulators`` "mixture"): group B's typical value differs from group A's. The right
  model has ``group`` as a fixed effect, ``value ~ 1 + group + condition + (1 | participant)``;
  without it, the participant variance swallows the group difference.
- "spreads" (``simulators`` "heterogeneous_variance", two sites renamed groups A and B): the
  groups share a mean, but one group's participants spread far more than the other's. One
  normal distribution for the intercepts, ``(1 | participant)``, cannot describe both; the
  right model gives each group its own participant SD with the indicator columns ``in_A`` and
  ``in_B`` (1 for that group's participants, else 0): ``(0 + in_A | participant) +
  (0 + in_B | participant)``, lme4's ``dummy()`` trick written with plain columns.

Both variants offer the same models (per difficulty), so the learner has to read the picture of
the participants' averages. Every offered model is fitted (lmm_core, REML) for the reveal, and
the trap (``(1 | participant)`` alone) is compared with the right model by lme4's
likelihood-ratio test, ``lmm_core.anova`` (ML refits).
"""

from __future__ import annotations

from collections.abc import Mapping

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
from .reveal import MODELS, build_reveal

__all__ = ["make_round", "score", "MODELS", "LEVELS", "VERDICTS", "RIGHT", "TRAP"]

RIGHT = {"means": "group_fixed", "spreads": "two_sds"}
TRAP = "no_group"

# Per difficulty: the models offered, the share of "spreads" rounds, and the study's size and
# effects. Group differences are in units of the participant SD (4); spread ratios are the
# wide group's participant SD over the narrow group's (3).
LEVELS = {
    "gentle": {"models": ("no_group", "group_fixed", "group_random", "two_sds"),
               "spreads": 0.5, "n": 24, "trials": 2, "difference": 25.0, "shares": (0.5,),
               "ratio": 8.0},
    "normal": {"models": ("no_group", "group_fixed", "group_random", "two_sds", "group_slope"),
               "spreads": 0.5, "n": 24, "trials": 2, "difference": 16.0,
               "shares": (0.35, 0.5, 0.65), "ratio": 6.0},
    "tricky": {"models": ("no_group", "group_fixed", "group_random", "two_sds", "group_slope",
                          "group_nest"),
               "spreads": 0.5, "n": 16, "trials": 2, "difference": 11.0,
               "shares": (0.3, 0.4, 0.6, 0.7), "ratio": 4.0},
}
SD_PARTICIPANT, SD_NARROW, SD_RESIDUAL = 4.0, 3.0, 3.0

# (variant, picked model) -> (points, misconception); the right model gets 100 and None.
VERDICTS = {
    "means": {
        "group_fixed": (100, None),
        "no_group": (0, "ignored_hidden_groups"),
        "group_random": (25, "group_as_random_with_two_levels"),
        "group_nest": (25, "group_as_random_with_two_levels"),
        "group_slope": (0, "slope_for_between_participant_variable"),
        "two_sds": (0, "two_spreads_for_two_means"),
    },
    "spreads": {
        "two_sds": (100, None),
        "no_group": (0, "one_normal_for_two_spreads"),
        "group_fixed": (0, "mean_shift_for_spread"),
        "group_random": (0, "group_as_random_with_two_levels"),
        "group_nest": (0, "group_as_random_with_two_levels"),
        "group_slope": (25, "slope_for_between_participant_variable"),
    },
}


def make_round(seed: int, difficulty: str = "normal") -> Round:
    """A mixture round, fixed by (seed, difficulty)."""
    seed, level = check_seed(seed), LEVELS[check_difficulty(difficulty)]
    rng = sub_seed(seed, 0)
    variant = "spreads" if rng.random() < level["spreads"] else "means"
    scenario, data = _study(variant, level, rng)
    order = [level["models"][i] for i in sub_seed(seed, 1).permutation(len(level["models"]))]
    question = Question(
        "model", "Which model describes these data?",
        options=tuple(Option(k, MODELS[k]) for k in order),
        help="in_A is 1 for participants in group A and 0 otherwise; in_B likewise for B.")
    sizes = data.groupby("group")["participant"].nunique()
    context = {
        "variant": variant,
        "right": RIGHT[variant],
        "trap": TRAP,
        "models": list(order),
        "n_participants": int(data["participant"].nunique()),
        "n_trials": level["trials"],
        "group_sizes": {str(g): int(n) for g, n in sizes.items()},
        "truth": _truth(variant, scenario),
    }
    return Round(
        game="mixture",
        seed=seed,
        difficulty=difficulty,
        prompt=_prompt(context, difficulty),
        questions=(question,),
        solution={"model": RIGHT[variant]},
        reveal=build_reveal(data, variant, order, context),
        data=data,
        context=context,
    )


def _study(variant: str, level: dict, rng) -> tuple:
    """The scenario and its data with the columns every round shows: participant, group (A or
    B), condition, value, in_A, in_B."""
    effect = float(rng.choice([3.0, 4.0, 5.0, 6.0, 8.0]))
    sim_seed = int(rng.integers(2**31))
    if variant == "means":
        sign = float(rng.choice([-1.0, 1.0]))
        scenario = simulators.generate(
            "mixture", seed=sim_seed, n_participants=level["n"], n_trials=level["trials"],
            share_high=float(rng.choice(level["shares"])),
            group_difference=sign * level["difference"], effect=effect,
            sd_participant=SD_PARTICIPANT, sd_residual=SD_RESIDUAL)
        data = scenario.data.assign(group=scenario.data["group"].map({"average": "A",
                                                                      "high": "B"}))
    else:
        scenario = simulators.generate(
            "heterogeneous_variance", seed=sim_seed, component="intercepts", n_sites=2,
            n_per_site=level["n"] // 2, n_trials=level["trials"], sd_ratio=level["ratio"],
            effect=effect, sd_participant=SD_NARROW, sd_residual=SD_RESIDUAL)
        data = scenario.data.rename(columns={"site": "group"})
    data = data[["participant", "group", "condition", "value"]].copy()
    data["in_A"] = (data["group"] == "A").astype("int64")
    data["in_B"] = (data["group"] == "B").astype("int64")
    return scenario, data.reset_index(drop=True)


def _truth(variant: str, scenario) -> dict:
    """What the simulation used, in this game's names (for the reveal's 'truth' column)."""
    truth = scenario.truth
    out = {"condition_effect": truth["fixef"]["conditiontreatment"],
           "sd_residual": truth["varcomp"]["residual_sd"]}
    if variant == "means":
        out["group_difference"] = truth["fixef"]["grouphigh"]
        out["sd_participant"] = truth["varcomp"]["participant"]["sd_(Intercept)"]
    else:
        out["group_difference"] = 0.0
        out["sd_A"], out["sd_B"] = truth["site_sd"]["A"], truth["site_sd"]["B"]
    return out


def _prompt(context: dict, difficulty: str) -> str:
    sizes = context["group_sizes"]
    trials = context["n_trials"]
    times = "once" if trials == 1 else f"{trials} times"
    lines = [
        f"**The study.** {context['n_participants']} participants were each measured {times} "
        "in a control condition and as often in a treatment condition. They were recruited "
        f"in two groups: **A** ({sizes.get('A', 0)} people) and **B** ({sizes.get('B', 0)} "
        "people); the column `group` says who is in which.",
        "**Your job.** The picture shows every participant's average, for everybody at once "
        "and by group. Pick the model that describes these data. (`in_A` is 1 for the "
        "participants of group A and 0 for the others; `in_B` likewise for group B.)",
    ]
    if difficulty == "gentle":
        lines.append("*Hint: in the picture by group, do the two groups sit at different "
                     "heights, or do they spread differently?*")
    return "\n\n".join(lines)


# ----- scoring -----------------------------------------------------------------------------
def score(round: Round, answer: Mapping) -> Score:  # noqa: A002
    """Full points for the right model; 25 for a model that captures the groups in a poor way
    (a random effect with two levels, or a random slope for a between-participant variable
    that can mimic two spreads); none otherwise. Each wrong model names its misconception."""
    chosen = answer.get("model")
    offered = [o.value for o in round.question("model").options]
    if chosen not in offered:
        return Score(0, False, "No model was chosen: pick one of the models.", "no_answer")
    variant = round.context["variant"]
    points, code = VERDICTS[variant][chosen]
    words = _words(round.reveal.numbers, variant)
    if code is None:
        return Score(points, True, RIGHT_WORDS[variant].format(**words))
    text = FEEDBACK[(variant, code)].format(**words)
    if chosen in round.reveal.details.get("errors", {}):
        text += " (lme4 cannot even fit this model to these data: see below.)"
    return Score(points, False, text, code)


def _words(num: Mapping, variant: str) -> dict:
    """The reveal's numbers plus, for the spreads variant, which group is the wide one."""
    out = dict(num)
    if variant == "spreads":
        wide = "A" if num["sd_big_A"] > num["sd_big_B"] else "B"
        out |= {"wide": wide, "narrow": "B" if wide == "A" else "A"}
    return out


RIGHT_WORDS = {
    "means": "Right: the groups differ in their typical value, so `group` belongs in the fixed "
             "part, like any known difference between people in lm(). With it, the "
             "participant SD drops from {sd_small:.1f} to {sd_big:.1f}.",
    "spreads": "Right: the groups share a centre but spread differently, so each group gets "
               "its own participant SD ({sd_big_A:.1f} for A, {sd_big_B:.1f} for B) instead "
               "of one SD of {sd_small:.1f} for everybody.",
}

FEEDBACK = {
    ("means", "ignored_hidden_groups"):
        "This model ignores the two groups: it says all baselines come from one normal "
        "distribution, so the group difference ({group_effect:.1f}) ends up in the participant "
        "SD ({sd_small:.1f} instead of {sd_big:.1f}). Put `group` in the fixed part.",
    ("means", "group_as_random_with_two_levels"):
        "A random effect for `group` estimates a variance from just two groups: a guess from "
        "two numbers. It does soak up the shift (hence some points), but a known difference "
        "between two groups is a fixed effect, with a proper estimate and test.",
    ("means", "slope_for_between_participant_variable"):
        "Each participant is in only one group, so a participant cannot have their own "
        "'group slope': the term cannot be told apart from their intercept. And random "
        "effects average zero, so the group difference ({group_effect:.1f}) has no place in "
        "this model. Put `group` in the fixed part.",
    ("means", "two_spreads_for_two_means"):
        "Two participant SDs let the groups spread differently around one shared mean, but "
        "here the groups differ in their means (by {group_effect:.1f}) and spread alike. A "
        "difference in means is a fixed effect: `group` in the fixed part.",
    ("spreads", "one_normal_for_two_spreads"):
        "`(1 | participant)` says every baseline comes from one normal distribution with one "
        "SD ({sd_small:.1f}): too wide for group {narrow}, too narrow for group {wide} (their "
        "own SDs: {sd_big_A:.1f} for A, {sd_big_B:.1f} for B). Give each group its own SD.",
    ("spreads", "mean_shift_for_spread"):
        "A fixed effect for `group` moves a group's mean, but both groups were simulated with "
        "the same mean (the estimated difference, {group_effect:.1f}, is chance); their "
        "spreads differ ({sd_big_A:.1f} versus {sd_big_B:.1f}). This model still has one "
        "normal distribution for everybody's baseline.",
    ("spreads", "group_as_random_with_two_levels"):
        "A random effect for `group` estimates the variance of group means from just two "
        "groups, and these groups share a mean anyway. What differs is the spread within the "
        "groups ({sd_big_A:.1f} versus {sd_big_B:.1f}): give each group its own participant "
        "SD.",
    ("spreads", "slope_for_between_participant_variable"):
        "Each participant is in only one group, so their 'group slope' cannot be told apart "
        "from their intercept. The model can mimic two spreads (hence some points), but with "
        "three numbers for two SDs one of them cannot be pinned down. Say it directly: one "
        "SD per group with in_A and in_B.",
}
