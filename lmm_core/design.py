"""Stage 1 of lmer(), like lme4's lFormula: a parsed formula + a DataFrame -> ModelMatrices.

The fixed-effects matrix follows R's model.matrix (treatment contrasts, R's rule for when a
factor gets contrasts or full indicators, R-style column names); the random-effects terms are
put in lme4's order (decreasing number of levels) with lme4's checks on their sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

import numpy as np
import pandas as pd

from .errors import DataError, ModelSpecError
from .evaluate import CONSTANTS, Evaluator, as_variable
from .formula import parse_formula
from .formula.terms import Formula, ModelTerms, RandomTerm
from .parameters import Covariance
from .variables import Columns, Factor, as_factor, column, expr_columns, interaction

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
    """Everything the deviance needs, plus the names and data the results report.

    ``y`` is the response minus any offset (what the penalized least squares fits); the
    fitted values add ``offset`` back. ``transforms`` holds what scale() and poly() learned
    from the data, for predictions on new data.
    """

    formula: Formula
    y: np.ndarray
    X: np.ndarray
    xnames: tuple[str, ...]
    reterms: tuple[ReTerm, ...]
    frame: pd.DataFrame  # the complete rows used in the fit
    messages: tuple[str, ...]
    data: pd.DataFrame  # the data as given
    values: dict  # label -> evaluated variable (float array, Factor or Columns) on the rows used
    transforms: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.y)

    @property
    def p(self) -> int:
        return self.X.shape[1]

    @property
    def offset(self) -> np.ndarray:
        """The sum of the formula's offset() terms on the rows used (zeros without one)."""
        total = np.zeros(len(self.y))
        for label in self.formula.offsets:
            total = total + self.values[label]
        return total

    @property
    def theta0(self) -> np.ndarray:
        return np.concatenate([t.covariance.start() for t in self.reterms])

    @property
    def lower(self) -> np.ndarray:
        return np.concatenate([t.theta_lower() for t in self.reterms])

    @property
    def theta_names(self) -> list[str]:
        return [name for t in self.reterms for name in t.theta_names()]


def model_matrices(formula, data: pd.DataFrame) -> ModelMatrices:
    """lFormula: evaluate, drop incomplete rows, build X and the random-effects terms, check."""
    if not isinstance(data, pd.DataFrame):
        raise DataError("The data must be a pandas DataFrame (for example from pd.read_csv).")
    formula = parse_formula(formula, data.columns)
    if not formula.random:
        raise ModelSpecError(
            "The formula has no random-effects term, so it is not a mixed model. Add one such "
            "as (1 | participant), or use ordinary regression (lm) for a model without one."
        )
    complete, messages = _complete_rows(formula, data)
    values, transforms = evaluate_all(formula, data, complete)
    frame = data.loc[complete]
    y = _response(formula.response, values[formula.response])
    offset = sum((values[label] for label in formula.offsets), np.zeros(len(y)))
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
    return ModelMatrices(formula, y - offset, X, tuple(xnames), tuple(reterms), frame,
                         tuple(messages), data, values, transforms)


def data_columns(formula: Formula, columns) -> list[str]:
    """The data columns a formula reads, in the data's order (R's constants such as pi only
    when the data has such a column)."""
    used = set(formula.grouping_variables)
    for expr in formula.variables.values():
        used |= expr_columns(expr)
    present = set(columns)
    used = {c for c in used if c in present or c not in CONSTANTS}
    return [c for c in dict.fromkeys(columns) if c in used] + sorted(used - present)


def _complete_rows(formula: Formula, data: pd.DataFrame):
    ordered = data_columns(formula, data.columns)
    for name in ordered:
        column(data, name)  # raises ColumnNotFoundError with close matches
    repeated = [c for c in ordered if (data.columns == c).sum() > 1]
    if repeated:
        raise DataError(
            f"The data has {(data.columns == repeated[0]).sum()} columns named "
            f"{repeated[0]!r}: rename them so that each name is used once (for example "
            "data.columns = [...]), then the formula can say which one it means.")
    complete = data[ordered].notna().all(axis=1).to_numpy()
    messages = []
    dropped = int((~complete).sum())
    if dropped:
        rows = "row" if dropped == 1 else "rows"
        messages.append(f"{dropped} {rows} with missing values removed before fitting.")
    if not complete.any():
        raise DataError(
            "No rows are left after removing rows with missing values in the columns the "
            f"formula uses ({', '.join(ordered)}). Fill in or drop those columns' missing values."
        )
    return complete, messages


