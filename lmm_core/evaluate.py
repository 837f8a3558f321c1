"""Evaluate a formula variable's expression tree on a DataFrame, with R's semantics.

The tree comes from the parser (formula/terms.py); evaluating it is a walk over its nodes,
never eval(), so only the functions in formula/functions.py can run. Values are float arrays,
Logical, Factor or Columns (variables.py). scale() and poly() standing for a whole variable
record what they learned from the fitted data in ``learned`` (keyed by their call) and reuse it
on new data; nested inside another function they are recomputed, exactly as R's predict() does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import transforms as tf
from .errors import DataError
from .formula import CONSTANTS
from .formula.functions import bind
from .formula.terms import BinOp, Bool, Call, Name, Neg, Not, Num, Str
from .variables import (
    Columns,
    Factor,
    Logical,
    as_factor,
    column,
    interaction,
    is_factor_column,
    is_logical_column,
    level_label,
)

__all__ = ["Evaluator", "as_variable"]

_MATH = {"log": np.log, "log2": np.log2, "log10": np.log10, "log1p": np.log1p, "exp": np.exp,
         "sqrt": np.sqrt, "abs": np.abs, "sin": np.sin, "cos": np.cos, "tan": np.tan}
_ARITH = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "^": np.power,
          "%%": np.mod, "%/%": np.floor_divide}
_ORDER = {"<": np.less, ">": np.greater, "<=": np.less_equal, ">=": np.greater_equal}


class Evaluator:
    """Evaluates expressions on one frame; `learned` is None while fitting (then it learns)."""

    def __init__(self, frame: pd.DataFrame, label: str, learned: dict | None = None):
        self.frame, self.label, self.n = frame, label, len(frame)
        self.fitting = learned is None
        self.learned = {} if learned is None else learned

    # ----- dispatch ------------------------------------------------------------------------
    def value(self, expr, top: bool = True):
        match expr:
            case Name(id=name):
                return self.name(name)
            case Num(value=v) | Bool(value=v):
                return np.full(self.n, float(v))
            case Str(value=v):
                return v
            case Neg(operand=x):
                return -self.numeric(x)
            case Not(operand=x):
                return Logical(_not(self.logical(x)))
            case BinOp(op=op, left=a, right=b):
                return self.binary(op, a, b)
            case Call():
                return self.call(expr, top)
        raise DataError(f"Cannot evaluate {self.label!r}.")

    def name(self, name: str):
        if name not in self.frame.columns and name in CONSTANTS:
            return np.full(self.n, CONSTANTS[name])
        series = column(self.frame, name)
        if isinstance(series, pd.DataFrame):
            raise DataError(f"The data has {series.shape[1]} columns named {name!r}: rename "
                            "them so that each name is used once.")
        if pd.api.types.is_complex_dtype(series):
            raise DataError(f"Column {name!r} holds complex numbers, which a linear mixed "
                            "model cannot use: keep the real part (or the modulus) in a "
                            "column of its own.")
        if is_logical_column(series):
            return Logical(series.astype(float).to_numpy())
        if is_factor_column(series):
            check_text_in_numbers(series, name)
            return as_factor(series)
        return series.to_numpy(dtype=float)

    def numeric(self, expr) -> np.ndarray:
        value = self.value(expr, top=False)
        if isinstance(value, Logical):
            return value.values
        if isinstance(value, np.ndarray):
            return value
        if isinstance(value, Factor):
            raise DataError(
                f"{self.label!r} does arithmetic on {_shown(expr)}, which is not numeric "
                f"(it holds values like {value.levels[0]!r}). Use a numeric column inside "
                "log(), scale() or I(), or compare it: as.numeric(x == \"level\").")
        raise DataError(f"{self.label!r} uses {value!r} where a number is needed.")

    def logical(self, expr) -> np.ndarray:
        value = self.value(expr, top=False)
        if isinstance(value, Logical):
            return value.values
        if isinstance(value, np.ndarray):
            return np.where(np.isnan(value), np.nan, value != 0)
        raise DataError(f"{self.label!r} needs TRUE/FALSE values: compare first, as in "
                        "I(x > 0) or I(group == \"a\").")

    # ----- operators -----------------------------------------------------------------------
    def binary(self, op: str, a, b):
        if op == "&":
            return Logical(_and(self.logical(a), self.logical(b)))
        if op in ("==", "!="):
            equal = self.equal(a, b)
            return Logical(equal if op == "==" else _not(equal))
        if op in _ORDER:
            x, y = self.numeric(a), self.numeric(b)
            with np.errstate(invalid="ignore"):
                out = _ORDER[op](x, y).astype(float)
            return Logical(np.where(np.isnan(x) | np.isnan(y), np.nan, out))
        return checked(_ARITH[op], self.label, self.numeric(a), self.numeric(b))

    def equal(self, a, b) -> np.ndarray:
        """R's ==: numbers as numbers; text (a factor or "string") as text."""
        x, y = self.value(a, top=False), self.value(b, top=False)
        if isinstance(x, Factor | str) or isinstance(y, Factor | str):
            return _text_equal(_texts(x, self.n), _texts(y, self.n))
        x, y = self.numeric(a), self.numeric(b)
        return np.where(np.isnan(x) | np.isnan(y), np.nan, (x == y).astype(float))

    # ----- functions -----------------------------------------------------------------------
    def call(self, expr: Call, top: bool):
        func, args = expr.func, bind(expr.func, expr.args, expr.kwargs)
        if func in _MATH:
            return checked(_MATH[func], self.label, self.numeric(args["x"]))
        if func == "I":
            return self.value(args["x"], top=False)
        if func in ("offset", "as.numeric"):
            return self.as_numeric(args["x"]) if func == "as.numeric" else self.numeric(args["x"])
        if func in ("factor", "as.factor"):
            return to_factor(self.value(args["x"], top=False), self.label)
        if func in ("pmin", "pmax"):
            arrays = [self.numeric(a) for a in args["..."]]
            pick = np.minimum if func == "pmin" else np.maximum
            return np.broadcast_to(pick.reduce(arrays), (self.n,)).astype(float)
        if func == "interaction":
            factors = [to_factor(self.value(a, top=False), self.label) for a in args["..."]]
            return interaction(factors, sep=".", first_fastest=True)
        if func == "dummy":
            return self.dummy(args)
        return self.stateful(expr, args, top)

    def as_numeric(self, arg):
        value = self.value(arg, top=False)
        if isinstance(value, Factor) and isinstance(arg, Name) and not isinstance(
                self.frame[arg.id].dtype, pd.CategoricalDtype):
            raise DataError(
                f"as.numeric() of the text column {arg.id!r} gives NA in R. Compare it "
                f"instead, e.g. as.numeric({arg.id} == \"{value.levels[-1]}\"), or make the "
                "column numeric in the data.")
        if isinstance(value, Factor):  # R: a factor's integer codes
            return np.where(value.codes < 0, np.nan, value.codes + 1.0)
        return self.numeric(arg)

    def dummy(self, args) -> Columns:
        """lme4's dummy(f, "level"): 0/1 columns for the kept levels (default: all but the
        first)."""
        f = to_factor(self.value(args["f"], top=False), self.label)
        keep = args.get("levelsToKeep")
        levels = [keep.value] if keep is not None else list(f.levels[1:])
        missing = [lev for lev in levels if lev not in f.levels]
        if missing:
            raise DataError(f"{self.label}: {missing[0]!r} is not a level of the factor; its "
                            f"levels are {', '.join(map(repr, f.levels))}.")
        columns = [np.where(f.codes < 0, np.nan, f.codes == f.levels.index(lev))
                   for lev in levels]
        return Columns(np.column_stack(columns).astype(float), tuple(levels))

    def stateful(self, expr: Call, args: dict, top: bool):
        x = self.numeric(args["x"])
        learned = self.learned.get(expr) if top and not self.fitting else None
        if expr.func == "scale":
            if learned is None:
                learned = tf.learn_scale(x, _flag(args.get("center")), _flag(args.get("scale")))
            value = tf.apply_scale(x, learned)
        else:
            degree = int(_flag(args.get("degree"), 1))
            if _flag(args.get("raw"), False):
                return Columns(tf.raw_poly(x, degree), tuple(map(str, range(1, degree + 1))))
            if learned is None:
                value, learned = tf.learn_poly(x, degree, self.label)
            else:
                value = tf.apply_poly(x, degree, learned)
            value = Columns(value, tuple(map(str, range(1, degree + 1))))
        if top and self.fitting:
            self.learned[expr] = learned
        return value


