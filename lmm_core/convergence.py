"""lme4's convergence checks (checkConv): singular fit, scaled gradient, Hessian.

Derivatives are lme4's deriv12: central finite differences of the profiled deviance with
step 1e-4 at the optimum. Messages are lme4's words, so students can look them up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Derivatives", "ConvergenceCheck", "deriv12", "is_singular", "check_convergence",
           "SINGULAR_MESSAGE"]

SINGULAR_MESSAGE = "boundary (singular) fit: see help('isSingular')"
GRAD_TOL = 0.002
HESS_TOL = 1e-6
SINGULAR_TOL = 1e-4


@dataclass(frozen=True)
class Derivatives:
    gradient: np.ndarray
    hessian: np.ndarray


@dataclass(frozen=True)
class ConvergenceCheck:
    """What lme4's checkConv found. failed: a check with a negative lme4 code (scaled
    gradient too large or not computable, a degenerate or singular Hessian, NAs); a
    singular fit and "nearly unidentifiable" (codes 2 and 3) are warnings, not failures."""

    messages: tuple[str, ...]
    derivs: Derivatives | None
    failed: bool


def deriv12(fun: Callable, x: np.ndarray, fx: float, delta: float = 1e-4) -> Derivatives:
    """Gradient and Hessian by central differences, exactly as lme4's deriv12."""
    x = np.asarray(x, dtype=float)
    k = len(x)
    grad, hess = np.zeros(k), np.zeros((k, k))
    step = np.eye(k) * delta
    for j in range(k):
        fadd, fsub = fun(x + step[j]), fun(x - step[j])
        hess[j, j] = (fadd - 2.0 * fx + fsub) / delta**2
        grad[j] = (fadd - fsub) / (2.0 * delta)
        for i in range(j):
            d = (fun(x + step[i] + step[j]) - fun(x + step[i] - step[j])
                 - fun(x - step[i] + step[j]) + fun(x - step[i] - step[j]))
            hess[i, j] = hess[j, i] = d / (4.0 * delta**2)
    return Derivatives(grad, hess)


def is_singular(theta: np.ndarray, lower: np.ndarray, tol: float = SINGULAR_TOL) -> bool:
    """lme4's isSingular: a variance parameter (lower bound 0) within tol of its bound."""
    return bool(np.any(np.asarray(theta)[np.asarray(lower) == 0] < tol))


def check_convergence(devfun: Callable, theta: np.ndarray, fmin: float,
                      lower: np.ndarray) -> ConvergenceCheck:
    """lme4's checkConv for an LMM: the messages it would give, and the derivatives used."""
    if is_singular(theta, lower):
        return ConvergenceCheck((SINGULAR_MESSAGE,), None, False)
    derivs = deriv12(devfun, theta, fmin)
    if not np.all(np.isfinite(derivs.gradient)):
        return ConvergenceCheck(("Gradient contains NAs",), derivs, True)
    grad_message = _gradient_message(derivs)
    hess_messages, hess_failed = _hessian_messages(derivs.hessian)
    messages = ([grad_message] if grad_message else []) + hess_messages
    return ConvergenceCheck(tuple(messages), derivs, bool(grad_message) or hess_failed)


def _gradient_message(derivs: Derivatives) -> str | None:
    try:
        chol = np.linalg.cholesky(derivs.hessian)  # R's chol() is the upper factor = chol.T
        scgrad = np.linalg.solve(chol.T, derivs.gradient)
    except np.linalg.LinAlgError:
        return "unable to evaluate scaled gradient"
    if not np.all(np.isfinite(scgrad)):
        return "unable to evaluate scaled gradient"
    mingrad = np.minimum(np.abs(scgrad), np.abs(derivs.gradient))
    if mingrad.max() > GRAD_TOL:
        return (f"Model failed to converge with max|grad| = {_g(mingrad.max())} "
                f"(tol = {_g(GRAD_TOL)}, component 1)")
    return None


def _hessian_messages(hess: np.ndarray, tol: float = HESS_TOL) -> tuple[list[str], bool]:
    """lme4's checkHess: (messages, failed), failed for its negative codes."""
    if not np.all(np.isfinite(hess)):
        return ["Problem with Hessian check (infinite or missing values?)"], True
    ev = np.linalg.eigvalsh(hess)
    negative = int(np.sum(ev < -tol))
    if negative:
        return [
            "Model failed to converge: degenerate  Hessian with "
            f"{negative} negative eigenvalues"
        ], True
    if np.any(np.abs(ev) < tol) or ev.min() <= 0:
        return [" Hessian is numerically singular: parameters are not uniquely determined"], True
    messages = []
    if ev.max() * tol > 1:
        messages.append(
            "Model is nearly unidentifiable: very large eigenvalue\n - Rescale variables?"
        )
    if ev.min() / ev.max() < tol:
        messages.append(
            "Model is nearly unidentifiable: large eigenvalue ratio\n - Rescale variables?"
        )
    return messages, False


def _g(x: float) -> str:
    """R's %g format (6 significant digits, no trailing zeros)."""
    return f"{x:g}"
