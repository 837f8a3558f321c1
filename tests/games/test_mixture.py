"""The mixture game: the right model per variant, the misconception behind each wrong one, and
reveal numbers that agree with direct lmm_core fits."""

import numpy as np
import pytest
from scipy import stats

import lmm_core
from games.mixture import logic
from games.mixture import reveal as mix_fits
from tests.round_cache import LazyRounds, each_round

SEEDS = range(30)
ROUNDS = LazyRounds("mixture", SEEDS)


def _round(variant, difficulty="normal"):
    rounds = ROUNDS if difficulty == "normal" else LazyRounds("mixture", range(12), difficulty)
    return next(r for r in rounds if r.context["variant"] == variant)


def test_both_variants_occur_at_every_difficulty():
    assert {r.context["variant"] for r in ROUNDS} == {"means", "spreads"}
    assert {logic.make_round(s, "gentle").context["variant"] for s in range(15)} == {
        "means", "spreads"}


def test_difficulties_offer_more_models_and_subtler_groups():
    offered = {d: len(logic.make_round(4, d).question("model").options)
               for d in ("gentle", "normal", "tricky")}
    assert offered == {"gentle": 4, "normal": 5, "tricky": 6}
    sizes = [logic.LEVELS[d]["difference"] for d in ("gentle", "normal", "tricky")]
    assert sizes == sorted(sizes, reverse=True)
    ratios = [logic.LEVELS[d]["ratio"] for d in ("gentle", "normal", "tricky")]
    assert ratios == sorted(ratios, reverse=True)


@each_round(lambda: ROUNDS)
def test_each_wrong_model_names_its_misconception(round_):
    variant = round_.context["variant"]
    for option in round_.question("model").options:
        result = logic.score(round_, {"model": option.value})
        points, code = logic.VERDICTS[variant][option.value]
        assert (result.points, result.misconception) == (points, code)
        assert result.correct == (code is None)
        assert result.feedback.strip() and "{" not in result.feedback
    assert round_.solution == {"model": logic.RIGHT[variant]}


def test_key_misconception_codes():
    means, spreads = _round("means"), _round("spreads")
    assert logic.score(means, {"model": "no_group"}).misconception == "ignored_hidden_groups"
    assert logic.score(means, {"model": "group_random"}).misconception == \
        "group_as_random_with_two_levels"
    assert logic.score(spreads, {"model": "no_group"}).misconception == \
        "one_normal_for_two_spreads"
    assert logic.score(spreads, {"model": "group_fixed"}).misconception == \
        "mean_shift_for_spread"


def test_missing_or_unknown_answers_score_zero():
    round_ = ROUNDS[0]
    for answer in ({}, {"model": None}, {"model": "value ~ 1"}, {"other": "group_fixed"}):
        result = logic.score(round_, answer)
        assert (result.points, result.correct, result.misconception) == (0, False, "no_answer")
    gentle = logic.make_round(0, "gentle")
    assert logic.score(gentle, {"model": "group_nest"}).misconception == "no_answer"  # not offered


def test_bad_seeds_and_difficulties_say_what_is_wrong():
    with pytest.raises(ValueError, match="whole number"):
        logic.make_round(-3)
    with pytest.raises(ValueError, match="whole number"):
        logic.make_round(1.5)
    with pytest.raises(ValueError, match="gentle, normal, tricky"):
        logic.make_round(1, "easy")


@each_round(lambda: ROUNDS[:8])
def test_data_groups_and_indicators_agree(round_):
    data = round_.data
    assert set(data["group"]) == {"A", "B"}
    assert (data["in_A"] == (data["group"] == "A")).all()
    assert (data["in_B"] == 1 - data["in_A"]).all()
    assert data.groupby("participant")["group"].nunique().max() == 1  # between participants
    sizes = data.groupby("group")["participant"].nunique().to_dict()
    assert sizes == round_.context["group_sizes"]


