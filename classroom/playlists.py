"""Playlists: the rounds of a class game, in order (pure).

Every game in a playlist comes from the games.GAMES registry, so a game added there can be
played in class at once. The ready "lecture" playlist follows the course's order and skips a
game the registry does not have.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from games import GAMES

from .errors import Invalid

__all__ = ["Slot", "LECTURE_ORDER", "MAX_ROUNDS", "lecture_playlist", "check_playlist"]

LECTURE_ORDER = ("tails", "lineup", "mixture", "pooling", "bootstrap", "pvalues", "convergence",
                 "syntax", "nesting")
MAX_ROUNDS = 30
MAX_SEED = 10**9


@dataclass(frozen=True)
class Slot:
    """One round of a playlist: a game at a difficulty; the seed is drawn when the class game
    is created unless given (to replay a round shown before)."""

    game: str
    difficulty: str = "normal"
    seed: int | None = None


def lecture_playlist(difficulty: str = "normal") -> tuple[Slot, ...]:
    """The lecture's order: tails, lineup, mixture, pooling, bootstrap, p-values, convergence,
    syntax, nesting (those the registry has)."""
    return tuple(Slot(g, difficulty) for g in LECTURE_ORDER if g in GAMES)


def check_playlist(slots: Iterable[Slot]) -> tuple[Slot, ...]:
    """The playlist with every seed drawn, or Invalid naming the first slot that is wrong."""
    slots = tuple(slots)
    if not slots:
        raise Invalid("Add at least one round to the playlist.")
    if len(slots) > MAX_ROUNDS:
        raise Invalid(f"A class game has at most {MAX_ROUNDS} rounds; this playlist has "
                      f"{len(slots)}. Split it into two games.")
    out = []
    for number, slot in enumerate(slots, start=1):
        game = GAMES.get(slot.game)
        if game is None:
            raise Invalid(f"Round {number}: there is no game {slot.game!r}. Pick one of: "
                          + ", ".join(GAMES) + ".")
        if slot.difficulty not in game.difficulties:
            raise Invalid(f"Round {number}: {game.title} has no difficulty "
                          f"{slot.difficulty!r}; pick one of: " + ", ".join(game.difficulties))
        seed = secrets.randbelow(MAX_SEED) if slot.seed is None else slot.seed
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < MAX_SEED:
            raise Invalid(f"Round {number}: a seed is a whole number from 0 to "
                          f"{MAX_SEED - 1:,}.")
        out.append(Slot(slot.game, slot.difficulty, seed))
    return tuple(out)
