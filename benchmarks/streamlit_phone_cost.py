"""What one phone costs when the phone view is a Streamlit session (the experiment behind the
choice of the phone transport; see docs/architecture.md, "Class games: the phone transport").

Starts ``streamlit run`` on a phone page written the Streamlit way (a fragment that polls the
game's state every 2 s, the prompt, four answer buttons and the player's points; the state is
one row read from SQLite, like the real thing), then holds N simulated phones against it over
Streamlit's own websocket protocol: each opens a session, runs the page, and replays the
fragment's automatic reruns as a browser does. For each N it reports the server's memory, its
CPU per minute, the latency of the polls, and the latency of a burst in which every phone
answers at once (a full rerun each), the moment a class game is about.

    python benchmarks/streamlit_phone_cost.py --phones 25 100 300 --seconds 30

Run by hand; the numbers go to docs/architecture.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

PAGE = '''
import sqlite3
import streamlit as st

DB = {db!r}

@st.fragment(run_every="2s")
def live():
    with sqlite3.connect(DB) as conn:
        phase, prompt, points = conn.execute("SELECT phase, prompt, points FROM state").fetchone()
    st.caption(f"Phase: {{phase}} · your points: {{points}}")
    st.markdown(prompt)
    cols = st.columns(2)
    for i, label in enumerate(["A", "B", "C", "D"]):
        if cols[i % 2].button(label, key=f"answer{{i}}", width="stretch"):
            st.session_state["picked"] = label
    if "picked" in st.session_state:
        st.success(f"Answer {{st.session_state['picked']}} sent.")

st.title("Class game")
st.text_input("Nickname", key="nick")
live()
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(folder: Path, port: int) -> subprocess.Popen:
    db = folder / "state.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE state (phase TEXT, prompt TEXT, points INT)")
        conn.execute("INSERT INTO state VALUES ('question', "
                     "'**Which panel is real?** Tap a number.', 0)")
    (folder / "phone.py").write_text(PAGE.format(db=str(db)))
    server = subprocess.Popen(
        [PYTHON, "-m", "streamlit", "run", str(folder / "phone.py"), "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1",
         "--browser.gatherUsageStats=false", "--global.developmentMode=false",
         "--server.fileWatcherType=none"],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("streamlit did not start")


class Phone:
    """One simulated browser tab: a websocket session that reruns as Streamlit's client does."""

    def __init__(self, port: int):
        self.url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.fragment: str | None = None
        self.interval = 2.0
        self.page_hash = ""
        self.poll_latencies: list[float] = []
        self.burst_latency: float | None = None
        self.done = asyncio.Event()
        self.ws = None

    async def run(self, stop: asyncio.Event, ready: asyncio.Event) -> None:
        async with websockets.connect(self.url, max_size=None, open_timeout=60,
                                      ping_interval=None) as ws:
            self.ws = ws
            reader = asyncio.create_task(self._read())
            await self._send(ClientState(query_string=""))
            await asyncio.wait_for(self.done.wait(), 120)
            ready.set()
            while not stop.is_set():
                await asyncio.sleep(self.interval)
                if stop.is_set() or self.fragment is None:
                    continue
                start = time.perf_counter()
                await self._send(ClientState(page_script_hash=self.page_hash,
                                             fragment_id=self.fragment, is_auto_rerun=True))
                await self.done.wait()
                self.poll_latencies.append(time.perf_counter() - start)
            reader.cancel()

    async def burst(self) -> None:
        """A full rerun, as a click on an answer button causes."""
        start = time.perf_counter()
        await self._send(ClientState(page_script_hash=self.page_hash))
        await self.done.wait()
        self.burst_latency = time.perf_counter() - start

    async def _send(self, state: ClientState) -> None:
        self.done.clear()
        await self.ws.send(BackMsg(rerun_script=state).SerializeToString())

    async def _read(self) -> None:
        async for raw in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash
            elif kind == "auto_rerun":
                self.fragment, self.interval = msg.auto_rerun.fragment_id, \
                    msg.auto_rerun.interval
            elif kind == "script_finished":
                self.done.set()


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(0.95 * len(values)))] if values else float("nan")


async def measure(port: int, pid: int, n: int, seconds: float) -> dict:
    stop = asyncio.Event()
    warm = Phone(port)  # the first session loads the page's modules: not a per-phone cost
    warm_ready = asyncio.Event()
    warm_task = asyncio.create_task(warm.run(stop, warm_ready))
    await asyncio.wait_for(warm_ready.wait(), 120)
    await asyncio.sleep(2)
    base_rss = rss_mb(pid)
    phones = [Phone(port) for _ in range(n)]
    tasks = []
    for phone in phones:  # phones arrive over a few seconds, as a class does
        ready = asyncio.Event()
        tasks.append(asyncio.create_task(phone.run(stop, ready)))
        await asyncio.sleep(0.02)
    await asyncio.sleep(5)
    cpu0, t0, client0 = cpu_seconds(pid), time.perf_counter(), time.process_time()
    for phone in phones:
        phone.poll_latencies.clear()
    await asyncio.sleep(seconds)
    elapsed = time.perf_counter() - t0
    cpu_per_min = (cpu_seconds(pid) - cpu0) / elapsed * 60
    client_per_min = (time.process_time() - client0) / elapsed * 60
    polls = [x for phone in phones for x in phone.poll_latencies]
    rss = rss_mb(pid)
    await asyncio.gather(*(phone.burst() for phone in phones))
    bursts = [phone.burst_latency for phone in phones if phone.burst_latency is not None]
    stop.set()
    await asyncio.gather(warm_task, *tasks, return_exceptions=True)
    return {"phones": n, "rss_mb": rss, "rss_per_phone_mb": (rss - base_rss) / n,
            "cpu_s_per_min": cpu_per_min, "cpu_s_per_phone_min": cpu_per_min / n,
            "poll_p95_ms": 1000 * p95(polls), "polls": len(polls),
            "expected_polls": int(n * seconds / 2), "client_cpu_s_per_min": client_per_min,
            "burst_p95_ms": 1000 * p95(bursts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, nargs="+", default=[25, 100, 300])
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    for n in args.phones:
        with tempfile.TemporaryDirectory() as tmp:
            port = free_port()
            server = start_server(Path(tmp), port)
            try:
                time.sleep(2)
                r = asyncio.run(measure(port, server.pid, n, args.seconds))
            finally:
                server.terminate()
                server.wait(timeout=30)
        print(f"streamlit sessions {r['phones']}: server {r['rss_mb']:.0f} MB "
              f"({r['rss_per_phone_mb']:.2f} MB per phone), CPU {r['cpu_s_per_min']:.1f} s "
              f"per minute ({r['cpu_s_per_phone_min']:.3f} s per phone-minute), poll p95 "
              f"{r['poll_p95_ms']:.0f} ms over {r['polls']} polls (of {r['expected_polls']} due), "
              f"answer burst p95 {r['burst_p95_ms']:.0f} ms; the simulated phones used "
              f"{r['client_cpu_s_per_min']:.1f} s CPU per minute", flush=True)


if __name__ == "__main__":
    main()
