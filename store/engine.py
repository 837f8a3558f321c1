"""The SQLAlchemy engine, set up so that many short transactions from many phones stay safe.

SQLite (the default) gets WAL mode (readers never wait for the writer), a busy timeout (a writer
waits for another instead of failing), foreign keys on, and ``BEGIN IMMEDIATE`` for write
transactions: a deferred transaction that reads and then writes can fail at once with "database
is locked" when another writer got there first, whatever the busy timeout; taking the write lock
at BEGIN makes it wait its turn instead. PostgreSQL needs none of this.

SQLite connections are pooled (one thread at a time uses each): closing the last connection to
a WAL database checkpoints it and deletes the WAL file, and the next write creates it again,
which cost ~12 ms per short transaction here (measured with the class games' answers); a kept
connection makes a transaction a fraction of a millisecond. An in-memory database is one
shared connection (each new connection would be a new, empty database).

Use :func:`write` for a transaction that changes data and :func:`read` for one that only reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.pool import QueuePool, StaticPool

from .config import database_url

__all__ = ["make_engine", "write", "read", "is_sqlite", "BUSY_TIMEOUT_MS"]

BUSY_TIMEOUT_MS = 10_000
_WRITE = "lmm_write"


def make_engine(url: URL | str | None = None, **kwargs) -> Engine:
    """An engine for ``url`` (default: :func:`store.config.database_url`).

    The SQLite file's folder is created if needed, so the first start needs no setup.
    """
    url = database_url() if url is None else url
    if isinstance(url, str):
        from .config import normalize_url

        url = normalize_url(url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs = {"poolclass": QueuePool, "pool_size": 8, "max_overflow": 32,
                  "connect_args": {"check_same_thread": False}} | kwargs
    else:
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}} | kwargs
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """One short transaction that may change data; committed on success, rolled back on error."""
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        with conn.begin():
            yield conn


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction (a consistent snapshot)."""
    with engine.connect() as conn, conn.begin():
        yield conn


def _sqlite_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred and late).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", f"busy_timeout={BUSY_TIMEOUT_MS}", "foreign_keys=ON",
                   "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
