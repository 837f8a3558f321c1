"""The Game protocol and GameSpec: what the registry, pages, class games and homework rely on.

``GameSpec.score`` validates an answer against the round's questions (games.answers) before the
game's own scoring sees it, so no caller can hand a game an answer of the wrong shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .answers import validate_answer
from .base import DIFFICULTIES, Round, Score

__all__ = ["Game", "GameSpec"]


class Game(Protocol):
    """What the registry, pages, class mode and homework rely on."""

    id: str
    title: str
    topic: str
    summary: str
    difficulties: tuple[str, ...]

    def make_round(self, seed: int, difficulty: str = "normal") -> Round: ...

    def score(self, round: Round, answer: Mapping[str, Any]) -> Score: ...  # noqa: A002


@dataclass(frozen=True)
class GameSpec:
    """A Game built from a logic module's two functions (what each game package exports)."""

    id: str
    title: str
    topic: str
    summary: str
    make_round_fn: Callable[[int, str], Round] = field(repr=False)
    score_fn: Callable[[Round, Mapping], Score] = field(repr=False)
    difficulties: tuple[str, ...] = DIFFICULTIES

    def make_round(self, seed: int, difficulty: str = "normal") -> Round:
        return self.make_round_fn(seed, difficulty)

    def score(self, round: Round, answer: Any) -> Score:  # noqa: A002
        """The game's verdict on a validated answer; InvalidAnswer (a ValueError) if the answer
        does not fit the round's questions."""
        return self.score_fn(round, validate_answer(round, answer))
