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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from .design import ModelMatrices

__all__ = [
    "Block",
    "CrossProducts",
    "Factorization",
    "PlsSolution",
    "blocks_of",
    "cross_products",
    "factorize",
    "profiled_deviance",
    "make_deviance",
    "solve_pls",
]

LOG2PI = np.log(2.0 * np.pi)


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


def blocks_of(mm: ModelMatrices) -> tuple[Block, ...]:
    """Amalgamate lme4-ordered terms by grouping factor; the first block has the most levels."""
    groups: dict[str, list[int]] = {}
    for k, t in enumerate(mm.reterms):
        groups.setdefault(t.group, []).append(k)
    offsets = np.cumsum([0] + [t.ntheta for t in mm.reterms])
    blocks = []
    for group, members in groups.items():
        rows, cols, idx, slices, col = [], [], [], [], 0
        for k in members:
            t = mm.reterms[k]
            r, c = np.tril_indices(t.q)
            order = np.lexsort((r, c))  # column-major, like lme4's theta
            rows.append(col + r[order])
            cols.append(col + c[order])
            idx.append(offsets[k] + np.arange(t.ntheta))
            slices.append((k, slice(col, col + t.q)))
            col += t.q
        first = mm.reterms[members[0]]
        Zi = np.column_stack([mm.reterms[k].Xi for k in members])
        blocks.append(Block(group, first.factor.codes, first.nlevels, Zi, tuple(slices),
                            np.concatenate(rows), np.concatenate(cols), np.concatenate(idx)))
    return tuple(blocks)


@dataclass(frozen=True)
class CrossProducts:
    """Products of [Z X y] computed once per data set; only theta changes between evaluations."""

    blocks: tuple[Block, ...]
    n: int
    p: int
    A11: np.ndarray  # (m1, q1, q1)   Z1'Z1 per level of the first block
    A1t: np.ndarray  # (m1, q1, p+1)  Z1'[X y] per level
    A1r: sp.csr_matrix  # (m1*q1, qr) Z1'Zr, sparse
    Arr: np.ndarray  # (qr, qr)  Zr'Zr
    Art: np.ndarray  # (qr, p+1) Zr'[X y]
    Att: np.ndarray  # (p+1, p+1) [X y]'[X y]
    lam_r_rows: np.ndarray  # sparsity pattern of the tail's block-diagonal Lambda
    lam_r_cols: np.ndarray
    lam_r_theta: np.ndarray

    @property
    def qr(self) -> int:
        return self.Arr.shape[0]


def _z_tail(blocks: tuple[Block, ...], n: int) -> sp.csc_matrix:
    """Z for all blocks but the first, columns level-major within each block."""
    parts = []
    for b in blocks[1:]:
        rows = np.repeat(np.arange(n), b.q)
        cols = (b.codes[:, None] * b.q + np.arange(b.q)).ravel()
        parts.append(sp.csc_matrix((b.Zi.ravel(), (rows, cols)), shape=(n, b.m * b.q)))
    return sp.hstack(parts, format="csc") if parts else sp.csc_matrix((n, 0))


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


def cross_products(mm: ModelMatrices, y: np.ndarray | None = None) -> CrossProducts:
    """Precompute every product the deviance needs (for a new response, pass y)."""
    blocks = blocks_of(mm)
    y = mm.y if y is None else y
    T = np.column_stack([mm.X, y])
    first = blocks[0]
    m1, q1 = first.m, first.q
    A11 = np.zeros((m1, q1, q1))
    np.add.at(A11, first.codes, first.Zi[:, :, None] * first.Zi[:, None, :])
    A1t = np.zeros((m1, q1, T.shape[1]))
    np.add.at(A1t, first.codes, first.Zi[:, :, None] * T[:, None, :])
    Zr = _z_tail(blocks, mm.n)
    Z1 = sp.csr_matrix((first.Zi.ravel(), ((first.codes[:, None] * q1 + np.arange(q1)).ravel(),
                        np.repeat(np.arange(mm.n), q1))), shape=(m1 * q1, mm.n))
    A1r = (Z1 @ Zr).tocsr()
    Arr = (Zr.T @ Zr).toarray()
    Art = np.asarray(Zr.T @ T)
    rows, cols, idx = _lambda_tail_pattern(blocks)
    return CrossProducts(blocks, mm.n, mm.p, A11, A1t, A1r, Arr, Art, T.T @ T, rows, cols, idx)


