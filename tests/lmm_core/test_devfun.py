"""fast_deviance: each specialisation equals deviance.make_deviance, and lmer() uses them.

The fast paths change the time of a fit and nothing else, so every one is compared with the
general blocked algorithm at random theta (inside, on and beyond the boundary) and at the
estimates (beta and sigma against solve_pls).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lmm_core
import simulators
from lmm_core import blocked, devfun
from lmm_core.devfun import Blocked, Dense, OneFactor, PerLevel, fast_deviance
from lmm_core.deviance import cross_products, make_deviance, solve_pls
from lmm_core.optimize import optimize_theta

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "reference" / "data"


@pytest.fixture(scope="module")
def sleep():
    return simulators.load("sleepstudy")  # the copy the package ships


def random_thetas(fit, count: int):
    """Thetas at three scales; every fourth one with its variances on the boundary."""
    rng = np.random.default_rng(0)
    for k in range(count):
        theta = rng.normal(size=len(fit.theta)) * (0.1, 1.0, 3.0)[k % 3]
        if k % 4 == 0:
            theta[fit.mm.lower == 0] = 0.0
        yield theta


def assert_equals_engine(model, fit, cp, reml: bool, count: int = 40) -> None:
    engine = make_deviance(cp, reml)
    for theta in random_thetas(fit, count):
        assert model.deviance(theta) == pytest.approx(engine(theta), rel=1e-8)
    beta, sigma = model.beta_sigma(fit.theta)
    pls = solve_pls(cp, fit.theta, reml)
    np.testing.assert_allclose(beta, pls.beta, rtol=1e-9)
    assert sigma == pytest.approx(pls.sigma, rel=1e-9)


@pytest.mark.parametrize(("formula", "kind"), [
    ("Reaction ~ Days + (1 | Subject)", OneFactor),
    ("Reaction ~ Days + (Days | Subject)", OneFactor),
    ("Reaction ~ Days + (Days || Subject)", OneFactor),
    ("Reaction ~ 0 + Days + (Days | Subject)", OneFactor),
    ("Reaction ~ Days + (Days + I(Days^2) | Subject)", Dense),  # q = 3
])
@pytest.mark.parametrize("reml", [True, False])
def test_one_factor_equals_engine(sleep, formula, kind, reml):
    fit = lmm_core.lmer(formula, sleep, reml=reml)
    cp = cross_products(fit.mm, fit.simulate(1, rng=5)[:, 0])
    model = fast_deviance(cp, reml)
    assert isinstance(model, kind)
    assert_equals_engine(model, fit, cp, reml, count=60)


def _growth(levels: int, per_level: int, seed: int) -> pd.DataFrame:
    """Quadratic growth curves with intercept, slope and curvature varying by subject."""
    rng = np.random.default_rng(seed)
    subject = np.repeat(np.arange(levels), per_level)
    age = np.tile(np.linspace(-1, 1, per_level), levels) + rng.normal(0, 0.05, subject.size)
    effects = rng.normal(size=(levels, 3)) * (3.0, 1.5, 0.7)
    y = (140 + effects[subject, 0] + (6 + effects[subject, 1]) * age
         + (1 + effects[subject, 2]) * age**2 + rng.normal(0, 0.5, subject.size))
    return pd.DataFrame({"y": y, "age": age, "Subject": subject.astype(str)})


@pytest.mark.parametrize(("formula", "data"), [
    ("height ~ age + I(age^2) + (age + I(age^2) | Subject)", "Oxboys.csv"),  # q = 3, 26 boys
    ("y ~ age + I(age^2) + (age + I(age^2) | Subject)", 400),  # 400 levels: no dense matrix
    ("y ~ age + (age + I(age^2) || Subject)", 40),  # uncorrelated: diagonal Lambda
    ("y ~ age + I(age^2) + (age | Subject) + (0 + I(age^2) | Subject)", 40),  # one block, 2 terms
])
@pytest.mark.parametrize("reml", [True, False])
def test_per_level_equals_engine(formula, data, reml):
    data = pd.read_csv(DATA / data) if isinstance(data, str) else _growth(data, 6, seed=data)
    fit = lmm_core.lmer(formula, data, reml=reml, check_conv=False)
    cp = cross_products(fit.mm, fit.simulate(1, rng=5)[:, 0])
    model = fast_deviance(cp, reml)
    assert isinstance(model, PerLevel)
    assert_equals_engine(model, fit, cp, reml)
    assert_equals_engine(model.with_response(fit.cp), fit, fit.cp, reml, count=5)


def test_per_level_takes_nearly_collinear_slopes_with_many_levels():
    """Uncentred years, 200 subjects: too many for Dense, and the closed forms would lose
    digits; the per-level factorization keeps them."""
    data = _growth(200, 5, seed=1).assign(year=lambda d: d.age + 2000)
    fit = lmm_core.lmer("y ~ year + (year | Subject)", data, check_conv=False)
    assert isinstance(fast_deviance(fit.cp, True), PerLevel)
    assert_equals_engine(fast_deviance(fit.cp, True), fit, fit.cp, True)


@pytest.mark.parametrize(("formula", "file"), [
    ("diameter ~ 1 + (1 | plate) + (1 | sample)", "Penicillin.csv"),  # crossed
    ("strength ~ 1 + (1 | batch/cask)", "Pastes.csv"),  # nested
    ("Reaction ~ Days + (Days | Subject) + (Days | g)", None),  # slopes: matrix products
])
def test_dense_equals_engine(sleep, formula, file):
    data = pd.read_csv(DATA / file) if file else sleep.assign(g=np.arange(180) % 7)
    fit = lmm_core.lmer(formula, data)
    cp = cross_products(fit.mm, fit.simulate(1, rng=5)[:, 0])
    model = fast_deviance(cp, True)
    assert isinstance(model, Dense)
    assert_equals_engine(model, fit, cp, True)


def test_large_designs_take_the_blocked_path(sleep, monkeypatch):
    """Past DENSE_MAX random effects no dense matrix of them is formed (the 70,000-row crossed
    benchmark would need 4000 x 4000); one factor with large folded weights neither."""
    pen = pd.read_csv(DATA / "Penicillin.csv")
    fit = lmm_core.lmer("diameter ~ 1 + (1 | plate) + (1 | sample)", pen)
    monkeypatch.setattr(devfun, "DENSE_MAX", 20)
    assert isinstance(fast_deviance(fit.cp, True), Blocked)
    assert_equals_engine(fast_deviance(fit.cp, True), fit, fit.cp, True)
    one = lmm_core.lmer("Reaction ~ Days + (Days | Subject)", sleep)
    monkeypatch.setattr(devfun, "WEIGHTS_MAX", 100)
    assert isinstance(fast_deviance(one.cp, True), Blocked)


@pytest.mark.parametrize(("formula", "file", "settings", "path"), [
    ("diameter ~ 1 + (1 | plate) + (1 | sample)", "Penicillin.csv",
     {"SPARSE_MIN": 0, "SPARSE_DENSITY": 2.0, "PAIR_COST": 0.0}, "cholmod"),
    ("diameter ~ 1 + (1 | plate) + (1 | sample)", "Penicillin.csv", {"PAIR_COST": 0.0}, "pairs"),
    ("diameter ~ 1 + (1 | plate) + (1 | sample)", "Penicillin.csv", {"PAIR_COST": 1e9}, "dense"),
    ("Reaction ~ Days + (Days | Subject) + (Days | g)", None, {"PAIR_COST": 0.0},
     "pairs"),  # slopes in the tail
    ("Reaction ~ Days + (Days | Subject) + (Days | g)", None, {"PAIR_COST": 1e9}, "dense"),
    ("Reaction ~ Days + (Days | g) + (1 | Subject)", None,
     {"SPARSE_MIN": 0, "SPARSE_DENSITY": 2.0, "PAIR_COST": 0.0}, "cholmod"),  # q = 2 first
])
def test_blocked_paths_equal_engine(sleep, monkeypatch, formula, file, settings, path):
    """blocked.TailSystem's three ways to the tail's factor (B's pairs into a dense or a CHOLMOD
    factor, or dense B) give the general algorithm's deviance, beta and sigma."""
    data = pd.read_csv(DATA / file) if file else sleep.assign(g=np.arange(180) % 40)
    fit = lmm_core.lmer(formula, data, check_conv=False)
    cp = cross_products(fit.mm, fit.simulate(1, rng=5)[:, 0])
    monkeypatch.setattr(devfun, "DENSE_MAX", 20)
    for name, value in settings.items():
        monkeypatch.setattr(blocked, name, value)
    model = fast_deviance(cp, True)
    assert isinstance(model, Blocked)
    taken = "dense" if not model.tail.pairs else "cholmod" if model.tail.sparse else "pairs"
    assert taken == path
    assert_equals_engine(model, fit, cp, True)
    _, _, vcov = model.tail.solve(fit.theta)
    rx = solve_pls(cp, fit.theta, True).factor.RX
    np.testing.assert_allclose(vcov, np.linalg.inv(rx @ rx.T), rtol=1e-9)


