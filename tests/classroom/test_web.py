"""The phones' endpoints through Starlette's test client: the page and its headers, JSON errors
with messages for every bad input, long polling, and the host endpoint's key checks."""

from __future__ import annotations

import threading
import time

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from classroom import host, open_store
from classroom.playlists import Slot
from classroom.rounds import build_round
from classroom.web import MAX_BODY, ClassroomApi


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('web') / 'class.sqlite3'}")
    created = host.create_game(engine, [Slot("tails", "normal", 3)], "Web")
    app = Starlette(routes=ClassroomApi(lambda: engine).routes())
    with TestClient(app) as client:
        yield client, engine, created


def _join(client, code, name):
    reply = client.post(f"/api/class/{code}/join", json={"nickname": name})
    assert reply.status_code == 200, reply.text
    return reply.json()["token"]


def test_the_phone_page_is_served_with_a_strict_policy(setup):
    client, _, _ = setup
    page = client.get("/join")
    assert page.status_code == 200 and "phone.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert ".innerHTML" not in client.get("/join/phone.js").text
    assert client.get("/join/secrets.txt").status_code == 404


@pytest.mark.parametrize(("path", "body", "status", "words"), [
    ("/api/class/NOPE/join", {"nickname": "x"}, 400, "6 letters"),
    ("/api/class/AAAAAA/join", {"nickname": "x"}, 404, "No game has the code"),
    ("/api/class/{code}/join", {"nickname": ""}, 400, "Type a nickname"),
    ("/api/class/{code}/join", {"nickname": "Dup"}, 409, "already has that nickname"),
    ("/api/class/{code}/join", "not json", 400, "not JSON"),
    ("/api/class/{code}/join", ["a list"], 400, "not a JSON object"),
    ("/api/class/{code}/join", {"nickname": "x" * MAX_BODY}, 400, "too large"),
    ("/api/class/{code}/answer", {"round": 1, "answer": {}}, 403, "not a player"),
])
def test_bad_requests_get_a_message(setup, path, body, status, words):
    client, _, created = setup
    _join(client, created.code, "Dup") if "Dup" in str(body) else None
    url = path.format(code=created.code)
    reply = (client.post(url, content=body) if isinstance(body, str)
             else client.post(url, json=body))
    assert reply.status_code == status, reply.text
    assert words in reply.json()["error"]


def test_state_answers_and_long_polling(setup):
    client, engine, created = setup
    token = _join(client, created.code, "Ada")
    headers = {"X-Player-Token": token}
    state = client.get(f"/api/class/{created.code}/state", headers=headers).json()
    assert state["phase"] == "lobby" and state["you"]["nickname"] == "Ada"

    def advance_soon():
        time.sleep(0.5)
        host.advance(engine, created.code, created.host_key, "test")

    threading.Thread(target=advance_soon).start()
    started = time.monotonic()
    woke = client.get(f"/api/class/{created.code}/state",
                      params={"since": state["version"]}, headers=headers).json()
    assert woke["phase"] == "question" and time.monotonic() - started < 10
    assert "solution" not in str(woke)

    url = f"/api/class/{created.code}/answer"
    bad = client.post(url, json={"round": 1, "answer": {"region": 10**400}}, headers=headers)
    assert bad.status_code == 400 and "is not one of the options" in bad.json()["error"]
    right = dict(build_round("tails", 3, "normal").solution)
    assert client.post(url, json={"round": 1, "answer": right},
                       headers=headers).json()["status"] == "stored"
    assert client.post(url, json={"round": 1, "answer": right},
                       headers=headers).json()["status"] == "already"


def test_the_host_endpoint_needs_the_key_and_limits_guessing(setup):
    client, _, created = setup
    url = f"/api/class/{created.code}/host"
    assert client.post(url, json={"key": created.host_key, "action": "dance"}).status_code == 400
    statuses = [client.post(url, json={"key": f"guess{i}", "action": "advance"}).status_code
                for i in range(host.FAILURE_LIMIT + 1)]
    assert statuses[:host.FAILURE_LIMIT] == [403] * host.FAILURE_LIMIT
    assert statuses[-1] == 429
    assert "Too many" in client.post(url, json={"key": created.host_key,
                                                "action": "advance"}).json()["error"]
