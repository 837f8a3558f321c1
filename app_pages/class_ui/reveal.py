"""The reveal on the projector: the class's answers beside the right one, what the class fell
for, what the class's answers say as data, and the game's own fitted reveal."""

from __future__ import annotations

import streamlit as st

from classroom import class_data
from classroom.aggregates import misconceptions, round_result
from classroom.models import Snapshot
from classroom.rounds import build_round, right_answer
from games import GAMES
from games.ui import show_chart

from . import game_view
from .answers_view import draw_spreads, interval_chart

__all__ = ["draw"]


def draw(snap: Snapshot) -> None:
    current = snap.current
    round_ = build_round(current.game, current.seed, current.difficulty)
    answers = snap.answers_to(current.id)
    result = round_result(answers)
    st.markdown(f"### Question {current.position + 1}: {GAMES[current.game].title}")
    words = "; ".join(right_answer(round_).values())
    st.success(f"**Right answer:** {words}", icon=":material/check_circle:")
    left, right = st.columns([3, 2])
    with left:
        st.caption(f"{result.right} of {result.answered} answers fully right · "
                   f"{result.mean_points:.0f} points on average")
        if answers:
            draw_spreads(round_, answers, revealed=True)
        else:
            st.info("Nobody answered this question.")
    with right:
        _misconceptions(answers)
        _as_data(round_, answers)
    st.divider()
    st.markdown("### What the models say")
    game_view.draw_reveal(round_)


def _misconceptions(answers) -> None:
    found = misconceptions(answers)
    st.markdown("#### What the class fell for")
    if not found:
        st.caption("No misconception among the answers" + (": well done." if answers else "."))
        return
    for m in found:
        st.markdown(f"**{m.count}** ({m.share:.0%}) · {m.explanation}")


def _as_data(round_, answers) -> None:
    verdict = class_data.lineup_verdict(round_, answers)
    interval = class_data.intervals(round_, answers)
    guessed = class_data.guesses(round_, answers) if interval is None else ()
    if not (verdict or interval or guessed):
        return
    st.markdown("#### Your answers as data")
    if verdict:
        st.metric("Visual p-value", f"{verdict.p_value:.3f}",
                  help="P(X ≥ k) for X ~ Binomial(N, 1/m): N students, k picked the real "
                       "panel, m panels.")
        st.markdown(verdict.sentence)
    if interval:
        show_chart(interval_chart(interval), "Each student's interval as a line; the model's "
                   "interval, estimate and the truth as marked lines.")
        st.markdown(interval.sentence)
    for g in guessed:
        st.markdown(g.sentence)
