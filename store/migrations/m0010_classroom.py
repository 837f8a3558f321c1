"""Class games: games, rounds, players, answers, the closing poll and failed host-key attempts.

A frozen copy of the tables as this migration made them (store/classroom_tables.py holds the
current definitions that queries use). Besides the constraints, triggers make the database
itself refuse what must never be stored, on SQLite and on PostgreSQL alike:

- an answer to a round that is not open: not yet opened, locked, past its countdown by the
  database's own clock, or from a player the host removed;
- a change to a stored answer (answers are written once; scores are computed before).

On PostgreSQL the open-round check takes a share lock on the round's row, so the host's lock
(an UPDATE of that row) waits for answers already being written and answers that arrive after
it see the lock: no answer slips in after "locked".
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Connection,
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

from ..types import UTCDateTime

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


NOT_OPEN = "class_answers: this round is not open for answers"
REMOVED = "class_answers: this player was removed by the host"
IMMUTABLE = "class_answers: a stored answer cannot be changed"

SQLITE_TRIGGERS = (
    f"""
    CREATE TRIGGER class_answers_round_open BEFORE INSERT ON class_answers
    WHEN NOT EXISTS (
        SELECT 1 FROM class_rounds r
        WHERE r.id = NEW.round_id AND r.opened_at IS NOT NULL AND r.locked_at IS NULL
          AND (r.closes_at IS NULL OR r.closes_at >= strftime('%Y-%m-%d %H:%M:%f', 'now')))
    BEGIN SELECT RAISE(ABORT, '{NOT_OPEN}'); END
    """,
    f"""
    CREATE TRIGGER class_answers_player_present BEFORE INSERT ON class_answers
    WHEN EXISTS (SELECT 1 FROM class_players p
                 WHERE p.id = NEW.player_id AND p.removed_at IS NOT NULL)
    BEGIN SELECT RAISE(ABORT, '{REMOVED}'); END
    """,
    f"""
    CREATE TRIGGER class_answers_immutable BEFORE UPDATE ON class_answers
    BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END
    """,
)

POSTGRES_TRIGGERS = (
    f"""
    CREATE FUNCTION class_answers_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION '{IMMUTABLE}' USING ERRCODE = 'check_violation';
        END IF;
        PERFORM 1 FROM class_rounds r
        WHERE r.id = NEW.round_id AND r.opened_at IS NOT NULL AND r.locked_at IS NULL
          AND (r.closes_at IS NULL OR r.closes_at >= clock_timestamp())
        FOR SHARE;
        IF NOT FOUND THEN
            RAISE EXCEPTION '{NOT_OPEN}' USING ERRCODE = 'check_violation';
        END IF;
        PERFORM 1 FROM class_players p WHERE p.id = NEW.player_id AND p.removed_at IS NULL;
        IF NOT FOUND THEN
            RAISE EXCEPTION '{REMOVED}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER class_answers_check BEFORE INSERT OR UPDATE ON class_answers
    FOR EACH ROW EXECUTE FUNCTION class_answers_check()
    """,
)


def upgrade(conn: Connection) -> None:
    metadata.create_all(conn)
    triggers = SQLITE_TRIGGERS if conn.dialect.name == "sqlite" else POSTGRES_TRIGGERS
    for statement in triggers:
        conn.exec_driver_sql(statement)
