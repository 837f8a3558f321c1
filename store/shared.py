"""One migrated engine per database for the whole process.

Class games' phone endpoints, the host's page, homework and practice pages all use the same
engine (an engine is thread-safe and holds the connection pool), so a process opens each
database once and migrates it once; processes starting together migrate once too (the
migrations' lock).
"""

from __future__ import annotations

import functools

from sqlalchemy.engine import URL, Engine

from .config import database_url, normalize_url
from .engine import make_engine
from .migrations import migrate

__all__ = ["open_engine", "shared_engine"]

# PostgreSQL: as many connections as the server has worker threads (the phone endpoints run
# their queries in Starlette's thread pool of 28, plus the pages' own).
POSTGRES_POOL = {"pool_size": 10, "max_overflow": 30}


def shared_engine(url: URL | str | None = None) -> Engine:
    """The process's engine for ``url`` (default: the configured database), migrated."""
    return _engine_for(_url(url).render_as_string(hide_password=False))


@functools.cache
def _engine_for(url: str) -> Engine:
    return open_engine(url)


def open_engine(url: URL | str | None = None) -> Engine:
    """A new migrated engine (tests and benchmarks that want their own)."""
    url = _url(url)
    options = {} if url.get_backend_name() == "sqlite" else POSTGRES_POOL
    engine = make_engine(url, **options)
    migrate(engine)
    return engine


def _url(url: URL | str | None) -> URL:
    if url is None:
        return database_url()
    return normalize_url(url) if isinstance(url, str) else url
