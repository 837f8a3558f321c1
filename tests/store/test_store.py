"""The store's foundations, on SQLite and on PostgreSQL: configuration, engine settings,
ordered migrations under a lock, UTC times and hashed tokens."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, text

import store
from store import config
from store.migrations import Migration, applied_versions

# ----- configuration ---------------------------------------------------------------------------


def test_default_is_a_sqlite_file_in_the_project(monkeypatch):
    monkeypatch.setattr(config, "SECRETS_FILES", ())
    url = config.database_url({})
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(config.DEFAULT_SQLITE_PATH)


@pytest.mark.parametrize("given", ["postgres://u:pw@db.example:5432/class",
                                   "postgresql://u:pw@db.example:5432/class"])
def test_postgres_urls_get_the_shipped_driver(given):
    url = config.database_url({"DATABASE_URL": given})
    assert url.drivername == "postgresql+psycopg"
    assert url.database == "class"
    assert "pw" not in config.redacted(url)


@pytest.mark.parametrize(("given", "message"), [("mysql://u@h/db", "PostgreSQL or SQLite"),
                                                ("not a url", "not a database address")])
def test_bad_urls_say_what_to_use(given, message):
    with pytest.raises(config.ConfigError, match=message):
        config.database_url({"DATABASE_URL": given})


def test_secrets_file_is_read_when_no_environment(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[database]\nurl = "postgresql://a@b/c"\n')
    monkeypatch.setattr(config, "SECRETS_FILES", (secrets,))
    assert config.database_url({}).drivername == "postgresql+psycopg"
    assert config.database_url({"DATABASE_URL": "sqlite:///x.db"}).database == "x.db"
    secrets.write_text("this is = = not toml")
    with pytest.raises(config.ConfigError, match="cannot be read as TOML"):
        config.database_url({})


# ----- engine ----------------------------------------------------------------------------------


def test_sqlite_settings_are_on(tmp_path):
    eng = store.make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.sqlite3'}")  # folder is created
    with store.read(eng) as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == store.engine.BUSY_TIMEOUT_MS


def test_concurrent_writers_lose_nothing(database_url):
    """Eight threads each add 40 rows in their own short transactions: all 320 arrive."""
    eng = store.make_engine(database_url)
    table = Table("counter", MetaData(), Column("id", Integer, primary_key=True),
                  Column("who", String(10)))
    with store.write(eng) as conn:
        table.create(conn)
    errors = []

    def work(who):
        try:
            for _ in range(40):
                with store.write(eng) as conn:
                    n = conn.scalar(select(func.count()).select_from(table))  # read, then write
                    conn.execute(insert(table).values(who=f"{who}:{n % 7}"))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.read(eng) as conn:
        assert conn.scalar(select(func.count()).select_from(table)) == 320
    eng.dispose()


# ----- migrations ------------------------------------------------------------------------------


def _create(name):
    def upgrade(conn):
        Table(name, MetaData(), Column("id", Integer, primary_key=True)).create(conn)
    return upgrade


FAKE = (Migration(3, "first", _create("first_t")), Migration(7, "second", _create("second_t")))


def test_migrations_apply_in_order_once(database_url):
    eng = store.make_engine(database_url)
    assert store.migrate(eng, FAKE[:1]) == [3]
    assert store.migrate(eng, FAKE) == [7]
    assert store.migrate(eng, FAKE) == []
    with store.read(eng) as conn:
        assert applied_versions(conn) == {3, 7}
        conn.execute(text("SELECT count(*) FROM second_t"))
    eng.dispose()


def test_a_newer_database_is_refused(database_url):
    eng = store.make_engine(database_url)
    store.migrate(eng, FAKE)
    with pytest.raises(store.SchemaTooNew, match="newer than this app knows"):
        store.migrate(eng, FAKE[:1])
    eng.dispose()


def test_a_failed_migration_leaves_nothing_behind(database_url):
    def broken(conn):
        _create("half_t")(conn)
        raise RuntimeError("boom")

    eng = store.make_engine(database_url)
    with pytest.raises(RuntimeError, match="boom"):
        store.migrate(eng, (*FAKE, Migration(9, "broken", broken)))
    with store.read(eng) as conn:
        assert applied_versions(conn) == set()  # DDL is transactional on both
    assert store.migrate(eng, FAKE) == [3, 7]
    eng.dispose()


def test_processes_starting_together_migrate_once(database_url):
    results, errors = [], []

    def start():
        eng = store.make_engine(database_url)
        try:
            results.append(store.migrate(eng, FAKE))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            eng.dispose()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results, key=len) == [[], [], [], [3, 7]]


def test_the_real_migrations_run_on_both(engine):
    with store.read(engine) as conn:
        assert applied_versions(conn) == {m.version for m in store.MIGRATIONS}


# ----- times and tokens ------------------------------------------------------------------------


def test_times_come_back_aware_and_in_utc(database_url):
    eng = store.make_engine(database_url)
    table = Table("times", MetaData(), Column("id", Integer, primary_key=True),
                  Column("at", store.UTCDateTime))
    berlin = datetime(2026, 12, 3, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    with store.write(eng) as conn:
        table.create(conn)
        conn.execute(insert(table).values(id=1, at=berlin))
    with store.read(eng) as conn:
        back = conn.scalar(select(table.c.at))
    assert back == berlin and back.tzinfo is not None and back.utcoffset() == timedelta(0)
    with pytest.raises(Exception, match="time zone"), store.write(eng) as conn:
        conn.execute(insert(table).values(id=2, at=datetime(2026, 1, 1)))
    eng.dispose()
    assert store.utcnow().tzinfo is UTC


def test_tokens_are_long_random_and_stored_hashed():
    tokens = {store.new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    token = tokens.pop()
    assert len(token) >= 22  # >= 128 bits in base64
    stored = store.token_hash(token)
    assert token not in stored and len(stored) == 64
    assert store.same_token(token, stored)
    assert not store.same_token(token[:-1] + ("A" if token[-1] != "A" else "B"), stored)
    assert not store.same_token(None, stored)
    with pytest.raises(ValueError, match="128 bits"):
        store.new_token(8)
