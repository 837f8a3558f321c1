"""Homework: assignments, their items, enrolled students, drafts and graded submissions.

Frozen copy of the tables as first created (store/homework_tables.py holds the current ones).
Seeds are not stored per student: they follow from the assignment's secret (homework.seeds);
each submission keeps the seed it was graded on, for audits.
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
    "hw_assignment", metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("secret", String(64), nullable=False),
    Column("lecturer_key_hash", String(64), nullable=False, unique=True),
    Column("enrol_key_hash", String(64), unique=True),
    Column("opens_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("feedback", String(20), nullable=False),
    Column("after_due", String(20), nullable=False),
    Column("links_expire_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

Table(
    "hw_item", metadata,
    Column("assignment_id", Integer, ForeignKey("hw_assignment.id", ondelete="CASCADE"),
           primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("game", String(40), nullable=False),
    Column("difficulty", String(20), nullable=False),
    Column("rounds", Integer, nullable=False),
)

Table(
    "hw_student", metadata,
    Column("id", Integer, primary_key=True),
    Column("assignment_id", Integer, ForeignKey("hw_assignment.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("student_id", String(100), nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("link_version", Integer, nullable=False),
    Column("enrolled_at", UTCDateTime, nullable=False),
    UniqueConstraint("assignment_id", "student_id", name="uq_hw_student_id"),
)

Table(
    "hw_draft", metadata,
    Column("student", Integer, ForeignKey("hw_student.id", ondelete="CASCADE"),
           primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("round_no", Integer, primary_key=True),
    Column("answer_json", Text, nullable=False),
    Column("saved_at", UTCDateTime, nullable=False),
)

Table(
    "hw_submission", metadata,
    Column("id", Integer, primary_key=True),
    Column("student", Integer, ForeignKey("hw_student.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("round_no", Integer, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("answer_json", Text, nullable=False),
    Column("points", Integer, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("misconception", String(100)),
    Column("submitted_at", UTCDateTime, nullable=False),
    Column("late", Boolean, nullable=False),
    UniqueConstraint("student", "position", "round_no", "attempt", name="uq_hw_attempt"),
)


def upgrade(conn) -> None:
    metadata.create_all(conn)
