"""The class's answers as data (pure): what a room full of guesses says, in statistics.

- A lineup's visual p-value (Buja et al. 2009; R's nullabor): if the real panel looked like the
  fakes, each student would pick it with probability 1/m, so the number who did is
  Binomial(N, 1/m) and P(X >= k) is a p-value for "the model is fine".
- Number answers: the class's guesses beside the model's value (and the truth, where the round
  knows it), and the class average as an estimate of its own (the "wisdom of the crowd": the
  average is usually closer than most single guesses).
- Intervals (lower and upper): how many of the class's intervals cover the estimate and the
  true value.
- The class as a mixed model (this project's own idea): ``points ~ 1 + (1 | player) +
  (1 | round)`` fitted to the class's own points, so the leaderboard itself shows partial
  pooling: how much of the spread in points is between students and how much between rounds,
  and how far each student's average shrinks toward the class's.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from scipy import stats

import lmm_core
from games.answers import finite_number
from games.base import Question, Round

from .models import AnswerRow, PlayerRow, RoundRow

__all__ = ["LineupVerdict", "lineup_verdict", "Guesses", "guesses", "Intervals", "intervals",
           "ClassModel", "class_model"]


@dataclass(frozen=True)
class LineupVerdict:
    n: int          # students who answered
    k: int          # picked the real panel
    panels: int     # m
    p_value: float  # P(X >= k), X ~ Binomial(n, 1/m)
    sentence: str


def lineup_verdict(round_: Round, answers: Sequence[AnswerRow]) -> LineupVerdict | None:
    """The class's visual p-value, for a round that asks which panel is real."""
    panels = round_.context.get("n_panels")
    if "panel" not in round_.solution or not panels or not answers:
        return None
    real = str(round_.solution["panel"])
    n = sum(1 for a in answers if "panel" in a.answer)
    k = sum(1 for a in answers if str(a.answer.get("panel")) == real)
    p = float(stats.binom.sf(k - 1, n, 1 / panels)) if n else 1.0
    strength = ("strong evidence" if p < 0.01 else "evidence" if p < 0.05
                else "no clear evidence")
    sentence = (f"If the real panel looked just like the fakes, each of the {n} of you would "
                f"pick it with chance 1 in {panels}; {k} or more picks would then happen with "
                f"probability {_p(p)}: {strength} that the real data differ from what the "
                "model produces.")
    return LineupVerdict(n, k, panels, p, sentence)


@dataclass(frozen=True)
class Guesses:
    question: Question
    values: tuple[float, ...]
    model: float | None        # the model's value (the round's solution)
    truth: float | None        # the simulated truth, where the round knows it
    mean: float
    median: float
    closer_than: float         # share of students whose guess was further from the model
    sentence: str


def guesses(round_: Round, answers: Sequence[AnswerRow]) -> tuple[Guesses, ...]:
    """The class's guesses for every number question, against the model and the truth."""
    out = []
    for q in round_.questions:
        if q.kind != "number":
            continue
        values = tuple(float(a.answer[q.id]) for a in answers if q.id in a.answer)
        if not values:
            continue
        model = finite_number(round_.solution.get(q.id))
        truth = finite_number(round_.reveal.numbers.get(f"truth_{q.id}"))
        mean, median = statistics.fmean(values), statistics.median(values)
        closer = (sum(abs(v - model) > abs(mean - model) for v in values) / len(values)
                  if model is not None else math.nan)
        out.append(Guesses(q, values, model, truth, mean, median, closer,
                           _guess_sentence(q, mean, model, closer, len(values))))
    return tuple(out)


def _guess_sentence(q: Question, mean: float, model: float | None, closer: float,
                    n: int) -> str:
    unit = f" {q.unit}" if q.unit else ""
    if model is None:
        return f"The class average of {n} guesses is {mean:.3g}{unit}."
    return (f"The class average, {mean:.3g}{unit}, is {abs(mean - model):.2g}{unit} from the "
            f"model's {model:.3g}{unit}: closer than {closer:.0%} of the {n} single guesses. "
            "Averaging many noisy guesses cancels much of their noise, as averaging many "
            "measurements does.")


