"""Which round a page shows, and the caches keyed by the round.

A round is a pure function of (game, seed, difficulty) (``Round.key``), so everything computed
from it — the round itself, its pictures, its slow reveal — is cached by that key and shared by
every player of the same round (a whole class on one link computes it once).

Session keys per game: ``"<game>.round"`` (the Round), ``"<game>.answer"``, ``"<game>.score"``,
``"<game>.problem"`` (an answer that could not be scored) and ``"<game>.notice"``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from .. import GAMES
from ..base import Round, check_difficulty
from ..links import read_seed
from ..spec import Game, GameSpec
from .show import run_with_progress

__all__ = ["new_seed", "cached_round", "round_cache", "current_round", "new_round",
           "slow_result", "run_slow_reveal"]


def _round_key(round_: Round) -> tuple:
    return round_.key


def _game_key(game: Game) -> str:
    return game.id


def round_cache(func: Callable | None = None, *, max_entries: int = 256,
                show_spinner: bool | str = False):
    """``st.cache_data`` for functions of a round: a Round argument is hashed by its key
    (game, seed, difficulty), not by its data, so pictures of a round are cached per round."""
    decorate = st.cache_data(max_entries=max_entries, show_spinner=show_spinner,
                             hash_funcs={Round: _round_key})
    return decorate if func is None else decorate(func)


def new_seed() -> int:
    """A fresh seed, short enough to read off a projector."""
    return secrets.randbelow(1_000_000)


@partial(st.cache_data, show_spinner="Simulating a study and fitting the models…",
         max_entries=256, hash_funcs={GameSpec: _game_key})
def cached_round(game: Game, seed: int, difficulty: str) -> Round:
    """make_round, cached by (game, seed, difficulty): a round is a pure function of them."""
    return game.make_round(seed, difficulty)


def _wanted_seed(game: Game) -> int:
    """The seed to show: the URL's if it names a round, else the session's, else a new one."""
    current = st.session_state.get(f"{game.id}.round")
    given = st.query_params.get("seed")
    if given is not None:
        seed, note = read_seed(given)
        if seed is not None:
            return seed
        st.session_state[f"{game.id}.notice"] = note
    return current.seed if current is not None and given is None else new_seed()


def current_round(game: Game) -> Round:
    """The round to show (from the link, the session or a new draw), written into the URL."""
    difficulty = check_difficulty(st.session_state["app.difficulty"])
    seed = _wanted_seed(game)
    current = st.session_state.get(f"{game.id}.round")
    if current is None or (current.seed, current.difficulty) != (seed, difficulty):
        current = cached_round(game, seed, difficulty)
        _start(game.id, current)
    _write_url(current)
    return current


def _start(game_id: str, round_: Round) -> None:
    """Make round_ current: forget the last round's answer, score, problem and widgets."""
    for key in [k for k in st.session_state if str(k).startswith(f"{game_id}.form.")]:
        del st.session_state[key]
    st.session_state[f"{game_id}.round"] = round_
    for field in ("answer", "score", "problem"):
        st.session_state.pop(f"{game_id}.{field}", None)


def _write_url(round_: Round) -> None:
    if st.query_params.get("seed") != str(round_.seed):
        st.query_params["seed"] = str(round_.seed)
    if st.query_params.get("difficulty") != round_.difficulty:
        st.query_params["difficulty"] = round_.difficulty
    st.session_state["app.url_difficulty"] = round_.difficulty


def new_round(game_id: str) -> None:
    """Button callback: draw a new seed and put it in the URL."""
    st.query_params["seed"] = str(new_seed())
    st.session_state.pop(f"{game_id}.notice", None)


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs={Round: _round_key})
def _slow(round_: Round, _game: Game) -> Any:
    """The game's slow reveal of one round, under a progress bar (``_game`` is not hashed: the
    round's key names the game)."""
    return run_with_progress(lambda progress: _game.slow(round_, progress), _game.slow.label)


def run_slow_reveal(game: Game, round_: Round) -> Any:
    """Run (or fetch) the slow reveal of ``round_``, if the game has one (the loop calls this
    right after the verdict, so the bar shows where the reveal will be)."""
    return None if getattr(game, "slow", None) is None else _slow(round_, game)


def slow_result(round_: Round) -> Any:
    """The slow reveal's result for a page's ``show_reveal`` (computed once, cached)."""
    return run_slow_reveal(GAMES[round_.game], round_)
