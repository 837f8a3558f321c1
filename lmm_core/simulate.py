"""simulate(): new responses from a fitted model, as lme4's simulate.merMod.

Also here: resample_matrices(), the fitted design on a resampled set of rows or groups, for
case and cluster bootstraps.

Each simulated response is X beta + Z b + e with e ~ N(0, sigma^2 I). By default the random
effects are new draws, b = sigma Lambda u with u ~ N(0, I) (JSS eq. 2: b ~ N(0, sigma^2 Lambda
Lambda')), which is what lme4 does and what a parametric bootstrap needs: new groups from the
fitted population. With ``use_u=True`` the fitted conditional modes are kept and only the noise
is new (lme4's use.u = TRUE): "the same groups, measured again".

All nsim responses come from one call to the generator, which fills the draws simulation by
simulation: the first k columns of nsim=N equal nsim=k for the same seed, and a bootstrap can
draw its responses in chunks from one generator without changing them.
"""

from __future__ import annotations

import numbers
from dataclasses import replace

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .design import check_reterms
from .errors import LmmError
from .variables import Factor, expr_columns

__all__ = ["simulate", "as_generator", "random_effects_matrix", "design_columns", "draw_rows",
           "resample_matrices", "resampled_design"]


def as_generator(rng) -> np.random.Generator:
    """A numpy Generator from a Generator, an int seed or None (fresh entropy)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, numbers.Integral):
        return np.random.default_rng(rng)
    raise LmmError(
        f"rng must be a numpy Generator, an integer seed or None, not {type(rng).__name__}. "
        "Pass e.g. rng=42 for reproducible draws."
    )


def _check_nsim(nsim) -> int:
    if isinstance(nsim, bool) or not isinstance(nsim, numbers.Integral) or nsim < 1:
        raise LmmError(f"nsim must be a whole number of at least 1, not {nsim!r}.")
    return int(nsim)


def random_effects_matrix(fit) -> sp.csr_matrix:
    """Z (n x sum of m*q over blocks), columns level-major within each block, as fit.pls.u."""
    parts = []
    n = fit.nobs
    for blk in fit.cp.blocks:
        rows = np.repeat(np.arange(n), blk.q)
        cols = (blk.codes[:, None] * blk.q + np.arange(blk.q)).ravel()
        parts.append(sp.csr_matrix((blk.Zi.ravel(), (rows, cols)), shape=(n, blk.m * blk.q)))
    return sp.hstack(parts, format="csr")


def _spherical_to_b(fit, u: np.ndarray) -> np.ndarray:
    """b = Lambda u for stacked u of shape (sum m*q, nsim), block by block."""
    out, off = np.empty_like(u), 0
    for blk in fit.cp.blocks:
        size = blk.m * blk.q
        ub = u[off : off + size].reshape(blk.m, blk.q, -1)
        out[off : off + size] = np.einsum("ij,mjs->mis", blk.lam(fit.theta), ub).reshape(size, -1)
        off += size
    return out


def simulate_matrix(fit, nsim: int, rng: np.random.Generator, use_u: bool = False) -> np.ndarray:
    """The (n, nsim) responses; rng must already be a Generator (no checks: internal use)."""
    n = fit.nobs
    Z = random_effects_matrix(fit)
    mean = fit.mm.X @ fit.pls.beta
    if use_u:
        b = np.concatenate([bk.ravel() for bk in fit.pls.b])
        noise = rng.standard_normal((nsim, n)).T
        return (mean + Z @ b)[:, None] + fit.sigma * noise
    k = Z.shape[1]
    draws = rng.standard_normal((nsim, k + n)).T  # row s of the draw = simulation s
    b = fit.sigma * _spherical_to_b(fit, np.ascontiguousarray(draws[:k]))
    return mean[:, None] + Z @ b + fit.sigma * draws[k:]


def design_columns(fit) -> list[str]:
    """The data columns the formula uses (response, predictors, grouping), in data order."""
    formula = fit.mm.formula
    used = set(formula.grouping_variables)
    for expr in formula.variables.values():
        used |= expr_columns(expr)
    return [c for c in fit.mm.frame.columns if c in used]


def _long_frame(fit, sims: np.ndarray) -> pd.DataFrame:
    """Design columns repeated per simulation, the response replaced, plus `.sim` (1..nsim).

    A transformed response such as log(y) cannot be written back into column y, so its
    simulated values go to a column named by the label (e.g. "log(y)").
    """
    base = fit.mm.frame[design_columns(fit)].reset_index(drop=True)
    nsim = sims.shape[1]
    out = base.iloc[np.tile(np.arange(len(base)), nsim)].reset_index(drop=True)
    out[fit.mm.formula.response] = sims.T.ravel()
    out[".sim"] = np.repeat(np.arange(1, nsim + 1), len(base))
    return out


def simulate(fit, nsim: int = 1, *, rng=None, use_u: bool = False, as_frame: bool = False):
    """New responses from the fitted model: an (n, nsim) array, or a long DataFrame.

    use_u=False draws new random effects from the fitted covariance (lme4's default), so each
    simulation is a new sample of groups; use_u=True keeps the fitted conditional modes.
    as_frame=True returns the design columns stacked nsim times with the response replaced
    and a `.sim` column numbering the simulations from 1, ready for lineups and plots.
    """
    nsim = _check_nsim(nsim)
    sims = simulate_matrix(fit, nsim, as_generator(rng), use_u=use_u) + fit.mm.offset[:, None]
    return _long_frame(fit, sims) if as_frame else sims


# ----- resampling rows or groups (case and cluster bootstraps) ---------------------------------
def draw_rows(mm, kind: str, term, rng: np.random.Generator):
    """Row indices of one bootstrap sample and, for "cluster", the copy number of each row
    (rows of the k-th drawn group are copy k, whichever group was drawn)."""
    if kind == "case":
        return rng.integers(0, mm.n, mm.n), None
    m, codes = term.nlevels, term.factor.codes
    order = np.argsort(codes, kind="stable")  # rows grouped by level
    counts = np.bincount(codes, minlength=m)
    starts = np.cumsum(counts) - counts
    chosen = rng.integers(0, m, m)
    lengths = counts[chosen]
    within = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return order[np.repeat(starts[chosen], lengths) + within], np.repeat(np.arange(m), lengths)


def _factor_rows(factor: Factor, idx, copy) -> Factor:
    """The factor on the drawn rows: unused levels dropped, each drawn copy its own level."""
    codes = factor.codes[idx]
    if copy is None:
        used, new = np.unique(codes, return_inverse=True)
        return Factor(new.astype(np.intp), tuple(factor.levels[k] for k in used))
    pairs, new = np.unique(np.column_stack([copy, codes]), axis=0, return_inverse=True)
    labels = tuple(f"{factor.levels[c]}#{k + 1}" for k, c in pairs)
    return Factor(new.reshape(-1).astype(np.intp), labels)


def resampled_design(mm, kind: str, term, rng: np.random.Generator):
    """(random-effects terms, X, y) of one bootstrap sample of rows ("case") or of the levels
    of ``term``'s grouping factor ("cluster", each drawn copy a level of its own): what a
    refit needs, without the data frame (a bootstrap draws a thousand of them).

    The terms keep the fit's order (so theta keeps its layout) and rows of the fitted design
    are reused, so transforms such as scale() keep the original data's centre and scale. In a
    cluster sample, every grouping factor built on the resampled columns (the factor itself,
    or a nested a:b) tells drawn copies apart. Raises LmmError for a sample that cannot be
    fitted (a constant fixed-effect column, a grouping factor left with one level).
    """
    idx, copy = draw_rows(mm, kind, term, rng)
    columns = set(term.source.group)
    reterms = tuple(replace(t, Xi=t.Xi[idx], factor=_factor_rows(
        t.factor, idx, copy if copy is not None and columns & set(t.source.group) else None))
        for t in mm.reterms)
    X = mm.X[idx]
    if np.linalg.matrix_rank(X) < mm.p:
        raise LmmError("a fixed-effect column is constant or collinear in this sample "
                       "(for example a factor level that was not drawn)")
    check_reterms(list(reterms), len(idx), mm.formula)
    return reterms, X, mm.y[idx], idx, copy


def resample_matrices(mm, kind: str, term, rng: np.random.Generator):
    """The fitted design (ModelMatrices, with its data frame) on a bootstrap sample: see
    resampled_design."""
    reterms, X, y, idx, copy = resampled_design(mm, kind, term, rng)
    values = {k: Factor(v.codes[idx], v.levels) if isinstance(v, Factor) else v[idx]
              for k, v in mm.values.items()}
    frame = mm.frame.iloc[idx]  # the index says which rows were drawn
    if copy is not None:
        first = term.source.group[0]
        frame = frame.assign(**{first: [f"{v}#{k + 1}" for v, k in
                                        zip(frame[first].astype(str), copy, strict=True)]})
    return replace(mm, y=y, X=X, reterms=reterms, frame=frame, values=values)
