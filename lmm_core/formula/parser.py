"""The Pratt parser: tokens -> the syntax tree (nodes.py), never eval().

Binding powers follow R's grammar (src/main/gram.y), so ``-x^2``, ``a + b:c``, ``!x == 1``
and ``x > 1 & z < 2`` group as in R. Every problem is a FormulaError pointing at the offending
character, so a student sees a caret; checks that give better messages than the parser could
(unbalanced parentheses, a missing ~) run first.
"""

from __future__ import annotations

import difflib

from .functions import FUNCTIONS, check_call
from .nodes import BARS, Binary, Bool, CallNode, Ident, Number, Paren, String, Unary, problem
from .tokens import Token

__all__ = ["parse_tokens", "INFIX", "PREFIX", "COMPARISONS", "EXAMPLE"]

COMPARISONS = ("==", "!=", "<", ">", "<=", ">=")
# Infix operators: (left, right) binding power. Right > left makes an operator left
# associative; '^' is right associative (x^2^3 is x^(2^3)), as in R.
INFIX = {
    "~": (1, 2),
    "|": (3, 4), "||": (3, 4),
    "&": (5, 6), "&&": (5, 6),
    **{op: (9, 10) for op in COMPARISONS},
    "+": (11, 12), "-": (11, 12),
    "*": (13, 14), "/": (13, 14),
    "%in%": (15, 16), "%%": (15, 16), "%/%": (15, 16),
    ":": (17, 18),
    "^": (21, 20),
}
# Prefix operators: binding power of their operand (R: unary minus below '^' and above ':';
# '!' below the comparisons, so !x == 1 is !(x == 1)).
PREFIX = {"-": 19, "+": 19, "!": 7}

EXAMPLE = "Reaction ~ Days + (Days | Subject)"
NEED_RESPONSE = "lmm_core needs a response: write it left of ~, e.g. Reaction ~ Days."
NOT_EQUALS = "Use ~ between the response and the predictors, not '=': e.g. y ~ x."
FUNCTION_HINTS = {
    "c": "add terms with +, e.g. y ~ a + b.",
    "as.integer": "as.numeric() does the same here.",
    "as.character": "make the column text (or a pandas Categorical) in the data instead.",
    "ns": "splines are not supported; poly(x, 3) gives a cubic.",
    "bs": "splines are not supported; poly(x, 3) gives a cubic.",
    "ifelse": "write the condition itself, e.g. I(x > 0), or use pmin()/pmax().",
    "relevel": "use lmm_core.relevel(formula, data, column, level) to change the reference.",
}


def parse_tokens(tokens: list[Token]):
    """The tree of a whole formula: a Binary("~") node."""
    _check_equals(tokens)
    _check_parentheses(tokens)
    _check_tilde(tokens)
    parser = _Parser(tokens)
    tree = parser.expression()
    if parser.peek().kind != "end":
        raise _unexpected(parser.peek())
    if not (isinstance(tree, Binary) and tree.op == "~"):
        tilde = next(t for t in tokens if t.is_op("~"))
        raise problem(
            "The ~ must stand between the response and the predictors, not inside "
            "parentheses or a function.",
            tilde.pos,
        )
    return tree


# --- checks that give better messages than the parser could ----------------------------


def _check_equals(tokens: list[Token]) -> None:
    depth = 0
    for tok in tokens:
        depth += tok.is_op("(") - tok.is_op(")")
        if tok.is_op("=") and depth <= 0:
            raise problem(NOT_EQUALS, tok.pos)


def _check_parentheses(tokens: list[Token]) -> None:
    """Point at the unmatched parenthesis itself, not where parsing happens to stop."""
    opened: list[Token] = []
    for tok in tokens:
        if tok.is_op("("):
            opened.append(tok)
        elif tok.is_op(")") and not opened:
            raise problem(
                "Unbalanced parentheses: this ')' has no matching '('. Delete it or add a '('.",
                tok.pos,
            )
        elif tok.is_op(")"):
            opened.pop()
    if opened:
        raise problem(
            "Unbalanced parentheses: this '(' is never closed. Add a ')' where the term ends.",
            opened[-1].pos,
        )


def _check_tilde(tokens: list[Token]) -> None:
    tildes = [t for t in tokens if t.is_op("~")]
    if not tildes:
        raise problem(
            f"The formula needs a ~ between the response and the predictors: {EXAMPLE}.", None
        )
    if len(tildes) > 1:
        raise problem("A formula has only one ~: delete this one.", tildes[1].pos)
    if tokens[0] is tildes[0]:
        raise problem(NEED_RESPONSE, tildes[0].pos)


# --- Pratt parser ----------------------------------------------------------------------