@pytest.mark.parametrize("variant", ["means", "spreads"])
def test_reveal_numbers_agree_with_direct_fits(variant):
    round_ = _round(variant)
    data, num = round_.data, round_.reveal.numbers
    small = lmm_core.lmer(logic.MODELS["no_group"], data)
    big = lmm_core.lmer(logic.MODELS[logic.RIGHT[variant]], data)
    vc_small, vc_big = small.varcorr(), big.varcorr()
    assert num["reml_small"] == pytest.approx(small.objective, rel=1e-9)
    assert num["reml_big"] == pytest.approx(big.objective, rel=1e-9)
    assert num["sd_small"] == pytest.approx(vc_small["sdcor"].iloc[0], rel=1e-6)
    assert num["sigma_big"] == pytest.approx(big.sigma, rel=1e-6)
    assert num["effect_big"] == pytest.approx(big.fixef["conditiontreatment"], rel=1e-9)
    if variant == "means":
        assert num["sd_big"] == pytest.approx(vc_big["sdcor"].iloc[0], rel=1e-6)
        assert num["group_effect"] == pytest.approx(big.fixef["groupB"], rel=1e-9)
    else:
        by_term = dict(zip(vc_big["var1"], vc_big["sdcor"], strict=True))
        assert num["sd_big_A"] == pytest.approx(by_term["in_A"], rel=1e-6)
        assert num["sd_big_B"] == pytest.approx(by_term["in_B"], rel=1e-6)
    # the likelihood-ratio test: ML refits, chi-square on twice the log-likelihood gain
    ml_small = lmm_core.lmer(logic.MODELS["no_group"], data, reml=False)
    ml_big = lmm_core.lmer(logic.MODELS[logic.RIGHT[variant]], data, reml=False)
    chisq = 2 * (ml_big.loglik - ml_small.loglik)
    assert num["chisq"] == pytest.approx(chisq, rel=1e-5, abs=1e-6)
    assert num["p_value"] == pytest.approx(stats.chi2.sf(chisq, 1), rel=1e-4, abs=1e-12)
    assert num["aic_big"] == pytest.approx(ml_big.aic, rel=1e-7)


def test_hand_lrt_matches_lmm_core_anova_on_a_nested_pair():
    data = _round("means").data
    small = lmm_core.lmer(logic.MODELS["no_group"], data)
    big = lmm_core.lmer(logic.MODELS["group_fixed"], data)
    ours = mix_fits.lrt(small, big, ["a", "b"])
    theirs = lmm_core.anova(small, big, names=["a", "b"])
    assert np.allclose(ours.table.to_numpy(dtype=float), theirs.table.to_numpy(dtype=float),
                       equal_nan=True)


def test_hand_lrt_for_one_sd_against_one_sd_per_group():
    """lmm_core.anova refuses this pair (not nested by its terms); the game's test does it."""
    data = _round("spreads").data
    small = lmm_core.lmer(logic.MODELS["no_group"], data)
    big = lmm_core.lmer(logic.MODELS["two_sds"], data)
    with pytest.raises(lmm_core.ModelSpecError):
        lmm_core.anova(small, big)
    table = mix_fits.lrt(small, big, ["one SD", "two SDs"]).table
    assert list(table["npar"]) == [4, 5]
    assert table["Df"].iloc[1] == 1
    assert table["Chisq"].iloc[1] == pytest.approx(
        table["deviance"].iloc[0] - table["deviance"].iloc[1])


def test_right_model_usually_wins_the_test():
    """The rounds are calibrated so that the data clearly back the right model."""
    wins = [r.reveal.numbers["p_value"] < 0.05 and
            r.reveal.numbers["aic_big"] < r.reveal.numbers["aic_small"] for r in ROUNDS]
    assert np.mean(wins) >= 0.9


def test_group_term_shrinks_the_participant_sd_in_mean_rounds():
    for round_ in (r for r in ROUNDS if r.context["variant"] == "means"):
        num = round_.reveal.numbers
        assert num["sd_big"] < 0.75 * num["sd_small"]
        # within-participant condition effect: the same in both models
        assert num["effect_big"] == pytest.approx(num["effect_small"], abs=1e-6)


def test_spread_rounds_find_the_wide_group():
    rounds = [r for r in ROUNDS if r.context["variant"] == "spreads"]
    for round_ in rounds:
        truth, num = round_.context["truth"], round_.reveal.numbers
        wide = "A" if truth["sd_A"] > truth["sd_B"] else "B"
        assert num[f"sd_big_{wide}"] > num[f"sd_big_{'B' if wide == 'A' else 'A'}"]
        feedback = logic.score(round_, {"model": "no_group"}).feedback
        assert f"too narrow for group {wide}" in feedback


def test_pictures_have_one_dot_per_participant_and_the_models_curves():
    for variant in ("means", "spreads"):
        round_ = _round(variant)
        details, n = round_.reveal.details, round_.context["n_participants"]
        assert len(details["participants"]) == len(details["groups"]) == n
        for values in details["baselines"].values():
            assert len(values) == n and np.all(np.isfinite(values))
        assert len(details["curves"]["no_group"]) == 1
        assert len(details["curves"][logic.RIGHT[variant]]) == 2
        assert sum(c["n"] for c in details["curves"]["no_group"]) == n


def test_table_shows_every_offered_model_and_the_truth():
    round_ = logic.make_round(2, "tricky")
    table = round_.reveal.tables["fits"]
    offered = {o.value for o in round_.question("model").options}
    assert set(table.columns) == offered | {"truth"}
    assert "REML criterion" in table.index and "residual SD" in table.index


def test_r_printouts_show_both_main_fits_as_r_does():
    round_ = _round("spreads")
    out = mix_fits.r_printouts(round_.data, ["no_group", "two_sds"])
    assert set(out) == {"no_group", "two_sds"}
    assert all("REML criterion at convergence" in text for text in out.values())
    assert "participant.1" in out["two_sds"]  # lme4's name for the second participant term
