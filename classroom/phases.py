"""The host's state machine (pure): which phase follows which, and what each allows.

lobby -> question (round 1) -> locked -> reveal -> leaderboard -> question (round 2) -> ...
-> leaderboard of the last round -> poll -> summary. The host may also end the game early
(any phase before the poll -> poll). Phones only follow; the database holds the phase.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.classroom_tables import PHASES

from .errors import Conflict

__all__ = ["PHASES", "Step", "advance", "finish", "next_label", "accepts_answers", "can_join",
           "shows_points", "ENDED"]

ENDED = ("poll", "summary")


@dataclass(frozen=True)
class Step:
    phase: str
    round_index: int | None


def advance(phase: str, round_index: int | None, n_rounds: int) -> Step:
    """The phase after ``phase`` (the host's "next" button)."""
    if phase == "lobby":
        return Step("question", 0)
    if phase in ("question", "locked", "reveal"):
        order = ("question", "locked", "reveal", "leaderboard")
        return Step(order[order.index(phase) + 1], round_index)
    if phase == "leaderboard":
        if round_index is not None and round_index + 1 < n_rounds:
            return Step("question", round_index + 1)
        return Step("poll", round_index)
    if phase == "poll":
        return Step("summary", round_index)
    raise Conflict("The game is over: the summary is the last step.")


def finish(phase: str, round_index: int | None) -> Step:
    """End the game early: straight to the closing poll (answers of an open round stay)."""
    if phase in ENDED:
        raise Conflict("The game has already ended.")
    return Step("poll", round_index)


def next_label(phase: str, round_index: int | None, n_rounds: int) -> str:
    """The words on the host's "next" button."""
    if phase == "leaderboard":
        last = round_index is None or round_index + 1 >= n_rounds
        return "Closing poll" if last else f"Question {round_index + 2} of {n_rounds}"
    return {"lobby": "Start question 1", "question": "Lock answers", "locked": "Reveal",
            "reveal": "Leaderboard", "poll": "End the poll: summary"}.get(phase, "")


def accepts_answers(phase: str) -> bool:
    return phase == "question"


def can_join(phase: str) -> bool:
    """Players may join until the closing poll (late joiners play the rounds still to come)."""
    return phase not in ENDED


def shows_points(phase: str) -> bool:
    """Points and ranks are shown once a round is revealed (never before: no hints)."""
    return phase in ("reveal", "leaderboard", "poll", "summary")
