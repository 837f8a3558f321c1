"""Stage 2 of lmer(), like lme4's mkLmerDevfun: ModelMatrices -> theta -> profiled deviance.

Penalized least squares (Bates et al. 2015, JSS 67(1), sec. 3). The Cholesky factor of

    [ Lambda'Z'Z Lambda + I   Lambda'Z'X   Lambda'Z'y ]
    [        .                   X'X          X'y     ]
    [        .                    .           y'y     ]

gives, in its diagonal, log|L|^2 (ldL2), log|RX|^2 (ldRX2) and sqrt(pwrss), from which the
profiled deviance follows (eqs. 34 and 41). As in MixedModels.jl, random-effects terms are
amalgamated per grouping factor into blocks; the block with the most levels is block-diagonal
and factored with batched small Choleskys, the rest ("tail": other blocks, then X and y) is
dense and coupled to the first block through a sparse matrix. One grouping factor, however
many levels, never forms a dense matrix of its size; crossed factors form one of the smaller's.

This is the general algorithm, and the one that gives u, b and RX (solve_pls, factorize);
devfun.py picks faster exact specialisations of the deviance alone for the optimizer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from .design import ModelMatrices, ReTerm

__all__ = [
    "level_cholesky_q2",
    "Block",
    "CrossProducts",
    "Factorization",
    "PlsSolution",
    "blocks_of",
    "cross_products",
    "design_products",
    "factorize",
    "profiled_deviance",
    "make_deviance",
    "solve_pls",
]

LOG2PI = math.log(2.0 * math.pi)


@dataclass(frozen=True)
class Block:
    """Random-effects terms that share a grouping factor, laid out level-major in u."""

    group: str
    codes: np.ndarray  # (n,) level of each row
    m: int  # number of levels
    Zi: np.ndarray  # (n, q) the terms' model-matrix columns side by side
    term_slices: tuple[tuple[int, slice], ...]  # (term index, columns of the block) per term
    lam_rows: np.ndarray  # positions in the q x q Lambda block filled from theta
    lam_cols: np.ndarray
    lam_theta: np.ndarray

    @property
    def q(self) -> int:
        return self.Zi.shape[1]

    def lam(self, theta: np.ndarray) -> np.ndarray:
        """The q x q lower-triangular relative covariance factor of one level."""
        out = np.zeros((self.q, self.q))
        out[self.lam_rows, self.lam_cols] = theta[self.lam_theta]
        return out


def blocks_of(reterms: Sequence[ReTerm]) -> tuple[Block, ...]:
    """Amalgamate lme4-ordered terms by grouping factor; the first block has the most levels."""
    groups: dict[str, list[int]] = {}
    for k, t in enumerate(reterms):
        groups.setdefault(t.group, []).append(k)
    offsets = np.cumsum([0] + [t.ntheta for t in reterms])
    blocks = []
    for group, members in groups.items():
        rows, cols, idx, slices, col = [], [], [], [], 0
        for k in members:
            t = reterms[k]
            r, c = np.tril_indices(t.q)
            order = np.lexsort((r, c))  # column-major, like lme4's theta
            rows.append(col + r[order])
            cols.append(col + c[order])
            idx.append(offsets[k] + np.arange(t.ntheta))
            slices.append((k, slice(col, col + t.q)))
            col += t.q
        first = reterms[members[0]]
        Zi = np.column_stack([reterms[k].Xi for k in members])
        blocks.append(Block(group, first.factor.codes, first.nlevels, Zi, tuple(slices),
                            np.concatenate(rows), np.concatenate(cols), np.concatenate(idx)))
    return tuple(blocks)


@dataclass(frozen=True)
class CrossProducts:
    """Products of [Z X y] computed once per data set; only theta changes between evaluations.

    "y" here is the response minus its least-squares fit on X, y - X beta_offset: the same
    penalized least-squares problem (beta absorbs X beta_offset) without the cancellation
    that a large mean causes in pwrss = y'y - ... (extraversion ~ 45 with a residual SD of 1
    loses five digits, enough to flip the sign of lme4's finite-difference Hessian).
    Estimates of beta from these products add beta_offset back.
    """

    blocks: tuple[Block, ...]
    n: int
    p: int
    A11: np.ndarray  # (m1, q1, q1)   Z1'Z1 per level of the first block
    A1t: np.ndarray  # (m1, q1, p+1)  Z1'[X y] per level
    A1r: sp.csr_matrix | np.ndarray  # (m1*q1, qr) Z1'Zr, sparse (empty ndarray if qr = 0)
    Arr: sp.csr_matrix | np.ndarray  # (qr, qr)  Zr'Zr, sparse (diagonal for one crossed factor)
    Art: np.ndarray  # (qr, p+1) Zr'[X y]
    Att: np.ndarray  # (p+1, p+1) [X y]'[X y]
    lam_r_rows: np.ndarray  # sparsity pattern of the tail's block-diagonal Lambda
    lam_r_cols: np.ndarray
    lam_r_theta: np.ndarray
    beta_offset: np.ndarray  # (p,) least-squares coefficients taken out of y

    @property
    def qr(self) -> int:
        return self.Arr.shape[0]

    @cached_property
    def a00(self) -> np.ndarray:
        return np.ascontiguousarray(self.A11[:, 0, 0])

    @cached_property
    def a10(self) -> np.ndarray:
        return np.ascontiguousarray(self.A11[:, 1, 0])

    @cached_property
    def a11(self) -> np.ndarray:
        return np.ascontiguousarray(self.A11[:, 1, 1])


def _z_tail(blocks: tuple[Block, ...], n: int) -> sp.csc_matrix:
    """Z for all blocks but the first, columns level-major within each block."""
    parts = []
    for b in blocks[1:]:
        rows = np.repeat(np.arange(n), b.q)
        cols = (b.codes[:, None] * b.q + np.arange(b.q)).ravel()
        parts.append(sp.csc_matrix((b.Zi.ravel(), (rows, cols)), shape=(n, b.m * b.q)))
    return sp.hstack(parts, format="csc")


def _lambda_tail_pattern(blocks: tuple[Block, ...]):
    rows, cols, idx, off = [], [], [], 0
    for b in blocks[1:]:
        base = off + np.arange(b.m)[:, None] * b.q
        rows.append((base + b.lam_rows).ravel())
        cols.append((base + b.lam_cols).ravel())
        idx.append(np.tile(b.lam_theta, b.m))
        off += b.m * b.q
    if not rows:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, empty
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(idx)


def _per_level(block: Block, T: np.ndarray) -> np.ndarray:
    """(m, q, k): Z_i'T for each level i of the block (one weighted count per entry)."""
    out = np.empty((block.m, block.q, T.shape[1]))
    for a in range(block.q):
        for b in range(T.shape[1]):
            out[:, a, b] = np.bincount(block.codes, block.Zi[:, a] * T[:, b], block.m)
    return out


