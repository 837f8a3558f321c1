"""Fix my model: a fit with a convergence or singular-fit message; pick the remedy.

A round is ``simulators`` "convergence_trouble": test scores of pupils in a few schools on
which the maximal model ``score ~ x + (1 + x | school)`` runs into one of three problems (the
truth says which, and which remedy removes the cause):

- "scale": income (1000 to 2000) used raw: lme4 says "Model is nearly unidentifiable: very
  large eigenvalue - Rescale variables?" (usually with "Model failed to converge with
  max|grad| = ..."). Best remedy: center and scale.
- "singular": a random slope whose true SD is 0: "boundary (singular) fit". Best: simplify
  to ``(1 | school)``.
- "overparameterized": two real, independent random slopes in 4 schools: singular. Best:
  drop the correlations, ``(1 + x1 + x2 || school)``.

**Every round shows a real problem.** make_round draws the scenario from sub-seeds
``sub_seed(seed, 1, attempt)``, attempt = 0, 1, ..., up to ``MAX_ATTEMPTS``, and keeps the first
data set on which (a) lmer's fit shows the problem in lme4's words (``fits.problem_shown``),
(b) the best remedy's refit has no message, and (c) the remedies that refit the *same* model
(releveling the grouping factor; rescaling when the problem is not scale) still warn, so that
the round is a clear example and not a borderline one. About 3 data sets in 4 qualify, so
the bound is never reached in practice (tests check hundreds of seeds); reaching it raises.

Every remedy except "other optimizers" is refitted here with lmm_core's helpers
(``center_scale``, ``relevel``, ``drop_correlation``, ``drop_random_slopes``, plus deleting the
most unusual school); the points for each option come from the truth *and* what its refit
shows (``verdicts.py``). "Other optimizers" is lme4's allFit: five refits (a few tenths of a
second together), so it is computed for the reveal by ``optimizers.optimizer_reveal`` (the
page calls it with a spinner), and never scores above a partial 25: it can tell a false alarm
from real trouble, but cannot change a model's scale or what the data support.

Difficulties: gentle has two problems (scale, singular) and four options; normal has all three
problems and six options; tricky also asks what causes the message.
"""

from __future__ import annotations

from collections.abc import Mapping

import simulators

from ..base import Option, Question, Round, Score, check_difficulty, check_seed, sub_seed
from . import fits
from .reveal import build_reveal
from .verdicts import BEST, CAUSE_OF, cause_options, cause_verdict, remedy_verdicts

__all__ = ["make_round", "score", "LEVELS", "REMEDY_WORDS", "MAX_ATTEMPTS", "PROBLEMS",
           "REMEDY_WEIGHT"]

PROBLEMS = ("scale", "singular", "overparameterized")
MAX_ATTEMPTS = 30
REMEDY_WEIGHT = 0.7  # tricky: share of the points for the remedy (the rest: the cause)
ALL_OPTIONS = ("center_scale", "relevel", "drop_correlation", "simplify", "optimizers",
               "drop_data")

LEVELS = {
    "gentle": {"problems": ("scale", "singular"), "weights": (0.5, 0.5),
               "options": ("center_scale", "relevel", "simplify", "optimizers"),
               "cause": False, "hint": True},
    "normal": {"problems": PROBLEMS, "weights": (1 / 3, 1 / 3, 1 / 3),
               "options": ALL_OPTIONS, "cause": False, "hint": False},
    "tricky": {"problems": PROBLEMS, "weights": (0.3, 0.3, 0.4),
               "options": ALL_OPTIONS, "cause": True, "hint": False},
}

PREDICTORS = {"scale": ["income"], "singular": ["motivation"],
              "overparameterized": ["motivation", "anxiety"]}

# remedy -> option words; {x} is the predictor list as text
REMEDY_WORDS = {
    "center_scale": "Center and scale the predictor: scale({x})",
    "relevel": "Change the reference level of a factor (relevel)",
    "drop_correlation": "Drop the random-effect correlations: use || instead of |",
    "simplify": "Simplify to random intercepts only: (1 | school)",
    "optimizers": "Refit with other optimizers (lme4's allFit)",
    "drop_data": "Delete the most unusual school and refit",
}


