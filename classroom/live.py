"""Waking the phones that wait for a game to change (one per app process).

Phones long-poll: a request for the state a phone already has waits here until the game's
version changes (or a timeout). One task per watched game reads the version from the database
every ``interval`` seconds and wakes all waiting phones at once, so 300 phones cost one small
query per interval, and a host acting through another app process is seen within that interval.
The database stays the truth: this only caches "which version did I see last".

The same task locks a question whose countdown has run out (``host.lock_if_due``), and when it
starts it builds every round of the game in the background (a process that did not create the
game, or was restarted, has them ready before the phones ask).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.engine import Engine

import store
from store import classroom_tables as t

from .host import lock_if_due
from .records import rounds_of
from .rounds import build_round

__all__ = ["Watcher"]

log = logging.getLogger("lmm_games.classroom")


@dataclass
class _Watch:
    version: int = -1
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    waiting: int = 0
    last_used: float = field(default_factory=time.monotonic)
    task: asyncio.Task | None = None
    prebuild: asyncio.Task | None = None


class Watcher:
    def __init__(self, engine: Engine, interval: float = 0.3, idle: float = 60.0):
        self.engine, self.interval, self.idle = engine, interval, idle
        self._watches: dict[int, _Watch] = {}

    async def wait_past(self, game_id: int, version: int, timeout: float) -> None:
        """Return when the game's version differs from ``version``, or after ``timeout``."""
        watch = self._watch(game_id)
        watch.waiting += 1
        try:
            deadline = time.monotonic() + timeout
            while watch.version in (-1, version):
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(watch.changed.wait(), left)
        finally:
            watch.waiting -= 1
            watch.last_used = time.monotonic()

    def _watch(self, game_id: int) -> _Watch:
        watch = self._watches.get(game_id)
        if watch is None or watch.task is None or watch.task.done():
            watch = watch or _Watch()
            self._watches[game_id] = watch
            watch.task = asyncio.get_running_loop().create_task(self._run(game_id, watch))
        return watch

    async def _run(self, game_id: int, watch: _Watch) -> None:
        watch.prebuild = asyncio.get_running_loop().create_task(
            to_thread.run_sync(self._prebuild, game_id))
        while watch.waiting or time.monotonic() - watch.last_used < self.idle:
            try:
                await self._check(game_id, watch)
            except Exception:  # noqa: BLE001 - a database hiccup must not stop the watch
                log.exception("watching class game %s", game_id)
            await asyncio.sleep(self.interval)
        self._watches.pop(game_id, None)

    async def _check(self, game_id: int, watch: _Watch) -> None:
        row = await to_thread.run_sync(self._read, game_id)
        if row is None:
            return
        version, phase, closes_at = row
        due = phase == "question" and closes_at is not None and closes_at <= store.utcnow()
        if due and await to_thread.run_sync(lock_if_due, self.engine, game_id):
            return  # the version changed: the next check wakes the phones
        if version != watch.version:
            watch.version = version
            watch.changed.set()
            watch.changed = asyncio.Event()

    def _prebuild(self, game_id: int) -> None:
        try:
            with store.read(self.engine) as conn:
                rounds = rounds_of(conn, game_id)
            for r in rounds:
                build_round(r.game, r.seed, r.difficulty)
        except Exception:  # noqa: BLE001 - a round that fails to build fails again when asked
            log.exception("building the rounds of class game %s", game_id)

    def _read(self, game_id: int):
        g, r = t.games, t.rounds
        with store.read(self.engine) as conn:
            return conn.execute(
                select(g.c.version, g.c.phase, r.c.closes_at)
                .select_from(g.outerjoin(r, (r.c.game_id == g.c.id)
                                         & (r.c.position == g.c.round_index)))
                .where(g.c.id == game_id)).first()
