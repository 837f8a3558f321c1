"""Spot the real data: a lineup of one real panel among panels simulated from the fitted model.

The model ``value ~ 1 + condition + (1 | participant)`` is fitted to one scenario's data; the
other panels are new data simulated from that fit (``fit.simulate``, new participants). If the
model is right, the real panel hides among them; if the real data have outliers, a hidden
mixture of two kinds of participants or unequal variances, it stands out. The learner picks the
real panel and names what is wrong. The reveal fits the better model beside the shown one.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

import lmm_core
import simulators

from ..base import (
    Option,
    Question,
    Round,
    Score,
    check_difficulty,
    check_seed,
    frame_to_dict,
    sub_seed,
)
from .reveal import MODEL, build_reveal, marked_data

__all__ = ["make_round", "score", "PROBLEMS", "MODEL"]

PROBLEMS = {
    "outliers": "A few extreme values (outliers)",
    "mixture": "A hidden mixture: two kinds of participants with different typical values",
    "unequal_variances": "Unequal variances: some participants or sites spread far more",
    "nothing": "Nothing: the model describes these data well",
}
SCENARIO = {"outliers": "outliers", "mixture": "mixture",
            "unequal_variances": "heterogeneous_variance", "nothing": "two_condition"}
PANEL_POINTS, PROBLEM_POINTS = 40, 60

# How many panels and how strong each problem is, per difficulty.
LEVELS = {
    "gentle": {"panels": 6, "size": 8.0, "n_outliers": 2, "group_difference": 30.0,
               "sd_ratio": 12.0},
    "normal": {"panels": 9, "size": 6.0, "n_outliers": 2, "group_difference": 22.0,
               "sd_ratio": 8.0},
    "tricky": {"panels": 12, "size": 4.5, "n_outliers": 1, "group_difference": 15.0,
               "sd_ratio": 5.0},
}


def make_round(seed: int, difficulty: str = "normal") -> Round:
    """A lineup round, fixed by (seed, difficulty)."""
    seed, level = check_seed(seed), LEVELS[check_difficulty(difficulty)]
    rng = sub_seed(seed, 0)
    problem = str(rng.choice(list(PROBLEMS)))
    scenario = simulators.generate(SCENARIO[problem], seed=int(rng.integers(2**31)),
                                   **_scenario_params(problem, level, rng))
    fit = lmm_core.lmer(MODEL, scenario.data)
    position = int(rng.integers(level["panels"]))
    panels = _panels(scenario.data, fit, level["panels"], position, rng)
    reveal = build_reveal(problem, scenario, fit)
    n = scenario.data["participant"].nunique()
    return Round(
        game="lineup",
        seed=seed,
        difficulty=difficulty,
        prompt=_prompt(level["panels"], n, len(scenario.data) // n),
        questions=(
            Question("panel", "Which panel shows the real data?",
                     options=tuple(Option(str(i + 1), f"Panel {i + 1}")
                                   for i in range(level["panels"]))),
            Question("problem", f"What is wrong with the model `{MODEL}` for the real data?",
                     options=tuple(Option(k, v) for k, v in PROBLEMS.items())),
        ),
        solution={"panel": str(position + 1), "problem": problem},
        reveal=reveal,
        data=panels,
        context={"n_panels": level["panels"], "real_panel": position + 1,
                 "problem": problem, "scenario": scenario.name,
                 "real": frame_to_dict(marked_data(problem, scenario))},
    )


def _scenario_params(problem: str, level: dict, rng) -> dict:
    if problem == "outliers":
        kind = str(rng.choice(["observations", "participants"]))
        return {"kind": kind, "n_outliers": level["n_outliers"], "size": level["size"]}
    if problem == "mixture":
        sign = float(rng.choice([-1.0, 1.0]))
        return {"group_difference": sign * level["group_difference"],
                "share_high": float(rng.choice([0.3, 0.5, 0.7]))}
    if problem == "unequal_variances":
        return {"component": str(rng.choice(["intercepts", "residuals"])), "n_sites": 2,
                "n_per_site": 12, "n_trials": 2, "sd_ratio": level["sd_ratio"]}
    return {}


def _panels(data: pd.DataFrame, fit, n_panels: int, position: int, rng) -> pd.DataFrame:
    """The real data in panel ``position + 1``, new data from the fitted model elsewhere.

    Simulated values are rounded like the real ones, so that no table gives the real one away.
    """
    sims = np.round(np.asarray(fit.simulate(n_panels - 1, rng=rng)), 2) + 0.0
    columns = ["participant", "condition"]
    frames, k = [], 0
    for i in range(n_panels):
        if i == position:
            values = data["value"].to_numpy(dtype=float)
        else:
            values, k = sims[:, k], k + 1
        frames.append(data[columns].assign(value=values, panel=i + 1))
    return pd.concat(frames, ignore_index=True)[["panel", *columns, "value"]]


def _prompt(n_panels: int, n: int, per_person: int) -> str:
    return (
        f"Each panel shows a study of {n} participants, each measured {per_person} times "
        "(in a control and a treatment condition); the lines join a participant's control "
        "and treatment averages.\n\n"
        f"**One panel is real.** The other {n_panels - 1} are fake: simulated from the mixed "
        f"model `{MODEL}` fitted to the real data. They show what data look like *if the "
        "model were exactly right*. If the real panel stands out, the model misses something. "
        "Find it, then say what the model misses."
    )


def score(round: Round, answer: Mapping) -> Score:  # noqa: A002
    """60 points for naming the problem, 40 for the real panel (given free when the model is
    right: then the real panel cannot stand out, which is the lesson)."""
    problem, right = answer.get("problem"), round.solution["problem"]
    panel, real = str(answer.get("panel")), round.solution["panel"]
    if problem not in PROBLEMS:
        return Score(0, False, "Say what is wrong with the model (or that nothing is).",
                     "no_answer")
    found = panel == real
    panel_points = PANEL_POINTS if found or right == "nothing" else 0
    problem_points = PROBLEM_POINTS if problem == right else 0
    points = panel_points + problem_points
    parts = [_panel_words(found, real, right), _problem_words(problem, right)]
    code = _misconception(problem, right, found)
    return Score(points, points == 100, " ".join(parts), code)


def _panel_words(found: bool, real: str, right: str) -> str:
    if right == "nothing":
        return (f"The real data were panel {real}. The model fits them, so the real panel "
                "looks like the simulated ones: not finding it is expected"
                + (" (you did, by luck or a sharp eye)." if found else "."))
    return (f"Yes, panel {real} is the real one." if found
            else f"The real data were panel {real}, not the one you picked.")


def _problem_words(problem: str, right: str) -> str:
    if problem == right:
        return ("And right: nothing is wrong with this model." if right == "nothing"
                else f"And right, the problem is: {PROBLEMS[right].lower()}.")
    if right == "nothing":
        return ("But nothing was wrong: the data were simulated from this very model. "
                "Real data always look a bit odd; look for a difference the fakes never show.")
    return f"The problem was not '{PROBLEMS[problem].lower()}' but: {PROBLEMS[right].lower()}."


def _misconception(problem: str, right: str, found: bool) -> str | None:
    if problem == right:
        return None if found or right == "nothing" else "picked_simulated_panel"
    if right == "nothing":
        return "saw_problem_in_good_fit"
    if problem == "nothing":
        return f"missed_{right}"
    return f"confused_{right}_with_{problem}"