def make_round(seed: int, difficulty: str = "normal") -> Round:
    """A convergence round, fixed by (seed, difficulty)."""
    seed, level = check_seed(seed), LEVELS[check_difficulty(difficulty)]
    rng = sub_seed(seed, 0)
    problem = str(rng.choice(level["problems"], p=level["weights"]))
    scenario, original, refits, attempt = _find_trouble(seed, problem)
    predictors = PREDICTORS[problem]
    verdicts = remedy_verdicts(problem, original, refits, scenario.truth, level["options"],
                               predictors)
    context = {
        "problem": problem,
        "formula": scenario.formula,
        "predictors": predictors,
        "n_schools": int(scenario.data["school"].nunique()),
        "n_pupils": int(len(scenario.data)),
        "messages": original["messages"],
        "r_summary": original["r_summary"],
        "options": list(level["options"]),
        "best": BEST[problem],
        "verdicts": verdicts,
        "cause": level["cause"],
        "hint": level["hint"],
        "scenario_seed": int(scenario.seed),
        "attempt": attempt,
    }
    questions = [Question("remedy", "Which remedy deals with the cause?",
                          options=_remedy_options(level["options"], predictors))]
    solution = {"remedy": BEST[problem]}
    if level["cause"]:
        questions.insert(0, Question("cause", "What causes the message?",
                                     options=cause_options(predictors)))
        solution = {"cause": CAUSE_OF[problem]} | solution
    return Round(
        game="convergence",
        seed=seed,
        difficulty=difficulty,
        prompt=_prompt(context, scenario.data),
        questions=tuple(questions),
        solution=solution,
        reveal=build_reveal(problem, original, refits, scenario.truth, scenario.data, verdicts),
        data=scenario.data,
        context=context,
    )


def _find_trouble(seed: int, problem: str):
    """The first sub-seed whose data show the problem clearly (see the module docstring)."""
    last_error = None
    for attempt in range(MAX_ATTEMPTS):
        sim_seed = int(sub_seed(seed, 1, attempt).integers(2**31))
        scenario = simulators.generate("convergence_trouble", seed=sim_seed, problem=problem)
        try:
            found = _check(scenario, problem)
        except Exception as error:  # noqa: BLE001 - a fit that fails is skipped like a data
            # set without the problem (lmm_core's BOBYQA can raise NLopt's RoundoffLimited on
            # badly scaled data); if every attempt fails, the last error is chained below.
            last_error = error
            continue
        if found is not None:
            return scenario, *found, attempt
    raise RuntimeError(
        f"No data set among {MAX_ATTEMPTS} tries showed the {problem!r} problem clearly for "
        f"round {seed}; try another round."
    ) from last_error


def _check(scenario, problem: str):
    """(original, refits) when the data are a clear example of ``problem``, else None."""
    fit = fits.fit_maximal(scenario.formula, scenario.data)
    if not fits.problem_shown(fit, problem):
        return None
    predictors = PREDICTORS[problem]
    same_model = ["relevel"] + (["center_scale"] if problem != "scale" else [])
    order = [BEST[problem], *same_model]
    order += [k for k in fits.REFITTED if k not in order]
    refits = {}
    for key in order:
        refits[key] = fits.refit(key, scenario.formula, scenario.data, predictors,
                                 printout=key == BEST[problem])
        if key == BEST[problem] and refits[key]["warns"]:
            return None
        if key in same_model and not refits[key]["warns"]:
            return None
    original = fits.summarize(fit, formula=scenario.formula, printout=True)
    return original, {k: refits[k] for k in fits.REFITTED}


def _remedy_options(keys, predictors) -> tuple[Option, ...]:
    x = ", ".join(predictors)
    words = dict(REMEDY_WORDS)
    if len(predictors) > 1:
        words["center_scale"] = f"Center and scale the predictors: scale() on {x}"
    return tuple(Option(k, words[k].format(x=x)) for k in keys)


def _prompt(context: Mapping, data) -> str:
    x = context["predictors"]
    ranges = "; ".join(f"{c} from {data[c].min():g} to {data[c].max():g}" for c in x)
    lines = [
        f"**The study.** Test scores of {context['n_pupils']} pupils in "
        f"{context['n_schools']} schools ({ranges}). You fit the maximal model "
        f"`lmer({context['formula']}, data)` and R prints the summary below, with "
        f"{'a message' if len(context['messages']) == 1 else 'messages'} at the end.",
        "**Your job.** Read the output and pick the remedy that deals with the *cause* of "
        "the message" + (", after saying what the cause is." if context["cause"] else "."),
    ]
    if context["hint"]:
        lines.append(
            "*Where to look:* the range of the predictor's numbers, the Std.Dev. and Corr "
            "columns of the random effects, and how many schools there are.")
    return "\n\n".join(lines)


def score(round: Round, answer: Mapping) -> Score:  # noqa: A002
    """Points for the remedy from the round's verdicts (truth and refits); in tricky rounds
    ``REMEDY_WEIGHT`` of the points for the remedy and the rest for the cause."""
    verdicts = round.context["verdicts"]
    remedy = answer.get("remedy")
    if not isinstance(remedy, str) or remedy not in verdicts:
        return Score(0, False, "No remedy was chosen: pick one of the options.", "no_answer")
    v = verdicts[remedy]
    if not round.context["cause"]:
        return Score(v["points"], v["points"] == 100, v["feedback"], v["code"])
    cause = answer.get("cause")
    c = cause_verdict(round.context["problem"], cause)
    if c is None:
        return Score(0, False, "Say what causes the message as well: pick one of the causes.",
                     "no_answer")
    points = int(REMEDY_WEIGHT * v["points"] + (1 - REMEDY_WEIGHT) * c["points"] + 0.5)
    code = v["code"] or c["code"]
    return Score(points, v["points"] == 100 and c["points"] == 100,
                 f"{c['feedback']} {v['feedback']}", code)
