"""Many refits of one small model at once: the parametric bootstrap's inner loop.

A parametric bootstrap refits the same model (same X and Z) to a thousand responses. Refitted
one at a time, each costs ~40 deviance evaluations inside NLopt's BOBYQA, and the call
overhead is most of it. For one grouping factor with q <= 2 (devfun.OneFactor's models) the
profiled deviance is a closed form in theta (devfun.Levels): with c(theta) a few polynomials
of theta, |M_i| = c . D_i and r_i'W_i r_i |M_i| = c . G_i, so

    S(theta) = [X y]'[X y] - sum_i (c . G_i) / (c . D_i),

and ldL2 = sum_i log(c . D_i), ldRX2 = log|S_XX|, pwrss = S_yy - S_yX S_XX^-1 S_Xy. These
are rational in theta, so their exact gradient and Hessian follow from c's (the profiled
pwrss by the envelope theorem). All replicates then take Newton steps together (numpy over
replicates and levels): a projected Newton method for theta's lower bounds, each step
safeguarded (eigenvalues of the Hessian made positive, backtracking until the deviance
decreases). It stops at the optimum itself (a step below 1e-9), where BOBYQA stops within
its tolerances of it.

A replicate is accepted only where the free Hessian is positive definite at the point it
stops (a strict local minimum); the others (a saddle on the boundary, no convergence in
MAX_ITER steps, a non-finite deviance) are flagged, and bootstrap.py refits them one by one
with lme4's optimizer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .devfun import Levels, OneFactor
from .deviance import LOG2PI, CrossProducts

__all__ = ["refit_many", "BatchRefit", "BatchResult", "MAX_ITER", "XTOL"]

MAX_ITER = 50  # Newton steps before a replicate is left to the one-by-one refit
XTOL = 1e-9  # converged: a full Newton step below XTOL * max(1, |theta|) in every coordinate
ARMIJO = 1e-4  # sufficient decrease in the backtracking line search ...
ROUNDING = 1e-13  # ... up to this relative rounding error of the deviance
FLAT = 1e-8  # curvature below this share of the largest counts as none
HALVINGS = 40  # backtracking steps per Newton step (the last is 1e-12 of the first)
BATCH_VALUES = 4_000_000  # per-level weights held at once (32 MB)


@dataclass(frozen=True)
class BatchResult:
    """Per replicate: theta, beta (less the response's beta_offset), sigma, and whether the
    Newton iteration reached a strict local minimum (False: refit it one by one)."""

    theta: np.ndarray  # (R, k)
    beta: np.ndarray  # (R, p)
    sigma: np.ndarray  # (R,)
    ok: np.ndarray  # (R,) bool


def _coefficients(levels: Levels, theta: np.ndarray, order: int = 0):
    """(c(theta),) (R, nc), or for order 2 (c, dc/dtheta (R, nc, k), d2c (R, nc, k, k))."""
    R, k = theta.shape
    lam = np.zeros((R, len(levels.index)))
    used = [e for e, i in enumerate(levels.index) if i >= 0]
    lam[:, used] = theta[:, [levels.index[e] for e in used]]
    c = np.empty((R, levels.D.shape[0]))
    c[:, -1] = 1.0
    if levels.q == 1:
        c[:, 0] = lam[:, 0] ** 2
    else:
        l0, l1, l2 = lam.T
        c[:, 0], c[:, 1], c[:, 2], c[:, 3] = l0 * l0, l0 * l1, l1 * l1 + l2 * l2, (l0 * l2) ** 2
    if order == 0:
        return (c,)
    nc, ne = c.shape[1], lam.shape[1]
    J, H = np.zeros((R, nc, ne)), np.zeros((R, nc, ne, ne))
    if levels.q == 1:
        J[:, 0, 0], H[:, 0, 0, 0] = 2.0 * lam[:, 0], 2.0
    else:
        J[:, 0, 0], J[:, 1, 0], J[:, 3, 0] = 2 * l0, l1, 2 * l0 * l2 * l2
        J[:, 1, 1], J[:, 2, 1] = l0, 2 * l1
        J[:, 2, 2], J[:, 3, 2] = 2 * l2, 2 * l0 * l0 * l2
        H[:, 0, 0, 0], H[:, 3, 0, 0] = 2.0, 2.0 * l2 * l2
        H[:, 1, 0, 1] = H[:, 1, 1, 0] = 1.0
        H[:, 3, 0, 2] = H[:, 3, 2, 0] = 4.0 * l0 * l2
        H[:, 2, 1, 1] = H[:, 2, 2, 2] = 2.0
        H[:, 3, 2, 2] = 2.0 * l0 * l0
    entry = [levels.index.index(i) for i in range(k)]  # theta_i's place among Lambda's
    return c, J[:, :, entry], H[:, :, entry][:, :, :, entry]


def refit_many(model, cp: CrossProducts, zty: np.ndarray, xty: np.ndarray, yty: np.ndarray,
               theta0: np.ndarray, lower: np.ndarray) -> BatchResult | None:
    """All replicates at once where the model allows it (a devfun.OneFactor), else None.

    zty (m*q, R) = Z'Y level-major, xty (p, R) = X'Y, yty (R,), Y less its fit on X."""
    if not isinstance(model, OneFactor) or cp.p == 0:
        return None
    m, q = cp.A11.shape[:2]
    batch = BatchRefit(cp, model.reml, model.levels)
    return batch.refit(zty.T.reshape(-1, m, q), xty.T, yty, theta0, lower)


class BatchRefit:
    """The y-free parts of a one-factor model; refit(...) solves many responses at once."""

    def __init__(self, cp: CrossProducts, reml: bool, levels: Levels | None = None):
        self.levels = levels or Levels(cp.blocks[0], cp.A11)
        self.cp, self.reml, self.p = cp, reml, cp.p
        self.nu = cp.n - cp.p if reml else cp.n
        self.const = self.nu * (1.0 + LOG2PI - np.log(self.nu))

    def refit(self, zty: np.ndarray, xty: np.ndarray, yty: np.ndarray, theta0: np.ndarray,
              lower: np.ndarray) -> BatchResult:
        """Minimise the deviance for R responses given by Z_i'y (R, m, q), X'y (R, p) and
        y'y (R,), each y already less its least-squares fit on X (deviance.cross_products)."""
        cp, k, nc = self.cp, self.p + 1, self.levels.D.shape[0]
        m, q = cp.A11.shape[:2]
        step = max(1, BATCH_VALUES // (m * nc * k * k))  # weights() makes them all
        parts = [self._refit_some(zty[s:s + step], xty[s:s + step], yty[s:s + step],
                                  theta0, lower) for s in range(0, len(yty), step)]
        return BatchResult(*(np.concatenate(x) for x in zip(*parts, strict=True)))

    def arrays(self, zty: np.ndarray, xty: np.ndarray, yty: np.ndarray):
        """G (R, m, (nc - 1) * k(k+1)/2): per level the weights that c(theta) multiplies (c's
        constant last entry has none; S's unique entries), and [X y]'[X y] (R, k, k)."""
        R, p = len(yty), self.p
        r = np.broadcast_to(self.cp.A1t, (R, *self.cp.A1t.shape)).copy()
        r[:, :, :, -1] = zty
        m, nc, (a, b) = r.shape[1], self.levels.D.shape[0], np.triu_indices(p + 1)
        G = self.levels.weights(r).reshape(R, m, nc, p + 1, p + 1)[:, :, :-1, a, b]
        att = np.broadcast_to(self.cp.Att, (R, p + 1, p + 1)).copy()
        att[:, -1, :-1] = att[:, :-1, -1] = xty
        att[:, -1, -1] = yty
        return G.reshape(R, m, -1), att

    def _refit_some(self, zty, xty, yty, theta0, lower):
        G, att = self.arrays(zty, xty, yty)
        theta, ok = _newton(self, G, att, np.tile(theta0, (len(yty), 1)),
                            np.asarray(lower, float))
        S = self._schur(theta, G, att)[0]
        beta, pwrss = _beta_pwrss(S, self.p)
        return theta, beta, np.sqrt(pwrss / self.nu), ok & (pwrss > 0)

    def _schur(self, theta, G, att, order: int = 0):
        """S (R, k, k) and ldL2 (R,); for order 2 also dS (R, t, k, k), d2S (R, t, t, k, k)
        and ldL2's gradient and Hessian."""
        D = self.levels.D
        c, *dc = _coefficients(self.levels, theta, order)
        det = c @ D  # |M_i| (R, m)
        w, ldL2 = 1.0 / det, np.log(det).sum(axis=1)
        if order == 0:
            V0 = np.matmul(w[:, None, :], G).reshape(len(c), len(D) - 1, -1)
            return att - _symmetric(np.matmul(c[:, None, :-1], V0)[:, 0]), ldL2
        N, dN, d2N, g, h = _level_sums(c, *dc, D, w, G)
        return att - _symmetric(N), ldL2, -_symmetric(dN), -_symmetric(d2N), g, h

    def deviance(self, theta, G, att) -> np.ndarray:
        """The profiled deviance per replicate (inf where S is not positive definite)."""
        S, ldL2 = self._schur(theta, G, att)
        sign, ldRX2 = np.linalg.slogdet(S[:, :-1, :-1])
        _, pwrss = _beta_pwrss(S, self.p)
        with np.errstate(invalid="ignore", divide="ignore"):
            f = ldL2 + (ldRX2 if self.reml else 0.0) + self.const + self.nu * np.log(pwrss)
        return np.where((sign > 0) & (pwrss > 0) & np.isfinite(f), f, np.inf)

    def derivatives(self, theta, G, att):
        """Deviance (R,), gradient (R, t) and Hessian (R, t, t) per replicate.

        pwrss = v'Sv at v = [-beta; 1]: d pwrss = v'dS v, and (envelope theorem) d2 pwrss =
        v'd2S v - 2 (dS v)_X' S_XX^-1 (dS v)_X; log|S_XX| has the usual trace formulas."""
        S, ldL2, dS, d2S, g, h = self._schur(theta, G, att, order=2)
        R, t, k = dS.shape[:3]
        p = k - 1
        U = np.linalg.inv(S[:, :p, :p])
        beta = np.matmul(U, S[:, :p, -1:])[:, :, 0]
        v = np.concatenate([-beta, np.ones((R, 1))], axis=1)
        pwrss = np.sum(S[:, -1, :] * v, axis=1)
        dSv = np.matmul(dS, v[:, None, :, None])[..., 0]  # (R, t, k)
        d2Sv = np.matmul(d2S.reshape(R, t * t, k, k), v[:, None, :, None])[..., 0]
        pg = np.sum(dSv * v[:, None, :], axis=2)
        X = dSv[:, :, :p]
        ph = np.sum(d2Sv * v[:, None, :], axis=2).reshape(R, t, t) \
            - 2.0 * np.matmul(np.matmul(X, U), X.transpose(0, 2, 1))
        nu = self.nu
        f = ldL2 + self.const + nu * np.log(pwrss)
        grad = g + nu * pg / pwrss[:, None]
        hess = h + nu * (ph - pg[:, :, None] * pg[:, None, :] / pwrss[:, None, None]) \
            / pwrss[:, None, None]
        if self.reml:
            UdS = np.matmul(U[:, None], dS[:, :, :p, :p])  # (R, t, p, p)
            f = f + np.linalg.slogdet(S[:, :p, :p])[1]
            grad = grad + np.trace(UdS, axis1=2, axis2=3)
            tr_d2 = np.sum(U[:, None] * d2S.reshape(R, t * t, k, k)[:, :, :p, :p], axis=(2, 3))
            flat = UdS.reshape(R, t, p * p)
            hess = hess + tr_d2.reshape(R, t, t) \
                - np.matmul(flat, UdS.transpose(0, 1, 3, 2).reshape(R, t, p * p).transpose(0, 2, 1))
        return f, grad, hess


def _level_sums(c, J, H, D, w, G):
    """N = sum_i (c . G_i) / (c . D_i) (unique entries of S's complement), its first and
    second derivatives in theta, and ldL2's gradient and Hessian: every sum over levels is
    one batched product of per-level weights with G."""
    R, m = w.shape
    t, nc = J.shape[2], len(D) - 1  # G has no weights for c's constant last entry
    delta = np.einsum("rci,cm->rmi", J, D)  # d|M_i| / d theta
    eps = np.einsum("rcij,cm->rmij", H, D)
    w2, w3 = w * w, w * w * w
    weights = np.concatenate(
        [w[:, None, :], (w2[:, :, None] * delta).transpose(0, 2, 1),
         (w3[:, :, None, None] * delta[:, :, :, None] * delta[:, :, None, :])
         .reshape(R, m, t * t).transpose(0, 2, 1),
         (w2[:, :, None, None] * eps).reshape(R, m, t * t).transpose(0, 2, 1)], axis=1)
    V = np.matmul(weights, G).reshape(R, 1 + t + 2 * t * t, nc, -1)
    V0, V1 = V[:, 0], V[:, 1 : 1 + t]
    V23 = 2.0 * V[:, 1 + t : 1 + t + t * t] - V[:, 1 + t + t * t :]
    c, J, H = c[:, :-1], J[:, :-1], H[:, :-1]
    Jt, cc = J.transpose(0, 2, 1), c[:, None, None, :]  # contractions over c as matmuls
    N = np.matmul(c[:, None, :], V0)[:, 0]
    dN = np.matmul(Jt, V0) - np.matmul(cc, V1)[:, :, 0]
    JV1 = np.matmul(Jt, V1.transpose(0, 2, 1, 3).reshape(R, nc, -1)).reshape(R, t, t, -1)
    d2N = (np.matmul(H.reshape(R, nc, t * t).transpose(0, 2, 1), V0).reshape(R, t, t, -1)
           - JV1 - JV1.transpose(0, 2, 1, 3) + np.matmul(cc, V23)[:, :, 0].reshape(R, t, t, -1))
    g = np.einsum("rm,rmi->ri", w, delta)
    h = np.einsum("rm,rmij->rij", w, eps) - np.einsum("rmi,rmj->rij", w2[:, :, None] * delta,
                                                      delta)
    return N, dN, d2N, g, h


def _symmetric(x: np.ndarray) -> np.ndarray:
    """(..., k(k+1)/2) upper-triangle entries, row-major -> (..., k, k) symmetric."""
    k = int(round((np.sqrt(8 * x.shape[-1] + 1) - 1) / 2))
    a, b = np.triu_indices(k)
    out = np.empty((*x.shape[:-1], k, k))
    out[..., a, b] = x
    out[..., b, a] = x
    return out


def _beta_pwrss(S: np.ndarray, p: int):
    """beta = S_XX^-1 S_Xy and pwrss = S_yy - S_yX beta per replicate."""
    if p == 0:
        return np.zeros((len(S), 0)), S[:, -1, -1]
    beta = np.linalg.solve(S[:, :p, :p], S[:, :p, -1:])[:, :, 0]
    return beta, S[:, -1, -1] - np.einsum("ra,ra->r", beta, S[:, :p, -1])


def _newton(model: BatchRefit, G, att, theta, lower):
    """Projected Newton steps for all replicates at once: (theta, ok)."""
    theta, ok = theta.copy(), np.zeros(len(theta), dtype=bool)
    active = np.arange(len(theta))
    for _ in range(MAX_ITER):
        if not len(active):
            break
        th, Ga, atta = theta[active], G[active], att[active]
        f, g, H = model.derivatives(th, Ga, atta)
        finite = np.isfinite(f) & np.isfinite(g).all(axis=1) & np.isfinite(H).all(axis=(1, 2))
        step, psd, pd = _newton_step(np.where(finite[:, None], g, 0.0),
                                     np.where(finite[:, None, None], H, 0.0), th, lower)
        scale = XTOL * np.maximum(1.0, np.abs(th))
        done = finite & psd & np.all(np.abs(step) <= scale, axis=1)
        theta[active[done]] = np.maximum(th[done] + step[done], lower)
        ok[active[done]] = pd[done]
        go = finite & ~done
        moved, stalled = _line_search(model, Ga[go], atta[go], th[go], f[go], g[go], step[go],
                                      lower, scale[go])
        theta[active[go]] = moved
        ok[active[go][stalled]] = pd[go][stalled]  # no decrease left to find: converged
        keep = go.copy()
        keep[go] = ~stalled & np.isfinite(moved).all(axis=1)
        active = active[keep]
    return theta, ok


def _newton_step(g, H, theta, lower):
    """The Newton step on the free coordinates (those not held at a bound by a gradient
    pointing outward), and whether their Hessian is positive semidefinite and definite.

    Directions of (relatively) zero curvature get no step: at theta = 0 of an intercept in
    (x | g) the deviance depends on the slope's two thetas only through their norm, a flat
    valley of equal optima (lme4 reports the same sd and an undefined correlation from any
    of them, but not all of them are minima: such a replicate is left to the one-by-one
    refit). Negative eigenvalues are made positive, and a step along the most negative
    curvature is added (downhill, or into the feasible set where the gradient is zero, as at
    theta = 0 of an even direction), so that a saddle point is left rather than stopped at.
    """
    free = ~((theta <= lower) & (g > 0))
    k = H.shape[1]
    Hf = H * free[:, :, None] * free[:, None, :]
    Hf[:, np.arange(k), np.arange(k)] += ~free
    values, vectors = np.linalg.eigh(Hf)  # ascending
    size = np.maximum(1.0, np.abs(values).max(axis=1, keepdims=True))
    curved = np.abs(values) > FLAT * size
    coef = np.einsum("rij,ri->rj", vectors, g * free)
    coef = np.where(curved, coef / np.where(curved, np.abs(values), 1.0), 0.0)
    step = -np.einsum("rij,rj->ri", vectors, coef)
    psd = values[:, 0] >= -FLAT * size[:, 0]
    pd = values[:, 0] > FLAT * size[:, 0]
    v = vectors[:, :, 0]
    slope = np.einsum("ri,ri->r", g, v)
    inward = np.sum(v * (theta <= lower), axis=1)
    sign = np.where(slope != 0, -np.sign(slope), np.where(inward < 0, -1.0, 1.0))
    escape = 0.1 * np.maximum(1.0, np.abs(theta).max(axis=1))
    return step + np.where(psd, 0.0, sign * escape)[:, None] * v, psd, pd


def _line_search(model, G, att, theta, f, g, step, lower, scale):
    """Backtracking from the full step, projected onto the bounds, until the deviance
    decreases enough (Armijo; an increase within rounding error counts). Returns the new
    points (NaN where none was found) and which stalled: no decrease even with steps below
    XTOL, i.e. at the optimum to rounding error."""
    out, stalled = np.full_like(theta, np.nan), np.zeros(len(theta), dtype=bool)
    todo, alpha = np.arange(len(theta)), 1.0
    for _ in range(HALVINGS):
        if not len(todo):
            break
        trial = np.maximum(theta[todo] + alpha * step[todo], lower)
        f_new = model.deviance(trial, G[todo], att[todo])
        allowed = ARMIJO * np.einsum("ri,ri->r", g[todo], trial - theta[todo]) \
            + ROUNDING * np.abs(f[todo])
        good = f_new <= f[todo] + allowed
        out[todo[good]] = trial[good]
        tiny = ~good & np.all(np.abs(trial - theta[todo]) <= scale[todo], axis=1)
        out[todo[tiny]], stalled[todo[tiny]] = theta[todo[tiny]], True
        todo, alpha = todo[~good & ~tiny], alpha / 2.0
    return out, stalled
