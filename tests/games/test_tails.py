"""The tails game: the right test per hypothesis, and the misconception behind each wrong one."""

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
    round_ = _rounds("anova")[0]
    num = round_.reveal.numbers
    assert round_.solution == {"region": "upper"}
    assert num["F"] == pytest.approx(num["t"] ** 2)
    assert stats.f.sf(num["F"], 1, num["df"]) == pytest.approx(num["p_two-sided"])
    assert logic.score(round_, {"region": "both"}).misconception == "f_test_two_tailed"
    assert logic.score(round_, {"region": "lower"}).misconception == "f_test_lower_tail"


def test_gentle_rounds_use_scores_only():
    assert {logic.make_round(s, "gentle").context["measure"] for s in range(10)} == {"score"}
