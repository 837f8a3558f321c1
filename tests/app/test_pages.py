"""AppTest over every page: it loads, a round plays, the reveal shows, nothing raises.

Each game page keys its answer widgets "<game>.form.<question id>", so one helper can answer
any game with the round's own solution.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from games import GAMES, page_path

TIMEOUT = 60
APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def _open(game_id: str, **query) -> AppTest:
    at = _app().run()  # the first run registers the pages with st.navigation
    at.query_params.update(query)
    at.switch_page(page_path(game_id)).run()
    assert not at.exception, at.exception
    return at


def _set(at: AppTest, key: str, value) -> None:
    for kind in ("radio", "slider", "number_input", "selectbox", "text_input"):
        found = [w for w in getattr(at, kind) if w.key == key]
        if found:
            found[0].set_value(value)
            return
    raise AssertionError(f"no answer widget with key {key!r}")


def _answer(at: AppTest, game_id: str, answer: dict) -> AppTest:
    for question_id, value in answer.items():
        _set(at, f"{game_id}.form.{question_id}", value)
    check = [b for b in at.button if b.label == "Check my answer"]
    assert check, "no 'Check my answer' button"
    check[0].click().run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.subheader]
    parts += [m.value for m in at.success] + [m.value for m in at.error]
    parts += [m.value for m in at.warning] + [m.value for m in at.info]
    return "\n".join(str(p) for p in parts)


def test_home_lists_every_game_by_topic():
    at = _app().run()
    assert not at.exception
    assert at.title[0].value == "Mixed models, played"
    topics = {s.value for s in at.subheader}
    assert {g.topic for g in GAMES.values()} <= topics
    assert [s.value for s in at.sidebar.selectbox] == ["normal"]


@pytest.mark.parametrize("game_id", list(GAMES))
def test_game_plays_one_round_and_reveals(game_id):
    at = _open(game_id, seed="11")
    round_ = at.session_state[f"{game_id}.round"]
    assert round_.seed == 11 and round_.difficulty == "normal"
    assert at.query_params["seed"] == "11"
    assert at.title[0].value == GAMES[game_id].title
    _answer(at, game_id, round_.solution)
    assert at.session_state[f"{game_id}.score"].points == 100
    assert at.success, "a right answer shows a green message"
    text = _texts(at)
    assert "100 points" in text
    assert round_.reveal.explanation.split("\n\n")[0][:40] in text
    assert at.session_state["app.points"] == 100 and at.session_state["app.streak"] == 1
    metrics = {m.label: m.value for m in at.sidebar.metric}
    assert metrics["Score"] == "100" and metrics["Streak"] == "1"


@pytest.mark.parametrize("game_id", list(GAMES))
def test_same_seed_replays_the_same_round(game_id):
    first = _open(game_id, seed="42").session_state[f"{game_id}.round"]
    again = _open(game_id, seed="42").session_state[f"{game_id}.round"]
    assert first.to_dict() == again.to_dict()


@pytest.mark.parametrize("bad", ["abc", "-3", "1.5"])
def test_bad_seed_in_url_gives_a_note_and_a_new_round(bad):
    at = _open("tails", seed=bad)
    assert any("whole number" in i.value for i in at.info)
    seed = at.session_state["tails.round"].seed
    assert at.query_params["seed"] == str(seed)


def test_new_round_draws_a_new_seed_and_writes_it_to_the_url():
    at = _open("tails", seed="5")
    at.button(key="tails.new_top").click().run()
    assert not at.exception
    seed = at.session_state["tails.round"].seed
    assert at.query_params["seed"] == str(seed)
    assert at.session_state.get("tails.score") is None


def test_difficulty_in_url_and_sidebar():
    at = _open("lineup", seed="3", difficulty="tricky")
    assert at.session_state["lineup.round"].difficulty == "tricky"
    assert at.sidebar.selectbox[0].value == "tricky"
    at.sidebar.selectbox[0].set_value("gentle").run()
    assert not at.exception
    round_ = at.session_state["lineup.round"]
    assert (round_.seed, round_.difficulty) == (3, "gentle")
    assert at.query_params["difficulty"] == "gentle"


def test_wrong_answer_explains_and_breaks_the_streak():
    at = _open("tails", seed="11")
    round_ = at.session_state["tails.round"]
    question = round_.questions[0]
    wrong = next(o.value for o in question.options if o.value != round_.solution[question.id])
    _answer(at, "tails", {question.id: wrong})
    result = at.session_state["tails.score"]
    assert result.points < 100 and result.misconception
    assert at.session_state["app.streak"] == 0
    assert result.feedback[:40] in _texts(at)


def test_an_error_shows_a_friendly_message_not_a_traceback():
    def page():
        import streamlit as st

        from games.ui import friendly_errors

        with friendly_errors("drawing the test page"):
            raise ValueError("the response column is constant [x](http://example.org)")
        with friendly_errors("drawing again", retry=lambda: st.button("New round")):
            raise ValueError("again")
        st.write("the page goes on")

    at = AppTest.from_function(page).run()
    assert not at.exception
    first, second = at.error[0].value, at.error[1].value
    assert "something went wrong while drawing the test page" in first
    assert "Reload the page" in first and "New round" not in first  # no button to point to
    assert "](http" not in first  # the details are plain text
    assert "New round" in second and [b.label for b in at.button] == ["New round"]
    assert at.markdown[0].value == "the page goes on"


def test_unknown_difficulty_in_url_is_ignored():
    at = _open("tails", seed="4", difficulty="impossible")
    assert at.session_state["tails.round"].difficulty == "normal"
    assert at.query_params["difficulty"] == "normal"


def test_a_round_that_cannot_be_made_shows_one_friendly_message(monkeypatch):
    """If make_round fails, the page says so once and does not go on to a broken reveal."""
    import dataclasses

    import games.tails

    def broken(seed, difficulty="normal"):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(games.tails, "GAME",
                        dataclasses.replace(games.tails.GAME, make_round_fn=broken))
    at = _open("tails", seed="987654321")  # a seed no other test has cached
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "preparing this round" in errors[0]
    assert "UnboundLocalError" not in " ".join(errors)
