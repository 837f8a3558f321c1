"""The class games' schema, on SQLite and PostgreSQL: the migrated database matches
store/classroom_tables.py, and the database itself refuses answers it must never hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, inspect, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

import store
from store import classroom_tables as t


def _shape(conn, table: str) -> dict:
    found = inspect(conn)
    return {
        "columns": {c["name"]: c["nullable"] for c in found.get_columns(table)},
        "primary": tuple(found.get_pk_constraint(table)["constrained_columns"]),
        "unique": {tuple(u["column_names"]) for u in found.get_unique_constraints(table)},
        "foreign": {(tuple(f["constrained_columns"]), f["referred_table"],
                     tuple(f["referred_columns"])) for f in found.get_foreign_keys(table)},
        "indexes": {tuple(i["column_names"]) for i in found.get_indexes(table)
                    if not i.get("unique")},
    }


def _expected(table) -> dict:
    from sqlalchemy import ForeignKeyConstraint, UniqueConstraint

    unique = {tuple(c.name for c in k.columns) for k in table.constraints
              if isinstance(k, UniqueConstraint)}
    unique |= {(c.name,) for c in table.columns if c.unique}
    return {
        "columns": {c.name: c.nullable for c in table.columns},
        "primary": tuple(c.name for c in table.primary_key.columns),
        "unique": unique,
        "foreign": {(tuple(c.name for c in k.columns), k.referred_table.name,
                     tuple(e.column.name for e in k.elements))
                    for k in table.constraints if isinstance(k, ForeignKeyConstraint)},
        "indexes": {tuple(c.name for c in i.columns) for i in table.indexes if not i.unique},
    }


def test_migrated_schema_matches_the_tables_the_code_uses(engine):
    with store.read(engine) as conn:
        for table in t.metadata.sorted_tables:
            assert _shape(conn, table.name) == _expected(table), table.name


# ----- the rules the database enforces ------------------------------------------------------


@pytest.fixture
def game(engine):
    """A game with one round (not yet open) and two players."""
    now = store.utcnow()
    with store.write(engine) as conn:
        game_id = conn.execute(insert(t.games).values(
            code="ACDEFG", title="t", host_key_hash="0" * 64, phase="lobby", version=0,
            speed_bonus=False, created_at=now, changed_at=now)).inserted_primary_key[0]
        round_id = conn.execute(insert(t.rounds).values(
            game_id=game_id, position=0, game="tails", seed=1, difficulty="normal")
        ).inserted_primary_key[0]
        ids = [conn.execute(insert(t.players).values(
            game_id=game_id, nickname=n, nickname_key=n, token_hash=n * 64, joined_at=now)
        ).inserted_primary_key[0] for n in "ab"]
    return engine, game_id, round_id, ids


def _answer(engine, game_id, round_id, player_id):
    with store.write(engine) as conn:
        conn.execute(insert(t.answers).values(
            game_id=game_id, round_id=round_id, player_id=player_id, answer={"test": "x"},
            points=100, correct=True, feedback="", answered_at=store.utcnow(), seconds=1.0))


def _set_round(engine, round_id, **values):
    with store.write(engine) as conn:
        conn.execute(update(t.rounds).where(t.rounds.c.id == round_id).values(**values))


def test_no_answer_before_the_round_opens_or_after_it_locks(game):
    engine, game_id, round_id, (a, b) = game
    with pytest.raises(DBAPIError, match="not open"):
        _answer(engine, game_id, round_id, a)
    _set_round(engine, round_id, opened_at=store.utcnow())
    _answer(engine, game_id, round_id, a)
    _set_round(engine, round_id, locked_at=store.utcnow())
    with pytest.raises(DBAPIError, match="not open"):
        _answer(engine, game_id, round_id, b)


def test_no_answer_after_the_countdown_by_the_database_clock(game):
    engine, game_id, round_id, (a, b) = game
    now = store.utcnow()
    _set_round(engine, round_id, opened_at=now - timedelta(seconds=30),
               closes_at=now + timedelta(seconds=30))
    _answer(engine, game_id, round_id, a)
    _set_round(engine, round_id, closes_at=now - timedelta(seconds=1))
    with pytest.raises(DBAPIError, match="not open"):
        _answer(engine, game_id, round_id, b)


def test_one_answer_per_player_and_round_and_answers_never_change(game):
    engine, game_id, round_id, (a, _) = game
    _set_round(engine, round_id, opened_at=store.utcnow())
    _answer(engine, game_id, round_id, a)
    with pytest.raises(IntegrityError):
        _answer(engine, game_id, round_id, a)
    with pytest.raises(DBAPIError, match="cannot be changed"), store.write(engine) as conn:
        conn.execute(update(t.answers).values(points=0))
    with store.read(engine) as conn:
        assert conn.execute(select(t.answers.c.points)).scalars().all() == [100]


def test_a_removed_player_cannot_answer(game):
    engine, game_id, round_id, (a, _) = game
    _set_round(engine, round_id, opened_at=store.utcnow())
    with store.write(engine) as conn:
        conn.execute(update(t.players).where(t.players.c.id == a).values(
            removed_at=store.utcnow(), nickname_key=None))
    with pytest.raises(DBAPIError, match="removed"):
        _answer(engine, game_id, round_id, a)


def test_an_answer_must_belong_to_its_game(game):
    """The composite foreign keys: a player of one game cannot answer another game's round."""
    engine, game_id, round_id, (a, _) = game
    _set_round(engine, round_id, opened_at=store.utcnow())
    with pytest.raises(IntegrityError):
        _answer(engine, game_id + 1, round_id, a)
