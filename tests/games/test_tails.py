"""The tails game: the right test per hypothesis, and the misconception behind each wrong one."""

import json

import numpy as np
import pytest
from scipy import stats

from games.tails import logic
from tests.round_cache import LazyRounds, each_round

SEEDS = range(40)


def _rounds(variant, difficulty="normal"):
    rounds = LazyRounds("tails", SEEDS, difficulty)
    return [r for r in rounds if r.context["variant"] == variant]


def test_both_variants_and_all_hypotheses_occur():
    rounds = LazyRounds("tails", SEEDS)
    assert {r.context["variant"] for r in rounds} == {"t", "anova"}
    assert {r.context["hypothesis"] for r in rounds} == {"better", "worse", "different"}


@each_round(lambda: _rounds("t"))
def test_each_wrong_test_names_its_misconception(round_):
    right = round_.solution["test"]
    for chosen in ("two-sided", "greater", "less"):
        result = logic.score(round_, {"test": chosen})
        if chosen == right:
            assert result.points == 100
        elif right == "two-sided":
            assert (result.points, result.misconception) == (0, "one_tailed_for_nondirectional")
        elif chosen == "two-sided":
            assert (result.points, result.misconception) == (50, "two_tailed_for_directional")
        else:
            assert (result.points, result.misconception) == (0, "one_tailed_wrong_direction")


def test_better_reaction_time_means_lower():
    round_ = next(r for r in _rounds("t") if r.context["measure"] == "reaction_time"
                  and r.context["hypothesis"] == "better")
    assert round_.solution["test"] == "less"
    assert "lower is better" in logic.score(round_, {"test": "greater"}).feedback


def test_p_values_agree_with_the_t_distribution():
    round_ = _rounds("t")[0]
    num = round_.reveal.numbers
    assert num["p_greater"] + num["p_less"] == pytest.approx(1.0)
    assert num["p_two-sided"] == pytest.approx(2 * min(num["p_greater"], num["p_less"]))
    assert num["p_two-sided"] == pytest.approx(2 * stats.t.sf(abs(num["t"]), num["df"]))


def test_balanced_design_has_n_minus_one_satterthwaite_df():
    round_ = _rounds("t")[0]
    assert round_.reveal.numbers["df"] == pytest.approx(round_.context["n_participants"] - 1,
                                                        abs=0.05)


def test_anova_variant_is_upper_tail_and_matches_two_tailed_t():
    rounds = _rounds("anova")
    assert {r.context["statistic"] for r in rounds} == {"F", "t"}
    t_round = next(r for r in rounds if r.context["statistic"] == "t")
    assert t_round.solution == {"region": "both"}
    assert logic.score(t_round, {"region": "upper"}).misconception == (
        "one_tailed_for_nondirectional")
    assert "t test" in t_round.questions[0].text and "two-tailed" in t_round.reveal.explanation
    round_ = next(r for r in rounds if r.context["statistic"] == "F")
    num = round_.reveal.numbers
    assert round_.solution == {"region": "upper"}
    assert num["F"] == pytest.approx(num["t"] ** 2)
    assert stats.f.sf(num["F"], 1, num["df"]) == pytest.approx(num["p_two-sided"])
    assert logic.score(round_, {"region": "both"}).misconception == "f_test_two_tailed"
    assert logic.score(round_, {"region": "lower"}).misconception == "f_test_lower_tail"


def test_gentle_rounds_use_scores_only():
    assert {logic.make_round(s, "gentle").context["measure"] for s in range(10)} == {"score"}


def test_f_density_is_clipped_honestly_not_flattened():
    """F(1, df) has a pole at 0: the curve is sampled finely there and clipped at the top of
    the y axis (with a note), instead of being capped into a flat top."""
    from games.tails import charts

    spec = charts.f_chart(18.0, 2.5, "F").to_dict(validate=False)
    lines = [layer for layer in spec["layer"] if layer["mark"]["type"] in ("line", "area")]
    assert lines and all(layer["mark"].get("clip") is True for layer in lines)
    assert lines[0]["encoding"]["y"]["scale"]["domain"] == [0, charts.F_TOP]
    curve = next(v for v in spec["datasets"].values() if len(v) > 100)
    density = np.array([row["density"] for row in curve])
    near_zero = np.array([row["F"] for row in curve]) < 0.5
    assert near_zero.sum() >= 100 and density.max() > 10 * charts.F_TOP
    assert np.all(np.diff(density[near_zero]) < 0)  # still falling: no flat top
    texts = json.dumps(spec["datasets"])
    assert "keeps rising toward F = 0" in texts
