"""The bootstrap game: intervals scored by coverage and width, misconceptions named, judged
bootstraps whose answer varies with the design, and the bootstraps shown in the reveal agreeing
with each round's solution."""

import collections
import math

import numpy as np
import pytest

import lmm_core
from games.base import sub_seed
from games.bootstrap import judge, logic, reveal
from tests.round_cache import RoundsByDifficulty, each_round, lazy

DIFFICULTIES = ("gentle", "normal", "tricky")
ROUNDS = RoundsByDifficulty("bootstrap", range(30), DIFFICULTIES)
INTERVAL = lazy(lambda: [r for r in ROUNDS.all() if r.context["variant"] == "interval"])
KIND = lazy(lambda: [r for r in ROUNDS.all() if r.context["variant"] == "judge"])
SMALL = {"parametric": 25, "cluster": 20, "case": 20}


def _around(round_, half_width: float, shift: float = 0.0) -> dict:
    centre = round_.context["estimate"] + shift
    return {"lower": centre - half_width, "upper": centre + half_width}


def _reference(round_) -> tuple[float, float]:
    ref = round_.context["reference"]
    return ref["lower"], ref["upper"]


def test_both_variants_occur_and_the_right_bootstrap_varies():
    for difficulty in DIFFICULTIES:
        assert {r.context["variant"] for r in ROUNDS[difficulty]} == {"interval", "judge"}
    answers = collections.Counter(r.solution["kind"] for r in KIND)
    assert len(answers) >= 3, answers
    assert max(answers.values()) <= 0.6 * len(KIND), answers
    designs = {r.context["design"] for r in KIND if r.difficulty != "gentle"}
    assert designs == {"slope", "within", "crossed"}
    for round_ in KIND:
        values = [o.value for o in round_.question("kind").options]
        assert values == [*round_.context["shown"], "none"]
        assert round_.solution["kind"] in values


def test_every_asked_pair_has_exactly_one_answer():
    for design in judge.VERDICTS:
        for shown, ask in judge.combos(design):
            wanted = "narrow" if ask == "narrow" else "right"
            hits = [k for k in shown if judge.VERDICTS[design][k] == wanted]
            assert len(hits) <= 1
            assert judge.solution(design, shown, ask) == (hits[0] if hits else "none")
    assert judge.solution("crossed", ("case", "cluster", "parametric"), "narrow") is None
    assert (("case", "cluster", "parametric"), "trust") in judge.combos("crossed")


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
    codes = set()
    for option in round_.question("kind").options:
        result = logic.score(round_, {"kind": option.value})
        assert result.feedback.strip()
        if option.value == right:
            assert (result.points, result.correct, result.misconception) == (100, True, None)
        else:
            assert result.points == 0 and result.misconception
            codes.add(result.misconception)
    assert logic.score(round_, {"kind": "bogus"}).misconception == "no_answer"


def test_misconceptions_say_what_was_trusted_or_blamed():
    context = {"design": "crossed", "ask": "trust", "shown": ["case", "cluster", "parametric"]}
    assert judge.verdict(context, "parametric", "cluster")[1] == "ignored_item_sampling"
    assert judge.verdict(context, "parametric", "case")[1] == "trusted_row_resampling"
    assert judge.verdict(context, "parametric", "none")[1] == "blamed_parametric_bootstrap"
    context = {"design": "within", "ask": "narrow", "shown": ["case", "cluster", "parametric"]}
    assert judge.verdict(context, "none", "case")[1] == "row_resampling_always_overconfident"
    context = {"design": "slope", "ask": "narrow", "shown": ["case", "parametric"]}
    assert judge.verdict(context, "case", "none")[1] == "case_bootstrap_overconfident"


def _first(design):
    return next(r for r in KIND if r.context["design"] == design)


@pytest.mark.slow
@pytest.mark.parametrize("design", ["slope", "within", "crossed"])
def test_the_bootstraps_on_screen_agree_with_the_verdicts(design):
    """The full reveal (hundreds of refits): exactly the bootstraps the design makes too
    narrow come out under TOO_NARROW of the reference interval's width."""
    round_ = _first(design)
    boot = reveal.reveal_numbers(round_)
    shown = reveal.kinds_of(round_)
    assert list(boot) == shown
    expected = [k for k in shown if judge.VERDICTS[design][k] == "narrow"]
    assert reveal.too_narrow(boot) == expected
    assert {k: boot[k]["n"] for k in shown} == reveal.replicates_for(round_)
    for kind in shown:
        assert boot[kind]["n_failed"] == 0
        assert boot[kind]["lower"] < round_.reveal.numbers["estimate"] < boot[kind]["upper"]
    story = reveal.bootstrap_story(round_, boot)
    for kind in shown:
        assert f"{boot[kind]['lower']:.1f} to {boot[kind]['upper']:.1f}" in story


def test_reveal_numbers_are_deterministic_and_match_lmm_core_bootstrap():
    round_ = next(r for r in KIND if "parametric" in r.context["shown"])
    ticks = []
    first = reveal.reveal_numbers(round_, progress=lambda d, t: ticks.append((d, t)),
                                  replicates=SMALL)
    again = reveal.reveal_numbers(round_, replicates=SMALL)
    assert first == again
    done = [d for d, _ in ticks]
    total = sum(SMALL[k] for k in reveal.kinds_of(round_))
    assert ticks[-1] == (total, total) and done == sorted(done)
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
    assert len(table) == 2 + 3
    explanation = round_.reveal.explanation
    num = round_.reveal.numbers
    assert f"{num['profile_lower']:.1f} to {num['profile_upper']:.1f}" in explanation
    assert f"{num['se']:.2f}" in explanation


def test_premise_of_judge_rounds_holds_in_their_data():
    """Row resampling sees only within-person noise: in slope rounds that noise explains under
    half the standard error; in within rounds people's own differences agree with it; in
    crossed rounds which words were sampled explains most of the effect's variance."""
    for round_ in KIND:
        data, num = round_.data, round_.reveal.numbers
        fit = lmm_core.lmer(round_.context["formula"], data)
        design = round_.context["design"]
        if design == "slope":
            centred = data["days"] - data.groupby("subject")["days"].transform("mean")
            assert fit.sigma / math.sqrt(float((centred**2).sum())) / num["se"] < 0.5
        elif design == "within":
            ratio = num["sd_people"] / math.sqrt(num["n_people"]) / num["se"]
            assert 0.85 <= ratio <= 1.2
        else:
            vc = fit.varcorr().set_index("grp")["sdcor"]
            words = vc["item"] ** 2
            assert words / (words + fit.sigma**2 / num["n_people"]) >= 0.8


def test_crossed_reveal_explains_that_words_not_participants_set_the_width():
    round_ = _first("crossed")
    text = round_.reveal.explanation
    assert "difference between words" in text and "More words, not more participants" in text
    assert round_.context["reference_kind"] == "Wald"
    assert round_.reveal.numbers["profile_lower"] == round_.reveal.numbers["wald_lower"]
