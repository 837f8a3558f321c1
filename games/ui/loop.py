"""The round loop every game page runs: ``play(GAME, ...)``.

It finds the round (the link's ``?seed=``/``?difficulty=``, checked once; else the session's;
else a new one), draws the header and prompt, the game's question material, and the answer form
for every question (scored in the form's callback); then the verdict, the game's slow reveal
(once per round, cached, under a progress bar) and the game's reveal. Any exception becomes a
plain message and a log entry, never a traceback on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from ..base import Round, Score
from ..spec import Game
from ..text import literal
from .forms import Form, answer_form
from .rounds import new_round, run_slow_reveal
from .session import show_notice
from .show import friendly_errors
from .sources import source

__all__ = ["play"]


def play(
    game: Game,
    show_reveal: Callable[[Round, Mapping, Score], None],
    show_question: Callable[[Round], None] | None = None,
    form: Form = Form(),  # noqa: B008 - a frozen dataclass: safe as a default
) -> None:
    """Draw one round of ``game``: header, prompt, question, form; then verdict and reveal.

    ``show_question(round)`` draws what the question is about (data, pictures, R output) above
    the form; ``show_reveal(round, answer, score)`` draws the reveal under the verdict (a game
    with a slow reveal reads it with ``games.ui.slow_result(round)``).
    """
    st.title(game.title)
    show_notice()
    where = source()  # practice, or homework / remembered practice (games.ui.sources)
    retry = _retry_button(game.id)
    kept = score = None  # stay None if preparing the round fails (the message is shown)
    with friendly_errors("preparing this round", retry=retry):
        round_ = where.round(game)
        where.header(game.id, round_)
        st.markdown(round_.prompt)
        kept = where.stored(game.id, round_)
        if kept is None:
            if show_question is not None:
                show_question(round_)
            answer_form(game, round_, form)
            return
        answer, score = kept
        if score is None:
            where.withheld(round_)
            return
        _verdict(round_, answer, score)
    if score is None:
        return
    with friendly_errors("showing what the models say", retry=retry):
        run_slow_reveal(game, round_)
        show_reveal(round_, answer, score)
        st.divider()
        where.after_reveal(game.id, round_)


def _retry_button(game_id: str) -> Callable[[], None]:
    def draw() -> None:
        st.button("New round", key=f"{game_id}.new_after_error", type="primary",
                  on_click=new_round, args=(game_id,))
    return draw


def practice_header(game_id: str, round_: Round) -> None:
    notice = st.session_state.pop(f"{game_id}.notice", None)
    if notice:
        st.info(notice, icon=":material/link:")
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(
        f"Round **{round_.seed}** · {round_.difficulty} · to replay it, open this page with "
        f"`?seed={round_.seed}&difficulty={round_.difficulty}`"
    )
    right.button("New round", key=f"{game_id}.new_top", on_click=new_round, args=(game_id,),
                 width="stretch")


def _verdict(round_: Round, answer: Mapping, score: Score) -> None:
    """What was answered (typed text exactly as typed) and the points with the feedback."""
    kinds = round_.answer_kinds
    yours = "; ".join(round_.question(q).label_of(v) if kinds[q] == "choice" else literal(v)
                      for q, v in answer.items() if kinds.get(q) in ("choice", "text"))
    if yours:
        st.markdown(f"**Your answer:** {yours}")
    message = f"**{score.points} points.** {score.feedback}"
    if score.correct:
        st.success(message, icon=":material/check_circle:")
    elif score.points > 0:
        st.warning(message, icon=":material/star_half:")
    else:
        st.error(message, icon=":material/cancel:")
