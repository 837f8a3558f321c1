"""A game's own pictures on the projector: its question data and its fitted reveal.

Uses the game page's own drawing functions, so the projector shows what practice shows.
"""

from __future__ import annotations

import streamlit as st

from games.base import Round
from games.ui import style_table

__all__ = ["draw_question", "draw_reveal"]


def draw_question(round_: Round) -> None:
    """The data the question is about (charts and tables live on the projector)."""
    if round_.data is not None:
        with st.expander("The round's data"):
            st.dataframe(round_.data, hide_index=True)


def draw_reveal(round_: Round) -> None:
    """What the fitted models say, as the practice page's reveal shows it."""
    st.markdown(round_.reveal.explanation)
    for name, table in round_.reveal.tables.items():
        st.markdown(f"**{name.replace('_', ' ').capitalize()}**")
        st.dataframe(style_table(table, na_rep="–"))