def evaluate_all(formula: Formula, data: pd.DataFrame, rows: np.ndarray):
    """Every variable on the rows used, and what scale()/poly() learned. Variables are
    evaluated on all rows and then subset, as R's model.frame does (scale() sees the whole
    column); factors then drop the levels that no used row has."""
    learned: dict = {}
    values = {}
    for label, expr in formula.variables.items():
        evaluator = Evaluator(data, label)
        value = evaluator.value(expr)
        values[label] = check_finite(take(as_variable(value, label), rows), label)
        learned.update(evaluator.learned)
    return values, learned


def take(value, rows):
    """A variable on some rows."""
    if isinstance(value, Factor):
        return value.take(rows)
    if isinstance(value, Columns):
        return value[rows]
    return np.asarray(value, dtype=float)[rows]


def check_finite(value, label: str):
    """Infinite values reach no solver: the column must be fixed first."""
    numbers = value.values if isinstance(value, Columns) else value
    if isinstance(numbers, np.ndarray) and np.isinf(numbers).any():
        raise DataError(
            f"{label!r} has infinite values (inf) in {int(np.isinf(numbers).sum())} of the "
            "rows used. Replace them with finite numbers, or make them missing (NaN) so that "
            "those rows are left out.")
    return value


def _response(label: str, value) -> np.ndarray:
    if isinstance(value, Factor | Columns):
        what = (f"categories like {value.levels[0]!r}" if isinstance(value, Factor)
                else "several columns")
        raise DataError(
            f"The response {label!r} must be numeric, but it holds {what}. Put a numeric "
            "outcome left of ~ (a linear mixed model cannot model a categorical outcome)."
        )
    y = np.asarray(value, dtype=float)
    if len(y) and np.ptp(y) == 0:
        raise DataError(
            f"The response {label!r} has the same value ({y[0]:g}) in every row used, so "
            "there is no variation to model. Check that the formula names the right column.")
    return y


def model_matrix(mterms: ModelTerms, values: dict, n: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """R's model.matrix with treatment contrasts: columns and names, in R's order."""
    columns = [np.ones(n)] if mterms.intercept else []
    names = ["(Intercept)"] if mterms.intercept else []
    codes = _contrast_codes(mterms, values)
    _check_size(mterms, values, codes, n)
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


MAX_CELLS = 50_000_000  # 400 MB of doubles: far beyond a model anyone fits by hand


def _width(value, full: bool) -> int:
    if isinstance(value, Factor):
        return value.nlevels - (not full)
    return value.values.shape[1] if isinstance(value, Columns) else 1


def _check_size(mterms: ModelTerms, values: dict, codes, n: int) -> None:
    """Refuse a model matrix too large to build, before building it (factors with many
    levels multiply their columns in an interaction)."""
    width = int(mterms.intercept) + sum(
        int(np.prod([_width(values[label], full) for label, full in zip(term, row, strict=True)]))
        for term, row in zip(mterms.terms, codes, strict=True))
    if width * max(n, 1) > MAX_CELLS:
        raise ModelSpecError(
            f"This model needs {width:,} columns of effects for {n:,} rows, too many to "
            "compute: an interaction of factors multiplies their levels (a*b with 50 and 40 "
            "levels gives 2,000 columns). Use fewer interactions, or make a factor with many "
            "levels a random effect, (1 | f).")


def _coded_columns(label: str, value, full: bool) -> list[tuple[str, np.ndarray]]:
    if isinstance(value, Columns):
        if len(value.names) == 1:
            return [(label, value.values[:, 0])]
        return [(f"{label}{name}", value.values[:, k]) for k, name in enumerate(value.names)]
    if not isinstance(value, Factor):
        return [(label, value)]
    levels = range(value.nlevels) if full else range(1, value.nlevels)
    return [(f"{label}{value.levels[k]}", (value.codes == k).astype(float)) for k in levels]


def rank_deficient_columns(X: np.ndarray, tol: float = 1e-7) -> list[int]:
    """Columns that are (near) linear combinations of earlier ones, as R's qr(tol=1e-7) pivots.

    One QR decomposition answers in the usual case (no such column): |R_jj| is the norm of
    column j's part orthogonal to the columns before it.
    """
    if X.shape[1] == 0:
        return []
    norms = np.linalg.norm(X, axis=0)
    if X.shape[0] >= X.shape[1] and np.all(norms > 0):
        r = np.linalg.qr(X, mode="r")
        if np.all(np.abs(np.diag(r)) > 10 * tol * norms):
            return []
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
