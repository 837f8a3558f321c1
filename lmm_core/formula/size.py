"""The size of a formula's expansion, known before expanding: linear in the tree.

``a*b*c*...`` with k variables makes 2^k - 1 terms; counting them from the tree first lets a
22-variable formula be refused in microseconds instead of filling memory.
"""

from __future__ import annotations

from math import comb

from .deparse import deparse
from .nodes import Binary, Bool, CallNode, Ident, Number, Paren, Unary, is_bar, problem, unparen

__all__ = ["MAX_TERMS", "check_size", "count_terms", "power_of", "many_terms"]

def many_terms(node) -> bool:
    inner = unparen(node)
    return isinstance(inner, Binary) and inner.op in ("+", "*", "-", "/", "%in%")


def power_of(node) -> int:
    """The exponent of ``(a + b)^k``: a whole number from 1 up (R: "invalid power")."""
    value = unparen(node)
    if isinstance(value, Number) and value.value >= 1 and value.value == int(value.value):
        return int(value.value)
    raise problem("The power of a sum of terms must be a whole number: (a + b + c)^2 means all "
                  "main effects and two-way interactions.", node.pos)


MAX_TERMS = 1000


def check_size(rhs) -> None:
    """Refuse at once a side that would expand to more than MAX_TERMS terms."""
    bars, stack = [], [rhs]
    while stack:
        node = stack.pop()
        if is_bar(node):
            bars.append(node)
        stack += [getattr(node, a) for a in ("left", "right", "inner", "operand")
                  if hasattr(node, a)]
    for where, part in [(rhs, rhs), *((bar, bar.left) for bar in bars)]:
        count, exact = count_terms(part)
        if count > MAX_TERMS and exact:  # a variable used twice makes fewer terms
            leaves = _leaves(part)
            exact = len(leaves) == len(set(leaves))
        if count > MAX_TERMS:
            shown = (f"{count:,}" if count < 10**12 else f"about 10^{len(str(count)) - 1}")
            raise problem(
                f"This formula would make {'' if exact else 'up to '}{shown} terms, more than "
                f"the {MAX_TERMS:,} lmm_core allows: a*b*c*... crosses every variable with "
                "every other (k variables give 2^k - 1 terms). Write only the interactions "
                "you need, e.g. a*b + c.",
                getattr(where, "pos", None),
            )


def _leaves(node) -> list[str]:
    """The variables of a side (outside random terms), as written, in linear time."""
    out, stack = [], [node]
    while stack:
        node = stack.pop()
        if isinstance(node, Ident | CallNode):
            out.append(deparse(node))
        elif not (isinstance(node, Paren) and is_bar(unparen(node.inner))):
            stack += [getattr(node, a) for a in ("left", "right", "inner", "operand")
                      if hasattr(node, a)]
    return out


def count_terms(node) -> tuple[int, bool]:
    """(An upper bound on the number of terms `node` expands to, whether it is exact),
    computed without expanding anything: linear in the size of the tree."""
    match node:
        case Paren(inner=inner) if is_bar(unparen(inner)):
            return 0, True
        case Paren(inner=inner) | Unary(op="+", operand=inner):
            return count_terms(inner)
        case Unary(op="-"):
            return 0, False
        case Binary(op=op, left=left, right=right) if op in ("+", "-", "*", ":", "/", "%in%"):
            (a, ea), (b, eb) = count_terms(left), count_terms(right)
            total = {"+": a + b, "-": a, "*": a + b + a * b, ":": a * b, "/": a + b,
                     "%in%": a}[op]
            return total, ea and eb and op != "-"
        case Binary(op="^", left=left, right=right) if many_terms(left):
            a, exact = count_terms(left)
            k = min(power_of(right), a)
            return sum(comb(a, j) for j in range(1, k + 1)), exact
        case Number() | Bool():
            return 0, True
    return 1, True
