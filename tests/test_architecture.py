"""Imports point one way (DESIGN.md): pages -> games logic -> simulators -> lmm_core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


FORBIDDEN = {
    "lmm_core": {"streamlit", "games", "simulators", "app_pages"},
    "simulators": {"streamlit", "games", "app_pages"},
    "store": {"streamlit", "games", "classroom", "homework", "app_pages"},
    "classroom": {"streamlit", "app_pages"},
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_lower_layers_do_not_import_upper_ones(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = imported_packages(path) & FORBIDDEN[package]
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_game_logic_is_pure():
    for path in sorted((ROOT / "games").rglob("logic.py")):
        assert "streamlit" not in imported_packages(path), f"{path.relative_to(ROOT)}"
