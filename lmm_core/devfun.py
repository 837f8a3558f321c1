"""The fastest exact profiled deviance for a set of cross-products: what the optimizer calls.

An lmer() fit evaluates the deviance 50 to 300 times, lme4's convergence check 2k^2 + 1 more
(k = len(theta)), and a bootstrap does both again for every replicate, so the cost of one
evaluation is the cost of a fit. deviance.factorize is the general algorithm and also yields
what solve_pls needs (u, b, RX); the deviance alone can be had faster by exploiting the
model's structure. fast_deviance() picks, from the cross-products alone, one of

- OneFactor: one grouping factor with q <= 2 (random intercepts; intercept and slope) whose
  Z columns are not nearly collinear: closed forms with the response folded in once, so an
  evaluation is a few tiny products and one (p+1) x (p+1) Cholesky (sleepstudy: ~8x faster);
- PerLevel: one grouping factor otherwise (q of 3 to 8, or nearly collinear columns) and too
  many random effects for Dense to be quicker: deviance.py's per-level Cholesky, vectorized
  over the levels (Oxboys' 26 boys x 3 effects: 2.3x faster than Dense);
- Dense: otherwise, with few random effects in all (several factors, q > 2, or nearly
  collinear columns): the whole PLS system as one dense matrix and one LAPACK Cholesky
  (Penicillin: ~60x faster than the sparse bookkeeping);
- Blocked: anything larger (InstEval, the 70,000-row crossed design): blocked.TailSystem,
  deviance.py's blocked algorithm with its sparse products turned into work done once.

All four give make_deviance's value to rounding error (tests compare them), so the choice
changes the time of a fit and nothing else. Each has deviance(theta) -> float (inf where the
system is not positive definite; theta a float ndarray, as optimizers pass it),
beta_sigma(theta) -> (beta, sigma) at an optimum, and with_response(cp) -> the same model for
another response's cross-products (a parametric bootstrap sample), reusing the y-free work.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import scipy.linalg.lapack
import scipy.sparse as sp

from .blocked import tail_system
from .deviance import LOG2PI, Block, CrossProducts, profiled_deviance
from .errors import LmmError

__all__ = ["fast_deviance", "per_level_suits", "Levels", "OneFactor", "PerLevel", "Dense",
           "Blocked", "DENSE_MAX", "PER_LEVEL_MAX_Q", "PER_LEVEL_MIN", "WEIGHTS_MAX",
           "COLLINEAR_TOL"]

PER_LEVEL_MAX_Q = 8  # one factor with up to this many effects per level: PerLevel ...
PER_LEVEL_MIN = 60  # ... beats Dense from this size of the dense system on (Oxboys, 82: 2.3x)
DENSE_MAX = 300  # up to this many random + fixed effects, one dense Cholesky beats the blocks
WEIGHTS_MAX = 2_000_000  # values in OneFactor's folded weights (16 MB) beyond which it is not
COLLINEAR_TOL = 1e-4  # OneFactor needs 1 - cos^2 of the angle between Z's two columns above this

_potrf, _trtrs = scipy.linalg.lapack.dpotrf, scipy.linalg.lapack.dtrtrs


def fast_deviance(cp: CrossProducts, reml: bool) -> OneFactor | PerLevel | Dense | Blocked:
    """The fastest exact deviance for these cross-products (all equal make_deviance's)."""
    m, q = cp.A11.shape[:2]
    if len(cp.blocks) == 1 and q <= 2 and m * 5 * (cp.p + 1) ** 2 <= WEIGHTS_MAX \
            and not _nearly_collinear(cp.A11):
        return OneFactor(cp, reml)
    if len(cp.blocks) == 1 and per_level_suits(q, m * q + cp.p + 1):
        return PerLevel(cp, reml)
    if m * q + cp.qr + cp.p + 1 <= DENSE_MAX:
        return Dense(cp, reml)
    return Blocked(cp, reml)


def per_level_suits(q: int, size: int) -> bool:
    """Is PerLevel the faster way for one grouping factor with q effects per level, whose
    dense system (random + fixed effects + 1) would have ``size`` columns?"""
    return q <= PER_LEVEL_MAX_Q and size > PER_LEVEL_MIN


def _nearly_collinear(A11: np.ndarray) -> bool:
    """Are the first factor's two Z columns nearly collinear over all its rows?

    An uncentred covariate far from zero (calendar years, say) in (x | g) makes OneFactor's
    closed forms lose digits that a Cholesky factorization keeps. Against exact rational
    arithmetic at theta = (20, -0.01, 0.01), sleepstudy with Days + 2000 (1 - cos^2 = 2e-6):
    OneFactor 1e-8 relative error, Dense 5e-12, make_deviance 4e-11; with Days + 1e5: 2e-6,
    3e-9 and 7e-9. With Days + 100 (8e-4) all are below 1e-11 at the thetas tried. Such a
    model is what lme4's "Rescale variables?" is about.
    """
    if A11.shape[1] != 2:
        return False
    (a, b), (_, c) = A11.sum(axis=0)
    return not a * c - b * b > COLLINEAR_TOL * a * c


def _from_diagonal(diag: list[float], ldL2: float, n: int, p: int, reml: bool) -> float:
    """The deviance from the diagonal of [X y]'s factor: RX's, then sqrt(pwrss)."""
    *dx, dy = diag
    return profiled_deviance(ldL2, 2.0 * sum(map(math.log, dx)), dy * dy, n, p, reml)


def _beta_sigma(L: np.ndarray, dof: int) -> tuple[np.ndarray, float]:
    """beta = RX'^-1 c and sigma from the factor's [X y] rows, as deviance.solve_pls."""
    p = L.shape[0] - 1
    beta = _trtrs(L[:p, :p], L[p, :p], lower=1, trans=1)[0] if p else np.zeros(0)
    return beta, float(L[p, p]) / math.sqrt(dof)


def _not_positive_definite() -> LmmError:
    return LmmError("the penalized least squares system is not positive definite")


class Levels:
    """What one grouping factor's Z'Z gives the deviance, per level i (y-free, theta-free).

    With M_i = I + Lambda' A_i Lambda (A_i = Z_i'Z_i), the PLS system on [X y] leaves the Schur
    complement S = [X y]'[X y] - sum_i r_i' W_i r_i, W_i = Lambda M_i^-1 Lambda', r_i =
    Z_i'[X y], and log|L|^2 = sum_i log|M_i| (JSS sec. 3). For q <= 2 both are linear in a few
    numbers c(theta): q = 1: W_i |M_i| = l^2, |M_i| = 1 + l^2 a_i. q = 2 (the 2 x 2 adjugate
    identities): W_i |M_i| = Lambda Lambda' + |Lambda|^2 adj(A_i) and |M_i| = 1 +
    tr(A_i Lambda Lambda') + |Lambda|^2 |A_i|. So |M_i| = c . D_i and r_i' W_i r_i |M_i| =
    c . weights_i with D and weights fixed: no per-level factorization. This is not deviance.py's
    per-level Cholesky written differently: it trades the Cholesky's backward stability for
    speed, which is why fast_deviance checks _nearly_collinear first.
    """

    def __init__(self, block: Block, A11: np.ndarray):
        self.q = q = block.q
        where = {(r, c): k for r, c, k in zip(block.lam_rows, block.lam_cols, block.lam_theta,
                                              strict=True)}
        self.index = [int(where.get(rc, -1)) for rc in zip(*np.tril_indices(q), strict=True)]
        self.A11 = A11
        a = A11[:, 0, 0]
        ones = np.ones_like(a)  # pairs with the constant 1 that coef() appends: |M_i| = 1 + ...
        if q == 1:
            self.D = np.stack([a, ones])
        else:
            b, c = A11[:, 1, 0], A11[:, 1, 1]
            self.D = np.stack([a, 2.0 * b, c, np.maximum(a * c - b * b, 0.0), ones])

    def coef(self, theta: np.ndarray) -> np.ndarray:
        """c(theta): Lambda Lambda' (unique entries), for q = 2 |Lambda|^2, then 1."""
        th = theta.tolist()
        lam = [th[k] if k >= 0 else 0.0 for k in self.index]
        if self.q == 1:
            return np.array([lam[0] * lam[0], 1.0])
        l00, l10, l11 = lam
        return np.array([l00 * l00, l00 * l10, l10 * l10 + l11 * l11, (l00 * l11) ** 2, 1.0])

    def weights(self, r: np.ndarray) -> np.ndarray:
        """Per level, the products of r_i's rows that c(theta) multiplies: (..., m, len(c) * k^2)
        for r (..., m, q, k) (leading axes: several responses, batch_refit.py).

        (c . weights_i) / |M_i| is then r_i' W_i r_i, so the reduction sum_i r_i' W_i r_i is
        one small matrix product per theta.
        """
        lead, k = r.shape[:-2], r.shape[-1]
        zero = np.zeros((*lead, k * k))  # the constant 1 in c(theta) adds nothing to S
        g00 = r[..., 0, :, None] * r[..., 0, None, :]
        if self.q == 1:
            return np.concatenate([g00.reshape(*lead, k * k), zero], axis=-1)
        g11 = r[..., 1, :, None] * r[..., 1, None, :]
        g10 = r[..., 0, :, None] * r[..., 1, None, :]
        g10 = g10 + np.swapaxes(g10, -1, -2)
        A = self.A11  # adj(A_i) = [[A_i11, -A_i10], [-A_i10, A_i00]]
        adj = (A[:, 1, 1, None, None] * g00 - A[:, 1, 0, None, None] * g10
               + A[:, 0, 0, None, None] * g11)
        return np.concatenate([g.reshape(*lead, k * k) for g in (g00, g10, g11, adj)] + [zero],
                              axis=-1)


class OneFactor:
    """One grouping factor, q <= 2: S = [X y]'[X y] - sum_i r_i' W_i r_i in closed form.

    With Levels, the reduction is c(theta) . sum_i weights_i / |M_i|: the weights are computed
    once per response, leaving per theta two small matrix products and a LAPACK Cholesky of S.
    """

    def __init__(self, cp: CrossProducts, reml: bool, levels: Levels | None = None):
        self.levels = levels or Levels(cp.blocks[0], cp.A11)
        self.reml, self.dof = reml, cp.n - cp.p if reml else cp.n
        self.offset = cp.beta_offset
        self.factor, self.deviance = self._closures(cp)

    def _closures(self, cp: CrossProducts):
        """factor and deviance as closures over local names. The optimizer calls them ~40
        times per fit (a bootstrap 40,000 times) and the arrays are tiny, so call overhead is
        the cost: hence ndarray.dot (half the overhead of @ here), math on lists, one log of a
        product where it cannot overflow, and no attribute lookups."""
        coef, D, G = self.levels.coef, self.levels.D, self.levels.weights(cp.A1t)
        att, k, n, p, reml = cp.Att.ravel(), cp.p + 1, cp.n, cp.p, self.reml
        shape, potrf, inv, log, prod = (D.shape[0], k * k), _potrf, np.reciprocal, math.log, \
            math.prod
        nu = n - p if reml else n
        const = nu * (1.0 + LOG2PI - math.log(nu))

        def factor(theta: np.ndarray):
            """(lower Cholesky factor of S, LAPACK's info, |M_i| per level)."""
            c = coef(theta)
            det = c.dot(D)
            L, info = potrf((att - c.dot(inv(det).dot(G).reshape(shape))).reshape(k, k),
                            lower=1)
            return L, info, det

        def deviance(theta: np.ndarray) -> float:
            L, info, det = factor(theta)
            *dx, dy = L.diagonal().tolist()
            if info != 0 or not dy > 0:
                return math.inf
            ldL2 = det.prod()  # each |M_i| >= 1: only overflow (to inf) can spoil it
            ldL2 = log(ldL2) if ldL2 < math.inf else float(np.log(det).sum())
            rx = prod(dx)
            ldRX2 = 2.0 * log(rx) if 0.0 < rx < math.inf else 2.0 * sum(map(log, dx))
            return ldL2 + (ldRX2 if reml else 0.0) + const + 2.0 * nu * log(dy)

        return factor, deviance

    def beta_sigma(self, theta: np.ndarray) -> tuple[np.ndarray, float]:
        L, info, _ = self.factor(np.asarray(theta, dtype=float))
        if info != 0 or not L[-1, -1] > 0:
            raise _not_positive_definite()
        beta, sigma = _beta_sigma(L, self.dof)
        return beta + self.offset, sigma

    def with_response(self, cp: CrossProducts) -> OneFactor:
        return OneFactor(cp, self.reml, self.levels)


class PerLevel:
    """One grouping factor, any number of levels, q <= PER_LEVEL_MAX_Q: level by level.

    Z'Z is block diagonal, so the PLS system's Schur complement on [X y] is S = [X y]'[X y] -
    sum_i w_i'w_i with w_i = C_i^-1 Lambda' r_i, where C_i is the Cholesky factor of M_i = I +
    Lambda' A_i Lambda, and log|L|^2 = sum_i log|M_i| (JSS sec. 3). This is deviance.py's
    per-level factorization (backward stable, so nearly collinear columns are fine) with the
    loops turned around: the q x q Cholesky and the triangular solve run column by column,
    each step one numpy operation over all m levels at once. An evaluation is then ~q^3/2
    such operations, two small matrix products and a (p+1)-square LAPACK Cholesky (Oxboys'
    q = 3 quadratic growth curves: 2-3x faster than Dense's 82-square matrix).
    """

    def __init__(self, cp: CrossProducts, reml: bool):
        block, k = cp.blocks[0], cp.p + 1
        q, m = block.q, block.m
        self.block, self.q, self.m, self.k = block, q, m, k
        # A_i's entry (a, b) in row a * q + b, r_i's (a, t) in row a, column t * m + i: the
        # levels run along the last axis, so per-level numbers broadcast without reshaping.
        self.A = np.ascontiguousarray(cp.A11.reshape(m, -1).T)
        self.R = np.ascontiguousarray(cp.A1t.transpose(1, 2, 0)).reshape(q, k * m)
        self.Att, self.offset = cp.Att, cp.beta_offset
        self.n, self.p, self.reml = cp.n, cp.p, reml

    def _factor(self, theta: np.ndarray):
        """(lower Cholesky factor of S or None, log|L|^2)."""
        q, m, k = self.q, self.m, self.k
        lam = self.block.lam(theta)
        # (Lambda' A_i Lambda)_ab = sum_cd l_ca l_db A_cd: kron(lam, lam)' A, without np.kron
        M = (lam[:, None, :, None] * lam[None, :, None, :]).reshape(q * q, q * q).T.dot(self.A)
        V = lam.T.dot(self.R).reshape(q, k, m)  # Lambda' r_i
        C: dict[tuple[int, int], np.ndarray] = {}
        W, pivots = [], []
        for j in range(q):
            d = M[j * q + j] + 1.0
            for s in range(j):
                d = d - C[j, s] * C[j, s]
            pivots.append(d)  # >= 1: M_i >= I
            root = np.sqrt(d)
            for i in range(j + 1, q):
                e = M[i * q + j]
                for s in range(j):
                    e = e - C[i, s] * C[j, s]
                C[i, j] = e / root
            v = V[j]
            for s in range(j):
                v = v - C[j, s] * W[s]
            W.append(v / root)
        det = math.prod(pivots)  # |M_i|, each pivot >= 1
        ldL2 = float(np.log(det).sum())
        if not math.isfinite(ldL2):  # the product overflowed
            ldL2 = float(sum(np.log(d).sum() for d in pivots))
        Wf = np.concatenate(W, axis=1)  # (k, q * m)
        L, info = _potrf(self.Att - Wf.dot(Wf.T), lower=1)
        return (None if info != 0 or not L[-1, -1] > 0 else L), ldL2

    def deviance(self, theta: np.ndarray) -> float:
        L, ldL2 = self._factor(theta)
        if L is None:
            return math.inf
        return _from_diagonal(L.diagonal().tolist(), ldL2, self.n, self.p, self.reml)

    def beta_sigma(self, theta: np.ndarray) -> tuple[np.ndarray, float]:
        L, _ = self._factor(np.asarray(theta, dtype=float))
        if L is None:
            raise _not_positive_definite()
        beta, sigma = _beta_sigma(L, self.n - self.p if self.reml else self.n)
        return beta + self.offset, sigma

    def with_response(self, cp: CrossProducts) -> PerLevel:
        return PerLevel(cp, self.reml)


class Dense:
    """Few random effects: the PLS system as one dense matrix.

    B(theta) = T' C T + diag(1 per random effect, 0 for [X y]), with C = [Z X y]'[Z X y] and
    T = blockdiag(Lambda, I). Its lower Cholesky factor holds L, RX and sqrt(pwrss) on the
    diagonal (JSS eqs. 18-19), like deviance.factorize's blocked one; at this size one LAPACK
    call is much faster than the sparse bookkeeping (Penicillin: 16 against 1000 us). Lambda
    diagonal (random intercepts only): T' C T = C * d d', no matrix products.
    """

    def __init__(self, cp: CrossProducts, reml: bool):
        first, k = cp.blocks[0], cp.p + 1
        m, q = first.m, first.q
        self.qt = qt = m * q + cp.qr
        level = np.arange(m)[:, None, None] * q
        A11 = np.zeros((m * q, m * q))
        A11[level + np.arange(q)[:, None], level + np.arange(q)] = cp.A11
        Z1T = cp.A1t.reshape(m * q, k)
        A1r, Arr = (a.toarray() if sp.issparse(a) else a for a in (cp.A1r, cp.Arr))
        self.C = np.block([[A11, A1r, Z1T], [A1r.T, Arr, cp.Art], [Z1T.T, cp.Art.T, cp.Att]])
        base = np.arange(m)[:, None] * q
        self.rows = np.concatenate([(base + first.lam_rows).ravel(), m * q + cp.lam_r_rows])
        cols = np.concatenate([(base + first.lam_cols).ravel(), m * q + cp.lam_r_cols])
        self.idx = np.concatenate([np.tile(first.lam_theta, m), cp.lam_r_theta])
        self.diagonal = bool(np.array_equal(self.rows, cols))
        self.cols, self.E = cols, np.diag(np.r_[np.ones(qt), np.zeros(k)])
        self.T0 = np.diag(np.r_[np.zeros(qt), np.ones(k)]) if not self.diagonal else np.ones(qt + k)
        self.n, self.p, self.reml, self.offset = cp.n, cp.p, reml, cp.beta_offset

    def _factor(self, theta: np.ndarray):
        T = self.T0.copy()
        if self.diagonal:
            T[self.rows] = theta[self.idx]
            B = self.C * np.multiply.outer(T, T) + self.E
        else:
            T[self.rows, self.cols] = theta[self.idx]
            B = T.T @ self.C @ T + self.E
        L, info = _potrf(B, lower=1)
        return None if info != 0 or not L[-1, -1] > 0 else L

    def deviance(self, theta: np.ndarray) -> float:
        L = self._factor(theta)
        if L is None:
            return math.inf
        d = L.diagonal()
        ldL2 = 2.0 * float(np.log(d[: self.qt]).sum())
        return _from_diagonal(d[self.qt :].tolist(), ldL2, self.n, self.p, self.reml)

    def beta_sigma(self, theta: np.ndarray) -> tuple[np.ndarray, float]:
        L = self._factor(np.asarray(theta, dtype=float))
        if L is None:
            raise _not_positive_definite()
        beta, sigma = _beta_sigma(L[self.qt :, self.qt :], self.n - self.p if self.reml else self.n)
        return beta + self.offset, sigma

    def with_response(self, cp: CrossProducts) -> Dense:
        """Only C's last row and column hold y: [Z X y]'y."""
        new = copy.copy(self)
        new.offset = cp.beta_offset
        new.C = self.C.copy()
        new.C[:, -1] = new.C[-1, :] = np.concatenate([cp.A1t[:, :, -1].ravel(), cp.Art[:, -1],
                                                      cp.Att[:, -1]])
        return new


class Blocked:
    """Many random effects: blocked.TailSystem, the tail's Schur complement with its symbolic
    work done once (one sparse or BLAS product and one LAPACK Cholesky per theta), kept with
    cp for the fit's Satterthwaite df (blocked.tail_system)."""

    def __init__(self, cp: CrossProducts, reml: bool):
        self.tail = tail_system(cp)
        self.n, self.p, self.reml, self.offset = cp.n, cp.p, reml, cp.beta_offset

    def deviance(self, theta: np.ndarray) -> float:
        pieces = self.tail.pieces(theta)
        if pieces is None:
            return math.inf
        return profiled_deviance(*pieces, self.n, self.p, self.reml)

    def beta_sigma(self, theta: np.ndarray) -> tuple[np.ndarray, float]:
        solved = self.tail.solve(np.asarray(theta, dtype=float))
        if solved is None:
            raise _not_positive_definite()
        (_, _, pwrss), beta, _ = solved
        return beta + self.offset, math.sqrt(pwrss / (self.n - self.p if self.reml else self.n))

    def with_response(self, cp: CrossProducts) -> Blocked:
        return Blocked(cp, self.reml)
