"""The p-values game: lmerTest's verdict and df, the other tests beside them, and the
misconception behind each wrong answer."""

import numpy as np
import pytest
from scipy import stats

import lmm_core
from games.pvalues import logic, reveal
from tests.round_cache import RoundsByDifficulty, each_round, lazy

DIFFICULTIES = ("gentle", "normal", "tricky")
ROUNDS = RoundsByDifficulty("pvalues", range(30), DIFFICULTIES)
ALL = lazy(ROUNDS.all)
ASKED = lazy(lambda: [r for r in ALL if r.context["ask_df"]])


def _trap(round_) -> bool:
    c = round_.context
    return c["p_z"] < 0.05 <= c["p_satt"]


def _rule_df(ctx) -> int:
    """The rule of thumb the reveal teaches, per design."""
    return {"between": ctx["n_groups"] - 2, "slope": ctx["n_groups"] - 1,
            "within": ctx["n_obs"] - ctx["n_groups"] - 1}[ctx["design"]]


def test_designs_verdicts_and_traps_occur():
    for difficulty in DIFFICULTIES:
        rounds = ROUNDS[difficulty]
        assert {r.context["design"] for r in rounds} == {"between", "slope", "within"}
        assert {r.solution["sig"] for r in rounds} == {"yes", "no"}
    traps = {d: sum(map(_trap, ROUNDS[d])) for d in DIFFICULTIES}
    assert traps["gentle"] == 0 and traps["tricky"] >= 8
    assert traps["tricky"] > traps["normal"]


def test_gentle_asks_the_verdict_only_and_keeps_it_clear():
    for round_ in ROUNDS["gentle"]:
        assert [q.id for q in round_.questions] == ["sig"]
        p = round_.context["p_satt"]
        assert p < 0.01 or p > 0.2
    for round_ in ASKED:
        assert [q.id for q in round_.questions] == ["df", "sig"]
        low, high = logic.LEVELS[round_.difficulty]["avoid_p"]
        assert not low <= round_.context["p_satt"] <= high


@each_round(lambda: ALL[::5])
def test_numbers_agree_with_a_direct_lmm_core_fit(round_):
    ctx, num = round_.context, round_.reveal.numbers
    fit = lmm_core.lmer(ctx["formula"], round_.data)
    row = fit.coef_table(ddf="Satterthwaite").loc[ctx["term"]]
    assert num["t"] == pytest.approx(row["t value"], rel=1e-6)
    assert num["df_satt"] == pytest.approx(row["df"], rel=1e-6)
    assert num["p_satt"] == pytest.approx(row["Pr(>|t|)"], rel=1e-6)
    assert num["p_z"] == pytest.approx(2 * stats.norm.sf(abs(row["t value"])), rel=1e-9)
    assert num["df_resid"] == fit.nobs - fit.mm.p
    lrt = lmm_core.anova(lmm_core.lmer(ctx["small"], round_.data), fit).table.iloc[1]
    assert num["chisq"] == pytest.approx(lrt["Chisq"], rel=1e-6)
    assert ctx["summary"] == str(fit.summary())
    assert "Pr(>|t|)" not in ctx["summary"] and "Pr(>|t|)" in ctx["summary_lmertest"]
    assert not fit.is_singular


def test_satterthwaite_df_follow_the_rule_the_reveal_teaches():
    for round_ in ALL:
        ctx = round_.context
        assert ctx["df_satt"] == pytest.approx(_rule_df(ctx), abs=0.5), ctx["design"]
        assert f"{_rule_df(ctx)}" in round_.reveal.explanation


def test_between_design_gives_the_within_effect_far_more_df():
    round_ = next(r for r in ROUNDS["normal"] if r.context["design"] == "between")
    table = round_.reveal.tables["coefficients"]
    assert table.loc["conditiontreatment", "df"] > 3 * table.loc["grouptraining", "df"]


