"""batch_refit: many refits of a one-factor model at once land on the optimum.

The batched deviance equals devfun.OneFactor's and its derivatives are checked against
differences; each accepted replicate's deviance is never above what NLopt's BOBYQA reaches,
and its estimates (beta, sigma, SDs and correlations) are BOBYQA's to BOBYQA's own precision
when BOBYQA is run to tight tolerances. Replicates at the boundary (singular fits) included.
"""

from __future__ import annotations

import contextlib
import importlib
from dataclasses import replace
from pathlib import Path

import nlopt
import numpy as np
import pandas as pd
import pytest

import lmm_core
from lmm_core.batch_refit import BatchRefit, refit_many
from lmm_core.bootstrap import sdcor_values
from lmm_core.devfun import Dense, OneFactor, fast_deviance
from lmm_core.simulate import random_effects_matrix, simulate_matrix

boot = importlib.import_module("lmm_core.bootstrap")  # the module, not lmm_core.bootstrap()
SLEEP = Path(__file__).resolve().parents[2] / "simulators" / "data" / "sleepstudy.csv"
FORMULAS = ["Reaction ~ Days + (Days | Subject)", "Reaction ~ Days + (1 | Subject)",
            "Reaction ~ Days + (Days || Subject)"]


@pytest.fixture(scope="module")
def sleep():
    return pd.read_csv(SLEEP)


def responses(fit, n: int, seed: int):
    """Z'y, X'y, y'y and the least-squares offsets of n responses simulated from the fit."""
    mm = fit.mm
    Y = simulate_matrix(fit, n, np.random.default_rng(seed))
    offsets = np.linalg.lstsq(mm.X, Y, rcond=None)[0]
    Y = Y - mm.X @ offsets
    Zt = random_effects_matrix(fit).T.tocsr()
    return Zt @ Y, mm.X.T @ Y, np.einsum("ij,ij->j", Y, Y), offsets


def replicate_model(fit, zty, xty, yty):
    cp = fit.cp
    A1t, Att = cp.A1t.copy(), cp.Att.copy()
    A1t[:, :, -1] = zty.reshape(cp.A1t.shape[:2])
    Att[-1, :-1] = Att[:-1, -1] = xty
    Att[-1, -1] = yty
    return fast_deviance(replace(cp, A1t=A1t, Att=Att, beta_offset=np.zeros(cp.p)), fit.reml)


def tight_bobyqa(model, theta0, lower):
    """BOBYQA from the bootstrap's warm start and first step, to tight tolerances. (NLopt's
    default first step, 0.75 |theta0|, is tiny where theta0 is almost 0, and BOBYQA would not
    leave a singular fit's boundary, where the deviance is flat, for a better optimum.)"""
    best = [np.inf, None]

    def deviance(x, grad):
        f = model.deviance(x)
        if f < best[0]:
            best[:] = f, x.copy()
        return f

    opt = nlopt.opt(nlopt.LN_BOBYQA, len(theta0))
    opt.set_min_objective(deviance)
    opt.set_lower_bounds(lower)
    opt.set_initial_step(boot._warm_start_step(np.asarray(theta0, float)))
    opt.set_xtol_abs(1e-12)
    opt.set_maxeval(20_000)
    with contextlib.suppress(nlopt.RoundoffLimited):  # stopped at rounding level: its best
        opt.optimize(np.asarray(theta0, float))
    return best[1]


@pytest.mark.parametrize("reml", [True, False])
@pytest.mark.parametrize("formula", FORMULAS)
def test_deviance_and_derivatives(sleep, formula, reml):
    fit = lmm_core.lmer(formula, sleep, reml=reml)
    zty, xty, yty, _ = responses(fit, 4, seed=1)
    batch = BatchRefit(fit.cp, reml)
    m, q = fit.cp.A11.shape[:2]
    G, att = batch.arrays(zty.T.reshape(-1, m, q), xty.T, yty)
    theta = np.asarray(fit.theta) * np.random.default_rng(1).uniform(0.6, 1.4, (4, len(fit.theta)))
    f, g, H = batch.derivatives(theta, G, att)
    expected = [replicate_model(fit, zty[:, i], xty[:, i], yty[i]).deviance(theta[i])
                for i in range(4)]
    np.testing.assert_allclose(f, expected, rtol=1e-12)
    np.testing.assert_allclose(batch.deviance(theta, G, att), expected, rtol=1e-12)
    h = 1e-5
    for j, e in enumerate(np.eye(theta.shape[1]) * h):
        fd = (batch.deviance(theta + e, G, att) - batch.deviance(theta - e, G, att)) / (2 * h)
        np.testing.assert_allclose(g[:, j], fd, rtol=1e-6, atol=1e-6)
        gd = (batch.derivatives(theta + e, G, att)[1] - batch.derivatives(theta - e, G, att)[1])
        np.testing.assert_allclose(H[:, j], gd / (2 * h), rtol=1e-6, atol=1e-5)


