"""Be the BLUP: guess where the mixed model puts a participant's line (partial pooling).

A round is a sleepstudy-like dataset (``simulators`` "sleep": reaction time over days of sleep
deprivation, a few participants who dropped out early). ``lmm_core.pooling`` fits the three
kinds of pooling: one line for everybody (complete), one line per participant (no pooling) and
the mixed model ``reaction ~ days + (days | subject)`` (partial pooling). For a few highlighted
participants the learner moves the intercept and slope from the participant's own (no-pooling)
line to where they think the mixed model puts them, knowing the population line.

Scored per person by how much of the way from their own line to the model's line the guessed
line covered (:func:`covered`), with the distance between two lines measured as the root mean
square gap between them over the study's days (:func:`line_distance`). So intercept and slope
count as much as they move the line, leaving the own line earns nothing, and full points go to
a line within 15% of that distance. Intercept and slope are estimated together, so one of them
can move a little *away* from the population (correlated random effects, a line that pivots on
the person's data); the instructions and the reveal say so, and no number is required to lie
"between" the own and the population value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

import simulators
from lmm_core.pooling import pooling

from ..answers import finite_number
from ..base import (
    Question,
    Round,
    Score,
    check_difficulty,
    check_seed,
    sub_seed,
)
from .reveal import build_reveal, coefficient_sds

__all__ = ["make_round", "score", "covered", "line_distance", "person_points", "PARAMS", "TIGHT",
           "CORRECT"]

PARAMS = ("intercept", "slope")
UNITS = {"intercept": "ms", "slope": "ms/day"}
STEPS = {"intercept": 1.0, "slope": 0.1}
TIGHT = 0.15  # full points within this share of the own-to-model distance
FLOOR = 0.2  # the smallest distance judged against, as a share of the residual SD
CORRECT = 75  # points for a "correct" round

# Per difficulty: the study's size and which participants are highlighted ("days:k" is the
# participant who dropped out after k days; "moved" the complete participant whom the model
# moves furthest from their own line).
LEVELS = {
    "gentle": {"n_subjects": 18, "n_days": 10, "n_incomplete": 4, "pick": ("days:2",)},
    "normal": {"n_subjects": 18, "n_days": 10, "n_incomplete": 4,
               "pick": ("days:2", "moved")},
    "tricky": {"n_subjects": 14, "n_days": 8, "n_incomplete": 4,
               "pick": ("days:2", "days:4", "moved")},
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
    chosen = _highlight(groups, level, scenario.truth, result.population, sds,
                        strict=difficulty == "gentle")
    targets = {s: _target(groups.loc[s], result.population, sds) for s in chosen}
    questions = tuple(q for s in chosen for q in _questions(s, targets[s]))
    solution = {f"{s}.{p}": float(groups.loc[s, f"partial_{p}"]) for s in chosen for p in PARAMS}
    return Round(
        game="pooling",
        seed=seed,
        difficulty=difficulty,
        prompt=_prompt(data, chosen, groups, strict=difficulty == "gentle"),
        questions=questions,
        solution=solution,
        reveal=build_reveal(result, chosen, data),
        data=data,
        context={"highlighted": list(chosen), "targets": targets,
                 "max_day": int(data["days"].max()),
                 "population": {p: float(v) for p, v in zip(PARAMS, result.population,
                                                            strict=True)}},
    )


def _highlight(groups, level: dict, truth: dict, population, sds: dict,
               strict: bool) -> list[str]:
    """The participants to guess, in the order the level lists them.

    "moved" is the complete participant whose line the model moves furthest (in SDs of
    people), so that leaving their own line is clearly wrong. When ``strict`` (gentle), a
    participant with a number the model moves away from the population (which correlated
    random effects can cause) is passed over for the next candidate, so that the gentle
    rounds keep to the simple picture: every number moves toward the population.
    """
    by_days = {n: s for s, n in truth["incomplete_participants"].items()}
    sparse = [by_days[k] for k in sorted(by_days) if k >= 2]
    complete = groups[groups["n"] == groups["n"].max()]
    moved = sum((complete[f"partial_{p}"] - complete[f"no_pool_{p}"]).abs() / sds[p]
                for p in PARAMS)
    furthest = [str(s) for s in moved.sort_values(ascending=False).index]
    out: list[str] = []
    for pick in level["pick"]:
        if pick == "moved":
            candidates = furthest
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
        if outside > TIGHT * max(abs(own - partial), 0.5 * sds[p]):
            return False
    return True


def _target(row, population, sds: dict) -> dict:
    """What the learner is given about one participant: own and population values, the
    answer box's range, and the smallest distance a guess is judged against (a fifth of the
    residual SD, so that a line the model barely moves asks no false precision)."""
    out = {"n": int(row["n"]), "floor": FLOOR * sds["residual"]}
    for p, pop in zip(PARAMS, population, strict=True):
        own, partial = float(row[f"no_pool_{p}"]), float(row[f"partial_{p}"])
        gap = abs(own - pop)
        margin = max(0.35 * gap, 0.6 * sds[p], 10.0 if p == "intercept" else 2.0)
        lo, hi = min(own, pop, partial) - margin, max(own, pop, partial) + margin
        step = STEPS[p]
        out[p] = {"own": own, "population": float(pop),
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


def _prompt(data, chosen: list[str], groups, strict: bool) -> str:
    n_people = data["subject"].nunique()
    days = int(data["days"].max()) + 1
    who = ", ".join(f"**{s}** ({int(groups.loc[s, 'n'])} days of data)" for s in chosen)
    how = ("Move each number from the own line toward the population's as far as you think "
           "the model does." if strict else
           "Move each number from the own line to where you think the model puts it: usually "
           "toward the population, but intercept and slope are estimated together, so when "
           "one is pulled a long way the other can shift a little the other way.")
    return (
        f"**The study.** {n_people} people had their reaction time measured on each of "
        f"{days} days of sleep deprivation; some dropped out early. The mixed model "
        "`reaction ~ days + (days | subject)` gives every person their own line, but pulls "
        "each line toward the population line: *partial pooling*.\n\n"
        f"**Your job.** For {who}, you see their own line (fitted to their data alone: "
        "*no pooling*) and the population line. Where does the mixed model put their "
        f"intercept and slope? The boxes start at the own line. {how} Points: the share of "
        "the way from the own line to the model's line that your line covers."
    )


def line_distance(a: tuple[float, float], b: tuple[float, float], max_day: float) -> float:
    """The root mean square vertical gap between lines a and b, (intercept, slope), over the
    days 0 to max_day: how far apart they look in the picture, in ms."""
    da, db = a[0] - b[0], a[1] - b[1]
    return math.sqrt(max(da * da + da * db * max_day + db * db * max_day**2 / 3, 0.0))


def covered(guess, own, right, max_day: float, floor: float) -> float:
    """The share of the way from the ``own`` line to the ``right`` line that the ``guess``
    line covered: 1 on the model's line, 0 on the own line (or as far off on any side),
    negative beyond. The distance is at least ``floor`` ms."""
    reach = max(line_distance(own, right, max_day), floor)
    return 1.0 - line_distance(guess, right, max_day) / reach


def person_points(share: float) -> float:
    """0-100 for one person's line: full within TIGHT of the distance, else in proportion."""
    return 100.0 * min(max(share / (1.0 - TIGHT), 0.0), 1.0)


