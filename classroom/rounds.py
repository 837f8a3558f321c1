"""The rounds of a class game: built from (game, seed, difficulty), as practice builds them,
and what a phone may see of them.

A phone gets the prompt and the questions (ids, words, options, ranges): never the solution,
the reveal or the data before the reveal. A round is a pure function of its three numbers, so
each app process builds it once and keeps it (``build_round``'s cache holds pure values only).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping
from typing import Any

from games import GAMES
from games.base import Round

__all__ = ["build_round", "phone_round", "answer_labels", "right_answer"]


_LOCKS: dict[tuple, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def build_round(game: str, seed: int, difficulty: str) -> Round:
    """The round, built once per process: threads asking for the same round at once wait for
    the first; other rounds are not held up."""
    key = (game, seed, difficulty)
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock:
        return _build(game, seed, difficulty)


@functools.lru_cache(maxsize=128)
def _build(game: str, seed: int, difficulty: str) -> Round:
    return GAMES[game].make_round(seed, difficulty)


def phone_round(round_: Round) -> dict[str, Any]:
    """What a phone shows while a question is open: the prompt and the answer controls."""
    return {
        "game": round_.game,
        "title": GAMES[round_.game].title,
        "prompt": round_.prompt,
        "questions": [q.to_dict() for q in round_.questions],
    }


def answer_labels(round_: Round, answer: Mapping[str, Any]) -> dict[str, str]:
    """An answer in words, question by question (option labels; numbers as typed)."""
    out = {}
    for q in round_.questions:
        if q.id in answer:
            value = answer[q.id]
            out[q.id] = q.label_of(value) if q.kind == "choice" else _number_or_text(value)
    return out


def right_answer(round_: Round) -> dict[str, str]:
    """The solution in words, for phones and the projector once the round is revealed."""
    return answer_labels(round_, round_.solution)


def _number_or_text(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
