"""Parse lme4 formula text into a terms.Formula, without eval().

Three small steps: a tokenizer; a Pratt parser driven by the operator tables below (binding
powers follow R's grammar, src/main/gram.y, so ``-x^2`` and ``a + b:c`` group as in R); and
the expansion of the resulting AST with R's and lme4's rules (formula_expand.py). Every
problem is a FormulaError pointing at the offending character, so a student sees a caret.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from . import terms as T
from .errors import FormulaError
from .formula_expand import BARS, Binary, CallNode, Ident, Number, Paren, Unary, build, problem

__all__ = ["parse_formula", "tokenize", "INFIX", "PREFIX"]

# Infix operators: (left, right) binding power. Right > left makes an operator left
# associative; '^' is right associative (x^2^3 is x^(2^3)), as in R.
INFIX = {
    "~": (1, 2),
    "|": (3, 4),
    "||": (3, 4),
    "+": (5, 6),
    "-": (5, 6),
    "*": (7, 8),
    "/": (7, 8),
    ":": (9, 10),
    "^": (13, 12),
}
# Prefix operators: binding power of their operand (R's unary minus: below '^', above ':').
PREFIX = {"-": 11, "+": 11}
OPERATORS = ("||", "~", "+", "-", "*", "/", ":", "^", "(", ")", "|", ",")  # longest first

EXAMPLE = "Reaction ~ Days + (Days | Subject)"
NEED_RESPONSE = "lmm_core needs a response: write it left of ~, e.g. Reaction ~ Days."
FUNCTION_HINTS = {
    "factor": "make the column a factor (text labels) in the data instead.",
    "as.factor": "make the column a factor (text labels) in the data instead.",
    "poly": "write x + I(x^2) for a quadratic.",
    "c": "add terms with +, e.g. y ~ a + b.",
}


@dataclass(frozen=True)
class Token:
    kind: str  # "name", "num", "op" or "end"
    text: str
    pos: int
    quoted: bool = False  # a `backticked` name, which is never a function call

    def is_op(self, *texts: str) -> bool:
        return self.kind == "op" and self.text in texts


# --- tokenizer -------------------------------------------------------------------------


def tokenize(text: str) -> list[Token]:
    """Tokens of `text`, ending with an "end" token at len(text)."""
    tokens, i = [], 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        token, i = _read_token(text, i)
        tokens.append(token)
    tokens.append(Token("end", "", len(text)))
    return tokens


def _read_token(text: str, i: int) -> tuple[Token, int]:
    ch = text[i]
    if ch.isdigit() or (ch == "." and text[i + 1 : i + 2].isdigit()):
        return _read_number(text, i)
    if ch.isalpha() or ch in "._":
        j = i
        while j < len(text) and (text[j].isalnum() or text[j] in "._"):
            j += 1
        return Token("name", text[i:j], i), j
    if ch == "`":
        return _read_quoted(text, i)
    for op in OPERATORS:
        if text.startswith(op, i):
            return Token("op", op, i), i + len(op)
    raise problem(_bad_character(ch), i)


def _skip_digits(text: str, i: int) -> int:
    while i < len(text) and text[i].isdigit():
        i += 1
    return i


def _read_number(text: str, i: int) -> tuple[Token, int]:
    """R's numeric literals: 2, 0.5, .5, 1e-4 (no hex, no L suffix)."""
    j = _skip_digits(text, i)
    if text[j : j + 1] == ".":
        j = _skip_digits(text, j + 1)
    if text[j : j + 1] in ("e", "E"):
        k = j + 2 if text[j + 1 : j + 2] in ("+", "-") else j + 1
        if text[k : k + 1].isdigit():
            j = _skip_digits(text, k)
    return Token("num", text[i:j], i), j


def _read_quoted(text: str, i: int) -> tuple[Token, int]:
    end = text.find("`", i + 1)
    if end < 0:
        raise problem("This backtick ` is never closed: add another ` after the name.", i)
    if end == i + 1:
        raise problem("Empty backticks ``: put a column name between them.", i)
    return Token("name", text[i + 1 : end], i, quoted=True), end + 1


