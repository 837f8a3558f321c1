"""The session's app-wide state: difficulty, score and streak, and notes about odd links.

Keys: ``"app.difficulty"``, ``"app.points"``, ``"app.rounds"``, ``"app.streak"``,
``"app.best_streak"``, ``"app.url_difficulty"`` (the last ``?difficulty=`` acted on) and
``"app.notice"`` (a note for the next page drawn, e.g. about a junk ``?difficulty=``).
"""

from __future__ import annotations

import streamlit as st

from ..base import Score
from ..links import read_difficulty

__all__ = ["init_session", "apply_url_difficulty", "draw_scoreboard", "record", "show_notice",
           "DIFFICULTY_HELP"]

DIFFICULTY_HELP = {
    "gentle": "bigger effects, clearer data, fewer things to judge",
    "normal": "the classroom default",
    "tricky": "smaller samples, subtler effects, more to judge",
}


def init_session() -> None:
    """The app-wide keys, set once per session (called by the router before the page runs)."""
    for key, value in {"app.difficulty": "normal", "app.points": 0, "app.rounds": 0,
                       "app.streak": 0, "app.best_streak": 0}.items():
        st.session_state.setdefault(key, value)


def apply_url_difficulty() -> None:
    """Take ``?difficulty=`` from a shared link (once per link), before the sidebar is drawn;
    one the app does not have leaves a note (``show_notice``) instead of being ignored."""
    given = st.query_params.get("difficulty")
    if given is None or given == st.session_state.get("app.url_difficulty"):
        return
    st.session_state["app.url_difficulty"] = given
    difficulty, note = read_difficulty(given, st.session_state["app.difficulty"])
    if difficulty is not None:
        st.session_state["app.difficulty"] = difficulty
        if difficulty != given:  # " Tricky" -> "tricky": write the clean word back
            st.query_params["difficulty"] = difficulty
            st.session_state["app.url_difficulty"] = difficulty
    else:
        st.session_state["app.notice"] = note


def show_notice() -> None:
    """The pending note about the link, if any, once."""
    note = st.session_state.pop("app.notice", None)
    if note:
        st.info(note, icon=":material/link:")


def draw_scoreboard(container) -> None:
    """Points, rounds and streak of this session (scores are recorded in the answer form's
    callback, before any page draws, so this is right even while a slow reveal runs)."""
    rounds = st.session_state["app.rounds"]
    with container:
        left, right = st.columns(2)
        left.metric("Score", st.session_state["app.points"],
                    help="Points this session: up to 100 per round.")
        right.metric("Streak", st.session_state["app.streak"],
                     help="Right answers in a row.")
        st.caption(f"{rounds} round{'s' if rounds != 1 else ''} played · best streak "
                   f"{st.session_state['app.best_streak']}")


def record(score: Score) -> None:
    """Add one scored round to the session's points, rounds and streak."""
    st.session_state["app.points"] += score.points
    st.session_state["app.rounds"] += 1
    streak = st.session_state["app.streak"] + 1 if score.correct else 0
    st.session_state["app.streak"] = streak
    st.session_state["app.best_streak"] = max(streak, st.session_state["app.best_streak"])
