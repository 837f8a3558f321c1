"""lme4 formulas: text -> Formula (meaning + syntax tree), without eval().

    parse_formula("Reaction ~ Days + (Days | Subject)")

Small steps, one module each: the tokenizer (tokens.py); a Pratt parser driven by an operator
table as data (parser.py -> the tree of nodes.py, calls checked against functions.py); the
check that the expansion stays small (size.py, before anything is expanded); R's and lme4's
rules for what the tree means (expand.py, labels.py for the variables). deparse.py is the one
deparser: labels, group names, the summary's formula line and the formulas remedies write.
"""

from __future__ import annotations

import math

from ..errors import ColumnNotFoundError, FormulaError
from .deparse import deparse, deparse_lines, quote_name
from .expand import build
from .nodes import Binary, CallNode, Ident, problem
from .parser import EXAMPLE, INFIX, PREFIX, parse_tokens
from .size import MAX_TERMS, check_size
from .terms import Formula
from .tokens import Token, tokenize

__all__ = ["parse_formula", "Formula", "tokenize", "Token", "deparse",
           "deparse_lines", "quote_name", "INFIX", "PREFIX", "MAX_LENGTH", "MAX_TERMS",
           "CONSTANTS"]

MAX_LENGTH = 10_000  # characters: longer text is refused before it is read
CONSTANTS = {"pi": math.pi}  # names R finds outside the data when the data has no such column


def parse_formula(text, columns=None) -> Formula:
    """Parse an lme4 formula such as ``Reaction ~ Days + (Days | Subject)``.

    With ``columns`` (the data's column names), every name is checked against them before
    the formula is expanded (ColumnNotFoundError names close matches). Raises FormulaError
    with the formula and the 0-based position of the bad token, TypeError for non-text.
    """
    if isinstance(text, Formula):
        if columns is not None:
            check_names(text.tree, columns)
        return text
    if not isinstance(text, str):
        raise TypeError(f"The formula must be text such as '{EXAMPLE}', not "
                        f"{type(text).__name__}.")
    if len(text) > MAX_LENGTH:  # refused before reading, and not echoed back
        raise FormulaError(f"The formula is too long: {len(text):,} characters, and lmm_core "
                           f"reads formulas of up to {MAX_LENGTH:,}. Shorten it.")
    try:
        return _parse(text, columns)
    except RecursionError:
        raise FormulaError(
            "The formula is too long or too deeply nested to read: shorten it.", text, None
        ) from None
    except FormulaError as err:
        if err.formula:
            raise
        # One display line, same length, so that the caret lands under the bad character.
        shown = "".join(" " if ch.isspace() else ch for ch in text)
        raise FormulaError(err.reason, shown, err.position) from None


def _parse(text: str, columns) -> Formula:
    if not text.strip():
        raise problem(f"The formula is empty. Write one like {EXAMPLE}.", None)
    tree = parse_tokens(tokenize(text))
    if columns is not None:
        check_names(tree, columns)
    check_size(tree.right)
    return build(text, tree)


def check_names(tree, columns) -> None:
    """Every column the formula names must be in `columns` (R's constants aside)."""
    present = {str(c) for c in columns}
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Ident) and node.name not in present and node.name != ".":
            if node.name in CONSTANTS:
                continue
            raise ColumnNotFoundError(node.name, columns)
        if isinstance(node, CallNode):
            stack += [*reversed([v for _, v in node.kwargs]), *reversed(node.args)]
        elif isinstance(node, Binary):
            stack += [node.right, node.left]
        else:
            stack += [getattr(node, a) for a in ("inner", "operand") if hasattr(node, a)]