class _Parser:
    """Pratt parser over a token list: INFIX and PREFIX decide all grouping."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return tok

    def expression(self, min_bp: int = 0, after: Token | None = None):
        """An expression binding at least min_bp tightly; `after` is the token before it."""
        left = self.prefix(self.advance(), after)
        while True:
            tok = self.peek()
            bp = INFIX.get(tok.text) if tok.kind == "op" else None
            if bp is None or bp[0] < min_bp:
                return left
            self.advance()
            left = Binary(tok.text, left, self.expression(bp[1], tok), tok.pos)
            if tok.text in COMPARISONS and self.peek().text in COMPARISONS:
                raise problem("R can't chain comparisons: join two with &, as in "
                              "I(a < x & x < b).", self.peek().pos)

    def prefix(self, tok: Token, after: Token | None):
        if tok.kind == "name" and self._calls(tok):
            return self.call(tok)
        if tok.kind == "name" and not tok.quoted and tok.text in ("TRUE", "FALSE"):
            return Bool(tok.text == "TRUE", tok.pos)
        if tok.kind == "name":
            return Ident(tok.text, tok.pos, tok.quoted)
        if tok.kind == "num":
            return Number(float(tok.text), tok.pos)
        if tok.kind == "str":
            return String(tok.text, tok.pos)
        if tok.is_op("("):
            inner = self.expression(0, tok)
            self.close()
            return Paren(inner, tok.pos)
        if tok.kind == "op" and tok.text in PREFIX:
            return Unary(tok.text, self.expression(PREFIX[tok.text], tok), tok.pos)
        raise _missing_operand(tok, after)

    def _calls(self, name: Token) -> bool:
        """A name before '(' is a call, unless unknown and spaced (``x (1 | g)`` lacks a +)."""
        opening = self.peek()
        if name.quoted or not opening.is_op("("):
            return False
        return name.text in FUNCTIONS or opening.pos == name.pos + len(name.text)

    def call(self, name: Token) -> CallNode:
        if name.text not in FUNCTIONS:
            raise problem(_unknown_function(name.text), name.pos)
        opening = self.advance()
        args, kwargs = [], []
        separator = opening
        while not self.peek().is_op(")"):
            if kwargs and not self._keyword_ahead():
                raise problem("Named arguments come last: put this argument before "
                              f"{kwargs[0][0]} = ... .", self.peek().pos)
            if self._keyword_ahead():
                key = self.advance()
                equals = self.advance()
                kwargs.append((key.text, _logical(self.expression(0, equals))))
            else:
                args.append(self.expression(0, separator))
            if not self.peek().is_op(","):
                break
            separator = self.advance()
        self.close()
        node = CallNode(name.text, tuple(args), name.pos, tuple(kwargs))
        check_call(node)
        return node

    def _keyword_ahead(self) -> bool:
        return self.peek().kind == "name" and self.tokens[self.i + 1].is_op("=")

    def close(self) -> None:
        if not self.peek().is_op(")"):
            raise _unexpected(self.peek())
        self.advance()


def _logical(node):
    """R's T and F, as argument values (raw = T)."""
    if isinstance(node, Ident) and not node.quoted and node.name in ("T", "F"):
        return Bool(node.name == "T", node.pos)
    return node


def _missing_operand(tok: Token, after: Token | None):
    """The error when a term should start at `tok` but cannot."""
    before = after.text if after is not None and after.kind == "op" else None
    if tok.is_op("~"):
        return problem(NEED_RESPONSE, tok.pos)
    if tok.is_op(*BARS):
        return problem(
            "Nothing before the bar: write (1 | g) for a random intercept, or (x | g) for a "
            "random slope.",
            tok.pos,
        )
    if before in BARS:
        return problem(
            "(1 | ) needs a grouping variable after the bar, e.g. (1 | participant).", tok.pos
        )
    if before == "~" and tok.kind == "end":
        return problem(
            "Nothing after ~: write the predictors there, e.g. y ~ x (or y ~ 1 for an "
            "intercept only).",
            after.pos,
        )
    return _after_operator(tok, before, after)


def _after_operator(tok: Token, before: str | None, after: Token | None):
    if tok.is_op(",", "="):
        return _unexpected(tok)
    if tok.is_op(")") and before == "(":
        return problem("Empty parentheses: put a term inside them or delete them.", after.pos)
    if tok.kind == "end" or tok.is_op(")"):
        return problem(
            f"'{before}' needs a term after it: add one, or delete the '{before}'.", after.pos
        )
    if before not in (None, "(", "~", ","):
        return problem(
            f"Two operators in a row, '{before}' and then '{tok.text}': delete one, or put a "
            "term between them.",
            tok.pos,
        )
    return problem(f"'{tok.text}' needs a term before it.", tok.pos)


def _unexpected(tok: Token):
    """The error when an operator, ')' or the end should come at `tok`."""
    if tok.kind in ("name", "num", "str") or tok.is_op("("):
        shown = f"`{tok.text}`" if tok.quoted else tok.text
        return problem(
            f"Two terms are next to each other with nothing between them: put +, * or : "
            f"before '{shown}'.",
            tok.pos,
        )
    if tok.is_op(","):
        return problem(
            "A comma only separates a function's arguments: add terms with +, e.g. y ~ a + b.",
            tok.pos,
        )
    if tok.is_op("="):
        return problem("'=' only names a function's argument, as in scale(x, scale = FALSE); "
                       "to compare two values write ==.", tok.pos)
    return problem(f"Unexpected '{tok.text}' here.", tok.pos)


def _unknown_function(name: str) -> str:
    allowed = ", ".join(f"{f}()" for f in FUNCTIONS)
    hint = FUNCTION_HINTS.get(name)
    if hint is None:
        close = difflib.get_close_matches(name, list(FUNCTIONS), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}()?" if close else "transform the column in the data first."
    return (
        f"Unknown function {name}(): a formula can use {allowed} (I() for arithmetic such "
        f"as I(x^2)). Here, {hint}"
    )
