"""Supernodal sparse Cholesky (CHOLMOD, through cvxopt) of a matrix whose pattern never changes.

lme4 factors its whole system with CHOLMOD; lmm_core does so only for the tail that is left
after the first grouping factor, and only when that tail is large and sparse (InstEval: 1,159
columns, 22% of them nonzero; CHOLMOD's supernodal factor takes 7 ms where LAPACK's dense one
takes 17). The fill-reducing ordering (AMD) and the symbolic analysis are done once; the last
columns (X and y) are kept last, so that the factor's diagonal still holds RX and sqrt(pwrss)
where the deviance expects them.

One object holds one numeric factor at a time (CHOLMOD overwrites it in place): use it from
one thread, as each fit's deviance function is.
"""

from __future__ import annotations

import numpy as np
from cvxopt import amd, cholmod, matrix, spmatrix

__all__ = ["SparseCholesky"]


def _index(values: np.ndarray) -> np.ndarray:
    """Indices as cvxopt's integer matrices hold them (C long), contiguous."""
    return np.ascontiguousarray(values, dtype=np.dtype("l"))


class SparseCholesky:
    """factor(values) -> the factor's diagonal (None if not positive definite); solve(rhs).

    rows, cols: the lower triangle's nonzeros (rows >= cols), sorted by column and then row
    (Fortran order), the order of ``values``; columns from ``keep_from`` on stay last.
    """

    def __init__(self, rows: np.ndarray, cols: np.ndarray, n: int, keep_from: int):
        rows, cols = _index(rows), _index(cols)
        head = (rows < keep_from) & (cols < keep_from)
        order = np.zeros(0, dtype=rows.dtype)
        if keep_from:
            pattern = spmatrix(1.0, matrix(rows[head]), matrix(cols[head]), (keep_from, keep_from))
            order = np.array(amd.order(pattern, uplo="L"), dtype=rows.dtype).ravel()
        # The matrix whose values factor() replaces: spmatrix keeps them in column-major
        # order, the order of ``values`` (building a new one would cost more than CHOLMOD).
        self.matrix = spmatrix(1.0, matrix(rows), matrix(cols), (n, n))
        if len(self.matrix.V) != len(rows):
            raise ValueError("rows and cols must not repeat an entry")
        perm = matrix(np.concatenate([order, np.arange(keep_from, n, dtype=rows.dtype)]))
        self.symbolic = cholmod.symbolic(self.matrix, p=perm, uplo="L")
        self.factored = False

    def factor(self, values: np.ndarray) -> np.ndarray | None:
        self.matrix.V = matrix(np.ascontiguousarray(values, dtype=float))
        try:
            cholmod.numeric(self.matrix, self.symbolic)
        except ArithmeticError:  # not positive definite
            self.factored = False
            return None
        self.factored = True
        diag = np.array(cholmod.diag(self.symbolic)).ravel()
        return diag if diag[-1] > 0 else None

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        """S^-1 rhs with the last factor."""
        if not self.factored:
            raise ValueError("factor() a positive definite matrix before solve()")
        out = matrix(np.asfortranarray(rhs, dtype=float))
        cholmod.solve(self.symbolic, out)
        return np.array(out)
