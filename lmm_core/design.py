"""Stage 1 of lmer(), like lme4's lFormula: a parsed formula + a DataFrame -> ModelMatrices.

The fixed-effects matrix follows R's model.matrix (treatment contrasts, R's rule for when a
factor gets contrasts or full indicators, R-style column names); the random-effects terms are
put in lme4's order (decreasing number of levels) with lme4's checks on their sizes.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd

from .errors import DataError, ModelSpecError
from .parameters import Covariance
from .terms import Formula, ModelTerms, Name, RandomTerm
from .variables import Factor, as_factor, column, evaluate, expr_columns, interaction

__all__ = ["ReTerm", "ModelMatrices", "model_matrices", "model_matrix", "rank_deficient_columns",
           "check_reterms"]


@dataclass(frozen=True)
class ReTerm:
    """One random-effects term: the columns of Z for each level of its grouping factor."""

    group: str
    cnames: tuple[str, ...]
    factor: Factor
    Xi: np.ndarray  # (n, q) values of the term's model matrix
    source: RandomTerm  # the formula term it came from (to rebuild it on new data)

    @property
    def q(self) -> int:
        return len(self.cnames)

    @property
    def nlevels(self) -> int:
        return self.factor.nlevels

    @property
    def covariance(self) -> Covariance:
        """theta <-> Lambda <-> SDs and correlations <-> names for this term."""
        return Covariance(self.group, self.cnames)

    @property
    def ntheta(self) -> int:
        return self.covariance.ntheta

    def theta_lower(self) -> np.ndarray:
        """0 for the diagonal of the relative covariance factor, -inf below it (column-major)."""
        return self.covariance.lower()

    def theta_names(self) -> list[str]:
        return self.covariance.theta_names()


@dataclass(frozen=True)
class ModelMatrices:
    """Everything the deviance needs, plus the names and data the results report."""

    formula: Formula
    y: np.ndarray
    X: np.ndarray
    xnames: tuple[str, ...]
    reterms: tuple[ReTerm, ...]
    frame: pd.DataFrame  # the complete rows used in the fit
    messages: tuple[str, ...]
    data: pd.DataFrame  # the data as given (scale() in predictions uses its mean and SD)
    values: dict  # label -> evaluated variable (float array or Factor) on the rows used

    @property
    def n(self) -> int:
        return len(self.y)

    @property
    def p(self) -> int:
        return self.X.shape[1]

    @property
    def theta0(self) -> np.ndarray:
        return np.concatenate([t.covariance.start() for t in self.reterms])

    @property
    def lower(self) -> np.ndarray:
        return np.concatenate([t.theta_lower() for t in self.reterms])

    @property
    def theta_names(self) -> list[str]:
        return [name for t in self.reterms for name in t.theta_names()]


def model_matrices(formula: Formula, data: pd.DataFrame) -> ModelMatrices:
    """lFormula: evaluate, drop incomplete rows, build X and the random-effects terms, check."""
    if not isinstance(data, pd.DataFrame):
        raise DataError("The data must be a pandas DataFrame (for example from pd.read_csv).")
    if not formula.random:
        raise ModelSpecError(
            "The formula has no random-effects term, so it is not a mixed model. Add one such "
            "as (1 | participant), or use ordinary regression (lm) for a model without one."
        )
    frame, messages = _complete_rows(formula, data)
    values = {label: _value(expr, label, data, frame.index) for label, expr in
              formula.variables.items()}
    y = _response(formula.response, values[formula.response])
    X, xnames = model_matrix(formula.fixed, values, len(frame))
    drop = rank_deficient_columns(X)
    if drop:
        messages.append(_rank_message(len(drop)))
        keep = [j for j in range(X.shape[1]) if j not in drop]
        X, xnames = X[:, keep], tuple(xnames[j] for j in keep)
    reterms = _order_terms([_reterm(t, values, frame) for t in formula.random])
    check_reterms(reterms, len(y), formula)
    if len(y) <= X.shape[1]:
        raise DataError(
            f"Only {len(y)} complete rows for {X.shape[1]} fixed-effect coefficients: "
            "a model needs more observations than coefficients. Use more data or fewer predictors."
        )
    return ModelMatrices(formula, y, X, tuple(xnames), tuple(reterms), frame, tuple(messages),
                         data, values)


def _complete_rows(formula: Formula, data: pd.DataFrame):
    used = set(formula.grouping_variables)
    for expr in formula.variables.values():
        used |= expr_columns(expr)
    for name in sorted(used):
        column(data, name)  # raises ColumnNotFoundError with close matches
    ordered = [c for c in data.columns if c in used]
    complete = data[ordered].notna().all(axis=1)
    frame = data.loc[complete]
    messages = []
    dropped = int((~complete).sum())
    if dropped:
        rows = "row" if dropped == 1 else "rows"
        messages.append(f"{dropped} {rows} with missing values removed before fitting.")
    if frame.empty:
        raise DataError(
            "No rows are left after removing rows with missing values in the columns the "
            f"formula uses ({', '.join(ordered)}). Fill in or drop those columns' missing values."
        )
    return frame, messages


def _value(expr, label, data, index):
    """Plain columns are read from complete rows; transforms see the whole column, as in R."""
    if isinstance(expr, Name):
        return evaluate(expr, data.loc[index], label)
    return evaluate(expr, data, label)[data.index.get_indexer(index)]


def _response(label: str, value) -> np.ndarray:
    if isinstance(value, Factor):
        raise DataError(
            f"The response {label!r} must be numeric, but it holds categories like "
            f"{value.levels[0]!r}. Put a numeric outcome left of ~ (a linear mixed model "
            "cannot model a categorical outcome)."
        )
    return np.asarray(value, dtype=float)


def model_matrix(mterms: ModelTerms, values: dict, n: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """R's model.matrix with treatment contrasts: columns and names, in R's order."""
    columns = [np.ones(n)] if mterms.intercept else []
    names = ["(Intercept)"] if mterms.intercept else []
    codes = _contrast_codes(mterms, values)
    for term, term_codes in zip(mterms.terms, codes, strict=True):
        parts = [_coded_columns(label, values[label], full)
                 for label, full in zip(term, term_codes, strict=True)]
        # R varies the first variable fastest: iterate the product with it innermost.
        for combo in product(*reversed(parts)):
            combo = combo[::-1]
            names.append(":".join(name for name, _ in combo))
            col = np.ones(n)
            for _, values_ in combo:
                col = col * values_
            columns.append(col)
    X = np.column_stack(columns) if columns else np.empty((n, 0))
    return X, tuple(names)


def _contrast_codes(mterms: ModelTerms, values: dict) -> list[list[bool]]:
    """Per term and variable: True for full indicator coding, False for contrasts.

    R's TermCode: a factor gets contrasts when the term without it is empty or is contained
    in a preceding term; without an intercept, the first factor found is coded in full.
    """
    codes = []
    for t, term in enumerate(mterms.terms):
        row = []
        for label in term:
            rest = set(term) - {label}
            contained = not rest or any(rest <= set(prev) for prev in mterms.terms[:t])
            row.append(not contained)
        codes.append(row)
    if not mterms.intercept:
        for term, row in zip(mterms.terms, codes, strict=True):
            factor_positions = [i for i, lab in enumerate(term) if isinstance(values[lab], Factor)]
            if factor_positions:
                row[factor_positions[0]] = True
                break
    return codes


def _coded_columns(label: str, value, full: bool) -> list[tuple[str, np.ndarray]]:
    if not isinstance(value, Factor):
        return [(label, value)]
    levels = range(value.nlevels) if full else range(1, value.nlevels)
    return [(f"{label}{value.levels[k]}", (value.codes == k).astype(float)) for k in levels]


def rank_deficient_columns(X: np.ndarray, tol: float = 1e-7) -> list[int]:
    """Columns that are (near) linear combinations of earlier ones, as R's qr(tol=1e-7) pivots."""
    drop, kept = [], []
    for j in range(X.shape[1]):
        col = X[:, j]
        norm = np.linalg.norm(col)
        if kept:
            basis, _ = np.linalg.qr(X[:, kept])
            col = col - basis @ (basis.T @ col)
        if norm == 0 or np.linalg.norm(col) <= tol * norm:
            drop.append(j)
        else:
            kept.append(j)
    return drop


