"""The bootstrap game: intervals scored by coverage and width, misconceptions named, and the
bootstraps shown in the reveal agreeing with each round's solution."""

import math

import numpy as np
import pytest

import lmm_core
from games.base import sub_seed
from games.bootstrap import logic, reveal
from tests.round_cache import RoundsByDifficulty, each_round, lazy

DIFFICULTIES = ("gentle", "normal", "tricky")
ROUNDS = RoundsByDifficulty("bootstrap", range(30), DIFFICULTIES)
INTERVAL = lazy(lambda: [r for r in ROUNDS.all() if r.context["variant"] == "interval"])
KIND = lazy(lambda: [r for r in ROUNDS.all() if r.context["variant"] == "overconfident"])
SMALL = {"parametric": 25, "cluster": 20, "case": 20}


def _around(round_, half_width: float, shift: float = 0.0) -> dict:
    centre = round_.context["estimate"] + shift
    return {"lower": centre - half_width, "upper": centre + half_width}


def _reference(round_) -> tuple[float, float]:
    ref = round_.context["reference"]
    return ref["lower"], ref["upper"]


def test_both_variants_occur_and_only_tricky_offers_none():
    for difficulty in DIFFICULTIES:
        assert {r.context["variant"] for r in ROUNDS[difficulty]} == {"interval",
                                                                      "overconfident"}
    solutions = {d: {r.solution.get("kind") for r in ROUNDS[d]} - {None} for d in DIFFICULTIES}
    assert solutions["gentle"] == solutions["normal"] == {"case"}
    assert solutions["tricky"] == {"case", "none"}
    for round_ in KIND:
        values = [o.value for o in round_.question("kind").options]
        assert ("none" in values) == (round_.difficulty == "tricky")


def test_difficulties_differ_in_what_is_shown_and_how_many_people():
    assert all(r.context["show_se"] for r in ROUNDS["gentle"])
    assert not any(r.context["show_se"] for r in ROUNDS["normal"] + ROUNDS["tricky"])
    people = {d: np.median([r.context["n_people"] for r in ROUNDS[d]]) for d in DIFFICULTIES}
    assert people["gentle"] > people["normal"] > people["tricky"]


@each_round(lambda: INTERVAL[::4])
def test_reference_is_lme4s_profile_interval_of_a_direct_fit(round_):
    fit = lmm_core.lmer(round_.context["formula"], round_.data)
    term = round_.context["term"]
    profile = fit.confint("profile", parm=term).to_numpy()[0]
    assert _reference(round_) == pytest.approx(tuple(profile), rel=1e-6)
    assert (round_.solution["lower"], round_.solution["upper"]) == _reference(round_)
    num = round_.reveal.numbers
    se = float(fit.coef_table().loc[term, "Std. Error"])
    assert num["wald_lower"] == pytest.approx(fit.fixef[term] - 1.959964 * se, rel=1e-5)
    assert num["wald_upper"] == pytest.approx(fit.fixef[term] + 1.959964 * se, rel=1e-5)
    assert not fit.is_singular


def test_balanced_slopes_se_is_sd_of_own_slopes_over_root_n():
    """What the explanation teaches: SE = SD of people's own slopes / sqrt(number of people)."""
    for round_ in INTERVAL:
        num = round_.reveal.numbers
        assert num["sd_people"] / math.sqrt(num["n_people"]) == pytest.approx(num["se"],
                                                                               rel=1e-2)


@each_round(lambda: INTERVAL)
def test_interval_misconceptions_are_named(round_):
    ctx, num = round_.context, round_.reveal.numbers
    z = logic.Z95
    pi = logic.score(round_, _around(round_, z * num["sd_people"]))
    assert (pi.points, pi.misconception) == (0, "confused_ci_and_pi")
    rows = logic.score(round_, _around(round_, z * num["sd_people"] / math.sqrt(ctx["n_obs"])))
    assert (rows.points, rows.misconception) == (0, "counted_measurements_as_people")
    one_se = logic.score(round_, _around(round_, num["se"]))
    assert one_se.misconception == "used_one_standard_error" and one_se.points < 100
    lo, hi = _reference(round_)
    above = logic.score(round_, {"lower": hi + 1.0, "upper": hi + 1.0 + (hi - lo)})
    assert (above.points, above.misconception) == (0, "missed_the_estimate")


def test_bands_full_half_none_by_width_and_coverage():
    for round_ in INTERVAL:
        lo, hi = _reference(round_)
        mid, half = (lo + hi) / 2, (hi - lo) / 2

        def score(factor, shift=0.0, round_=round_, mid=mid, half=half):
            return logic.score(round_, {"lower": mid + shift - factor * half,
                                        "upper": mid + shift + factor * half})

        assert score(1.1).points == 100 and score(0.9).points == 100
        wide, narrow = score(1.45), score(0.75)
        assert (wide.points, wide.misconception) == (50, "interval_too_wide")
        assert (narrow.points, narrow.misconception) == (50, "interval_too_narrow")
        assert score(1.8).points == 0 and score(0.5).points == 0
        shifted = score(1.0, 0.3 * 2 * half)
        assert (shifted.points, shifted.misconception) == (50, "off_centre")
        assert score(1.0, 0.6 * 2 * half).points == 0


