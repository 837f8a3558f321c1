"""The nesting game: nested or crossed per design, the misconception behind each wrong
structure and the reused-labels trap in the fitted numbers."""

import pytest

import lmm_core
from games.nesting import designs, logic
from games.nesting.reveal import UNIQUE, formula, with_unique_labels
from tests.round_cache import LazyRounds, each_round

SEEDS = range(30)
ROUNDS = LazyRounds("nesting", SEEDS)


def _rounds(design, rounds=ROUNDS):
    return [r for r in rounds if r.context["design"] == design]


def test_every_design_occurs():
    assert {r.context["design"] for r in ROUNDS} == set(logic.DESIGNS)


@each_round(lambda: ROUNDS)
def test_each_wrong_structure_names_its_misconception(round_):
    verdicts = logic.VERDICTS[round_.context["design"]]
    for option in round_.question("structure").options:
        result = logic.score(round_, {"structure": option.value})
        points, code = verdicts[option.value]
        assert (result.points, result.misconception) == (points, code)
        assert result.correct == (code is None)
        assert result.feedback.strip() and "{" not in result.feedback


def test_key_misconception_codes():
    nested = _rounds("schools_nested")[0]
    crossed = _rounds("schools_crossed")[0]
    items = _rounds("items_crossed")[0]
    assert logic.score(nested, {"structure": "crossed"}).misconception == \
        "crossed_for_nested_labels"
    assert logic.score(crossed, {"structure": "nested"}).points == 25
    assert logic.score(crossed, {"structure": "nested"}).misconception == "nested_for_crossed"
    assert logic.score(items, {"structure": "participant_only"}).misconception == "ignored_items"
    assert logic.score(items, {"structure": "nested"}).misconception == "nested_for_crossed"


def test_missing_or_unknown_answers_score_zero():
    round_ = ROUNDS[0]
    for answer in ({}, {"structure": None}, {"structure": "(1 | everything)"}):
        result = logic.score(round_, answer)
        assert (result.points, result.misconception) == (0, "no_answer")


def test_bad_seeds_and_difficulties_say_what_is_wrong():
    with pytest.raises(ValueError, match="whole number"):
        logic.make_round(-1)
    with pytest.raises(ValueError, match="gentle, normal, tricky"):
        logic.make_round(3, "Normal")


def test_difficulties_differ():
    for fam in ("schools", "items"):
        counts = [len(designs.OFFERED[(fam, d)]) for d in ("gentle", "normal", "tricky")]
        assert counts == sorted(counts) and counts[0] < counts[-1]
    tricky = [logic.make_round(s, "tricky") for s in range(12)]
    assert "Where to look" in logic.make_round(0, "gentle").prompt
    assert not any("Where to look" in r.prompt for r in tricky)
    nested = _rounds("schools_nested", tricky)[0]
    labels = [o.label for o in nested.question("structure").options]
    assert "(1 | school) + (1 | school:class)" in labels  # nesting written out
    assert "(1 | school/class)" not in labels
    assert nested.solution == {"structure": "written"}


@each_round(lambda: _rounds("schools_nested"))
def test_reused_labels_fitted_as_crossed_lump_classes(round_):
    num = round_.reveal.numbers
    assert num["sd_letters"] < num["sd_classes"]
    assert num["resid_trap"] > num["resid_right"]
    assert num["reml_trap"] > num["reml_right"]
    # unique class labels make the crossed-looking formula fit exactly like the nested one
    assert num["reml_unique"] == pytest.approx(num["reml_right"], abs=1e-5)
    assert num["sd_unique"] == pytest.approx(num["sd_classes"], rel=1e-4)


@each_round(lambda: _rounds("schools_crossed"))
def test_shared_programmes_fit_better_crossed(round_):
    num = round_.reveal.numbers
    assert num["reml_right"] < num["reml_trap"]


@each_round(lambda: _rounds("items_crossed"))
def test_ignoring_items_overstates_the_evidence(round_):
    num = round_.reveal.numbers
    assert num["se_trap"] < num["se_right"]
    assert num["p_trap"] < num["p_right"]
    assert num["df_trap"] > num["df_right"]
    assert "nested" in round_.reveal.details["errors"]  # one reading per participant-word
    assert "lrt" in round_.reveal.tables


