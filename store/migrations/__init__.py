"""Ordered schema migrations, recorded in a version table (no Alembic: a list of functions).

Each migration is a module in this package named ``m<version>_<what>.py`` (e.g.
``m0010_classroom.py``) with a docstring and an ``upgrade(conn)`` function. Versions need not
be consecutive (each part of the app has its own range: classroom 10-19, homework and
practice 20-29), only increasing; :func:`migrate` applies the missing ones in order, in one
transaction, under a lock, so two app processes starting at once do not race. A migration is
self-contained: it declares the tables it creates in its own MetaData (a frozen copy), so
later changes to ``store.schema`` never change what an old migration does.

Run by hand with ``python -m store.migrate`` (the app also migrates on start).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
    text,
)

from ..engine import is_sqlite, write
from ..types import UTCDateTime, utcnow

__all__ = ["Migration", "MIGRATIONS", "migrate", "applied_versions", "SchemaTooNew"]

_NAME = re.compile(r"m(\d{4})_(\w+)")
_LOCK_KEY = 804_512_377  # any fixed number: PostgreSQL advisory lock for migrations

version_table = Table(
    "schema_version", MetaData(),
    Column("version", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
)


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer version of the app than this one."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    upgrade: Callable[[Connection], None]


def _discover() -> tuple[Migration, ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        match = _NAME.fullmatch(info.name)
        if match:
            module = importlib.import_module(f"{__name__}.{info.name}")
            found.append(Migration(int(match[1]), match[2], module.upgrade))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"Two migrations share a version: {sorted(versions)}")
    return tuple(sorted(found, key=lambda m: m.version))


MIGRATIONS: tuple[Migration, ...] = _discover()


def applied_versions(conn: Connection) -> set[int]:
    version_table.create(conn, checkfirst=True)
    return set(conn.scalars(select(version_table.c.version)))


def migrate(engine: Engine, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Bring the schema up to date; the versions applied now (empty if it already was)."""
    with write(engine) as conn:
        if not is_sqlite(conn):  # SQLite's BEGIN IMMEDIATE already serialises writers
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        done = applied_versions(conn)
        known = {m.version for m in migrations}
        if done - known:
            raise SchemaTooNew(
                f"The database has schema version {max(done)}, newer than this app knows "
                f"({max(known, default=0)}). Update the app, or point DATABASE_URL at "
                "another database.")
        applied = []
        for migration in migrations:
            if migration.version in done:
                continue
            migration.upgrade(conn)
            conn.execute(insert(version_table).values(
                version=migration.version, name=migration.name, applied_at=utcnow()))
            applied.append(migration.version)
        return applied
