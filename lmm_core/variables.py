"""Formula variables as values, and columns turned into factors the way R does.

A variable evaluates (evaluate.py) to one of: a float array (NaN = missing), a ``Logical``
(R's TRUE/FALSE/NA), a ``Factor`` (codes and levels) or ``Columns`` (a matrix such as
``poly(x, 2)``). Factor levels follow R: numbers sort numerically and print as R prints them
(``1e+05`` for a double, ``100000`` for an integer), TRUE/FALSE as R's logicals, and text sorts
as R sorts it in a UTF-8 locale, by the Unicode Collation Algorithm (ICU's root collation,
which R uses where ICU is available: letters case-insensitively first, lower case before upper
case on ties, punctuation before digits before letters), so ``Banana`` comes before ``apple``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from .errors import ColumnNotFoundError

__all__ = [
    "Factor",
    "Logical",
    "Columns",
    "expr_columns",
    "as_factor",
    "is_factor_column",
    "is_logical_column",
    "interaction",
    "recode",
    "column",
    "level_label",
    "sort_text",
    "evaluate",
]


@dataclass(frozen=True)
class Factor:
    """A categorical variable: integer codes 0..k-1 per row (-1 = missing) and k level labels."""

    codes: np.ndarray
    levels: tuple[str, ...]

    @property
    def nlevels(self) -> int:
        return len(self.levels)

    def take(self, rows) -> Factor:
        """The factor on some rows, unused levels dropped (model.frame's drop.unused.levels)."""
        codes = self.codes[rows]
        used = np.unique(codes[codes >= 0])
        new = np.full(self.nlevels + 1, -1, dtype=np.intp)
        new[used] = np.arange(len(used))
        return Factor(new[codes], tuple(self.levels[k] for k in used))


@dataclass(frozen=True)
class Logical:
    """R's logical vector: 1.0 TRUE, 0.0 FALSE, NaN NA. In a model matrix it is a factor
    with the levels FALSE and TRUE (both, even if one is absent), as R's model.matrix does."""

    values: np.ndarray

    def as_factor(self) -> Factor:
        codes = np.where(np.isnan(self.values), -1, self.values).astype(np.intp)
        return Factor(codes, ("FALSE", "TRUE"))


@dataclass(frozen=True)
class Columns:
    """A matrix-valued variable (poly(x, 2), dummy(f)): values (n, k) and the names R appends
    to the label; a single column gets the label alone, as in R's model.matrix."""

    values: np.ndarray
    names: tuple[str, ...]

    def __getitem__(self, rows) -> Columns:
        """The rows `rows` (as an array's rows: bootstraps index variables this way)."""
        return Columns(self.values[rows], self.names)


def expr_columns(expr) -> set[str]:
    """The data columns an expression reads (R's constants such as pi included; the caller
    knows which the data has)."""
    from .formula.terms import Name

    if isinstance(expr, Name):
        return {expr.id}
    children = [*getattr(expr, "args", ()), *(v for _, v in getattr(expr, "kwargs", ()))]
    children += [getattr(expr, a) for a in ("left", "right", "operand") if hasattr(expr, a)]
    return set().union(*(expr_columns(c) for c in children))


def is_logical_column(series: pd.Series) -> bool:
    """A bool column, or an object column of True/False with missing values."""
    if pd.api.types.is_bool_dtype(series):
        return True
    if series.dtype != object:
        return False
    present = series.dropna()
    return len(present) > 0 and all(isinstance(v, bool | np.bool_) for v in present)


def is_factor_column(series: pd.Series) -> bool:
    """R treats character, factor and logical columns as factors in a model matrix."""
    return (not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
            or is_logical_column(series))


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        raise ColumnNotFoundError(name, frame.columns)
    return frame[name]


def level_label(value) -> str:
    """A level as R's as.character() prints it."""
    from .formula.deparse import format_number

    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return format_number(float(value))
    return str(value)


@cache
def _collator():
    import pyuca

    return pyuca.Collator()


def sort_text(labels) -> list[str]:
    """Text sorted as R sorts it in a UTF-8 locale (ICU root collation; ties by code point)."""
    key = _collator().sort_key
    return sorted(labels, key=lambda s: (key(s), s))


def as_factor(series: pd.Series) -> Factor:
    """Codes and levels as R's factor(): categories keep their order, others sort."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        present = series.cat.remove_unused_categories()
        levels = tuple(map(level_label, present.cat.categories))
        return Factor(present.cat.codes.to_numpy().astype(np.intp), levels)
    if is_logical_column(series) or pd.api.types.is_numeric_dtype(series):
        codes, uniques = pd.factorize(series.to_numpy(), sort=True)
        return Factor(codes.astype(np.intp), tuple(level_label(u) for u in uniques))
    present = series.notna().to_numpy()
    found, uniques = pd.factorize(series[present].astype(str).to_numpy())
    labels = [str(u) for u in uniques]
    ordered = sort_text(labels)
    rank = {label: k for k, label in enumerate(ordered)}
    mapping = np.array([rank[label] for label in labels], dtype=np.intp)
    codes = np.full(len(series), -1, dtype=np.intp)
    codes[present] = mapping[found]
    return Factor(codes, tuple(ordered))


def interaction(factors: list[Factor], sep: str = ":", first_fastest: bool = False) -> Factor:
    """The combinations of factors that occur: R's ``a:b`` (sep ":", the first factor varying
    slowest) or ``interaction(a, b)`` (sep ".", the first fastest); missing if any is."""
    order = list(reversed(factors)) if first_fastest else factors
    codes = np.zeros(len(factors[0].codes), dtype=np.int64)
    missing = np.zeros(len(codes), dtype=bool)
    for f in order:
        codes = codes * f.nlevels + np.maximum(f.codes, 0)
        missing |= f.codes < 0
    used, new_codes = np.unique(codes[~missing], return_inverse=True)
    labels = []
    for combined in used:
        parts = []
        for f in reversed(order):
            combined, code = divmod(int(combined), f.nlevels)
            parts.append(f.levels[code])
        labels.append(sep.join(reversed(parts) if not first_fastest else parts))
    out = np.full(len(codes), -1, dtype=np.intp)
    out[~missing] = new_codes.reshape(-1)
    return Factor(out, tuple(labels))


def recode(factor: Factor, levels: tuple[str, ...]) -> np.ndarray:
    """Codes of ``factor`` in another factor's ``levels``; -1 where a level is new."""
    position = {level: k for k, level in enumerate(levels)}
    mapping = np.array([position.get(level, -1) for level in factor.levels] + [-1],
                       dtype=np.intp)
    return mapping[factor.codes]


def evaluate(expr, frame: pd.DataFrame, label: str, learned: dict | None = None):
    """Value of a formula variable on `frame`: a float array, a Factor or Columns.

    ``learned`` holds what scale() and poly() learned from the fitted data (their centre,
    scale and coefficients), which predict() reuses on new data as R's makepredictcall does.
    """
    from .evaluate import Evaluator, as_variable

    return as_variable(Evaluator(frame, label, learned).value(expr), label)
