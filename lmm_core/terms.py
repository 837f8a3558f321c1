"""The parsed form of an lme4 formula: plain frozen values handed from formula.py to design.py.

A formula such as ``log(rt) ~ 1 + cond * age + (1 + cond || subj) + (1 | school/class)`` becomes

- ``response``: the label of the response variable (``"log(rt)"``);
- ``fixed``: a :class:`ModelTerms` (intercept flag + interaction terms in R's order);
- ``random``: :class:`RandomTerm` values with ``||`` and ``/`` already expanded as lme4 does;
- ``variables``: label -> expression tree, for every variable the formula evaluates.

Variables are identified by their R-style label (what R's ``deparse`` prints: ``Days``,
``log(x)``, ``I(x^2)``, ``I(x * 2)``), which is also how they appear in coefficient names.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Name",
    "Num",
    "Call",
    "BinOp",
    "Neg",
    "Expr",
    "ModelTerms",
    "RandomTerm",
    "Formula",
    "TRANSFORMS",
]


@dataclass(frozen=True)
class Name:
    """A column of the data."""

    id: str


@dataclass(frozen=True)
class Num:
    """A numeric literal."""

    value: float


@dataclass(frozen=True)
class Call:
    """A whitelisted function applied to expressions: ``log(x)``, ``scale(x)``, ``I(x^2)``."""

    func: str
    args: tuple


@dataclass(frozen=True)
class BinOp:
    """Arithmetic inside ``I()``: op is one of + - * / ^."""

    op: str
    left: object
    right: object


@dataclass(frozen=True)
class Neg:
    """Unary minus inside ``I()``."""

    operand: object


Expr = Name | Num | Call | BinOp | Neg

# Functions a formula may call, evaluated without eval(): name -> number of arguments.
TRANSFORMS = {
    "log": 1,
    "log2": 1,
    "log10": 1,
    "log1p": 1,
    "exp": 1,
    "sqrt": 1,
    "abs": 1,
    "scale": 1,
    "I": 1,
}


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

    ``group`` lists the grouping variables; more than one means their interaction, named
    ``":".join(group)`` (``(1 | a/b)`` gives ``("b", "a")`` named ``b:a``, and ``("a",)``).
    """

    effects: ModelTerms
    group: tuple[str, ...]

    @property
    def group_name(self) -> str:
        return ":".join(self.group)


@dataclass(frozen=True)
class Formula:
    """A parsed lme4 formula."""

    text: str
    response: str
    fixed: ModelTerms
    random: tuple[RandomTerm, ...]
    variables: dict  # label -> Expr, for the response, fixed and random-effect variables

    @property
    def grouping_variables(self) -> tuple[str, ...]:
        """Column names used as grouping factors, in order of first use."""
        seen: dict[str, None] = {}
        for term in self.random:
            for g in term.group:
                seen.setdefault(g, None)
        return tuple(seen)
