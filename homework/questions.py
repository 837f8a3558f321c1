"""A round's questions seen from outside the game: its right answer, a wrong one, and each
number's tolerance, all found through the game's own ``score()`` (pure).

The games keep their tolerance bands inside ``score()``, so the exports measure them: a
number question's tolerance is the largest distance from the solution that still earns full
marks (bisection, other answers held at the solution), and its partial band the largest that
still earns some points. That is what Moodle's numerical questions and the printed solutions
show, and it follows each round's own scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from games import GAMES
from games.answers import InvalidAnswer
from games.base import Question, Round

__all__ = ["right_answer", "wrong_answer", "Tolerance", "tolerance", "tolerances"]


def right_answer(round_: Round) -> dict:
    """The round's own solution, as an answer to every question."""
    return {q.id: round_.solution[q.id] for q in round_.questions}


def wrong_answer(round_: Round) -> dict:
    """An answer that is wrong on every question (what a guessing student might send) and
    that the game can still score: numbers move most of the way to one end of their range,
    together, so that an interval's ends keep their order."""
    others = {q.id: _wrong_value(q, round_.solution[q.id]) for q in round_.questions}
    numbers = [q for q in round_.questions if q.kind == "number"]
    for direction in (1, -1):
        answer = others | {q.id: _moved(q, float(round_.solution[q.id]), direction)
                           for q in numbers}
        try:
            GAMES[round_.game].score(round_, answer)
        except InvalidAnswer:
            continue
        return answer
    return others


def _moved(q: Question, right: float, direction: int) -> float:
    end = q.high if direction > 0 else q.low
    room = abs(end - right) if end is not None else 10 * (abs(right) + 1)
    return right + direction * 0.9 * room


def _wrong_value(q: Question, right):
    if q.kind == "choice":
        return next(o.value for o in q.options if o.value != right)
    if q.kind == "number":
        low = q.low if q.low is not None else right - 10 * (abs(right) + 1)
        high = q.high if q.high is not None else right + 10 * (abs(right) + 1)
        return low if abs(low - right) >= abs(high - right) else high
    text = str(right)
    return text.split("~")[0].strip() + " ~ 1" if "~" in text else "none of these"


@dataclass(frozen=True)
class Tolerance:
    """Full marks within ``full`` of the solution; some points within ``partial`` (or None)."""

    full: float
    partial: float | None
    partial_points: int | None


def tolerances(round_: Round) -> dict[str, Tolerance]:
    return {q.id: tolerance(round_, q.id) for q in round_.questions if q.kind == "number"}


def tolerance(round_: Round, question_id: str, steps: int = 30) -> Tolerance:
    q = round_.question(question_id)
    game = GAMES[round_.game]
    base = right_answer(round_)
    right = float(base[question_id])
    span = _span(q, right)

    def points(distance: float) -> int:
        """The fewest points over both sides (a symmetric tolerance must hold on both)."""
        got = [_points(game, round_, base | {question_id: value})
               for value in (right - distance, right + distance)
               if (q.low is None or value >= q.low) and (q.high is None or value <= q.high)]
        return min(got) if got else 0

    full = _bisect(lambda d: points(d) >= 100, span, steps)
    partial = _bisect(lambda d: points(d) > 0, span, steps)
    if partial <= full * (1 + 1e-6):
        return Tolerance(full, None, None)
    return Tolerance(full, partial, points((full + partial) / 2))


def _points(game, round_: Round, answer: dict) -> int:
    """The points of an answer; none for one the game refuses (an interval turned around)."""
    try:
        return game.score(round_, answer).points
    except InvalidAnswer:
        return 0


def _span(q: Question, right: float) -> float:
    ends = [abs(v - right) for v in (q.low, q.high) if v is not None]
    return max(ends) if ends else 10 * (abs(right) + 1)


def _bisect(holds, span: float, steps: int) -> float:
    """The largest distance in [0, span] for which ``holds`` (assumed monotone), rounded
    down to 3 significant digits so the exported number is never more generous (a boundary
    at exactly 2.0 exports as 1.99: an LMS's own rounding at the edge cannot give 100)."""
    if not holds(0.0):
        return 0.0
    if holds(span):
        return span
    lo, hi = 0.0, span
    for _ in range(steps):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if holds(mid) else (lo, mid)
        if hi - lo <= lo * 1e-4:  # the 3 digits kept below are settled: stop scoring
            break
    if lo == 0:
        return 0.0
    digits = 2 - math.floor(math.log10(lo))
    return math.floor(lo * 10**digits) / 10**digits
