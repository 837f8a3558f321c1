"""The formula AST and its meaning: R's terms() algebra and lme4's random-term rules.

formula.py only knows syntax; this module says what a parsed formula means, following
R's ``terms.formula`` (src/library/stats/src/model.c: + - * / : and the intercept flag),
lme4's ``findbars``/``nobars``, ``expandDoubleVerts`` (``||``) and ``expandSlash`` (``/``),
and R's ``deparse`` for variable labels. Errors are FormulaError with a position only;
parse_formula adds the formula text so that the message can show a caret.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import terms as T
from .errors import FormulaError

__all__ = ["Ident", "Number", "CallNode", "Binary", "Unary", "Paren", "problem", "build"]

BARS = ("|", "||")
_ARITHMETIC = ("+", "-", "*", "/", "^")
_SPACED = ("+", "-", "*", "|", "||", "~")  # R's deparse puts spaces around these only


@dataclass(frozen=True)
class Ident:
    name: str
    pos: int


@dataclass(frozen=True)
class Number:
    value: float
    pos: int


@dataclass(frozen=True)
class CallNode:
    func: str
    args: tuple
    pos: int


@dataclass(frozen=True)
class Binary:
    op: str
    left: object
    right: object
    pos: int  # of the operator, where a caret is most useful


@dataclass(frozen=True)
class Unary:
    op: str
    operand: object
    pos: int


@dataclass(frozen=True)
class Paren:
    """Kept in the AST because R keeps them: they decide random terms and labels."""

    inner: object
    pos: int


def problem(message: str, position: int | None) -> FormulaError:
    """A FormulaError without the text yet (parse_formula adds it)."""
    return FormulaError(message, position=position)


def format_number(value: float) -> str:
    """Numbers as R's deparse prints them: 2, 0.5, 1.5 (15 significant digits)."""
    return format(value, ".15g")


def deparse(node) -> str:
    """The R label of a node, e.g. ``I((x - 1)^2)``: it names coefficients and columns."""
    match node:
        case Ident(name=name):
            return name
        case Number(value=value):
            return format_number(value)
        case CallNode(func=func, args=args):
            return f"{func}({', '.join(deparse(a) for a in args)})"
        case Binary(op=op, left=left, right=right):
            sep = f" {op} " if op in _SPACED else op
            return f"{deparse(left)}{sep}{deparse(right)}"
        case Unary(op=op, operand=operand):
            return f"{op}{deparse(operand)}"
        case Paren(inner=inner):
            return f"({deparse(inner)})"
    raise TypeError(f"not a formula node: {node!r}")


def unparen(node):
    while isinstance(node, Paren):
        node = node.inner
    return node


def is_bar(node) -> bool:
    return isinstance(node, Binary) and node.op in BARS


# --- variables: labels and expression trees -------------------------------------------


def arithmetic(node) -> T.Expr:
    """The expression tree of a function argument; only arithmetic may be evaluated."""
    match node:
        case Ident(name=name):
            return T.Name(name)
        case Number(value=value):
            return T.Num(value)
        case CallNode(func=func, args=args):
            return T.Call(func, tuple(arithmetic(a) for a in args))
        case Binary(op=op, left=left, right=right) if op in _ARITHMETIC:
            return T.BinOp(op, arithmetic(left), arithmetic(right))
        case Unary(op="-", operand=operand):
            return T.Neg(arithmetic(operand))
        case Paren(inner=inner):
            return arithmetic(inner)
    raise problem(_not_arithmetic(node), node.pos)


def _not_arithmetic(node) -> str:
    op = getattr(node, "op", "")
    if op == ":":
        return "':' (interaction) can't be inside a function like I() or log(): use * to multiply."
    if op in BARS:
        return "A '|' can't be inside a function. Random-effect terms look like (1 | g)."
    if op == "~":
        return "The ~ can't be inside a function: it separates the response from the predictors."
    return f"'{op}' can't be used inside a function here. Delete it."


def variable(node) -> tuple[str, T.Expr]:
    """Label and expression of one formula variable: a column or a whitelisted call."""
    if isinstance(node, Ident) and node.name == ".":
        raise problem(
            "'.' (all other columns) is not supported: name the columns, e.g. y ~ a + b.", node.pos
        )
    if isinstance(node, Ident):
        return node.name, T.Name(node.name)
    return deparse(node), arithmetic(node)


