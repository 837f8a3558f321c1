"""A game's own pictures on the projector: its question data and its fitted reveal.

The projector calls the game page's own drawing functions, so it shows what practice shows: a
page module that guards its ``play(...)`` call with ``if __name__ == "__main__"`` can be
imported without running the round loop, and its ``show_reveal(round, answer, score)`` (and
``show_question(round)``, where a page has one) are used. The reveal is drawn for the right
answer (the class's own answers are on the screen beside it). A page that cannot be imported
safely gets a plain fallback: the reveal's words and tables.
"""

from __future__ import annotations

import ast
import functools
import importlib
import logging
from pathlib import Path
from types import ModuleType

import streamlit as st

from games import GAMES
from games.base import Round
from games.ui import friendly_errors, style_table

__all__ = ["draw_question", "draw_reveal", "page_module"]

log = logging.getLogger("lmm_games")
ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def page_module(game_id: str) -> ModuleType | None:
    """The game's page module, if importing it does not run the page."""
    path = ROOT / "games" / game_id / "page.py"
    if not path.is_file() or _runs_on_import(path):
        return None
    return importlib.import_module(f"games.{game_id}.page")


def _runs_on_import(path: Path) -> bool:
    """Whether the file calls something at its top level outside ``if __name__ == ...``
    (other than decorators and assignments): then importing it would draw the page."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            return True
    return False


def draw_question(round_: Round) -> None:
    """The data the question is about (charts and tables live on the projector)."""
    page = page_module(round_.game)
    show = getattr(page, "show_question", None)
    if show is not None:
        with friendly_errors("drawing this round's data"):
            show(round_)
    elif round_.data is not None:
        with st.expander("The round's data"):
            st.dataframe(round_.data, hide_index=True)


def draw_reveal(round_: Round) -> None:
    """What the fitted models say, as the practice page's reveal shows it."""
    page = page_module(round_.game)
    show = getattr(page, "show_reveal", None)
    if show is None:
        st.markdown(round_.reveal.explanation)
        for name, table in round_.reveal.tables.items():
            st.markdown(f"**{name.replace('_', ' ').capitalize()}**")
            st.dataframe(style_table(table, na_rep="–"))
        return
    answer = dict(round_.solution)
    with friendly_errors("showing what the models say"):
        show(round_, answer, GAMES[round_.game].score(round_, answer))