@dataclass(frozen=True)
class Intervals:
    pairs: tuple[tuple[float, float], ...]
    reference: tuple[float, float]   # the model's interval (the round's solution)
    estimate: float | None
    truth: float | None
    cover_estimate: int
    cover_truth: int | None
    sentence: str


def intervals(round_: Round, answers: Sequence[AnswerRow]) -> Intervals | None:
    """For a round that asks for an interval (questions ``lower`` and ``upper``)."""
    if not {"lower", "upper"} <= set(round_.solution):
        return None
    pairs = tuple(sorted((float(a.answer["lower"]), float(a.answer["upper"])) for a in answers
                         if "lower" in a.answer and "upper" in a.answer))
    if not pairs:
        return None
    numbers = round_.reveal.numbers
    estimate, truth = finite_number(numbers.get("estimate")), finite_number(numbers.get("truth"))
    cover_est = sum(lo <= estimate <= hi for lo, hi in pairs) if estimate is not None else 0
    cover_truth = (sum(lo <= truth <= hi for lo, hi in pairs) if truth is not None else None)
    n = len(pairs)
    sentence = f"{cover_est} of your {n} intervals contain the model's estimate"
    if cover_truth is not None:
        sentence += (f", and {cover_truth} contain the true value ({truth:.3g}) the data were "
                     "simulated from. A 95% interval method should catch the truth in about "
                     "95% of studies")
    reference = (float(round_.solution["lower"]), float(round_.solution["upper"]))
    return Intervals(pairs, reference, estimate, truth, cover_est, cover_truth, sentence + ".")


@dataclass(frozen=True)
class ClassModel:
    """``points ~ 1 + (1 | player) + (1 | round)`` fitted to the class's own points."""

    sd_player: float
    sd_round: float
    sd_residual: float
    share_player: float   # of the total variance
    share_round: float
    table: pd.DataFrame   # nickname, rounds, raw mean, partial-pooling estimate
    sentence: str


def class_model(players: Sequence[PlayerRow], rounds: Sequence[RoundRow],
                answers: Sequence[AnswerRow]) -> ClassModel | None:
    """The class's points as a crossed mixed model; None with too few data to say anything."""
    names = {p.id: p.nickname for p in players if p.removed_at is None}
    position = {r.id: r.position for r in rounds}
    rows = [{"player": str(a.player_id), "round": str(position[a.round_id]),
             "points": float(a.points)} for a in answers if a.player_id in names]
    data = pd.DataFrame(rows, columns=["player", "round", "points"])
    if data["player"].nunique() < 3 or data["round"].nunique() < 2 or len(data) < 6 \
            or data["points"].nunique() < 2:
        return None
    try:
        fit = lmm_core.lmer("points ~ 1 + (1 | player) + (1 | round)", data)
    except lmm_core.LmmError:
        return None
    sd = fit.varcorr().set_index("grp")["sdcor"]
    var = sd**2
    total = float(var.sum())
    own = data.groupby("player")["points"].agg(["count", "mean"])
    pooled = fit.coef()["player"]["(Intercept)"]
    table = pd.DataFrame({
        "nickname": [names[int(pid)] for pid in own.index],
        "rounds": own["count"].to_numpy(),
        "own average": own["mean"].to_numpy(),
        "partial pooling": pooled.reindex(own.index).to_numpy(),
    }).sort_values("partial pooling", ascending=False, ignore_index=True)
    share_player = float(var["player"]) / total if total else 0.0
    share_round = float(var["round"]) / total if total else 0.0
    sentence = (f"{share_player:.0%} of the variation in points lies between students and "
                f"{share_round:.0%} between rounds (some rounds were harder); the rest is "
                "round-to-round luck. So each student's own average is pulled toward the "
                "class's, most for students with few rounds: the same partial pooling as in "
                "the 'Be the BLUP' game.")
    return ClassModel(float(sd["player"]), float(sd["round"]), float(sd["Residual"]),
                      share_player, share_round, table, sentence)




def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"
