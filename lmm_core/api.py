"""lmer(): lme4's four stages chained, and nothing else."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from .convergence import check_convergence
from .design import ModelMatrices, model_matrices
from .devfun import fast_deviance
from .deviance import CrossProducts, cross_products, solve_pls
from .errors import FitError
from .formula import parse_formula
from .optimize import DEFAULT, OptSummary, optimize_theta
from .results import LmerFit

__all__ = ["lmer", "fit_matrices", "merge_fit"]


def lmer(formula: str, data: pd.DataFrame, reml: bool = True, *, optimizer: str = DEFAULT,
         check_conv: bool = True, data_name: str | None = None) -> LmerFit:
    """Fit a linear mixed model as lme4's lmer(formula, data, REML = reml)."""
    parsed = parse_formula(formula)
    mm = model_matrices(parsed, data)
    return fit_matrices(mm, reml, optimizer=optimizer, check_conv=check_conv,
                        data_name=data_name or "data")


def fit_matrices(mm: ModelMatrices, reml: bool, *, y: np.ndarray | None = None,
                 optimizer: str = DEFAULT, check_conv: bool = True,
                 theta0: np.ndarray | None = None, data_name: str = "data") -> LmerFit:
    """Stages 2-4 on prepared model matrices (bootstraps call this with a new response y).

    The optimizer and lme4's derivative checks only need the deviance, so they use the
    fastest exact one for the model's structure (devfun.py); the general blocked algorithm
    (deviance.solve_pls) then gives beta, u, b and the factor once, at the optimum.
    """
    if y is not None:
        mm = _with_response(mm, y)
    cp = cross_products(mm)
    devfun = fast_deviance(cp, reml).deviance
    start = mm.theta0 if theta0 is None else np.asarray(theta0, float)
    opt = optimize_theta(devfun, start, mm.lower, optimizer)
    return merge_fit(mm, cp, reml, devfun, opt, check_conv=check_conv, data_name=data_name)


def merge_fit(mm: ModelMatrices, cp: CrossProducts, reml: bool, devfun, opt: OptSummary, *,
              check_conv: bool = True, data_name: str = "data") -> LmerFit:
    """Stage 4, lme4's mkMerMod: the optimizer's result, lme4's checks and the solution."""
    if not np.isfinite(opt.fmin):
        raise FitError(
            "The model could not be fitted: the deviance is not finite at the estimates. "
            "This happens when the response is constant or perfectly predicted by the fixed "
            "effects. Check the response column and the fixed-effect terms."
        )
    messages = list(mm.messages)
    if opt.warning:
        messages.append(opt.warning)
    conv = check_convergence(devfun, opt.theta, opt.fmin, mm.lower) if check_conv else None
    if conv:
        messages += conv.messages
    pls = solve_pls(cp, opt.theta, reml)
    return LmerFit(mm, cp, reml, opt, pls, tuple(messages), conv, data_name)


def _with_response(mm: ModelMatrices, y) -> ModelMatrices:
    y = np.asarray(y, dtype=float)
    if y.shape != mm.y.shape:
        raise ValueError(f"A new response needs {mm.n} values, got {y.shape}.")
    return replace(mm, y=y)