def _rank_message(k: int) -> str:
    if k == 1:
        return "fixed-effect model matrix is rank deficient so dropping 1 column / coefficient"
    return f"fixed-effect model matrix is rank deficient so dropping {k} columns / coefficients"


def _reterm(term: RandomTerm, values: dict, frame: pd.DataFrame) -> ReTerm:
    Xi, cnames = model_matrix(term.effects, values, len(frame))
    if Xi.shape[1] == 0:
        raise ModelSpecError(
            f"The random-effects term for {term.group_name!r} has no effects left of the bar. "
            f"Write (1 | {term.group_name}) for random intercepts."
        )
    factors = [as_factor(frame[g]) for g in term.group]
    factor = factors[0] if len(factors) == 1 else interaction(factors)
    return ReTerm(term.group_name, cnames, factor, Xi, term)


def _order_terms(reterms: list[ReTerm]) -> list[ReTerm]:
    """lme4's mkReTrms: if the level counts ever increase, order by rev(order(nlevels))."""
    nl = [t.nlevels for t in reterms]
    if not any(b > a for a, b in zip(nl, nl[1:], strict=False)):
        return reterms
    ascending = sorted(range(len(nl)), key=nl.__getitem__)  # R's order() is stable
    return [reterms[i] for i in reversed(ascending)]


def check_reterms(reterms: list[ReTerm], n: int, formula: Formula) -> None:
    """lme4's checks on grouping factors, for the data used in a fit or a resample of it
    (a bootstrap sample can lose levels): errors that name the factor and the fix."""
    for t in reterms:
        if t.nlevels < 2:
            raise DataError(
                f"The grouping factor {t.group!r} has only {t.nlevels} level in the data used, so "
                "there is no variation between groups to estimate. A grouping factor needs at "
                "least 2 levels (and in practice 5 or more)."
            )
        if t.nlevels >= n:
            raise DataError(
                f"The grouping factor {t.group!r} has {t.nlevels} levels for {n} observations: "
                "every observation is its own group, so group and residual variation cannot be "
                "told apart. Each level needs repeated observations."
            )
        if t.q * t.nlevels >= n:
            raise ModelSpecError(
                f"number of observations (={n}) <= number of random effects "
                f"(={t.q * t.nlevels}) for term ({' + '.join(t.cnames)} | {t.group}); the "
                "random-effects parameters and the residual variance are probably unidentifiable. "
                "Simplify the random effects (for example drop the random slope) or use more data."
            )
