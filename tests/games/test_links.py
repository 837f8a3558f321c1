"""A round's address from a link: seeds and difficulties checked once, with a note."""

import pytest

from games.links import MAX_SEED, parse_seed, read_difficulty, read_seed
from tests.app.markdown_safety import problems


@pytest.mark.parametrize("text, seed", [("0", 0), ("123", 123), (" 42 ", 42), ("007", 7),
                                        (str(MAX_SEED), MAX_SEED)])
def test_whole_numbers_are_seeds(text, seed):
    assert parse_seed(text) == seed


@pytest.mark.parametrize("text", ["", "abc", "-3", "1.5", "1e3", "²", "١٢", "１２",
                                  str(MAX_SEED + 1), "1" * 10_000, "0" * 30 + "9" * 30])
def test_anything_else_is_not(text):
    assert parse_seed(text) is None
    seed, note = read_seed(text)
    assert seed is None and "whole number" in note and not problems(note, typed=text)


def test_difficulty_words_are_forgiving_and_junk_is_named():
    assert read_difficulty(" Tricky", "normal") == ("tricky", None)
    difficulty, note = read_difficulty("[x](http://example.org)", "gentle")
    assert difficulty is None and "**gentle**" in note and "normal" in note
    assert not problems(note)
