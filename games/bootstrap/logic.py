"""How sure are we? Guess a 95% interval, or judge which bootstrap to believe.

Two variants:

- "interval": a sleepstudy-like study (``studies`` design "slope"); the learner types the 95%
  interval of the average slope. The reference is lme4's profile interval (``confint(fit,
  method = "profile")``), computed here, deterministically. Scored by *coverage* (the share
  of the reference interval the guess covers) and the *width ratio* (guess width / reference
  width), in bands.
- "judge": a study whose effect lives at one of three levels (``studies``: between people,
  within people, between words), two or three of the bootstraps (resampling rows, resampling
  participants, parametric), and one of two questions: which is too narrow, or which can be
  trusted (``judge``). Only pairs with exactly one right answer ("none of them" included)
  are asked, so the answer must be reasoned from the design, not remembered.

Where the heavy work lives: make_round fits the model and profiles one parameter (well within
300 ms); everything scoring needs is in the Round. The bootstraps (hundreds of refits) are
*shown*, never scored: ``reveal.reveal_numbers(round, progress=...)`` computes them on demand
(the page calls it under a progress bar and caches it by seed and difficulty), with
generators fixed by the round's seed, so the same round always shows the same bootstraps. The
tests check, over many seeds, that the bootstraps agree with each round's solution.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..answers import InvalidAnswer, finite_number
from ..base import (
    Question,
    Round,
    Score,
    check_difficulty,
    check_seed,
    sub_seed,
)
from . import judge
from .feedback import INTERVAL_FEEDBACK
from .judge import KIND_WORDS
from .reveal import build_reveal
from .studies import DESIGNS, Z95, make_study, study_numbers

__all__ = ["make_round", "score", "check_answer", "LEVELS", "DESIGNS", "KIND_WORDS",
           "interval_measures", "TIGHT", "WIDE", "Z95"]

# Bands on (coverage of the reference, width ratio): full points inside TIGHT, half in WIDE.
TIGHT = {"coverage": 0.8, "ratio": (0.8, 1.25)}
WIDE = {"coverage": 0.5, "ratio": (0.6, 1.6)}

# Per difficulty: the slope study's size and spread, whether lme4's SE is shown, how often the
# judge variant comes up, which designs it uses (weights) and which bootstraps it may show.
LEVELS = {
    "gentle": {"n_people": (18, 22), "n_days": (10, 10), "sd_slope": (6.0, 9.0),
               "show_se": True, "judge": 0.4, "designs": {"slope": 0.7, "within": 0.3},
               "shown": judge.SHOWN},
    "normal": {"n_people": (12, 18), "n_days": (8, 10), "sd_slope": (5.0, 9.0),
               "show_se": False, "judge": 0.5,
               "designs": {"slope": 0.4, "within": 0.2, "crossed": 0.4},
               "shown": judge.SHOWN},
    "tricky": {"n_people": (7, 10), "n_days": (6, 8), "sd_slope": (7.0, 11.0),
               "show_se": False, "judge": 0.5,
               "designs": {"slope": 0.3, "within": 0.3, "crossed": 0.4},
               "shown": judge.SHOWN},
}


def make_round(seed: int, difficulty: str = "normal") -> Round:
    """A bootstrap round, fixed by (seed, difficulty)."""
    seed, level = check_seed(seed), LEVELS[check_difficulty(difficulty)]
    rng = sub_seed(seed, 0)
    variant = "judge" if rng.random() < level["judge"] else "interval"
    design, shown, ask = "slope", (), ""
    if variant == "judge":
        names = list(level["designs"])
        design = str(rng.choice(names, p=[level["designs"][d] for d in names]))
        options = judge.combos(design, level["shown"])
        shown, ask = options[int(rng.integers(len(options)))]
    study = make_study(seed, design, level, premise=variant == "judge")
    num = study_numbers(study)
    context = _context(study, num, variant, level) | {"shown": list(shown), "ask": ask}
    if variant == "interval":
        questions, solution = _interval_questions(num, context), {
            "lower": num["profile_lower"], "upper": num["profile_upper"]}
    else:
        questions = (judge.question(context),)
        solution = {"kind": judge.solution(design, shown, ask)}
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


def _context(study, num: dict, variant: str, level: dict) -> dict:
    spec = DESIGNS[study.design]
    return {
        "variant": variant, "design": study.design, "term": spec["term"],
        "unit": spec["unit"], "effect": spec["effect"], "people": spec["people"],
        "group": spec["group"], "response": spec["response"], "formula": num["formula"],
        "reference_kind": spec["reference"],
        "show_se": bool(level["show_se"]), "estimate": num["estimate"],
        "n_people": num["n_people"], "n_obs": num["n_obs"], "n_days": num["n_days"],
        "n_trials": num["n_trials"], "n_items": num["n_items"], "rare": num["rare"],
        "sd_people": num["sd_people"], "own": num["own"],
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


def _study_words(context: dict) -> str:
    n, n_obs = context["n_people"], context["n_obs"]
    if context["design"] == "slope":
        return (f"**The study.** {n} people had their reaction time measured on each of "
                f"{context['n_days']} days of sleep deprivation ({n_obs} measurements). The "
                f"mixed model `{context['formula']}` estimates that reaction time grows by "
                f"**{context['estimate']:.1f} ms per day** on average, and lets every "
                "person have their own slope.")
    if context["design"] == "crossed":
        return (f"**The study.** {n} participants each read the same {context['n_items']} "
                f"words, half of them rare, half frequent ({n_obs} readings). The mixed model "
                f"`{context['formula']}` estimates that rare words take "
                f"**{context['estimate']:.1f} ms** longer to read, with an average of their "
                "own for each participant and for each word.")
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
        count = {2: "two", 3: "three"}[len(context["shown"])]
        lines.append(
            f"**{count.capitalize()} bootstraps.** Instead of a formula, a bootstrap redoes "
            "the study many times on the computer, refits the model each time and takes the "
            f"middle 95% of the estimates it gets as the interval. Here are "
            f"{count} ways to redo the study (below).")
        lines.append("**Your job.** " + (
            "Which way gives an interval that is too narrow, if any?" if context["ask"] ==
            "narrow" else "Which way gives an interval you can trust, if any?"))
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




def check_answer(round: Round, answer: Mapping) -> None:  # noqa: A002
    """An interval's lower end must be below its upper end (GameSpec.score calls this)."""
    if round.context["variant"] == "judge":
        return
    lower, upper = finite_number(answer.get("lower")), finite_number(answer.get("upper"))
    if lower is not None and upper is not None and lower >= upper:
        raise InvalidAnswer(f"The lower end ({lower:.1f}) must be below the upper end "
                            f"({upper:.1f}): swap or change them.", "upper")


def score(round: Round, answer: Mapping) -> Score:  # noqa: A002
    if round.context["variant"] == "judge":
        return _score_kind(round, answer.get("kind"))
    lower, upper = finite_number(answer.get("lower")), finite_number(answer.get("upper"))
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
    words, code = judge.verdict(round.context, right, chosen)
    return Score(100 if code is None else 0, code is None, words, code)
