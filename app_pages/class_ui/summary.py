"""The summary after the poll (and whenever the host reopens the game with the host link):
how each round went, the leaderboard, the class as a mixed model, the poll, and downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import store
from classroom import class_data
from classroom.aggregates import poll_result, round_result
from classroom.charts import leaderboard_bars, poll_bars
from classroom.exports import poll_csv, results_csv
from classroom.models import Snapshot
from classroom.records import snapshot
from classroom.scoring import TOP, leaderboard
from games import GAMES
from games.ui import show_chart

from .common import engine

__all__ = ["draw"]


def draw(snap: Snapshot) -> None:
    st.markdown("## Summary")
    _rounds(snap)
    table = leaderboard(snap.players, snap.answers, bonus=snap.game.speed_bonus,
                        window=float(snap.game.countdown) if snap.game.countdown else None)
    st.markdown(f"### Top {min(TOP, len(table))} of {len(table)}")
    if table:
        show_chart(leaderboard_bars(table[:TOP]), "The ten highest totals.")
        with st.expander(f"All {len(table)} players"):
            st.dataframe(pd.DataFrame([(s.rank, s.nickname, s.points, s.right, s.rounds)
                                       for s in table],
                                      columns=["rank", "nickname", "points", "right",
                                               "answered"]), hide_index=True, width="stretch")
    _class_model(snap.game.code, snap.game.version)
    _poll(snap)
    left, right = st.columns(2)
    left.download_button("Download the results (CSV)", results_csv(snap),
                         file_name=f"class-game-{snap.game.code}-results.csv",
                         mime="text/csv", icon=":material/download:")
    right.download_button("Download the poll (CSV)", poll_csv(snap),
                          file_name=f"class-game-{snap.game.code}-poll.csv", mime="text/csv",
                          icon=":material/download:")
    st.caption("Reopen this summary any time with the host link (it holds the host key).")


def _rounds(snap: Snapshot) -> None:
    rows = []
    for r in snap.rounds:
        result = round_result(snap.answers_to(r.id))
        top = result.top_misconception
        rows.append({"#": r.position + 1, "game": GAMES[r.game].title if r.game in GAMES
                     else r.game, "difficulty": r.difficulty, "answered": result.answered,
                     "right": result.right, "mean points": round(result.mean_points),
                     "to re-teach": f"{top.explanation} ({top.count})" if top else "",
                     "played": r.opened_at is not None})
    st.markdown("### How each round went")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"to re-teach": st.column_config.TextColumn(width="large")})


@st.cache_data(show_spinner="Fitting the class's points as a mixed model…", max_entries=32)
def _fit(code: str, version: int):
    with store.read(engine()) as conn:
        snap = snapshot(conn, code)
    return class_data.class_model(snap.players, snap.rounds, snap.answers)


def _class_model(code: str, version: int) -> None:
    model = _fit(code, version)
    st.markdown("### Your class as a mixed model")
    if model is None:
        st.caption("Needs at least three players and two rounds with points.")
        return
    st.markdown("`points ~ 1 + (1 | player) + (1 | round)` fitted to this class's points. "
                + model.sentence)
    a, b, c = st.columns(3)
    a.metric("SD between students", f"{model.sd_player:.1f} points")
    b.metric("SD between rounds", f"{model.sd_round:.1f} points")
    c.metric("Residual SD", f"{model.sd_residual:.1f} points")
    with st.expander("Each student's own average and the partially pooled one"):
        st.dataframe(model.table.round(1), hide_index=True, width="stretch")


def _poll(snap: Snapshot) -> None:
    result = poll_result(snap.poll)
    st.markdown(f"### The closing poll ({result.answered} answers)")
    if not result.answered:
        st.caption("Nobody answered the poll.")
        return
    if result.mean_happiness is not None:
        st.metric("Happiness", f"{result.mean_happiness:.1f} of 5")
    pace, happy = poll_bars(result)
    left, right = st.columns(2)
    show_chart(pace, "How the class found the pace.", where=left)
    show_chart(happy, "How happy the class is, 1 to 5.", where=right)
    with st.expander(f"Comments ({len(result.comments)}), for you only: not on the projector"):
        if result.comments:
            st.dataframe(pd.DataFrame({"comment": result.comments}), hide_index=True,
                         width="stretch")
        else:
            st.caption("No comments.")
