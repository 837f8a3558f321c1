"""Variables of a formula: their R labels (deparse) and expression trees (terms.py).

Only whitelisted functions and operators become expression trees; anything else is a
FormulaError at its position, saying how to write it.
"""

from __future__ import annotations

from . import terms as T
from .deparse import deparse
from .nodes import BARS, Binary, Bool, CallNode, Ident, Number, Paren, String, Unary, problem
from .parser import COMPARISONS

__all__ = ["arithmetic", "variable"]

_ARITHMETIC = ("+", "-", "*", "/", "^", "%%", "%/%", *COMPARISONS, "&", "&&")
_MULTI_COLUMN = ("poly", "dummy")

def arithmetic(node, nested: bool = False) -> T.Expr:
    """The expression tree of a variable; only whitelisted functions and operators."""
    match node:
        case Ident(name=name):
            return T.Name(name)
        case Number(value=value):
            return T.Num(value)
        case String(value=value):
            return T.Str(value)
        case Bool(value=value):
            return T.Bool(value)
        case CallNode(func=func, args=args, kwargs=kwargs):
            if nested and func in (*_MULTI_COLUMN, "offset"):
                raise problem(_not_nested(func), node.pos)
            return T.Call(func, tuple(arithmetic(a, True) for a in args),
                          tuple((k, arithmetic(v, True)) for k, v in kwargs))
        case Binary(op=op, left=left, right=right) if op in _ARITHMETIC:
            return T.BinOp("&" if op == "&&" else op, arithmetic(left, True),
                           arithmetic(right, True))
        case Unary(op="-", operand=operand):
            return T.Neg(arithmetic(operand, True))
        case Unary(op="!", operand=operand):
            return T.Not(arithmetic(operand, True))
        case Unary(op="+", operand=operand) | Paren(inner=operand):
            return arithmetic(operand, nested)
    raise problem(_not_arithmetic(node), node.pos)


def _not_nested(func: str) -> str:
    if func == "offset":
        return "offset() must stand on its own as a term, as in y ~ x + offset(log(n))."
    return (f"{func}() gives one column per level or power, so it must stand on its own as a "
            f"term, as in y ~ {func}(x, 2) or y ~ x * {func}(x, 2)." if func == "poly" else
            f"{func}() must stand on its own as a term, as in (0 + dummy(Sex, \"Male\") | g).")


def _not_arithmetic(node) -> str:
    op = getattr(node, "op", "")
    if op == ":":
        return "':' (interaction) can't be inside a function like I() or log(): use * to multiply."
    if op in BARS:
        return ("A '|' can't be inside a function: lme4 reads every | as a random-effect bar "
                "like (1 | g). For 'or', write pmax(a > 1, b > 2) inside as.numeric() or I().")
    if op == "~":
        return "The ~ can't be inside a function: it separates the response from the predictors."
    if op == "%in%":
        return "%in% can't be inside a function here: compare with ==, e.g. I(group == \"a\")."
    return f"'{op}' can't be used inside a function here. Delete it."


def variable(node) -> tuple[str, T.Expr]:
    """Label and expression of one formula variable: a column or a whitelisted call."""
    if isinstance(node, Ident) and node.name == ".":
        raise problem(
            "'.' (all other columns) is not supported: name the columns, e.g. y ~ a + b.", node.pos
        )
    return deparse(node), arithmetic(node)
