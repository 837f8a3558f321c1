"""Reading a class game's rows from the store into frozen records (one place for the queries)."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from store import classroom_tables as t

from .codes import normalize_code
from .errors import NotFound
from .models import AnswerRow, GameRow, PlayerRow, PollRow, RoundRow, Snapshot

__all__ = ["GAME_COLUMNS", "game_by_code", "game_by_id", "rounds_of", "players_of",
           "answers_of", "poll_of", "snapshot", "count_rounds"]

GAME_COLUMNS = [t.games.c[f] for f in GameRow.__dataclass_fields__]


def game_by_code(conn: Connection, code: str, *, for_update: bool = False) -> GameRow:
    code = normalize_code(code)
    query = select(*GAME_COLUMNS).where(t.games.c.code == code)
    row = conn.execute(query.with_for_update() if for_update else query).first()
    if row is None:
        raise NotFound(f"No game has the code {code}. Check the code on the projector.")
    return GameRow(*row)


def game_by_id(conn: Connection, game_id: int, *, for_update: bool = False) -> GameRow:
    query = select(*GAME_COLUMNS).where(t.games.c.id == game_id)
    row = conn.execute(query.with_for_update() if for_update else query).first()
    if row is None:
        raise NotFound("This game no longer exists.")
    return GameRow(*row)


def count_rounds(conn: Connection, game_id: int) -> int:
    return conn.scalar(select(func.count()).select_from(t.rounds)
                       .where(t.rounds.c.game_id == game_id))


def rounds_of(conn: Connection, game_id: int) -> tuple[RoundRow, ...]:
    cols = [t.rounds.c[f] for f in RoundRow.__dataclass_fields__]
    rows = conn.execute(select(*cols).where(t.rounds.c.game_id == game_id)
                        .order_by(t.rounds.c.position))
    return tuple(RoundRow(*r) for r in rows)


def players_of(conn: Connection, game_id: int) -> tuple[PlayerRow, ...]:
    cols = [t.players.c[f] for f in PlayerRow.__dataclass_fields__]
    rows = conn.execute(select(*cols).where(t.players.c.game_id == game_id)
                        .order_by(t.players.c.id))
    return tuple(PlayerRow(*r) for r in rows)


def answers_of(conn: Connection, game_id: int, round_id: int | None = None
               ) -> tuple[AnswerRow, ...]:
    cols = [t.answers.c[f] for f in AnswerRow.__dataclass_fields__]
    query = select(*cols).where(t.answers.c.game_id == game_id)
    if round_id is not None:
        query = query.where(t.answers.c.round_id == round_id)
    return tuple(AnswerRow(*r) for r in conn.execute(query.order_by(t.answers.c.id)))


def poll_of(conn: Connection, game_id: int) -> tuple[PollRow, ...]:
    cols = [t.poll.c[f] for f in PollRow.__dataclass_fields__]
    rows = conn.execute(select(*cols).where(t.poll.c.game_id == game_id).order_by(t.poll.c.id))
    return tuple(PollRow(*r) for r in rows)


def snapshot(conn: Connection, code: str) -> Snapshot:
    game = game_by_code(conn, code)
    return Snapshot(game, rounds_of(conn, game.id), players_of(conn, game.id),
                    answers_of(conn, game.id), poll_of(conn, game.id))
