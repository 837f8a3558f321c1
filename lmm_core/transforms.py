"""R's functions that learn from the data: scale() and poly(), ported from R's stats sources.

Each has a ``learn`` step (on the fitted data) and an ``apply`` step that takes what was
learned, so that predict() on new data centres, scales and builds polynomials with the fitted
data's numbers, as R's makepredictcall does for the variables of a model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import DataError

__all__ = ["Scaling", "learn_scale", "apply_scale", "PolyCoefs", "learn_poly", "apply_poly",
           "raw_poly"]


@dataclass(frozen=True)
class Scaling:
    """scale()'s "scaled:center" and "scaled:scale" (None where it did not centre or scale)."""

    center: float | None
    scale: float | None


def learn_scale(x: np.ndarray, center, scale) -> Scaling:
    """base::scale.default for one column: center/scale are True, False or a number.

    With center = FALSE, scale = TRUE divides by the root mean square sqrt(sum(x^2)/(n-1)).
    """
    present = x[~np.isnan(x)]
    if center is True:
        center = float(present.mean()) if len(present) else np.nan
    elif center is False:
        center = None
    shifted = present - (center or 0.0)
    if scale is True:
        scale = float(np.sqrt(np.sum(shifted**2) / max(1, len(present) - 1)))
    elif scale is False:
        scale = None
    return Scaling(None if center is None else float(center),
                   None if scale is None else float(scale))


def apply_scale(x: np.ndarray, s: Scaling) -> np.ndarray:
    out = x - s.center if s.center is not None else x
    return out / s.scale if s.scale is not None else out


@dataclass(frozen=True)
class PolyCoefs:
    """attr(poly(x, degree), "coefs"): the recurrence's alpha and norm2."""

    alpha: tuple[float, ...]
    norm2: tuple[float, ...]


def learn_poly(x: np.ndarray, degree: int, label: str) -> tuple[np.ndarray, PolyCoefs]:
    """stats::poly(x, degree): orthonormal polynomials and their coefficients, as R computes
    them (a QR decomposition of the centred powers; Z = Q diag(R) does not depend on signs)."""
    if np.any(np.isnan(x)):
        raise DataError(f"{label} cannot use a column with missing values (R's poly() refuses "
                        "them too): remove the rows where it is missing first.")
    if degree >= len(np.unique(x)):
        raise DataError(f"{label} needs more distinct values than its degree ({degree}): "
                        "use a lower degree.")
    xbar = float(x.mean())
    xc = x - xbar
    powers = xc[:, None] ** np.arange(degree + 1)
    q, r = np.linalg.qr(powers)
    if np.any(np.abs(np.diag(r)) <= 1e-7 * np.abs(r[0, 0])):
        raise DataError(f"{label} needs more distinct values than its degree ({degree}): "
                        "use a lower degree.")
    z = q * np.diag(r)
    norm2 = np.sum(z**2, axis=0)
    alpha = (np.sum(xc[:, None] * z**2, axis=0) / norm2 + xbar)[:degree]
    coefs = PolyCoefs(tuple(map(float, alpha)), (1.0, *map(float, norm2)))
    return z[:, 1:] / np.sqrt(norm2[1:]), coefs


def apply_poly(x: np.ndarray, degree: int, coefs: PolyCoefs) -> np.ndarray:
    """poly(x, degree, coefs = ...): the three-term recurrence on new values."""
    alpha, norm2 = coefs.alpha, coefs.norm2
    z = np.ones((len(x), degree + 1))
    z[:, 1] = x - alpha[0]
    for i in range(1, degree):
        z[:, i + 1] = (x - alpha[i]) * z[:, i] - (norm2[i + 1] / norm2[i]) * z[:, i - 1]
    return z[:, 1:] / np.sqrt(np.asarray(norm2[2:]))


def raw_poly(x: np.ndarray, degree: int) -> np.ndarray:
    """poly(x, degree, raw = TRUE): x, x^2, ..., x^degree."""
    return x[:, None] ** np.arange(1, degree + 1)