def _tail_products(blocks: tuple[Block, ...], T: np.ndarray, n: int):
    """A1r, Arr, Art: the other grouping factors' products (empty for one factor)."""
    first, k = blocks[0], T.shape[1]
    m1q1 = first.m * first.q
    if len(blocks) == 1:
        return np.zeros((m1q1, 0)), np.zeros((0, 0)), np.zeros((0, k))  # no sparse overhead
    Zr = _z_tail(blocks, n)
    Z1 = sp.csr_matrix((first.Zi.ravel(), ((first.codes[:, None] * first.q
                                            + np.arange(first.q)).ravel(),
                                           np.repeat(np.arange(n), first.q))), shape=(m1q1, n))
    return (Z1 @ Zr).tocsr(), (Zr.T @ Zr).tocsr(), np.asarray(Zr.T @ T)


def cross_products(mm: ModelMatrices, y: np.ndarray | None = None) -> CrossProducts:
    """Precompute every product the deviance needs (for a new response, pass y)."""
    return design_products(mm.reterms, mm.X, mm.y if y is None else y)


def design_products(reterms: Sequence[ReTerm], X: np.ndarray, y: np.ndarray) -> CrossProducts:
    """cross_products from the random-effects terms, X and y alone (a bootstrap sample's)."""
    blocks = blocks_of(reterms)
    n, p = X.shape
    offset = np.linalg.lstsq(X, y, rcond=None)[0] if p else np.zeros(0)
    T = np.column_stack([X, y - X @ offset])
    first = blocks[0]
    return CrossProducts(blocks, n, p, _per_level(first, first.Zi), _per_level(first, T),
                         *_tail_products(blocks, T, n), T.T @ T,
                         *_lambda_tail_pattern(blocks), offset)