@pytest.mark.parametrize("design", logic.DESIGNS)
def test_reveal_numbers_agree_with_direct_fits(design):
    round_ = _rounds(design)[0]
    fam, data, num = round_.context["family"], round_.data, round_.reveal.numbers
    right = lmm_core.lmer(formula(fam, round_.context["right"]), data)
    trap = lmm_core.lmer(formula(fam, round_.context["trap"]), data)
    assert num["reml_right"] == pytest.approx(right.objective, rel=1e-9)
    assert num["reml_trap"] == pytest.approx(trap.objective, rel=1e-9)
    assert num["resid_right"] == pytest.approx(right.sigma, rel=1e-6)
    assert num["resid_trap"] == pytest.approx(trap.sigma, rel=1e-6)
    table = round_.reveal.tables["fits"]
    for key in table.columns:
        frame = with_unique_labels(data) if key == UNIQUE else data
        fit = lmm_core.lmer(formula(fam, key), frame)
        assert table.loc["REML criterion", key] == pytest.approx(fit.objective, rel=1e-9)
    if design == "items_crossed":
        row = right.coef_table(ddf="Satterthwaite").loc["frequencyrare"]
        assert num["se_right"] == pytest.approx(row["Std. Error"], rel=1e-6)
        assert num["p_right"] == pytest.approx(row["Pr(>|t|)"], rel=1e-4)
        test = lmm_core.anova(trap, right)
        assert num["chisq"] == pytest.approx(test.table["Chisq"].iloc[1], rel=1e-6)


def test_diagram_is_a_tree_when_nested_and_a_web_when_crossed():
    nested = _rounds("schools_nested")[0].context["diagram"]
    targets = [round(b, 9) for _, b in nested["edges"]]
    assert len(targets) == len(set(targets)) == len(nested["right"])  # one school per class
    for design in ("schools_crossed", "items_crossed"):
        diagram = _rounds(design)[0].context["diagram"]
        assert len(diagram["edges"]) == len(diagram["left"]) * len(diagram["right"])
        assert len(diagram["left"]) <= designs.SHOWN_MAX >= len(diagram["right"])


def test_r_printouts_show_both_main_fits_as_r_does():
    from games.nesting.reveal import r_printouts

    round_ = _rounds("schools_nested")[0]
    context = round_.context
    out = r_printouts(round_.data, context["family"], [context["right"], context["trap"]])
    assert all("REML criterion at convergence" in text for text in out.values())
    assert "class:school" in out[context["right"]]


def test_the_prompt_does_not_give_the_design_away():
    """Nested and crossed school rounds read the same: only the data tell them apart."""
    by_design = {}
    for round_ in ROUNDS:
        prompt = round_.prompt
        for word in ("nested", "crossed", "different classes", "same programme in every"):
            assert word not in prompt.replace("*the same programme* in", "")
        by_design.setdefault(round_.context["design"], round_)
    nested, crossed = by_design["schools_nested"], by_design["schools_crossed"]
    strip = [r.prompt.replace(str(len(r.data)), "N") for r in (nested, crossed)]
    assert strip[0].split("**Your job.**")[0] == strip[1].split("**Your job.**")[0]


@pytest.mark.parametrize("difficulty", ["gentle", "normal", "tricky"])
def test_the_data_show_the_design(difficulty):
    """A school round's letters explain little (nested: reused names) or most (crossed:
    shared programmes) of how classes differ within schools; every word round's counts show
    that everybody read every word."""
    for seed in range(15):
        round_ = logic.make_round(seed, difficulty)
        design = round_.context["design"]
        if design == "items_crossed":
            counts = designs.reading_counts(round_.data)["count"]
            assert counts["words each participant read"] == counts["different words"]
            continue
        share = designs.letter_share(round_.data)
        assert (share <= designs.SHARE_NESTED_MAX if design == "schools_nested"
                else share >= designs.SHARE_CROSSED_MIN)
        assert f"{share:.0%}" in round_.reveal.explanation
