"""The stress test's CI run: a few variants of every game at every difficulty pass, and its
report ends with "N variants, F failed"; a skewed right answer is flagged."""

from collections import Counter

from games import GAMES
from homework import stress


def test_a_small_stress_run_passes(capsys):
    assert stress.main(["--n", "1"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    n = sum(len(g.difficulties) for g in GAMES.values())
    assert lines[-1] == f"{n} variants, 0 failed"


def test_a_broken_game_fails_and_skew_is_flagged(monkeypatch):
    game = GAMES["tails"]
    monkeypatch.setattr(type(game), "score", lambda self, r, a: type(
        "S", (), {"points": 100, "correct": True})())
    check = stress.check_variant("tails", "normal", 1)
    assert any("a wrong answer scores 100" in p for p in check.problems)
    assert stress.skewed(Counter({"case": 14}))
    assert stress.skewed(Counter({"a": 80, "b": 20}))
    assert not stress.skewed(Counter({"a": 40, "b": 35, "c": 25}))
