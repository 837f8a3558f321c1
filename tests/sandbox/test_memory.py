"""The formula memory: nothing the learner typed is lost when data or formulas change."""

from __future__ import annotations

from sandbox import memory

BOX = memory.BOX


def _state() -> dict:
    state: dict = {}
    memory.init(state)
    return state


def test_each_family_keeps_its_own_text():
    state = _state()
    memory.sync_formula(state, "course:a", "y ~ x + (1 | g)")
    assert state[BOX] == "y ~ x + (1 | g)"
    state[BOX] = "y ~ x + (x | g)"  # the learner types
    memory.sync_formula(state, "sim:b", "v ~ c + (1 | p)")
    assert state[BOX] == "v ~ c + (1 | p)"
    state[BOX] = "v ~ 1 + (1 | p)"
    memory.sync_formula(state, "course:a", "y ~ x + (1 | g)")
    assert state[BOX] == "y ~ x + (x | g)"
    memory.sync_formula(state, "sim:b", "v ~ c + (1 | p)")
    assert state[BOX] == "v ~ 1 + (1 | p)"


def test_replacing_the_text_puts_it_in_the_history():
    state = _state()
    memory.sync_formula(state, "a", "start")
    state[BOX] = "mine"
    memory.set_formula(state, "a", "walkthrough")
    assert state[BOX] == "walkthrough"
    assert memory.history(state, "a", state[BOX]) == ["mine"]


def test_replacing_from_another_family_parks_the_old_text_and_keeps_this_familys():
    state = _state()
    memory.sync_formula(state, "a", "a-start")
    state[BOX] = "a-mine"
    memory.sync_formula(state, "b", "b-start")
    state[BOX] = "b-mine"
    memory.set_formula(state, "a", "walkthrough")  # e.g. the walkthrough loads dataset a
    assert state[memory.FORMULAS]["b"] == "b-mine"
    assert memory.history(state, "a", "walkthrough") == ["a-mine"]


def test_history_is_short_unique_and_newest_first():
    state = _state()
    for k in range(12):
        memory.remember(state, "a", f"f{k % 10}")
    memory.remember(state, "a", "  ")
    recent = memory.history(state, "a", "")
    assert recent == [f"f{k}" for k in (1, 0, 9, 8, 7, 6, 5, 4)]
    assert len(recent) == memory.HISTORY
    assert "f1" not in memory.history(state, "a", " f1 ")
