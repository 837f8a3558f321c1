"""validate_answer: every answer from outside is checked against the round's questions first.

Hostile and malformed answers (None, lists, 10**400, NaN, huge text, unknown keys) are refused
with InvalidAnswer in every game, and the game's own solution always passes unchanged.
"""

import math
from functools import cache

import pytest

from games import GAMES
from games.answers import MAX_TEXT, InvalidAnswer, validate_answer, validate_value
from games.base import Option, Question


@cache
def round_of(game_id: str):
    return GAMES[game_id].make_round(7, "normal")


CHOICE = Question("pick", "Which one?", options=(Option("a", "A"), Option("b", "B")))
NUMBER = Question("n", "How many?", kind="number", low=0.0, high=10.0, unit="ms")
TEXT = Question("f", "Formula?", kind="text")


@pytest.mark.parametrize("game_id", list(GAMES))
def test_solution_passes_unchanged(game_id):
    round_ = round_of(game_id)
    clean = validate_answer(round_, round_.solution)
    assert clean.keys() == dict(round_.solution).keys()
    for key, value in round_.solution.items():
        assert clean[key] == (float(value) if isinstance(value, int | float) else value)


BAD_VALUES = {"none": None, "empty-list": [], "list": ["a"], "dict": {"x": 1}, "huge-int": 10**400,
              "nan": float("nan"), "inf": float("inf"), "long-text": "x" * 10_000,
              "markup": "<script>alert(1)</script>", "bool": True, "object": object()}


@pytest.mark.parametrize("bad", list(BAD_VALUES.values()), ids=list(BAD_VALUES))
@pytest.mark.parametrize("game_id", list(GAMES))
def test_wrong_shapes_are_refused_in_every_game(game_id, bad):
    round_ = round_of(game_id)
    for question in round_.questions:
        answer = dict(round_.solution) | {question.id: bad}
        with pytest.raises(InvalidAnswer) as info:
            GAMES[game_id].score(round_, answer)
        assert info.value.question in (question.id, None)
        assert info.value.message.strip()


@pytest.mark.parametrize("bad", [None, [], "text", 3, ["a", "b"]], ids=str)
def test_the_whole_answer_must_be_a_mapping(bad):
    with pytest.raises(InvalidAnswer, match="must map each question"):
        validate_answer(round_of("tails"), bad)


def test_unknown_and_missing_questions_are_named():
    round_ = round_of("tails")
    with pytest.raises(InvalidAnswer, match="no question 'nope'|no question nope"):
        validate_answer(round_, dict(round_.solution) | {"nope": 1})
    with pytest.raises(InvalidAnswer, match="Answer every question"):
        validate_answer(round_, {})


def test_choice_values():
    assert validate_value(CHOICE, " a ") == "a"
    for bad in ("c", "A", 1.5, None):
        with pytest.raises(InvalidAnswer, match="options|Pick one"):
            validate_value(CHOICE, bad)


def test_number_values():
    assert validate_value(NUMBER, 3) == 3.0
    assert validate_value(NUMBER, "2,5") == 2.5
    assert validate_value(NUMBER, " 1e0 ") == 1.0
    with pytest.raises(InvalidAnswer, match="from 0 to 10 ms"):
        validate_value(NUMBER, "\u22122")
    for bad in (11, -0.1, "12 ms", "1e999", "nan", "inf", "", "1" * 50, math.nan):
        with pytest.raises(InvalidAnswer):
            validate_value(NUMBER, bad)


def test_text_values():
    assert validate_value(TEXT, "  y ~ x + (1 | g) ") == "y ~ x + (1 | g)"
    with pytest.raises(InvalidAnswer, match=f"under {MAX_TEXT}"):
        validate_value(TEXT, "y" * (MAX_TEXT + 1))
    with pytest.raises(InvalidAnswer, match="one line"):
        validate_value(TEXT, "y ~ x\n+ (1|g)")
    with pytest.raises(InvalidAnswer, match="Type an answer"):
        validate_value(TEXT, "   ")
    with pytest.raises(InvalidAnswer, match="Type text"):
        validate_value(TEXT, 12)
