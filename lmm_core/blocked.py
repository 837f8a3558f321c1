"""The profiled deviance of large models: blocked Cholesky with its symbolic work done once.

As in deviance.py (and MixedModels.jl's blocked L), the grouping factor with the most levels
is eliminated first, level by level; what is left is the dense "tail" of the other factors'
random effects, X and y. Its Schur complement is

    S(theta) = Lambda_t' (A_tt - B' W(theta) B) Lambda_t + I,    W = blockdiag_i(W_i),

with A_tt = [Zr X y]'[Zr X y], B = Z1'[Zr X y] and, per level i of the first factor,
W_i = Lambda1 M_i^-1 Lambda1' (M_i = I + Lambda1' Z_i'Z_i Lambda1). deviance.factorize
forms B'WB with sparse matrix products at every theta; here they are done once:

- "pairs": B'WB is linear in W's entries, so its nonzeros are P w(theta) for a fixed sparse
  matrix P (one entry per pair of B's nonzeros in a row, MixedModels.jl's sparse rankUpdate!
  written as a matrix). One sparse product per theta, then a scatter into the dense tail.
- "dense": when B is dense (a fully crossed design), B'WB = C'C with C = K B, K_i'K_i = W_i,
  is one BLAS product.

Then one LAPACK Cholesky (dpotrf, in place) of S gives log|L|^2, RX and sqrt(pwrss) on its
diagonal. The value equals deviance.make_deviance's to rounding error (tests compare them).
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import scipy.linalg.lapack
import scipy.sparse as sp

from .deviance import CrossProducts, level_cholesky_q2
from .sparse_cholesky import SparseCholesky

__all__ = ["TailSystem", "tail_system", "level_factors", "PAIR_COST", "SPARSE_MIN",
           "SPARSE_DENSITY"]

PAIR_COST = 30.0  # a sparse product's cost per pair, in dense BLAS flops (measured roughly)
SPARSE_MIN = 500  # from this many tail columns on, a sparse S goes to CHOLMOD ...
SPARSE_DENSITY = 0.35  # ... if at most this share of its lower triangle is nonzero

_potrf, _potrs = scipy.linalg.lapack.dpotrf, scipy.linalg.lapack.dpotrs


def level_factors(A11: np.ndarray, lam1: np.ndarray, counts: np.ndarray):
    """(K, sum_i counts_i log|M_i|) with K_i = L_i^-1 Lambda1' (L_i L_i' = M_i), or None if
    not PD: K_i'K_i = Lambda1 M_i^-1 Lambda1' = W_i. counts_i is how many levels share
    Z_i'Z_i = A11_i. Closed forms for q = 1 and 2, batched LAPACK for larger q.
    """
    q = lam1.shape[0]
    if q == 1:
        M = lam1[0, 0] ** 2 * A11[:, 0, 0] + 1.0
        return (lam1[0, 0] / np.sqrt(M))[:, None, None], float(counts @ np.log(M))
    if q == 2:
        factors = level_cholesky_q2(lam1, A11[:, 0, 0], A11[:, 1, 0], A11[:, 1, 1])
        if factors is None:
            return None
        (k11, k21, k22), (m00, k22sq) = factors
        (l0, _), (l1, l2) = lam1
        K = np.empty((len(k11), 2, 2))  # L^-1 = [[1/k11, 0], [-k21/(k11 k22), 1/k22]]
        K[:, 0, 0], K[:, 0, 1], K[:, 1, 0] = l0 / k11, l1 / k11, -k21 * l0 / (k11 * k22)
        K[:, 1, 1] = (l2 - k21 * l1 / k11) / k22
        return K, float(counts @ (np.log(m00) + np.log(k22sq)))
    M = lam1.T @ A11 @ lam1 + np.eye(q)
    try:
        L = np.linalg.cholesky(M)
    except np.linalg.LinAlgError:
        return None
    K = np.linalg.solve(L, np.broadcast_to(lam1.T, M.shape))
    return K, 2.0 * float(counts @ np.log(np.diagonal(L, axis1=1, axis2=2)).sum(axis=1))


def _tail_matrices(cp: CrossProducts):
    """B = Z1'[Zr X y] (m1*q1 x nt, sparse) and A_tt = [Zr X y]'[Zr X y] (dense)."""
    m1, q1, k = cp.A1t.shape
    B = sp.hstack([cp.A1r, sp.csr_matrix(cp.A1t.reshape(m1 * q1, k))], format="csr")
    Arr = cp.Arr.toarray() if sp.issparse(cp.Arr) else cp.Arr
    A = np.block([[Arr, cp.Art], [cp.Art.T, cp.Att]])
    return B, A


def _level_entries(B: sp.csr_matrix, q1: int):
    """B's nonzeros merged per (level, column), sorted: level, column, values (n, q1)."""
    coo = B.tocoo()
    nt = B.shape[1]
    key = (coo.row // q1).astype(np.int64) * nt + coo.col
    keys, inverse = np.unique(key, return_inverse=True)
    values = np.zeros((len(keys), q1))
    values[inverse, coo.row % q1] = coo.data
    return keys // nt, keys % nt, values


def _pair_count(level: np.ndarray, m1: int) -> int:
    runs = np.bincount(level, minlength=m1).astype(np.int64)
    return int((runs * (runs + 1) // 2).sum())


def _pairs(level: np.ndarray, col: np.ndarray, values: np.ndarray, m1: int):
    """Every pair (e, f) of entries in one level with col[f] <= col[e], and the products of
    their values that multiply W_i's unique entries (a <= b, row-major): (e, f, products)."""
    runs = np.bincount(level, minlength=m1)
    starts = np.cumsum(runs) - runs
    position = np.arange(len(level)) - starts[level]
    e = np.repeat(np.arange(len(level)), position + 1)
    first = np.cumsum(position + 1) - (position + 1)
    f = starts[level[e]] + np.arange(len(e)) - np.repeat(first, position + 1)
    q1 = values.shape[1]
    products = []
    for a in range(q1):
        for b in range(a, q1):
            prod = values[e, a] * values[f, b]
            if a != b:
                prod = prod + values[e, b] * values[f, a]
            products.append(prod)
    return e, f, np.stack(products, axis=1)


def _class_products(rows: np.ndarray, levels: np.ndarray, products: np.ndarray,
                    level_class: np.ndarray, n_rows: int) -> sp.csr_matrix:
    """P' (classes * nu x rows of S): the pairs' products summed per class of levels.

    Built per level first (pairs come grouped by level and no entry repeats within one), then
    summed over the levels of each class by one sparse product with the class indicator (much
    faster than sorting two million pairs). P w(theta) is P'.T @ w.
    """
    m1, nu = len(level_class), products.shape[1]
    if nu == 1:
        indptr = np.r_[0, np.cumsum(np.bincount(levels, minlength=m1))]
        per_level = sp.csr_matrix((products[:, 0], rows, indptr), shape=(m1, n_rows))
    else:
        entry = ((levels * nu)[:, None] + np.arange(nu)).ravel()
        per_level = sp.csr_matrix((products.ravel(), (entry, np.repeat(rows, nu))),
                                  shape=(m1 * nu, n_rows))
    to_class = ((level_class * nu)[:, None] + np.arange(nu)).ravel()
    indicator = sp.csr_matrix((np.ones(m1 * nu), (to_class, np.arange(m1 * nu))),
                              shape=(int(level_class.max()) * nu + nu, m1 * nu))
    P = indicator @ per_level
    P.eliminate_zeros()
    return P


class TailSystem:
    """The tail's Schur complement S(theta) for one set of cross-products, and its Cholesky.

    Built once per model (the symbolic work: B's pairs or dense B, where S's nonzeros go, and
    for a large sparse S CHOLMOD's analysis); each theta then costs one sparse or BLAS
    product and one Cholesky, dense (LAPACK) or supernodal sparse (CHOLMOD).
    """

    def __init__(self, cp: CrossProducts):
        first = cp.blocks[0]
        m1, q1 = first.m, first.q
        # W_i depends on level i only through Z_i'Z_i: levels with equal ones share it
        # (InstEval's 2972 students have 70 distinct numbers of ratings)
        classes, level_class = np.unique(cp.A11.reshape(m1, -1), axis=0, return_inverse=True)
        self.level_class = level_class.ravel()
        self.lam1, self.A11 = first.lam, classes.reshape(-1, q1, q1)
        self.class_size = np.bincount(self.level_class).astype(float)
        self.qr, self.p, self.nt = cp.qr, cp.p, cp.qr + cp.p + 1
        self.upper = np.triu_indices(q1)  # W_i's unique entries, in _pairs' order
        self.lam_r = (cp.lam_r_rows, cp.lam_r_cols, cp.lam_r_theta)
        self.diagonal = bool(np.array_equal(cp.lam_r_rows, cp.lam_r_cols))
        B, A = _tail_matrices(cp)
        self.B, self.lock = B, threading.Lock()  # the lock: CHOLMOD keeps one numeric factor
        level, col, values = _level_entries(B, q1)
        nu = len(self.upper[0])
        self.pairs = _pair_count(level, m1) * nu * PAIR_COST < m1 * q1 * self.nt ** 2
        self.sparse = None
        if self.pairs:
            self._build_pairs(level, col, values, A, nu)
        else:
            self.Bd, self.A = B.toarray().reshape(m1, q1, self.nt), A

    def _build_pairs(self, level, col, values, A, nu: int) -> None:
        nt, eye = self.nt, np.arange(self.qr) * (self.nt + 1)
        e, f, products = _pairs(level, col, values, len(self.level_class))
        pos = col[f].astype(np.int64) * nt + col[e]  # (col[e], col[f]) in a Fortran array
        ar, ac = np.nonzero(np.tril(A))
        used = np.zeros(nt * nt, dtype=bool)  # the tail is dense anyway: no sort or hash
        used[pos], used[ac.astype(np.int64) * nt + ar], used[eye] = True, True, True
        dest = np.flatnonzero(used)
        index = np.cumsum(used) - 1
        self.P = _class_products(index[pos], level[e], products, self.level_class, len(dest))
        self.dest, self.dest_r, self.dest_c = dest, dest % nt, dest // nt
        self.A_vals = A.ravel(order="F")[dest]
        self.eye_at = index[eye]
        if self.diagonal and nt >= SPARSE_MIN and len(dest) < SPARSE_DENSITY * nt * (nt + 1) / 2:
            self.sparse = SparseCholesky(self.dest_r, self.dest_c, nt, self.qr)

    def _scale(self, theta: np.ndarray) -> np.ndarray:
        """The diagonal of blockdiag(Lambda_t, I) (when Lambda_t is diagonal)."""
        rows, _, idx = self.lam_r
        d = np.ones(self.nt)
        d[rows] = theta[idx]
        return d

    def _pair_values(self, theta: np.ndarray, K: np.ndarray) -> np.ndarray:
        """S's nonzeros (A_tt - B'WB, then for diagonal Lambda_t scaled and inflated)."""
        W = np.einsum("mab,mac->mbc", K, K)[:, self.upper[0], self.upper[1]]
        vals = self.A_vals - self.P.T @ W.ravel()
        if self.diagonal:
            d = self._scale(theta)
            vals *= d[self.dest_r] * d[self.dest_c]
            vals[self.eye_at] += 1.0
        return vals

    def _dense_schur(self, theta: np.ndarray, K: np.ndarray) -> np.ndarray:
        """S as a dense matrix in Fortran order (its lower triangle at least)."""
        nt = self.nt
        if self.pairs:
            G = np.zeros(nt * nt)
            G[self.dest] = self._pair_values(theta, K)
            if self.diagonal:
                return G.reshape(nt, nt).T  # lower triangle filled: all dpotrf reads
            G[self.dest_r * nt + self.dest_c] = G[self.dest]
            G = G.reshape(nt, nt)
        else:
            C = np.matmul(K[self.level_class], self.Bd).reshape(-1, nt)
            G = self.A - C.T @ C
        if self.diagonal:
            d = self._scale(theta)
            S = (G * np.multiply.outer(d, d)).T
        else:
            rows, cols, idx = self.lam_r
            k = np.arange(self.qr, nt)
            T = sp.csr_matrix((np.r_[theta[idx], np.ones(len(k))],
                               (np.r_[rows, k], np.r_[cols, k])), shape=(nt, nt))
            S = np.asfortranarray(T.T @ np.asarray(T.T @ G).T)  # T'GT, G symmetric
        k = np.arange(self.qr)
        S[k, k] += 1.0
        return S

    def _factor(self, theta: np.ndarray):
        """(dense lower factor or CHOLMOD factor, its diagonal, sum log|M_i|), or None."""
        first = level_factors(self.A11, self.lam1(theta), self.class_size)
        if first is None:
            return None
        K, ld1 = first
        if self.sparse is not None:
            diag = self.sparse.factor(self._pair_values(theta, K))
            return None if diag is None else (self.sparse, diag, ld1)
        L, info = _potrf(self._dense_schur(theta, K), lower=1, clean=0, overwrite_a=1)
        if info != 0 or not L[-1, -1] > 0:
            return None
        return L, L.diagonal(), ld1

    def _pieces(self, diag: np.ndarray, ld1: float) -> tuple[float, float, float]:
        logd = np.log(diag)
        qr, p = self.qr, self.p
        return (ld1 + 2.0 * float(logd[:qr].sum()), 2.0 * float(logd[qr : qr + p].sum()),
                float(diag[-1]) ** 2)

    def pieces(self, theta: np.ndarray) -> tuple[float, float, float] | None:
        """(ldL2, ldRX2, pwrss) at theta, or None where the system is not positive definite."""
        with self.lock:
            out = self._factor(theta)
            return None if out is None else self._pieces(*out[1:])

    def solve(self, theta: np.ndarray):
        """(ldL2, ldRX2, pwrss), beta - beta_offset and (RX'RX)^-1 at theta, or None.

        With z = S^-1 e_y: beta = -z_X / z_y, and the [Zr X] system's inverse is S^-1's
        less z z' / z_y (a bordered inverse), so its X block is (RX'RX)^-1.
        """
        with self.lock:
            out = self._factor(theta)
            if out is None:
                return None
            factor, diag, ld1 = out
            rhs = np.eye(self.nt)[:, self.qr :]
            dense = isinstance(factor, np.ndarray)
            Z = _potrs(factor, rhs, lower=1)[0] if dense else factor.solve(rhs)
        x = slice(self.qr, self.qr + self.p)
        z, zy = Z[x, -1], Z[-1, -1]
        return self._pieces(diag, ld1), -z / zy, Z[x, : self.p] - np.outer(z, z) / zy

    # ----- for analytic derivatives (derivatives.py) ---------------------------------------
    def schur_matrix(self, theta: np.ndarray) -> np.ndarray | None:
        """S(theta) dense (its lower triangle; Fortran order, for LAPACK), or None if the
        first block is not positive definite."""
        first = level_factors(self.A11, self.lam1(theta), self.class_size)
        return None if first is None else self._dense_schur(theta, first[0])

    def gram(self, W: np.ndarray, n: int) -> np.ndarray:
        """sum_i B_i' W_i B_i (dense, unscaled, its leading n x n block) for symmetric W_i
        given per class (c, q1, q1)."""
        if not self.pairs:
            B = self.Bd[:, :, :n]
            return B.reshape(-1, n).T @ np.matmul(W[self.level_class], B).reshape(-1, n)
        inside = (self.dest_r < n) & (self.dest_c < n)  # dest_r >= dest_c
        values = (self.P.T @ W[:, self.upper[0], self.upper[1]].ravel())[inside]
        r, c = self.dest_r[inside], self.dest_c[inside]
        G = np.zeros(n * n)
        G[r * n + c] = values
        G[c * n + r] = values
        return G.reshape(n, n)

    def level_quadratic(self, Sigma: np.ndarray, scale: np.ndarray) -> np.ndarray:
        """sum over the levels i of each class of B_i D Sigma D B_i' (c, q1, q1), for a
        symmetric n x n Sigma (n <= nt; zero beyond) and D = diag(scale)."""
        q1, n = self.A11.shape[1], len(Sigma)
        if not self.pairs:
            B = self.Bd[:, :, :n] * scale
            per_level = np.einsum("lan,lbn->lab", B @ Sigma, B)
            out = np.zeros((len(self.class_size), q1, q1))
            np.add.at(out, self.level_class, per_level)
            return out
        inside = (self.dest_r < n) & (self.dest_c < n)
        r, c = self.dest_r[inside], self.dest_c[inside]
        sigma = np.zeros(len(self.dest))
        sigma[inside] = Sigma[r, c] * scale[r] * scale[c] * np.where(r == c, 1.0, 2.0)
        pairs = (self.P @ sigma).reshape(-1, len(self.upper[0]))  # each pair stands for two
        out = np.zeros((pairs.shape[0], q1, q1))
        half = np.where(self.upper[0] == self.upper[1], 1.0, 0.5)  # a != b: both orders summed
        out[:, self.upper[0], self.upper[1]] = pairs * half
        out[:, self.upper[1], self.upper[0]] = pairs * half
        return out


_TAILS: dict[int, TailSystem] = {}


def tail_system(cp: CrossProducts) -> TailSystem:
    """cp's TailSystem, built once and freed with cp: a fit's deviance and its derivatives
    (Satterthwaite's df) share the symbolic work. Not pickled with cp (CHOLMOD's factor
    cannot be)."""
    tail = _TAILS.get(id(cp))
    if tail is None:
        tail = _TAILS[id(cp)] = TailSystem(cp)
        weakref.finalize(cp, _TAILS.pop, id(cp), None)
    return tail