@each_round(lambda: [r for r in ASKED if _trap(r)])
def test_trusting_z_in_a_trap_round_is_named(round_):
    ctx = round_.context
    right_df = logic.score(round_, {"sig": "yes", "df": ctx["df_satt"]})
    assert (right_df.points, right_df.misconception) == (50, "z_test_overconfident")
    resid_df = logic.score(round_, {"sig": "yes", "df": ctx["df_resid"]})
    assert (resid_df.points, resid_df.misconception) == (0, "ignored_small_df")


def test_wrong_verdicts_are_named():
    seen = set()
    for round_ in ASKED:
        ctx = round_.context
        wrong = "no" if round_.solution["sig"] == "yes" else "yes"
        result = logic.score(round_, {"sig": wrong, "df": ctx["df_satt"]})
        assert result.points == 50 and not result.correct
        if wrong == "no":
            expected = "missed_significant_effect"
        elif abs(ctx["t"]) < 1.96:
            expected = "t_below_cutoff"
        else:
            expected = "z_test_overconfident"
        assert result.misconception == expected
        seen.add(expected)
    assert seen == {"missed_significant_effect", "t_below_cutoff", "z_test_overconfident"}


def test_wrong_df_are_named():
    for round_ in ASKED:
        ctx = round_.context
        sig = round_.solution["sig"]
        if ctx["design"] == "within":
            result = logic.score(round_, {"sig": sig, "df": ctx["n_groups"] - 1})
            assert (result.points, result.misconception) == (50, "used_number_of_groups")
        else:
            result = logic.score(round_, {"sig": sig, "df": ctx["df_resid"]})
            assert (result.points, result.misconception) == (50, "ignored_small_df")


def test_df_bands_full_half_none():
    for round_ in ASKED:
        df, sig = round_.context["df_satt"], round_.solution["sig"]
        tight, wide = logic.df_bands(df)
        assert logic.score(round_, {"sig": sig, "df": df + 0.9 * tight}).points == 100
        half = logic.score(round_, {"sig": sig, "df": df + 0.5 * (tight + wide)})
        assert half.points == 75 and half.correct
        assert logic.score(round_, {"sig": sig, "df": df + 1.1 * wide}).points == 50
    assert logic.df_bands(4.0) == (2.0, 5.0)
    assert logic.df_bands(100.0) == (25.0, 60.0)


def test_missing_or_bad_answers_are_refused_politely():
    round_ = ASKED[0]
    for bad in ({"sig": "yes"}, {"sig": "maybe", "df": 5}, {"sig": "yes", "df": "abc"},
                {"sig": "yes", "df": float("inf")}):
        result = logic.score(round_, bad)
        assert (result.points, result.misconception) == (0, "no_answer")
    gentle = ROUNDS["gentle"][0]
    assert logic.score(gentle, {"sig": gentle.solution["sig"]}).points == 100


def test_parametric_bootstrap_lrt_is_deterministic_and_matches_the_lrt():
    round_ = next(r for r in ROUNDS["tricky"] if r.context["design"] == "between")
    ticks = []
    first = reveal.reveal_numbers(round_, progress=lambda d, t: ticks.append((d, t)), n=40)
    again = reveal.reveal_numbers(round_, n=40)
    assert first == again
    assert ticks[-1] == (40, 40)
    assert first["observed"] == pytest.approx(round_.reveal.numbers["chisq"], rel=1e-4)
    values = np.array(first["values"])
    assert first["n_ok"] == len(values) == 40 and np.all(values >= 0)
    assert first["p"] == pytest.approx((1 + np.sum(values >= first["observed"] - 1e-9)) / 41)
    table = reveal.tests_table(round_.reveal.numbers, first)
    assert len(table) == 5 and table["p-value"].iloc[-1] == first["p"]
    assert f"= {first['p']:.3g}" in reveal.bootstrap_words(round_, first)


def test_bootstrap_null_ratios_look_like_chi_square_on_a_large_within_design():
    """With many measurements the likelihood ratio is close to χ² with 1 df under the null:
    mean about 1 and about 5% beyond 3.84."""
    round_ = next(r for r in ROUNDS["gentle"] if r.context["design"] == "within")
    boot = reveal.reveal_numbers(round_, n=200)
    assert 0.7 < np.mean(boot["values"]) < 1.4
    assert boot["share_over_crit"] < 0.11
