"""Practice that remembers: a learner behind a personal link, and every round they played.

Frozen copy of the tables as first created (store/homework_tables.py holds the current ones).
One row per (learner, game, seed, difficulty): the database itself refuses a second answer to
the same round, so a reload never scores a round twice.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from store.types import UTCDateTime

metadata = MetaData()

Table(
    "practice_learner", metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
)

Table(
    "practice_round", metadata,
    Column("id", Integer, primary_key=True),
    Column("learner", Integer, ForeignKey("practice_learner.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("game", String(40), nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("difficulty", String(20), nullable=False),
    Column("answer_json", Text, nullable=False),
    Column("points", Integer, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("misconception", String(100)),
    Column("played_at", UTCDateTime, nullable=False),
    UniqueConstraint("learner", "game", "seed", "difficulty", name="uq_practice_round"),
)


def upgrade(conn) -> None:
    metadata.create_all(conn)
