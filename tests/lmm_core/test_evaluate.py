"""Formula variables evaluated with R's semantics (expected values as R 4.2 prints them)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lmm_core.errors import DataError
from lmm_core.evaluate import Evaluator
from lmm_core.formula import parse_formula
from lmm_core.transforms import apply_poly, learn_poly, learn_scale
from lmm_core.variables import Columns, Factor, as_factor, evaluate, level_label, sort_text

NA = np.nan


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "x": [1.0, -2.0, NA, 4.0, 0.5],
        "Sex": ["Male", "Female", None, "Male", "Female"],
        "flag": pd.Series([True, False, None, True, False], dtype=object),
        "f": pd.Categorical(["b", "a", "b", "c", "a"], categories=["b", "a", "c"]),
        "k": [3, 1, 2, 1, 3],
    })


def value(text: str, frame: pd.DataFrame):
    """The value of the formula's only predictor."""
    parsed = parse_formula(f"y ~ {text}")
    label = parsed.fixed.terms[0][0]
    return evaluate(parsed.variables[label], frame, label)


def codes(factor: Factor) -> list:
    return [None if c < 0 else factor.levels[c] for c in factor.codes]


@pytest.mark.parametrize(("text", "expected"), [
    ("as.numeric(x > 0)", [1, 0, NA, 1, 1]),
    ('as.numeric(Sex == "Male")', [1, 0, NA, 1, 0]),
    ('as.numeric(Sex != "Male")', [0, 1, NA, 0, 1]),
    ("as.numeric(flag)", [1, 0, NA, 1, 0]),
    ("as.numeric(f)", [1, 2, 1, 3, 2]),  # R: a factor's codes, in its level order
    ("as.numeric(k == 1)", [0, 1, 0, 1, 0]),
    ('as.numeric(k == "1")', [0, 1, 0, 1, 0]),  # R compares a number with text as text
    ("as.numeric(x > 0 & k > 2)", [1, 0, 0, 0, 1]),  # NA & FALSE is FALSE
    ("as.numeric(!(x > 0))", [0, 1, NA, 0, 0]),
    ("pmin(x, 1)", [1, -2, NA, 1, 0.5]),
    ("pmax(x, 0, k - 2)", [1, 0, NA, 4, 1]),
    ("I(x %% 3)", [1, 1, NA, 1, 0.5]),  # R's %% has the sign of the divisor
    ("I(x %/% 3)", [0, -1, NA, 1, 0]),
    ("cos(pi * k)", [-1, -1, 1, -1, -1]),
    ("sin(0 * x) + tan(0 * x)", None),  # only to check the names below parse
])
def test_values(frame, text, expected):
    got = value(text, frame)
    if expected is not None:
        np.testing.assert_allclose(got, expected, atol=1e-12)


def test_logicals_are_factors_with_both_levels(frame):
    """R's model.matrix codes a logical as a factor with levels FALSE and TRUE, always."""
    assert codes(value("I(x > 0)", frame)) == ["TRUE", "FALSE", None, "TRUE", "TRUE"]
    assert value("I(k > 0)", frame).levels == ("FALSE", "TRUE")
    assert value("flag", frame).levels == ("FALSE", "TRUE")  # True/False/None: still logical


def test_factor_of_numbers_and_logicals(frame):
    """R's factor(): levels that occur, sorted numerically, printed as R prints numbers."""
    assert value("factor(k)", frame).levels == ("1", "2", "3")
    assert value("factor(k > 2)", frame).levels == ("FALSE", "TRUE")
    assert value("factor(k > 0)", frame).levels == ("TRUE",)
    big = pd.DataFrame({"d": [1e5, 0.5, 2.0, 1e-4, 123456.0]})
    assert value("factor(d)", big).levels == ("1e-04", "0.5", "2", "1e+05", "123456")


def test_interaction_varies_the_first_factor_fastest(frame):
    got = value("interaction(Sex, f)", frame)
    assert codes(got) == ["Male.b", "Female.a", None, "Male.c", "Female.a"]
    assert got.levels == ("Male.b", "Female.a", "Male.c")  # unused combinations left out


def test_dummy(frame):
    got = value('dummy(Sex, "Male")', frame)
    assert isinstance(got, Columns) and got.names == ("Male",)
    np.testing.assert_array_equal(got.values[:, 0], [1, 0, NA, 1, 0])
    assert value("dummy(f)", frame).names == ("a", "c")  # lme4: all but the first level
    with pytest.raises(DataError, match="'Other' is not a level of the factor"):
        value('dummy(Sex, "Other")', frame)


def test_arithmetic_on_text_says_what_to_do(frame):
    with pytest.raises(DataError, match=r"as.numeric\(x == \"level\"\)"):
        value("I(Sex * 2)", frame)
    with pytest.raises(DataError, match=r"as.numeric\(\) of the text column 'Sex' gives NA"):
        value("as.numeric(Sex)", frame)


