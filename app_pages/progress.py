"""My progress: practice that remembers, behind a personal link (no password, no name).

What is kept (homework.practice): every round played with its answer and points, the score,
the streak, mastery per game (the share right in the last 10 rounds) and the misconceptions
met; "Practice what I got wrong" draws a round where those misconceptions were.
"""

from __future__ import annotations

import random

import pandas as pd
import streamlit as st

from app_pages.database import base_url, get_engine
from app_pages.round_sources import learner
from games import GAMES, page_path
from games.ui import friendly_errors, new_seed
from homework import practice

st.title("My progress")


def _start() -> None:
    st.markdown("Practice is kept only in this browser tab until you ask for a **progress "
                "link**. With it, your score, streak, every round you played and what you "
                "got wrong are kept, on any device that opens the link. No password and no "
                "name: whoever has the link sees the progress, so keep it to yourself.")
    if st.button("Keep my progress", type="primary", key="progress.create"):
        st.query_params["progress"] = practice.create_learner(get_engine())
        st.rerun()


def _words(code: str) -> str:
    return code.replace("_", " ")


def _show(key: int) -> None:
    played = practice.history(get_engine(), key)
    kept = practice.progress(played)
    st.markdown("Your progress link (bookmark it, or open it on another device):")
    st.code(f"{base_url()}/progress?progress={st.session_state['app.progress_token']}",
            language=None)
    cols = st.columns(4)
    for col, (label, value) in zip(cols, (("Score", kept.points), ("Rounds", kept.rounds),
                                          ("Streak", kept.streak),
                                          ("Best streak", kept.best_streak)), strict=True):
        col.metric(label, value)
    if not played:
        st.info("No rounds yet: play any game and each answer is kept here.")
        return
    st.subheader("Mastery")
    st.caption(f"The share of right answers in your last {practice.MASTERY_WINDOW} rounds "
               "of each game.")
    st.dataframe(pd.DataFrame([{"game": GAMES[m.game].title if m.game in GAMES else m.game,
                                "topic": m.topic, "rounds": m.rounds,
                                "share right": m.share_right} for m in kept.mastery])
                 .style.format({"share right": "{:.0%}"}), hide_index=True)
    st.subheader("What went wrong most")
    if kept.misconceptions:
        st.dataframe(pd.DataFrame([{"misconception": _words(c), "times": n}
                                   for c, n in kept.misconceptions]), hide_index=True)
        if st.button("Practice what I got wrong", type="primary", key="progress.wrong"):
            game, difficulty = practice.pick_wrong(played, random.Random())
            st.switch_page(page_path(game), query_params={
                "seed": str(new_seed()), "difficulty": difficulty,
                "progress": st.session_state["app.progress_token"]})
    else:
        st.success("No misconceptions met so far.")
    with st.expander("Every round played"):
        st.dataframe(pd.DataFrame([{
            "when (UTC)": p.played_at.strftime("%Y-%m-%d %H:%M"),
            "game": GAMES[p.game].title if p.game in GAMES else p.game, "round": p.seed,
            "difficulty": p.difficulty, "points": p.points, "right": p.correct,
            "misconception": _words(p.misconception or "")} for p in reversed(played)]),
            hide_index=True)


with friendly_errors("showing your progress"):
    who = learner()
    if who is None:
        _start()
    else:
        _show(who)
