"""A class of simulated phones against the real server: every answer stored, and how fast.

Starts ``streamlit run streamlit_app.py`` on 127.0.0.1 (the same command as the README's Quick
start) on a fresh database: a SQLite file, or a throwaway PostgreSQL server (tests/pgserver.py)
with ``--store postgresql``. Creates a game of ``--rounds`` rounds (the lecture's playlist,
repeated), then ``--phones`` simulated phones join and follow it as the phone page does (long
polling the state). The host drives the game through the server's host endpoint; in each round
every phone answers once, at a random moment within 5 s of the question opening (a burst),
with a valid random answer. Afterwards the answers in the database are counted.

    python benchmarks/bench_class.py --phones 300 --rounds 10 --store sqlite

Last line: ``phones 300, answers sent 3000, stored 3000, lost 0, p95 answer latency N ms``.
Run by hand; the numbers go to docs/architecture.md and the issue's closing note.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from classroom import host, lecture_playlist, open_store  # noqa: E402
from classroom.playlists import Slot  # noqa: E402
from classroom.rounds import build_round  # noqa: E402
from games import GAMES  # noqa: E402
from games.answers import InvalidAnswer  # noqa: E402
from tests.appserver import AppServer, cpu_seconds, peak_rss_mb, postgres_url, rss_mb  # noqa: E402

BURST = 5.0


def random_answer(round_, rng: random.Random) -> dict:
    """A valid answer, as a student's phone would send it (numbers as typed text): drawn until
    the game accepts it (a bootstrap interval's lower end must be below its upper end)."""
    for _ in range(50):
        answer = _draw(round_, rng)
        try:
            GAMES[round_.game].score(round_, answer)
        except InvalidAnswer:
            continue
        return answer
    raise RuntimeError(f"no valid random answer for {round_.game} seed {round_.seed}")


def _draw(round_, rng: random.Random) -> dict:
    answer = {}
    for q in round_.questions:
        if q.kind == "choice":
            answer[q.id] = rng.choice(q.options).value
        elif q.kind == "number":
            low = q.low if q.low is not None else -100.0
            high = q.high if q.high is not None else 100.0
            answer[q.id] = f"{rng.uniform(low, high):.2f}"
        else:
            answer[q.id] = str(round_.solution[q.id])
    return answer


class Phone:
    def __init__(self, client: aiohttp.ClientSession, code: str, name: str, rounds, seed: int):
        self.client, self.code, self.name, self.rounds = client, code, name, rounds
        self.rng = random.Random(seed)
        self.token = None
        self.answered: set[int] = set()
        self.latencies: list[float] = []
        self.sent = self.acknowledged = self.retries = 0
        self.errors: list[str] = []

    async def join(self) -> None:
        async with self.client.post(f"/api/class/{self.code}/join",
                                    json={"nickname": self.name}) as reply:
            reply.raise_for_status()
            self.token = (await reply.json())["token"]

    async def follow(self) -> None:
        version = -1
        headers = {"X-Player-Token": self.token}
        while True:
            try:
                async with self.client.get(f"/api/class/{self.code}/state",
                                           params={"since": version}, headers=headers) as reply:
                    status, state = reply.status, await reply.json()
            except (aiohttp.ClientError, TimeoutError) as error:
                self.errors.append(f"state: {type(error).__name__}")
                await asyncio.sleep(1)
                continue
            if status != 200:
                self.errors.append(f"state {status}: {state}")
                await asyncio.sleep(1)
                continue
            version = state["version"]
            if state["phase"] == "summary":
                return
            number = (state.get("round") or {}).get("number")
            if state["phase"] == "question" and number not in self.answered \
                    and not state["you"]["answered"]:
                self.answered.add(number)
                asyncio.get_running_loop().create_task(self.answer(number))

    async def answer(self, number: int) -> None:
        await asyncio.sleep(self.rng.uniform(0, BURST))
        body = {"round": number, "answer": random_answer(self.rounds[number - 1], self.rng)}
        self.sent += 1
        start = time.perf_counter()
        for attempt in range(2):  # a browser resends once on a connection the server closed;
            try:                  # the database makes the resent answer count once
                async with self.client.post(f"/api/class/{self.code}/answer", json=body,
                                            headers={"X-Player-Token": self.token}) as reply:
                    status, text = reply.status, await reply.text()
                break
            except (aiohttp.ClientError, TimeoutError) as error:
                if attempt:
                    self.errors.append(f"answer: {type(error).__name__}")
                    return
                self.retries += 1
        self.latencies.append(time.perf_counter() - start)
        if status == 200:
            self.acknowledged += 1
        else:
            self.errors.append(f"answer {status}: {text[:160]}")


async def drive(base: str, code: str, key: str, phones: list[Phone], n_rounds: int) -> None:
    async def step(expect: str) -> None:
        async with aiohttp.ClientSession(base) as client, client.post(  # a fresh connection
                f"/api/class/{code}/host", json={"key": key, "action": "advance"}) as reply:
            reply.raise_for_status()
            state = await reply.json()
        assert state["phase"] == expect, state

    for number in range(1, n_rounds + 1):
        await step("question")
        deadline = time.monotonic() + BURST + 30
        while time.monotonic() < deadline and sum(
                p.acknowledged + len([e for e in p.errors if e.startswith("answer")])
                for p in phones) < len(phones) * number:
            await asyncio.sleep(0.2)
        for phase in ("locked", "reveal", "leaderboard"):
            await step(phase)
            await asyncio.sleep(1.0)  # phones fetch the new state, as in class
    await step("poll")
    await step("summary")


async def run_class(base: str, code: str, key: str, rounds, n_phones: int) -> list[Phone]:
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as client:
        phones = [Phone(client, code, f"phone {i:03d}", rounds, i) for i in range(n_phones)]
        for i in range(0, n_phones, 25):  # a class arrives over a few seconds
            await asyncio.gather(*(p.join() for p in phones[i:i + 25]))
        followers = [asyncio.create_task(p.follow()) for p in phones]
        await asyncio.sleep(2)
        await drive(base, code, key, phones, len(rounds))
        await asyncio.wait_for(asyncio.gather(*followers), 120)
    return phones


def stored_answers(url: str, code: str) -> int:
    from sqlalchemy import func, select

    import store
    from store import classroom_tables as t

    engine = store.make_engine(url)
    with store.read(engine) as conn:
        game_id = conn.scalar(select(t.games.c.id).where(t.games.c.code == code))
        n = conn.scalar(select(func.count()).select_from(t.answers)
                        .where(t.answers.c.game_id == game_id))
    engine.dispose()
    return n


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(0.95 * len(values)))] if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", help="a running deployment (e.g. nginx in front of two app "
                        "processes) instead of starting a server; needs --database-url")
    parser.add_argument("--database-url", help="the deployment's DATABASE_URL")
    args = parser.parse_args()
    lecture = lecture_playlist()
    slots = [Slot(s.game, "normal", 100 + i) for i, s in
             enumerate((lecture * (args.rounds // len(lecture) + 1))[:args.rounds])]
    rounds = [build_round(s.game, s.seed, s.difficulty) for s in slots]
    if args.url:
        if not args.database_url:
            parser.error("--url needs --database-url (to create the game and count answers)")
        url = args.database_url
        created = host.create_game(open_store(url), slots, "bench")
        t0, client_cpu = time.time(), time.process_time()
        phones = asyncio.run(run_class(args.url, created.code, created.host_key, rounds,
                                       args.phones))
        elapsed, client_cpu = time.time() - t0, time.process_time() - client_cpu
        server_cpu = rss_before = rss_after = peak = float("nan")
        stored = stored_answers(url, created.code)
    else:
        with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
            folder = Path(tmp)
            url = (stack.enter_context(postgres_url()) if args.store == "postgresql"
                   else f"sqlite:///{folder / 'class.sqlite3'}")
            server = AppServer(url, folder / "server.log").start()
            stack.callback(server.stop)
            created = host.create_game(open_store(url), slots, "bench")
            rss_before, cpu_before, t0 = rss_mb(server.pid), cpu_seconds(server.pid), time.time()
            client_cpu = time.process_time()
            phones = asyncio.run(run_class(server.url, created.code, created.host_key, rounds,
                                           args.phones))
            elapsed = time.time() - t0
            server_cpu = cpu_seconds(server.pid) - cpu_before
            client_cpu = time.process_time() - client_cpu
            rss_after, peak = rss_mb(server.pid), peak_rss_mb(server.pid)
            stored = stored_answers(url, created.code)
    sent = sum(p.sent for p in phones)
    latencies = [x for p in phones for x in p.latencies]
    errors = [e for p in phones for e in p.errors]
    retries = sum(p.retries for p in phones)
    server = (f"deployment at {args.url}: {elapsed:.0f} s for the game; client CPU "
              f"{client_cpu:.0f} s" if args.url else
              f"store {args.store}: {elapsed:.0f} s for the game; server CPU {server_cpu:.0f} s "
              f"({server_cpu / elapsed:.0%} of one core), client CPU {client_cpu:.0f} s; server "
              f"memory {rss_before:.0f} MB before the class, {rss_after:.0f} MB after, peak "
              f"{peak:.0f} MB")
    print(f"{server}; answer latency p50 {1000 * sorted(latencies)[len(latencies) // 2]:.0f}"
          f" ms, max {1000 * max(latencies):.0f} ms; {retries} answers resent after a closed "
          f"connection; {len(errors)} errors"
          + (f" (first: {errors[0]})" if errors else ""))
    print(f"phones {args.phones}, answers sent {sent}, stored {stored}, lost {sent - stored}, "
          f"p95 answer latency {1000 * p95(latencies):.0f} ms")


if __name__ == "__main__":
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    main()
