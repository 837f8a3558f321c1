"""Work limits for callers that serve many users: a time limit, a progress callback, and a
cheap up-front estimate of what a fit will cost.

A fit's time is (deviance evaluations) x (time per evaluation). For k covariance parameters
BOBYQA needs about 15 k + k^3 / 2 evaluations (measured, lme4 and lmm_core alike: 40-70 for
k = 2-3, ~300 for k = 6, 25,000 in lme4 for the seven-slope sleepstudy model with k = 28;
fast-converging models such as an InstEval department with k = 11 need fewer), lme4's
derivative check 2 k^2 more, and an evaluation costs about the cube of the random effects it
factors together. estimate_cost() reads these sizes from the model matrices without fitting,
so a page can refuse a model before it runs; the estimate is rough (a factor of ~5 either
way), meant to tell seconds from minutes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .design import ModelMatrices, model_matrices
from .devfun import DENSE_MAX, per_level_suits
from .errors import FitTimeLimit, LmmError
from .formula import parse_formula

__all__ = ["FitProgress", "FitCost", "estimate_cost", "watched", "check_limits"]

SECONDS_PER_FLOP = 1e-9  # dense LAPACK work on one core, roughly
SECONDS_PER_CALL = 3e-5  # Python overhead of one deviance evaluation
SECONDS_PER_NUMPY_CALL = 1e-6  # one small numpy operation (devfun.PerLevel makes ~q^3/2)
SECONDS_PER_PARAMETER_PAIR = 4e-7  # BOBYQA's own work per evaluation, per k^2 (k = len(theta))
SECONDS_PER_FIT = 0.03  # building the model and the results around the optimizer


@dataclass(frozen=True)
class FitProgress:
    """What a fit's callback receives after each deviance evaluation."""

    evaluations: int
    seconds: float


@dataclass(frozen=True)
class FitCost:
    """The size of a model and a rough estimate of its fitting time (within a factor of ~3).

    n_random: random-effects columns, the sum over terms of (effects per group x groups).
    """

    n_obs: int
    n_fixed: int
    n_random: int
    n_theta: int
    seconds: float

    def too_big(self, limit_seconds: float) -> bool:
        return self.seconds > limit_seconds

    def refusal(self, limit_seconds: float) -> str | None:
        """A message for a page that will not fit models over its limit (None: go ahead)."""
        if not self.too_big(limit_seconds):
            return None
        return (
            f"This model would take about {_duration(self.seconds)} to fit, more than the "
            f"{limit_seconds:g} s allowed here: its random effects have {self.n_theta} "
            f"variance and correlation parameters ({self.n_random} random effects in all). "
            "Simplify the random effects: fewer random slopes per grouping factor, or drop "
            "their correlations with ||."
        )


def estimate_cost(formula, data: pd.DataFrame) -> FitCost:
    """The model's size and a rough fitting time, from its model matrices (no fit)."""
    parsed = (parse_formula(formula, getattr(data, "columns", None))
              if isinstance(formula, str) else formula)
    mm = model_matrices(parsed, data)
    return cost_of(mm)


def cost_of(mm: ModelMatrices) -> FitCost:
    k = len(mm.lower)
    n_random = sum(t.q * t.nlevels for t in mm.reterms)
    evaluations = 15 * k + k**3 / 2 + 2 * k * k  # optimizer + lme4's derivative check
    per_evaluation = _seconds_per_evaluation(mm, n_random) + k * k * SECONDS_PER_PARAMETER_PAIR
    seconds = SECONDS_PER_FIT + evaluations * per_evaluation
    return FitCost(mm.n, mm.p, n_random, k, float(seconds))


def _seconds_per_evaluation(mm: ModelMatrices, n_random: int) -> float:
    """The work of one evaluation, following devfun.fast_deviance's choice: one factor's
    levels side by side (PerLevel), the whole system up to DENSE_MAX (Lambda' C Lambda and a
    Cholesky), else the largest factor's blocks plus a dense tail of everything else."""
    p = mm.p + 1
    groups = {t.group for t in mm.reterms}
    q = sum(t.q for t in mm.reterms)
    if len(groups) == 1 and q >= 3 and per_level_suits(q, n_random + p):
        m = mm.reterms[0].nlevels  # devfun.PerLevel: numpy calls over the m levels
        calls = q**3 / 2 + 3 * q + 10
        flops = m * (q**4 + q * q * p) + p**3 / 3
        return SECONDS_PER_CALL + calls * SECONDS_PER_NUMPY_CALL + flops * SECONDS_PER_FLOP
    if n_random + p <= DENSE_MAX:
        size = n_random + p
        products = 2 * size**3 if any(t.q > 1 for t in mm.reterms) else size**2
        flops = size**3 / 3 + products
    else:
        by_group: dict[str, list[int]] = {}
        for t in mm.reterms:
            by_group.setdefault(t.group, [0, t.nlevels])[0] += t.q
        q1, m1 = max(by_group.values(), key=lambda qm: qm[0] * qm[1])
        tail = n_random - q1 * m1 + p
        flops = m1 * q1**3 + tail**3 / 3 + m1 * q1 * tail**2 + mm.n * (q1 + p)
    return SECONDS_PER_CALL + flops * SECONDS_PER_FLOP


def check_limits(max_seconds, callback) -> None:
    """Plain errors for a bad max_seconds or callback (before any work is done)."""
    if max_seconds is not None:
        if isinstance(max_seconds, bool) or not isinstance(max_seconds, (int, float)):
            raise TypeError(f"max_seconds must be a number of seconds, not {max_seconds!r}.")
        if not np.isfinite(max_seconds) or max_seconds <= 0:
            raise LmmError(f"max_seconds must be a positive number of seconds, got {max_seconds}.")
    if callback is not None and not callable(callback):
        raise TypeError("callback must be a function that takes a FitProgress.")


def watched(devfun: Callable, started: float, max_seconds: float | None,
            callback: Callable[[FitProgress], None] | None) -> Callable:
    """devfun, checking the time limit and calling back after each evaluation. Raising in
    the callback (or FitTimeLimit here) stops the optimizer and the fit."""
    if max_seconds is None and callback is None:
        return devfun
    evaluations = 0

    def deviance(theta):
        nonlocal evaluations
        value = devfun(theta)
        evaluations += 1
        elapsed = time.perf_counter() - started
        if max_seconds is not None and elapsed > max_seconds:
            raise FitTimeLimit(elapsed, max_seconds, evaluations)
        if callback is not None:
            callback(FitProgress(evaluations, elapsed))
        return value

    return deviance


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds / 3600:.0f} hours"
