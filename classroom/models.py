"""Frozen records of a class game as read from the store (pure values for views and pages)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["GameRow", "RoundRow", "PlayerRow", "AnswerRow", "PollRow", "Created", "Joined",
           "Receipt", "Snapshot"]


@dataclass(frozen=True)
class GameRow:
    id: int
    code: str
    title: str
    phase: str
    round_index: int | None
    version: int
    speed_bonus: bool
    countdown: int | None
    created_at: datetime
    changed_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class RoundRow:
    id: int
    position: int
    game: str
    seed: int
    difficulty: str
    opened_at: datetime | None
    closes_at: datetime | None
    locked_at: datetime | None
    revealed_at: datetime | None


@dataclass(frozen=True)
class PlayerRow:
    id: int
    nickname: str
    joined_at: datetime
    removed_at: datetime | None


@dataclass(frozen=True)
class AnswerRow:
    player_id: int
    round_id: int
    answer: Mapping[str, Any]
    points: int
    correct: bool
    misconception: str | None
    feedback: str
    answered_at: datetime
    seconds: float


@dataclass(frozen=True)
class PollRow:
    player_id: int
    pace: str | None
    happiness: int | None
    comment: str | None
    answered_at: datetime


@dataclass(frozen=True)
class Created:
    """A new class game: its join code and the host key (shown once, kept in the host link)."""

    game_id: int
    code: str
    host_key: str


@dataclass(frozen=True)
class Joined:
    """A player in a game: the token goes into the phone's link and nowhere else."""

    player_id: int
    nickname: str
    token: str


@dataclass(frozen=True)
class Receipt:
    """An answer stored (``already``: it had been stored before, by an earlier tap)."""

    already: bool
    answer: Mapping[str, str]


@dataclass(frozen=True)
class Snapshot:
    """Everything about one game at one moment, read in one transaction."""

    game: GameRow
    rounds: tuple[RoundRow, ...]
    players: tuple[PlayerRow, ...]
    answers: tuple[AnswerRow, ...]
    poll: tuple[PollRow, ...]

    @property
    def current(self) -> RoundRow | None:
        i = self.game.round_index
        return self.rounds[i] if i is not None and 0 <= i < len(self.rounds) else None

    @property
    def active_players(self) -> tuple[PlayerRow, ...]:
        return tuple(p for p in self.players if p.removed_at is None)

    def answers_to(self, round_id: int) -> tuple[AnswerRow, ...]:
        present = {p.id for p in self.active_players}
        return tuple(a for a in self.answers if a.round_id == round_id and a.player_id in present)
