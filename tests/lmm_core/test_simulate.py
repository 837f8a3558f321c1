"""simulate(): shapes, seeds, and that simulated data have the model's moments.

lme4 reference for the model: lmer(Reaction ~ Days + (Days | Subject), sleepstudy); R's
simulate(fit, nsim) draws b ~ N(0, sigma^2 Lambda Lambda') and e ~ N(0, sigma^2) anew
(use.u = FALSE) or keeps the conditional modes (use.u = TRUE). R's random streams cannot be
reproduced in Python, so these tests check moments instead of values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lmm_core
import simulators
from lmm_core.errors import LmmError
from lmm_core.simulate import random_effects_matrix, resample_matrices

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "reference" / "data"


@pytest.fixture(scope="module")
def sleep():
    return simulators.load("sleepstudy")  # the copy the package ships


@pytest.fixture(scope="module")
def fit(sleep):
    return lmm_core.lmer("Reaction ~ Days + (Days | Subject)", sleep)


def marginal_cov(fit) -> np.ndarray:
    """Z Sigma Z' + sigma^2 I, with Sigma block-diagonal sigma^2 Lambda Lambda' per level."""
    Z = random_effects_matrix(fit).toarray()
    blocks = [np.kron(np.eye(b.m), b.lam(fit.theta) @ b.lam(fit.theta).T) for b in fit.cp.blocks]
    sizes = [b.shape[0] for b in blocks]
    sigma_b = np.zeros((sum(sizes), sum(sizes)))
    off = 0
    for b, s in zip(blocks, sizes, strict=True):
        sigma_b[off : off + s, off : off + s] = b
        off += s
    return fit.sigma**2 * (Z @ sigma_b @ Z.T + np.eye(fit.nobs))


def test_shape_and_default(fit):
    assert fit.simulate().shape == (180, 1)
    assert fit.simulate(7, rng=1).shape == (180, 7)


def test_same_seed_same_draws_and_prefix(fit):
    a = fit.simulate(5, rng=42)
    np.testing.assert_array_equal(a, fit.simulate(5, rng=42))
    np.testing.assert_array_equal(a, fit.simulate(5, rng=np.random.default_rng(42)))
    np.testing.assert_array_equal(a[:, :3], fit.simulate(3, rng=42))  # row-by-row draws
    assert not np.allclose(a, fit.simulate(5, rng=43))


def test_generator_is_advanced(fit):
    gen = np.random.default_rng(3)
    first, second = fit.simulate(2, rng=gen), fit.simulate(2, rng=gen)
    assert not np.allclose(first, second)


@pytest.mark.parametrize("nsim", [0, -1, 2.5, True, "3"])
def test_bad_nsim(fit, nsim):
    with pytest.raises(LmmError, match="nsim"):
        fit.simulate(nsim)


def test_bad_rng(fit):
    with pytest.raises(LmmError, match="rng"):
        fit.simulate(2, rng="seed")


def test_moments_new_random_effects(fit):
    """Mean X beta; covariance Z Sigma Z' + sigma^2 I (diagonal and within-subject)."""
    sims = fit.simulate(4000, rng=7)
    V = marginal_cov(fit)
    se_mean = np.sqrt(np.diag(V) / sims.shape[1])
    assert np.all(np.abs(sims.mean(axis=1) - fit.mm.X @ fit.pls.beta) < 4.5 * se_mean)
    var = sims.var(axis=1, ddof=1)
    np.testing.assert_allclose(var, np.diag(V), rtol=0.12)  # SE of a variance ~ 2.2% here
    np.testing.assert_allclose(var.mean(), np.diag(V).mean(), rtol=0.03)
    within = np.cov(sims[0], sims[9])[0, 1]  # subject 308, days 0 and 9
    assert within == pytest.approx(V[0, 9], rel=0.12)
    assert abs(np.cov(sims[0], sims[10])[0, 1]) < 0.1 * V[0, 0]  # different subjects


def test_moments_use_u(fit):
    """use_u=True keeps the conditional modes: mean = fitted(), variance = sigma^2."""
    sims = fit.simulate(4000, rng=8, use_u=True)
    se = fit.sigma / np.sqrt(sims.shape[1])
    assert np.all(np.abs(sims.mean(axis=1) - fit.fitted()) < 4.5 * se)
    np.testing.assert_allclose(sims.var(axis=1, ddof=1).mean(), fit.sigma**2, rtol=0.02)


def test_crossed_factors_variance():
    pen = pd.read_csv(DATA / "Penicillin.csv")
    fit = lmm_core.lmer("diameter ~ 1 + (1 | plate) + (1 | sample)", pen)
    sims = fit.simulate(3000, rng=2)
    np.testing.assert_allclose(sims.var(axis=1, ddof=1).mean(), np.diag(marginal_cov(fit)).mean(),
                               rtol=0.05)


def test_as_frame(fit, sleep):
    before = sleep.copy()
    frame = fit.simulate(3, rng=5, as_frame=True)
    sims = fit.simulate(3, rng=5)
    assert list(frame.columns) == ["Reaction", "Days", "Subject", ".sim"]
    assert len(frame) == 3 * 180
    assert frame[".sim"].tolist() == [1] * 180 + [2] * 180 + [3] * 180
    np.testing.assert_array_equal(frame["Reaction"], sims.T.ravel())
    np.testing.assert_array_equal(frame.loc[frame[".sim"] == 2, "Days"], sleep["Days"])
    pd.testing.assert_frame_equal(sleep, before)


def test_as_frame_transformed_response(sleep):
    fit = lmm_core.lmer("log(Reaction) ~ Days + (1 | Subject)", sleep)
    frame = fit.simulate(2, rng=1, as_frame=True)
    assert "log(Reaction)" in frame.columns
    np.testing.assert_array_equal(frame["Reaction"], np.tile(sleep["Reaction"], 2))


def test_resample_cluster_relabels_copies(fit):
    term = fit.mm.reterms[0]
    mm = resample_matrices(fit.mm, "cluster", term, np.random.default_rng(1))
    factor = mm.reterms[0].factor
    assert factor.nlevels == 18  # a subject drawn twice is two subjects
    assert np.bincount(factor.codes).tolist() == [10] * 18
    assert mm.frame["Subject"].nunique() == 18


def test_resample_case_drops_unused_levels(fit):
    mm = resample_matrices(fit.mm, "case", fit.mm.reterms[0], np.random.default_rng(1))
    assert mm.n == 180
    assert set(np.unique(mm.reterms[0].factor.codes)) == set(range(mm.reterms[0].nlevels))
