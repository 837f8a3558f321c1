"""What the host does: create a game, drive its phases, rename or remove players.

Every host action needs the game's host key, compared in constant time with its stored hash.
Wrong keys are counted per device (in the database, so every app process sees them): after
``FAILURE_LIMIT`` wrong keys within ``FAILURE_WINDOW`` that device must wait. Each action is one
short write transaction that re-reads the game's row under a lock, so two host screens (or two
app processes) clicking at once move the game one step, not two.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

import store
from store import classroom_tables as t

from . import phases
from .codes import new_code, normalize_code
from .errors import Conflict, Forbidden, Invalid, NotFound, TooMany
from .models import Created, GameRow
from .nicknames import clean_nickname, nickname_key
from .playlists import Slot, check_playlist
from .records import GAME_COLUMNS, count_rounds, game_by_id

__all__ = ["create_game", "authorize", "advance", "finish", "lock_if_due", "rename_player",
           "remove_player", "FAILURE_LIMIT", "FAILURE_WINDOW", "MAX_TITLE", "COUNTDOWNS"]

FAILURE_LIMIT = 10
FAILURE_WINDOW = timedelta(minutes=10)
MAX_TITLE = 120
COUNTDOWNS = (None, 20, 30, 45, 60, 90, 120)


def create_game(engine: Engine, playlist: Iterable[Slot], title: str = "Class game", *,
                speed_bonus: bool = False, countdown: int | None = None) -> Created:
    """A new game in the lobby with its rounds; the host key is returned once, never stored."""
    slots = check_playlist(playlist)
    title = " ".join(str(title).split())[:MAX_TITLE] or "Class game"
    if countdown not in COUNTDOWNS:
        raise Invalid("A countdown is one of " + ", ".join(f"{c} s" for c in COUNTDOWNS if c)
                      + ", or none (you lock the answers yourself).")
    key = store.new_token()
    for _ in range(8):  # a code already in use is drawn again
        code, now = new_code(), store.utcnow()
        try:
            with store.write(engine) as conn:
                game_id = conn.execute(insert(t.games).values(
                    code=code, title=title, host_key_hash=store.token_hash(key), phase="lobby",
                    version=0, speed_bonus=bool(speed_bonus), countdown=countdown,
                    created_at=now, changed_at=now)).inserted_primary_key[0]
                conn.execute(insert(t.rounds), [
                    {"game_id": game_id, "position": i, "game": s.game, "seed": s.seed,
                     "difficulty": s.difficulty} for i, s in enumerate(slots)])
            return Created(game_id, code, key)
        except IntegrityError:
            continue
    raise Conflict("Could not find a free game code; try again.")


def authorize(engine: Engine, code: str, key, client: str) -> GameRow:
    """The game, if ``key`` is its host key; else Forbidden (counted) or TooMany."""
    code, client = normalize_code(code), str(client)[:64]
    now = store.utcnow()
    with store.read(engine) as conn:
        failures = conn.scalar(select(func.count()).select_from(t.host_failures).where(
            t.host_failures.c.client == client, t.host_failures.c.at > now - FAILURE_WINDOW))
        if failures >= FAILURE_LIMIT:
            minutes = int(FAILURE_WINDOW.total_seconds() // 60)
            raise TooMany(f"Too many wrong host keys from this device: wait {minutes} minutes, "
                          "then open the host link you got when you created the game.")
        row = conn.execute(select(*GAME_COLUMNS, t.games.c.host_key_hash)
                           .where(t.games.c.code == code)).first()
    if row is not None and isinstance(key, str) and store.same_token(key, row.host_key_hash):
        return GameRow(*row[:-1])
    _count_failure(engine, client, now)
    if row is None:
        raise NotFound(f"No game has the code {code}.")
    raise Forbidden(f"This link's host key does not open game {code}. Only the host link you "
                    "got when you created the game can drive it.")


def _count_failure(engine: Engine, client: str, now: datetime) -> None:
    with store.write(engine) as conn:
        conn.execute(insert(t.host_failures).values(client=client, at=now))
        conn.execute(delete(t.host_failures).where(t.host_failures.c.at < now - timedelta(days=1)))


def advance(engine: Engine, code: str, key, client: str, seen_version: int | None = None
            ) -> GameRow:
    """The host's "next": lobby -> question -> locked -> reveal -> leaderboard -> ... -> summary.

    ``seen_version`` is the version the host's screen showed: if the game moved on since (a
    second host screen), nothing happens and Conflict says so.
    """
    game = authorize(engine, code, key, client)
    with store.write(engine) as conn:
        row = game_by_id(conn, game.id, for_update=True)
        if seen_version is not None and row.version != seen_version:
            raise Conflict("The game moved on meanwhile (from another host screen); this "
                           "screen now shows where it is.")
        step = phases.advance(row.phase, row.round_index, count_rounds(conn, row.id))
        _apply(conn, row, step)
        return game_by_id(conn, row.id)


def finish(engine: Engine, code: str, key, client: str) -> GameRow:
    """End the game early: lock any open round and go to the closing poll."""
    game = authorize(engine, code, key, client)
    with store.write(engine) as conn:
        row = game_by_id(conn, game.id, for_update=True)
        _apply(conn, row, phases.finish(row.phase, row.round_index))
        return game_by_id(conn, row.id)


def lock_if_due(engine: Engine, game_id: int) -> bool:
    """Lock the open question once its countdown has run out (anyone may trigger this: it
    only does what the clock already decided). Whether it locked now."""
    with store.write(engine) as conn:
        row = game_by_id(conn, game_id, for_update=True)
        if row.phase != "question" or row.round_index is None:
            return False
        closes = conn.scalar(select(t.rounds.c.closes_at).where(
            t.rounds.c.game_id == game_id, t.rounds.c.position == row.round_index))
        if closes is None or closes > store.utcnow():
            return False
        _apply(conn, row, phases.Step("locked", row.round_index))
        return True


def _apply(conn: Connection, row: GameRow, step: phases.Step) -> None:
    now = store.utcnow()
    this_round = (t.rounds.c.game_id == row.id) & (t.rounds.c.position == step.round_index)
    if step.phase == "question":
        closes = now + timedelta(seconds=row.countdown) if row.countdown else None
        conn.execute(update(t.rounds).where(this_round).values(opened_at=now, closes_at=closes))
    elif step.phase in ("locked", "poll") and row.phase == "question":
        conn.execute(update(t.rounds).where(this_round, t.rounds.c.locked_at.is_(None))
                     .values(locked_at=now))
    elif step.phase == "reveal":
        conn.execute(update(t.rounds).where(this_round).values(revealed_at=now))
    conn.execute(update(t.games).where(t.games.c.id == row.id).values(
        phase=step.phase, round_index=step.round_index, version=row.version + 1,
        changed_at=now, ended_at=now if step.phase == "summary" else None))


def rename_player(engine: Engine, code: str, key, client: str, player_id: int,
                  nickname: str) -> str:
    """Give a player another nickname (the phone shows it at its next update)."""
    game = authorize(engine, code, key, client)
    name = clean_nickname(nickname)
    try:
        with store.write(engine) as conn:
            done = conn.execute(update(t.players).where(
                t.players.c.id == player_id, t.players.c.game_id == game.id,
                t.players.c.removed_at.is_(None)).values(
                nickname=name, nickname_key=nickname_key(name))).rowcount
            if not done:
                raise NotFound("That player is not in this game (removed already?).")
            _bump(conn, game.id)
    except IntegrityError:
        raise Conflict(f"Another player is already called {name!r}.") from None
    return name


def remove_player(engine: Engine, code: str, key, client: str, player_id: int) -> None:
    """Take a player out of the game: their phone stops working, their nickname is free,
    their answers stop counting."""
    game = authorize(engine, code, key, client)
    with store.write(engine) as conn:
        conn.execute(update(t.players).where(
            t.players.c.id == player_id, t.players.c.game_id == game.id).values(
            removed_at=store.utcnow(), nickname_key=None))
        _bump(conn, game.id)


def _bump(conn: Connection, game_id: int) -> None:
    conn.execute(update(t.games).where(t.games.c.id == game_id).values(
        version=t.games.c.version + 1))

