"""The one deparser: syntax trees -> text as R's deparse() prints it.

Variable labels (``I(x^2)``, ```my col```, ``poly(x, 2, raw = TRUE)``), lme4's group names
(``c:(b:a)``), the summary's "Formula:" line (broken after an operator once a line passes 60
characters, with ``||`` expanded as lme4 does) and the formulas the remedies write all come from
here. R's rules (src/main/deparse.c): spaces around + - * ~ | & comparisons and %in%, none
around / : ^ %% %/%; numbers with 15 significant digits (1e+05, 0.5); names that are not
syntactic in backticks; strings in double quotes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..rformat import format_number as _format_real
from .nodes import Binary, Bool, CallNode, Ident, Number, Paren, String, Unary

__all__ = ["deparse", "deparse_lines", "format_number", "quote_name", "Raw", "is_syntactic"]

SPACED = ("+", "-", "*", "|", "||", "~", "&", "&&", "==", "!=", "<", ">", "<=", ">=", "%in%")
CUTOFF = 60  # deparse's width.cutoff
RESERVED = {"if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE",
            "FALSE", "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_",
            "in"}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


@dataclass(frozen=True)
class Raw:
    """Text printed as it is: a label that is already deparsed (``I(x^2)``, ``x:f``)."""

    text: str
    pos: int = 0


def format_number(value: float) -> str:
    """A double as R's deparse and as.character print it: 2, 0.5, 1e+05, 123456."""
    return _format_real(value, 15)


def is_syntactic(name: str) -> bool:
    """Whether R can read `name` without backticks (make.names' rule)."""
    if not name or name in RESERVED or name[0] in "0123456789_":
        return False
    if name[0] == "." and name[1:2].isdigit():
        return False
    return all(c.isalpha() or c.isdigit() or c in "._" for c in name)


def quote_name(name: str) -> str:
    return name if is_syntactic(name) else f"`{name}`"


def deparse(node) -> str:
    """One line, R's spacing: the label of a variable or term."""
    return "".join(deparse_lines(node, cutoff=None))


def deparse_lines(node, expand_bars: bool = False, cutoff: int | None = CUTOFF) -> list[str]:
    """R's deparse(): lines broken after a spaced operator once a line passes `cutoff`."""
    writer = _Writer(expand_bars, cutoff)
    writer.node(node)
    return writer.finish()


class _Writer:
    """deparse2buff for formula nodes: spacing, indentation and line breaks as R does them."""

    def __init__(self, expand_bars: bool, cutoff: int | None):
        self.expand, self.cutoff = expand_bars, cutoff
        self.lines, self.line, self.indent = [], None, 0

    def write(self, s: str) -> None:
        if self.line is None:
            self.line = "".join("    " if i < 4 else "  " for i in range(self.indent))
        self.line += s

    def finish(self) -> list[str]:
        return [*self.lines, self.line or ""]

    def node(self, node) -> None:
        match node:
            case Ident(name=name):
                self.write(quote_name(name))
            case Raw(text=text):
                self.write(text)
            case Number(value=value):
                self.write(format_number(value))
            case String(value=value):
                self.write('"' + "".join(_ESCAPES.get(c, c) for c in value) + '"')
            case Bool(value=value):
                self.write("TRUE" if value else "FALSE")
            case CallNode():
                self.call(node)
            case Paren(inner=Binary(op="||") as bar) if self.expand:
                self.write("(")
                self.node(expand_double_bar(bar))
                self.write(")")
            case Paren(inner=inner):
                self.write("(")
                self.node(inner)
                self.write(")")
            case Unary(op=op, operand=operand):
                self.write(op)
                self.node(operand)
            case Binary(op=op, left=left, right=right):
                self.binary(op, left, right)
            case _:
                raise TypeError(f"not a formula node: {node!r}")

    def call(self, node: CallNode) -> None:
        self.write(node.func + "(")
        for k, arg in enumerate(node.args):
            self.write(", " if k else "")
            self.node(arg)
        for k, (name, value) in enumerate(node.kwargs):
            self.write(", " if k or node.args else "")
            self.write(f"{quote_name(name)} = ")
            self.node(value)
        self.write(")")

    def binary(self, op, left, right) -> None:
        self.node(left)
        if op not in SPACED:
            self.write(op)
            self.node(right)
            return
        self.write(f" {op} ")
        broke = self.cutoff is not None and len(self.line) > self.cutoff
        if broke:
            self.indent += 1
            self.lines.append(self.line)
            self.line = None
        self.node(right)
        self.indent -= broke


# ----- trees built from terms: what lme4 and the remedies write -------------------------------
def join(op: str, nodes: list):
    """nodes[0] op nodes[1] op ..., grouped from the left as R parses it."""
    tree = nodes[0]
    for node in nodes[1:]:
        tree = Binary(op, tree, node, 0)
    return tree


def terms_tree(intercept: bool, terms) -> object:
    """The right side of a formula for model terms: ``1 + a + a:b``, ``0 + x``, ``1``."""
    nodes = [Raw(":".join(term)) for term in terms]
    if not nodes:
        return Number(1.0 if intercept else 0.0, 0)
    return join("+", nodes if intercept else [Number(0.0, 0), *nodes])


def bar_tree(effects, group, op: str = "|") -> Paren:
    """``(effects | group)``; `group` is a node or a deparsed group name."""
    group = Raw(group) if isinstance(group, str) else group
    return Paren(Binary(op, terms_tree(effects.intercept, effects.terms), group, 0), 0)


def expand_double_bar(bar: Binary):
    """lme4's expandDoubleVerts: (x || g) -> (1 | g) + (0 + x | g), as a tree."""
    from .expand import split_double_bar  # expand.py knows what the left side means

    return join("+", [bar_tree(part, bar.right) for part in split_double_bar(bar)])
