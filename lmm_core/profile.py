"""Profile-likelihood confidence intervals, as lme4's profile() and confint(method="profile").

lme4 (R/profile.R) refits a REML fit by ML first and profiles the ML deviance:

- a variance parameter (a standard deviation or correlation of the random effects, or sigma)
  is fixed and the deviance minimised over the others, on lme4's sd/cor scale;
- a fixed effect beta_j is fixed and the deviance minimised over theta (profiled over sigma
  and the other betas).

zeta(x) = sign(x - x_hat) sqrt(deviance(x) - deviance(x_hat)) is then compared with the
normal quantile. lme4 evaluates zeta on a grid and interpolates with splines; here each end
point is found by root finding on zeta itself, so intervals agree with lme4's to the accuracy
of its splines (about 1e-4 relative). Both profiles reuse the full model's factorization:
with beta_j fixed at b, the penalized RSS is pwrss + (b - beta_hat_j)^2 / [(RX'RX)^-1]_jj.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import nlopt
import numpy as np
import scipy.linalg
import scipy.stats

from .deviance import LOG2PI, factorize, profiled_deviance
from .parameters import sdcor, theta_from_sdcor
from .refit import refit_ml

__all__ = ["profile_confint"]


# ----- the deviance as a function of the profiled parameters ------------------------------
@dataclass(frozen=True)
class _Problem:
    """An ML fit, and what both kinds of profile need from it."""

    fit: object
    base: float  # ML deviance at the estimates
    vp: np.ndarray  # sd/cor parameters and sigma at the estimates
    vp_lower: np.ndarray
    vp_upper: np.ndarray

    def deviance_vp(self, pars: np.ndarray) -> float:
        """ML deviance at sd/cor/sigma, profiled over beta (lme4's devfun2)."""
        sigma = pars[-1]
        theta = theta_from_sdcor(self.fit.mm, pars) if sigma > 0 else None
        f = None if theta is None else factorize(self.fit.cp, theta)
        if f is None:
            return np.inf
        n = self.fit.nobs
        return f.ldL2 + f.pwrss / sigma**2 + n * (LOG2PI + 2.0 * np.log(sigma))

    def deviance_fe(self, theta: np.ndarray, j: int, b: float) -> float:
        """ML deviance with beta_j = b, profiled over sigma and the other betas."""
        f = factorize(self.fit.cp, theta)
        if f is None:
            return np.inf
        qr, p = f.qr, f.p
        rx_inv = scipy.linalg.solve_triangular(f.RX, np.eye(p), lower=True, check_finite=False)
        beta = rx_inv.T @ f.Ltail[-1, qr : qr + p] + self.fit.cp.beta_offset
        r = f.pwrss + (b - beta[j]) ** 2 / (rx_inv[:, j] @ rx_inv[:, j])
        return profiled_deviance(f.ldL2, f.ldRX2, r, self.fit.nobs, p, reml=False)


def _problem(fit) -> _Problem:
    ml = refit_ml(fit)
    vp = sdcor(ml.mm, ml.theta, ml.sigma, undefined=0.0)
    lower = np.concatenate([np.where(ml.mm.lower == 0, 0.0, -1.0), [0.0]])
    upper = np.concatenate([np.where(ml.mm.lower == 0, np.inf, 1.0), [np.inf]])
    return _Problem(ml, ml.objective, vp, lower, upper)


def _minimize(fun, x0: np.ndarray, lower: np.ndarray, upper: np.ndarray):
    """Bounded derivative-free minimum (BOBYQA; COBYLA in one dimension, where BOBYQA fails)."""
    best = [np.inf, np.clip(x0, lower, upper)]

    def objective(x, grad):
        value = fun(x)
        if value < best[0]:
            best[:] = [value, x.copy()]
        return value

    opt = nlopt.opt(nlopt.LN_BOBYQA if len(x0) > 1 else nlopt.LN_COBYLA, len(x0))
    opt.set_min_objective(objective)
    opt.set_lower_bounds(lower)
    opt.set_upper_bounds(upper)
    opt.set_ftol_abs(1e-8)
    opt.set_xtol_abs(1e-7)
    opt.set_maxeval(5000)
    opt.set_initial_step(np.maximum(0.01 * np.abs(best[1]), 0.001))
    with contextlib.suppress(nlopt.RoundoffLimited, ValueError, RuntimeError):  # keep the best
        opt.optimize(best[1])
    return best[0], best[1]


# ----- zeta functions ---------------------------------------------------------------------
def _warm_start(seen: dict, x: float) -> np.ndarray:
    """Optimum of the other parameters, extrapolated linearly from the two nearest points."""
    near = sorted(seen, key=lambda s: abs(s - x))[:2]
    if len(near) == 1:
        return seen[near[0]]
    (x1, x2), (r1, r2) = near, (seen[near[0]], seen[near[1]])
    return r1 + (x - x1) * (r2 - r1) / (x2 - x1)


def _vp_zeta(prob: _Problem, w: int):
    """zeta as a function of variance parameter w; remembers optima for warm starts."""
    others = np.arange(len(prob.vp)) != w
    seen = {prob.vp[w]: prob.vp[others]}

    def zeta(x: float) -> float:
        start = _warm_start(seen, x)

        def dev(rest):
            pars = np.empty(len(prob.vp))
            pars[w], pars[others] = x, rest
            return prob.deviance_vp(pars)

        value, rest = _minimize(dev, start, prob.vp_lower[others], prob.vp_upper[others])
        seen[x] = rest
        return np.sign(x - prob.vp[w]) * np.sqrt(max(value - prob.base, 0.0))

    return zeta


def _fe_zeta(prob: _Problem, j: int):
    fit = prob.fit
    est = fit.pls.beta[j]
    seen = {est: np.asarray(fit.theta, float)}
    lower, upper = fit.mm.lower, np.full(len(fit.theta), np.inf)

    def zeta(b: float) -> float:
        start = _warm_start(seen, b)
        value, theta = _minimize(lambda t: prob.deviance_fe(t, j, b), start, lower, upper)
        seen[b] = theta
        return np.sign(b - est) * np.sqrt(max(value - prob.base, 0.0))

    return zeta


# ----- end points -------------------------------------------------------------------------
def _crossing(zeta, x0: float, step: float, target: float, lo: float, hi: float) -> float:
    """x with zeta(x) = target, searching away from x0 (zeta(x0) = 0); the bound if the
    profile never gets there (lme4 reports the bound then)."""
    memo = {x0: 0.0}

    def f(x):
        if x not in memo:
            memo[x] = zeta(x)
        return memo[x] - target

    direction = np.sign(target)
    a, b = x0, float(np.clip(x0 + direction * step, lo, hi))
    for _ in range(60):
        if f(b) * direction >= 0:
            return _illinois(f, a, b)
        if b in (lo, hi):
            return b
        za, zb = f(a) + target, f(b) + target
        slope = (zb - za) / (b - a)
        jump = (target - zb) / slope * 1.1 if slope * direction > 0 else 2.0 * (b - a)
        jump = float(np.clip(jump, -4 * abs(b - a), 4 * abs(b - a)))
        a, b = b, float(np.clip(b + jump, lo, hi))
    return np.nan


def _illinois(f, a: float, b: float, tol: float = 1e-6) -> float:
    """Root of f in [a, b] (opposite signs) by regula falsi with the Illinois modification;
    zeta is nearly linear in the parameter, so two or three steps reach |f| < tol."""
    fa, fb, side, c = f(a), f(b), 0, b
    for _ in range(50):
        if fb == fa:
            break
        c = (a * fb - b * fa) / (fb - fa)
        fc = f(c)
        if abs(fc) < tol or c in (a, b):
            break
        if fc * fb > 0:
            b, fb = c, fc
            fa, side = (fa / 2, -1) if side == -1 else (fa, -1)
        else:
            a, fa = c, fc
            fb, side = (fb / 2, 1) if side == 1 else (fb, 1)
    return c


def profile_confint(fit, level: float = 0.95, which=None) -> np.ndarray:
    """(lower, upper) per parameter, in the order of parameters.parameter_names; rows not in
    `which` (positions; default all) are NaN."""
    prob = _problem(fit)
    z = scipy.stats.norm.ppf(0.5 + level / 2.0)
    nvp = len(prob.vp)
    which = range(nvp + fit.mm.p) if which is None else which
    out = np.full((nvp + fit.mm.p, 2), np.nan)
    for k in which:
        out[k] = _vp_interval(prob, k, z) if k < nvp else _fe_interval(prob, k - nvp, z)
    return out


def _vp_interval(prob: _Problem, w: int, z: float) -> tuple[float, float]:
    zeta, x0 = _vp_zeta(prob, w), prob.vp[w]
    step = 0.5 * abs(x0) if x0 != 0 else 0.1 * prob.vp[-1]
    lo, hi = prob.vp_lower[w], prob.vp_upper[w]
    lower = lo if x0 <= lo else _crossing(zeta, x0, step, -z, lo, hi)
    upper = hi if x0 >= hi else _crossing(zeta, x0, step, z, lo, hi)
    return lower, upper


def _fe_interval(prob: _Problem, j: int, z: float) -> tuple[float, float]:
    zeta, b0 = _fe_zeta(prob, j), prob.fit.pls.beta[j]
    step = z * np.sqrt(prob.fit.vcov().to_numpy()[j, j])
    return tuple(_crossing(zeta, b0, step, t, -np.inf, np.inf) for t in (-z, z))