def test_nearly_collinear_random_slopes_leave_the_closed_forms(sleep, monkeypatch):
    """An uncentred covariate far from zero: the closed forms would lose digits."""
    far = sleep.assign(Year=sleep.Days + 2000)
    fit = lmm_core.lmer("Reaction ~ Year + (Year | Subject)", far, check_conv=False)
    assert isinstance(fast_deviance(fit.cp, True), Dense)
    assert_equals_engine(fast_deviance(fit.cp, True), fit, fit.cp, True)
    monkeypatch.setattr(devfun, "DENSE_MAX", 20)
    assert isinstance(fast_deviance(fit.cp, True), Blocked)
    monkeypatch.undo()
    near = sleep.assign(Year=sleep.Days + 10)
    fit = lmm_core.lmer("Reaction ~ Year + (Year | Subject)", near, check_conv=False)
    assert isinstance(fast_deviance(fit.cp, True), OneFactor)
    assert_equals_engine(fast_deviance(fit.cp, True), fit, fit.cp, True)


@pytest.mark.parametrize(("formula", "file"), [
    ("Reaction ~ Days + (Days | Subject)", None),
    ("diameter ~ 1 + (1 | plate) + (1 | sample)", "Penicillin.csv"),
])
def test_with_response_equals_a_fresh_model(sleep, formula, file):
    data = pd.read_csv(DATA / file) if file else sleep
    fit = lmm_core.lmer(formula, data)
    cp = cross_products(fit.mm, fit.simulate(1, rng=2)[:, 0])
    reused, fresh = fast_deviance(fit.cp, True).with_response(cp), fast_deviance(cp, True)
    assert type(reused) is type(fresh)
    for theta in random_thetas(fit, 12):
        assert reused.deviance(theta) == pytest.approx(fresh.deviance(theta), rel=1e-12)


def test_lmer_objective_is_the_engine_deviance_at_its_theta(sleep):
    """lmer() optimises the fast deviance; its objective is the general algorithm's value."""
    for reml in (True, False):
        fit = lmm_core.lmer("Reaction ~ Days + (Days | Subject)", sleep, reml=reml)
        assert fit.objective == pytest.approx(make_deviance(fit.cp, reml)(fit.theta), rel=1e-12)


def test_fast_deviance_finds_the_engines_optimum(sleep):
    """Optimising make_deviance itself gives the same fit, to BOBYQA's tolerance."""
    fit = lmm_core.lmer("Reaction ~ Days + (Days | Subject)", sleep)
    slow = optimize_theta(make_deviance(fit.cp, True), fit.mm.theta0, fit.mm.lower)
    np.testing.assert_allclose(fit.theta, slow.theta, rtol=1e-5)
    assert fit.objective == pytest.approx(slow.fmin, abs=1e-7)
