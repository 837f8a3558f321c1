"""The class games' engine: the configured store (DATABASE_URL, else the SQLite file), migrated.

Every app process opens it once; migrations run under the store's lock, so processes starting
together migrate once.
"""

from __future__ import annotations

import functools

from sqlalchemy.engine import URL, Engine

import store

__all__ = ["open_store", "shared_store"]


def shared_store(url: URL | str | None = None) -> Engine:
    """One migrated engine per database for the whole process (the phone endpoints and the
    host's page share it; an engine is thread-safe)."""
    url = store.database_url() if url is None else url
    if isinstance(url, str):
        url = store.normalize_url(url)
    return _engine_for(url.render_as_string(hide_password=False))


@functools.cache
def _engine_for(url: str) -> Engine:
    return open_store(url)


def open_store(url: URL | str | None = None) -> Engine:
    """A migrated engine. PostgreSQL gets a pool as large as the server's worker threads (the
    phone endpoints run their queries in Starlette's thread pool of 28)."""
    url = store.database_url() if url is None else url
    if isinstance(url, str):
        url = store.normalize_url(url)
    options = {} if url.get_backend_name() == "sqlite" else {"pool_size": 10,
                                                             "max_overflow": 30}
    engine = store.make_engine(url, **options)
    store.migrate(engine)
    return engine
