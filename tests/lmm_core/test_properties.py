"""Properties that must hold for any data: invariances and agreement with a dense computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lmm_core
from lmm_core.design import model_matrices
from lmm_core.deviance import cross_products, make_deviance
from lmm_core.formula import parse_formula

FORMULAS = [
    "y ~ x + (1 | g)",
    "y ~ x + (x | g)",
    "y ~ x + (x || g)",
    "y ~ x + (1 | g) + (1 | h)",
    "y ~ x + (x | g) + (1 | h)",
    "y ~ 1 + (1 | g/h)",
]


def random_data(seed: int, n_g: int, n_h: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    g = rng.integers(0, n_g, n)
    g[:n_g] = np.arange(n_g)  # every level present
    h = rng.integers(0, n_h, n)
    h[:n_h] = np.arange(n_h)
    x = rng.normal(size=n)
    y = 1.0 + 0.5 * x + rng.normal(size=n_g)[g] * 0.8 + rng.normal(size=n_h)[h] * 0.5 \
        + rng.normal(size=n_g)[g] * 0.3 * x + rng.normal(size=n)
    return pd.DataFrame({"y": y, "x": x, "g": [f"g{v}" for v in g], "h": [f"h{v}" for v in h]})


def dense_deviance(mm, theta: np.ndarray, reml: bool) -> float:
    """-2 log marginal likelihood profiled over beta and sigma, from V = Z Lambda Lambda'Z' + I."""
    from lmm_core.deviance import blocks_of

    n, p = mm.n, mm.p
    cols = []
    for blk in blocks_of(mm.reterms):
        lam = blk.lam(theta)
        for j in range(blk.m):
            rows = blk.codes == j
            z = np.zeros((n, blk.q))
            z[rows] = blk.Zi[rows]
            cols.append(z @ lam)
    ZL = np.hstack(cols)
    V = ZL @ ZL.T + np.eye(n)
    Vinv = np.linalg.inv(V)
    XtVX = mm.X.T @ Vinv @ mm.X
    beta = np.linalg.solve(XtVX, mm.X.T @ Vinv @ mm.y)
    r = mm.y - mm.X @ beta
    r2 = r @ Vinv @ r
    logdet = np.linalg.slogdet(V)[1]
    if reml:
        dof = n - p
        return logdet + np.linalg.slogdet(XtVX)[1] + dof * (1 + np.log(2 * np.pi * r2 / dof))
    return logdet + n * (1 + np.log(2 * np.pi * r2 / n))


settings.register_profile("lmm", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("lmm")


@given(seed=st.integers(0, 10_000), formula=st.sampled_from(FORMULAS), reml=st.booleans(),
       n_g=st.integers(3, 6), n_h=st.integers(2, 4), n=st.integers(30, 60),
       theta_scale=st.floats(0.0, 2.0))
@settings(max_examples=60)
def test_pls_deviance_equals_dense_marginal_likelihood(seed, formula, reml, n_g, n_h, n,
                                                       theta_scale):
    data = random_data(seed, n_g, n_h, n)
    mm = model_matrices(parse_formula(formula), data)
    rng = np.random.default_rng(seed + 1)
    theta = mm.theta0 * theta_scale + np.where(mm.lower == 0, 0.0, rng.normal(size=len(mm.lower)))
    theta = np.where(mm.lower == 0, np.abs(theta) + 0.05, theta)
    devfun = make_deviance(cross_products(mm), reml)
    assert devfun(theta) == pytest.approx(dense_deviance(mm, theta, reml), rel=1e-9)


@given(seed=st.integers(0, 10_000), formula=st.sampled_from(FORMULAS))
@settings(max_examples=25)
def test_objective_does_not_depend_on_row_order_or_level_names(seed, formula):
    data = random_data(seed, 5, 3, 50)
    base = lmm_core.lmer(formula, data, check_conv=False).objective
    shuffled = data.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    assert lmm_core.lmer(formula, shuffled, check_conv=False).objective == \
        pytest.approx(base, rel=1e-7)
    rng = np.random.default_rng(seed)
    g_names = dict(zip(sorted(data.g.unique()), rng.permutation(100)[:5].astype(str),
                       strict=False))
    renamed = data.assign(g=data.g.map(g_names), h=data.h.map(lambda v: "zz" + v[::-1]))
    assert lmm_core.lmer(formula, renamed, check_conv=False).objective == \
        pytest.approx(base, rel=1e-7)


@given(seed=st.integers(0, 10_000))
@settings(max_examples=15)
def test_same_data_same_fit(seed):
    data = random_data(seed, 5, 3, 40)
    a = lmm_core.lmer("y ~ x + (x | g)", data)
    b = lmm_core.lmer("y ~ x + (x | g)", data.copy())
    assert a.objective == b.objective
    assert np.array_equal(a.fixef.to_numpy(), b.fixef.to_numpy())


def test_numeric_and_string_grouping_columns_give_the_same_fit():
    data = random_data(3, 6, 3, 60)
    numeric = data.assign(g=data.g.str[1:].astype(int))
    a = lmm_core.lmer("y ~ x + (1 | g)", data)
    b = lmm_core.lmer("y ~ x + (1 | g)", numeric)
    assert a.objective == pytest.approx(b.objective, rel=1e-10)
    assert list(b.ranef()["g"].index) == [str(v) for v in sorted(numeric.g.unique())]


@given(seed=st.integers(0, 10_000), shift=st.sampled_from([50.0, 1e3, 1e5]))
@settings(max_examples=15)
def test_a_large_response_mean_changes_only_the_intercept(seed, shift):
    """Centring y on its least-squares fit keeps pwrss exact: a mean of 1e5 with a residual
    SD of 1 must not change the objective, the slopes or lme4's convergence checks."""
    data = random_data(seed, 6, 3, 60)
    base = lmm_core.lmer("y ~ x + (x | g)", data)
    moved = lmm_core.lmer("y ~ x + (x | g)", data.assign(y=data.y + shift))
    assert moved.objective == pytest.approx(base.objective, rel=1e-9)
    # estimates agree to the optimizer's tolerance (theta to ~1e-8 moves beta by ~1e-7)
    assert moved.fixef["x"] == pytest.approx(base.fixef["x"], abs=1e-5)
    assert moved.fixef["(Intercept)"] - shift == pytest.approx(base.fixef["(Intercept)"],
                                                               abs=1e-5)
    assert moved.messages == base.messages
