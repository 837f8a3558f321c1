"""predict() for new data: the fitted model's design rebuilt on other rows.

Factors keep the fitted data's levels (a fixed-effect level the model never saw is an error),
scale() and poly() keep what they learned from the fitted data (as R's makepredictcall),
offsets are added, and a grouping level the model never saw gets random effects of zero: the
population prediction, as lme4's allow.new.levels = TRUE.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .design import check_finite, model_matrix
from .errors import DataError
from .evaluate import Evaluator, as_variable
from .variables import Columns, Factor, as_factor, column, interaction, recode

__all__ = ["predict"]


def predict(fit, newdata: pd.DataFrame | None = None, re_form: str | None = None) -> np.ndarray:
    """Predicted means; re_form='~0' (or 'NA') leaves out all random effects."""
    population = _population_only(re_form)
    if newdata is None:
        mm = fit.mm
        return mm.X @ fit.pls.beta + mm.offset if population else fit.fitted()
    if not isinstance(newdata, pd.DataFrame) or newdata.empty:
        raise DataError("newdata must be a DataFrame with at least one row.")
    mm = fit.mm
    values = {label: _new_value(expr, label, newdata, mm)
              for label, expr in mm.formula.variables.items() if label != mm.formula.response}
    X, names = model_matrix(mm.formula.fixed, values, len(newdata))
    index = {name: j for j, name in enumerate(names)}
    eta = X[:, [index[name] for name in mm.xnames]] @ fit.pls.beta
    for label in mm.formula.offsets:
        eta = eta + values[label]
    if not population:
        eta = eta + _random_part(fit, values, newdata)
    for value in values.values():  # a missing factor value makes the prediction missing
        if isinstance(value, Factor):
            eta = np.where(value.codes < 0, np.nan, eta)
    return eta


def _population_only(re_form) -> bool:
    if re_form is None:
        return False
    text = str(re_form).replace(" ", "")
    if text in ("~0", "NA", "~1-1"):
        return True
    raise DataError(
        f"re_form={re_form!r} is not supported: use None for predictions with the random "
        "effects, or '~0' for the population-level prediction."
    )


def _new_value(expr, label, newdata, mm):
    value = as_variable(Evaluator(newdata, label, mm.transforms).value(expr), label)
    value = check_finite(value, label)
    fitted = mm.values[label]
    if isinstance(fitted, Factor):
        if not isinstance(value, Factor):
            value = as_factor(pd.Series(value))
        return _same_levels(value, fitted, label)
    if isinstance(value, Factor) or isinstance(value, Columns) != isinstance(fitted, Columns):
        raise DataError(f"{label!r} must be numeric in newdata, as it was in the fit.")
    return value


def _same_levels(value: Factor, fitted: Factor, label: str) -> Factor:
    """The new values coded in the fitted levels; a level the fit never saw is an error."""
    codes = recode(value, fitted.levels)
    unseen = sorted({value.levels[c] for c, k in zip(value.codes, codes, strict=True)
                     if k < 0 <= c})
    if unseen:
        raise DataError(
            f"newdata has levels of {label!r} the model was not fitted with: "
            f"{', '.join(map(repr, unseen))}. The fitted levels are "
            f"{', '.join(map(repr, fitted.levels))}."
        )
    return Factor(codes, fitted.levels)


def _random_part(fit, values, newdata) -> np.ndarray:
    total = np.zeros(len(newdata))
    b_by_group = dict(zip([blk.group for blk in fit.cp.blocks], fit.pls.b, strict=True))
    offsets = {blk.group: dict(blk.term_slices) for blk in fit.cp.blocks}
    for k, term in enumerate(fit.mm.reterms):
        Xi, _ = model_matrix(term.source.effects, values, len(newdata))
        factors = [as_factor(column(newdata, g)) for g in term.source.group]
        factor = factors[0] if len(factors) == 1 else interaction(factors)
        codes = recode(factor, term.factor.levels)
        b = b_by_group[term.group][:, offsets[term.group][k]]
        known = codes >= 0
        total[known] += np.einsum("nq,nq->n", Xi[known], b[codes[known]])
    return total
