"""Points, the optional speed bonus, and the leaderboard (pure).

Points per round are the game's own ``score()`` (0-100), exactly as in practice. The speed bonus
is off by default (this is teaching: closeness and reasoning count, not reflexes); when on, a
right answer earns up to ``BONUS`` more, falling linearly to zero over the round's countdown
(or ``BONUS_WINDOW`` seconds without one). Ties share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import AnswerRow, PlayerRow

__all__ = ["BONUS", "BONUS_WINDOW", "speed_bonus", "Standing", "leaderboard", "TOP"]

BONUS = 20
BONUS_WINDOW = 30.0
TOP = 10


def speed_bonus(answer: AnswerRow, window: float | None) -> int:
    """Extra points for a right answer given early (0 for a wrong or partly right one)."""
    if not answer.correct:
        return 0
    window = window or BONUS_WINDOW
    return round(BONUS * max(0.0, 1.0 - answer.seconds / window))


@dataclass(frozen=True)
class Standing:
    player_id: int
    nickname: str
    points: int
    rounds: int
    right: int
    rank: int


def leaderboard(players: Iterable[PlayerRow], answers: Iterable[AnswerRow], *,
                bonus: bool = False, window: float | None = None) -> tuple[Standing, ...]:
    """Every present player's total, best first; players who answered nothing score 0."""
    present = {p.id: p for p in players if p.removed_at is None}
    totals = {pid: [0, 0, 0] for pid in present}
    for a in answers:
        if a.player_id in totals:
            total = totals[a.player_id]
            total[0] += a.points + (speed_bonus(a, window) if bonus else 0)
            total[1] += 1
            total[2] += bool(a.correct)
    order = sorted(totals, key=lambda pid: (-totals[pid][0], present[pid].nickname.casefold(),
                                            pid))
    out, rank, last = [], 0, None
    for i, pid in enumerate(order, start=1):
        points, rounds, right = totals[pid]
        if points != last:
            rank, last = i, points
        out.append(Standing(pid, present[pid].nickname, points, rounds, right, rank))
    return tuple(out)
