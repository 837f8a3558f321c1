"""Be the BLUP: place a participant's partial-pooling line between their own and everyone's.

A round is a sleepstudy-like dataset (``simulators`` "sleep": reaction time over days of sleep
deprivation, a few participants who dropped out early). ``lmm_core.pooling`` fits the three
kinds of pooling: one line for everybody (complete), one line per participant (no pooling) and
the mixed model ``reaction ~ days + (days | subject)`` (partial pooling). For a few highlighted
participants the learner guesses the partial-pooling intercept and slope, knowing the
participant's own (no-pooling) line and the population line. Scored by distance, in bands.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

import simulators
from lmm_core.pooling import pooling

from ..base import (
    Question,
    Round,
    Score,
    band_points,
    check_difficulty,
    check_seed,
    sub_seed,
)
from .reveal import build_reveal, coefficient_sds

__all__ = ["make_round", "score", "PARAMS", "TIGHT", "WIDE"]

PARAMS = ("intercept", "slope")
UNITS = {"intercept": "ms", "slope": "ms/day"}
STEPS = {"intercept": 1.0, "slope": 0.1}
TIGHT, WIDE = 0.15, 0.35  # error as a share of the own-vs-population gap: full / half points

# Per difficulty: the study's size and which participants are highlighted ("days:k" is the
# participant who dropped out after k days; "extreme" the complete participant whose own line
# is furthest from the population's).
LEVELS = {
    "gentle": {"n_subjects": 18, "n_days": 10, "n_incomplete": 4, "pick": ("days:2",)},
    "normal": {"n_subjects": 18, "n_days": 10, "n_incomplete": 4,
               "pick": ("days:2", "extreme")},
    "tricky": {"n_subjects": 14, "n_days": 8, "n_incomplete": 4,
               "pick": ("days:2", "days:4", "extreme")},
}


def make_round(seed: int, difficulty: str = "normal") -> Round:
    """A pooling round, fixed by (seed, difficulty)."""
    seed, level = check_seed(seed), LEVELS[check_difficulty(difficulty)]
    rng = sub_seed(seed, 0)
    scenario = simulators.generate(
        "sleep", seed=int(rng.integers(2**31)), n_subjects=level["n_subjects"],
        n_days=level["n_days"], n_incomplete=level["n_incomplete"])
    data = scenario.data
    result = pooling(data, "reaction", "days", "subject")
    groups = result.groups
    sds = coefficient_sds(result.fit)
    chosen = _highlight(groups, level, scenario.truth, result.population, sds)
    targets = {s: _target(groups.loc[s], result.population, sds) for s in chosen}
    questions = tuple(q for s in chosen for q in _questions(s, targets[s]))
    solution = {f"{s}.{p}": float(groups.loc[s, f"partial_{p}"]) for s in chosen for p in PARAMS}
    return Round(
        game="pooling",
        seed=seed,
        difficulty=difficulty,
        prompt=_prompt(data, chosen, groups),
        questions=questions,
        solution=solution,
        reveal=build_reveal(result, chosen),
        data=data,
        context={"highlighted": list(chosen), "targets": targets,
                 "population": {p: float(v) for p, v in zip(PARAMS, result.population,
                                                            strict=True)}},
    )


def _highlight(groups, level: dict, truth: dict, population, sds: dict) -> list[str]:
    """The participants to guess, in the order the level lists them.

    Below "tricky", a participant whose model estimate lies outside the range from their own
    estimate to the population's (which the intercept-slope correlation can cause) is passed
    over for the next candidate, so that "set it between the two" always holds there.
    """
    by_days = {n: s for s, n in truth["incomplete_participants"].items()}
    sparse = [by_days[k] for k in sorted(by_days) if k >= 2]
    complete = groups[groups["n"] == groups["n"].max()]
    z = sum(((complete[f"no_pool_{p}"] - complete[f"no_pool_{p}"].mean())
             / complete[f"no_pool_{p}"].std()).abs() for p in PARAMS)
    extreme = [str(s) for s in z.sort_values(ascending=False).index]
    strict = level is not LEVELS["tricky"]
    out: list[str] = []
    for pick in level["pick"]:
        if pick == "extreme":
            candidates = extreme
        else:
            k = int(pick.split(":")[1])
            candidates = [by_days[k]] + [s for s in sparse if s != by_days[k]]
        candidates = [s for s in candidates if s not in out]
        good = [s for s in candidates
                if not strict or _between(groups.loc[s], population, sds)]
        out.append((good or candidates)[0])
    return out


def _between(row, population, sds: dict) -> bool:
    """The model's estimates lie between the own estimates and the population's, give or take
    the tight scoring band."""
    for p, pop in zip(PARAMS, population, strict=True):
        own, partial = row[f"no_pool_{p}"], row[f"partial_{p}"]
        if not np.isfinite(own):
            return False
        outside = max(min(own, pop) - partial, partial - max(own, pop), 0.0)
        if outside > TIGHT * scale_of(abs(own - pop), sds[p], p):
            return False
    return True


def scale_of(gap: float, sd: float, param: str) -> float:
    """What a guess's error is measured in: the own-vs-population gap, but at least half the
    model's SD of people (and 2 ms or 0.5 ms/day), so that a tiny gap asks no false precision."""
    return max(gap, 0.5 * sd, 2.0 if param == "intercept" else 0.5)


