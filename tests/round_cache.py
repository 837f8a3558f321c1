"""Rounds built once per test session, on first use, never at import.

Collecting a test file must not simulate and fit hundreds of rounds (with pytest-xdist every
worker collects every file), and two test files that need the same round share it. Test modules
keep module-level names such as ``ROUNDS["normal"]`` or ``ROUNDS[3]``: these objects build the
rounds the first time a test touches them. Parametrize tests by seed, not by Round.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from games import GAMES
from games.base import Round

__all__ = ["round_of", "LazyRounds", "RoundsByDifficulty", "lazy", "each_round"]


@cache
def round_of(game_id: str, seed: int, difficulty: str = "normal") -> Round:
    """One round, built once per session (Rounds are frozen: sharing them is safe)."""
    return GAMES[game_id].make_round(seed, difficulty)


class LazyRounds(Sequence):
    """The rounds of ``seeds`` at one difficulty, built when first read."""

    def __init__(self, game_id: str, seeds, difficulty: str = "normal"):
        self.game_id, self.seeds, self.difficulty = game_id, list(seeds), difficulty

    def __len__(self) -> int:
        return len(self.seeds)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [round_of(self.game_id, s, self.difficulty) for s in self.seeds[index]]
        return round_of(self.game_id, self.seeds[index], self.difficulty)

    def __add__(self, other) -> list[Round]:
        return list(self) + list(other)


class RoundsByDifficulty(dict):
    """difficulty -> LazyRounds; ``.all()`` every round of every difficulty."""

    def __init__(self, game_id: str, seeds, difficulties):
        super().__init__({d: LazyRounds(game_id, seeds, d) for d in difficulties})

    def all(self) -> list[Round]:
        return [r for rounds in self.values() for r in rounds]


class lazy(Sequence):  # noqa: N801 - used like a list literal
    """A list computed on first use: ``INTERVAL = lazy(lambda: [r for r in ...])``."""

    def __init__(self, build):
        self._build, self._items = build, None

    def _list(self) -> list:
        if self._items is None:
            self._items = list(self._build())
        return self._items

    def __len__(self) -> int:
        return len(self._list())

    def __getitem__(self, index):
        return self._list()[index]

    def __add__(self, other) -> list:
        return self._list() + list(other)


def each_round(rounds):
    """Run a check once per round, as subtests, with the rounds built when the test runs (not
    at collection): ``@each_round(lambda: INTERVAL[::4])`` over ``def test_x(round_)``."""
    def decorate(check):
        def test(subtests):
            chosen = list(rounds())
            assert chosen, "no round to check"
            for round_ in chosen:
                with subtests.test(round=f"{round_.difficulty}-{round_.seed}"):
                    check(round_)

        test.__name__, test.__qualname__ = check.__name__, check.__qualname__
        test.__doc__, test.__module__ = check.__doc__, check.__module__
        return test
    return decorate
