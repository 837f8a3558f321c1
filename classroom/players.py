"""What a phone does: join with the code and a nickname, answer, and fill in the closing poll.

A player is known by a token (>= 128 random bits) that only the phone's link holds; the store
keeps its hash. Answers are validated against the round's questions and scored by the game's
own ``score()`` before they are written, in one short transaction; the database refuses a
second answer and an answer to a round that is not open, whatever this code checked before.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

import store
from games import GAMES
from games.answers import InvalidAnswer, validate_answer
from store import classroom_tables as t

from . import phases
from .codes import normalize_code
from .errors import Conflict, Forbidden, Invalid
from .models import Joined, Receipt
from .nicknames import clean_nickname, nickname_key
from .records import game_by_code
from .rounds import answer_labels, build_round

__all__ = ["join", "identify", "Player", "submit_answer", "submit_poll", "MAX_COMMENT"]

MAX_COMMENT = 500


@dataclass(frozen=True)
class Player:
    """A phone's player, as its token names it, with the game's state at that moment."""

    id: int
    nickname: str
    game_id: int
    code: str
    phase: str
    round_index: int | None
    version: int


def join(engine: Engine, code: str, nickname) -> Joined:
    """A new player in the game with ``code``; Conflict if the nickname is taken."""
    name = clean_nickname(nickname)
    with store.read(engine) as conn:
        game = game_by_code(conn, code)
    if not phases.can_join(game.phase):
        raise Conflict(f"Game {game.code} has ended: ask your lecturer for the new code.")
    token = store.new_token()
    try:
        with store.write(engine) as conn:
            player_id = conn.execute(insert(t.players).values(
                game_id=game.id, nickname=name, nickname_key=nickname_key(name),
                token_hash=store.token_hash(token), joined_at=store.utcnow())
            ).inserted_primary_key[0]
    except IntegrityError:
        raise Conflict("Someone in this game already has that nickname: add a letter or "
                       "pick another one.") from None
    return Joined(player_id, name, token)


def identify(engine: Engine, code: str, token) -> Player:
    """The player whose phone holds ``token`` in game ``code``; Forbidden otherwise."""
    code = normalize_code(code)
    row = _player_row(engine, token, code)
    return Player(row.id, row.nickname, row.game_id, row.code, row.phase, row.round_index,
                  row.version)


def _player_row(engine: Engine, token, code: str, position: int | None = None):
    if not isinstance(token, str) or not 16 <= len(token) <= 100:
        raise Forbidden(_NOT_A_PLAYER.format(code=code))
    p, g, r = t.players, t.games, t.rounds
    columns = [p.c.id, p.c.nickname, p.c.removed_at, p.c.game_id, g.c.code, g.c.phase,
               g.c.round_index, g.c.version]
    joined = p.join(g, p.c.game_id == g.c.id)
    if position is not None:
        columns += [r.c.id.label("round_id"), r.c.game.label("round_game"), r.c.seed,
                    r.c.difficulty, r.c.opened_at, r.c.closes_at]
        joined = joined.outerjoin(r, (r.c.game_id == g.c.id) & (r.c.position == position))
    with store.read(engine) as conn:
        row = conn.execute(select(*columns).select_from(joined)
                           .where(p.c.token_hash == store.token_hash(token))).first()
    if row is None or row.code != code:
        raise Forbidden(_NOT_A_PLAYER.format(code=code))
    if row.removed_at is not None:
        raise Forbidden(REMOVED)
    return row


_NOT_A_PLAYER = ("This phone is not a player in game {code}: the link is from another game or "
                 "was changed. Join again with the code and a nickname.")
REMOVED = "The host took you out of this game. You can join again with another nickname."


def submit_answer(engine: Engine, code: str, token, position, answer: Any) -> Receipt:
    """Score and store one answer to the question at ``position`` (0-based)."""
    code = normalize_code(code)
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < 1000:
        raise Invalid("This answer does not say which question it is for: reload the page.")
    row = _player_row(engine, token, code, position)
    _check_open(row, position)
    round_ = build_round(row.round_game, row.seed, row.difficulty)
    try:
        clean = validate_answer(round_, answer)
        score = GAMES[round_.game].score(round_, clean)
    except InvalidAnswer as error:
        raise Invalid(error.message) from None
    now = store.utcnow()
    try:
        with store.write(engine) as conn:
            conn.execute(insert(t.answers).values(
                game_id=row.game_id, round_id=row.round_id, player_id=row.id, answer=clean,
                points=score.points, correct=score.correct, misconception=score.misconception,
                feedback=score.feedback, answered_at=now,
                seconds=max(0.0, (now - row.opened_at).total_seconds())))
    except IntegrityError as error:
        return _already(engine, error, row, round_)
    return Receipt(False, answer_labels(round_, clean))


def _check_open(row, position: int) -> None:
    number = position + 1
    if row.round_id is None:
        raise Invalid("This game has no such question: reload the page.")
    current = row.round_index
    if row.phase == "lobby" or (current is not None and position > current):
        raise Conflict(f"Question {number} is not open yet: wait for the host.")
    if not phases.accepts_answers(row.phase) or position < current:
        raise Conflict(f"Too late: answers to question {number} were locked, so this one "
                       "was not counted.")
    if row.closes_at is not None and row.closes_at < store.utcnow():
        raise Conflict(f"Too late: the time for question {number} ran out, so this answer "
                       "was not counted.")


def _already(engine: Engine, error: IntegrityError, row, round_) -> Receipt:
    text = str(error.orig)
    if "not open" in text:
        raise Conflict("Too late: the answers were locked a moment before yours arrived, so "
                       "it was not counted.") from None
    if "removed" in text:
        raise Forbidden(REMOVED) from None
    with store.read(engine) as conn:
        stored = conn.scalar(select(t.answers.c.answer).where(
            t.answers.c.round_id == row.round_id, t.answers.c.player_id == row.id))
    if stored is None:
        raise error
    return Receipt(True, answer_labels(round_, stored))


def submit_poll(engine: Engine, code: str, token, pace=None, happiness=None,
                comment=None) -> bool:
    """Store a player's closing-poll answer; True if one was stored before (kept as it was)."""
    code = normalize_code(code)
    row = _player_row(engine, token, code)
    if row.phase != "poll":
        raise Conflict("The closing poll is not open: it opens after the last question.")
    pace, happiness, comment = _clean_poll(pace, happiness, comment)
    try:
        with store.write(engine) as conn:
            conn.execute(insert(t.poll).values(
                game_id=row.game_id, player_id=row.id, pace=pace, happiness=happiness,
                comment=comment, answered_at=store.utcnow()))
    except IntegrityError:
        return True
    return False


def _clean_poll(pace, happiness, comment):
    if pace is not None and pace not in t.PACES:
        raise Invalid("Pick how the pace was: too slow, about right or too fast.")
    if happiness is not None and (isinstance(happiness, bool) or happiness not in range(1, 6)):
        raise Invalid("Pick how happy you are with the session: 1 to 5.")
    if comment is not None:
        if not isinstance(comment, str):
            raise Invalid("A comment is text.")
        comment = "".join(c for c in comment if c == "\n" or
                          unicodedata.category(c) not in ("Cc", "Cf")).strip()
        if len(comment) > MAX_COMMENT:
            raise Invalid(f"Keep the comment under {MAX_COMMENT} characters (it has "
                          f"{len(comment)}).")
        comment = comment or None
    if pace is None and happiness is None and comment is None:
        raise Invalid("Answer at least one question of the poll (or close it).")
    return pace, happiness, comment
