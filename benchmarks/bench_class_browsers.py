"""A class of real phones: N headless Chromium pages play a class game end to end.

Starts the real server (``streamlit run streamlit_app.py``, fresh SQLite file, or
``--store postgresql``), creates a game of the lecture's first ``--rounds`` rounds, and opens
``--phones`` pages at 390 x 844 in Debian's Chromium. Each page joins on /join with the code
and a nickname, and in every round taps an answer for every question (a random option; a
number inside the range) and "Send answer", as a student does. The host advances through the
server's host endpoint once every phone shows "Answer sent." (or after a time limit). Reports
the answers stored, the end-to-end latency from the tap on "Send answer" to "Answer sent." on
the phone, and the server's memory and CPU.

    python benchmarks/bench_class_browsers.py --phones 60 --rounds 3

Run by hand; the result goes into the issue's closing note.
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

from benchmarks.bench_class import p95, stored_answers  # noqa: E402
from classroom import host, lecture_playlist, open_store  # noqa: E402
from classroom.playlists import Slot  # noqa: E402
from tests.appserver import AppServer, cpu_seconds, peak_rss_mb, postgres_url, rss_mb  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-extensions", "--mute-audio", "--renderer-process-limit=8"]
WAIT_MS = 120_000


async def phone(browser, base: str, code: str, i: int, rounds: int, answered: list[int],
                latencies: list[float], errors: list[str], joined: asyncio.Event) -> None:
    rng = random.Random(i)
    context = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = await context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        await page.goto(f"{base}/join?code={code}")
        await page.fill("#nickname", f"phone {i:02d}")
        await page.get_by_role("button", name="Join", exact=True).click()
        await page.get_by_text("You're in").wait_for()
        joined.set()
        for number in range(1, rounds + 1):
            await page.get_by_text(f"Question {number} of {rounds}").first.wait_for(
                timeout=900_000)  # the lobby lasts until the last phone has joined
            await page.get_by_role("button", name="Send answer").wait_for()
            await asyncio.sleep(rng.uniform(0, 5))  # a class answers over a few seconds
            for part in await page.locator("form .question").all():
                buttons = part.locator("button")
                if await buttons.count():
                    await buttons.nth(rng.randrange(await buttons.count())).click()
                else:
                    box = part.locator("input")
                    hint = await part.locator(".hint").first.text_content()
                    low, high = (float(w) for w in hint.split("from ")[1].split(".")[0]
                                 .replace(" to", "").split()[:2])
                    await box.fill(f"{rng.uniform(low, high):.1f}")
            start = time.perf_counter()
            await page.get_by_role("button", name="Send answer").click()
            await page.get_by_text("Answer sent.").wait_for()
            latencies.append(time.perf_counter() - start)
            answered[number - 1] += 1
        await page.get_by_text("Thanks for playing!").wait_for()
    except Exception as error:  # noqa: BLE001 - reported, the other phones go on
        errors.append(f"phone {i}: {type(error).__name__}: {str(error)[:160]}")
    finally:
        joined.set()
        await context.close()


async def drive(base: str, code: str, key: str, phones: int, rounds: int,
                answered: list[int], errors: list[str]) -> None:
    async def step() -> None:
        async with aiohttp.ClientSession(base) as client, client.post(
                f"/api/class/{code}/host", json={"key": key, "action": "advance"}) as reply:
            reply.raise_for_status()

    await asyncio.sleep(1)
    for number in range(1, rounds + 1):
        await step()  # question
        deadline = time.monotonic() + 180
        while answered[number - 1] + len(errors) < phones and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        for _ in range(3):  # locked, reveal, leaderboard
            await step()
            await asyncio.sleep(1)
    await step()  # poll
    await step()  # summary


async def run(base: str, code: str, key: str, phones: int, rounds: int):
    from playwright.async_api import async_playwright

    latencies, errors, answered = [], [], [0] * rounds
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tasks = []
        for i in range(phones):  # one after another, as students arrive (and gentle on CPU)
            joined = asyncio.Event()
            tasks.append(asyncio.create_task(
                phone(browser, base, code, i, rounds, answered, latencies, errors, joined)))
            await joined.wait()
        await wait_for_lobby(code, phones, errors)
        await drive(base, code, key, phones, rounds, answered, errors)
        await asyncio.gather(*tasks)
        await browser.close()
    return latencies, errors


async def wait_for_lobby(code: str, phones: int, errors: list[str]) -> None:
    """Until every phone has joined (the players' count in the database)."""
    from sqlalchemy import func, select

    import store
    from store import classroom_tables as t

    engine = open_store()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        with store.read(engine) as conn:
            n = conn.scalar(select(func.count()).select_from(t.players).join(
                t.games, t.games.c.id == t.players.c.game_id).where(t.games.c.code == code))
        if n + len(errors) >= phones:
            return
        await asyncio.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    slots = [Slot(s.game, "normal", 200 + i)
             for i, s in enumerate(lecture_playlist()[:args.rounds])]
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        folder = Path(tmp)
        url = (stack.enter_context(postgres_url()) if args.store == "postgresql"
               else f"sqlite:///{folder / 'class.sqlite3'}")
        server = AppServer(url, folder / "server.log").start()
        stack.callback(server.stop)
        created = host.create_game(open_store(url), slots, "Chromium class")
        os.environ["DATABASE_URL"] = url  # for wait_for_lobby's reads
        cpu0, t0 = cpu_seconds(server.pid), time.time()
        latencies, errors = asyncio.run(run(server.url, created.code, created.host_key,
                                            args.phones, len(slots)))
        elapsed, cpu = time.time() - t0, cpu_seconds(server.pid) - cpu0
        rss, peak = rss_mb(server.pid), peak_rss_mb(server.pid)
        stored = stored_answers(url, created.code)
    sent = len(latencies)
    print(f"store {args.store}: {elapsed:.0f} s; server CPU {cpu:.0f} s; server memory "
          f"{rss:.0f} MB (peak {peak:.0f} MB); {len(errors)} phone errors"
          + (f" (first: {errors[0]})" if errors else ""))
    print(f"chromium phones {args.phones}, rounds {len(slots)}, answers sent {sent}, stored "
          f"{stored}, lost {sent - stored}, p95 tap-to-confirmation {1000 * p95(latencies):.0f} "
          "ms")


if __name__ == "__main__":
    main()
