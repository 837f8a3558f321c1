"""What a phone is told (pure, plus the two reads that feed it).

The phone's state has a public part, the same for every phone at one version of the game (read
once per version by each app process and reused for all its phones), and a personal part (the
player's own answer, points and rank). Nothing in it gives an answer away before the reveal:
the questions carry their options and ranges only, and a player's points, feedback and the
right answer appear from the reveal on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

import store
from store import classroom_tables as t

from . import phases
from .models import GameRow, RoundRow
from .records import answers_of, game_by_id, players_of, rounds_of
from .rounds import answer_labels, build_round, phone_round, right_answer
from .scoring import Standing, leaderboard

__all__ = ["Public", "read_public", "read_personal", "phone_state"]


@dataclass(frozen=True)
class Public:
    game: GameRow
    n_rounds: int
    round: RoundRow | None
    standings: dict[int, Standing]   # filled once points may be shown
    players: int


def read_public(engine: Engine, game_id: int) -> Public:
    """The game's public state, read in one transaction."""
    with store.read(engine) as conn:
        game = game_by_id(conn, game_id)
        rounds = rounds_of(conn, game_id)
        players = players_of(conn, game_id)
        answers = answers_of(conn, game_id) if phases.shows_points(game.phase) else ()
    current = rounds[game.round_index] if game.round_index is not None else None
    window = float(game.countdown) if game.countdown else None
    table = leaderboard(players, answers, bonus=game.speed_bonus, window=window)
    return Public(game, len(rounds), current, {s.player_id: s for s in table},
                  sum(p.removed_at is None for p in players))


@dataclass(frozen=True)
class Personal:
    nickname: str
    answer: dict | None      # the stored answer to the current round
    points: int | None
    correct: bool | None
    feedback: str | None
    poll_done: bool


def read_personal(engine: Engine, public: Public, player_id: int, nickname: str) -> Personal:
    answer = points = correct = feedback = None
    poll_done = False
    with store.read(engine) as conn:
        if public.round is not None:
            row = conn.execute(select(t.answers.c.answer, t.answers.c.points,
                                      t.answers.c.correct, t.answers.c.feedback).where(
                t.answers.c.round_id == public.round.id,
                t.answers.c.player_id == player_id)).first()
            if row is not None:
                answer, points, correct, feedback = row
        if public.game.phase in phases.ENDED:
            poll_done = conn.scalar(select(t.poll.c.id).where(
                t.poll.c.game_id == public.game.id, t.poll.c.player_id == player_id)) is not None
    return Personal(nickname, answer, points, correct, feedback, poll_done)


def phone_state(public: Public, player_id: int, me: Personal, now: datetime) -> dict[str, Any]:
    """The JSON a phone draws from."""
    game, phase = public.game, public.game.phase
    state: dict[str, Any] = {"code": game.code, "title": game.title, "phase": phase,
                             "version": game.version, "round": None}
    you: dict[str, Any] = {"nickname": me.nickname, "answered": me.answer is not None}
    if public.round is not None and phase not in phases.ENDED:
        round_ = build_round(public.round.game, public.round.seed, public.round.difficulty)
        closes = public.round.closes_at
        state["round"] = {
            "number": public.round.position + 1, "of": public.n_rounds,
            **phone_round(round_),
            "closes_in": (max(0.0, (closes - now).total_seconds())
                          if closes is not None and phase == "question" else None),
        }
        if me.answer is not None:
            you["answer"] = answer_labels(round_, me.answer)
        if phases.shows_points(phase):
            you["result"] = {"points": me.points or 0, "correct": bool(me.correct),
                             "feedback": me.feedback or "", "right": right_answer(round_),
                             "answered": me.answer is not None}
    if phases.shows_points(phase) and player_id in public.standings:
        standing = public.standings[player_id]
        you |= {"total": standing.points, "rank": standing.rank, "of": len(public.standings)}
    if phase == "poll":
        you["poll_done"] = me.poll_done
    state["you"] = you
    return state
