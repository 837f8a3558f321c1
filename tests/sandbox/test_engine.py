"""The sandbox's view of lmm_core's time-limit API: sizes and an estimate, and lmer()."""

from __future__ import annotations

import pytest

import lmm_core
import simulators
from sandbox import engine

SLEEP = simulators.load("sleepstudy")


def test_the_cost_names_the_models_size():
    cost = engine.estimate_cost("Reaction ~ Days + (Days | Subject)", SLEEP)
    assert (cost.n_obs, cost.n_fixed, cost.n_random, cost.n_theta) == (180, 2, 36, 3)
    assert cost.seconds > 0
    bigger = engine.estimate_cost("Reaction ~ Days + (Days + I(Days^2) | Subject)", SLEEP)
    assert bigger.n_theta == 6 and bigger.seconds > 0


def test_a_model_that_cannot_be_built_raises_lmm_errors():
    with pytest.raises(lmm_core.ColumnNotFoundError):
        engine.estimate_cost("Reaction ~ Dayz + (1 | Subject)", SLEEP)


def test_lmer_is_lmm_cores():
    fit = engine.lmer("Reaction ~ Days + (1 | Subject)", SLEEP, max_seconds=60.0)
    direct = lmm_core.lmer("Reaction ~ Days + (1 | Subject)", SLEEP)
    assert fit.objective == pytest.approx(direct.objective)
    assert issubclass(engine.FitTimeLimit, lmm_core.LmmError)
