"""Stage 3 of lmer(), like lme4's optimizeLmer: minimise the profiled deviance over theta.

The default, "nloptwrap", is lme4's: NLopt's BOBYQA with lme4's xtol_abs = ftol_abs = 1e-8
and maxeval = 1e5, beside nloptr's own default xtol_rel = 1e-4 (which nloptr always sets and
NLopt itself does not; for BOBYQA it sets the final trust-region radius, so it decides where
a flat likelihood stops). The other optimizers are lme4's allFit() list, each with the
settings lme4 gives it (see OPTIMIZERS); every one reports lme4's convergence code, 0 = fine.
"""

from __future__ import annotations

import contextlib
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import nlopt
import numpy as np
import scipy.optimize

from .nelder_mead import nelder_mead

__all__ = ["OptSummary", "OPTIMIZERS", "ALL_FIT", "DEFAULT", "optimize_theta"]

DEFAULT = "nloptwrap"
MAXFUN = 100_000  # allFit's maxfun, passed to every optimizer


@dataclass(frozen=True)
class OptSummary:
    """Where the optimizer stopped and how it got there; code is lme4's convergence code."""

    theta: np.ndarray
    fmin: float
    feval: int
    optimizer: str
    converged: bool
    message: str
    seconds: float
    code: int = 0

    @property
    def family(self) -> str:
        """lme4's optimizer name ("nloptwrap" for "nloptwrap.NLOPT_LN_BOBYQA")."""
        return self.optimizer.split(".")[0]

    @property
    def warning(self) -> str | None:
        """lme4's optwrap warning for a non-zero convergence code, else None."""
        if self.code == 0:
            return None
        return f"convergence code {self.code} from {self.family}: {self.message}"


class Stop(NamedTuple):
    """What an optimizer returns: its point, value, evaluations and lme4's code and message."""

    x: np.ndarray
    fmin: float
    feval: int
    code: int
    message: str


# ----- NLopt --------------------------------------------------------------------------------
# nloptr's texts for NLopt's return codes (what lme4's "convergence code" warnings quote).
NLOPTR_MESSAGES = {
    nlopt.SUCCESS: "NLOPT_SUCCESS: Generic success return value.",
    nlopt.STOPVAL_REACHED: "NLOPT_STOPVAL_REACHED: Optimization stopped because stopval "
                           "(above) was reached.",
    nlopt.FTOL_REACHED: "NLOPT_FTOL_REACHED: Optimization stopped because ftol_rel or "
                        "ftol_abs (above) was reached.",
    nlopt.XTOL_REACHED: "NLOPT_XTOL_REACHED: Optimization stopped because xtol_rel or "
                        "xtol_abs (above) was reached.",
    nlopt.MAXEVAL_REACHED: "NLOPT_MAXEVAL_REACHED: Optimization stopped because maxeval "
                           "(above) was reached.",
    nlopt.ROUNDOFF_LIMITED: "NLOPT_ROUNDOFF_LIMITED: Roundoff errors led to a breakdown of "
                            "the optimization algorithm. In this case, the returned minimum "
                            "may still be useful. (e.g. this error occurs in NEWUOA if one "
                            "tries to achieve a tolerance too close to machine precision.)",
}


@dataclass(frozen=True)
class _NLopt:
    """One NLopt algorithm with fixed stopping rules; first_step(x0) gives its first step
    (None: NLopt's default), code(status) -> (lme4's code, message)."""

    algorithm: int
    tolerances: dict
    code: Callable[[int], tuple[int, str]]
    first_step: Callable[[np.ndarray], np.ndarray | None] = lambda x0: None

    def __call__(self, fun, x0, lower, initial_step=None) -> Stop:
        step = self.first_step(x0) if initial_step is None else initial_step
        try:
            x, fmin, evals, status = self._run(fun, x0, lower, step)
        except nlopt.RoundoffLimited:
            # nlopt raises without its point; nloptr reports code -4 and keeps it. The
            # algorithms are deterministic, so a second run that records points finds it
            # (recording on every run would cost the usual fit ~5% more).
            best = _Best(fun)
            with contextlib.suppress(nlopt.RoundoffLimited):
                self._run(best, x0, lower, step)
            x, fmin, evals, status = best.x, best.f, best.evals, nlopt.ROUNDOFF_LIMITED
        return Stop(x, fmin, evals, *self.code(status))

    def _run(self, fun, x0, lower, step):
        opt = nlopt.opt(self.algorithm, len(x0))
        opt.set_min_objective(lambda x, grad: fun(x))
        opt.set_lower_bounds(lower)
        for name, value in self.tolerances.items():
            getattr(opt, f"set_{name}")(value)
        opt.set_maxeval(MAXFUN)
        if step is not None:
            opt.set_initial_step(step)
        x = opt.optimize(x0)
        return x, opt.last_optimum_value(), opt.get_numevals(), opt.last_optimize_result()


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