def _target(row, population, sds: dict) -> dict:
    """What the learner is given about one participant, and the scale errors are judged on."""
    out = {"n": int(row["n"])}
    for p, pop in zip(PARAMS, population, strict=True):
        own, partial = float(row[f"no_pool_{p}"]), float(row[f"partial_{p}"])
        gap = abs(own - pop)
        scale = scale_of(gap, sds[p], p)
        margin = max(0.35 * gap, 0.6 * sds[p], 10.0 if p == "intercept" else 2.0)
        lo, hi = min(own, pop, partial) - margin, max(own, pop, partial) + margin
        step = STEPS[p]
        out[p] = {"own": own, "population": float(pop), "scale": scale,
                  "low": math.floor(lo / (10 * step)) * 10 * step,
                  "high": math.ceil(hi / (10 * step)) * 10 * step}
    return out


def _questions(subject: str, target: dict) -> list[Question]:
    words = {"intercept": "intercept (reaction time on day 0, ms)",
             "slope": "slope (change per day of sleep deprivation, ms/day)"}
    return [
        Question(f"{subject}.{p}", f"{subject}: partial-pooling {words[p]}", kind="number",
                 low=target[p]["low"], high=target[p]["high"], step=STEPS[p], unit=UNITS[p],
                 help=f"Own line: {target[p]['own']:.1f} {UNITS[p]}; population: "
                      f"{target[p]['population']:.1f} {UNITS[p]}.")
        for p in PARAMS
    ]


def _prompt(data, chosen: list[str], groups) -> str:
    n_people = data["subject"].nunique()
    days = int(data["days"].max()) + 1
    who = ", ".join(f"**{s}** ({int(groups.loc[s, 'n'])} days of data)" for s in chosen)
    return (
        f"**The study.** {n_people} people had their reaction time measured on each of "
        f"{days} days of sleep deprivation; some dropped out early. The mixed model "
        "`reaction ~ days + (days | subject)` gives every person their own line, but pulls "
        "each line toward the population line: *partial pooling*.\n\n"
        f"**Your job.** For {who}, you see their own line (fitted to their data alone: "
        "*no pooling*) and the population line. Where does the mixed model put their "
        "intercept and slope? Set each number between the two, then check."
    )


def score(round: Round, answer: Mapping) -> Score:  # noqa: A002
    """Average of band points per number: full within 15% of the own-vs-population gap of the
    model's value, half within 35%."""
    targets, solution = round.context["targets"], round.solution
    errors, moved = {}, {}
    for key, right in solution.items():
        subject, param = key.split(".")
        guess = _number(answer.get(key))
        if guess is None:
            return Score(0, False, "Give a number for every intercept and slope.", "no_answer")
        target = targets[subject][param]
        errors[key] = abs(guess - right) / target["scale"]
        moved[key] = (_share(guess, target), _share(right, target))
    points = int(np.round(np.mean([band_points(e, TIGHT, WIDE) for e in errors.values()])))
    code = None if points == 100 else _misconception(moved, targets)
    return Score(points, points >= 75, _feedback(points, errors, code), code)


def _number(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _share(value: float, target: dict) -> float:
    """How far value moved from the own estimate toward the population: 0 own, 1 population."""
    gap = target["population"] - target["own"]
    return (value - target["own"]) / gap if abs(gap) > 1e-9 else 1.0


def _misconception(moved: dict, targets: dict) -> str:
    guesses = np.array([g for g, _ in moved.values()])
    truths = np.array([t for _, t in moved.values()])
    if np.all(np.abs(guesses) < 0.1) and np.any(truths > 0.25):
        return "chose_no_pooling"
    if np.all(np.abs(guesses - 1) < 0.1) and np.any(truths < 0.75):
        return "chose_complete_pooling"
    if np.any(guesses < -0.2):
        return "moved_away_from_population"
    if np.any(guesses > 1.2) and not np.any(truths > 1.1):
        return "overshot_population"
    if _ignored_sample_size(moved, targets):
        return "ignored_sample_size"
    return "misjudged_shrinkage"


def _ignored_sample_size(moved: dict, targets: dict) -> bool:
    """A participant with fewer days was pulled less than one with more days."""
    per = {}
    for key, (guess, _) in moved.items():
        per.setdefault(key.split(".")[0], []).append(guess)
    subjects = sorted(per, key=lambda s: targets[s]["n"])
    return any(np.mean(per[a]) < np.mean(per[b]) - 0.1 and targets[a]["n"] < targets[b]["n"]
               for a, b in zip(subjects, subjects[1:], strict=False))


FEEDBACK = {
    "chose_no_pooling": "You kept the participants' own lines (no pooling). The mixed model "
                        "does not trust a person's few points alone: it pulls them toward the "
                        "population line.",
    "chose_complete_pooling": "You put the participants on the population line (as if complete "
                              "pooling). The mixed model keeps part of what each person's data "
                              "say, more so the more data they have.",
    "moved_away_from_population": "Partial pooling moves estimates *toward* the population "
                                  "line, not away from it.",
    "overshot_population": "You went past the population line. Partial pooling stops between "
                           "the person's own line and the population line.",
    "ignored_sample_size": "You pulled the person with fewer days less than the person with "
                           "more days. Less data means the own line is less trustworthy, so "
                           "it is pulled *more*.",
    "misjudged_shrinkage": "The direction was right but the amount was off: compare your "
                           "numbers with the model's below.",
}


def _feedback(points: int, errors: dict, code: str | None) -> str:
    close = sum(e <= TIGHT for e in errors.values())
    head = f"{close} of your {len(errors)} numbers are close to the mixed model's."
    if code is None:
        return head + " You placed the lines the way partial pooling does."
    return f"{head} {FEEDBACK[code]}"
