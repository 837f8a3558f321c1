"""The meaning of a syntax tree: R's terms() algebra and lme4's random-term rules.

The parser only knows syntax; this module says what a parsed formula means, following R's
``terms.formula`` (src/library/stats/src/model.c: + - * / : ^ %in%, the intercept flag and
offsets) and lme4's ``findbars``/``nobars``, ``expandDoubleVerts`` (``||``) and
``expandSlash`` (``/``, with lme4's group names). Variables get their labels in labels.py;
size.py has already checked that the expansion stays small.
Errors are FormulaError with a position only; parse_formula adds the text for the caret.
"""

from __future__ import annotations

from . import terms as T
from .deparse import deparse, format_number
from .labels import variable
from .nodes import (
    BARS,
    Binary,
    Bool,
    CallNode,
    Ident,
    Number,
    Paren,
    String,
    Unary,
    is_bar,
    problem,
    unparen,
)
from .parser import COMPARISONS
from .size import many_terms, power_of

__all__ = ["build", "random_terms", "split_double_bar"]


# --- one side of a formula: R's EncodeVars ---------------------------------------------

Term = frozenset  # the labels of the variables interacting in one term


class _Side:
    """What R's terms() tracks while encoding one side: intercept and variable order."""

    def __init__(self, variables: dict, randoms: list | None, positions: dict):
        self.intercept = True
        self.order: dict[str, int] = {}  # label -> first position, orders a term's variables
        self.variables = variables  # label -> Expr, shared by the whole formula
        self.positions = positions  # label -> position of first use, shared
        self.randoms = randoms  # None inside a bar, where random terms cannot nest
        self.offsets: list[str] = []

    def add(self, node) -> str:
        label, expr = variable(node)
        self.variables.setdefault(label, expr)
        self.positions.setdefault(label, node.pos)
        self.order.setdefault(label, len(self.order))
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
    return _dedupe(left + _within(right, left))


def _within(left: list, right: list) -> list:
    """R's InTerms: a %in% (b + c) is a:b:c, every left term with all of the right."""
    outer = frozenset().union(*right)
    return _dedupe([t | outer for t in left])


def _power(base: list, k: int) -> list:
    """(a + b + c)^2: every interaction of up to k of the terms (R's PowerTerms)."""
    out = base
    for _ in range(min(k, len(base)) - 1):
        out = _cross(out, base)
    return out


_PRODUCTS = {":": _interact, "*": _cross, "/": _nest, "%in%": _within}


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
        case Binary(op="^", left=left, right=right) if many_terms(left):
            return _power(_encode(left, side, parity, "product"), power_of(right))
        case Binary(op=op, left=left, right=right) if op in _PRODUCTS:
            parts = (_encode(x, side, parity, "product") for x in (left, right))
            return _PRODUCTS[op](*parts)
        case Number(value=value) if ctx != "product" and value in (0, 1):
            side.intercept = parity == (value == 1)
            return []
        case CallNode(func="offset"):
            return _offset(node, side, ctx)
        case Ident() | CallNode():
            return [Term({side.add(node)})]
    raise problem(_misplaced(node, side), node.pos)


def _offset(node: CallNode, side: _Side, ctx: str) -> list:
    if side.randoms is None:
        raise problem("offset() belongs in the fixed part, outside the random-effect terms: "
                      "y ~ x + offset(z) + (1 | g).", node.pos)
    if ctx != "top":
        raise problem("offset() can't be part of an interaction or removed with -: add it "
                      "with +, as in y ~ x + offset(log(n)).", node.pos)
    label = side.add(node)
    side.order.pop(label)  # an offset is not a model term
    if label not in side.offsets:
        side.offsets.append(label)
    return []


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
        power = deparse(node)
        return (f"{power} in a formula is just {deparse(node.left)} (R ignores the power of a "
                f"single term): write I({power}) for a power, or (a + b)^2 for interactions.")
    if op == "~":
        return "The ~ must stand between the response and the predictors, not in parentheses."
    if op in (*COMPARISONS, "&", "&&", "%%", "%/%") or isinstance(node, Unary) and op == "!":
        return (f"Wrap this in I() to use it as a predictor: I({deparse(node)}), or "
                f"as.numeric({deparse(node)}) for a 0/1 column.")
    if isinstance(node, String):
        return ("Column names need no quotes; put names with spaces in backticks, like "
                "`my col`. (Quotes are for text inside a function, as in dummy(Sex, \"Male\").)")
    if isinstance(node, Unary):
        return "To remove an interaction, put it in parentheses after the minus: - (a:b)."
    if isinstance(node, Number):
        return (
            f"The number {format_number(node.value)} can't be a term here: 1 adds the "
            "intercept and 0 removes it (with + or -). For arithmetic write I(), e.g. I(2 * x)."
        )
    if isinstance(node, Bool):
        return "TRUE or FALSE can't be a term: they are values for a function's argument."
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
    side.randoms.extend(random_terms(bar, side.variables, side.positions))
    return []


