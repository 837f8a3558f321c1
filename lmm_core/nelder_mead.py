"""lme4's own Nelder-Mead (its optimizer "Nelder_Mead"), step for step.

lme4 (src/optimizer.cpp) translated NLopt 2.2.4's nldrmd into a C++ state machine and changed
it on the way: it stops only when every vertex is within xt of the centroid in every
coordinate (no test on function values, although lme4 accepts FtolAbs), accepts a reflected
point that beats the worst vertex (NLopt: the second worst), keeps an expansion that beats the
worst vertex, and re-evaluates every vertex after a shrink. NLopt's current Nelder-Mead,
with any settings, takes another path and can stop elsewhere on a flat likelihood (on
sleepstudy it stops with a gradient warning that lme4 does not give), so this module follows
lme4's code. The defaults are lme4's Nelder_Mead() defaults: xst = 0.02, xt = 5e-4 xst.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["nelder_mead"]

ALPHA, BETA, GAMMA, DELTA = 1.0, 0.5, 2.0, 0.5  # reflect, contract, expand, shrink


class _Stopped(Exception):
    """Raised inside the loop when lme4's optimizer would return."""

    def __init__(self, status: str):
        self.status = status


class _Counted:
    """fun with lme4's bookkeeping: the best point seen, and the evaluation limit."""

    def __init__(self, fun: Callable, maxfun: int):
        self.fun, self.maxfun, self.evals = fun, maxfun, 0
        self.fmin, self.xmin = np.inf, None

    def __call__(self, x: np.ndarray) -> float:
        f = float(self.fun(x))
        self.evals += 1
        if f < self.fmin:
            self.fmin, self.xmin = f, x.copy()
        if self.evals > self.maxfun:
            raise _Stopped("maxfun")
        return f


def nelder_mead(fun: Callable, x0: np.ndarray, lower: np.ndarray, upper: np.ndarray | None = None,
                *, xst: float | np.ndarray = 0.02, xt: np.ndarray | None = None,
                maxfun: int = 10_000) -> tuple[np.ndarray, float, int, str]:
    """Minimise fun within bounds as lme4's Nelder_Mead; (x, f, evaluations, status) with
    status "xtol" (converged) or "maxfun"."""
    x0 = np.asarray(x0, float)
    n = len(x0)
    lower = np.asarray(lower, float)
    upper = np.full(n, np.inf) if upper is None else np.asarray(upper, float)
    xst = np.broadcast_to(np.asarray(xst, float), (n,))
    xt = xst * 5e-4 if xt is None else np.broadcast_to(np.asarray(xt, float), (n,))
    pts = _initial_simplex(x0, lower, upper, xst)
    counted = _Counted(fun, maxfun)
    try:
        _run(counted, pts, lower, upper, xt)
        status = "xtol"
    except _Stopped as stop:
        status = stop.status
    return counted.xmin, counted.fmin, counted.evals, status


def _initial_simplex(x, lower, upper, xst) -> np.ndarray:
    """x and x + xst[i] e_i, moved inside the bounds as lme4 does (rows are vertices)."""
    pts = np.tile(x, (len(x) + 1, 1))
    for i in range(len(x)):
        p = x[i] + xst[i]
        if p > upper[i]:
            p = upper[i] if upper[i] - x[i] > abs(xst[i]) * 0.1 else x[i] - abs(xst[i])
        if p < lower[i]:
            if x[i] - lower[i] > abs(xst[i]) * 0.1:
                p = lower[i]
            else:
                p = x[i] + abs(xst[i])
                if p > upper[i]:
                    p = 0.5 * ((upper[i] if upper[i] - x[i] > x[i] - lower[i] else lower[i]) + x[i])
        if _close(p, x[i]):
            raise ValueError("cannot generate feasible simplex")
        pts[i + 1, i] = p
    return pts


def _run(f: _Counted, pts: np.ndarray, lower, upper, xt) -> None:
    """lme4's restart / postreflect / postexpand / postcontract stages as one loop."""
    n = pts.shape[1]
    vals = np.array([f(p) for p in pts])
    while True:
        il, ih = int(np.argmin(vals)), int(np.argmax(vals))
        fl, fh = vals[il], vals[ih]
        c = (pts.sum(axis=0) - pts[ih]) / n
        if np.all(np.abs(pts - c).max(axis=0) < xt):
            return
        xr = _reflect(c, ALPHA, pts[ih], c, lower, upper)
        fr = f(xr)
        if fr < fl:  # new best point: try to expand
            xe = _reflect(c, GAMMA, pts[ih], c, lower, upper)
            fe = f(xe)
            pts[ih], vals[ih] = (xe, fe) if fe < vals[ih] else (xr, fr)
        elif fr < fh:  # better than the worst: accept
            pts[ih], vals[ih] = xr, fr
        else:  # contract, outside or inside
            xc = _reflect(c, -BETA if fh <= fr else BETA, pts[ih], c, lower, upper)
            fc = f(xc)
            if fc < fr and fc < fh:
                pts[ih], vals[ih] = xc, fc
            else:  # shrink towards the best vertex and evaluate every vertex again
                for i in range(n + 1):
                    if i != il:
                        pts[i] = _reflect(pts[il], -DELTA, pts[i], c, lower, upper)
                vals = np.array([f(p) for p in pts])


def _reflect(centre, scale, xold, centroid, lower, upper) -> np.ndarray:
    """centre + scale (centre - xold) pinned to the bounds; stops the run (converged) when it
    coincides with the centroid or with xold, as lme4's reflectpt."""
    xnew = np.minimum(np.maximum(centre + scale * (centre - xold), lower), upper)
    if all(map(_close, xnew, centroid)) or all(map(_close, xnew, xold)):
        raise _Stopped("xtol")
    return xnew


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-13 * (abs(a) + abs(b))
