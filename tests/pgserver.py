"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, start on a free
loopback port, stop and delete at the end.

Used by tests/conftest.py (when TEST_POSTGRES_URL is not set) and by .ci/run:

    python -m tests.pgserver start DIR   # prints the admin URL; the server keeps running
    python -m tests.pgserver stop DIR

initdb refuses to run as root, so as root the server runs as the ``postgres`` user (Debian's
postgresql package creates it). Finds the binaries on PATH or in /usr/lib/postgresql/*/bin.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

__all__ = ["PostgresUnavailable", "find_bin_dir", "start", "stop", "fresh_database"]


class PostgresUnavailable(RuntimeError):
    """Why a throwaway server cannot be started here (the tests skip with this reason)."""


def find_bin_dir() -> Path:
    on_path = shutil.which("initdb")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    raise PostgresUnavailable(
        "PostgreSQL's server binaries (initdb, pg_ctl) are not installed: "
        "apt-get install postgresql, or set TEST_POSTGRES_URL to a server's admin URL.")


def _run(args: list[str], as_user: str | None) -> subprocess.CompletedProcess:
    if as_user:
        args = ["runuser", "-u", as_user, "--", *args]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _owner() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable("Running as root, but there is no 'postgres' user to run "
                                  "the server as (initdb refuses root).") from None
    return "postgres"


def start(folder: Path) -> str:
    """Start a server whose files live in ``folder``; its admin URL (user postgres, no password)."""
    bin_dir, user = find_bin_dir(), _owner()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data, port = folder / "data", _free_port()
    if user:
        shutil.chown(folder, user=user)
    done = _run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                 "-E", "UTF8", "--locale=C", "--no-sync"], user)
    if done.returncode:
        raise PostgresUnavailable(f"initdb failed: {done.stderr.strip()[-500:]}")
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=400")
    done = _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                 str(folder / "server.log"), "-w", "-t", "60", "start"], user)
    if done.returncode:
        log = (folder / "server.log").read_text(errors="replace")[-800:] \
            if (folder / "server.log").exists() else ""
        raise PostgresUnavailable(f"pg_ctl start failed: {done.stderr.strip()} {log}")
    (folder / "port").write_text(str(port))
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"


def stop(folder: Path) -> None:
    folder = Path(folder)
    if (folder / "data").exists():
        _run([str(find_bin_dir() / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate",
              "-w", "stop"], _owner())
    shutil.rmtree(folder, ignore_errors=True)


def fresh_database(admin_url: str, prefix: str = "test") -> tuple[str, Callable[[], None]]:
    """(URL, drop): a new, empty database on the server of ``admin_url``, with psycopg 3 as
    the app uses; drop() removes it (also with connections still open)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    url = make_url(admin_url).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False), drop


if __name__ == "__main__":
    command, where = sys.argv[1], Path(sys.argv[2])
    if command == "start":
        print(start(where))
    elif command == "stop":
        stop(where)
    else:
        sys.exit(f"usage: python -m tests.pgserver start|stop DIR (got {command!r})")