# ----- helpers -------------------------------------------------------------------------------
def _flag(expr, default=True):
    """A constant argument: TRUE/FALSE or a number (possibly negated)."""
    if expr is None:
        return default
    if isinstance(expr, Bool):
        return expr.value
    if isinstance(expr, Neg):
        return -_flag(expr.operand)
    return float(expr.value)


def _shown(expr) -> str:
    return f"column {expr.id!r}" if isinstance(expr, Name) else "a text value"


def _not(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), np.nan, 1.0 - values)


def _and(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """R's three-valued &: FALSE wins over NA."""
    out = np.where(np.isnan(a) | np.isnan(b), np.nan, a * b)
    return np.where((a == 0) | (b == 0), 0.0, out)


def _texts(value, n: int) -> np.ndarray:
    if isinstance(value, str):
        return np.full(n, value, dtype=object)
    if isinstance(value, Factor):
        labels = np.asarray([*value.levels, None], dtype=object)
        return labels[value.codes]
    if isinstance(value, Logical):
        return np.asarray([None if np.isnan(v) else ("TRUE" if v else "FALSE")
                           for v in value.values], dtype=object)
    return np.asarray([None if np.isnan(v) else level_label(float(v)) for v in value],
                      dtype=object)


def _text_equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    missing = pd.isna(a) | pd.isna(b)
    return np.where(missing, np.nan, (a == b).astype(float))


def to_factor(value, label: str) -> Factor:
    """R's factor(): levels that occur, numbers sorted numerically, logicals FALSE < TRUE."""
    if isinstance(value, Factor):
        return value
    if isinstance(value, Logical):
        return as_factor(pd.Series(value.values).map({0.0: False, 1.0: True}).astype(object))
    if isinstance(value, np.ndarray):
        return as_factor(pd.Series(value))
    raise DataError(f"{label!r} cannot make a factor of {value!r}: give it a column.")


def checked(func, label: str, *arrays):
    """Apply func; values that turn non-finite from finite inputs are an error, not NA."""
    with np.errstate(all="ignore"):
        out = func(*arrays)
    inputs_ok = np.logical_and.reduce([np.isfinite(a) for a in arrays])
    if np.any(inputs_ok & ~np.isfinite(out)):
        raise DataError(
            f"{label!r} gives values that are not finite numbers (for example log of zero or "
            "of a negative number, or division by zero). Check the column's values or choose "
            "another transform, e.g. log(x + 1)."
        )
    return out


def as_variable(value, label: str):
    """The value a model matrix takes: float array, Factor (logicals: FALSE/TRUE) or Columns."""
    if isinstance(value, Logical):
        return value.as_factor()
    if isinstance(value, str):
        raise DataError(f"{label!r} is a text constant, not a variable: name a column.")
    return value


def check_text_in_numbers(series: pd.Series, name: str) -> None:
    """A mostly numeric text column with a few text cells is a typo, not a factor: say so."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return
    cells = pd.unique(series.dropna().to_numpy())
    text = [v for v in cells if not _is_number(v)]
    if not text or len(text) >= len(cells) - len(text):
        return
    rows = series.index[series.isin(text[:1])]
    raise DataError(
        f"Column {name!r} looks numeric but has text in some cells (for example "
        f"{text[0]!r} in row {rows[0]}), so R would read every value as a category. Fix or "
        "blank those cells (pd.to_numeric(data[col], errors='coerce') makes them missing); if "
        "the column really holds categories, make it a pandas Categorical.")


def _is_number(value) -> bool:
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, int | float | np.number):
        return True
    try:
        float(str(value).strip())
    except ValueError:
        return False
    return True
