"""lmm_core's time-limit API as the sandbox uses it, with a fallback until it is merged.

The engine branch (engine-settings) adds ``lmm_core.estimate_cost(formula, data) -> FitCost``,
``lmm_core.lmer(..., max_seconds=, callback=)`` and ``lmm_core.FitTimeLimit``. This module
uses them when lmm_core has them. Without them: the cost is estimated here from the model's
size and one timed deviance evaluation, and the fit runs without a limit or callback (a Stop
click then takes effect when the fit returns, and the result is dropped). Delete the fallbacks
once engine-settings is merged.
"""

from __future__ import annotations

import inspect
import time
from dataclasses import dataclass

import pandas as pd

import lmm_core
from lmm_core.design import model_matrices
from lmm_core.devfun import fast_deviance
from lmm_core.deviance import cross_products

__all__ = ["FitCost", "FitTimeLimit", "estimate_cost", "lmer", "HAS_LIMITS"]


class _FitTimeLimit(lmm_core.LmmError):
    """The fit went over its time limit (lmm_core.FitTimeLimit once merged)."""


@dataclass(frozen=True)
class _FitCost:
    n_obs: int
    n_fixed: int
    n_random: int
    n_theta: int
    seconds: float


FitTimeLimit = getattr(lmm_core, "FitTimeLimit", _FitTimeLimit)
FitCost = getattr(lmm_core, "FitCost", _FitCost)
HAS_LIMITS = "max_seconds" in inspect.signature(lmm_core.lmer).parameters


def estimate_cost(formula: str, data: pd.DataFrame):
    """How big the model is and about how long lmer() takes (LmmError if it cannot be built)."""
    if hasattr(lmm_core, "estimate_cost"):
        return lmm_core.estimate_cost(formula, data)
    mm = model_matrices(lmm_core.parse_formula(formula), data)
    deviance = fast_deviance(cross_products(mm), True).deviance
    deviance(mm.theta0)
    start = time.perf_counter()
    for _ in range(3):
        deviance(mm.theta0)
    per_eval = (time.perf_counter() - start) / 3
    k = len(mm.theta0)
    evaluations = 40 * k + 2 * k * k + 20  # BOBYQA's path, then lme4's derivative checks
    return _FitCost(mm.n, mm.X.shape[1], sum(t.q * t.nlevels for t in mm.reterms), k,
                    per_eval * evaluations)


def lmer(formula: str, data: pd.DataFrame, reml: bool = True, *, max_seconds=None,
         callback=None, **options):
    """lmm_core.lmer with a time limit and a progress callback where lmm_core has them."""
    if HAS_LIMITS:
        options.update(max_seconds=max_seconds, callback=callback)
    return lmm_core.lmer(formula, data, reml, **options)
