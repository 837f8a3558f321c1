"""Satterthwaite's degrees of freedom for tests of fixed effects, computed as lmerTest does.

lmerTest (Kuznetsova, Brockhoff & Christensen 2017, JSS 82(13)) treats varpar = (theta, sigma)
as the parameters of the covariance of beta-hat. At the estimates it takes

- A = 2 H^-1, with H the Hessian of the non-profiled deviance D(theta, sigma) ("devfun_vp":
  beta at its conditional estimate, REML or ML as fitted): the asymptotic covariance of varpar;
- J_i = d vcov(beta) / d varpar_i, where vcov(beta) = sigma^2 (RX'RX)^-1 and RX depends on theta.

A contrast L (a row) with variance v = L vcov L' and gradient g_i = L J_i L' then has
df = 2 v^2 / (g'Ag), and a q-row contrast gets lmerTest's F test (contestMD).

D is analytic in sigma (D = ldL2 [+ ldRX2] + pwrss/sigma^2 + nu log(2 pi sigma^2)); its
theta-derivatives and those of (RX'RX)^-1 are exact (derivatives.py: trace formulas on the
blocked factor, one factorization; for a large tail one product in single precision, which
moves the df by ~1e-9), or, where those do not apply (a diagonal theta near zero),
central differences with Richardson extrapolation, numDeriv's genD scheme (d = 0.1, r = 4)
that lmerTest uses. The two agree far below lmerTest's own truncation error (tests compare
them on crossed, nested and random-slope models).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.stats

from .blocked import tail_system
from .derivatives import ThetaDerivatives, theta_derivatives
from .errors import LmmError

__all__ = [
    "DDF_METHODS",
    "VarparCovariance",
    "varpar_covariance",
    "contrast_t_test",
    "contrast_f_test",
    "add_ddf",
]

DDF_METHODS = ("Satterthwaite", "residual", "Wald")
EIGEN_TOL = 1e-8  # lmerTest's tolerance for positive eigenvalues of the Hessian
ZERO_TOL = np.sqrt(np.finfo(float).eps / 7e-7)  # numDeriv's zero.tol


@dataclass(frozen=True)
class VarparCovariance:
    """What Satterthwaite's approximation needs, once per fit (lmerTest's model slots)."""

    vcov_beta: np.ndarray  # (p, p)
    hessian: np.ndarray  # (k+1, k+1) of D at (theta, sigma)
    vcov_varpar: np.ndarray  # (k+1, k+1) A = 2 H^+ (Moore-Penrose, positive eigenvalues only)
    jacobian: np.ndarray  # (k+1, p, p) d vcov(beta) / d varpar
    sigma: float


def varpar_covariance(fit) -> VarparCovariance:
    """A and the Jacobian of vcov(beta) at the estimates (cached on the fit)."""
    cached = fit._cache.get("varpar_covariance")
    if cached is None:
        cached = fit._cache["varpar_covariance"] = _compute(fit)
    return cached


def _compute(fit) -> VarparCovariance:
    theta, sigma = np.asarray(fit.theta, float), fit.sigma
    k, p = len(theta), fit.mm.p
    nu = fit.nobs - p if fit.reml else fit.nobs
    tail = tail_system(fit.cp)  # the fit's own blocked factor, if it has one
    d = theta_derivatives(fit.cp, theta, fit.reml, tail) or _numerical(fit, theta, tail)
    H = np.empty((k + 1, k + 1))
    H[:k, :k] = d.logdet_hess + d.pwrss_hess / sigma**2
    H[:k, k] = H[k, :k] = -2.0 * d.pwrss_grad / sigma**3
    H[k, k] = 6.0 * d.pwrss / sigma**4 - 2.0 * nu / sigma**2
    J = np.empty((k + 1, p, p))
    J[:k] = sigma**2 * d.unscaled_jac
    J[k] = 2.0 * sigma * d.unscaled
    return VarparCovariance(sigma**2 * d.unscaled, H, 2.0 * _pinv_positive(H), J, sigma)


def _numerical(fit, theta: np.ndarray, tail) -> ThetaDerivatives:
    """The same derivatives as lmerTest takes them: numDeriv's Richardson differences of
    log-determinants, pwrss and (RX'RX)^-1 (2 + 4k(k+1) factorizations)."""
    k, p = len(theta), fit.mm.p

    def state(t, full=True):
        """log-determinants, pwrss and (full=True) the unscaled vcov(beta) at theta = t."""
        solved = tail.solve(t) if full else tail.pieces(t)
        if solved is None:
            return np.full(2 + p * p if full else 2, np.nan)
        ldL2, ldRX2, pwrss = solved[0] if full else solved
        scalars = [ldL2 + (ldRX2 if fit.reml else 0.0), pwrss]
        return np.concatenate([scalars, solved[2].ravel()]) if full else np.array(scalars)

    f0, grad, hess = _richardson_derivatives(state, theta, n_scalar=2)
    return ThetaDerivatives(f0[0], grad[:, 0], hess[0], f0[1], grad[:, 1], hess[1],
                            f0[2:].reshape(p, p), grad[:, 2:].reshape(k, p, p))


def _pinv_positive(H: np.ndarray) -> np.ndarray:
    """lmerTest's generalised inverse: only eigenvalues above EIGEN_TOL are inverted."""
    values, vectors = np.linalg.eigh(H)
    pos = values > EIGEN_TOL
    return (vectors[:, pos] / values[pos]) @ vectors[:, pos].T


def _extrapolate(estimates: list[np.ndarray]) -> np.ndarray:
    """Richardson extrapolation of estimates at steps h, h/2, h/4, ... (error in h^2, h^4...)."""
    a = np.array(estimates)
    for m in range(1, len(a)):
        a = (a[1:] * 4.0**m - a[:-1]) / (4.0**m - 1.0)
    return a[0]


def _richardson_derivatives(fun, x: np.ndarray, n_scalar: int, d=0.1, eps=1e-4, r=4):
    """Value, gradient (k, m) of a vector function, and Hessians (n_scalar, k, k) of its
    first n_scalar components, as numDeriv's genD computes them.

    fun(x, False) may return just those first n_scalar components (for the cross terms)."""
    k = len(x)
    f0 = fun(x)
    h0 = np.abs(d * x) + eps * (np.abs(x) < ZERO_TOL)
    grad = np.empty((k, len(f0)))
    hdiag = np.empty((k, n_scalar))
    for i in range(k):
        steps = [h0[i] / 2.0**s for s in range(r)]
        e = np.eye(k)[i]
        pairs = [(fun(x + h * e), fun(x - h * e)) for h in steps]
        grad[i] = _extrapolate([(a - b) / (2 * h) for (a, b), h in zip(pairs, steps, strict=True)])
        hdiag[i] = _extrapolate([(a[:n_scalar] - 2 * f0[:n_scalar] + b[:n_scalar]) / h**2
                                 for (a, b), h in zip(pairs, steps, strict=True)])
    hess = np.zeros((n_scalar, k, k))
    for i in range(k):
        hess[:, i, i] = hdiag[i]
        for j in range(i):
            est = []
            for s in range(r):
                h = h0 / 2.0**s
                step = np.zeros(k)
                step[[i, j]] = h[[i, j]]
                a, b = fun(x + step, False), fun(x - step, False)
                est.append((a - 2 * f0[:n_scalar] + b - hdiag[i] * h[i] ** 2
                            - hdiag[j] * h[j] ** 2) / (2 * h[i] * h[j]))
            hess[:, i, j] = hess[:, j, i] = _extrapolate(est)
    return f0, grad, hess


# ----- tests of contrasts ------------------------------------------------------------------
def _satterthwaite_df(vc: VarparCovariance, L: np.ndarray) -> np.ndarray:
    """df = 2 v^2 / (g'Ag) for each row of L."""
    v = np.einsum("ri,ij,rj->r", L, vc.vcov_beta, L)
    g = np.einsum("ri,kij,rj->rk", L, vc.jacobian, L)
    denom = np.einsum("rk,kl,rl->r", g, vc.vcov_varpar, g)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2.0 * v**2 / denom


def contrast_t_test(fit, L) -> dict:
    """t test of L'beta = 0 with Satterthwaite's df (lmerTest's contest1D)."""
    L = np.asarray(L, float).ravel()
    vc = varpar_covariance(fit)
    estimate = float(L @ fit.pls.beta)
    se = float(np.sqrt(L @ vc.vcov_beta @ L))
    df = float(_satterthwaite_df(vc, L[None, :])[0])
    t = estimate / se
    p = 2.0 * scipy.stats.t.sf(abs(t), df)
    return {"Estimate": estimate, "Std. Error": se, "df": df, "t value": t, "Pr(>|t|)": p}


def contrast_f_test(fit, L) -> dict:
    """F test of L beta = 0 (q rows) with lmerTest's multi-df Satterthwaite (contestMD).

    The contrast is rotated onto the eigenvectors of L vcov L', giving q independent t
    statistics with df nu_m; the F statistic's denominator df is 2E/(E - q), E = sum
    nu_m/(nu_m - 2) (2 if any nu_m <= 2, their mean if all are equal).
    """
    L = np.atleast_2d(np.asarray(L, float))
    if L.shape[0] == 0 or np.isnan(L).any():
        return _f_row(np.nan, np.nan, np.nan, fit.sigma)
    if L.shape[0] == 1:
        res = contrast_t_test(fit, L[0])
        return _f_row(res["t value"] ** 2, 1, res["df"], fit.sigma)
    vc = varpar_covariance(fit)
    values, vectors = np.linalg.eigh(L @ vc.vcov_beta @ L.T)
    order = np.argsort(values)[::-1]  # R's eigen(): decreasing
    values, vectors = values[order], vectors[:, order]
    q = int(np.sum(values > max(np.sqrt(np.finfo(float).eps) * values[0], 0.0)))
    PtL = (vectors.T @ L)[:q]
    if q == 1:
        res = contrast_t_test(fit, PtL[0])
        return _f_row(res["t value"] ** 2, 1, res["df"], fit.sigma)
    F = float(np.sum((PtL @ fit.pls.beta) ** 2 / values[:q]) / q)
    nu = _satterthwaite_df(vc, PtL)
    return _f_row(F, q, _f_ddf(nu), fit.sigma)


def _f_ddf(nu: np.ndarray, tol: float = 1e-8) -> float:
    """lmerTest's get_Fstat_ddf."""
    if np.all(np.abs(np.diff(nu)) < tol):
        return float(np.mean(nu))
    if np.any(nu <= 2):
        return 2.0
    E = float(np.sum(nu / (nu - 2.0)))
    return 2.0 * E / (E - len(nu))


def _f_row(F: float, ndf: float, ddf: float, sigma: float) -> dict:
    mean_sq = F * sigma**2
    p = scipy.stats.f.sf(F, ndf, ddf) if np.isfinite(F) else np.nan
    return {"Sum Sq": mean_sq * ndf, "Mean Sq": mean_sq, "NumDF": ndf, "DenDF": ddf,
            "F value": F, "Pr(>F)": p}


# ----- coefficient tables ------------------------------------------------------------------
def _match_ddf(ddf: str) -> str:
    for name in DDF_METHODS:
        if isinstance(ddf, str) and ddf.lower() == name.lower():
            return name
    raise LmmError(
        f"Unknown ddf {ddf!r}. Choose one of: " + ", ".join(repr(n) for n in DDF_METHODS)
        + " ('Satterthwaite' is lmerTest's default; 'residual' uses n - p degrees of freedom; "
        "'Wald' treats the t value as a z statistic)."
    )


def add_ddf(fit, table: pd.DataFrame, ddf: str) -> pd.DataFrame:
    """The coefficient table with ``df`` and ``Pr(>|t|)`` columns, in lmerTest's order.

    "Satterthwaite": lmerTest's df per coefficient; "residual": n - p for every coefficient
    (a t test as for a linear model); "Wald": infinite df (a z test, as lme4 users often do).
    """
    method = _match_ddf(ddf)
    p = len(table)
    if method == "Satterthwaite":
        df = _satterthwaite_df(varpar_covariance(fit), np.eye(p))
    elif method == "residual":
        df = np.full(p, float(fit.nobs - fit.mm.p))
    else:
        df = np.full(p, np.inf)
    t = table["t value"].to_numpy()
    pvalue = 2.0 * scipy.stats.t.sf(np.abs(t), df)
    out = table[["Estimate", "Std. Error"]].copy()
    out["df"] = df
    out["t value"] = t
    out["Pr(>|t|)"] = pvalue
    return out
