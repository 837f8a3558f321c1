"""The Game protocol and GameSpec: what the registry, pages, class games and homework rely on.

``GameSpec.score`` validates an answer against the round's questions (games.answers), then runs
the game's own check (``check_fn``, e.g. "does this typed formula parse?"), before the game's
scoring sees it, so no caller can hand a game an answer it cannot score.

A game whose reveal needs work too slow for ``make_round`` (a thousand bootstrap refits,
allFit) names it once as ``slow``: the round loop runs it after the answer, once per round for
every player (cached), under a progress bar, and pages read the result with
``games.ui.slow_result(round)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .answers import validate_answer
from .base import DIFFICULTIES, Round, Score

__all__ = ["Game", "GameSpec", "SlowReveal", "Progress"]

Progress = Callable[[int, int], None]  # progress(done, total)


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
class SlowReveal:
    """The slow part of a game's reveal: ``run(round, progress=...)`` -> a pure result (a
    function of the round alone), and the words on its progress bar."""

    run: Callable[..., Any] = field(repr=False)
    label: str

    def __call__(self, round_: Round, progress: Progress | None = None) -> Any:
        return self.run(round_, progress=progress)


@dataclass(frozen=True)
class GameSpec:
    """A Game built from a logic module's functions (what each game package exports).

    ``check_fn(round, answer)`` may raise games.answers.InvalidAnswer for an answer of the right
    shape that the game still cannot score (a formula that does not parse); ``slow`` is the
    optional slow reveal (see the module docstring).
    """

    id: str
    title: str
    topic: str
    summary: str
    make_round_fn: Callable[[int, str], Round] = field(repr=False)
    score_fn: Callable[[Round, Mapping], Score] = field(repr=False)
    difficulties: tuple[str, ...] = DIFFICULTIES
    check_fn: Callable[[Round, Mapping], None] | None = field(default=None, repr=False)
    slow: SlowReveal | None = None

    def make_round(self, seed: int, difficulty: str = "normal") -> Round:
        return self.make_round_fn(seed, difficulty)

    def score(self, round: Round, answer: Any) -> Score:  # noqa: A002
        """The game's verdict on a validated answer; InvalidAnswer (a ValueError) if the answer
        does not fit the round's questions or the game's own check."""
        clean = validate_answer(round, answer)
        if self.check_fn is not None:
            self.check_fn(round, clean)
        return self.score_fn(round, clean)
