"""Where the database is: DATABASE_URL, else Streamlit's secrets file, else a local SQLite file.

Nothing to configure for a laptop: the default is a SQLite file under ``var/`` in the project
folder, created on first start. A department server points ``DATABASE_URL`` (or
``DATABASE_URL = "..."`` / ``[database] url = "..."`` in ``.streamlit/secrets.toml``) at
PostgreSQL. Read here rather than through ``st.secrets`` so that the store never imports
streamlit (benchmarks and command-line tools use it too).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from sqlalchemy.engine import URL, make_url

__all__ = ["DEFAULT_SQLITE_PATH", "database_url", "normalize_url", "redacted"]

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_SQLITE_PATH = PROJECT / "var" / "lmm_games.sqlite3"
SECRETS_FILES = (PROJECT / ".streamlit" / "secrets.toml",
                 Path.home() / ".streamlit" / "secrets.toml")


class ConfigError(ValueError):
    """A database setting that cannot be used, with what to change."""


def database_url(environ: dict | None = None) -> URL:
    """The database to use, as a SQLAlchemy URL (see the module docstring for the order)."""
    environ = os.environ if environ is None else environ
    text = environ.get("DATABASE_URL") or _from_secrets()
    if not text:
        return make_url(f"sqlite:///{DEFAULT_SQLITE_PATH}")
    return normalize_url(text)


def normalize_url(text: str) -> URL:
    """A URL with the driver this project ships: psycopg 3 for PostgreSQL.

    ``postgres://`` and ``postgresql://`` (what hosting providers hand out) both become
    ``postgresql+psycopg://``; SQLite URLs are kept; anything else is refused with a message.
    """
    try:
        url = make_url(text.strip())
    except Exception as error:  # noqa: BLE001 - sqlalchemy raises ArgumentError subclasses
        raise ConfigError(f"DATABASE_URL is not a database address ({error}). Use e.g. "
                          "postgresql://user:password@host:5432/dbname or "
                          "sqlite:////path/to/file.sqlite3.") from None
    backend = url.get_backend_name()
    if backend in ("postgres", "postgresql"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url
    raise ConfigError(f"DATABASE_URL names a {backend!r} database; this app runs on "
                      "PostgreSQL or SQLite.")


def redacted(url: URL) -> str:
    """The URL without its password, for logs and error messages."""
    return url.render_as_string(hide_password=True)


def _from_secrets() -> str | None:
    for path in SECRETS_FILES:
        if not path.is_file():
            continue
        try:
            secrets = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{path} cannot be read as TOML ({error}); fix or remove it.") \
                from None
        value = secrets.get("DATABASE_URL") or secrets.get("database", {}).get("url")
        if value:
            return str(value)
    return None