def _bad_character(ch: str) -> str:
    if ch == "=":
        return "Use ~ between the response and the predictors, not '=': e.g. y ~ x."
    if ch in "\"'":
        return "Column names need no quotes; put names with spaces in backticks, like `my col`."
    return (
        f"lmm_core can't read {ch!r} in a formula. Use + - * / : | and parentheses; put "
        "names with spaces or symbols in backticks, like `my col`."
    )


# --- checks that give better messages than the parser could ----------------------------


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

    def prefix(self, tok: Token, after: Token | None):
        if tok.kind == "name" and self._calls(tok):
            return self.call(tok)
        if tok.kind == "name":
            return Ident(tok.text, tok.pos)
        if tok.kind == "num":
            return Number(float(tok.text), tok.pos)
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
        return name.text in T.TRANSFORMS or opening.pos == name.pos + len(name.text)

    def call(self, name: Token) -> CallNode:
        if name.text not in T.TRANSFORMS:
            raise problem(_unknown_function(name.text), name.pos)
        opening = self.advance()
        args = []
        if not self.peek().is_op(")"):
            args.append(self.expression(0, opening))
            while self.peek().is_op(","):
                args.append(self.expression(0, self.advance()))
        self.close()
        want = T.TRANSFORMS[name.text]
        if len(args) != want:
            raise problem(
                f"{name.text}() takes {want} argument{'s' * (want != 1)} here, but has "
                f"{len(args)}: write it like {name.text}(x).",
                name.pos,
            )
        return CallNode(name.text, tuple(args), name.pos)

    def close(self) -> None:
        if not self.peek().is_op(")"):
            raise _unexpected(self.peek())
        self.advance()


def _missing_operand(tok: Token, after: Token | None) -> FormulaError:
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


def _after_operator(tok: Token, before: str | None, after: Token | None) -> FormulaError:
    if tok.is_op(","):
        return _unexpected(tok)
    if tok.is_op(")") and before == "(":
        return problem("Empty parentheses: put a term inside them or delete them.", after.pos)
    if tok.kind == "end" or tok.is_op(")"):
        return problem(
            f"'{before}' needs a term after it: add one, or delete the '{before}'.", after.pos
        )
    if before not in (None, "(", "~"):
        return problem(
            f"Two operators in a row, '{before}' and then '{tok.text}': delete one, or put a "
            "term between them.",
            tok.pos,
        )
    return problem(f"'{tok.text}' needs a term before it.", tok.pos)


def _unexpected(tok: Token) -> FormulaError:
    """The error when an operator, ')' or the end should come at `tok`."""
    if tok.kind in ("name", "num") or tok.is_op("("):
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
    return problem(f"Unexpected '{tok.text}' here.", tok.pos)


def _unknown_function(name: str) -> str:
    allowed = ", ".join(f"{f}()" for f in T.TRANSFORMS)
    hint = FUNCTION_HINTS.get(name)
    if hint is None:
        close = difflib.get_close_matches(name, list(T.TRANSFORMS), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}()?" if close else "transform the column in the data first."
    return (
        f"Unknown function {name}(): a formula can use {allowed} (I() for arithmetic such "
        f"as I(x^2)). Here, {hint}"
    )


# --- entry point -----------------------------------------------------------------------


def parse_formula(text: str) -> T.Formula:
    """Parse an lme4 formula such as ``Reaction ~ Days + (Days | Subject)``.

    Raises FormulaError with the formula and the 0-based position of the bad token.
    """
    try:
        return _parse(text)
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


def _parse(text: str) -> T.Formula:
    if not text.strip():
        raise problem(f"The formula is empty. Write one like {EXAMPLE}.", None)
    tokens = tokenize(text)
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
    return build(text, tree.left, tree.right)
