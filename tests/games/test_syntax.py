"""Formula match: grading by meaning, misconceptions, bands, honest pictures and real numbers."""

import itertools

import numpy as np
import pytest

import lmm_core
from games.answers import InvalidAnswer
from games.syntax import GAME, logic
from games.syntax import catalogue as cat
from games.syntax.compare import CODES, compare
from games.syntax.explain import spell_out
from games.syntax.reveal import num as say
from tests.round_cache import RoundsByDifficulty

SEEDS = range(40)
ROUNDS = RoundsByDifficulty("syntax", SEEDS, ("gentle", "normal", "tricky"))


def _of(variant, difficulty=None):
    pool = ROUNDS[difficulty] if difficulty else [r for rs in ROUNDS.values() for r in rs]
    return [r for r in pool if r.context["variant"] == variant]


# ----- the comparison, by meaning --------------------------------------------------------------
SAME = [
    ("y ~ x + (1 | a/b)", "y ~ x + (1 | a) + (1 | a:b)"),
    ("y ~ x + (1 | a/b)", "y ~ x + (1 | b:a) + (1 | a)"),
    ("y ~ x + (x || g)", "y ~ x + (1 | g) + (0 + x | g)"),
    ("y ~ x + (x || g)", "y ~ 1 + x + (0 + x | g) + (1 | g)"),
    ("y ~ x + (x | g)", "y ~ 1 + x + (1 + x | g)"),
    ("y ~ x + (0 + x | g)", "y ~ x + (-1 + x | g)"),
    ("y ~ x*z + (1 | g)", "y ~ x + z + z:x + (1 | g)"),
    ("y~x+(1|g)+(1|h)", "y ~ x + (1 | h) + (1 | g)"),
]
DIFFERENT = [  # (yours, target, code)
    ("y ~ x + (1 | g)", "y ~ x + (x | g)", "forgot_random_slope"),
    ("y ~ x + (0 + x | g)", "y ~ x + (x | g)", "slope_without_intercept"),
    ("y ~ x + (x | g)", "y ~ x + (0 + x | g)", "added_random_intercept"),
    ("y ~ x + (x | g)", "y ~ x + (1 | g)", "unneeded_random_slope"),
    ("y ~ x + (x | g)", "y ~ x + (x || g)", "correlated_vs_uncorrelated"),
    ("y ~ x + (x || g)", "y ~ x + (x | g)", "correlated_vs_uncorrelated"),
    ("y ~ x + (1 | a) + (1 | b)", "y ~ x + (1 | a/b)", "nested_vs_crossed"),
    ("y ~ x + (1 | a/b)", "y ~ x + (1 | a) + (1 | b)", "nested_vs_crossed"),
    ("y ~ x + (1 | b)", "y ~ x + (1 | a/b)", "nested_vs_crossed"),
    ("y ~ x + g", "y ~ x + (1 | g)", "random_effect_in_fixed_part"),
    ("y ~ x + g + (1 | g)", "y ~ x + (1 | g)", "random_effect_in_fixed_part"),
    ("y ~ x + (1 | x)", "y ~ x + (1 | g)", "grouped_by_predictor"),
    ("y ~ x + (1 | a)", "y ~ x + (1 | a) + (1 | b)", "missing_grouping_factor"),
    ("y ~ x + (1 | a) + (1 | b)", "y ~ x + (1 | a)", "extra_grouping_factor"),
    ("y ~ x + (1 | g) + (x | g)", "y ~ x + (x || g)", "duplicated_random_effect"),
    ("y ~ (x | g)", "y ~ x + (x | g)", "missing_fixed_effect"),
    ("y ~ x + z + (1 | g)", "y ~ x + (1 | g)", "extra_fixed_effect"),
    ("y ~ 0 + x + (1 | g)", "y ~ x + (1 | g)", "fixed_intercept"),
    ("z ~ x + (1 | g)", "y ~ x + (1 | g)", "wrong_response"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_model_however_written(a, b):
    assert logic.same_model(a, b) and logic.same_model(b, a)
    assert logic.differences(a, b) == [] and logic.misconception(a, b) is None
    assert logic.same_model(spell_out(a), b) and logic.same_model(spell_out(b), a)


@pytest.mark.parametrize(("yours", "target", "code"), DIFFERENT)
def test_each_difference_is_named_and_explained(yours, target, code):
    assert not logic.same_model(yours, target)
    assert logic.misconception(yours, target) == code
    texts = logic.differences(yours, target)
    assert texts and all(t.strip().endswith(".") for t in texts)


def test_the_issues_example_sentences():
    assert "no random slope for `days`" in logic.differences(
        "r ~ days + (1 | subject)", "r ~ days + (days | subject)")[0]
    assert "You nested `class` in `school`" in logic.differences(
        "s ~ h + (1 | school/class)", "s ~ h + (1 | school) + (1 | class)")[0]


def _catalogue_formulas():
    out = []
    for setting, words in cat.SETTINGS.items():
        kind = "single" if words["kind"] == "single" else "two"
        for key, spec in cat.STRUCTURES.items():
            if spec.kind == kind:
                out.append((key, setting, cat.formula_of(key, setting)))
                out += [(key, setting, cat.formula_of(key, setting, i))
                        for i in range(len(spec.spellings))]
    return out


def test_same_model_holds_exactly_when_there_are_no_differences():
    formulas = _catalogue_formulas()
    for (k1, s1, f1), (k2, s2, f2) in itertools.product(formulas, repeat=2):
        if s1 != s2:
            continue
        same = logic.same_model(f1, f2)
        assert same == (k1 == k2), (f1, f2)
        assert same == (compare(f1, f2) == []), (f1, f2)
        assert same == logic.same_model(f2, f1)
        if not same:
            assert logic.misconception(f1, f2) in CODES
            assert logic.misconception(f1, f2) != "other_random_structure", (f1, f2)


# ----- rounds --------------------------------------------------------------------------------
def test_every_variant_and_setting_kind_occurs():
    rounds = [r for rs in ROUNDS.values() for r in rs]
    assert {r.context["variant"] for r in rounds} == set(logic.VARIANTS)
    kinds = {cat.SETTINGS[r.context["setting"]]["kind"] for r in rounds}
    assert kinds == {"single", "nested", "crossed"}


def test_difficulty_changes_studies_options_and_spellings():
    studies = {d: {len(r.context["studies"]) for r in _of("plot", d)} for d in ROUNDS}
    assert studies == {"gentle": {2}, "normal": {3}, "tricky": {4}}
    options = {d: {len(r.questions[0].options) for r in _of("describe", d) + _of("read", d)}
               for d in ROUNDS}
    assert options == {"gentle": {3}, "normal": {4}, "tricky": {4}}
    tricky = [r for r in _of("describe", "tricky")
              if cat.STRUCTURES[r.context["target"]].spellings]
    assert tricky and all(r.context["shown"] != cat.formula_of(r.context["target"],
                                                                r.context["setting"])
                          for r in tricky)


@pytest.mark.parametrize("variant", ["describe", "read"])
def test_choice_options_are_different_models_and_wrong_ones_are_named(variant):
    rounds = _of(variant)
    assert rounds
    for round_ in rounds:
        formulas, qid = round_.context["formulas"], round_.questions[0].id
        for f1, f2 in itertools.combinations(formulas.values(), 2):
            assert not logic.same_model(f1, f2)
        for option in round_.questions[0].options:
            result = logic.score(round_, {qid: option.value})
            if option.value == round_.solution[qid]:
                assert (result.points, result.misconception) == (100, None)
                continue
            code = logic.misconception(formulas[option.value], round_.context["shown"])
            assert result.misconception == code and code in CODES
            assert result.points == (50 if code in logic.NEAR_MISSES and len(
                logic.differences(formulas[option.value], round_.context["shown"])) == 1
                else 0)
            assert not result.correct and result.feedback.strip()


def test_correlation_only_is_a_near_miss():
    hits = 0
    for round_ in _of("describe") + _of("read"):
        target, formulas = round_.context["target"], round_.context["formulas"]
        other = {"uncorrelated": "correlated", "correlated": "uncorrelated"}.get(target)
        if other in formulas:
            result = logic.score(round_, {round_.questions[0].id: other})
            assert (result.points, result.misconception) == (50, "correlated_vs_uncorrelated")
            hits += 1
    assert hits


def test_plot_bands_and_misconceptions():
    for round_ in _of("plot", "tricky"):
        right = dict(round_.solution)
        assert logic.score(round_, right).points == 100
        a, b = list(right)[:2]
        swapped = right | {a: right[b], b: right[a]}
        assert logic.score(round_, swapped).points == 50  # 2 of 4 wrong
        rotated = dict(zip(right, list(right.values())[1:] + list(right.values())[:1],
                           strict=True))
        assert logic.score(round_, rotated).points == 0
    for round_ in _of("plot"):
        wrong = {k: ("intercepts" if v == "correlated" else v)
                 for k, v in round_.solution.items()}
        result = logic.score(round_, wrong)
        assert result.misconception == "forgot_random_slope" and not result.correct
        assert result.points == 50  # one study wrong: at most half of them


def test_plot_pictures_show_their_structure():
    for round_ in _of("plot"):
        ctx = round_.context
        for label, structure in round_.solution.items():
            lines = ctx["lines"][label]
            starts, slopes = np.array(lines["intercept"]), np.array(lines["slope"])
            assert len(starts) == len(set(round_.data.query("study == @label").iloc[:, 1]))
            if structure == "intercepts":
                assert np.ptp(slopes) < 1e-6 < np.ptp(starts)
            elif structure == "slopes":
                assert np.ptp(starts) < 1e-6 < np.ptp(slopes)
            else:
                assert np.ptp(starts) > 1e-3 and np.ptp(slopes) > 1e-3
            num = round_.reveal.numbers
            if structure == "correlated" and round_.difficulty == "tricky":
                assert abs(num[f"{label}.corr"]) > 0.5


def test_plot_numbers_match_a_direct_fit():
    for round_ in _of("plot")[:6]:
        words = cat.words_of(round_.context["setting"])
        for label, structure in round_.solution.items():
            data = round_.data[round_.data["study"] == label].drop(columns="study")
            fit = lmm_core.lmer(cat.formula_of(structure, round_.context["setting"]), data)
            num = round_.reveal.numbers
            assert num[f"{label}.slope"] == pytest.approx(fit.fixef[words["x"]], rel=1e-6)
            assert num[f"{label}.sigma"] == pytest.approx(fit.sigma, rel=1e-6)
            coef = fit.coef()[words["g"]]
            assert round_.context["lines"][label]["intercept"] == pytest.approx(
                list(coef["(Intercept)"]), rel=1e-6)
            named = {"intercepts": "sd_intercept", "slopes": "sd_slope",
                     "correlated": "corr", "uncorrelated": "sd_slope"}[structure]
            sentence = round_.reveal.details["sentences"][label]
            assert say(num[f"{label}.{named}"]) in sentence, sentence


def test_formula_round_numbers_match_a_direct_fit():
    for round_ in (_of("describe") + _of("write"))[:8]:
        words = cat.words_of(round_.context["setting"])
        fit = lmm_core.lmer(round_.context["shown"], round_.data)
        table = fit.coef_table()
        num = round_.reveal.numbers
        assert num["x_effect"] == pytest.approx(fit.fixef[words["x"]], rel=1e-6)
        assert num["x_se"] == pytest.approx(table.loc[words["x"], "Std. Error"], rel=1e-6)
        assert num["sigma"] == pytest.approx(fit.sigma, rel=1e-6)
        assert say(num["x_effect"]) in round_.reveal.explanation


# ----- typed formulas --------------------------------------------------------------------------
def _write_round(setting_kind: str):
    return next(r for r in _of("write") if cat.SETTINGS[r.context["setting"]]["kind"]
                == setting_kind)


def test_every_spelling_of_the_right_model_scores_full_points():
    for round_ in _of("write"):
        setting, target = round_.context["setting"], round_.context["target"]
        spellings = [cat.formula_of(target, setting, i)
                     for i in range(len(cat.STRUCTURES[target].spellings))]
        for text in [*spellings, spell_out(round_.context["shown"]),
                     round_.context["shown"].replace(" ", "")]:
            logic.check_answer(round_, {"formula": text})  # raises if it cannot be scored
            result = logic.score(round_, {"formula": text})
            assert (result.points, result.correct) == (100, True), text


def test_typos_are_shown_with_a_caret_and_not_scored():
    round_ = _write_round("single")
    words = cat.words_of(round_.context["setting"])
    right = round_.context["shown"]
    cases = {
        right[:-1]: "never closed",  # a missing ')'
        right.replace(words["g"], words["g"][:-1] + "x", 1): "no column",
        right.replace(words["y"], words["y"].capitalize(), 1): "Did you mean",
        f"lmer({right}, data = d)": "only the formula",
        f"{right}, data = d": "leave out the comma",
        right.replace(words["x"], f"scale({words['x']})", 1): "columns as they are",
    }
    for text, why in cases.items():
        with pytest.raises(InvalidAnswer) as caught:
            logic.check_answer(round_, {"formula": text})
        assert why in caught.value.message and caught.value.question == "formula", text
        lines = caught.value.detail.split("\n")
        assert lines[0] == text and set(lines[1].strip()) == {"^"}
        with pytest.raises(InvalidAnswer):
            GAME.score(round_, {"formula": text})
        result = logic.score(round_, {"formula": text})  # if scored anyway: clear, no crash
        assert (result.points, result.misconception) == (0, "formula_error")


def test_typed_mistakes_get_bands_and_codes():
    round_ = _write_round("nested")
    w = cat.words_of(round_.context["setting"])
    y, x, a, b = w["y"], w["x"], w["a"], w["b"]
    cases = {
        f"{y} ~ {x} + (1 | {a}) + (1 | {b})": (50, "nested_vs_crossed"),
        f"{y} ~ {x} + (1 | {a})": (50, "missing_grouping_factor"),
        f"{y} ~ {x} + {a} + (1 | {a}/{b})": (50, "random_effect_in_fixed_part"),
        f"{y} ~ (1 | {b})": (0, "nested_vs_crossed"),
    }
    for text, (points, code) in cases.items():
        result = logic.score(round_, {"formula": text})
        assert (result.points, result.misconception) == (points, code), text
        report = logic.typed_report(round_, text)
        assert report["code"] == code and report["differences"] and report["contrast"]


def test_typed_report_fits_the_learners_formula():
    round_ = _write_round("single")
    w = cat.words_of(round_.context["setting"])
    text = f"{w['y']} ~ {w['x']} + (1 | {w['g']}) + ({w['x']} | {w['g']})"
    report = logic.typed_report(round_, text)
    assert report["summary"]["ok"] and report["summary"]["lines"] is not None
    direct = lmm_core.lmer(text, round_.data)
    assert report["summary"]["sigma"] == pytest.approx(direct.sigma, rel=1e-6)
    assert report["code"] == "duplicated_random_effect"


def test_missing_and_bad_answers():
    for variant in logic.VARIANTS:
        round_ = _of(variant)[0]
        assert logic.score(round_, {}).misconception == "no_answer"
    write = _of("write")[0]
    assert logic.score(write, {"formula": "   "}).misconception == "no_answer"
    assert logic.score(write, {"formula": 12}).misconception == "no_answer"
    choice = _of("describe")[0]
    assert logic.score(choice, {"formula": "not an option"}).misconception == "no_answer"


def test_bad_seed_and_difficulty_say_what_is_wrong():
    with pytest.raises(ValueError, match="whole number"):
        logic.make_round(-3)
    with pytest.raises(ValueError, match="gentle, normal, tricky"):
        logic.make_round(3, "easy")


# ----- the page (AppTest): every variant plays, and a typo is shown but not scored -----------
def _page(seed: int):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    app = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
    at = AppTest.from_file(app, default_timeout=90).run()
    at.query_params.update({"seed": str(seed)})
    at.switch_page("games/syntax/page.py").run()
    assert not at.exception, at.exception
    return at


def _check(at):
    next(b for b in at.button if b.label == "Check my answer").click().run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("seed", [6, 8, 9, 11])  # read, describe, write, plot
def test_page_plays_every_variant_with_the_solution(seed):
    at = _page(seed)
    round_ = at.session_state["syntax.round"]
    for qid, value in round_.solution.items():
        kind = "text_input" if round_.question(qid).kind == "text" else "radio"
        next(w for w in getattr(at, kind) if w.key == f"syntax.form.{qid}").set_value(value)
    _check(at)
    assert at.session_state["syntax.score"].points == 100
    text = "\n".join(str(m.value) for m in at.markdown)
    assert round_.reveal.explanation.split("\n\n")[0] in text


def test_page_shows_a_typo_with_its_caret_keeps_it_and_scores_nothing():
    at = _page(9)
    round_ = at.session_state["syntax.round"]
    assert round_.context["variant"] == "write"
    typo = round_.context["shown"][:-1]  # the last ')' is missing
    box = next(w for w in at.text_input if w.key == "syntax.form.formula")
    box.set_value(typo)
    _check(at)
    assert at.session_state.get("syntax.score") is None and at.session_state["app.rounds"] == 0
    assert any("never closed" in e.value for e in at.error)
    assert any(c.value.startswith(typo) and "^" in c.value for c in at.code)  # the caret
    assert next(w for w in at.text_input if w.key == "syntax.form.formula").value == typo
    box = next(w for w in at.text_input if w.key == "syntax.form.formula")
    box.set_value(round_.context["shown"])
    _check(at)
    assert at.session_state["syntax.score"].points == 100
