"""The real app server for tests and benchmarks: ``streamlit run streamlit_app.py`` on a free
loopback port with its own DATABASE_URL, started, killed (SIGKILL) and restarted at will.

Used by the class games' server tests (restart, two servers on one PostgreSQL, the browser
test) and by benchmarks/bench_class.py and bench_class_browsers.py.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

__all__ = ["AppServer", "free_port", "rss_mb", "peak_rss_mb", "cpu_seconds", "postgres_url"]

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    def __init__(self, database_url: str, log: Path, port: int | None = None):
        self.database_url, self.log, self.port = database_url, Path(log), port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def start(self, timeout: float = 120) -> AppServer:
        env = os.environ | {"DATABASE_URL": self.database_url, "PYTHONPATH": os.pathsep.join(
            [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
                 "--server.headless", "true", "--server.port", str(self.port),
                 "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                 "--server.fileWatcherType", "none"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app server exited early; see {self.log}")
            with contextlib.suppress(OSError), \
                    urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                return self
            time.sleep(0.2)
        raise TimeoutError(f"the app server did not answer within {timeout} s; see {self.log}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing; what a crash or a pulled plug does."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextlib.contextmanager
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL (TEST_POSTGRES_URL's server if set) with a new database."""
    import tempfile

    from tests import pgserver

    admin = os.environ.get("TEST_POSTGRES_URL")
    started = admin is None
    folder = Path(tempfile.mkdtemp(prefix="lmm-class-pg-"))  # its own: postgres must enter it
    if started:
        admin = pgserver.start(folder)
    url, drop = pgserver.fresh_database(admin, prefix="class")
    try:
        yield url
    finally:
        drop()
        if started:
            pgserver.stop(folder)


def _status(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb(pid: int) -> float:
    return _status(pid, "VmRSS")


def peak_rss_mb(pid: int) -> float:
    return _status(pid, "VmHWM")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
