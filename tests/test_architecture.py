"""Imports point one way (DESIGN.md): pages -> classroom / homework -> games logic ->
simulators -> lmm_core; classroom and homework use store/, and nothing below them does.

Streamlit is drawn only by app_pages/, the router, each game's page.py and games/ui/ (the round
loop). Packages that do not exist yet (classroom/, homework/, store/) are checked as soon as
they land.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GAME_DIRS = sorted(p.parent.name for p in (ROOT / "games").glob("*/__init__.py")
                   if p.parent.name != "ui")
ABOVE_GAMES = {"streamlit", "app_pages", "classroom", "homework", "store"}

FORBIDDEN = {
    "lmm_core": {"streamlit", "games", "simulators", "sandbox", "app_pages", "classroom",
                 "homework", "store"},
    "simulators": {"streamlit", "games", "sandbox", "app_pages", "classroom", "homework",
                   "store"},
    "sandbox": ABOVE_GAMES,
    "classroom": {"streamlit", "app_pages"},
    "homework": {"streamlit", "app_pages"},
    "store": {"streamlit", "app_pages", "classroom", "homework", "games", "sandbox"},
}


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, as absolute dotted names (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] \
                if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def top_levels(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported_modules(path)}


def _non_page_game_modules() -> list[Path]:
    return [p for p in sorted((ROOT / "games").rglob("*.py"))
            if p.name != "page.py" and "ui" not in p.relative_to(ROOT / "games").parts[:1]]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_lower_layers_do_not_import_upper_ones(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = top_levels(path) & FORBIDDEN[package]
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_games_outside_pages_and_the_round_loop_are_pure():
    """Logic, reveals, charts, answers, links, text: importable without streamlit, so class
    games and homework can use them."""
    modules = _non_page_game_modules()
    assert len(modules) > 40
    for path in modules:
        bad = top_levels(path) & (ABOVE_GAMES | {"sandbox"})
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_no_game_imports_another_game():
    for game in GAME_DIRS:
        others = {f"games.{g}" for g in GAME_DIRS if g != game}
        for path in sorted((ROOT / "games" / game).rglob("*.py")):
            bad = {m for m in imported_modules(path)
                   if any(m == o or m.startswith(o + ".") for o in others)}
            assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_the_round_loop_uses_no_game():
    for path in sorted((ROOT / "games" / "ui").rglob("*.py")):
        bad = {m for m in imported_modules(path)
               if any(m.startswith(f"games.{g}") for g in GAME_DIRS)}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_the_checker_resolves_relative_imports():
    """The rules above must see ``from ..mixture.charts import x`` as games.mixture.charts."""
    probe = ROOT / "games" / "nesting" / "charts.py"
    assert "games.charts" in imported_modules(probe)
