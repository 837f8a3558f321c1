"""Where the round loop gets its round and where an answer goes: a :class:`RoundSource`.

The default is practice in this session (a seed from the link, the session or a new draw;
score and streak in the session). The router may put another source in
``st.session_state["app.source"]`` for a run: homework, remembered practice, the lecturer's
view of a student's round (app_pages/round_sources.py), so every use shares one loop and the
game pages do not change.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from ..base import Round, Score
from ..spec import Game
from .rounds import _start, current_round, new_round
from .session import record

__all__ = ["RoundSource", "Refused", "source"]


class Refused(ValueError):
    """A round source's refusal to keep an answer, in words for the student (shown as-is)."""


class RoundSource:
    """Practice in this session; subclasses override what differs: ``round`` (which round),
    ``stored`` (an answer already kept, which locks the round), ``keep`` (keep a validated
    answer: its Score, None to withhold the feedback, or :class:`Refused`), ``header``,
    ``draft``/``save_draft`` (what is typed before it is sent; ``drafts = True`` draws the
    form without st.form so every change arrives), ``withheld`` and ``after_reveal``."""

    drafts = False

    def round(self, game: Game) -> Round:
        return current_round(game)

    @staticmethod
    def use(game_id: str, round_: Round) -> Round:
        """Make ``round_`` the page's round, forgetting another round's widgets and answer
        (for sources that choose their rounds themselves)."""
        current = st.session_state.get(f"{game_id}.round")
        if current is None or (current.seed, current.difficulty) != (round_.seed,
                                                                     round_.difficulty):
            _start(game_id, round_)
        return round_

    def header(self, game_id: str, round_: Round) -> None:
        from .loop import practice_header

        practice_header(game_id, round_)

    def stored(self, game_id: str, round_: Round) -> tuple[Mapping, Score | None] | None:
        score = st.session_state.get(f"{game_id}.score")
        return None if score is None else (st.session_state[f"{game_id}.answer"], score)

    def keep(self, game: Game, round_: Round, answer: Mapping) -> Score | None:
        score = game.score(round_, answer)
        self.remember(game.id, answer, score)
        record(score)
        return score

    @staticmethod
    def remember(game_id: str, answer: Mapping, score: Score | None) -> None:
        st.session_state[f"{game_id}.answer"] = dict(answer)
        st.session_state[f"{game_id}.score"] = score

    def draft(self, round_: Round) -> Mapping:
        return {}

    def save_draft(self, round_: Round, values: Mapping) -> None:
        return None

    def withheld(self, round_: Round) -> None:
        st.info("Your answer is in.")

    def after_reveal(self, game_id: str, round_: Round) -> None:
        st.button("New round", key=f"{game_id}.new_bottom", type="primary",
                  on_click=new_round, args=(game_id,))


def source() -> RoundSource:
    return st.session_state.get("app.source") or RoundSource()
