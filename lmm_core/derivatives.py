"""Exact first and second derivatives in theta of the profiled deviance's pieces.

lmerTest's Satterthwaite df need, at the estimates, the Hessian of the deviance
D(theta, sigma) and the Jacobian of vcov(beta) = sigma^2 (RX'RX)^-1. lmerTest takes them by
numerical differences (numDeriv: 49 deviance evaluations for three thetas); here they come
from one factorization, as trace formulas on the blocked inverse (the JSS paper's and
MixedModels.jl's gradient of the profiled deviance, taken to second order).

With T = blockdiag(Lambda, I), the PLS system of [Z X] is A(theta) = T'CT + E (C its cross-
products, E the identity on the random effects). If Lambda is invertible, D_i =
Lambda^-1 dLambda/dtheta_i is block diagonal (one small d_i per level of its grouping factor)
and A_i = D_i'(A - E) + (A - E)D_i, A_ij = D_i'(A - E)D_j + D_j'(A - E)D_i. So with
B = A^-1 and S_i = D_i + D_i' (every term in A itself cancels):

    d_i  log|A| = 2 tr(D_i) - 2 tr(B D_i)
    d_ij log|A| = tr(B Omega_ij) - 2 tr(D_i D_j) - tr(B S_i B S_j),
                  Omega_ij = 2 D_i D_j + 2 D_j D_i + D_i'D_j + D_j'D_i;
    d_i  pwrss  = -2 u'D_i u                     (u the PLS solution: envelope theorem)
    d_ij pwrss  = 2 u'(D_i'D_j + D_i D_j + D_j D_i)u - 2 (S_i u)'B(S_j u);
    d_i (RX'RX)^-1 = B_XZ S_i B_ZX.

REML differentiates log|A| (= ldL2 + ldRX2), ML the random effects' block of it (ldL2).
Only B's diagonal level blocks (summed), its X columns and tr(B S_i B S_j) are needed. The
first grouping factor is eliminated level by level (blocked.TailSystem): with F = A11^-1 A1t
and Sigma the inverse of the tail's Schur complement, B = [[A11^-1 + F Sigma F', -F Sigma],
[-Sigma F', Sigma]], so every sum over the first factor's levels is a Gram matrix of
Z1'[Zr X] weighted per class of levels (TailSystem.gram, .level_quadratic), and the dense
work is one inverse of the tail and one product Sigma Gamma_i per theta of the first factor
(Gamma_i = F'S_iF; for a large tail in single precision, see SINGLE_MIN).

Where a diagonal theta is near zero, the 1/theta terms cancel badly: theta_derivatives
returns None and satterthwaite.py differences numerically, as lmerTest does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from .blocked import TailSystem, tail_system
from .deviance import CrossProducts

__all__ = ["ThetaDerivatives", "theta_derivatives", "MIN_DIAGONAL", "SINGLE_MIN"]

MIN_DIAGONAL = 1e-3  # smallest |diagonal theta| for which the trace formulas are used
# From this many tail columns on, Sigma Gamma_i is formed in single precision. Its traces are
# the tail's share of the first factor's second derivatives, small beside the rest: InstEval's
# df move by 1e-9, four 2,000-row crossed designs' by at most 2e-9 (tests compare both).
SINGLE_MIN = 500

_potrf, _potri = scipy.linalg.lapack.dpotrf, scipy.linalg.lapack.dpotri


@dataclass(frozen=True)
class ThetaDerivatives:
    """The deviance's pieces at one theta with their exact derivatives in theta."""

    logdet: float  # ldL2 + ldRX2 (REML) or ldL2 (ML)
    logdet_grad: np.ndarray  # (k,)
    logdet_hess: np.ndarray  # (k, k)
    pwrss: float
    pwrss_grad: np.ndarray  # (k,)
    pwrss_hess: np.ndarray  # (k, k)
    unscaled: np.ndarray  # (p, p) (RX'RX)^-1
    unscaled_jac: np.ndarray  # (k, p, p) its derivatives


@dataclass(frozen=True)
class _Component:
    """One theta: its block (0 = the first grouping factor) and d = Lambda_b^-1 dLambda_b."""

    block: int
    d: np.ndarray

    @property
    def s(self) -> np.ndarray:
        return self.d + self.d.T