# --- one side of a formula: R's EncodeVars ---------------------------------------------

Term = frozenset  # the labels of the variables interacting in one term


class _Side:
    """What R's terms() tracks while encoding one side: intercept and variable order."""

    def __init__(self, variables: dict, randoms: list | None):
        self.intercept = True
        self.order: dict[str, int] = {}  # label -> first position, orders a term's variables
        self.first_pos: dict[str, int] = {}
        self.variables = variables  # label -> Expr, shared by the whole formula
        self.randoms = randoms  # None inside a bar, where random terms cannot nest

    def add(self, node) -> str:
        label, expr = variable(node)
        self.variables.setdefault(label, expr)
        self.order.setdefault(label, len(self.order))
        self.first_pos.setdefault(label, node.pos)
        return label

    def model_terms(self, terms: list) -> T.ModelTerms:
        """Terms by order (stable, R's keep.order = FALSE), variables by first appearance."""
        ordered = sorted(terms, key=len)
        labels = tuple(tuple(sorted(t, key=self.order.__getitem__)) for t in ordered)
        return T.ModelTerms(intercept=self.intercept, terms=labels)


def _dedupe(terms: list) -> list:
    """R's TrimRepeats: keep the first of equal terms (a:b equals b:a)."""
    return list(dict.fromkeys(terms))


def _interact(left: list, right: list) -> list:
    return _dedupe([a | b for a in left for b in right])


def _cross(left: list, right: list) -> list:
    return _dedupe(left + right + _interact(left, right))


def _nest(left: list, right: list) -> list:
    """a/b is a + a:b; (a + b)/c is a + b + a:b:c (all of the left with each right term)."""
    outer = frozenset().union(*left)
    return _dedupe(left + [outer | r for r in right])


_PRODUCTS = {":": _interact, "*": _cross, "/": _nest}


def _encode(node, side: _Side, parity: bool, ctx: str) -> list:
    """Terms of `node`; ctx is "top" (random terms allowed), "minus" or "product"."""
    match node:
        case Paren(inner=inner) if is_bar(unparen(inner)):
            return _random(node, unparen(inner), side, ctx)
        case Paren(inner=inner) | Unary(op="+", operand=inner):
            return _encode(inner, side, parity, ctx)
        case Binary(op="+", left=left, right=right):
            return _dedupe(_encode(left, side, parity, ctx) + _encode(right, side, parity, ctx))
        case Binary(op="-", left=left, right=right):
            kept = _encode(left, side, parity, ctx)
            return _delete(kept, _encode(right, side, not parity, "minus"))
        case Unary(op="-", operand=operand) if ctx != "product":
            return _delete([], _encode(operand, side, not parity, "minus"))
        case Binary(op=op, left=left, right=right) if op in _PRODUCTS:
            parts = (_encode(x, side, parity, "product") for x in (left, right))
            return _PRODUCTS[op](*parts)
        case Number(value=value) if ctx != "product" and value in (0, 1):
            side.intercept = parity == (value == 1)
            return []
        case Ident() | CallNode():
            return [Term({side.add(node)})]
    raise problem(_misplaced(node, side), node.pos)


def _delete(terms: list, removed: list) -> list:
    return [t for t in terms if t not in removed]


def _misplaced(node, side: _Side) -> str:
    """Why `node` cannot stand where it is, and how to write it instead."""
    op = getattr(node, "op", None)
    if op in BARS and side.randoms is None:
        return "A random-effect term can have only one bar: write (1 | a) + (1 | b)."
    if op in BARS:
        left = unparen(node.left)
        while isinstance(left, Binary) and left.op == "+":
            left = left.right
        wrapped = f"({deparse(left)} {op} {deparse(node.right)})"
        return f"A random-effect term needs its own parentheses: wrap it, as in {wrapped}."
    if op == "^":
        return "'^' only works inside I(): write I(x^2) for a square, or a*b for interactions."
    if op == "~":
        return "The ~ must stand between the response and the predictors, not in parentheses."
    if isinstance(node, Unary):
        return "To remove an interaction, put it in parentheses after the minus: - (a:b)."
    if isinstance(node, Number):
        return (
            f"The number {format_number(node.value)} can't be a term here: 1 adds the "
            "intercept and 0 removes it (with + or -). For arithmetic write I(), e.g. I(2 * x)."
        )
    return f"'{op}' can't be used here."


