"""The syntax tree of a formula: what was written, with the source position of every node.

The parser builds it, expand.py reads its meaning from it, and deparse.py prints it as R's
deparse() does. Parentheses are nodes because R keeps them: they decide random terms and
labels (``I((x - 1)^2)``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import FormulaError

__all__ = ["Ident", "Number", "String", "Bool", "CallNode", "Binary", "Unary", "Paren",
           "problem", "BARS"]

BARS = ("|", "||")


@dataclass(frozen=True)
class Ident:
    name: str
    pos: int
    quoted: bool = False  # written in `backticks`


@dataclass(frozen=True)
class Number:
    value: float
    pos: int


@dataclass(frozen=True)
class String:
    value: str
    pos: int


@dataclass(frozen=True)
class Bool:
    value: bool
    pos: int


@dataclass(frozen=True)
class CallNode:
    func: str
    args: tuple
    pos: int
    kwargs: tuple = ()  # (name, node) pairs, as written


@dataclass(frozen=True)
class Binary:
    op: str
    left: object
    right: object
    pos: int  # of the operator, where a caret is most useful


@dataclass(frozen=True)
class Unary:
    op: str  # "-", "+" or "!"
    operand: object
    pos: int


@dataclass(frozen=True)
class Paren:
    inner: object
    pos: int


def problem(message: str, position: int | None) -> FormulaError:
    """A FormulaError without the text yet (parse_formula adds it)."""
    return FormulaError(message, position=position)


def unparen(node):
    while isinstance(node, Paren):
        node = node.inner
    return node


def is_bar(node) -> bool:
    return isinstance(node, Binary) and node.op in BARS