def _components(cp: CrossProducts, theta: np.ndarray) -> list[_Component] | None:
    comps: dict[int, _Component] = {}
    for b, block in enumerate(cp.blocks):
        lam = block.lam(theta)
        if np.min(np.abs(np.diagonal(lam))) < MIN_DIAGONAL:
            return None
        inv = scipy.linalg.solve_triangular(lam, np.eye(block.q), lower=True)
        for r, c, i in zip(block.lam_rows, block.lam_cols, block.lam_theta, strict=True):
            comps[int(i)] = _Component(b, np.outer(inv[:, r], np.eye(block.q)[c]))
    return [comps[i] for i in range(len(theta))]


def _inverse(L: np.ndarray, n: int) -> np.ndarray:
    """The inverse of L[:n, :n] L[:n, :n]', full and symmetric."""
    if n == 0:
        return np.zeros((0, 0))
    inv, info = _potri(L[:n, :n], lower=1)  # L's upper triangle is zero: so is inv's
    if info != 0:
        raise np.linalg.LinAlgError("dpotri failed")
    inv += np.tril(inv, -1).T
    return inv


class _Blocked:
    """The [Z X] system at one theta, blocked: the first factor per class of levels, the tail
    (other factors, X) through the inverse of its Schur complement."""

    def __init__(self, cp: CrossProducts, theta: np.ndarray, tail: TailSystem):
        first = cp.blocks[0]
        self.cp, self.tail, self.m1, self.q1 = cp, tail, first.m, first.q
        self.lam1 = first.lam(theta)
        M = self.lam1.T @ tail.A11 @ self.lam1 + np.eye(self.q1)
        self.Abar = np.linalg.inv(M)  # per class of levels
        self.ld1 = float(tail.class_size @ np.linalg.slogdet(M)[1])
        self.nzx = cp.qr + cp.p
        self.Bzx = tail.B[:, : self.nzx]
        rows = np.r_[cp.lam_r_rows, np.arange(cp.qr, self.nzx)]
        cols = np.r_[cp.lam_r_cols, np.arange(cp.qr, self.nzx)]
        vals = np.r_[theta[cp.lam_r_theta], np.ones(cp.p)]
        self.T = sp.csr_matrix((vals, (rows, cols)), shape=(self.nzx, self.nzx))
        self.diagonal = bool(np.array_equal(rows, cols))  # T = diag(T.diagonal())
        self.offsets = np.cumsum([0] + [b.m * b.q for b in cp.blocks[1:]])

    def scaled(self, G: np.ndarray, n: int, transpose: bool = False) -> np.ndarray:
        """T'GT (or TGT' with transpose) for a symmetric n x n G, T restricted to n columns;
        G is overwritten where T is diagonal."""
        if self.diagonal:
            d = self.T.diagonal()[:n]
            G *= d[:, None]
            G *= d
            return G
        T = self.T[:n, :n].T if transpose else self.T[:n, :n]
        return T.T @ (T.T @ G).T

    def levels(self, b: int) -> tuple[int, int]:
        block = self.cp.blocks[b]
        return block.m, block.q

    def tail_slice(self, b: int) -> slice:
        """Block b's (b >= 1) columns in the tail, level-major."""
        return slice(self.offsets[b - 1], self.offsets[b])

    def solve(self, x1: np.ndarray, xt: np.ndarray, Sigma: np.ndarray):
        """A^-1 [x1; xt] for r right-hand sides: x1 (m1, q1, r), xt (nzx, r)."""
        r = x1.shape[2]
        y1 = self.Abar[self.tail.level_class] @ x1
        w = (self.lam1 @ y1).reshape(-1, r)
        vt = Sigma @ (xt - self.T.T @ (self.Bzx.T @ w))
        return y1 - self.first_rows(vt), vt

    def first_rows(self, vt: np.ndarray) -> np.ndarray:
        """F vt = A11^-1 A1t vt per level (m1, q1, r)."""
        bv = (self.Bzx @ (self.T @ vt)).reshape(self.m1, self.q1, -1)
        return self.Abar[self.tail.level_class] @ (self.lam1.T @ bv)

    def per_block(self, v1: np.ndarray, vt: np.ndarray, b: int) -> np.ndarray:
        """Block b's rows of a solution, (m, q, ...)."""
        return v1 if b == 0 else vt[self.tail_slice(b)].reshape(*self.levels(b), *vt.shape[1:])


