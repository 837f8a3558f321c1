"""The lineup game: one real panel among fakes from fit.simulate, and the better model."""

import numpy as np
import pytest

from games.base import frame_from_dict
from games.lineup import logic
from tests.round_cache import LazyRounds, each_round

SEEDS = range(40)
ROUNDS = LazyRounds("lineup", SEEDS)


def test_every_problem_occurs():
    assert {r.solution["problem"] for r in ROUNDS} == set(logic.PROBLEMS)


@each_round(lambda: ROUNDS[:12])
def test_real_panel_holds_the_real_data_and_fakes_differ(round_):
    panels, real = round_.data, int(round_.solution["panel"])
    real_data = frame_from_dict(round_.context["real"])
    shown = panels[panels["panel"] == real]["value"].to_numpy()
    assert np.array_equal(shown, real_data["value"].to_numpy())
    assert sorted(panels["panel"].unique()) == list(range(1, round_.context["n_panels"] + 1))
    for i in set(panels["panel"]) - {real}:
        fake = panels[panels["panel"] == i]["value"].to_numpy()
        assert not np.array_equal(fake, shown)
        assert np.array_equal(fake, np.round(fake, 2))  # rounded like the real data


def test_panel_count_grows_with_difficulty():
    counts = [logic.make_round(3, d).context["n_panels"] for d in ("gentle", "normal", "tricky")]
    assert counts == [6, 9, 12]


def _round(problem):
    return next(r for r in ROUNDS if r.solution["problem"] == problem)


@pytest.mark.parametrize("problem", ["outliers", "mixture", "unequal_variances"])
def test_saying_nothing_is_wrong_misses_the_problem(problem):
    round_ = _round(problem)
    result = logic.score(round_, {"panel": round_.solution["panel"], "problem": "nothing"})
    assert (result.points, result.misconception) == (40, f"missed_{problem}")


def test_confusing_problems_and_false_alarms():
    mixture = _round("mixture")
    result = logic.score(mixture, {"panel": mixture.solution["panel"], "problem": "outliers"})
    assert result.misconception == "confused_mixture_with_outliers"
    good = _round("nothing")
    result = logic.score(good, {"panel": "1", "problem": "outliers"})
    assert (result.points, result.misconception) == (40, "saw_problem_in_good_fit")


def test_right_problem_wrong_panel():
    round_ = _round("outliers")
    other = "1" if round_.solution["panel"] != "1" else "2"
    result = logic.score(round_, {"panel": other, "problem": "outliers"})
    assert (result.points, result.correct, result.misconception) == (
        60, False, "picked_simulated_panel")


def test_good_fit_gives_panel_points_for_any_pick():
    good = _round("nothing")
    assert logic.score(good, {"panel": "1", "problem": "nothing"}).points == 100


def test_mixture_reveal_compares_models_by_ml_aic():
    num = _round("mixture").reveal.numbers
    assert num["sd_part_better"] < num["sd_part_shown"]
    assert num["aic_better"] < num["aic_shown"]


def test_outlier_reveal_shrinks_the_inflated_sd():
    rounds = [r for r in ROUNDS if r.solution["problem"] == "outliers"]
    for round_ in rounds:
        num = round_.reveal.numbers
        assert num["sd_affected_without"] < num["sd_affected_with"]
