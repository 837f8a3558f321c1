"""derivatives.theta_derivatives: the exact derivatives equal lmerTest's numerical ones.

satterthwaite._numerical differences the deviance's pieces as lmerTest does (numDeriv's
Richardson scheme); the trace formulas must give the same numbers on crossed, nested and
random-slope designs, REML and ML, through both of TailSystem's ways to form the first
factor's products, and then the same Satterthwaite df. Where they do not apply (a diagonal
theta near zero) satterthwaite.py falls back to the differences.
"""

from __future__ import annotations

import dataclasses
import gc

import numpy as np
import pandas as pd
import pytest

import lmm_core
from lmm_core import blocked, derivatives, satterthwaite
from lmm_core.blocked import TailSystem
from lmm_core.derivatives import theta_derivatives

FORMULAS = [
    "y ~ x + (1 | g) + (1 | h)",  # crossed
    "y ~ x + (1 | g/h)",  # nested
    "y ~ x + (x | g) + (1 | h)",  # a correlated slope in the first factor
    "y ~ x + (1 | g) + (x + z | h)",  # q = 3 in another factor
    "y ~ x + (x || g) + (1 | h)",  # amalgamated terms, a diagonal q = 2 block
    "y ~ x * z + (x | h)",  # one factor
]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(1)
    n, gs, hs = 240, 24, 8
    g, h = rng.integers(0, gs, n), rng.integers(0, hs, n)
    x, z = rng.normal(size=n), rng.normal(size=n)
    y = (x + rng.normal(size=n) + rng.normal(size=gs)[g] + 0.7 * rng.normal(size=hs)[h]
         + 0.5 * x * rng.normal(size=gs)[g] + 0.4 * z * rng.normal(size=hs)[h])
    return pd.DataFrame({"y": y, "x": x, "z": z, "g": g.astype(str), "h": h.astype(str)})


@pytest.fixture(scope="module")
def fits(data):
    return {(f, reml): lmm_core.lmer(f, data, reml=reml) for f in FORMULAS
            for reml in (True, False)}


def at_theta(fit, theta):
    opt = dataclasses.replace(fit.opt, theta=np.asarray(theta, float))
    return dataclasses.replace(fit, opt=opt, _cache={})


def assert_same(exact, numeric):
    for name in ("logdet", "logdet_grad", "logdet_hess", "pwrss", "pwrss_grad", "pwrss_hess",
                 "unscaled", "unscaled_jac"):
        a, b = np.asarray(getattr(exact, name)), np.asarray(getattr(numeric, name))
        assert np.max(np.abs(a - b)) <= 1e-7 * np.max(np.abs(b)) + 1e-12, name


@pytest.mark.parametrize("reml", [True, False])
@pytest.mark.parametrize("formula", FORMULAS)
def test_exact_equals_numerical(fits, formula, reml):
    fit = fits[formula, reml]
    theta = np.asarray(fit.theta) * np.random.default_rng(2).uniform(0.7, 1.3, len(fit.theta))
    theta += 0.05 * (theta >= 0)  # away from the boundary and from the optimum
    tail = TailSystem(fit.cp)
    exact = theta_derivatives(fit.cp, theta, reml, tail)
    assert exact is not None
    assert_same(exact, satterthwaite._numerical(fit, theta, tail))


@pytest.mark.parametrize("pair_cost", [0.0, 1e12])  # TailSystem's pairs, then dense B
def test_both_tail_layouts(fits, monkeypatch, pair_cost):
    monkeypatch.setattr(blocked, "PAIR_COST", pair_cost)
    for formula in FORMULAS[:3]:
        fit = fits[formula, True]
        tail = TailSystem(fit.cp)
        assert tail.pairs == (pair_cost == 0.0)
        exact = theta_derivatives(fit.cp, fit.theta, True, tail)
        assert_same(exact, satterthwaite._numerical(fit, np.asarray(fit.theta), tail))


def test_satterthwaite_df_exact_and_numerical(fits, monkeypatch):
    """The coefficient tables' df from both paths agree far below lmerTest's 1e-3."""
    exact = {key: fit.coef_table("Satterthwaite")["df"] for key, fit in fits.items()}
    monkeypatch.setattr(satterthwaite, "theta_derivatives", lambda *args: None)
    for key, fit in fits.items():
        numeric = dataclasses.replace(fit, _cache={}).coef_table("Satterthwaite")["df"]
        np.testing.assert_allclose(exact[key], numeric, rtol=1e-6, err_msg=str(key))


def test_single_precision_product(fits, monkeypatch):
    """Large tails form Sigma Gamma_i in single precision; the df do not notice."""
    double = {key: fit.coef_table("Satterthwaite")["df"] for key, fit in fits.items()}
    monkeypatch.setattr(derivatives, "SINGLE_MIN", 0)
    for key, fit in fits.items():
        single = dataclasses.replace(fit, _cache={}).coef_table("Satterthwaite")["df"]
        np.testing.assert_allclose(single, double[key], rtol=1e-6, err_msg=str(key))


def test_near_zero_theta_falls_back_to_differences(fits, monkeypatch):
    fit = fits[FORMULAS[0], True]
    theta = np.asarray(fit.theta).copy()
    theta[0] = 0.5 * derivatives.MIN_DIAGONAL
    assert theta_derivatives(fit.cp, theta, True) is None
    calls = []
    real = satterthwaite._numerical
    monkeypatch.setattr(satterthwaite, "_numerical",
                        lambda *args: calls.append(1) or real(*args))
    df = at_theta(fit, theta).coef_table("Satterthwaite")["df"]
    assert calls and np.all(np.isfinite(df))


def test_fit_and_derivatives_share_the_tail(data):
    """A fit large enough for devfun.Blocked leaves its TailSystem for the derivatives, and
    it goes with the fit's cross-products."""
    big = data.assign(g=(np.arange(len(data)) % 120).astype(str),
                      h=(np.arange(len(data)) % 200).astype(str))
    fit = lmm_core.lmer("y ~ x + (1 | g) + (1 | h)", big)
    cp_id = id(fit.cp)
    assert cp_id in blocked._TAILS
    assert blocked.tail_system(fit.cp) is blocked._TAILS[cp_id]
    del fit
    gc.collect()
    assert cp_id not in blocked._TAILS
