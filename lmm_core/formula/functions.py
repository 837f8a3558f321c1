"""The functions a formula may call, with R's argument names: the parser checks calls against
this table (so a student sees a caret under the bad argument), and variables.py evaluates them.

Nothing is ever passed to eval(): a call not in FUNCTIONS is refused with its name.
"""

from __future__ import annotations

from dataclasses import dataclass

from .nodes import Bool, CallNode, Number, String, Unary, problem

__all__ = ["Spec", "FUNCTIONS", "bind", "check_call", "degree_of", "is_stateful"]


@dataclass(frozen=True)
class Spec:
    """R's signature of a function: positional parameters in order, then named-only ones.

    ``variadic``: any number of positional arguments, at least one (pmin, pmax, interaction).
    """

    params: tuple[str, ...] = ("x",)
    named: tuple[str, ...] = ()
    variadic: bool = False
    example: str = ""


_ONE = Spec()
FUNCTIONS = {
    **{f: _ONE for f in ("log", "log2", "log10", "log1p", "exp", "sqrt", "abs",
                         "sin", "cos", "tan", "I", "factor", "as.factor", "as.numeric",
                         "offset")},
    "scale": Spec(("x", "center", "scale"), example="scale(x, scale = FALSE)"),
    "poly": Spec(("x", "degree"), named=("raw",), example="poly(x, 2)"),
    "dummy": Spec(("f", "levelsToKeep"), example='dummy(Sex, "Male")'),
    "interaction": Spec(("...",), variadic=True, example="interaction(a, b)"),
    "pmin": Spec(("...",), variadic=True, example="pmin(x, 10)"),
    "pmax": Spec(("...",), variadic=True, example="pmax(x, 0)"),
}
STATEFUL = ("scale", "poly")  # predict() reuses the fitted data's centre, scale and coefficients


def is_stateful(func: str) -> bool:
    return func in STATEFUL


def bind(func: str, args: tuple, kwargs: tuple) -> dict:
    """Arguments by parameter name (variadic ones as a tuple under "..."), as R matches them."""
    spec = FUNCTIONS[func]
    if spec.variadic:
        return {"...": tuple(args)}
    bound = dict(zip(spec.params, args, strict=False))
    bound.update(dict(kwargs))
    return bound


def check_call(node: CallNode) -> None:
    """A FormulaError (with the argument's position) for a call R would refuse or that
    lmm_core cannot evaluate; nothing for a good call."""
    spec = FUNCTIONS[node.func]
    names = spec.params + spec.named
    usage = spec.example or f"{node.func}(x)"
    if spec.variadic and node.kwargs:
        raise problem(f"{node.func}() takes no named arguments here: write it like {usage}.",
                      node.kwargs[0][1].pos)
    if not spec.variadic and len(node.args) > len(spec.params):
        raise problem(f"{node.func}() takes {_count(len(spec.params))} here, but has "
                      f"{len(node.args)}: write it like {usage}.", node.pos)
    seen = set(spec.params[: len(node.args)])
    for name, value in node.kwargs:
        if name not in names or name in seen:
            why = "is given twice" if name in seen else "is not one of its arguments"
            raise problem(f"{name} = ... {why} in {node.func}(): its arguments are "
                          f"{', '.join(n for n in names if n != '...')}.", value.pos)
        seen.add(name)
    if not node.args and not node.kwargs:
        wanted = "at least 1 argument" if spec.variadic else _count(len(spec.params))
        raise problem(f"{node.func}() takes {wanted} here, but has 0: write it like {usage}.",
                      node.pos)
    if not spec.variadic and spec.params[0] not in seen:
        raise problem(f"{node.func}() needs its variable first: write it like {usage}.",
                      node.pos)
    _check_values(node, bind(node.func, node.args, node.kwargs))


def _count(k: int) -> str:
    return f"{k} argument{'s' * (k != 1)}"


def _check_values(node: CallNode, bound: dict) -> None:
    func = node.func
    for name in ("center", "scale", "raw"):
        value = bound.get(name)
        if value is None or isinstance(value, Bool):
            continue
        if name != "raw" and _number(value) is not None:
            continue
        allowed = "TRUE or FALSE" if name == "raw" else "TRUE, FALSE or a number"
        raise problem(f"{func}(..., {name} = ) takes {allowed} here.", value.pos)
    if func == "poly":
        degree_of(node)
    if func == "dummy" and "levelsToKeep" in bound and not isinstance(bound["levelsToKeep"],
                                                                        String):
        raise problem('dummy() keeps one level given in quotes: write it like '
                      'dummy(Sex, "Male").', bound["levelsToKeep"].pos)


def _number(node) -> float | None:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Number):
        return -node.operand.value
    return None


def degree_of(node: CallNode) -> int:
    """poly()'s degree: a whole number from 1 up, written as a number (R's default is 1)."""
    value = bind("poly", node.args, node.kwargs).get("degree")
    if value is None:
        return 1
    degree = _number(value)
    if degree is None or degree < 1 or degree != int(degree):
        raise problem("poly()'s degree must be a whole number such as 2 (poly(x, 2)); for a "
                      "polynomial in two variables write poly(x, 2) + poly(z, 2).", value.pos)
    if degree > 20:
        raise problem("poly() of a degree above 20 is not supported: use a lower degree.",
                      value.pos)
    return int(degree)
