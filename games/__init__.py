"""The game registry: GAMES maps a game id to its Game (see games.spec.Game).

Adding a game is one line: its package name in GAME_PACKAGES. The package must export GAME
(a games.base.GameSpec) and have a page.py that st.Page can run. Navigation, the home page
and the tests are all driven by this registry.
"""

from importlib import import_module

from .base import DIFFICULTIES, Round, Score
from .spec import Game

__all__ = ["GAMES", "GAME_PACKAGES", "DIFFICULTIES", "Game", "Round", "Score", "page_path"]

GAME_PACKAGES = ("tails", "lineup", "pooling", "why_mixed", "mixture", "nesting", "convergence",
                 "syntax", "bootstrap", "pvalues")

GAMES: dict[str, Game] = {
    game.id: game for game in (import_module(f"{__name__}.{p}").GAME for p in GAME_PACKAGES)
}


def page_path(game_id: str) -> str:
    """The page file of a game, relative to the project root (what st.Page and AppTest take)."""
    return f"games/{game_id}/page.py"