@dataclass(frozen=True)
class Factorization:
    """The blocked Cholesky factor at one theta, with the log-determinants it yields."""

    theta: np.ndarray
    L11_parts: tuple  # (k11, k21, k22) per-level entries when q1 = 2, else (L11, L11^-1)
    C1t: np.ndarray  # (m1, q1, p+1) = L11^-1 Lambda1' Z1'[X y]
    C1r: sp.csr_matrix | None  # (m1*q1, qr) = L11^-1 Lambda1' Z1'Zr Lambda_r
    Ltail: np.ndarray  # (qr+p+1, qr+p+1) lower Cholesky of the tail's Schur complement
    qr: int
    p: int
    ldL2: float  # log det(Lambda'Z'Z Lambda + I)
    ldRX2: float  # log det(RX'RX)
    pwrss: float  # penalized weighted residual sum of squares

    @cached_property
    def L11(self) -> np.ndarray:
        """(m1, q1, q1) lower Cholesky factors of the first block, one per level."""
        if len(self.L11_parts) == 2:
            return self.L11_parts[0]
        k11, k21, k22 = self.L11_parts
        zero = np.zeros_like(k11)
        return np.stack([np.stack([k11, zero], 1), np.stack([k21, k22], 1)], 1)

    @cached_property
    def L11inv(self) -> np.ndarray:
        if len(self.L11_parts) == 2:
            return self.L11_parts[1]
        k11, k21, k22 = self.L11_parts
        zero = np.zeros_like(k11)
        return np.stack([np.stack([1.0 / k11, zero], 1),
                         np.stack([-k21 / (k11 * k22), 1.0 / k22], 1)], 1)

    @property
    def RX(self) -> np.ndarray:
        """Lower-triangular factor of the fixed effects' Schur complement (lme4's RX')."""
        k = slice(self.qr, self.qr + self.p)
        return self.Ltail[k, k]


def _first_block(cp: CrossProducts, lam1: np.ndarray):
    """Factor the first block: (L11 parts, C1t, log det L11^2), or None if not PD.

    For q = 1 and 2 (random intercepts; intercept and slope) closed forms on per-level
    arrays replace batched LAPACK calls, whose per-call overhead dominates small blocks.
    """
    q = lam1.shape[0]
    if q == 1:
        M = lam1[0, 0] ** 2 * cp.a00 + 1.0
        L = np.sqrt(M)
        C1t = (lam1[0, 0] / L)[:, None] * cp.A1t[:, 0, :]
        parts = (L[:, None, None], (1.0 / L)[:, None, None])
        return parts, C1t[:, None, :], np.log(M).sum()
    if q == 2:
        return _first_block_q2(cp, lam1)
    M = lam1.T @ cp.A11 @ lam1
    M += np.eye(q)
    try:
        L = np.linalg.cholesky(M)
    except np.linalg.LinAlgError:
        return None
    Linv = np.linalg.inv(L)
    ld = 2.0 * np.log(np.diagonal(L, axis1=1, axis2=2)).sum()
    return (L, Linv), Linv @ lam1.T @ cp.A1t, ld


def level_cholesky_q2(lam1: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray):
    """Per level, M_i = Lambda' A_i Lambda + I = [[k11, 0], [k21, k22]] [[k11, k21], [0, k22]]
    for q = 2 and A_i = [[a, b], [b, c]], in closed form over all levels at once: ((k11, k21,
    k22), (k11^2, k22^2)), the squared pivots for log|M_i|; None where rounding at an extreme
    theta leaves M_i not positive definite."""
    l0, l1, l2 = lam1[0, 0], lam1[1, 0], lam1[1, 1]
    m00 = l0 * l0 * a + 2.0 * l0 * l1 * b + l1 * l1 * c + 1.0
    m10 = l2 * (l0 * b + l1 * c)
    m11 = l2 * l2 * c + 1.0
    k11 = np.sqrt(m00)
    k21 = m10 / k11
    k22sq = m11 - k21 * k21
    if np.any(k22sq <= 0):
        return None
    return (k11, k21, np.sqrt(k22sq)), (m00, k22sq)


def _first_block_q2(cp: CrossProducts, lam1: np.ndarray):
    factors = level_cholesky_q2(lam1, cp.a00, cp.a10, cp.a11)
    if factors is None:
        return None
    (k11, k21, k22), (m00, k22sq) = factors
    l0, l1, l2 = lam1[0, 0], lam1[1, 0], lam1[1, 1]
    r0 = l0 * cp.A1t[:, 0, :] + l1 * cp.A1t[:, 1, :]  # Lambda1' Z1'[X y], row by row
    r1 = l2 * cp.A1t[:, 1, :]
    c0 = r0 / k11[:, None]
    c1 = (r1 - k21[:, None] * c0) / k22[:, None]
    return (k11, k21, k22), np.stack([c0, c1], 1), np.log(m00).sum() + np.log(k22sq).sum()


