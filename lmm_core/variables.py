"""Evaluate formula variables on a DataFrame, and turn columns into factors the way R does.

Expressions come from the parser as small trees (terms.Name, Call, BinOp ...); they are
evaluated by walking the tree, never with eval(), so only whitelisted functions can run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ColumnNotFoundError, DataError
from .terms import BinOp, Call, Name, Neg, Num

__all__ = [
    "Factor",
    "evaluate",
    "expr_columns",
    "as_factor",
    "is_factor_column",
    "interaction",
    "recode",
]


@dataclass(frozen=True)
class Factor:
    """A categorical variable: integer codes 0..k-1 per row and the k level labels."""

    codes: np.ndarray
    levels: tuple[str, ...]

    @property
    def nlevels(self) -> int:
        return len(self.levels)


def expr_columns(expr) -> set[str]:
    """The data columns an expression reads."""
    if isinstance(expr, Name):
        return {expr.id}
    if isinstance(expr, Call):
        return set().union(*(expr_columns(a) for a in expr.args))
    if isinstance(expr, BinOp):
        return expr_columns(expr.left) | expr_columns(expr.right)
    if isinstance(expr, Neg):
        return expr_columns(expr.operand)
    return set()


def is_factor_column(series: pd.Series) -> bool:
    """R treats character, factor and logical columns as factors in a model matrix."""
    return not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)


def evaluate(expr, frame: pd.DataFrame, label: str, reference: pd.DataFrame | None = None):
    """Value of a formula variable: a float array, or a Factor for categorical columns.

    ``reference`` is the data a model was fitted to: ``scale()`` then centres and scales new
    data with the fitted data's mean and SD, as R's predict() does.
    """
    if isinstance(expr, Name):
        series = column(frame, expr.id)
        if is_factor_column(series):
            return as_factor(series)
        return series.to_numpy(dtype=float)
    return _numeric(expr, frame, label, reference)


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        raise ColumnNotFoundError(name, frame.columns)
    return frame[name]


_UNARY = {
    "log": np.log,
    "log2": np.log2,
    "log10": np.log10,
    "log1p": np.log1p,
    "exp": np.exp,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "I": lambda x: x,
    "scale": lambda x: (x - np.nanmean(x)) / np.nanstd(x, ddof=1),
}

_BINARY = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.divide,
    "^": np.power,
}


def _numeric(expr, frame: pd.DataFrame, label: str, reference=None) -> np.ndarray:
    """Evaluate an arithmetic expression; every leaf must be numeric."""
    if isinstance(expr, Num):
        return np.full(len(frame), float(expr.value))
    if isinstance(expr, Name):
        series = column(frame, expr.id)
        if is_factor_column(series):
            raise DataError(
                f"{label!r} does arithmetic on column {expr.id!r}, which is not numeric "
                f"(it holds values like {series.iloc[0]!r}). Use a numeric column inside "
                "log(), scale() or I()."
            )
        return series.to_numpy(dtype=float)
    if isinstance(expr, Neg):
        return -_numeric(expr.operand, frame, label, reference)
    if isinstance(expr, BinOp):
        return _checked(_BINARY[expr.op], _numeric(expr.left, frame, label, reference),
                        _numeric(expr.right, frame, label, reference), label)
    if isinstance(expr, Call) and expr.func == "scale" and reference is not None:
        fitted = _numeric(expr.args[0], reference, label, reference)
        new = _numeric(expr.args[0], frame, label, reference)
        return (new - np.nanmean(fitted)) / np.nanstd(fitted, ddof=1)
    if isinstance(expr, Call):
        inner = _numeric(expr.args[0], frame, label, reference)
        return _checked(_UNARY[expr.func], inner, None, label)
    raise DataError(f"Cannot evaluate {label!r}.")


def _checked(func, a, b, label):
    """Apply func; values that turn non-finite from finite inputs are an error, not NA."""
    with np.errstate(all="ignore"):
        out = func(a) if b is None else func(a, b)
    inputs_ok = np.isfinite(a) if b is None else np.isfinite(a) & np.isfinite(b)
    if np.any(inputs_ok & ~np.isfinite(out)):
        raise DataError(
            f"{label!r} gives values that are not finite numbers (for example log of zero or "
            "of a negative number, or division by zero). Check the column's values or choose "
            "another transform, e.g. log(x + 1)."
        )
    return out


def _level_label(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def as_factor(series: pd.Series) -> Factor:
    """Codes and levels as R's factor(): categories keep their order, others sort."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        present = series.cat.remove_unused_categories()
        levels = tuple(map(_level_label, present.cat.categories))
        return Factor(present.cat.codes.to_numpy(), levels)
    values = series.to_numpy()
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        uniques, codes = np.unique(values, return_inverse=True)
    else:
        strings = np.asarray([str(v) for v in values], dtype=object)
        uniques, codes = np.unique(strings, return_inverse=True)
    return Factor(codes.astype(np.intp), tuple(_level_label(u) for u in uniques))


def interaction(factors: list[Factor]) -> Factor:
    """R's ``factor(a:b)``: levels "a:b" with the first factor slowest, unused levels dropped."""
    codes = np.zeros(len(factors[0].codes), dtype=np.int64)
    for f in factors:
        codes = codes * f.nlevels + f.codes
    used, new_codes = np.unique(codes, return_inverse=True)
    labels = []
    for combined in used:
        parts = []
        for f in reversed(factors):
            combined, code = divmod(int(combined), f.nlevels)
            parts.append(f.levels[code])
        labels.append(":".join(reversed(parts)))
    return Factor(new_codes.astype(np.intp), tuple(labels))


def recode(factor: Factor, levels: tuple[str, ...]) -> np.ndarray:
    """Codes of ``factor`` in another factor's ``levels``; -1 where a level is new."""
    position = {level: k for k, level in enumerate(levels)}
    mapping = np.array([position.get(level, -1) for level in factor.levels], dtype=np.intp)
    return mapping[factor.codes] if len(mapping) else factor.codes
