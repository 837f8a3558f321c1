"""lme4's input checks that need only the model matrices (lFormula's check.scaleX)."""

from __future__ import annotations

import numpy as np

__all__ = ["SCALE_MESSAGE", "scale_message"]

SCALE_MESSAGE = "Some predictor variables are on very different scales: consider rescaling"


def scale_message(X: np.ndarray, tol: float = 1000.0) -> str | None:
    """lme4's checkScaleX: warn when a non-0/1 column of X has an SD above tol or below 1/tol,
    or two such columns' SDs differ by more than a factor tol (the optimizer and lme4's
    derivative checks then work on a badly scaled surface)."""
    continuous = [j for j in range(X.shape[1]) if not np.isin(X[:, j], (0.0, 1.0)).all()]
    if not continuous:
        return None
    with np.errstate(divide="ignore"):
        log_sd = np.log(np.std(X[:, continuous], axis=0, ddof=1))
    spread = np.abs(log_sd[:, None] - log_sd[None, :])
    if max(np.abs(log_sd).max(), spread.max()) > np.log(tol):
        return SCALE_MESSAGE
    return None
