"""Settings for the whole test suite."""

import os

# One BLAS thread, as the app runs (see streamlit_app.py): on this 2-core kind of machine
# OpenBLAS's thread start-up costs milliseconds per small-matrix call.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


# ----- databases: every store test runs on SQLite and on PostgreSQL ---------------------------
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def postgres_admin_url():
    """An admin URL of a PostgreSQL server: TEST_POSTGRES_URL (set by .ci/run), else a
    throwaway server started here; skips (saying why) when neither is possible."""
    given = os.environ.get("TEST_POSTGRES_URL")
    if given:
        yield given
        return
    from tests import pgserver

    folder = Path(tempfile.mkdtemp(prefix="lmm-pg-"))
    try:
        url = pgserver.start(folder)
    except pgserver.PostgresUnavailable as why:
        pgserver.stop(folder)
        pytest.skip(f"PostgreSQL tests skipped: {why}")
    yield url
    pgserver.stop(folder)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A URL of a new, empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    from tests import pgserver

    url, drop = pgserver.fresh_database(request.getfixturevalue("postgres_admin_url"))
    yield url
    drop()


@pytest.fixture
def engine(database_url):
    """A migrated engine on a new database (SQLite and PostgreSQL)."""
    import store

    eng = store.make_engine(database_url)
    store.migrate(eng)
    yield eng
    eng.dispose()
