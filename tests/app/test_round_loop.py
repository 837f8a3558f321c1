"""The round loop (games.ui) through AppTest: links checked once with a clear note, answers
scored in the form's callback, unscorable answers explained with nothing lost, and a game's slow
reveal run once per round."""

from __future__ import annotations

import dataclasses

import pytest

import games.bootstrap
import games.pvalues
from games.spec import SlowReveal
from tests.app.test_pages import _answer, _open, _set


@pytest.mark.parametrize("bad", ["²", "1" * 10_000, "9" * 20, " "])
def test_odd_seeds_give_a_note_and_a_new_round_not_an_error(bad):
    at = _open("tails", seed=bad)
    assert not at.error, [e.value for e in at.error]
    assert any("round number is a whole number" in i.value for i in at.info)
    assert at.query_params["seed"] == str(at.session_state["tails.round"].seed)


def test_a_junk_difficulty_in_a_link_is_named_not_ignored():
    at = _open("tails", seed="4", difficulty="impossible")
    assert at.session_state["tails.round"].difficulty == "normal"
    notes = [i.value for i in at.info]
    assert any("difficulty ` impossible `" in n and "normal" in n for n in notes), notes
    at.run()
    assert not [i for i in at.info if "difficulty" in i.value]  # said once, not every run


def test_missing_answers_are_named_and_nothing_is_scored():
    at = _open("pvalues", seed="3")
    first = at.session_state["pvalues.round"].questions[0]
    _set(at, f"pvalues.form.{first.id}", at.session_state["pvalues.round"].solution[first.id])
    next(b for b in at.button if b.label == "Check my answer").click().run()
    assert not at.exception
    assert at.session_state.get("pvalues.score") is None
    assert at.session_state["app.rounds"] == 0
    assert any("Answer every question first" in e.value for e in at.error)
    kept = next(w for w in [*at.number_input, *at.radio] if w.key == f"pvalues.form.{first.id}")
    assert kept.value == at.session_state["pvalues.round"].solution[first.id]


def test_an_interval_the_wrong_way_round_is_explained_and_kept():
    seed = next(s for s in range(40) if games.bootstrap.GAME.make_round(
        s, "normal").context["variant"] == "interval")
    at = _open("bootstrap", seed=str(seed))
    round_ = at.session_state["bootstrap.round"]
    low = round_.question("lower").low
    _set(at, "bootstrap.form.lower", low + 2.0)
    _set(at, "bootstrap.form.upper", low + 1.0)
    at.button(key="bootstrap.check").click().run()
    assert at.session_state.get("bootstrap.score") is None
    assert any("must be below the upper end" in e.value for e in at.error)
    assert at.number_input(key="bootstrap.form.lower").value == pytest.approx(low + 2.0)


def test_the_slow_reveal_runs_once_per_round_under_the_loop(monkeypatch):
    calls = []

    def slow(round_, progress=None):
        calls.append(round_.key)
        progress(1, 2)
        return games.pvalues.reveal.reveal_numbers(round_, progress=progress, n=20)

    monkeypatch.setattr(games.pvalues, "GAME", dataclasses.replace(
        games.pvalues.GAME, slow=SlowReveal(slow, "Testing")))
    monkeypatch.setitem(games.GAMES, "pvalues", games.pvalues.GAME)
    seed = "424242"  # a round no other test reveals
    for _ in range(2):  # two players of the same round
        at = _open("pvalues", seed=seed)
        _answer(at, "pvalues", at.session_state["pvalues.round"].solution)
        at.run()  # and a rerun
        assert not at.exception and at.session_state["pvalues.score"].points == 100
    assert calls == [("pvalues", int(seed), "normal")]