# --- random terms: lme4's findbars, expandDoubleVerts and expandSlash ------------------


def _random(paren: Paren, bar: Binary, side: _Side, ctx: str) -> list:
    """Record the random terms of `(lhs | group)`; they contribute no fixed terms."""
    if side.randoms is None:
        raise problem(
            "A random-effect term can't contain another one: write (1 | a) + (1 | b).", bar.pos
        )
    if ctx != "top":
        raise problem(
            "Add random-effect terms with +, as in y ~ x + (1 | g): they can't be part of an "
            "interaction or removed with -.",
            paren.pos,
        )
    side.randoms.extend(random_terms(bar, side.variables))
    return []


def random_terms(bar: Binary, variables: dict) -> list[T.RandomTerm]:
    """(x || g) splits into (1 | g) + (0 + x | g); a/b gives groups b:a then a."""
    side = _Side(variables, randoms=None)
    effects = side.model_terms(_encode(bar.left, side, True, "top"))
    if not effects.intercept and not effects.terms:
        raise problem(
            "This random-effect term has no effects: write (1 | g) for a random intercept "
            "or (0 + x | g) for a slope alone.",
            bar.pos,
        )
    groups = _groups(bar.right)
    parts = [effects] if bar.op == "|" else _split(effects)
    return [T.RandomTerm(effects=p, group=g) for p in parts for g in groups]


def _split(effects: T.ModelTerms) -> list[T.ModelTerms]:
    """lme4's expandDoubleVerts: an intercept-only term, then one term per effect."""
    head = [T.ModelTerms(True, ())] if effects.intercept else []
    return head + [T.ModelTerms(False, (t,)) for t in effects.terms]


def _groups(node) -> list[tuple[str, ...]]:
    """Grouping factors right of the bar; the most specific comes first."""
    match node:
        case Ident(name=name) if name != ".":
            return [(name,)]
        case Paren(inner=inner) if not is_bar(unparen(inner)):
            return _groups(inner)
        case Binary(op=":", left=left, right=right):
            return [_one_group(left) + _one_group(right)]
        case Binary(op="/", left=left, right=right):
            outer = _groups(left)
            return [_one_group(right) + outer[0], *outer]
    raise problem(_bad_group(node), _bar_pos(node))


def _one_group(node) -> tuple[str, ...]:
    groups = _groups(node)
    if len(groups) > 1:
        raise problem(
            "Write nesting left to right without parentheses, e.g. (1 | a/b/c).", node.pos
        )
    return groups[0]


def _bar_pos(node) -> int:
    inner = unparen(node)
    return inner.pos if is_bar(inner) else node.pos


def _bad_group(node) -> str:
    if is_bar(unparen(node)):
        return "A random-effect term can't contain another one: write (1 | a) + (1 | b)."
    if isinstance(node, CallNode):
        return (
            f"After the bar comes a column name, not {deparse(node)}: make the grouping "
            "column in the data first."
        )
    if isinstance(node, Binary) and node.op in ("+", "*", "-"):
        return (
            "Only one grouping factor per term: write (1 | a) + (1 | b) for crossed factors, "
            "(1 | a/b) for b nested in a, or (1 | a:b) for their combinations."
        )
    return "After the bar comes the grouping variable (a column name), e.g. (1 | participant)."


# --- the whole formula -----------------------------------------------------------------


def build(text: str, lhs, rhs) -> T.Formula:
    """A terms.Formula from the two sides of ``~``."""
    variables: dict = {}
    if not isinstance(lhs, Ident | CallNode):
        raise problem(
            "The left of ~ must be one column (e.g. Reaction) or a transform of one "
            "(e.g. log(Reaction)).",
            lhs.pos,
        )
    response, expr = variable(lhs)
    variables[response] = expr
    randoms: list = []
    side = _Side(variables, randoms)
    fixed = side.model_terms(_encode(rhs, side, True, "top"))
    if response in side.order:
        raise problem(
            f"{response} is the response, so it can't also be a predictor: remove it from "
            "the right of ~.",
            side.first_pos[response],
        )
    return T.Formula(
        text=text, response=response, fixed=fixed, random=tuple(randoms), variables=variables
    )
