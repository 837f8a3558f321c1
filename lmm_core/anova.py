"""anova(): likelihood-ratio tests between nested fits (lme4) and Type III F tests (lmerTest).

``anova(small, big)`` is lme4's anova.merMod: REML fits are refitted with ML, models are ordered
by their number of parameters, and each is tested against the previous one with a chi-square
test on the change in deviance. ``anova(fit)`` is lmerTest's ``anova(fit, type = 3)``: one F
test per fixed-effect term with Satterthwaite's denominator degrees of freedom.

Type III contrasts follow lmerTest's extract_contrasts_type3 for treatment coding: express the
full dummy coding of every term (R's ``model.matrix(~ 0 + term)``) in the model's columns, then
make each term's contrast orthogonal to those of the terms that contain it (SAS's definition of
containment), so that, e.g., a main effect in ``Days * group`` is tested at the average slope.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.stats

from .design import model_matrix
from .errors import DataError, LmmError, ModelSpecError
from .refit import refit_ml
from .rformat import (
    SIGNIF_LEGEND,
    format_pval,
    format_real,
    print_matrix,
    r_round,
    signif_codes,
    zapsmall,
)
from .satterthwaite import contrast_f_test
from .terms import Call, ModelTerms
from .variables import Factor

__all__ = ["AnovaLRT", "AnovaType3", "anova", "anova_type3", "type3_contrasts"]

REFIT_MESSAGE = "refitting model(s) with ML (instead of REML)"
REML_WARNING = ("REML criteria of models with different fixed effects are not comparable: "
                "use refit=True (the default) to compare their likelihoods")
LRT_COLUMNS = ["npar", "AIC", "BIC", "logLik", "deviance", "Chisq", "Df", "Pr(>Chisq)"]
F_COLUMNS = ["Sum Sq", "Mean Sq", "NumDF", "DenDF", "F value", "Pr(>F)"]
TYPE3_HEADING = "Type III Analysis of Variance Table with Satterthwaite's method"


def anova(*fits, names: list[str] | None = None, refit: bool = True,
          check_nested: bool = True):
    """One fit: its Type III F tests; several: likelihood-ratio tests between them.

    names label the models (default "model1", "model2", ...); refit=False keeps REML fits as
    they are (lme4's refit argument), which is only valid when the fixed effects are equal.
    check_nested=False compares models that are nested although their terms do not show it
    (one SD against one SD per group, as a constrained special case): lme4's anova() never
    checks, this one does unless told not to.
    """
    if not fits:
        raise LmmError("anova() needs at least one fitted model.")
    if len(fits) == 1:
        return anova_type3(fits[0])
    return _lrt(fits, names, refit, check_nested)


# ----- likelihood-ratio tests --------------------------------------------------------------
@dataclass(frozen=True)
class AnovaLRT:
    """lme4's model-comparison table; ``str()`` prints it as R does."""

    table: pd.DataFrame  # rows: models ordered by npar; columns LRT_COLUMNS
    formulas: tuple[str, ...]  # in the table's order
    data_name: str
    messages: tuple[str, ...]

    def __str__(self) -> str:
        models = [f"{n}: {f}" for n, f in zip(self.table.index, self.formulas, strict=True)]
        head = [f"Data: {self.data_name}", "Models:", *models]
        return "\n".join(head + _print_anova(self.table))


def _lrt(fits, names, refit: bool, check_nested: bool) -> AnovaLRT:
    names = [f"model{i + 1}" for i in range(len(fits))] if names is None else list(names)
    if len(names) != len(fits) or len(set(names)) != len(names):
        raise LmmError(f"names must give {len(fits)} different model names, got {names!r}.")
    _check_same_data(fits, names)
    messages = []
    if refit and any(f.reml for f in fits):
        fits = [refit_ml(f) for f in fits]
        messages.append(REFIT_MESSAGE)
    elif any(f.reml for f in fits) and len({f.mm.xnames for f in fits}) > 1:
        messages.append(REML_WARNING)
    order = sorted(range(len(fits)), key=lambda i: fits[i].npar)  # stable, like R's order()
    fits, names = [fits[i] for i in order], [names[i] for i in order]
    for i in range(1, len(fits) if check_nested else 1):
        _check_nested(fits[i - 1], fits[i], names[i - 1], names[i])
    loglik = np.array([f.loglik for f in fits])
    npar = np.array([f.npar for f in fits])
    chisq = np.concatenate([[np.nan], 2.0 * np.maximum(0.0, np.diff(loglik))])
    df = np.concatenate([[np.nan], np.diff(npar)]).astype(float)
    table = pd.DataFrame({
        "npar": npar, "AIC": [f.aic for f in fits], "BIC": [f.bic for f in fits],
        "logLik": loglik, "deviance": -2.0 * loglik, "Chisq": chisq, "Df": df,
        "Pr(>Chisq)": scipy.stats.chi2.sf(chisq, df)}, index=names)
    return AnovaLRT(table, tuple(f.formula for f in fits), fits[0].data_name, tuple(messages))


def _check_same_data(fits, names) -> None:
    first = fits[0]
    for fit, name in zip(fits[1:], names[1:], strict=True):
        if fit.nobs != first.nobs:
            raise DataError(
                f"The models were not fitted to the same data: {names[0]} uses {first.nobs} "
                f"observations and {name} uses {fit.nobs}. A likelihood-ratio test compares "
                "likelihoods of the same data; refit both models on the same rows (for "
                "example drop rows with missing values in any variable either model uses)."
            )
        if not np.allclose(fit.mm.y, first.mm.y, rtol=1e-12, atol=0.0):
            raise DataError(
                f"The models were not fitted to the same data: the response values of "
                f"{names[0]} and {name} differ. A likelihood-ratio test needs the same "
                "response (same column, same transformation, same rows in the same order)."
            )


def _check_nested(small, big, small_name: str, big_name: str) -> None:
    """The smaller model must be a special case of the bigger one (lme4 does not check)."""
    why = None
    if small.npar == big.npar:
        why = f"both have {small.npar} parameters, so neither is a special case of the other"
    elif missing := [c for c in small.mm.xnames if c not in big.mm.xnames]:
        why = (f"{small_name} has fixed effect(s) {', '.join(missing)} that {big_name} does "
               "not have")
    else:
        big_re = _random_columns(big)
        for group, cols in _random_columns(small).items():
            if not cols <= big_re.get(group, set()):
                extra = ", ".join(sorted(cols - big_re.get(group, set())))
                why = f"{small_name} has random effect(s) {extra} for {group!r} that " \
                      f"{big_name} does not have"
                break
    if why:
        raise ModelSpecError(
            f"The models are not nested: {why}. A likelihood-ratio test compares a model with "
            "a simpler version of itself (the bigger model must contain every fixed and random "
            "effect of the smaller one). Compare non-nested models by AIC or BIC instead."
        )


def _random_columns(fit) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for t in fit.mm.reterms:
        out.setdefault(t.group, set()).update(t.cnames)
    return out


# ----- Type III F tests --------------------------------------------------------------------
@dataclass(frozen=True)
class AnovaType3:
    """lmerTest's anova(fit, type = 3); ``contrasts`` are the hypotheses tested per term."""

    table: pd.DataFrame  # rows: terms; columns F_COLUMNS
    contrasts: dict[str, np.ndarray]
    heading: str = TYPE3_HEADING

    def __str__(self) -> str:
        return "\n".join([self.heading, *_print_anova(self.table)])


def anova_type3(fit) -> AnovaType3:
    """F test per fixed-effect term: Type III contrasts, Satterthwaite's denominator df."""
    contrasts = type3_contrasts(fit)
    rows = {t: contrast_f_test(fit, L) for t, L in contrasts.items() if L.shape[0] > 0}
    missing = [t for t, L in contrasts.items() if L.shape[0] == 0]  # aliased terms: NA rows
    table = pd.DataFrame([rows[t] for t in rows] + [dict.fromkeys(F_COLUMNS, np.nan)] * len(
        missing), index=list(rows) + missing, columns=F_COLUMNS, dtype=float)
    return AnovaType3(table, contrasts)


def type3_contrasts(fit) -> dict[str, np.ndarray]:
    """lmerTest's get_contrasts_type3 for treatment coding: term label -> (q, p) matrix."""
    mm = fit.mm
    fixed: ModelTerms = mm.formula.fixed
    labels = [":".join(t) for t in fixed.terms]
    cols = _term_columns(mm)
    if mm.p <= 1 or len(labels) <= 1:
        return _type1_contrasts(mm.X, cols, labels)
    rd, rd_names = _full_dummies(mm)
    L = _zapsmall((np.linalg.pinv(mm.X) @ rd).T)  # rows: full dummies; columns: X
    contained_in = _containment(fixed, mm)
    for term in sorted(labels, key=lambda t: -t.count(":")):  # higher order first
        other = [c for t in contained_in[term] for c in cols[t]]
        if other and cols[term]:
            Y, Xo = L[:, cols[term]], L[:, other]
            L[:, cols[term]] = _zapsmall(Y - Xo @ np.linalg.lstsq(Xo, Y, rcond=None)[0])
    try:
        L = L[[rd_names.index(n) for n in mm.xnames]]
    except ValueError:
        return {t: np.full((1, mm.p), np.nan) for t in labels}
    out = {}
    for term in labels:
        Lt = L[:, cols[term]].T
        out[term] = Lt[np.abs(Lt).sum(axis=1) > 1e-8]
    return out


def _term_columns(mm) -> dict[str, list[int]]:
    """Columns of X (after rank-deficient ones were dropped) per term: R's assign."""
    fixed = mm.formula.fixed
    n, start, out = mm.n, int(fixed.intercept), {}
    index = {name: j for j, name in enumerate(mm.xnames)}
    for k, term in enumerate(fixed.terms):
        _, names = model_matrix(ModelTerms(fixed.intercept, fixed.terms[: k + 1]), mm.values, n)
        out[":".join(term)] = [index[c] for c in names[start:] if c in index]
        start = len(names)
    return out


def _full_dummies(mm) -> tuple[np.ndarray, list[str]]:
    """lmerTest's get_rdX: intercept plus model.matrix(~ 0 + term) for every term."""
    fixed = mm.formula.fixed
    blocks = [np.ones((mm.n, 1))] if fixed.intercept else []
    names = ["(Intercept)"] if fixed.intercept else []
    for term in fixed.terms:
        X, xn = model_matrix(ModelTerms(False, (term,)), mm.values, mm.n)
        blocks.append(X)
        names += xn
    return np.column_stack(blocks), names


def _containment(fixed: ModelTerms, mm) -> dict[str, list[str]]:
    """Terms containing each term: more variables, all of its variables, same covariates."""

    def numeric(label):  # R's dataClasses "numeric" (scale() gives a matrix class)
        expr = mm.formula.variables.get(label)
        return not isinstance(mm.values[label], Factor) and not (
            isinstance(expr, Call) and expr.func == "scale")

    covariates = {t: {v for v in t if numeric(v)} for t in fixed.terms}
    return {":".join(t1): [":".join(t2) for t2 in fixed.terms
                           if set(t1) < set(t2) and covariates[t1] == covariates[t2]]
            for t1 in fixed.terms}


def _type1_contrasts(X: np.ndarray, cols, labels) -> dict[str, np.ndarray]:
    """lmerTest's get_contrasts_type1: rows of the unit upper factor of X'X (Doolittle)."""
    p = X.shape[1]
    if p == 0 or not labels:
        return {}
    U = np.ones((1, 1)) if p == 1 else _doolittle_unit_upper(X.T @ X)
    return {t: U[cols[t]] for t in labels}


def _doolittle_unit_upper(A: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """t(L) of lmerTest's doolittle(A): unit lower L with A = LU, small entries zeroed."""
    n = len(A)
    L, U = np.eye(n), np.zeros((n, n))
    for i in range(n):
        U[i] = A[i] - L[i, :i] @ U[:i]
        for j in range(i + 1, n):
            L[j, i] = 0.0 if abs(U[i, i]) < eps else (A[j, i] - L[j, :i] @ U[:i, i]) / U[i, i]
    L[np.abs(L) < eps] = 0.0
    return L.T


def _zapsmall(x: np.ndarray, digits: int = 7) -> np.ndarray:
    """R's zapsmall on a whole matrix, as lmerTest applies it to contrasts."""
    return np.reshape(zapsmall(np.ravel(x).tolist(), digits), np.shape(x))


# ----- printing like R's print.anova -------------------------------------------------------
def _print_anova(table: pd.DataFrame, digits: int = 5) -> list[str]:
    """Lines of R's print.anova: printCoefmat with zapped columns, stars and their legend."""
    names = [str(c) for c in table.columns]
    x = table.to_numpy(dtype=float)
    dig_tst = max(1, min(5, digits - 1))
    cells = []
    for j, name in enumerate(names[:-1]):
        col = x[:, j].tolist()
        if name.endswith(" value") or name in ("F", "Cp", "Chisq"):
            col = [r_round(v, dig_tst) for v in col]
        elif not name.endswith("Df"):
            col = zapsmall(col, digits)
        cells.append(_format_column(np.array(col), digits))
    p = x[:, -1]
    ok = np.isfinite(p)
    pcells = np.full(len(p), "", dtype=object)
    pcells[ok] = format_pval(p[ok].tolist(), dig_tst)
    cells.append(list(pcells))
    legend = []
    if ok.any() and p[ok].min() < 0.1:
        codes = signif_codes(p.tolist())
        cells.append([c.ljust(max(len(c) for c in codes)) for c in codes])
        names.append("")
        legend = ["---", "Signif. codes:  " + SIGNIF_LEGEND]
    if not len(table):  # R labels the rows of an empty matrix as if by "[0,]"
        return ["    " + print_matrix([], [], names, right=True)[0]]
    rows = [list(r) for r in zip(*cells, strict=True)]
    return print_matrix(rows, [str(i) for i in table.index], names, right=True) + legend


def _format_column(x: np.ndarray, digits: int) -> list[str]:
    """format(x, digits) with NA shown as '' (printCoefmat's na.print for anova tables)."""
    ok = np.isfinite(x)
    out = np.full(len(x), "", dtype=object)
    if ok.any():
        width = 2 if not ok.all() else 0  # R formats NA as "NA" within the column's width
        out[ok] = [s.rjust(width) for s in format_real(x[ok].tolist(), digits)]
    return list(out)
