"""Where the optimizer starts: lme4's mkLmerDevfun rule.

lme4 starts at theta = 1 on the diagonal and 0 below it, except when every random term is a
random intercept (1 | f) with a grouping factor of its own: then it starts from a
moment estimate. v_f = var(ave(y, f)) is the variance of the group means of f (one per
row), v_e = var(y) - sum_f v_f, and theta_f = sqrt(v_f / v_e) when v_e > 0. On a flat
likelihood (nlme's Assay) the start decides where the optimizer stops, so it matters for
giving lme4's answers.
"""

from __future__ import annotations

import numpy as np

from .design import ModelMatrices

__all__ = ["start_theta"]


def start_theta(mm: ModelMatrices) -> np.ndarray:
    """lme4's starting theta for the model (lme4's mkLmerDevfun with start = NULL)."""
    terms = mm.reterms
    intercepts_only = all(t.cnames == ("(Intercept)",) for t in terms)
    own_factors = len({t.group for t in terms}) == len(terms)
    if not (intercepts_only and own_factors):
        return mm.theta0
    between = np.array([np.var(_group_means(mm.y, t.factor.codes), ddof=1) for t in terms])
    residual = np.var(mm.y, ddof=1) - between.sum()
    if not np.isfinite(residual) or residual <= 0:
        return mm.theta0
    return np.sqrt(between / residual)


def _group_means(y: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """R's ave(y, f): each row's group mean."""
    sums = np.bincount(codes, weights=y)
    counts = np.bincount(codes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (sums / counts)[codes]