def theta_derivatives(cp: CrossProducts, theta, reml: bool,
                      tail: TailSystem | None = None) -> ThetaDerivatives | None:
    """The exact derivatives at theta, or None where the trace formulas do not apply (a
    diagonal theta near zero) or the system is not positive definite."""
    theta = np.asarray(theta, dtype=float)
    comps = _components(cp, theta)
    tail = tail_system(cp) if tail is None else tail
    S = tail.schur_matrix(theta) if comps is not None else None
    if S is None:
        return None
    L, info = _potrf(S, lower=1, overwrite_a=1)
    if info != 0 or not L[-1, -1] > 0:
        return None
    sys = _Blocked(cp, theta, tail)
    qr, nzx = cp.qr, sys.nzx
    Sigma = _inverse(L, nzx)
    logd = 2.0 * np.log(np.diagonal(L))
    ldL2 = sys.ld1 + float(logd[:qr].sum())
    if reml:
        logdet = ldL2 + float(logd[qr:nzx].sum())
        grad, hess = _logdet_derivatives(sys, comps, Sigma, nzx)
    else:
        logdet = ldL2
        grad, hess = _logdet_derivatives(sys, comps, _inverse(L, qr), qr)
    pwrss_grad, pwrss_hess = _pwrss_derivatives(sys, comps, Sigma)
    return ThetaDerivatives(logdet, grad, hess, float(L[-1, -1]) ** 2, pwrss_grad, pwrss_hess,
                            Sigma[qr:, qr:], _unscaled_jacobian(sys, comps, Sigma))


def _logdet_derivatives(sys: _Blocked, comps: list[_Component], Sigma: np.ndarray, n: int):
    """Gradient and Hessian of log|A_s|, s the random effects and the first n tail columns."""
    tail, Abar, lam1, size = sys.tail, sys.Abar, sys.lam1, sys.tail.class_size
    if sys.diagonal:  # T Sigma T', scaled inside level_quadratic
        quadratic = tail.level_quadratic(Sigma, sys.T.diagonal()[:n])
    else:
        quadratic = tail.level_quadratic(sys.scaled(Sigma, n, transpose=True), np.ones(n))
    Phi = Abar @ lam1.T @ quadratic @ lam1 @ Abar  # (F Sigma F')_ii per class
    sums = [np.einsum("c,cab->ab", size, Abar) + Phi.sum(axis=0)]  # B's diagonal blocks, summed
    for b in range(1, len(sys.cp.blocks)):
        m, q = sys.levels(b)
        own = sys.tail_slice(b)
        sums.append(np.einsum("lalb->ab", Sigma[own, own].reshape(m, q, m, q)) if n else None)
    outer = _outer_traces(sys, comps, Sigma, n)
    k = len(comps)
    grad, hess = np.empty(k), np.empty((k, k))
    for i, ci in enumerate(comps):
        m = sys.levels(ci.block)[0]
        grad[i] = 2.0 * m * np.trace(ci.d) - 2.0 * np.sum(sums[ci.block] * ci.d.T)
        for j, cj in enumerate(comps[: i + 1]):
            h = -outer[i, j]
            if ci.block == cj.block:
                di, dj = ci.d, cj.d
                omega = 2.0 * (di @ dj + dj @ di) + di.T @ dj + dj.T @ di
                h += np.sum(sums[ci.block] * omega.T) - 2.0 * m * np.trace(di @ dj)
            if ci.block == cj.block == 0:
                si, sj = ci.s, cj.s
                h -= np.einsum("c,cab,bd,cde,ea->", size, Abar, si, Abar, sj)
                x = sj @ Abar @ si + si @ Abar @ sj
                h -= np.einsum("cab,cba->", x, Phi)
            hess[i, j] = hess[j, i] = h
    return grad, hess