def compare_with_bobyqa(fit, zty, xty, yty, offsets, result) -> None:
    """Per accepted replicate: a deviance never above BOBYQA's; beta and sigma equal to 1e-6
    relative, SDs and correlations to 1e-5 (BOBYQA stops up to ~5e-6 away from the optimum
    along flat directions of theta, where the deviance changes by 1e-12)."""
    for i in np.flatnonzero(result.ok):
        model = replicate_model(fit, zty[:, i], xty[:, i], yty[i])
        theta = tight_bobyqa(model, fit.theta, fit.mm.lower)
        f_newton, f_bobyqa = model.deviance(result.theta[i]), model.deviance(theta)
        assert f_newton <= f_bobyqa + 1e-12 * abs(f_bobyqa)
        beta, sigma = model.beta_sigma(theta)
        np.testing.assert_allclose(result.beta[i] + offsets[:, i], beta + offsets[:, i],
                                   rtol=1e-6)
        assert result.sigma[i] == pytest.approx(sigma, rel=1e-6)
        ours = sdcor_values(fit.mm, result.theta[i], [result.sigma[i]])[0]
        ref = sdcor_values(fit.mm, theta, [sigma])[0]
        assert np.array_equal(np.isnan(ours), np.isnan(ref))  # a correlation with a zero SD
        both = ~np.isnan(ref)
        assert np.all(np.abs(ours[both] - ref[both]) <= 1e-5 * np.maximum(np.abs(ref[both]), 1e-2))


@pytest.mark.parametrize("reml", [True, False])
@pytest.mark.parametrize("formula", FORMULAS)
def test_refits_reach_bobyqas_optimum(sleep, formula, reml):
    fit = lmm_core.lmer(formula, sleep, reml=reml)
    zty, xty, yty, offsets = responses(fit, 30, seed=2)
    result = refit_many(fast_deviance(fit.cp, reml), fit.cp, zty, xty, yty,
                        np.asarray(fit.theta), fit.mm.lower)
    assert result.ok.mean() > 0.9
    compare_with_bobyqa(fit, zty, xty, yty, offsets, result)


def test_singular_replicates(sleep):
    """Subjects that differ in intercept only: the fit and many replicates have a slope SD of
    zero or a correlation of -1 or 1 (theta on the boundary), and still match BOBYQA."""
    rng = np.random.default_rng(5)
    codes = pd.factorize(sleep.Subject)[0]
    flat = sleep.assign(Reaction=250 + 10 * sleep.Days + 30 * rng.normal(size=18)[codes]
                        + 25 * rng.normal(size=len(sleep)))
    fit = lmm_core.lmer(FORMULAS[0], flat)
    zty, xty, yty, offsets = responses(fit, 40, seed=3)
    result = refit_many(fast_deviance(fit.cp, True), fit.cp, zty, xty, yty,
                        np.asarray(fit.theta), fit.mm.lower)
    assert result.ok.mean() > 0.8
    on_boundary = np.any(result.theta[result.ok][:, [0, 2]] == 0.0, axis=1)
    assert 5 <= on_boundary.sum() < result.ok.sum()
    compare_with_bobyqa(fit, zty, xty, yty, offsets, result)


def test_only_one_factor_models(sleep):
    fit = lmm_core.lmer("Reaction ~ Days + (Days + I(Days^2) | Subject)", sleep)
    model = fast_deviance(fit.cp, True)
    assert isinstance(model, Dense)
    zty, xty, yty, _ = responses(fit, 2, seed=4)
    assert refit_many(model, fit.cp, zty, xty, yty, fit.theta, fit.mm.lower) is None
    assert isinstance(fast_deviance(lmm_core.lmer(FORMULAS[0], sleep).cp, True), OneFactor)