def factorize(cp: CrossProducts, theta: np.ndarray) -> Factorization | None:
    """Cholesky of the blocked system at theta; None if it is not positive definite."""
    lam1 = cp.blocks[0].lam(theta)
    first = _first_block(cp, lam1)
    if first is None:
        return None
    parts, C1t, ld1 = first
    flat = C1t.reshape(-1, C1t.shape[2])
    S_tt = cp.Att - flat.T @ flat
    C1r = None
    if cp.qr:
        f1 = Factorization(theta, parts, C1t, None, S_tt, 0, 0, 0.0, 0.0, 0.0)
        C1r, S_tt = _tail_schur(cp, theta, f1.L11inv @ lam1.T, flat, S_tt)
    try:
        Ltail = np.linalg.cholesky(S_tt)
    except np.linalg.LinAlgError:
        return None
    log_tail = np.log(np.diagonal(Ltail))
    ldL2 = ld1 + 2.0 * log_tail[: cp.qr].sum()
    ldRX2 = 2.0 * log_tail[cp.qr : cp.qr + cp.p].sum()
    return Factorization(theta, parts, C1t, C1r, Ltail, cp.qr, cp.p, float(ldL2),
                         float(ldRX2), float(Ltail[-1, -1] ** 2))


def _tail_schur(cp: CrossProducts, theta, D, flat, S_tt):
    """The other grouping factors' part: sparse coupling to block 1, dense Schur complement."""
    first = cp.blocks[0]
    lam_r = sp.csr_matrix((theta[cp.lam_r_theta], (cp.lam_r_rows, cp.lam_r_cols)),
                          shape=(cp.qr, cp.qr))
    m, q = first.m, first.q
    Dbd = sp.bsr_matrix((D, np.arange(m), np.arange(m + 1)), shape=(m * q, m * q))
    C1r = (Dbd @ cp.A1r @ lam_r).tocsr()
    S_rr = (lam_r.T @ cp.Arr @ lam_r - C1r.T @ C1r).toarray()
    S_rr[np.diag_indices_from(S_rr)] += 1.0
    S_rt = lam_r.T @ cp.Art - C1r.T @ flat
    return C1r, np.block([[S_rr, S_rt], [S_rt.T, S_tt]])


def profiled_deviance(ldL2: float, ldRX2: float, pwrss: float, n: int, p: int,
                      reml: bool) -> float:
    """-2 log-likelihood (ML, JSS eq. 34) or REML criterion (eq. 41), profiled over beta and
    sigma. Plain floats: the fast deviances call it thousands of times per fit."""
    if reml:
        dof = n - p
        return ldL2 + ldRX2 + dof * (1.0 + LOG2PI + math.log(pwrss / dof))
    return ldL2 + n * (1.0 + LOG2PI + math.log(pwrss / n))


def make_deviance(cp: CrossProducts, reml: bool):
    """The closure theta -> profiled deviance (inf where undefined), by factorize."""

    def deviance(theta: np.ndarray) -> float:
        f = factorize(cp, np.asarray(theta, dtype=float))
        if f is None or not f.pwrss > 0:
            return math.inf
        return profiled_deviance(f.ldL2, f.ldRX2, f.pwrss, cp.n, cp.p, reml)

    return deviance


@dataclass(frozen=True)
class PlsSolution:
    """Conditional modes and estimates at one theta."""

    beta: np.ndarray
    u: tuple[np.ndarray, ...]  # per block, (m, q) spherical random effects
    b: tuple[np.ndarray, ...]  # per block, (m, q) random effects on the data scale
    sigma: float
    factor: Factorization


def solve_pls(cp: CrossProducts, theta: np.ndarray, reml: bool) -> PlsSolution:
    """Back-substitute the factor for beta and u (JSS eqs. 16-17); b = Lambda u."""
    f = factorize(cp, theta)
    if f is None:
        raise np.linalg.LinAlgError("The penalized least squares system is not positive definite")
    Lt = f.Ltail
    z2 = scipy.linalg.solve_triangular(Lt[:-1, :-1], Lt[-1, :-1], lower=True, trans="T")
    u_tail, beta = z2[: cp.qr], z2[cp.qr :]
    rhs = f.C1t[:, :, -1] - f.C1t[:, :, :-1] @ beta
    beta = beta + cp.beta_offset
    if cp.qr:
        rhs = rhs - (f.C1r @ u_tail).reshape(rhs.shape)
    u1 = np.einsum("mji,mj->mi", f.L11inv, rhs)  # L11^-T rhs, per level
    first = cp.blocks[0]
    us, bs = [u1], [u1 @ first.lam(theta).T]
    off = 0
    for blk in cp.blocks[1:]:
        u = u_tail[off : off + blk.m * blk.q].reshape(blk.m, blk.q)
        us.append(u)
        bs.append(u @ blk.lam(theta).T)
        off += blk.m * blk.q
    dof = cp.n - cp.p if reml else cp.n
    return PlsSolution(beta, tuple(us), tuple(bs), float(np.sqrt(f.pwrss / dof)), f)
