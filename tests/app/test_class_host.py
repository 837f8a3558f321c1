"""AppTest of the host's pages: create a game, run it through every phase with phones joining
and answering through the classroom package, and the wrong-key message."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.class_ui import create
from classroom import host, players
from classroom.database import shared_store
from classroom.playlists import Slot
from classroom.rounds import build_round
from games.text import plain

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "app_pages/class_host.py"
PLAYLIST = (Slot("tails", "normal", 3), Slot("lineup", "normal", 5))


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'class.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return shared_store(url)


def _open(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.query_params.update(query)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.subheader]
    parts += [m.value for m in at.success] + [m.value for m in at.error]
    parts += [m.value for m in at.warning] + [m.value for m in at.caption]
    return "\n".join(str(p) for p in parts)


def _next(at, label: str) -> None:
    [button] = [b for b in at.button if b.label == label]
    button.click().run()
    assert not at.exception, at.exception


def test_create_a_game_from_the_lecture_playlist(database, monkeypatch):
    monkeypatch.setattr(create, "lecture_playlist", lambda difficulty: PLAYLIST)
    at = _open()
    assert at.title[0].value == "Host a class game"
    _next(at, "Create the game")
    code, key = at.query_params["code"], at.query_params["key"]
    assert len(code) == 6 and len(key) >= 22
    text = _texts(at)
    assert code in text and "Keep this page's address" in text
    assert "Start question 1" in [b.label for b in at.button]


def test_a_game_through_every_phase(database):
    created = host.create_game(database, PLAYLIST, "Week [3](http://x.org)")
    ada = players.join(database, created.code, "Ada")
    bob = players.join(database, created.code, "![i](http://x.io/a)")
    at = _open(code=created.code, key=created.host_key)
    assert plain("Week [3](http://x.org)") in _texts(at)  # typed text stays text
    _next(at, "Start question 1")
    right = dict(build_round("tails", 3, "normal").solution)
    q = build_round("tails", 3, "normal").questions[0]
    wrong = {q.id: next(o.value for o in q.options if o.value != right[q.id])}
    players.submit_answer(database, created.code, ada.token, 0, right)
    players.submit_answer(database, created.code, bob.token, 0, wrong)
    at.run()
    assert {m.label: m.value for m in at.metric}["Answered"] == "2"
    _next(at, "Lock answers")
    _next(at, "Reveal")
    text = _texts(at)
    assert "Right answer" in text and "What the class fell for" in text
    assert "**1** (50%)" in text  # the wrong answer's misconception, counted
    explanation = build_round("tails", 3, "normal").reveal.explanation
    assert explanation.split("\n\n")[0][:40] in text  # the game's own reveal
    _next(at, "Leaderboard")
    _next(at, "Question 2 of 2")
    [finish] = [b for b in at.button if b.label == "Yes, end it"]
    finish.click().run()
    players.submit_poll(database, created.code, ada.token, "right", 5, "=1+1 more please")
    at.run()
    assert {m.label: m.value for m in at.metric}["Answers"] == "1 of 2"
    _next(at, "End the poll: summary")
    text = _texts(at)
    assert "How each round went" in text and "The closing poll (1 answers)" in text
    assert len(at.get("download_button")) == 2


def test_a_wrong_host_key_is_refused_with_a_message(database):
    created = host.create_game(database, PLAYLIST[:1])
    at = _open(code=created.code, key="not-the-key")
    assert "does not open game" in at.error[0].value
    at = _open(code=created.code)
    assert "no host key" in at.error[0].value


def test_hostile_nicknames_and_title_stay_plain_text_on_every_screen(database):
    from tests.app.markdown_safety import HOSTILE, MARKER, problems
    from tests.app.test_hostile_text import _sources

    def _assert_plain(at, *typed):
        """No user text (they all hold MARKER) becomes Markdown; the app's own links may."""
        found = {source[:80]: bad for _, source in _sources(at._tree)
                 if (bad := [b for b in problems(source, typed=typed) if MARKER in b])}
        assert not found, found
        return [source for _, source in _sources(at._tree) if MARKER in source]

    names = [h for h in HOSTILE if len(h) <= 20]
    title = " ".join(HOSTILE)[:120]
    created = host.create_game(database, PLAYLIST[:1], title)
    tokens = [players.join(database, created.code, n).token for n in names]
    at = _open(code=created.code, key=created.host_key)
    typed = (*names, " ".join(title.split()))
    assert _assert_plain(at, *typed)  # the lobby: the title shows, as typed
    _next(at, "Start question 1")
    right = dict(build_round("tails", 3, "normal").solution)
    for token in tokens:
        players.submit_answer(database, created.code, token, 0, right)
    for label in ("Lock answers", "Reveal", "Leaderboard", "Closing poll",
                  "End the poll: summary"):
        _next(at, label)
        _assert_plain(at, *typed)
