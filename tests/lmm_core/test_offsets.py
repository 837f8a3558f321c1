"""offset(): a term with coefficient 1 that enters the fit, fitted values, residuals,
predictions and simulations (lme4 1.1-31's values in test_reference_syntax.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lmm_core


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    g = np.repeat(np.arange(12), 8)
    n = rng.integers(1, 20, g.size)
    x = rng.normal(size=g.size)
    y = 1 + 0.5 * x + np.log(n) + rng.normal(size=12)[g] + rng.normal(scale=0.5, size=g.size)
    return pd.DataFrame({"y": y, "x": x, "n": n, "g": g.astype(str)})


@pytest.fixture(scope="module")
def fits(data):
    return (lmm_core.lmer("y ~ x + offset(log(n)) + (1 | g)", data),
            lmm_core.lmer("z ~ x + (1 | g)", data.assign(z=data.y - np.log(data.n))))


def test_an_offset_is_the_same_fit_as_subtracting_it(fits):
    with_offset, subtracted = fits
    assert with_offset.objective == pytest.approx(subtracted.objective, rel=1e-10)
    assert np.allclose(with_offset.fixef, subtracted.fixef)


def test_fitted_values_and_residuals_include_the_offset(data, fits):
    with_offset, subtracted = fits
    offset = np.log(data.n.to_numpy())
    assert np.allclose(with_offset.fitted(), subtracted.fitted() + offset)
    assert np.allclose(with_offset.residuals(), subtracted.residuals())
    assert np.allclose(with_offset.fitted() + with_offset.residuals(), data.y)
    assert np.allclose(with_offset.predict(re_form="~0"),
                       with_offset.mm.X @ with_offset.fixef.to_numpy() + offset)


def test_predictions_evaluate_the_offset_on_new_data(fits):
    with_offset, subtracted = fits
    new = pd.DataFrame({"x": [0.0, 1.0], "n": [1, 100], "g": ["0", "new"]})
    assert np.allclose(with_offset.predict(new), subtracted.predict(new) + np.log([1, 100]))


def test_simulations_add_the_offset(data, fits):
    with_offset, subtracted = fits
    a = with_offset.simulate(3, rng=1)
    b = subtracted.simulate(3, rng=1)
    assert np.allclose(a, b + np.log(data.n.to_numpy())[:, None])
    frame = with_offset.simulate(2, rng=1, as_frame=True)
    assert np.allclose(frame["y"].to_numpy()[: len(data)], a[:, 0])


@pytest.mark.parametrize("kind", ["parametric", "case"])
def test_bootstrap_refits_keep_the_offset(fits, kind):
    with_offset, subtracted = fits
    a = lmm_core.bootstrap(with_offset, n=4, kind=kind, rng=2).replicates
    b = lmm_core.bootstrap(subtracted, n=4, kind=kind, rng=2).replicates
    assert np.allclose(a.to_numpy(), b.to_numpy())


def test_case_bootstrap_of_matrix_variables(data):
    """poly() and dummy() make several columns; resampling rows keeps them together."""
    fit = lmm_core.lmer("y ~ poly(x, 2) + offset(log(n)) + (1 | g)", data)
    boot = lmm_core.bootstrap(fit, n=3, kind="case", rng=4)
    assert boot.n_failed == 0 and list(boot.replicates.columns[:3]) == list(fit.fixef.index)
