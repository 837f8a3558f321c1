"""Spot the real data: a lineup of one real panel among panels simulated from the fitted model.

The model ``value ~ 1 + condition + (1 | participant)`` is fitted to one scenario's data; the
other panels are new data simulated from that fit (``fit.simulate``, new participants). If the
model is right, the real panel hides among them; if the real data have outliers, a hidden
mixture of two kinds of participants or unequal variances, it stands out. The learner picks the
real panel and names what is wrong. The reveal fits the better model beside the shown one.

Difficulty is calibrated by measurement (:mod:`games.lineup.signal`): the real panel's p-value
among 999 panels simulated from the fit, on statistics of what the eye sees. Each level has a
band of it (gentle: beyond every simulated panel; normal: beaten by 1 to 5 of 999; tricky: by 5
to 20), and make_round turns the problem's strength up or down on the round's simulated
study (bisection) until the signal falls in the level's band.
"""

from __future__ import annotations

import math
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
from . import signal
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

# Per difficulty: how many panels, the band of the signal (the real panel's p-value among
# simulated panels) and where each problem's strength starts its search.
LEVELS = {
    "gentle": {"panels": 6, "band": (0.0, 0.001), "n_outliers": 2,
               "start": {"outliers": 8.0, "mixture": 40.0, "unequal_variances": 12.0}},
    "normal": {"panels": 9, "band": (0.001, 0.005), "n_outliers": 2,
               "start": {"outliers": 5.0, "mixture": 27.0, "unequal_variances": 7.0}},
    "tricky": {"panels": 12, "band": (0.005, 0.02), "n_outliers": 1,
               "start": {"outliers": 4.0, "mixture": 20.0, "unequal_variances": 5.0}},
}
# problem -> the scenario parameter that sets its strength, and its allowed range
STRENGTH = {"outliers": ("size", 3.0, 20.0), "mixture": ("group_difference", 6.0, 150.0),
            "unequal_variances": ("sd_ratio", 1.5, 50.0)}
STUDIES, STEPS = 3, 7  # simulated studies to try, and strengths to try on each


def make_round(seed: int, difficulty: str = "normal") -> Round:
    """A lineup round, fixed by (seed, difficulty)."""
    seed, level = check_seed(seed), LEVELS[check_difficulty(difficulty)]
    rng = sub_seed(seed, 0)
    problem = str(rng.choice(list(PROBLEMS)))
    scenario, fit, seen = _calibrated_study(seed, problem, level)
    position = int(rng.integers(level["panels"]))
    panels = _panels(scenario.data, fit, level["panels"], position, rng)
    reveal = build_reveal(problem, scenario, fit, seen)
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
                 "problem": problem, "scenario": scenario.name, "signal": seen,
                 "real": frame_to_dict(marked_data(problem, scenario))},
    )


def _calibrated_study(seed: int, problem: str, level: dict):
    """(scenario, fit, signal) whose signal lies in the level's band (see the module).

    The same simulated study (``sub_seed(seed, 1, k)``: the same people and noise) is made
    with the problem's strength turned up or down, by doubling or halving and then by
    bisection, until its signal falls in the band; a study that cannot get there within
    STEPS tries is replaced by the next one (k + 1). If none lands in the band, the closest
    try is kept (benchmarks/lineup_signal.py shows how rare that is).
    """
    if problem == "nothing":
        scenario = simulators.generate(SCENARIO[problem],
                                       seed=int(sub_seed(seed, 1, 0).integers(2**31)))
        return scenario, lmm_core.lmer(MODEL, scenario.data), None
    lo, hi = level["band"]
    best, tries = None, 0
    for study in range(STUDIES):
        rng = sub_seed(seed, 1, study)
        params = _scenario_params(problem, level, rng)
        sign = float(rng.choice([-1.0, 1.0])) if problem == "mixture" else 1.0
        data_seed, strengths = int(rng.integers(2**31)), _Bracket(level["start"][problem],
                                                                  *STRENGTH[problem][1:])
        for _ in range(STEPS):
            strength = strengths.next()
            scenario = simulators.generate(
                SCENARIO[problem], seed=data_seed,
                **params | {STRENGTH[problem][0]: sign * round(strength, 2)})
            fit = lmm_core.lmer(MODEL, scenario.data)
            seen = signal.signal(problem, scenario.data, fit, sub_seed(seed, 2, study))
            miss = (0.0 if lo < seen.p <= hi else math.log(seen.p / hi) if seen.p > hi
                    else 1e-3 + math.log(max(lo, 1e-4) / seen.p))
            if best is None or miss < best[0]:
                best = (miss, scenario, fit, seen, tries)
            tries += 1
            if miss == 0.0:
                return _result(problem, *best[1:])
            strengths.learn(too_weak=seen.p > hi)
    return _result(problem, *best[1:])


class _Bracket:
    """The strength to try next: double (or halve) until the band is bracketed, then bisect
    (geometrically), within the strength's allowed range."""

    def __init__(self, start: float, low: float, high: float):
        self.value, self.low, self.high = start, low, high
        self.weak, self.strong = None, None  # strongest too weak, weakest too strong so far

    def next(self) -> float:
        return self.value

    def learn(self, too_weak: bool) -> None:
        if too_weak:
            self.weak = self.value
        else:
            self.strong = self.value
        if self.weak is not None and self.strong is not None:
            self.value = math.sqrt(self.weak * self.strong)
        else:
            self.value = self.value * (2.0 if too_weak else 0.5)
        self.value = min(max(self.value, self.low), self.high)


def _result(problem: str, scenario, fit, seen, tries: int):
    name = STRENGTH[problem][0]
    return scenario, fit, {"p": seen.p, "z": seen.z,
                           "statistic": signal.STATISTIC_WORDS[problem],
                           "strength": {name: float(scenario.params[name])},
                           "attempt": tries}


def _scenario_params(problem: str, level: dict, rng) -> dict:
    if problem == "outliers":
        kind = str(rng.choice(["observations", "participants"]))
        return {"kind": kind, "n_outliers": level["n_outliers"]}
    if problem == "mixture":
        return {"share_high": float(rng.choice([0.3, 0.5, 0.7]))}
    if problem == "unequal_variances":
        return {"component": str(rng.choice(["intercepts", "residuals"])), "n_sites": 2,
                "n_per_site": 12, "n_trials": 2}
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
