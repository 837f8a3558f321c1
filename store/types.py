"""Column types shared by every table: times are stored and returned in UTC, always aware."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

__all__ = ["UTCDateTime", "utcnow"]


def utcnow() -> datetime:
    """Now, in UTC, timezone-aware (the only kind of time the store accepts)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp that goes in as an aware datetime and comes out aware, in UTC.

    PostgreSQL keeps ``timestamptz``; SQLite keeps text without a zone, so the zone is put
    back on the way out. Naive datetimes are refused: they are the classic source of
    off-by-the-time-zone deadlines.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"Store times with a time zone (got naive {value!r}); "
                             "use store.utcnow() or datetime.now(UTC).")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
