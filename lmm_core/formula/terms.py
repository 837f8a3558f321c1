"""The parsed form of an lme4 formula: plain frozen values handed from the parser to design.py.

A formula such as ``log(rt) ~ 1 + cond * age + (1 + cond || subj) + (1 | school/class)`` becomes

- ``response``: the response's column (``rt`` in ``rt ~ ...``) or its R label when it is
  transformed (``"log(rt)"``);
- ``fixed``: a :class:`ModelTerms` (intercept flag + interaction terms in R's order);
- ``random``: :class:`RandomTerm` values with ``||`` and ``/`` already expanded as lme4 does;
- ``offsets``: the labels of ``offset()`` terms, which enter the fit with coefficient 1;
- ``variables``: label -> expression tree, for every variable the formula evaluates;
- ``tree``: the syntax tree with the source position of every node (nodes.py), which the
  one deparser (deparse.py) prints as R does.

Variables are identified by their R label (what R's ``deparse`` prints: ``Days``,
``log(x)``, ``I(x^2)``, ``I(x * 2)``, ```my col```), which is also how they appear in
coefficient names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Name",
    "Num",
    "Str",
    "Bool",
    "Call",
    "BinOp",
    "Neg",
    "Not",
    "Expr",
    "ModelTerms",
    "RandomTerm",
    "Formula",
]


@dataclass(frozen=True)
class Name:
    """A column of the data (``pi`` is R's constant unless the data has such a column)."""

    id: str


@dataclass(frozen=True)
class Num:
    """A numeric literal."""

    value: float


@dataclass(frozen=True)
class Str:
    """A text literal, as in ``Sex == "Male"`` or ``dummy(Sex, "Male")``."""

    value: str


@dataclass(frozen=True)
class Bool:
    """TRUE or FALSE, as in ``scale(x, scale = FALSE)``."""

    value: bool


@dataclass(frozen=True)
class Call:
    """A whitelisted function applied to expressions: ``log(x)``, ``poly(x, 2, raw = TRUE)``.

    ``kwargs`` holds named arguments as (name, expression) pairs, in the order written.
    """

    func: str
    args: tuple
    kwargs: tuple = ()


@dataclass(frozen=True)
class BinOp:
    """A binary operator inside a function: arithmetic (+ - * / ^ %% %/%), a comparison
    (== != < > <= >=) or logical and (&)."""

    op: str
    left: object
    right: object


@dataclass(frozen=True)
class Neg:
    """Unary minus inside a function."""

    operand: object


@dataclass(frozen=True)
class Not:
    """Logical not (``!x``) inside a function."""

    operand: object


Expr = Name | Num | Str | Bool | Call | BinOp | Neg | Not


@dataclass(frozen=True)
class ModelTerms:
    """One side of a model formula as R's ``terms()`` sees it.

    ``terms`` holds interaction terms, each a tuple of variable labels in the order the
    variables first appear in the formula; terms are sorted by their order (number of
    variables), stably, like R with ``keep.order = FALSE``. ``a*b`` arrives here as
    ``(("a",), ("b",), ("a", "b"))``.
    """

    intercept: bool
    terms: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class RandomTerm:
    """One ``(effects | group)`` term after expansion.

    ``group`` lists the grouping columns; more than one means their interaction.
    ``name`` is lme4's name for it: ``(1 | a/b/c)`` gives ``("c", "b", "a")`` named
    ``c:(b:a)``, then ``("b", "a")`` named ``b:a``, then ``("a",)``. It is left out of
    comparisons (two terms with the same effects and columns are the same term).
    """

    effects: ModelTerms
    group: tuple[str, ...]
    name: str = field(default="", compare=False)

    @property
    def group_name(self) -> str:
        return self.name or ":".join(self.group)


@dataclass(frozen=True)
class Formula:
    """A parsed lme4 formula: its meaning (terms) and its syntax tree (``tree``)."""

    text: str
    response: str
    fixed: ModelTerms
    random: tuple[RandomTerm, ...]
    variables: dict  # label -> Expr, for the response, fixed, random-effect and offset variables
    tree: object = field(default=None, compare=False, repr=False)  # nodes.Binary("~", ...)
    offsets: tuple[str, ...] = ()
    positions: dict = field(default_factory=dict, compare=False, repr=False)  # label -> pos

    @property
    def grouping_variables(self) -> tuple[str, ...]:
        """Column names used as grouping factors, in order of first use."""
        seen: dict[str, None] = {}
        for term in self.random:
            for g in term.group:
                seen.setdefault(g, None)
        return tuple(seen)

    def deparse_lines(self, expand_bars: bool = False) -> list[str]:
        """The formula as R's deparse() prints it (lines of at most ~60 characters before
        an operator); lme4's summary expands ``||`` terms (expand_bars)."""
        from .deparse import deparse_lines

        return deparse_lines(self.tree, expand_bars=expand_bars)

    def deparse(self, expand_bars: bool = False) -> str:
        """The formula on one line, spaced as R prints it."""
        return "".join(self.deparse_lines(expand_bars))

    def __str__(self) -> str:
        return self.text