def score(round: Round, answer: Mapping) -> Score:  # noqa: A002
    """The average of every person's points (see :func:`covered`, :func:`person_points`)."""
    targets, solution = round.context["targets"], round.solution
    max_day = float(round.context["max_day"])
    guesses = {key: finite_number(answer.get(key)) for key in solution}
    if any(g is None for g in guesses.values()):
        return Score(0, False, "Give a number for every intercept and slope.", "no_answer")
    shares, near, moved = {}, {}, {}
    for subject in round.context["highlighted"]:
        t = targets[subject]
        line = {name: tuple(t[p][name] for p in PARAMS) for name in ("own", "population")}
        line["right"] = tuple(solution[f"{subject}.{p}"] for p in PARAMS)
        guess = tuple(guesses[f"{subject}.{p}"] for p in PARAMS)
        shares[subject] = covered(guess, line["own"], line["right"], max_day, t["floor"])
        near[subject] = {name: line_distance(guess, v, max_day) <= t["floor"]
                         + 0.1 * line_distance(line["own"], v, max_day)
                         for name, v in line.items()}
        for p in PARAMS:
            key = f"{subject}.{p}"
            moved[key] = (_share(guesses[key], t[p]), _share(solution[key], t[p]))
    points = int(np.round(np.mean([person_points(s) for s in shares.values()])))
    code = None if points == 100 else _misconception(moved, targets, shares, near)
    return Score(points, points >= CORRECT, _feedback(shares, code), code)




def _share(value: float, target: dict) -> float:
    """How far value moved from the own estimate toward the population: 0 own, 1 population."""
    gap = target["population"] - target["own"]
    return (value - target["own"]) / gap if abs(gap) > 1e-9 else 1.0


def _misconception(moved: dict, targets: dict, shares: dict, near: dict) -> str:
    """The pattern behind an answer that lost points: every line left on the own line or put
    on the population line, else the numbers' shares of the way own -> population."""
    if all(n["own"] for n in near.values()):
        return "chose_no_pooling"
    if all(n["population"] for n in near.values()) and not all(
            n["right"] for n in near.values()):
        return "chose_complete_pooling"
    guesses = np.array([g for g, _ in moved.values()])
    truths = np.array([t for _, t in moved.values()])
    missed = np.array([shares[k.split(".")[0]] < 1.0 - TIGHT for k in moved])
    if np.any(missed & (guesses < np.minimum(truths, 0.0) - 0.2)):
        return "moved_away_from_population"
    if np.any(missed & (guesses > np.maximum(truths, 1.0) + 0.2)):
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
    "moved_away_from_population": "You moved a number away from the population further than "
                                  "the model does. Partial pooling pulls toward the population "
                                  "line; only a small shift the other way can come from "
                                  "intercept and slope being estimated together.",
    "overshot_population": "You went past the population line. Partial pooling stops short "
                           "of it: each person keeps part of what their own data say.",
    "ignored_sample_size": "You pulled the person with fewer days less than the person with "
                           "more days. Less data means the own line is less trustworthy, so "
                           "it is pulled *more*.",
    "misjudged_shrinkage": "The direction was right but the amount was off: compare your "
                           "numbers with the model's below.",
}


def _feedback(shares: dict, code: str | None) -> str:
    head = ("Of the way from each person's own line to the mixed model's line, your line "
            "covered " + "; ".join(f"{max(0.0, 100 * v):.0f}% for {s}"
                                   for s, v in shares.items()) + ".")
    if code is None:
        return head + " You placed the lines the way partial pooling does."
    return f"{head} {FEEDBACK[code]}"