def _nloptwrap_code(status: int) -> tuple[int, str]:
    """lme4's nloptwrap: conv = status if status < 0 or status == 5 (maxeval) else 0."""
    code = status if status < 0 or status == nlopt.MAXEVAL_REACHED else 0
    return code, NLOPTR_MESSAGES.get(status, f"NLopt status {status}")


def _minqa_code(status: int) -> tuple[int, str]:
    """minqa's bobyqa: ierr 1 for maxfun; NLopt's roundoff stop keeps NLopt's own code."""
    if status == nlopt.MAXEVAL_REACHED:
        return 1, "bobyqa -- maximum number of function evaluations exceeded"
    if status < 0:
        return _nloptwrap_code(status)
    return 0, "Normal exit from bobyqa"


def _minqa_rhobeg(x0: np.ndarray) -> np.ndarray:
    """minqa's rhobeg, min(0.95, 0.2 max|par|), as every coordinate's first step."""
    rhobeg = min(0.95, 0.2 * float(np.max(np.abs(x0)))) or 0.2 * 0.001  # lme4: par 0 -> 0.001
    return np.full(len(x0), rhobeg)


def _lme4_nelder_mead(fun, x0, lower, initial_step=None) -> Stop:
    """lme4's Nelder_Mead (nelder_mead.py) with lme4's defaults and allFit's maxfun."""
    xst = 0.02 if initial_step is None else initial_step
    x, fmin, evals, status = nelder_mead(fun, x0, lower, xst=xst, maxfun=MAXFUN)
    if status == "maxfun":
        return Stop(x, fmin, evals, 4, f"failure to converge in {MAXFUN} evaluations")
    return Stop(x, fmin, evals, 0, "parameter values converged to within tolerance")


# ----- optim's L-BFGS-B (via optimx) ----------------------------------------------------------
def _optim_gradient(fun, x, lower, ndeps=1e-3):
    """R optim's numerical gradient for L-BFGS-B: central differences of step ndeps, the
    lower point moved onto a bound it would cross (and the step shortened to match)."""
    grad = np.empty(len(x))
    for i in range(len(x)):
        up, down = x.copy(), x.copy()
        up[i] += ndeps
        down[i] = max(x[i] - ndeps, lower[i])
        grad[i] = (fun(up) - fun(down)) / (up[i] - down[i])
    return grad


def _optimx_lbfgsb(fun, x0, lower, initial_step=None) -> Stop:  # L-BFGS-B takes no first step
    """optimx(method = "L-BFGS-B") is R's optim: L-BFGS-B with m = 5, factr = 1e7, pgtol = 0,
    maxit from allFit, and optim's gradient. scipy runs the same L-BFGS-B (Byrd, Lu, Nocedal
    and Zhu) with these settings."""
    calls = [0]

    def value_and_gradient(x):
        calls[0] += 2  # optim counts one call of fn and one of its gradient
        return fun(x), _optim_gradient(fun, x, lower)

    bounds = [(lo if np.isfinite(lo) else None, None) for lo in lower]
    options = {"maxcor": 5, "ftol": 1e7 * np.finfo(float).eps, "gtol": 0.0, "maxiter": MAXFUN,
               "maxfun": 100 * MAXFUN}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = scipy.optimize.minimize(value_and_gradient, x0, jac=True, method="L-BFGS-B",
                                      bounds=bounds, options=options)
    # optim's codes: 1 = maxit reached, 52 = an error in L-BFGS-B (e.g. a failed line search).
    # R's optim runs the 1990s Netlib L-BFGS-B, scipy its 2011 version 3.0: on a flat surface
    # they can stop apart.
    code = {0: 0, 1: 1}.get(res.status, 52)
    return Stop(res.x, float(res.fun), calls[0], code, str(res.message))


_NLOPTWRAP_TOLERANCES = {"xtol_rel": 1e-4, "xtol_abs": 1e-8, "ftol_abs": 1e-8}

