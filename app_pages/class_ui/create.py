"""Create a class game: a title, a playlist (the lecture's or your own) and two options."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from classroom import ClassError, host
from classroom.playlists import MAX_ROUNDS, Slot, check_playlist, lecture_playlist
from classroom.rounds import build_round
from games import DIFFICULTIES, GAMES

from .common import engine, show_error

__all__ = ["draw"]

TITLES = {g.title: g.id for g in GAMES.values()}


def draw() -> None:
    st.title("Host a class game")
    st.markdown(
        "You show the rounds on the projector; students answer on their phones at "
        "**/join** with a 6-character code. Each round is a game of this app: the same "
        "simulated study for everyone, scored as in practice, then the fitted reveal and what "
        "the class's answers say. At the end: a short poll on pace and happiness.")
    title = st.text_input("Title (shown on the projector)", value="Mixed models: class game",
                          max_chars=host.MAX_TITLE, key="class.create.title")
    kind = st.radio("Playlist", ["The lecture's order", "My own"], horizontal=True,
                    key="class.create.kind")
    difficulty = st.selectbox("Difficulty", DIFFICULTIES, index=DIFFICULTIES.index("normal"),
                              key="class.create.difficulty", format_func=str.capitalize)
    if kind == "My own":
        slots = _own_playlist(difficulty)
    else:
        slots = lecture_playlist(difficulty)
        st.caption("Rounds: " + " → ".join(GAMES[s.game].title for s in slots))
    left, right = st.columns(2)
    countdown = left.selectbox(
        "Countdown per question", host.COUNTDOWNS, key="class.create.countdown",
        format_func=lambda c: "None: I lock the answers" if c is None else f"{c} seconds")
    bonus = right.toggle("Speed bonus", value=False, key="class.create.bonus",
                         help="Up to 20 extra points for a right answer given early. Off by "
                              "default: this is teaching, and thinking takes time.")
    if st.button("Create the game", type="primary", key="class.create.go"):
        _create(slots, title, countdown, bonus)


def _own_playlist(difficulty: str) -> tuple[Slot, ...]:
    start = pd.DataFrame({"game": [GAMES[s.game].title for s in lecture_playlist(difficulty)],
                          "difficulty": difficulty})
    table = st.data_editor(
        start, num_rows="dynamic", hide_index=True, key="class.create.table",
        column_config={
            "game": st.column_config.SelectboxColumn("Game", options=list(TITLES),
                                                     required=True, width="large"),
            "difficulty": st.column_config.SelectboxColumn("Difficulty", options=DIFFICULTIES,
                                                           required=True),
        })
    st.caption(f"Add, remove or reorder rows (up to {MAX_ROUNDS}); each row is one round.")
    rows = table.dropna()
    return tuple(Slot(TITLES[g], d) for g, d in zip(rows["game"], rows["difficulty"],
                                                    strict=True))


def _create(slots, title: str, countdown, bonus: bool) -> None:
    try:
        slots = check_playlist(slots)
    except ClassError as error:
        show_error(error)
        return
    bar = st.progress(0.0, text="Preparing the rounds…")
    ready = []
    for i, slot in enumerate(slots):
        ready.append(_buildable(slot))
        bar.progress((i + 1) / len(slots), text=f"Preparing the rounds: {i + 1} of "
                                                f"{len(slots)} ({GAMES[slot.game].title})")
    bar.empty()
    try:
        created = host.create_game(engine(), ready, title, speed_bonus=bonus,
                                   countdown=countdown)
    except ClassError as error:
        show_error(error)
        return
    st.session_state["class.new"] = True
    st.query_params.from_dict({"code": created.code, "key": created.host_key})
    st.rerun()


def _buildable(slot: Slot) -> Slot:
    """The slot with a seed whose round builds (a rare seed that fails is drawn again)."""
    for attempt in range(4):
        try:
            build_round(slot.game, slot.seed, slot.difficulty)
            return slot
        except Exception:  # noqa: BLE001 - a round that cannot be built gets another seed
            if attempt == 3:
                raise
            slot = check_playlist([Slot(slot.game, slot.difficulty)])[0]
    return slot
