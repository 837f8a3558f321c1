"""The database: one SQLAlchemy engine from DATABASE_URL (a SQLite file by default), its schema
migrations, and the small shared pieces every table uses (UTC times, hashed tokens).

Class games and homework keep their state here, never in a process's memory, so any app
process can serve any phone. See docs/architecture.md ("The store").
"""

from .config import ConfigError, database_url, normalize_url, redacted
from .engine import is_sqlite, make_engine, read, write
from .migrations import MIGRATIONS, SchemaTooNew, migrate
from .shared import open_engine, shared_engine
from .tokens import new_token, same_token, token_hash
from .types import UTCDateTime, utcnow

__all__ = [
    "ConfigError",
    "database_url",
    "normalize_url",
    "redacted",
    "make_engine",
    "read",
    "write",
    "is_sqlite",
    "migrate",
    "shared_engine",
    "open_engine",
    "MIGRATIONS",
    "SchemaTooNew",
    "new_token",
    "token_hash",
    "same_token",
    "UTCDateTime",
    "utcnow",
]
