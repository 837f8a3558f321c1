"""Why a mixed model?: random or fixed decided by the data and the question; shortcuts judged
by their fits; every wrong pick named."""

import collections

import numpy as np
import pytest

from games.why_mixed import factor, logic, shortcuts
from tests.round_cache import RoundsByDifficulty, each_round, lazy

DIFFICULTIES = ("gentle", "normal", "tricky")
ROUNDS = RoundsByDifficulty("why_mixed", range(12), DIFFICULTIES)
ALL = lazy(lambda: ROUNDS.all())
FACTOR = lazy(lambda: [r for r in ALL if r.context["variant"] == "factor"])
SHORTCUT = lazy(lambda: [r for r in ALL if r.context["variant"] == "shortcut"])


def test_both_topics_come_up_and_the_right_option_varies():
    assert FACTOR and SHORTCUT
    answers = collections.Counter(r.solution[r.questions[0].id] for r in ALL)
    assert len(answers) >= 4 and max(answers.values()) <= 0.6 * len(ALL), answers
    cases = {r.context["case"] for r in FACTOR if r.difficulty != "gentle"}
    assert cases == set(factor.CASES)


@each_round(lambda: ALL)
def test_every_option_scores_and_every_wrong_one_is_named(round_):
    question = round_.questions[0]
    for option in question.options:
        result = logic.score(round_, {question.id: option.value})
        assert result.feedback.strip() and "{" not in result.feedback
        if option.value == round_.solution[question.id]:
            assert (result.points, result.misconception) == (100, None)
        else:
            assert result.points < 100 and result.misconception


def test_the_number_of_sites_decides_between_random_and_fixed():
    for round_ in FACTOR:
        sites = round_.data["site"].nunique()
        case = round_.context["case"]
        assert (sites == 3) == (case == "within_few")
        if case in ("between", "within_many"):
            assert sites >= 8 and round_.solution == {"factor": "random"}
    assert all(f"{factor.factor_of(r.context['case'])}" in r.questions[0].text for r in FACTOR)


def test_fixed_sites_absorb_the_setting_and_leaving_site_out_overstates_it():
    round_ = next(r for r in FACTOR if r.context["case"] == "between")
    num, table = round_.reveal.numbers, round_.reveal.tables["fits"]
    assert num["fixed_dropped"] == 1.0 and np.isnan(table.loc["estimate", "fixed"])
    assert num["omit_se"] < 0.8 * num["random_se"] and abs(num["omit_t"]) > abs(num["random_t"])
    assert f"{num['omit_se']:.2f}" in round_.reveal.explanation


def test_an_sd_from_three_sites_is_known_only_to_within_a_wide_factor():
    low, high = factor.sd_interval_factor(3)
    assert low == pytest.approx(0.52, abs=0.01) and high == pytest.approx(6.28, abs=0.05)
    assert factor.sd_interval_factor(30)[1] < 1.5


def test_shortcut_answers_come_from_the_fits():
    for round_ in SHORTCUT:
        est = round_.context["estimates"]
        verdict = shortcuts.verdicts(est)
        close = {k for k, v in verdict.items() if v == "close"}
        assert shortcuts.CLAIMS[round_.solution["shortcut"]] == close
        model, sep = est["model"], est["separate"]
        if verdict["separate"] == "close":
            assert abs(sep["estimate"] - model["estimate"]) <= 0.5 * model["se"]


def test_regression_on_means_is_too_confident_when_people_differ():
    rounds = [r for r in SHORTCUT if r.context["case"] == "differ_balanced"]
    assert rounds
    for round_ in rounds:
        est = round_.context["estimates"]
        assert est["means"]["se"] < 0.67 * est["model"]["se"]
        assert round_.context["verdicts"]["means"] == "too confident"


def test_partial_credit_for_naming_only_one_of_two_working_shortcuts():
    round_ = next((r for r in SHORTCUT if r.solution["shortcut"] == "both"), None)
    assert round_ is not None
    result = logic.score(round_, {"shortcut": "separate"})
    assert (result.points, result.misconception) == (50, "means_fine_when_people_agree")