def _effects(bar: Binary, variables: dict, positions: dict) -> T.ModelTerms:
    side = _Side(variables, None, positions)
    effects = side.model_terms(_encode(bar.left, side, True, "top"))
    if not effects.intercept and not effects.terms:
        raise problem(
            "This random-effect term has no effects: write (1 | g) for a random intercept "
            "or (0 + x | g) for a slope alone.",
            bar.pos,
        )
    return effects


def random_terms(bar: Binary, variables: dict, positions: dict | None = None
                 ) -> list[T.RandomTerm]:
    """(x || g) splits into (1 | g) + (0 + x | g); a/b gives groups b:a then a."""
    effects = _effects(bar, variables, {} if positions is None else positions)
    parts = [effects] if bar.op == "|" else _split(effects)
    return [T.RandomTerm(effects=p, group=cols, name=_group_name(gnode))
            for p in parts for cols, gnode in _groups(bar.right)]


def split_double_bar(bar: Binary) -> list[T.ModelTerms]:
    """The pieces lme4's expandDoubleVerts makes of ``(x || g)``'s left side."""
    return _split(_effects(bar, {}, {}))


def _split(effects: T.ModelTerms) -> list[T.ModelTerms]:
    """lme4's expandDoubleVerts: an intercept-only term, then one term per effect."""
    head = [T.ModelTerms(True, ())] if effects.intercept else []
    return head + [T.ModelTerms(False, (t,)) for t in effects.terms]


def _group_name(node) -> str:
    """lme4's name: deparse of the grouping expression (a symbol without backticks)."""
    node = unparen(node)
    return node.name if isinstance(node, Ident) else deparse(node)


def _groups(node) -> list[tuple[tuple[str, ...], object]]:
    """Grouping factors right of the bar, (columns, expression); the most specific first."""
    match node:
        case Ident(name=name) if name != ".":
            return [((name,), node)]
        case Paren(inner=inner) if not is_bar(unparen(inner)):
            return [(cols, Paren(g, node.pos) if isinstance(g, Binary) else g)
                    for cols, g in _groups(inner)]
        case Binary(op=":", left=left, right=right):
            return [(_one_group(left) + _one_group(right), node)]
        case Binary(op="/", left=left, right=right):
            outer = _groups(left)
            cols, inner = outer[0]
            inner = Paren(inner, inner.pos) if isinstance(inner, Binary) else inner
            return [(_one_group(right) + cols, Binary(":", right, inner, node.pos)), *outer]
    raise problem(_bad_group(node), _bar_pos(node))


def _one_group(node) -> tuple[str, ...]:
    groups = _groups(node)
    if len(groups) > 1:
        raise problem(
            "Write nesting left to right without parentheses, e.g. (1 | a/b/c).", node.pos
        )
    return groups[0][0]


def _bar_pos(node) -> int:
    inner = unparen(node)
    return inner.pos if is_bar(inner) else node.pos


def _bad_group(node) -> str:
    if is_bar(unparen(node)):
        return "A random-effect term can't contain another one: write (1 | a) + (1 | b)."
    if isinstance(node, CallNode):
        return (
            f"After the bar comes a column name, not {deparse(node)}: make the grouping "
            "column in the data first (or write (1 | a:b) for the combinations of two)."
        )
    if isinstance(node, Binary) and node.op in ("+", "*", "-"):
        return (
            "Only one grouping factor per term: write (1 | a) + (1 | b) for crossed factors, "
            "(1 | a/b) for b nested in a, or (1 | a:b) for their combinations."
        )
    return "After the bar comes the grouping variable (a column name), e.g. (1 | participant)."


# --- the whole formula -----------------------------------------------------------------


def build(text: str, tree: Binary) -> T.Formula:
    """A terms.Formula from the tree of ``lhs ~ rhs`` (its size already checked)."""
    lhs, rhs = tree.left, tree.right
    if not isinstance(lhs, Ident | CallNode):
        raise problem(
            "The left of ~ must be one column (e.g. Reaction) or a transform of one "
            "(e.g. log(Reaction)).",
            lhs.pos,
        )
    label, expr = variable(lhs)
    response = lhs.name if isinstance(lhs, Ident) else label
    variables: dict = {response: expr}
    positions: dict = {}
    randoms: list = []
    side = _Side(variables, randoms, positions)
    fixed = side.model_terms(_encode(rhs, side, True, "top"))
    for other in [*side.order, *side.offsets]:
        if variables[other] == expr:
            raise problem(
                f"{label} is the response, so it can't also be a predictor: remove it from "
                "the right of ~.",
                positions[other],
            )
    return T.Formula(text=text, response=response, fixed=fixed, random=tuple(randoms),
                     variables=variables, tree=tree, offsets=tuple(side.offsets),
                     positions={response: lhs.pos, **positions})
