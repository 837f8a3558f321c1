"""Stage 3 of lmer(), like lme4's optimizeLmer: minimise the profiled deviance over theta.

The default is lme4's default: NLopt's BOBYQA with xtol_abs = ftol_abs = 1e-8 ("nloptwrap").
Other optimizers are here so that all_fit() can compare them, as lme4's allFit() does.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import nlopt
import numpy as np
import scipy.optimize

__all__ = ["OptSummary", "OPTIMIZERS", "optimize_theta"]


@dataclass(frozen=True)
class OptSummary:
    """Where the optimizer stopped and how it got there."""

    theta: np.ndarray
    fmin: float
    feval: int
    optimizer: str
    converged: bool
    message: str
    seconds: float


def _nlopt(algorithm, xtol=1e-8, ftol=1e-8):
    def run(fun, x0, lower):
        opt = nlopt.opt(algorithm, len(x0))
        opt.set_min_objective(lambda x, grad: fun(x))
        opt.set_lower_bounds(lower)
        opt.set_xtol_abs(xtol)
        opt.set_ftol_abs(ftol)
        opt.set_maxeval(100_000)
        x = opt.optimize(x0)
        status = opt.last_optimize_result()
        ok = status > 0 and status != nlopt.MAXEVAL_REACHED
        return x, opt.last_optimum_value(), opt.get_numevals(), ok, _NLOPT_STATUS.get(status, "")

    return run


_NLOPT_STATUS = {
    nlopt.SUCCESS: "success",
    nlopt.STOPVAL_REACHED: "stopval reached",
    nlopt.FTOL_REACHED: "ftol_abs reached",
    nlopt.XTOL_REACHED: "xtol_abs reached",
    nlopt.MAXEVAL_REACHED: "maximum number of evaluations reached",
    nlopt.ROUNDOFF_LIMITED: "roundoff limited",
}


def _scipy(method, **options):
    def run(fun, x0, lower):
        bounds = [(lo if np.isfinite(lo) else None, None) for lo in lower]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = scipy.optimize.minimize(fun, x0, method=method, bounds=bounds, options=options)
        return res.x, float(res.fun), int(res.nfev), bool(res.success), str(res.message)

    return run


OPTIMIZERS: dict[str, Callable] = {
    "bobyqa": _nlopt(nlopt.LN_BOBYQA),
    "nelder_mead": _nlopt(nlopt.LN_NELDERMEAD, xtol=1e-10, ftol=1e-10),
    "lbfgsb": _scipy("L-BFGS-B", ftol=1e-12, gtol=1e-8, maxiter=10_000),
    "powell": _scipy("Powell", xtol=1e-8, ftol=1e-12, maxiter=50_000),
    "cobyqa": _scipy("COBYQA", final_tr_radius=1e-8, maxfev=20_000),
    "trust_constr": _scipy("trust-constr", xtol=1e-10, gtol=1e-8, maxiter=5_000),
}


def optimize_theta(devfun: Callable, theta0: np.ndarray, lower: np.ndarray,
                   optimizer: str = "bobyqa") -> OptSummary:
    """Minimise devfun from theta0 within the lower bounds; never raises on non-convergence."""
    if optimizer not in OPTIMIZERS:
        raise ValueError(
            f"Unknown optimizer {optimizer!r}. Choose one of: {', '.join(OPTIMIZERS)}."
        )
    start = time.perf_counter()
    theta, fmin, feval, ok, message = OPTIMIZERS[optimizer](devfun, np.asarray(theta0, float),
                                                            np.asarray(lower, float))
    theta = np.maximum(np.asarray(theta, dtype=float), lower)
    return OptSummary(theta, float(devfun(theta)), feval, optimizer, ok, message,
                      time.perf_counter() - start)
