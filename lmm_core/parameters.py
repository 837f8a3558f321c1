"""One parameter layer: theta <-> Lambda <-> SDs and correlations <-> names.

A random-effects term with q effects per group has a q x q lower-triangular relative
covariance factor Lambda; theta fills its lower triangle column by column (lme4's order), the
effects' covariance is sigma^2 Lambda Lambda', and lme4's confint(oldNames = FALSE) names its
SDs and correlations "sd_<effect>|<group>" and "cor_<row effect>.<column effect>|<group>", in
theta's order. Covariance holds these conversions for one term (MixedModels.jl's ReMat does the
same); the functions below apply them to every term of a model, in lme4's order: the
variance parameters (per term, then sigma), then the fixed effects, as lme4's confint().
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

__all__ = ["Covariance", "covariances", "variance_names", "parameter_names", "sdcor",
           "theta_from_sdcor", "split_theta"]


@cache
def _lower_triangle(q: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of a q x q lower triangle in theta's (column-major) order."""
    rows, cols = np.tril_indices(q)
    order = np.lexsort((rows, cols))
    return rows[order], cols[order]


@dataclass(frozen=True)
class Covariance:
    """The covariance parameters of one random-effects term."""

    group: str
    cnames: tuple[str, ...]

    @property
    def q(self) -> int:
        return len(self.cnames)

    @property
    def ntheta(self) -> int:
        return self.q * (self.q + 1) // 2

    @property
    def rows(self) -> np.ndarray:
        """Lambda's row of each theta element."""
        return _lower_triangle(self.q)[0]

    @property
    def cols(self) -> np.ndarray:
        """Lambda's column of each theta element."""
        return _lower_triangle(self.q)[1]

    def lower(self) -> np.ndarray:
        """theta's bounds: 0 on Lambda's diagonal (an SD), -inf below it."""
        return np.where(self.rows == self.cols, 0.0, -np.inf)

    def start(self) -> np.ndarray:
        """lme4's default start: Lambda = I."""
        return (self.rows == self.cols).astype(float)

    def theta_names(self) -> list[str]:
        """lme4's names of theta: "Subject.(Intercept)", "Subject.Days.(Intercept)"."""
        return [f"{self.group}.{self.cnames[r]}" if r == c
                else f"{self.group}.{self.cnames[r]}.{self.cnames[c]}"
                for r, c in zip(self.rows, self.cols, strict=True)]

    def sdcor_names(self) -> list[str]:
        """lme4's confint(oldNames = FALSE) names, in theta's order."""
        return [f"sd_{self.cnames[r]}|{self.group}" if r == c
                else f"cor_{self.cnames[r]}.{self.cnames[c]}|{self.group}"
                for r, c in zip(self.rows, self.cols, strict=True)]

    def lambda_(self, theta: np.ndarray) -> np.ndarray:
        """Lambda for theta (..., ntheta) -> (..., q, q)."""
        theta = np.asarray(theta, dtype=float)
        lam = np.zeros(theta.shape[:-1] + (self.q, self.q))
        lam[..., self.rows, self.cols] = theta
        return lam

    def relative_covariance(self, theta: np.ndarray) -> np.ndarray:
        """Lambda Lambda' (the covariance in units of sigma^2)."""
        lam = self.lambda_(theta)
        return lam @ np.swapaxes(lam, -1, -2)

    def sdcor(self, theta: np.ndarray, sigma, undefined: float = np.nan) -> np.ndarray:
        """SDs (sigma times Lambda's row norms) and correlations, in theta's order; a
        correlation with a zero SD is undefined (NaN, as in R, unless given)."""
        cov = self.relative_covariance(theta)
        sd = np.sqrt(np.diagonal(cov, axis1=-2, axis2=-1))
        r, c = self.rows, self.cols
        denom = sd[..., r] * sd[..., c]
        cor = np.divide(cov[..., r, c], denom, out=np.full(denom.shape, undefined),
                        where=denom > 0)
        return np.where(r == c, np.asarray(sigma, dtype=float)[..., None] * sd[..., r], cor)

    def theta(self, values: np.ndarray, sigma: float) -> np.ndarray | None:
        """theta from SDs and correlations (lme4's Sv_to_Cv); None if the correlations do
        not form a positive semi-definite matrix."""
        r, c = self.rows, self.cols
        values = np.asarray(values, dtype=float)
        sd = np.zeros(self.q)
        sd[r[r == c]] = values[r == c] / sigma
        cov = np.diag(sd**2)
        off = r != c
        cov[r[off], c[off]] = cov[c[off], r[off]] = values[off] * sd[r[off]] * sd[c[off]]
        lam = _cholesky_psd(cov)
        return None if lam is None else lam[r, c]


def _cholesky_psd(A: np.ndarray) -> np.ndarray | None:
    """Lower Cholesky factor that allows zero pivots (an SD of 0 or a correlation of +-1)."""
    q = len(A)
    L = np.zeros_like(A)
    for j in range(q):
        d = A[j, j] - L[j, :j] @ L[j, :j]
        if d < -1e-10 * max(1.0, A[j, j]):
            return None
        L[j, j] = np.sqrt(max(d, 0.0))
        for i in range(j + 1, q):
            s = A[i, j] - L[i, :j] @ L[j, :j]
            L[i, j] = s / L[j, j] if L[j, j] > 0 else 0.0
    return L


# ----- every term of a model --------------------------------------------------------------
def covariances(mm) -> list[Covariance]:
    """One Covariance per random-effects term, in lme4's order."""
    return [t.covariance for t in mm.reterms]


def split_theta(mm, theta: np.ndarray) -> list[np.ndarray]:
    """theta (..., k) cut into each term's part."""
    theta = np.asarray(theta, dtype=float)
    ends = np.cumsum([c.ntheta for c in covariances(mm)])
    return np.split(theta, ends[:-1], axis=-1)


def variance_names(mm) -> list[str]:
    """The SDs and correlations of every term, then "sigma"."""
    return [name for c in covariances(mm) for name in c.sdcor_names()] + ["sigma"]


def parameter_names(mm) -> list[str]:
    """Every parameter of a fit in lme4's confint() order: variance parameters, then fixed."""
    return variance_names(mm) + list(mm.xnames)


def sdcor(mm, theta: np.ndarray, sigma, undefined: float = np.nan) -> np.ndarray:
    """SDs, correlations and sigma (variance_names' order) for theta (..., k) and sigma (...)."""
    sigma = np.asarray(sigma, dtype=float)
    parts = [c.sdcor(t, sigma, undefined)
             for c, t in zip(covariances(mm), split_theta(mm, theta), strict=True)]
    return np.concatenate(parts + [sigma[..., None]], axis=-1)


def theta_from_sdcor(mm, values: np.ndarray) -> np.ndarray | None:
    """theta from variance_names' values (sigma last); None if one term's are impossible."""
    values = np.asarray(values, dtype=float)
    sigma, out, start = values[-1], [], 0
    for c in covariances(mm):
        theta = c.theta(values[start : start + c.ntheta], sigma)
        if theta is None:
            return None
        out.append(theta)
        start += c.ntheta
    return np.concatenate(out) if out else np.empty(0)
