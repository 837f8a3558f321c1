"""Every game keeps the contract: pure, deterministic, JSON round-trippable, self-consistent.

For each game and 50 seeds: make_round gives the same round twice, survives a JSON round
trip, and scoring its own solution gives full points with no misconception.
"""

import json
import subprocess
import sys

import pytest

from games import DIFFICULTIES, GAMES
from games.answers import InvalidAnswer
from games.base import Round, Score

SEEDS = range(50)


def _roundtrip(round_: Round) -> Round:
    return Round.from_dict(json.loads(json.dumps(round_.to_dict(), allow_nan=False)))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("game_id", list(GAMES))
def test_round_is_deterministic_json_and_self_consistent(game_id, seed):
    game = GAMES[game_id]
    first = game.make_round(seed, "normal")
    again = game.make_round(seed, "normal")
    assert first.to_dict() == again.to_dict()
    copy = _roundtrip(first)
    assert copy.to_dict() == first.to_dict()
    if first.data is not None:
        assert copy.data.equals(first.data)
        assert list(copy.data.dtypes) == list(first.data.dtypes)
    for round_ in (first, copy):
        result = game.score(round_, round_.solution)
        assert isinstance(result, Score)
        assert (result.points, result.correct, result.misconception) == (100, True, None)
        assert result.feedback.strip()


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("game_id", list(GAMES))
def test_every_difficulty_plays(game_id, difficulty):
    game = GAMES[game_id]
    assert difficulty in game.difficulties
    for seed in (1, 2, 3):
        round_ = game.make_round(seed, difficulty)
        assert round_.difficulty == difficulty and round_.seed == seed
        assert game.score(round_, round_.solution).points == 100
        assert round_.prompt.strip() and round_.reveal.explanation.strip()


@pytest.mark.parametrize("game_id", list(GAMES))
def test_registry_entry_is_complete(game_id):
    game = GAMES[game_id]
    assert game.id == game_id
    assert game.title and game.topic and game.summary


@pytest.mark.parametrize("game_id", list(GAMES))
def test_bad_seed_and_difficulty_say_what_is_wrong(game_id):
    game = GAMES[game_id]
    with pytest.raises(ValueError, match="whole number"):
        game.make_round(-1)
    with pytest.raises(ValueError, match="whole number"):
        game.make_round("12")
    with pytest.raises(ValueError, match="gentle, normal, tricky"):
        game.make_round(1, "hard")


@pytest.mark.parametrize("game_id", list(GAMES))
def test_missing_answer_is_refused_before_scoring(game_id):
    game = GAMES[game_id]
    with pytest.raises(InvalidAnswer, match="Answer every question"):
        game.score(game.make_round(5), {})


def test_logic_modules_do_not_import_streamlit():
    modules = [f"games.{g}.logic" for g in GAMES] + ["games", "games.base"]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit',))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
