"""lmm_core's imports: no circles, no imports hidden inside functions, and the fit (stages
1-4 and refit) needs nothing of the inference layer, which reaches LmerFit through generics."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "lmm_core"
INFERENCE = {"anova", "confint", "profile", "summary", "satterthwaite", "simulate",
             "prediction", "bootstrap", "allfit", "methods", "pooling", "remedies"}
# variables.py's (formula and evaluate: variables <-> evaluate is a circle) predate this test;
# listed so that no new one comes in unnoticed. The formula package's are checked below.
INSIDE_FUNCTIONS_OK = {("variables", "formula"), ("variables", "evaluate")}


def _imports(tree) -> list[tuple[str, bool]]:
    """(imported lmm_core module, at top level?) for each relative import in a module."""
    top = set(map(id, tree.body))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names = [node.module] if node.module else [a.name for a in node.names]
            out += [(name.split(".")[0], id(node) in top) for name in names]
    return out


MODULES = {p.stem: _imports(ast.parse(p.read_text())) for p in PACKAGE.glob("*.py")}
GRAPH = {m: {i for i, top in imps if top and i in MODULES} for m, imps in MODULES.items()
         if m != "__init__"}


def _reachable(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in GRAPH.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_no_import_circles():
    circles = [m for m in GRAPH if m in _reachable(m)]
    assert not circles, f"modules that import themselves through others: {circles}"


def test_no_imports_inside_functions():
    inside = {(m, i) for m, imps in MODULES.items() for i, top in imps if not top}
    assert inside <= INSIDE_FUNCTIONS_OK, sorted(inside - INSIDE_FUNCTIONS_OK)


def test_the_fit_needs_none_of_the_inference_layer():
    for module in ("results", "refit", "api", "parameters", "generics", "optimize"):
        assert not _reachable(module) & INFERENCE, (module, _reachable(module) & INFERENCE)
