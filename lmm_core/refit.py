"""refit(): the same model again, with a new response, by ML, from another start or with
another optimizer; and the final stage every fit shares (lme4's mkMerMod).

As lme4's refit() and refitML(), a refit reuses the fit's model matrices (and, for the same
response, its cross-products), starts at the fit's theta and runs the optimizer once
(optwrap: no restart_edge or check.boundary, which lmer's optimizeLmer adds); refitML uses
minqa's bobyqa, as lme4's does. anova's ML refits, profile, all_fit and the p-values game
use it. It returns a new fit of the same class (nothing is cached on the old one), so this
module needs neither the results nor the api module.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .convergence import check_convergence
from .devfun import fast_deviance
from .deviance import cross_products
from .errors import FitError, LmmError
from .optimize import OPTIMIZERS, OptSummary, optimize_theta

__all__ = ["refit", "refit_ml", "fit_parts", "with_response"]

REFIT_ML_OPTIMIZER = "bobyqa"  # lme4's refitML(x, optimizer = "bobyqa")


def refit(fit, y=None, *, reml: bool | None = None, start=None, optimizer: str | None = None,
          check_conv: bool = True, edge_checks: bool = False):
    """The fit's model refitted: to a new response y, by REML or ML (reml=False is lme4's
    refitML), from start (default: the fit's theta), with optimizer (default: the fit's;
    minqa's bobyqa for refitML). edge_checks adds lmer's restart_edge and check.boundary
    (all_fit refits as lmer does); check_conv=False skips lme4's derivative checks."""
    reml = fit.reml if reml is None else bool(reml)
    mm = fit.mm if y is None else with_response(fit.mm, y)
    cp = fit.cp if y is None else cross_products(mm)
    theta0 = _start(fit, start)
    if optimizer is None:
        ml = fit.reml and not reml and y is None and start is None
        optimizer = REFIT_ML_OPTIMIZER if ml else fit.opt.optimizer
    if optimizer not in OPTIMIZERS:
        raise LmmError(f"Unknown optimizer {optimizer!r}. Choose one of: {', '.join(OPTIMIZERS)}.")
    devfun = fast_deviance(cp, reml).deviance
    opt = optimize_theta(devfun, theta0, mm.lower, optimizer, restart_edge=edge_checks,
                         boundary_tol=1e-5 if edge_checks else 0.0)
    parts = fit_parts(mm, cp, reml, devfun, opt, check_conv=check_conv)
    return type(fit)(**parts, data_name=fit.data_name)


def refit_ml(fit):
    """lme4's refitML: the fit itself if it is ML, else refitted by ML (no derivative checks,
    as lme4's refitML does not check convergence)."""
    return fit if not fit.reml else refit(fit, reml=False, check_conv=False)


def fit_parts(mm, cp, reml: bool, devfun, opt: OptSummary, *, check_conv: bool = True) -> dict:
    """Stage 4 (lme4's mkMerMod): the optimizer's result and lme4's checks, as the fields of
    a fit (which solves for beta, b and sigma when first asked)."""
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
    return {"mm": mm, "cp": cp, "reml": reml, "opt": opt, "messages": tuple(messages),
            "conv": conv}


def with_response(mm, y):
    """The model matrices with another response (same rows, same length)."""
    y = np.asarray(y, dtype=float)
    if y.shape != mm.y.shape:
        raise LmmError(f"A new response needs {mm.n} values (one per row used in the fit), "
                       f"got {y.size}.")
    if not np.all(np.isfinite(y)):
        raise LmmError("A new response must be finite numbers: it has missing or infinite "
                       "values.")
    return replace(mm, y=y)


def _start(fit, start) -> np.ndarray:
    if start is None:
        return np.asarray(fit.theta, dtype=float)
    theta = np.asarray(start, dtype=float).reshape(-1)
    k = len(fit.theta)
    if theta.size != k or not np.all(np.isfinite(theta)):
        raise LmmError(f"start must be {k} finite numbers (one per theta: "
                       f"{', '.join(fit.mm.theta_names)}), got {np.asarray(start).tolist()}.")
    return np.maximum(theta, fit.mm.lower)
