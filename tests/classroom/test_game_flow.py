"""A class game through the store, on SQLite and on PostgreSQL: create, join, answer, lock,
reveal, poll, summary; and every bad input the issue lists, each refused with a message and
nothing wrong stored."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

import store
from classroom import host, players
from classroom.errors import Conflict, Forbidden, Invalid, NotFound, TooMany
from classroom.exports import poll_csv, results_csv
from classroom.playlists import Slot
from classroom.records import snapshot
from classroom.rounds import build_round
from classroom.views import phone_state, read_personal, read_public
from store import classroom_tables as t

PLAYLIST = (Slot("tails", "normal", 3), Slot("lineup", "normal", 5))
ME = "127.0.0.1"


@pytest.fixture
def game(engine):
    created = host.create_game(engine, PLAYLIST, "Week 3")
    return engine, created


def _next(engine, created, times=1):
    for _ in range(times):
        row = host.advance(engine, created.code, created.host_key, ME)
    return row


def _state(engine, code, token):
    me = players.identify(engine, code, token)
    public = read_public(engine, me.game_id)
    return phone_state(public, me.id, read_personal(engine, public, me.id, me.nickname),
                       store.utcnow())


def _count(engine, table):
    with store.read(engine) as conn:
        return conn.scalar(select(func.count()).select_from(table))


def test_a_game_from_lobby_to_summary(game):
    engine, created = game
    ada = players.join(engine, created.code.lower(), "Ada")
    bob = players.join(engine, created.code, "<script>x</script>")
    assert bob.nickname == "<script>x</script>"
    with pytest.raises(Conflict, match="already has that nickname"):
        players.join(engine, created.code, " ADA ")
    assert _state(engine, created.code, ada.token)["phase"] == "lobby"

    _next(engine, created)  # question 1
    tails = build_round("tails", 3, "normal")
    right = dict(tails.solution)
    question = tails.questions[0]
    wrong = {question.id: next(o.value for o in question.options
                               if o.value != right[question.id])}
    state = _state(engine, created.code, ada.token)
    assert state["round"]["questions"] and "result" not in state["you"]
    assert "solution" not in json.dumps(state) and "feedback" not in json.dumps(state)

    receipt = players.submit_answer(engine, created.code, ada.token, 0, right)
    assert not receipt.already
    assert players.submit_answer(engine, created.code, ada.token, 0, wrong).already  # double tap
    players.submit_answer(engine, created.code, bob.token, 0, wrong)
    after = _state(engine, created.code, ada.token)
    assert after["you"]["answered"] and "result" not in after["you"]  # points wait for reveal

    _next(engine, created, 2)  # locked, reveal
    shown = _state(engine, created.code, ada.token)["you"]
    assert shown["result"]["points"] == 100 and shown["rank"] == 1 and shown["of"] == 2
    assert _state(engine, created.code, bob.token)["you"]["result"]["points"] < 100

    _next(engine, created, 2)  # leaderboard, question 2
    late = players.join(engine, created.code, "Late Lin")  # late joiners play on
    lineup = build_round("lineup", 5, "normal")
    players.submit_answer(engine, created.code, late.token, 1, dict(lineup.solution))
    _next(engine, created, 4)  # locked, reveal, leaderboard, poll
    assert players.submit_poll(engine, created.code, ada.token, "right", 4, "Nice =)") is False
    assert players.submit_poll(engine, created.code, ada.token, "too_fast") is True
    with pytest.raises(Conflict, match="has ended"):
        players.join(engine, created.code, "Too late")
    final = _next(engine, created)
    assert final.phase == "summary" and final.ended_at is not None

    with store.read(engine) as conn:
        snap = snapshot(conn, created.code)
    results = results_csv(snap)
    assert results.count("\n") == 1 + 3 and "'=" not in results
    assert "<script>x</script>" in results
    assert "Nice =)" in poll_csv(snap) and poll_csv(snap).count("\n") == 2


WRONG_SHAPES = [None, [], {"region": None}, {"region": ["upper"]}, {"region": {"x": 1}},
                {"region": 10**400}, {"nope": "x"}, "upper", {"region": "not an option"}]


def test_answers_of_the_wrong_shape_are_refused_and_not_stored(engine):
    created = host.create_game(engine, PLAYLIST[:1])
    ada = players.join(engine, created.code, "Ada")
    _next(engine, created)
    for answer in WRONG_SHAPES:
        with pytest.raises(Invalid) as refused:
            players.submit_answer(engine, created.code, ada.token, 0, answer)
        assert refused.value.message, answer
    assert _count(engine, t.answers) == 0


def test_no_answer_before_the_question_or_after_the_lock(game):
    engine, created = game
    ada, bob = (players.join(engine, created.code, n) for n in ("Ada", "Bob"))
    answer = dict(build_round("tails", 3, "normal").solution)
    with pytest.raises(Conflict, match="not open yet"):
        players.submit_answer(engine, created.code, ada.token, 0, answer)
    _next(engine, created, 2)  # question, locked
    with pytest.raises(Conflict, match="Too late"):
        players.submit_answer(engine, created.code, bob.token, 0, answer)
    with pytest.raises(Conflict, match="not open yet"):
        players.submit_answer(engine, created.code, bob.token, 1, answer)
    with pytest.raises(Invalid, match="which question"):
        players.submit_answer(engine, created.code, bob.token, "0", answer)
    assert _count(engine, t.answers) == 0


def test_forged_tokens_and_unknown_codes(game):
    engine, created = game
    ada = players.join(engine, created.code, "Ada")
    other = host.create_game(engine, PLAYLIST[:1])
    for token in (ada.token[:-2] + "xx", "", None, "x" * 10_000):
        with pytest.raises(Forbidden, match="not a player"):
            players.identify(engine, created.code, token)
    with pytest.raises(Forbidden, match="not a player"):
        players.identify(engine, other.code, ada.token)  # a token of another game
    with pytest.raises(NotFound, match="No game has the code"):
        players.join(engine, "AAAAAA", "Ada")


def test_host_key_is_required_and_guessing_is_rate_limited(game):
    engine, created = game
    with pytest.raises(Forbidden, match="does not open"):
        host.advance(engine, created.code, created.host_key[:-1] + "A", "10.0.0.9")
    for _ in range(host.FAILURE_LIMIT - 1):
        with pytest.raises((Forbidden, NotFound)):
            host.advance(engine, created.code, "guess", "10.0.0.9")
    with pytest.raises(TooMany, match="Too many wrong host keys"):
        host.advance(engine, created.code, created.host_key, "10.0.0.9")  # even the right key
    assert host.advance(engine, created.code, created.host_key, ME).phase == "question"
    with store.read(engine) as conn:
        stored = conn.execute(select(t.games.c.host_key_hash)).scalars().all()
    assert created.host_key not in stored


def test_two_host_screens_move_the_game_one_step(game):
    engine, created = game
    seen = host.advance(engine, created.code, created.host_key, ME).version
    host.advance(engine, created.code, created.host_key, ME, seen_version=seen)
    with pytest.raises(Conflict, match="moved on"):
        host.advance(engine, created.code, created.host_key, ME, seen_version=seen)


def test_host_renames_and_removes_players(game):
    engine, created = game
    ada, bob = (players.join(engine, created.code, n) for n in ("Ada", "Bob"))
    ada_id = players.identify(engine, created.code, ada.token).id
    bob_id = players.identify(engine, created.code, bob.token).id
    with pytest.raises(Conflict, match="already called"):
        host.rename_player(engine, created.code, created.host_key, ME, bob_id, "ada")
    host.rename_player(engine, created.code, created.host_key, ME, bob_id, "Robert")
    assert _state(engine, created.code, bob.token)["you"]["nickname"] == "Robert"
    host.remove_player(engine, created.code, created.host_key, ME, ada_id)
    with pytest.raises(Forbidden, match="took you out"):
        players.identify(engine, created.code, ada.token)
    players.join(engine, created.code, "Ada")  # the nickname is free again


def test_a_countdown_locks_the_question_when_it_runs_out(engine):
    created = host.create_game(engine, PLAYLIST[:1], countdown=20)
    ada = players.join(engine, created.code, "Ada")
    row = _next(engine, created)
    assert not host.lock_if_due(engine, row.id)
    with store.write(engine) as conn:  # let the clock run out
        conn.execute(update(t.rounds).values(closes_at=store.utcnow() - timedelta(seconds=1)))
    with pytest.raises(Conflict, match="ran out"):
        players.submit_answer(engine, created.code, ada.token, 0,
                              dict(build_round("tails", 3, "normal").solution))
    assert host.lock_if_due(engine, row.id)
    with store.read(engine) as conn:
        assert snapshot(conn, created.code).game.phase == "locked"
