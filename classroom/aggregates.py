"""What the projector shows about the class's answers (pure): counts, spreads, misconceptions,
how each round went, and the closing poll."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from games.base import Question, Round
from store.classroom_tables import PACES

from .misconceptions import explain
from .models import AnswerRow, PollRow

__all__ = ["ChoiceCount", "Spread", "spreads", "Misconception", "misconceptions",
           "RoundResult", "round_result", "PollResult", "poll_result", "PACE_WORDS"]

PACE_WORDS = {"too_slow": "too slow", "right": "about right", "too_fast": "too fast"}
TOP_TEXTS = 8


@dataclass(frozen=True)
class ChoiceCount:
    value: str
    label: str
    count: int
    right: bool


@dataclass(frozen=True)
class Spread:
    """The class's answers to one question: counts per option, the numbers typed, or the most
    common texts; ``solution`` is the right value (only meant for after the reveal)."""

    question: Question
    answered: int
    choices: tuple[ChoiceCount, ...] = ()
    numbers: tuple[float, ...] = ()
    texts: tuple[tuple[str, int], ...] = ()
    solution: object = None


def spreads(round_: Round, answers: Sequence[AnswerRow]) -> tuple[Spread, ...]:
    out = []
    for q in round_.questions:
        given = [a.answer[q.id] for a in answers if q.id in a.answer]
        right = round_.solution.get(q.id)
        if q.kind == "choice":
            counts = Counter(str(v) for v in given)
            choices = tuple(ChoiceCount(o.value, o.label, counts.get(o.value, 0),
                                        o.value == right) for o in q.options)
            out.append(Spread(q, len(given), choices=choices, solution=right))
        elif q.kind == "number":
            out.append(Spread(q, len(given), numbers=tuple(float(v) for v in given),
                              solution=right))
        else:
            texts = Counter(" ".join(str(v).split()) for v in given).most_common(TOP_TEXTS)
            out.append(Spread(q, len(given), texts=tuple(texts), solution=right))
    return tuple(out)


@dataclass(frozen=True)
class Misconception:
    code: str
    count: int
    share: float  # of the answers to the round
    explanation: str


def misconceptions(answers: Sequence[AnswerRow]) -> tuple[Misconception, ...]:
    """The misconceptions the class fell for, most common first: what to re-teach."""
    counts = Counter(a.misconception for a in answers if a.misconception)
    n = max(len(answers), 1)
    return tuple(Misconception(code, k, k / n, explain(code))
                 for code, k in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True)
class RoundResult:
    answered: int
    right: int
    mean_points: float
    top_misconception: Misconception | None


def round_result(answers: Sequence[AnswerRow]) -> RoundResult:
    found = misconceptions(answers)
    mean = sum(a.points for a in answers) / len(answers) if answers else 0.0
    return RoundResult(len(answers), sum(bool(a.correct) for a in answers), mean,
                       found[0] if found else None)


@dataclass(frozen=True)
class PollResult:
    answered: int
    pace: tuple[tuple[str, int], ...]        # (words, count) in PACES order
    happiness: tuple[tuple[int, int], ...]   # (1..5, count)
    mean_happiness: float | None
    comments: tuple[str, ...]                # for the host only


def poll_result(rows: Iterable[PollRow]) -> PollResult:
    rows = list(rows)
    pace = Counter(r.pace for r in rows if r.pace)
    happy = [r.happiness for r in rows if r.happiness is not None]
    counts = Counter(happy)
    return PollResult(
        len(rows),
        tuple((PACE_WORDS[p], pace.get(p, 0)) for p in PACES),
        tuple((h, counts.get(h, 0)) for h in range(1, 6)),
        sum(happy) / len(happy) if happy else None,
        tuple(r.comment for r in rows if r.comment),
    )
