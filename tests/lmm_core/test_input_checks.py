"""Bad input (issue 9, section 3) gets an LmmError, or a TypeError for a non-text formula,
whose message says what to do: never a traceback from numpy or pandas, never a silent fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lmm_core
from lmm_core.errors import DataError, FormulaError, ModelSpecError


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({f"v{i}": rng.normal(size=60) for i in range(22)})
    return frame.assign(y=rng.normal(size=60), g=np.repeat([f"g{k}" for k in range(6)], 10))


def fit(formula, data):
    return lmm_core.lmer(formula, data)


def test_a_22_way_interaction_is_refused_before_anything_is_expanded(data):
    formula = "y ~ " + "*".join(f"v{i}" for i in range(22)) + " + (1|g)"
    with pytest.raises(FormulaError, match="would make 4,194,303 terms"):
        fit(formula, data)


def test_a_misspelt_column_is_found_before_the_formula_is_expanded(data):
    formula = "y ~ " + "*".join(f"v{i}" for i in range(21)) + "*V21 + (1|g)"
    with pytest.raises(lmm_core.ColumnNotFoundError, match="'V21'.*Did you mean 'v21'"):
        fit(formula, data)


@pytest.mark.parametrize(("formula", "message"), [
    ("y ~ ² + (1|g)", "superscript"),
    ("y ~ I(1e999 * v0) + (1|g)", "too large to compute with"),
    ("y ~ log(1e999) + (1|g)", "too large to compute with"),
])
def test_formula_text_that_cannot_be_computed(data, formula, message):
    with pytest.raises(FormulaError, match=message):
        fit(formula, data)


def test_infinite_values_in_a_column(data):
    broken = data.assign(v0=np.r_[np.inf, data.v0.to_numpy()[1:]])
    with pytest.raises(DataError, match="'v0' has infinite values .* Replace them"):
        fit("y ~ v0 + (1|g)", broken)
    with pytest.raises(DataError, match="'y' has infinite values"):
        fit("y ~ v1 + (1|g)", data.assign(y=np.r_[-np.inf, data.y.to_numpy()[1:]]))


def test_transform_that_overflows(data):
    with pytest.raises(DataError, match="not finite numbers"):
        fit("y ~ exp(v0 * 1000) + (1|g)", data)


def test_duplicated_column_names(data):
    twice = data[["y", "v0", "v1", "g"]].copy()
    twice.columns = ["y", "v0", "v0", "g"]
    with pytest.raises(DataError, match="2 columns named 'v0': rename them"):
        fit("y ~ v0 + (1|g)", twice)
    assert fit("y ~ g2 + (1|g)", twice.assign(g2=data.v2)).nobs == 60  # unused: no matter


def test_duplicated_index_fits_as_a_fresh_index(data):
    repeated = data.set_index(np.repeat(np.arange(30), 2))
    a = fit("y ~ v0 + (1|g)", repeated)
    b = fit("y ~ v0 + (1|g)", data)
    assert a.objective == pytest.approx(b.objective, rel=1e-12)
    assert np.allclose(a.fitted(), b.fitted())


@pytest.mark.parametrize("formula", [5, None, ["y ~ x"], b"y ~ x + (1|g)"])
def test_a_formula_that_is_not_text(data, formula):
    with pytest.raises(TypeError, match="The formula must be text such as"):
        fit(formula, data)


@pytest.mark.parametrize("value", [5.0, 0.0, -2.5])
def test_a_constant_response(data, value):
    with pytest.raises(DataError, match="has the same value .* in every row used"):
        fit("y ~ v0 + (1|g)", data.assign(y=value))


def test_complex_numbers_are_refused(data):
    with pytest.raises(DataError, match="'v0' holds complex numbers"):
        fit("y ~ v0 + (1|g)", data.assign(v0=data.v0 + 1j))


def test_a_text_cell_in_a_numeric_column_is_named(data):
    cells = [f"{v:.3f}" for v in data.v0[:-1]] + ["n/a"]
    with pytest.raises(DataError, match=r"'v0' looks numeric but has text .*'n/a' in row 59"):
        fit("y ~ v0 + (1|g)", data.assign(v0=cells))
    with pytest.raises(DataError, match="'y' looks numeric"):
        fit("y ~ v0 + (1|g)", data.assign(y=[f"{v:.3f}" for v in data.y[:-1]] + ["?"]))


def test_text_columns_and_categoricals_stay_factors(data):
    words = data.assign(w=np.tile(["low", "mid", "high"], 20))
    assert "wlow" in fit("y ~ w + (1|g)", words).fixef.index
    digits = data.assign(w=np.tile(["1", "2", "3+"], 20).astype(object))
    assert "w2" in fit("y ~ w + (1|g)", digits.assign(w=pd.Categorical(digits.w))).fixef.index


def test_a_formula_over_the_length_limit(data):
    with pytest.raises(FormulaError, match="too long: 15,009 characters"):
        fit("y ~ " + " + ".join(["v0"] * 3000) + " + (1|g)", data)


def test_a_model_matrix_too_large_to_build_is_refused():
    rng = np.random.default_rng(1)
    n = 20_000
    data = pd.DataFrame({"y": rng.normal(size=n), "a": rng.integers(0, 60, n).astype(str),
                         "b": rng.integers(0, 50, n).astype(str), "g": rng.integers(0, 9, n)})
    with pytest.raises(ModelSpecError, match="needs 3,001 columns of effects for 20,000 rows"):
        fit("y ~ a:b + (1 | g)", data)
