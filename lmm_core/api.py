"""lmer(): lme4's four stages chained, and nothing else."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from .checks import scale_message
from .design import ModelMatrices, model_matrices
from .devfun import fast_deviance
from .deviance import CrossProducts, cross_products
from .formula import parse_formula
from .limits import FitProgress, check_limits, watched
from .optimize import DEFAULT, OptSummary, optimize_theta
from .refit import fit_parts, with_response
from .results import LmerFit
from .start import start_theta

__all__ = ["lmer", "fit_matrices", "merge_fit"]


def lmer(formula: str, data: pd.DataFrame, reml: bool = True, *, optimizer: str = DEFAULT,
         check_conv: bool = True, data_name: str | None = None,
         max_seconds: float | None = None,
         callback: Callable[[FitProgress], None] | None = None) -> LmerFit:
    """Fit a linear mixed model as lme4's lmer(formula, data, REML = reml).

    max_seconds stops a fit that runs longer (FitTimeLimit, an LmmError); callback is called
    with a FitProgress after every deviance evaluation and may stop the fit by raising.
    lmm_core.estimate_cost() says beforehand roughly how long a fit will take.
    """
    started = time.perf_counter()
    check_limits(max_seconds, callback)
    parsed = parse_formula(formula, getattr(data, "columns", None))  # names checked first
    mm = model_matrices(parsed, data)
    scale = scale_message(mm.X)
    if scale:
        mm = replace(mm, messages=(*mm.messages, scale))
    return fit_matrices(mm, reml, optimizer=optimizer, check_conv=check_conv,
                        data_name=data_name or "data",
                        limits=(started, max_seconds, callback))


def fit_matrices(mm: ModelMatrices, reml: bool, *, y: np.ndarray | None = None,
                 optimizer: str = DEFAULT, check_conv: bool = True,
                 theta0: np.ndarray | None = None, data_name: str = "data",
                 limits: tuple | None = None) -> LmerFit:
    """Stages 2-4 on prepared model matrices (bootstraps call this with a new response y).

    The optimizer and lme4's derivative checks only need the deviance, so they use the
    fastest exact one for the model's structure (devfun.py); the general blocked algorithm
    (deviance.solve_pls) then gives beta, u, b and the factor once, at the optimum.
    limits: (start time, max_seconds, callback), as lmer() takes them.
    """
    if y is not None:
        mm = with_response(mm, y)
    cp = cross_products(mm)
    devfun = fast_deviance(cp, reml).deviance
    if limits:
        devfun = watched(devfun, *limits)
    start = start_theta(mm) if theta0 is None else np.asarray(theta0, float)
    opt = optimize_theta(devfun, start, mm.lower, optimizer)
    return merge_fit(mm, cp, reml, devfun, opt, check_conv=check_conv, data_name=data_name)


def merge_fit(mm: ModelMatrices, cp: CrossProducts, reml: bool, devfun, opt: OptSummary, *,
              check_conv: bool = True, data_name: str = "data") -> LmerFit:
    """Stage 4, lme4's mkMerMod: the optimizer's result, lme4's checks and the solution."""
    return LmerFit(**fit_parts(mm, cp, reml, devfun, opt, check_conv=check_conv),
                   data_name=data_name)
