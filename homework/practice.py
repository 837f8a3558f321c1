"""Practice that remembers: progress behind a personal link, kept in the store.

A learner asks for a link (a token; no password, no name). What is kept: every round played
(game, seed, difficulty, the answer, points, right or not, the misconception met); from that
follow the score, the streak, mastery per game (the share right in the last
:data:`MASTERY_WINDOW` rounds of that game), the misconceptions met, and "practice what I got
wrong". The database keeps one row per (learner, game, seed, difficulty), so a reload, a second
tab or another device can never score the same round twice: the first answer stands.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

import store
from games import GAMES
from games.base import Round, Score
from store import homework_tables as t

from .assignments import AccessError

__all__ = ["Played", "Progress", "Mastery", "create_learner", "open_learner", "record",
           "answered", "progress", "wrong_targets", "pick_wrong", "MASTERY_WINDOW",
           "LINK_IDLE_LIMIT"]

MASTERY_WINDOW = 10
LINK_IDLE_LIMIT = timedelta(days=365)  # a practice link unused this long expires


@dataclass(frozen=True)
class Played:
    game: str
    seed: int
    difficulty: str
    answer: dict
    points: int
    correct: bool
    misconception: str | None
    played_at: datetime


@dataclass(frozen=True)
class Mastery:
    game: str
    topic: str
    rounds: int        # in the window
    share_right: float


@dataclass(frozen=True)
class Progress:
    points: int
    rounds: int
    streak: int
    best_streak: int
    mastery: tuple[Mastery, ...]
    misconceptions: tuple[tuple[str, int], ...]  # code, times met; most met first
    history: tuple[Played, ...]                  # oldest first


def create_learner(engine: Engine) -> str:
    """A new practice link token (shown once; only its hash is stored)."""
    token = store.new_token()
    now = store.utcnow()
    with store.write(engine) as conn:
        conn.execute(insert(t.learner).values(token_hash=store.token_hash(token),
                                              created_at=now, last_seen_at=now))
    return token


def open_learner(engine: Engine, token: str) -> int:
    """The learner a link opens (their key), marking it used; AccessError if unknown/expired."""
    now = store.utcnow()
    with store.write(engine) as conn:
        row = None
        if isinstance(token, str) and token:
            row = conn.execute(select(t.learner).where(
                t.learner.c.token_hash == store.token_hash(token))).one_or_none()
        if row is None:
            raise AccessError("This practice link is not known: check that the whole link "
                              "was copied. Your practice goes on without saving; ask for a "
                              "new link to keep it.")
        if now - row.last_seen_at > LINK_IDLE_LIMIT:
            raise AccessError("This practice link expired after a year without use. Ask for "
                              "a new link to keep your progress from now on.")
        conn.execute(update(t.learner).where(t.learner.c.id == row.id).values(last_seen_at=now))
    return row.id


def record(engine: Engine, learner: int, round_: Round, answer: dict,
           score: Score) -> tuple[bool, Played]:
    """Keep a scored round; (True, it) if new, else (False, the answer that already stood)."""
    played = Played(round_.game, round_.seed, round_.difficulty, dict(answer), score.points,
                    score.correct, score.misconception, store.utcnow())
    try:
        with store.write(engine) as conn:
            conn.execute(insert(t.practice_round).values(
                learner=learner, game=played.game, seed=played.seed,
                difficulty=played.difficulty, answer_json=json.dumps(played.answer, default=str),
                points=played.points, correct=played.correct,
                misconception=played.misconception, played_at=played.played_at))
    except IntegrityError:
        return False, answered(engine, learner, round_.game, round_.seed, round_.difficulty)
    return True, played


def answered(engine: Engine, learner: int, game: str, seed: int,
             difficulty: str) -> Played | None:
    """The stored answer to this round, if the learner already played it."""
    with store.read(engine) as conn:
        row = conn.execute(select(t.practice_round).where(
            t.practice_round.c.learner == learner, t.practice_round.c.game == game,
            t.practice_round.c.seed == seed, t.practice_round.c.difficulty == difficulty)
        ).one_or_none()
    return None if row is None else _played(row)


def history(engine: Engine, learner: int) -> list[Played]:
    with store.read(engine) as conn:
        rows = conn.execute(select(t.practice_round).where(t.practice_round.c.learner == learner)
                            .order_by(t.practice_round.c.played_at, t.practice_round.c.id)).all()
    return [_played(r) for r in rows]


def progress(played: list[Played]) -> Progress:
    """Score, streaks, mastery and misconceptions from the rounds played (oldest first)."""
    streak = best = 0
    for p in played:
        streak = streak + 1 if p.correct else 0
        best = max(best, streak)
    mastery = []
    for game in dict.fromkeys(p.game for p in played):
        recent = [p for p in played if p.game == game][-MASTERY_WINDOW:]
        topic = GAMES[game].topic if game in GAMES else ""
        mastery.append(Mastery(game, topic, len(recent),
                               sum(p.correct for p in recent) / len(recent)))
    met = Counter(p.misconception for p in played if p.misconception)
    return Progress(sum(p.points for p in played), len(played), streak, best, tuple(mastery),
                    tuple(met.most_common()), tuple(played))


def wrong_targets(played: list[Played]) -> Counter:
    """(game, difficulty) -> how many misconceptions were met there (where to practise)."""
    return Counter((p.game, p.difficulty) for p in played
                   if p.misconception and p.game in GAMES)


def pick_wrong(played: list[Played], rng: random.Random) -> tuple[str, str] | None:
    """A (game, difficulty) to practise, drawn in proportion to the misconceptions met there;
    None when none were met."""
    targets = wrong_targets(played)
    if not targets:
        return None
    places, weights = zip(*targets.items(), strict=True)
    return rng.choices(places, weights=weights)[0]


def _played(row) -> Played:
    return Played(row.game, row.seed, row.difficulty, json.loads(row.answer_json), row.points,
                  row.correct, row.misconception, row.played_at)
