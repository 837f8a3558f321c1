"""The real server: killed in the middle of a round and restarted, and two servers sharing one
PostgreSQL. Phones talk to the server over HTTP exactly as the phone page does.

Each test starts `streamlit run streamlit_app.py` (tests/appserver.py), so they are slow.
"""

from __future__ import annotations

import httpx2 as httpx
import pytest
from sqlalchemy import func, select

import store
from classroom import host, open_store
from classroom.playlists import Slot
from classroom.rounds import build_round
from store import classroom_tables as t
from tests import pgserver
from tests.appserver import AppServer

pytestmark = pytest.mark.slow

PLAYLIST = (Slot("tails", "normal", 3), Slot("tails", "gentle", 4))


class Phone:
    def __init__(self, server: AppServer, code: str, name: str):
        self.server, self.code = server, code
        reply = httpx.post(f"{server.url}/api/class/{code}/join", json={"nickname": name})
        assert reply.status_code == 200, reply.text
        self.token = reply.json()["token"]

    def state(self, since: int = -1) -> dict:
        reply = httpx.get(f"{self.server.url}/api/class/{self.code}/state",
                          params={"since": since}, headers={"X-Player-Token": self.token},
                          timeout=40)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def wait_for(self, phase: str) -> dict:
        """Long-poll until the game shows ``phase`` (the server answers when it changes)."""
        state = self.state()
        for _ in range(20):
            if state["phase"] == phase:
                return state
            state = self.state(state["version"])
        raise AssertionError(f"still {state['phase']!r}, expected {phase!r}")

    def answer(self, number: int, answer: dict) -> httpx.Response:
        return httpx.post(f"{self.server.url}/api/class/{self.code}/answer",
                          json={"round": number, "answer": answer},
                          headers={"X-Player-Token": self.token}, timeout=30)


def _advance(server: AppServer, code: str, key: str) -> dict:
    reply = httpx.post(f"{server.url}/api/class/{code}/host",
                       json={"key": key, "action": "advance"}, timeout=30)
    assert reply.status_code == 200, reply.text
    return reply.json()


def _stored(url: str) -> int:
    engine = store.make_engine(url)
    with store.read(engine) as conn:
        n = conn.scalar(select(func.count()).select_from(t.answers))
    engine.dispose()
    return n


def _answers(round_):
    right = dict(round_.solution)
    q = round_.questions[0]
    wrong = {q.id: next(o.value for o in q.options if o.value != right[q.id])}
    return right, wrong


def test_a_killed_server_restarts_where_the_game_was(tmp_path):
    url = f"sqlite:///{tmp_path / 'class.sqlite3'}"
    server = AppServer(url, tmp_path / "server.log").start()
    try:
        created = host.create_game(open_store(url), PLAYLIST, "Restart")
        ada, bob, cy = (Phone(server, created.code, n) for n in ("Ada", "Bob", "Cy"))
        _advance(server, created.code, created.host_key)
        right, wrong = _answers(build_round("tails", 3, "normal"))
        assert ada.answer(1, right).status_code == 200
        assert bob.answer(1, wrong).status_code == 200  # both acknowledged ...

        server.kill()  # ... then the plug is pulled in the middle of the round
        server.start()

        state = ada.wait_for("question")  # same phase, same round, same player
        assert state["round"]["number"] == 1 and state["you"]["answered"]
        assert _stored(url) == 2
        assert cy.answer(1, right).status_code == 200  # phones carry on with their tokens
        again = bob.answer(1, right)  # a retried tap changes nothing
        assert again.json()["status"] == "already"
        for _ in range(2):
            _advance(server, created.code, created.host_key)
        shown = ada.wait_for("reveal")["you"]
        assert shown["result"]["points"] == 100 and shown["of"] == 3
        assert bob.state()["you"]["result"]["points"] < 100
        assert _stored(url) == 3
    finally:
        server.stop()


@pytest.fixture
def shared_postgres(postgres_admin_url):
    url, drop = pgserver.fresh_database(postgres_admin_url, prefix="two")
    yield url
    drop()


def test_two_servers_on_one_postgresql_count_every_answer_once(tmp_path, shared_postgres):
    first = AppServer(shared_postgres, tmp_path / "first.log").start()
    second = AppServer(shared_postgres, tmp_path / "second.log").start()
    try:
        created = host.create_game(open_store(shared_postgres), PLAYLIST[:1], "Two servers")
        phones = [Phone(first if i % 2 else second, created.code, f"p{i}") for i in range(6)]
        for number, (game, seed, difficulty) in enumerate(
                [(s.game, s.seed, s.difficulty) for s in PLAYLIST[:1]], start=1):
            _advance(first, created.code, created.host_key)  # the host is on the first
            right, wrong = _answers(build_round(game, seed, difficulty))
            for i, phone in enumerate(phones):
                assert phone.wait_for("question")["round"]["number"] == number
                assert phone.answer(number, right if i < 3 else wrong).status_code == 200
            # the same tap reaching the other server is recognised, not counted again
            other = Phone.__new__(Phone)
            other.server = second if phones[1].server is first else first
            other.code, other.token = created.code, phones[1].token
            assert other.answer(number, right).json()["status"] == "already"
            for _ in range(3):  # locked, reveal, leaderboard
                _advance(first, created.code, created.host_key)
            leaders = [p.wait_for("leaderboard")["you"] for p in phones]
            assert {you["total"] for you in leaders[:3]} == {100 * number}
        assert _stored(shared_postgres) == 6
    finally:
        first.stop()
        second.stop()