def test_interval_measures():
    m = logic.interval_measures(2.0, 6.0, {"lower": 0.0, "upper": 4.0})
    assert m == {"coverage": 0.5, "ratio": 1.0}


def test_reversed_ends_are_read_as_an_interval_and_bad_input_is_refused():
    round_ = INTERVAL[0]
    lo, hi = _reference(round_)
    assert logic.score(round_, {"lower": hi, "upper": lo}).points == 100
    for bad in ({"lower": "abc", "upper": hi}, {"lower": lo}, {"lower": lo, "upper": math.nan}):
        result = logic.score(round_, bad)
        assert (result.points, result.misconception) == (0, "no_answer")


@each_round(lambda: KIND)
def test_each_wrong_bootstrap_names_its_misconception(round_):
    right = round_.solution["kind"]
    for option in round_.question("kind").options:
        result = logic.score(round_, {"kind": option.value})
        if option.value == right:
            assert (result.points, result.correct) == (100, True)
        elif right == "case":
            assert (result.points, result.misconception) == (0, "case_bootstrap_overconfident")
        else:
            expected = {"case": "row_resampling_always_overconfident",
                        "parametric": "blamed_parametric_bootstrap",
                        "cluster": "blamed_participant_resampling"}[option.value]
            assert (result.points, result.misconception) == (0, expected)
    assert logic.score(round_, {"kind": "bogus"}).misconception == "no_answer"


def _first(difficulty, kind):
    return next(r for r in ROUNDS[difficulty] if r.solution.get("kind") == kind)


@each_round(lambda: [_first("normal", "case"), _first("tricky", "case"),
                     _first("tricky", "none")])
def test_the_bootstraps_on_screen_agree_with_the_solution(round_):
    """The full reveal (a thousand refits): row resampling is the only too narrow interval in
    a "case" round, and none is too narrow in a "none" round."""
    boot = reveal.reveal_numbers(round_)
    expected = [] if round_.solution["kind"] == "none" else ["case"]
    assert reveal.too_narrow(boot) == expected
    assert {k: boot[k]["n"] for k in reveal.KINDS} == reveal.REPLICATES
    assert sum(reveal.REPLICATES.values()) == 1000
    for kind in reveal.KINDS:
        assert boot[kind]["n_failed"] == 0
        assert boot[kind]["lower"] < round_.reveal.numbers["estimate"] < boot[kind]["upper"]
    story = reveal.bootstrap_story(round_, boot)
    assert f"{boot['case']['lower']:.1f} to {boot['case']['upper']:.1f}" in story


def test_reveal_numbers_are_deterministic_and_match_lmm_core_bootstrap():
    round_ = KIND[0]
    ticks = []
    first = reveal.reveal_numbers(round_, progress=lambda d, t: ticks.append((d, t)),
                                  replicates=SMALL)
    again = reveal.reveal_numbers(round_, replicates=SMALL)
    assert first == again
    done = [d for d, _ in ticks]
    assert ticks[-1] == (65, 65) and done == sorted(done)
    fit = lmm_core.lmer(round_.context["formula"], round_.data)
    direct = lmm_core.bootstrap(fit, 25, "parametric", rng=sub_seed(round_.seed, 20, 0))
    values = direct.replicates[round_.context["term"]].to_numpy()
    assert first["parametric"]["values"] == pytest.approx(values.tolist())


def test_table_and_story_name_the_numbers():
    round_ = INTERVAL[0]
    boot = reveal.reveal_numbers(round_, replicates=SMALL)
    table = reveal.bootstrap_table(round_, boot)
    assert list(table["interval"])[:2] == ["Wald (± 1.96 SE)", "profile likelihood"]
    assert table["width vs profile"].iloc[1] == "100%"
    explanation = round_.reveal.explanation
    num = round_.reveal.numbers
    assert f"{num['profile_lower']:.1f} to {num['profile_upper']:.1f}" in explanation
    assert f"{num['se']:.2f}" in explanation


def test_premise_of_overconfident_rounds_holds_in_their_data():
    """Row resampling sees only within-person noise: for "case" rounds that noise explains
    under half the standard error; for "none" rounds people's own differences agree with it."""
    for round_ in KIND:
        data, num = round_.data, round_.reveal.numbers
        fit = lmm_core.lmer(round_.context["formula"], data)
        if round_.solution["kind"] == "case":
            centred = data["days"] - data.groupby("subject")["days"].transform("mean")
            assert fit.sigma / math.sqrt(float((centred**2).sum())) / num["se"] < 0.5
        else:
            ratio = num["sd_people"] / math.sqrt(num["n_people"]) / num["se"]
            assert 0.85 <= ratio <= 1.2