def test_pi_is_a_column_when_the_data_has_one():
    frame = pd.DataFrame({"pi": [1.0, 2.0]})
    np.testing.assert_allclose(value("I(pi * 2)", frame), [2.0, 4.0])
    np.testing.assert_allclose(value("I(pi * 2)", frame.rename(columns={"pi": "z"})),
                               [2 * np.pi] * 2)


# ----- scale() and poly(): R's numbers -----------------------------------------------------------
X = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])


def test_scale_variants_as_r():
    """R: attributes(scale(0:9, ...))."""
    s = learn_scale(X, True, True)
    assert (s.center, s.scale) == pytest.approx((4.5, 3.0276503540974917))
    s = learn_scale(X, False, True)  # root mean square: sqrt(sum(x^2) / 9)
    assert (s.center, s.scale) == (None, pytest.approx(5.627314338711377))
    s = learn_scale(X, 2.0, False)
    assert (s.center, s.scale) == (2.0, None)


def test_poly_matches_r_and_predicts_with_the_fitted_coefficients():
    """R: p <- poly(0:9, 3); p[c(1, 10), ]; attr(p, "coefs"); predict(p, c(-1, 12))."""
    z, coefs = learn_poly(X, 3, "poly(x, 3)")
    np.testing.assert_allclose(z[[0, 9]], [[-0.49543369, 0.52223297, -0.45342519],
                                           [0.49543369, 0.52223297, 0.45342519]], atol=1e-8)
    np.testing.assert_allclose(coefs.alpha, [4.5, 4.5, 4.5])
    np.testing.assert_allclose(coefs.norm2, [1, 10, 82.5, 528, 3088.8])
    np.testing.assert_allclose(apply_poly(X, 3, coefs), z, atol=1e-12)
    np.testing.assert_allclose(apply_poly(np.array([-1.0, 12.0]), 3, coefs),
                               [[-0.6055300708, 0.9574271078, -1.543804824],
                                [0.8257228238, 2.0889318715, 5.613835722]], atol=1e-9)


def test_poly_refuses_what_r_refuses():
    with pytest.raises(DataError, match="needs more distinct values than its degree"):
        learn_poly(np.array([1.0, 2.0, 1.0, 2.0]), 2, "poly(x, 2)")
    with pytest.raises(DataError, match="cannot use a column with missing values"):
        learn_poly(np.array([1.0, NA, 3.0, 4.0]), 2, "poly(x, 2)")


def test_nested_scale_is_recomputed_on_new_data_as_in_r():
    """R's makepredictcall only reaches a variable's outermost call: predict() reuses the
    centre of scale(x), but recomputes it inside I(scale(x)^2)."""
    fitted, new = pd.DataFrame({"x": X}), pd.DataFrame({"x": [20.0, 30.0]})
    outer = parse_formula("y ~ scale(x) + I(scale(x)^2)")
    learned = {}
    for label, expr in list(outer.variables.items())[1:]:
        ev = Evaluator(fitted, label)
        ev.value(expr)
        learned.update(ev.learned)
    top = evaluate(outer.variables["scale(x)"], new, "scale(x)", learned)
    np.testing.assert_allclose(top, (new.x - 4.5) / 3.0276503540974917)
    nested = evaluate(outer.variables["I(scale(x)^2)"], new, "I(scale(x)^2)", learned)
    np.testing.assert_allclose(nested, [0.5, 0.5])


# ----- levels and their order --------------------------------------------------------------------
def test_text_sorts_as_r_in_a_utf8_locale():
    """R 4.2 (C.UTF-8, ICU): sort(c("apple", "Banana", "banana", "Apple", "_x", "b10", "b2",
    "a b", "a-b", "Zeta", "éclair", "e"))."""
    words = ["apple", "Banana", "banana", "Apple", "_x", "b10", "b2", "a b", "a-b", "Zeta",
             "éclair", "e"]
    assert sort_text(words) == ["_x", "a b", "a-b", "apple", "Apple", "b10", "b2", "banana",
                                "Banana", "e", "éclair", "Zeta"]
    factor = as_factor(pd.Series(["apple", "Banana", None, "cherry"]))
    assert factor.levels == ("apple", "Banana", "cherry")  # R's reference level: apple
    assert codes(factor) == ["apple", "Banana", None, "cherry"]


@pytest.mark.parametrize(("value", "label"), [
    (100000.0, "1e+05"), (100000, "100000"), (0.5, "0.5"), (1e-4, "1e-04"), (2.0, "2"),
    (123456.0, "123456"), (True, "TRUE"), (np.float64(0.1 + 0.2), "0.3"), ("x y", "x y"),
])
def test_level_labels_print_as_r_prints_them(value, label):
    """R: as.character() of a double, an integer, a logical."""
    assert level_label(value) == label


def test_numeric_grouping_levels_sort_numerically():
    assert as_factor(pd.Series([1e5, 2.0, 0.5, 1e-4, 2.0])).levels == ("1e-04", "0.5", "2",
                                                                       "1e+05")
