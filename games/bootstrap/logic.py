"""How sure are we? Guess a 95% interval, or spot the bootstrap that is overconfident.

A round is a simulated study whose effect either varies between people (``simulators``
"sleep": reaction time over days of sleep deprivation, ``reaction ~ 1 + days + (1 + days |
subject)``, the effect is the average slope) or, in some tricky rounds, is a difference measured
within each person that people do not differ in (``simulators`` "two_condition" with several
trials per condition, ``value ~ 1 + condition + (1 | participant)``).

Two variants:

- "interval": the learner types the 95% interval of the effect. The reference is lme4's
  profile interval (``confint(fit, method = "profile")``), computed here, deterministically.
  Scored by *coverage* (the share of the reference interval the guess covers) and the
  *width ratio* (guess width / reference width), in bands.
- "overconfident": which of three bootstraps (resampling rows, resampling participants,
  parametric) gives a too narrow interval? Resampling rows keeps the same people and only
  reshuffles their measurements, so for an effect that varies between people it misses the
  main source of uncertainty. For a within-person effect that people do not differ in, none
  of the three is too narrow (tricky rounds offer that answer).

Where the heavy work lives: make_round fits the model and profiles one parameter (well within
300 ms); everything that scoring needs is in the Round. The three bootstraps (about a thousand
refits) are *shown*, never scored: ``reveal.reveal_numbers(round, progress=...)`` computes
them on demand (the page calls it under a progress bar and caches it by seed and difficulty),
with generators fixed by the round's seed, so the same round always shows the same bootstrap.
The tests check, over many seeds, that the bootstraps agree with each round's solution.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

import lmm_core
import simulators

from ..answers import InvalidAnswer
from ..base import (
    Option,
    Question,
    Round,
    Score,
    check_difficulty,
    check_seed,
    sub_seed,
)
from .feedback import INTERVAL_FEEDBACK, KIND_CODES, KIND_FEEDBACK
from .reveal import build_reveal

__all__ = ["make_round", "score", "check_answer", "LEVELS", "DESIGNS", "KIND_WORDS",
           "interval_measures", "TIGHT", "WIDE", "Z95"]

Z95 = 1.959963984540054
# Bands on (coverage of the reference, width ratio): full points inside TIGHT, half in WIDE.
TIGHT = {"coverage": 0.8, "ratio": (0.8, 1.25)}
WIDE = {"coverage": 0.5, "ratio": (0.6, 1.6)}

# Per difficulty: the study's size and spread, what the learner is told, how often each
# variant comes up, and (tricky) how often an overconfident round is a within-person design.
LEVELS = {
    "gentle": {"n_people": (18, 22), "n_days": (10, 10), "sd_slope": (6.0, 9.0),
               "show_se": True, "overconfident": 0.25, "within": 0.0},
    "normal": {"n_people": (12, 18), "n_days": (8, 10), "sd_slope": (5.0, 9.0),
               "show_se": False, "overconfident": 0.3, "within": 0.0},
    "tricky": {"n_people": (7, 10), "n_days": (6, 8), "sd_slope": (7.0, 11.0),
               "show_se": False, "overconfident": 0.4, "within": 0.5},
}

# design -> what the round is about
DESIGNS = {
    "slope": {"term": "days", "unit": "ms/day", "group": "subject", "response": "reaction",
              "effect": "average slope", "people": "people"},
    "within": {"term": "conditiontreatment", "unit": "points", "group": "participant",
               "response": "value", "effect": "treatment effect", "people": "participants"},
}

KIND_WORDS = {
    "case": "Resampling rows",
    "cluster": "Resampling participants",
    "parametric": "Parametric bootstrap",
}


@dataclass(frozen=True)
class _Study:
    design: str
    scenario: object
    fit: object


def make_round(seed: int, difficulty: str = "normal") -> Round:
    """A bootstrap round, fixed by (seed, difficulty)."""
    seed, level = check_seed(seed), LEVELS[check_difficulty(difficulty)]
    rng = sub_seed(seed, 0)
    variant = "overconfident" if rng.random() < level["overconfident"] else "interval"
    design = "within" if variant == "overconfident" and rng.random() < level["within"] \
        else "slope"
    study = _study(seed, design, level, variant)
    num = _numbers(study)
    context = _context(study, num, variant, difficulty, level)
    if variant == "interval":
        questions, solution = _interval_questions(num, context), {
            "lower": num["profile_lower"], "upper": num["profile_upper"]}
    else:
        questions = (_kind_question(context, with_none=difficulty == "tricky"),)
        solution = {"kind": "none" if design == "within" else "case"}
    return Round(
        game="bootstrap",
        seed=seed,
        difficulty=difficulty,
        prompt=_prompt(context),
        questions=questions,
        solution=solution,
        reveal=build_reveal(num, context),
        data=study.scenario.data,
        context=context,
    )


# ----- the study ---------------------------------------------------------------------------
def _study(seed: int, design: str, level: dict, variant: str) -> _Study:
    """Simulate and fit until the study shows what the round is about (deterministically:
    attempt k uses the k-th generator of the seed).

    Always: no fit on or near the boundary (see _regular), whose intervals say more about
    the boundary than about bootstrapping. Overconfident rounds also need the premise of their
    answer to hold in these data, not only in the simulation: for the slope design, the
    within-person noise alone must explain under half of the standard error (so resampling
    rows, which sees only that noise, is clearly too narrow); for the within design, the
    spread of people's own differences must agree with the model's standard error (people
    visibly do not differ in the effect, so no bootstrap is too narrow).
    """
    for attempt in range(12):
        scenario = _simulate(design, level, sub_seed(seed, 1, attempt))
        fit = lmm_core.lmer(scenario.formula, scenario.data)
        study = _Study(design, scenario, fit)
        if _regular(fit) and (variant == "interval" or _premise_holds(study)):
            break
    return study


def _regular(fit) -> bool:
    """Converged, away from the boundary: no SD of zero (lme4's isSingular) and no
    intercept-slope correlation within 0.05 of ±1 (nearly as degenerate, though lme4's
    tolerance lets it pass); there the SE is no longer SD of people / √n."""
    vc = fit.varcorr()
    correlations = vc.loc[vc["var2"] != "", "sdcor"].abs()
    return fit.converged and not fit.is_singular and not bool((correlations > 0.95).any())


def _premise_holds(study: _Study) -> bool:
    se = float(study.fit.coef_table().loc[DESIGNS[study.design]["term"], "Std. Error"])
    data = study.scenario.data
    if study.design == "slope":
        centred = data["days"] - data.groupby("subject")["days"].transform("mean")
        rows_se = study.fit.sigma / math.sqrt(float((centred**2).sum()))
        return rows_se / se < 0.5
    own = own_effects(data, "within")
    return 0.85 <= float(own.std(ddof=1)) / math.sqrt(own.size) / se <= 1.2


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
    return simulators.generate(
        "two_condition", seed=seed, n_participants=int(rng.integers(10, 15)),
        n_trials=int(rng.integers(4, 7)), intercept=50.0,
        effect=round(float(rng.choice([-1, 1]) * rng.uniform(2.0, 5.0)), 1),
        sd_participant=8.0, sd_residual=round(float(rng.uniform(4.0, 7.0)), 1))


def own_effects(data: pd.DataFrame, design: str) -> pd.Series:
    """Each person's own estimate of the effect from their data alone (no pooling): their
    least-squares slope, or their treatment mean minus their control mean."""
    spec = DESIGNS[design]
    group, y = spec["group"], spec["response"]
    if design == "slope":
        def slope(g):
            x = g["days"].to_numpy(float)
            return float(np.polyfit(x, g[y].to_numpy(float), 1)[0])
        out = data.groupby(group, sort=True)[["days", y]].apply(slope)
    else:
        means = data.groupby([group, "condition"], sort=True)[y].mean().unstack()
        out = means["treatment"] - means["control"]
    return out.astype(float).rename("own")


def _numbers(study: _Study) -> dict:
    """Everything scoring and the reveal need: estimate, SE, Wald and profile intervals, the
    spread of people's own effects and the widths a misconception would give."""
    spec, fit = DESIGNS[study.design], study.fit
    term = spec["term"]
    row = fit.coef_table().loc[term]
    wald = fit.confint("Wald", parm=term).to_numpy()[0]
    profile = fit.confint("profile", parm=term).to_numpy()[0]
    own = own_effects(study.scenario.data, study.design)
    sd_people = float(own.std(ddof=1))
    n_people, n_obs = int(own.size), int(fit.nobs)
    return {
        "estimate": float(row["Estimate"]), "se": float(row["Std. Error"]),
        "wald_lower": float(wald[0]), "wald_upper": float(wald[1]),
        "profile_lower": float(profile[0]), "profile_upper": float(profile[1]),
        "truth": float(study.scenario.truth["fixef"][term]),
        "sd_people": sd_people, "n_people": n_people, "n_obs": n_obs,
        "mean_own": float(own.mean()),
        "pi_width": 2 * Z95 * sd_people,
        "rows_width": 2 * Z95 * sd_people / math.sqrt(n_obs),
        "one_se_width": 2.0 * float(row["Std. Error"]),
        "own": {str(k): float(v) for k, v in own.items()},
        "coefficients": {"names": list(fit.fixef.index),
                         "table": fit.coef_table().to_numpy().tolist()},
        "formula": fit.formula,
        "n_days": int(study.scenario.data["days"].nunique()) if study.design == "slope" else 0,
        "n_trials": int(study.scenario.params.get("n_trials", 0)),
    }


def _context(study: _Study, num: dict, variant: str, difficulty: str, level: dict) -> dict:
    spec = DESIGNS[study.design]
    return {
        "variant": variant, "design": study.design, "term": spec["term"],
        "unit": spec["unit"], "effect": spec["effect"], "people": spec["people"],
        "group": spec["group"], "response": spec["response"], "formula": num["formula"],
        "show_se": bool(level["show_se"]), "estimate": num["estimate"],
        "n_people": num["n_people"], "n_obs": num["n_obs"], "n_days": num["n_days"],
        "n_trials": num["n_trials"], "sd_people": num["sd_people"], "own": num["own"],
        "with_none": difficulty == "tricky" and variant == "overconfident",
        "reference": {"lower": num["profile_lower"], "upper": num["profile_upper"]},
        "widths": {k: num[k] for k in ("pi_width", "rows_width", "one_se_width")},
        "se": num["se"],
    }


# ----- questions and prompt ----------------------------------------------------------------
def _nice_floor(x: float, step: float) -> float:
    return math.floor(x / step) * step


def _interval_questions(num: dict, context: dict) -> tuple[Question, ...]:
    """Two numbers; their range leaves room for every misconception (a range as wide as the
    spread of people, or one on the wrong side of the estimate)."""
    unit, est = context["unit"], num["estimate"]
    reach = max(1.6 * Z95 * num["sd_people"], 2.5 * (num["profile_upper"] - num["profile_lower"]))
    step = 10.0 if reach > 20 else 5.0 if reach > 8 else 1.0
    low, high = _nice_floor(est - reach, step), _nice_floor(est + reach, step) + step
    helptext = (f"The model's estimate is {est:.1f} {unit}. A 95% confidence interval is the "
                "range of average values that fit these data, not the range of the people.")
    return tuple(
        Question(key, f"{word} end of your 95% interval ({unit})", kind="number", low=low,
                 high=high, step=0.1, unit=unit, help=helptext)
        for key, word in (("lower", "Lower"), ("upper", "Upper")))


def _kind_question(context: dict, with_none: bool) -> Question:
    n, n_obs, people = context["n_people"], context["n_obs"], context["people"]
    options = [
        Option("case", f"{KIND_WORDS['case']}: draw {n_obs} measurements with replacement "
                       f"from the {n_obs}"),
        Option("cluster", f"{KIND_WORDS['cluster']}: draw {n} {people} with replacement, "
                          "each with all their measurements"),
        Option("parametric", f"{KIND_WORDS['parametric']}: simulate new {people} and new "
                             "measurements from the fitted model"),
    ]
    if with_none:
        options.append(Option("none", "None of them: all three are about right here"))
    return Question("kind", f"Which bootstrap gives a 95% interval for the {context['effect']} "
                            "that is too narrow (overconfident)?", options=tuple(options))


def _study_words(context: dict) -> str:
    n, n_obs = context["n_people"], context["n_obs"]
    if context["design"] == "slope":
        return (f"**The study.** {n} people had their reaction time measured on each of "
                f"{context['n_days']} days of sleep deprivation ({n_obs} measurements). The "
                f"mixed model `{context['formula']}` estimates that reaction time grows by "
                f"**{context['estimate']:.1f} ms per day** on average, and lets every "
                "person have their own slope.")
    k = context["n_trials"]
    return (f"**The study.** {n} participants each did {k} trials in a control and {k} in a "
            f"treatment condition ({n_obs} measurements). The mixed model "
            f"`{context['formula']}` estimates a treatment effect of "
            f"**{context['estimate']:.1f} points** (treatment − control), with a baseline of "
            "their own for each participant.")


def _prompt(context: dict) -> str:
    lines = [_study_words(context)]
    if context["variant"] == "interval":
        given = (f"lme4's summary (below) gives its standard error, {context['se']:.2f} "
                 f"{context['unit']}." if context["show_se"] else
                 f"The people's own slopes spread with an SD of {context['sd_people']:.1f} "
                 f"{context['unit']}.")
        lines.append(
            f"**Your job.** How sure can we be about that {context['estimate']:.1f}? Type the "
            "95% confidence interval of the average slope: the range of *average* slopes "
            f"that fit these data. Each dot below is one person's own slope. {given}")
    else:
        lines.append(
            "**Three bootstraps.** Instead of a formula, a bootstrap redoes the study many "
            "times on the computer, refits the model each time and takes the middle 95% of "
            f"the {context['effect']}s it gets as the interval. There are three ways to "
            "redo the study (below).")
        lines.append("**Your job.** Which way gives an interval that is too narrow?")
    return "\n\n".join(lines)


# ----- scoring -----------------------------------------------------------------------------
def interval_measures(lower: float, upper: float, reference: Mapping) -> dict:
    """Coverage (share of the reference interval inside the guess) and width ratio."""
    lo, hi = float(reference["lower"]), float(reference["upper"])
    width = hi - lo
    overlap = max(0.0, min(upper, hi) - max(lower, lo))
    return {"coverage": overlap / width, "ratio": (upper - lower) / width}


def _band(measures: dict) -> int:
    for band, points in ((TIGHT, 100), (WIDE, 50)):
        lo, hi = band["ratio"]
        if measures["coverage"] >= band["coverage"] - 1e-9 and lo <= measures["ratio"] <= hi:
            return points
    return 0


def _number(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def check_answer(round: Round, answer: Mapping) -> None:  # noqa: A002
    """An interval's lower end must be below its upper end (GameSpec.score calls this)."""
    if round.context["variant"] == "overconfident":
        return
    lower, upper = _number(answer.get("lower")), _number(answer.get("upper"))
    if lower is not None and upper is not None and lower >= upper:
        raise InvalidAnswer(f"The lower end ({lower:.1f}) must be below the upper end "
                            f"({upper:.1f}): swap or change them.", "upper")


def score(round: Round, answer: Mapping) -> Score:  # noqa: A002
    if round.context["variant"] == "overconfident":
        return _score_kind(round, answer.get("kind"))
    lower, upper = _number(answer.get("lower")), _number(answer.get("upper"))
    if lower is None or upper is None:
        return Score(0, False, "Type both ends of your interval, as numbers.", "no_answer")
    lower, upper = min(lower, upper), max(lower, upper)
    measures = interval_measures(lower, upper, round.context["reference"])
    points = _band(measures)
    code = None if points == 100 else _interval_misconception(round.context, lower, upper,
                                                              measures)
    return Score(points, points == 100, _interval_feedback(round.context, measures, code),
                 code)


def _log_closest(width: float, candidates: dict) -> str:
    return min(candidates, key=lambda k: abs(math.log(max(width, 1e-12) / candidates[k])))


def _interval_misconception(context: dict, lower: float, upper: float, m: dict) -> str:
    if not lower <= context["estimate"] <= upper:
        return "missed_the_estimate"
    width = upper - lower
    ref = context["reference"]["upper"] - context["reference"]["lower"]
    w = context["widths"]
    if m["ratio"] > TIGHT["ratio"][1]:
        near = _log_closest(width, {"ref": ref, "pi": w["pi_width"]})
        return "confused_ci_and_pi" if near == "pi" else "interval_too_wide"
    if m["ratio"] < TIGHT["ratio"][0]:
        near = _log_closest(width, {"ref": ref, "rows": w["rows_width"],
                                    "one_se": w["one_se_width"]})
        return {"rows": "counted_measurements_as_people", "one_se": "used_one_standard_error",
                "ref": "interval_too_narrow"}[near]
    return "off_centre"


def _interval_feedback(context: dict, m: dict, code: str | None) -> str:
    ref = context["reference"]
    head = (f"Your interval covers {100 * m['coverage']:.0f}% of lme4's profile interval "
            f"({ref['lower']:.1f} to {ref['upper']:.1f} {context['unit']}) and is "
            f"{m['ratio']:.2f} times as wide.")
    if code is None:
        return head + " That is a well-calibrated 95% interval."
    return f"{head} {INTERVAL_FEEDBACK[code]}"


def _score_kind(round: Round, chosen) -> Score:  # noqa: A002
    right = round.solution["kind"]
    valid = [o.value for o in round.question("kind").options]
    if chosen not in valid:
        return Score(0, False, "No bootstrap was chosen: pick one of the answers.",
                     "no_answer")
    if chosen == right:
        return Score(100, True, KIND_FEEDBACK[(right, right)])
    return Score(0, False, KIND_FEEDBACK[(right, chosen)], KIND_CODES[(right, chosen)])
