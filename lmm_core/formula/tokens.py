"""The tokenizer: formula text -> names, numbers, strings and operators, with positions.

It reads R's lexical rules for what a formula can hold (names, `backticked names`, numbers
such as .5 and 1e-4, "strings", R's operators) and refuses the rest with a message that says
what to write instead, at the character's position.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .nodes import problem

__all__ = ["Token", "tokenize", "OPERATORS"]

# Longest first, so that "||" is not read as two "|" and "<=" not as "<" then "=".
OPERATORS = ("||", "&&", "==", "!=", "<=", ">=", "<-", "~", "+", "-", "*", "/", ":", "^",
             "(", ")", "|", "&", "!", "<", ">", "=", ",")
SPECIAL = ("%in%", "%%", "%/%")  # R's %op% operators that a formula may use
DIGITS = "0123456789"
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@dataclass(frozen=True)
class Token:
    kind: str  # "name", "num", "str", "op" or "end"
    text: str
    pos: int
    quoted: bool = False  # a `backticked` name, which is never a function call

    def is_op(self, *texts: str) -> bool:
        return self.kind == "op" and self.text in texts


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
    if ch in DIGITS or (ch == "." and text[i + 1 : i + 2] in tuple(DIGITS)):
        return _read_number(text, i)
    if _name_start(ch):
        j = i
        while j < len(text) and _name_char(text[j]):
            j += 1
        return Token("name", text[i:j], i), j
    if ch == "`":
        return _read_quoted(text, i)
    if ch in "\"'":
        return _read_string(text, i)
    if ch == "%":
        return _read_special(text, i)
    for op in OPERATORS:
        if text.startswith(op, i):
            if op == "<-":
                raise problem("'<-' assigns in R: for a comparison write it with a space, "
                              "as in I(x < -1).", i)
            return Token("op", op, i), i + len(op)
    raise problem(_bad_character(ch), i)


def _name_start(ch: str) -> bool:
    return ch.isalpha() or ch in "._"


def _name_char(ch: str) -> bool:
    """Letters, decimal digits of any script and . _ (R's rule in a UTF-8 locale, and what
    sandbox.rnames' make.names keeps), so every name an upload gets can be typed."""
    return ch.isalpha() or ch.isdecimal() or ch in "._"


def _skip_digits(text: str, i: int) -> int:
    while i < len(text) and text[i] in DIGITS:
        i += 1
    return i


def _read_number(text: str, i: int) -> tuple[Token, int]:
    """R's numeric literals: 2, 0.5, .5, 1e-4 (no hex, no L suffix)."""
    j = _skip_digits(text, i)
    if text[j : j + 1] == ".":
        j = _skip_digits(text, j + 1)
    if text[j : j + 1] in ("e", "E"):
        k = j + 2 if text[j + 1 : j + 2] in ("+", "-") else j + 1
        if text[k : k + 1] in tuple(DIGITS):
            j = _skip_digits(text, k)
    if not math.isfinite(float(text[i:j])):
        raise problem(f"The number {text[i:j]} is too large to compute with (it would be "
                      "infinite): use a smaller number, or rescale the column.", i)
    return Token("num", text[i:j], i), j


def _read_quoted(text: str, i: int) -> tuple[Token, int]:
    end = text.find("`", i + 1)
    if end < 0:
        raise problem("This backtick ` is never closed: add another ` after the name.", i)
    if end == i + 1:
        raise problem("Empty backticks ``: put a column name between them.", i)
    return Token("name", text[i + 1 : end], i, quoted=True), end + 1


_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}


def _read_string(text: str, i: int) -> tuple[Token, int]:
    """A "string" or 'string' with R's common escapes."""
    quote, chars, j = text[i], [], i + 1
    while j < len(text) and text[j] != quote:
        if text[j] == "\\" and j + 1 < len(text):
            chars.append(_ESCAPES.get(text[j + 1], text[j + 1]))
            j += 2
            continue
        chars.append(text[j])
        j += 1
    if j >= len(text):
        raise problem(f"This quote {quote} is never closed: add another {quote} after the "
                      "text.", i)
    return Token("str", "".join(chars), i), j + 1


def _read_special(text: str, i: int) -> tuple[Token, int]:
    end = text.find("%", i + 1)
    op = text[i : end + 1] if end > 0 else "%"
    if op in SPECIAL:
        return Token("op", op, i), end + 1
    raise problem(f"The operator {op} is not supported in a formula: a formula can use %in% "
                  "(nesting), and %% or %/% inside I().", i)


def _bad_character(ch: str) -> str:
    if ch == "=":
        return "Use ~ between the response and the predictors, not '=': e.g. y ~ x."
    if ch in SUPERSCRIPTS:
        return (f"{ch!r} is a superscript, which R does not read as a power: write a power "
                "inside I(), e.g. I(x^2).")
    if ch.isdigit():
        return f"{ch!r} is not a digit R can read: write numbers with the digits 0-9."
    return (
        f"lmm_core can't read {ch!r} in a formula. Use + - * / : | and parentheses; put "
        "names with spaces or symbols in backticks, like `my col`."
    )
