"""The class games' tables as the code queries them (the current schema).

The migrations that create them (store/migrations/m0010_classroom.py and later ones) keep their
own frozen copies; tests/store/test_classroom_schema.py checks that a migrated database matches
these definitions. The rules that matter (one answer per player and round, no answer to a round
that is not open, answers never change) are in the database itself: unique constraints, and
triggers that m0010 creates on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from .types import UTCDateTime

__all__ = ["metadata", "games", "rounds", "players", "answers", "poll", "host_failures",
           "PHASES", "PACES"]

PHASES = ("lobby", "question", "locked", "reveal", "leaderboard", "poll", "summary")
PACES = ("too_slow", "right", "too_fast")

metadata = MetaData()

games = Table(
    "class_games", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(6), nullable=False, unique=True),
    Column("title", String(120), nullable=False),
    Column("host_key_hash", String(64), nullable=False),
    Column("phase", String(16), nullable=False),
    Column("round_index", Integer, nullable=True),  # position of the current round; None in lobby
    Column("version", Integer, nullable=False),      # +1 on every change phones must see
    Column("speed_bonus", Boolean, nullable=False),
    Column("countdown", Integer, nullable=True),     # seconds per question; None: host locks
    Column("created_at", UTCDateTime, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
    CheckConstraint("phase IN ('lobby', 'question', 'locked', 'reveal', 'leaderboard', "
                    "'poll', 'summary')", name="ck_class_games_phase"),
)

rounds = Table(
    "class_rounds", metadata,
    Column("id", Integer, primary_key=True),
    Column("game_id", Integer, ForeignKey("class_games.id", ondelete="CASCADE"),
           nullable=False),
    Column("position", Integer, nullable=False),
    Column("game", String(40), nullable=False),       # a games.GAMES id
    Column("seed", Integer, nullable=False),
    Column("difficulty", String(16), nullable=False),
    Column("opened_at", UTCDateTime, nullable=True),
    Column("closes_at", UTCDateTime, nullable=True),
    Column("locked_at", UTCDateTime, nullable=True),
    Column("revealed_at", UTCDateTime, nullable=True),
    UniqueConstraint("game_id", "position", name="uq_class_rounds_position"),
    UniqueConstraint("game_id", "id", name="uq_class_rounds_game_id"),
)

players = Table(
    "class_players", metadata,
    Column("id", Integer, primary_key=True),
    Column("game_id", Integer, ForeignKey("class_games.id", ondelete="CASCADE"),
           nullable=False),
    Column("nickname", String(40), nullable=False),
    Column("nickname_key", String(40), nullable=True),  # casefolded; None once removed
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("joined_at", UTCDateTime, nullable=False),
    Column("removed_at", UTCDateTime, nullable=True),
    UniqueConstraint("game_id", "nickname_key", name="uq_class_players_nickname"),
    UniqueConstraint("game_id", "id", name="uq_class_players_game_id"),
)

answers = Table(
    "class_answers", metadata,
    Column("id", Integer, primary_key=True),
    Column("game_id", Integer, nullable=False),
    Column("round_id", Integer, nullable=False),
    Column("player_id", Integer, nullable=False),
    Column("answer", JSON, nullable=False),
    Column("points", Integer, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("misconception", String(80), nullable=True),
    Column("feedback", Text, nullable=False),
    Column("answered_at", UTCDateTime, nullable=False),
    Column("seconds", Float, nullable=False),  # since the round opened
    UniqueConstraint("round_id", "player_id", name="uq_class_answers_once"),
    ForeignKeyConstraint(["game_id", "round_id"], ["class_rounds.game_id", "class_rounds.id"],
                         ondelete="CASCADE", name="fk_class_answers_round"),
    ForeignKeyConstraint(["game_id", "player_id"],
                         ["class_players.game_id", "class_players.id"],
                         ondelete="CASCADE", name="fk_class_answers_player"),
    CheckConstraint("points BETWEEN 0 AND 100", name="ck_class_answers_points"),
    Index("ix_class_answers_game", "game_id"),
)

poll = Table(
    "class_poll", metadata,
    Column("id", Integer, primary_key=True),
    Column("game_id", Integer, nullable=False),
    Column("player_id", Integer, nullable=False),
    Column("pace", String(10), nullable=True),
    Column("happiness", Integer, nullable=True),
    Column("comment", Text, nullable=True),
    Column("answered_at", UTCDateTime, nullable=False),
    UniqueConstraint("game_id", "player_id", name="uq_class_poll_once"),
    ForeignKeyConstraint(["game_id", "player_id"],
                         ["class_players.game_id", "class_players.id"],
                         ondelete="CASCADE", name="fk_class_poll_player"),
    CheckConstraint("happiness IS NULL OR happiness BETWEEN 1 AND 5",
                    name="ck_class_poll_happiness"),
    CheckConstraint("pace IS NULL OR pace IN ('too_slow', 'right', 'too_fast')",
                    name="ck_class_poll_pace"),
)

host_failures = Table(
    "class_host_failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("client", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_class_host_failures_client_at", "client", "at"),
)
