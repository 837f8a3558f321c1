"""lme4's check.scaleX (checkScaleX): "Some predictor variables are on very different scales".

lme4 1.1-31 warns when a column of X that is not all 0/1 has an SD above 1000 or below 1/1000,
or two such columns' SDs differ by more than a factor 1000 (tests/reference: scale_large,
scale_small give the warning through lmer, with lme4's words).
"""

from __future__ import annotations

import numpy as np

import lmm_core
from lmm_core.checks import SCALE_MESSAGE, scale_message
from tests.reference.cases import case, case_data

RNG = np.random.default_rng(3)
X = np.column_stack([np.ones(50), RNG.normal(size=50), RNG.integers(0, 2, 50)])


def with_column(values):
    return np.column_stack([X, values])


def test_well_scaled_and_indicator_columns_pass():
    assert scale_message(X) is None
    assert scale_message(with_column(RNG.integers(0, 2, 50) * 1.0)) is None
    assert scale_message(with_column(500 * RNG.normal(size=50))) is None  # SD 500 < 1000
    assert scale_message(np.ones((50, 1))) is None  # the intercept alone


def test_large_small_and_far_apart_columns_warn():
    assert scale_message(with_column(1e6 * RNG.normal(size=50))) == SCALE_MESSAGE
    assert scale_message(with_column(1e-6 * RNG.normal(size=50))) == SCALE_MESSAGE
    # SDs 0.02 and 40: each within [1/1000, 1000], but 2000 apart
    apart = np.column_stack([np.ones(50), 0.02 * RNG.normal(size=50), 40 * RNG.normal(size=50)])
    assert scale_message(apart) == SCALE_MESSAGE


def test_lmer_reports_it_as_lme4():
    for cid in ("scale_large", "scale_small"):
        c = case(cid)
        fit = lmm_core.lmer(c["formula"], case_data(cid))
        assert SCALE_MESSAGE in c["messages"] and SCALE_MESSAGE in fit.messages
        assert fit.converged
        assert fit.summary().fit_warnings == (SCALE_MESSAGE,)
    sleep = case_data("sleep_slopes_reml")
    assert SCALE_MESSAGE not in lmm_core.lmer("Reaction ~ Days + (1 | Subject)", sleep).messages