def _outer_traces(sys: _Blocked, comps: list[_Component], Sigma: np.ndarray, n: int):
    """tr(B S_i B S_j) less the first factor's own levels' part, (k, k). With M_i = Sigma
    F'S_iF for a theta of the first factor: tr(M_i M_j) between two of those; M_i Sigma's
    diagonal level blocks against another factor's s_j; and for two thetas of other
    factors (blocks g and h) tr(Sigma_hg S_i Sigma_gh S_j), from that block of Sigma only."""
    k = len(comps)
    out = np.zeros((k, k))
    if n == 0:
        return out
    M = {i: _times(Sigma, sys.scaled(sys.tail.gram(sys.lam1 @ sys.Abar @ c.s @ sys.Abar
                                                   @ sys.lam1.T, n), n))
         for i, c in enumerate(comps) if c.block == 0}
    MT = {i: np.ascontiguousarray(x.T) for i, x in M.items()}
    for i, ci in enumerate(comps):
        for j, cj in enumerate(comps[: i + 1]):
            if ci.block == cj.block == 0:
                t = np.vdot(M[i], MT[j])
            elif ci.block == 0 or cj.block == 0:
                f, other = (i, cj) if ci.block == 0 else (j, ci)
                m, q = sys.levels(other.block)
                own = sys.tail_slice(other.block)  # (M_f Sigma)'s diagonal blocks, summed
                if q == 1:
                    t = other.s[0, 0] * np.vdot(M[f][own], Sigma[own])
                else:
                    rows = (M[f][own].reshape(m, q, n), Sigma[own].reshape(m, q, n))
                    t = np.sum(np.einsum("lan,lbn->ab", *rows) * other.s.T)
            else:
                (mg, qg), (mh, qh) = sys.levels(ci.block), sys.levels(cj.block)
                X = Sigma[sys.tail_slice(cj.block), sys.tail_slice(ci.block)]  # Sigma_hg
                if qg == qh == 1:
                    t = ci.s[0, 0] * cj.s[0, 0] * np.einsum("ij,ij->", X, X)  # X: a view
                else:  # tr(Sigma_hg S_i Sigma_gh S_j) = <Sigma_hg S_i, S_j Sigma_hg>
                    XS = X.reshape(mh * qh, mg, qg) @ ci.s
                    SX = np.einsum("ab,lbn->lan", cj.s, X.reshape(mh, qh, mg * qg))
                    t = np.vdot(XS.ravel(), SX.ravel())
            out[i, j] = out[j, i] = t
    return out


def _times(Sigma: np.ndarray, Gamma: np.ndarray) -> np.ndarray:
    """Sigma Gamma_i, the one O(n^3) product per theta of the first factor: in single
    precision from SINGLE_MIN columns on (twice as fast), in double below."""
    if len(Sigma) < SINGLE_MIN:
        return Sigma @ Gamma
    return (Sigma.astype(np.float32) @ Gamma.astype(np.float32)).astype(float)


def _pwrss_derivatives(sys: _Blocked, comps: list[_Component], Sigma: np.ndarray):
    cp = sys.cp
    c1 = (cp.A1t[:, :, -1] @ sys.lam1)[:, :, None]  # Lambda1'Z1'y per level
    ct = sys.T.T @ np.r_[cp.Art[:, -1], cp.Att[:-1, -1]]
    u1, ut = sys.solve(c1, ct[:, None], Sigma)
    u = [sys.per_block(u1[:, :, 0], ut[:, 0], b) for b in range(len(cp.blocks))]
    k = len(comps)
    Du = [u[c.block] @ c.d.T for c in comps]  # D_i u, per level
    Dtu = [u[c.block] @ c.d for c in comps]  # D_i'u
    z1, zt = np.zeros((sys.m1, sys.q1, k)), np.zeros((sys.nzx, k))
    for i, c in enumerate(comps):
        if c.block == 0:
            z1[:, :, i] = u[0] @ c.s
        else:
            zt[sys.tail_slice(c.block), i] = (u[c.block] @ c.s).ravel()
    v1, vt = sys.solve(z1, zt, Sigma)
    zBz = np.einsum("mai,maj->ij", z1, v1) + zt.T @ vt
    grad = np.array([-2.0 * np.sum(u[c.block] * Du[i]) for i, c in enumerate(comps)])
    hess = -2.0 * zBz
    for i, ci in enumerate(comps):
        for j, cj in enumerate(comps):
            if ci.block == cj.block:
                hess[i, j] += 2.0 * np.sum(Du[i] * Du[j] + Dtu[i] * Du[j] + Dtu[j] * Du[i])
    return grad, 0.5 * (hess + hess.T)


def _unscaled_jacobian(sys: _Blocked, comps: list[_Component], Sigma: np.ndarray) -> np.ndarray:
    """d (RX'RX)^-1 / d theta_i = B_XZ S_i B_ZX, from B's X columns."""
    qr = sys.cp.qr
    xt = Sigma[:, qr:]
    x1 = -sys.first_rows(xt)
    return np.stack([np.einsum("map,ab,mbr->pr", X, c.s, X)
                     for c in comps for X in [sys.per_block(x1, xt, c.block)]])