@dataclass(frozen=True)
class Factorization:
    """The blocked Cholesky factor at one theta."""

    theta: np.ndarray
    L11: np.ndarray  # (m1, q1, q1) lower
    D: np.ndarray  # (m1, q1, q1) = L11^-1 Lambda1'
    C1t: np.ndarray  # (m1, q1, p+1) = L11^-1 Lambda1' Z1'[X y]
    C1r: sp.csr_matrix | None  # (m1*q1, qr) = L11^-1 Lambda1' Z1'Zr Lambda_r
    lam_r: sp.csr_matrix | None
    Ltail: np.ndarray  # (qr+p+1, qr+p+1) lower Cholesky of the tail's Schur complement
    qr: int
    p: int

    @property
    def ldL2(self) -> float:
        d1 = np.diagonal(self.L11, axis1=1, axis2=2)
        return 2.0 * (np.log(d1).sum() + np.log(np.diag(self.Ltail)[: self.qr]).sum())

    @property
    def ldRX2(self) -> float:
        return 2.0 * np.log(np.diag(self.Ltail)[self.qr : self.qr + self.p]).sum()

    @property
    def pwrss(self) -> float:
        return float(self.Ltail[-1, -1] ** 2)

    @property
    def RX(self) -> np.ndarray:
        """Lower-triangular factor of the fixed effects' Schur complement (lme4's RX')."""
        k = slice(self.qr, self.qr + self.p)
        return self.Ltail[k, k]


def factorize(cp: CrossProducts, theta: np.ndarray) -> Factorization | None:
    """Cholesky of the blocked system at theta; None if it is not positive definite."""
    first = cp.blocks[0]
    lam1 = first.lam(theta)
    M = lam1.T @ cp.A11 @ lam1 + np.eye(first.q)
    try:
        L11 = np.linalg.cholesky(M)
    except np.linalg.LinAlgError:
        return None
    D = np.linalg.inv(L11) @ lam1.T
    C1t = D @ cp.A1t
    flat = C1t.reshape(-1, C1t.shape[2])
    S_tt = cp.Att - flat.T @ flat
    C1r = lam_r = None
    if cp.qr:
        lam_r = sp.csr_matrix((theta[cp.lam_r_theta], (cp.lam_r_rows, cp.lam_r_cols)),
                              shape=(cp.qr, cp.qr))
        m, q = first.m, first.q
        Dbd = sp.bsr_matrix((D, np.arange(m), np.arange(m + 1)), shape=(m * q, m * q))
        C1r = (Dbd @ cp.A1r @ lam_r).tocsr()
        LtA = lam_r.T @ cp.Arr
        S_rr = (lam_r.T @ LtA.T).T - (C1r.T @ C1r).toarray()
        S_rr[np.diag_indices_from(S_rr)] += 1.0
        S_rt = lam_r.T @ cp.Art - C1r.T @ flat
        S_tt = np.block([[S_rr, S_rt], [S_rt.T, S_tt]])
    try:
        Ltail = np.linalg.cholesky(S_tt)
    except np.linalg.LinAlgError:
        return None
    return Factorization(theta, L11, D, C1t, C1r, lam_r, Ltail, cp.qr, cp.p)


def profiled_deviance(f: Factorization, n: int, reml: bool) -> float:
    """-2 log-likelihood (ML) or REML criterion, profiled over beta and sigma."""
    if reml:
        dof = n - f.p
        return f.ldL2 + f.ldRX2 + dof * (1.0 + LOG2PI + np.log(f.pwrss / dof))
    return f.ldL2 + n * (1.0 + LOG2PI + np.log(f.pwrss / n))


def make_deviance(cp: CrossProducts, reml: bool):
    """The closure the optimizer minimises: theta -> profiled deviance (inf where undefined)."""

    def deviance(theta: np.ndarray) -> float:
        f = factorize(cp, np.asarray(theta, dtype=float))
        if f is None or f.pwrss <= 0:
            return np.inf
        return float(profiled_deviance(f, cp.n, reml))

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
    if cp.qr:
        rhs = rhs - (f.C1r @ u_tail).reshape(rhs.shape)
    u1 = np.einsum("mji,mj->mi", np.linalg.inv(f.L11), rhs)  # L11^-T rhs, per level
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
