"""The lineup game: one real panel among fakes from fit.simulate, and the better model."""

import numpy as np
import pandas as pd
import pytest

import simulators
from games.base import frame_from_dict
from games.lineup import charts, logic, signal
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


# ----- the measured signal and the calibrated difficulty ----------------------------------
def test_strength_of_a_panel_beyond_every_null():
    rng = np.random.default_rng(1)
    stats = rng.standard_normal((2, 200))
    stats[0, 0] = 10.0  # the real panel (column 0) stands out on the first statistic
    seen = signal.strength(stats)
    assert seen.p == pytest.approx(1 / 200) and seen.z > 5
    stats[0, 0] = np.median(stats[0, 1:])
    stats[1, 0] = np.median(stats[1, 1:])
    assert 0.3 < signal.strength(stats).p <= 1.0


def test_statistics_see_what_each_problem_looks_like():
    """Each statistic is larger for data with its problem than for data from the model."""
    cases = {"outliers": ("outliers", {"size": 8.0}),
             "mixture": ("mixture", {"group_difference": 40.0}),
             "unequal_variances": ("heterogeneous_variance", {"sd_ratio": 12.0})}
    for problem, (name, params) in cases.items():
        data = simulators.generate(name, seed=3, **params).data
        clean = simulators.generate("two_condition", seed=3).data
        shown = signal.panel_statistic(problem, data, data["value"].to_numpy()[:, None])
        plain = signal.panel_statistic(problem, clean, clean["value"].to_numpy()[:, None])
        assert shown.max() > plain.max(), problem


@pytest.mark.slow
def test_difficulty_levels_differ_as_named_by_the_measured_signal():
    """Over 20 seeds per level, rounds with a problem have their signal in the level's band
    (the real panel's p-value among 999 simulated panels), and the bands are ordered."""
    medians = []
    for difficulty, level in logic.LEVELS.items():
        lo, hi = level["band"]
        seen = [r.context["signal"]["p"] for r in (logic.make_round(s, difficulty)
                                                   for s in range(20))
                if r.context["signal"] is not None]
        inside = np.mean([lo < p <= hi for p in seen])
        assert len(seen) >= 10 and inside >= 0.9, (difficulty, inside)
        medians.append(np.median(seen))
    assert medians == sorted(medians) and medians[0] < medians[2]


def test_reveal_says_how_visible_the_problem_was():
    round_ = _round("mixture")
    p = round_.context["signal"]["p"]
    assert "How visible was it?" in round_.reveal.explanation
    assert f"{p:.3f}" in round_.reveal.explanation
    assert "How visible" not in _round("nothing").reveal.explanation


def test_lineup_is_one_grid_that_fits_a_phone():
    round_ = ROUNDS[0]
    spec = charts.lineup_chart(round_.data, real=2).to_dict(validate=False)
    assert spec["columns"] == charts.COLUMNS == 3
    width = spec["spec"]["width"] * 3 + 2 * spec["spacing"] + 40  # 40: the y axis
    assert width <= 390 - 32  # a 390 px phone less the page's padding
    labels = set(pd.DataFrame(next(iter(spec["datasets"].values())))["label"])
    assert labels == {f"Panel {i}" for i in range(1, 10)} - {"Panel 2"} | {"Panel 2 (real)"}


@pytest.mark.parametrize("problem", list(logic.PROBLEMS))
def test_r_printouts_refit_the_reveals_models_from_the_marked_data(problem):
    from games.lineup import reveal as better

    round_ = _round(problem)
    out = better.printouts(problem, frame_from_dict(round_.context["real"]))
    expected = {"outliers": 2, "mixture": 2, "unequal_variances": 3, "nothing": 1}[problem]
    assert len(out) == expected and "shown model" in out
    assert all("Linear mixed model fit by REML" in text for text in out.values())
    table = round_.reveal.tables["side_by_side"]
    shown = f"{table.iloc[:, 0]['SD residual']:.3f}"[:4]
    assert shown in out["shown model"]
