"""Stage 3 of lmer(), like lme4's optimizeLmer: minimise the profiled deviance over theta.

The default is lme4's default: NLopt's BOBYQA with xtol_abs = ftol_abs = 1e-8 ("nloptwrap").
Other optimizers are here so that all_fit() can compare them, as lme4's allFit() does.
"""

from __future__ import annotations

import contextlib
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
    def run(fun, x0, lower, initial_step=None):
        settings = (algorithm, x0, lower, initial_step, xtol, ftol)
        try:
            return _run_nlopt(fun, *settings)
        except nlopt.RoundoffLimited:
            # nlopt raises without its point; lme4's nloptwrap reports code -4 and keeps it.
            # The algorithms are deterministic, so a second run that records points finds it
            # (recording on every run would cost the usual fit ~5% more).
            best = _Best(fun)
            with contextlib.suppress(nlopt.RoundoffLimited):
                _run_nlopt(best, *settings)
            return best.x, best.f, best.evals, False, _NLOPT_STATUS[nlopt.ROUNDOFF_LIMITED]

    return run


def _run_nlopt(fun, algorithm, x0, lower, initial_step, xtol, ftol):
    opt = nlopt.opt(algorithm, len(x0))
    opt.set_min_objective(lambda x, grad: fun(x))
    opt.set_lower_bounds(lower)
    opt.set_xtol_abs(xtol)
    opt.set_ftol_abs(ftol)
    opt.set_maxeval(100_000)
    if initial_step is not None:
        opt.set_initial_step(initial_step)
    x = opt.optimize(x0)
    status = opt.last_optimize_result()
    ok = status > 0 and status != nlopt.MAXEVAL_REACHED
    return x, opt.last_optimum_value(), opt.get_numevals(), ok, _NLOPT_STATUS.get(status, "")


class _Best:
    """fun, remembering the lowest value it returned and where."""

    def __init__(self, fun):
        self.fun, self.f, self.x, self.evals = fun, np.inf, None, 0

    def __call__(self, x):
        f = self.fun(x)
        self.evals += 1
        if f < self.f or self.x is None:
            self.f, self.x = f, x.copy()
        return f


_NLOPT_STATUS = {
    nlopt.SUCCESS: "success",
    nlopt.STOPVAL_REACHED: "stopval reached",
    nlopt.FTOL_REACHED: "ftol_abs reached",
    nlopt.XTOL_REACHED: "xtol_abs reached",
    nlopt.MAXEVAL_REACHED: "maximum number of evaluations reached",
    nlopt.ROUNDOFF_LIMITED: "roundoff limited",
}


def _scipy(method, **options):
    def run(fun, x0, lower, initial_step=None):  # scipy's methods take no first step
        bounds = [(lo if np.isfinite(lo) else None, None) for lo in lower]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = scipy.optimize.minimize(fun, x0, method=method, bounds=bounds, options=options)
        return res.x, float(res.fun), int(res.nfev), bool(res.success), str(res.message)

    return run


# name -> run(fun, x0, lower[, initial_step=]) -> (x, fmin, evaluations, converged, message)
OPTIMIZERS: dict[str, Callable] = {
    "bobyqa": _nlopt(nlopt.LN_BOBYQA),
    "nelder_mead": _nlopt(nlopt.LN_NELDERMEAD, xtol=1e-10, ftol=1e-10),
    "lbfgsb": _scipy("L-BFGS-B", ftol=1e-12, gtol=1e-8, maxiter=10_000),
    "powell": _scipy("Powell", xtol=1e-8, ftol=1e-12, maxiter=50_000),
    "cobyqa": _scipy("COBYQA", final_tr_radius=1e-8, maxfev=20_000),
    "trust_constr": _scipy("trust-constr", xtol=1e-10, gtol=1e-8, maxiter=5_000),
}


def optimize_theta(devfun: Callable, theta0: np.ndarray, lower: np.ndarray,
                   optimizer: str = "bobyqa", *, initial_step: np.ndarray | None = None,
                   restart_edge: bool = True) -> OptSummary:
    """Minimise devfun from theta0 within the lower bounds; never raises on non-convergence.

    initial_step sets the NLopt optimizers' first step per parameter (NLopt's default,
    0.75 |theta0|, suits lme4's cold start; a warm start near the optimum, as a bootstrap
    refit's, converges in fewer evaluations with a smaller one). scipy's optimizers ignore it.
    restart_edge is lme4's (optimizeLmer): BOBYQA can stall on a bound it reached early, so
    if it stops with a variance parameter on its bound and the deviance falls 1e-5 inside,
    it runs again from there; feval counts both runs.
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(
            f"Unknown optimizer {optimizer!r}. Choose one of: {', '.join(OPTIMIZERS)}."
        )
    step = {} if initial_step is None else {"initial_step": np.asarray(initial_step, float)}
    lower = np.asarray(lower, float)
    start = time.perf_counter()
    theta, fmin, feval, ok, message = _run(devfun, theta0, lower, optimizer, step)
    if restart_edge and _falls_off_the_edge(devfun, theta, fmin, lower):
        theta, fmin, more, ok, message = _run(devfun, theta, lower, optimizer, step)
        feval += more
    return OptSummary(theta, fmin, feval, optimizer, ok, message, time.perf_counter() - start)


def _run(devfun, theta0, lower, optimizer, step):
    """One optimizer run; theta clamped to the bounds and the deviance there."""
    theta, _, feval, ok, message = OPTIMIZERS[optimizer](devfun, np.asarray(theta0, float),
                                                         lower, **step)
    theta = np.maximum(np.asarray(theta, dtype=float), lower)
    return theta, float(devfun(theta)), feval, ok, message


def _falls_off_the_edge(devfun, theta, fmin, lower, btol=1e-5) -> bool:
    """lme4's restart_edge test: is the deviance lower btol inside a bound theta sits on?"""
    for i in np.flatnonzero(theta == lower):
        inside = theta.copy()
        inside[i] = lower[i] + btol
        if devfun(inside) < fmin:
            return True
    return False
