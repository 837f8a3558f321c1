"""Fixed-effect design matrices follow R's model.matrix: columns, names and contrasts.

Expected names come from R 4.2: colnames(model.matrix(f, d)) with d a data.frame of numeric
x, z, character a (levels p, q, r), b (u, v) and logical flag.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lmm_core.design import model_matrix, rank_deficient_columns
from lmm_core.formula import parse_formula
from lmm_core.variables import evaluate

R_NAMES = [
    ("y ~ a", "(Intercept) | aq | ar"),
    ("y ~ 0 + a", "ap | aq | ar"),
    ("y ~ a + b", "(Intercept) | aq | ar | bv"),
    ("y ~ 0 + a + b", "ap | aq | ar | bv"),
    ("y ~ a * b", "(Intercept) | aq | ar | bv | aq:bv | ar:bv"),
    ("y ~ a:b", "(Intercept) | ap:bu | aq:bu | ar:bu | ap:bv | aq:bv | ar:bv"),
    ("y ~ 0 + a:b", "ap:bu | aq:bu | ar:bu | ap:bv | aq:bv | ar:bv"),
    ("y ~ x + a:x", "(Intercept) | x | x:aq | x:ar"),
    ("y ~ x:a", "(Intercept) | x:ap | x:aq | x:ar"),
    ("y ~ a + a:x", "(Intercept) | aq | ar | ap:x | aq:x | ar:x"),
    ("y ~ flag", "(Intercept) | flagTRUE"),
    ("y ~ x * flag", "(Intercept) | x | flagTRUE | x:flagTRUE"),
    ("y ~ x*z", "(Intercept) | x | z | x:z"),
    ("y ~ b + a + b:a", "(Intercept) | bv | aq | ar | bv:aq | bv:ar"),
    ("y ~ a:b + x", "(Intercept) | x | ap:bu | aq:bu | ar:bu | ap:bv | aq:bv | ar:bv"),
    ("y ~ x + b:a + a", "(Intercept) | x | aq | ar | bv:ap | bv:aq | bv:ar"),
    ("y ~ I(x^2) + log(abs(z)) + x:z", "(Intercept) | I(x^2) | log(abs(z)) | x:z"),
]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(1)
    return pd.DataFrame({
        "y": rng.normal(size=12), "x": rng.normal(size=12), "z": rng.normal(size=12),
        "a": ["p", "q", "r"] * 4, "b": ["u"] * 6 + ["v"] * 6, "flag": [True, False] * 6,
    })


def design(formula, data):
    parsed = parse_formula(formula + " + (1 | b)")
    values = {k: evaluate(e, data, k) for k, e in parsed.variables.items()}
    return model_matrix(parsed.fixed, values, len(data))


@pytest.mark.parametrize(("formula", "names"), R_NAMES)
def test_column_names_match_r(data, formula, names):
    X, got = design(formula, data)
    assert " | ".join(got) == names
    assert X.shape == (12, len(got))


def test_interaction_columns_are_products_of_indicators(data):
    X, names = design("y ~ a * b", data)
    col = X[:, names.index("aq:bv")]
    assert np.array_equal(col, ((data.a == "q") & (data.b == "v")).astype(float).to_numpy())


def test_numeric_by_factor_interaction(data):
    X, names = design("y ~ x + a:x", data)
    assert np.allclose(X[:, names.index("x:ar")], data.x * (data.a == "r"))


def test_categorical_order_sets_the_reference_level(data):
    relevelled = data.assign(a=pd.Categorical(data.a, categories=["r", "p", "q"]))
    _, names = design("y ~ a", relevelled)
    assert names == ("(Intercept)", "ap", "aq")


def test_rank_deficient_columns_are_found_in_order():
    x = np.arange(10.0)
    X = np.column_stack([np.ones(10), x, 2 * x, x**2, x + 1])
    assert rank_deficient_columns(X) == [2, 4]