# name -> run(fun, x0, lower, initial_step=None) -> Stop. Names are lme4's allFit() names.
OPTIMIZERS: dict[str, Callable[..., Stop]] = {
    # lmer's default: lme4's nloptwrap (NLopt's BOBYQA, see the module docstring).
    "nloptwrap": _NLopt(nlopt.LN_BOBYQA, _NLOPTWRAP_TOLERANCES, _nloptwrap_code),
    # minqa's bobyqa (Powell's Fortran BOBYQA) with its defaults: rhobeg = min(0.95,
    # 0.2 max|par|), rhoend = 1e-6 rhobeg, no other stop. NLopt's BOBYQA is Powell's code
    # translated, run with those settings (xtol_rel sets rhoend = xtol_rel * rhobeg); it
    # always uses 2n + 1 interpolation points where minqa uses n + 2.
    "bobyqa": _NLopt(nlopt.LN_BOBYQA, {"xtol_rel": 1e-6}, _minqa_code, _minqa_rhobeg),
    # lme4's own Nelder-Mead, a variant of NLopt's (nelder_mead.py).
    "Nelder_Mead": _lme4_nelder_mead,
    "optimx.L-BFGS-B": _optimx_lbfgsb,
    "nloptwrap.NLOPT_LN_NELDERMEAD": _NLopt(nlopt.LN_NELDERMEAD, _NLOPTWRAP_TOLERANCES,
                                            _nloptwrap_code),
    "nloptwrap.NLOPT_LN_BOBYQA": _NLopt(nlopt.LN_BOBYQA, _NLOPTWRAP_TOLERANCES,
                                        _nloptwrap_code),
}

# lme4's allFit() list, in its order, without the two that have no Python implementation:
# "nlminbwrap" (the PORT library's nlminb) and "nmkbw" (dfoptim's nmkb, Kelley's bounded
# Nelder-Mead). A stand-in under their names would report another algorithm as theirs.
ALL_FIT = ("bobyqa", "Nelder_Mead", "optimx.L-BFGS-B", "nloptwrap.NLOPT_LN_NELDERMEAD",
           "nloptwrap.NLOPT_LN_BOBYQA")


def optimize_theta(devfun: Callable, theta0: np.ndarray, lower: np.ndarray,
                   optimizer: str = DEFAULT, *, initial_step: np.ndarray | None = None,
                   restart_edge: bool = True, boundary_tol: float = 1e-5) -> OptSummary:
    """Minimise devfun from theta0 within the lower bounds; never raises on non-convergence.

    initial_step sets the NLopt optimizers' first step per parameter (nloptwrap's default,
    NLopt's 0.75 |theta0|, suits lme4's cold start; a warm start near the optimum, as a
    bootstrap refit's, converges in fewer evaluations with a smaller one). L-BFGS-B ignores
    it. Then lme4's optimizeLmer: restart_edge (if the optimizer stopped with a variance
    parameter on its bound and the deviance falls 1e-5 inside, run again from there; feval
    counts both runs) and check.boundary (a variance parameter within boundary_tol of its
    bound goes onto it if that lowers the deviance).
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(
            f"Unknown optimizer {optimizer!r}. Choose one of: {', '.join(OPTIMIZERS)}."
        )
    step = {} if initial_step is None else {"initial_step": np.asarray(initial_step, float)}
    lower = np.asarray(lower, float)
    start = time.perf_counter()
    stop = _run(devfun, theta0, lower, optimizer, step)
    if restart_edge and _falls_off_the_edge(devfun, stop.x, stop.fmin, lower):
        more = _run(devfun, stop.x, lower, optimizer, step)
        stop = more._replace(feval=stop.feval + more.feval)
    if boundary_tol > 0:
        stop = _check_boundary(devfun, stop, lower, boundary_tol)
    return OptSummary(stop.x, stop.fmin, stop.feval, optimizer, stop.code == 0, stop.message,
                      time.perf_counter() - start, stop.code)


def _run(devfun, theta0, lower, optimizer, step) -> Stop:
    """One optimizer run; theta clamped to the bounds and the deviance there."""
    stop = OPTIMIZERS[optimizer](devfun, np.asarray(theta0, float), lower, **step)
    theta = np.maximum(np.asarray(stop.x, dtype=float), lower)
    return stop._replace(x=theta, fmin=float(devfun(theta)))


def _falls_off_the_edge(devfun, theta, fmin, lower, btol=1e-5) -> bool:
    """lme4's restart_edge test: is the deviance lower btol inside a bound theta sits on?"""
    for i in np.flatnonzero(theta == lower):
        inside = theta.copy()
        inside[i] = lower[i] + btol
        if devfun(inside) < fmin:
            return True
    return False


def _check_boundary(devfun, stop: Stop, lower, tol) -> Stop:
    """lme4's check.boundary: each parameter within tol of its bound goes onto it if that
    (with the moves before it) gives a lower deviance than the optimizer's point."""
    near = np.flatnonzero((stop.x - lower > 0) & (stop.x - lower < tol))
    if not len(near):
        return stop
    theta = stop.x.copy()
    for i in near:
        trial = theta.copy()
        trial[i] = lower[i]
        if devfun(trial) < stop.fmin:
            theta[i] = lower[i]
    return stop._replace(x=theta, fmin=float(devfun(theta)))
