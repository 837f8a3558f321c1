"""The course's worked example as a guided walk, in a box at the top of the page."""

from __future__ import annotations

import streamlit as st

import lmm_core
from sandbox import COURSE_EXAMPLE, COURSE_FORMULA, course_dataset, fit_model
from sandbox.tables import styled
from sandbox.walkthrough import course_steps

from .common import SOURCES, set_formula


@st.cache_data(max_entries=4, show_spinner="Fitting the course example…")
def _course_walk() -> list:
    data = course_dataset(COURSE_EXAMPLE).data
    report = fit_model(data, COURSE_FORMULA, data_name=COURSE_EXAMPLE)
    pool = lmm_core.pooling(data, "reaction", "days", "subject")
    return course_steps(data, report, pool)


def _start() -> None:
    ss = st.session_state
    ss["sandbox.source"] = SOURCES[0]
    ss["sandbox.course"] = COURSE_EXAMPLE
    ss["sandbox.reml"] = True
    set_formula(f"course:{COURSE_EXAMPLE}", COURSE_FORMULA)
    ss["sandbox.tour"] = 0


def _move(step: int | None) -> None:
    st.session_state["sandbox.tour"] = step


def walkthrough() -> None:
    step = st.session_state.get("sandbox.tour")
    with st.container(border=True):
        if step is None:
            st.markdown("**New here?** Walk through the course's worked example, step by step: "
                        "the sleep study with two participants who dropped out.")
            st.button("Start the walkthrough", key="sandbox.tour_start", icon=":material/school:",
                      on_click=_start)
            return
        steps = _course_walk()
        step = min(step, len(steps) - 1)
        current = steps[step]
        st.caption(f"Walkthrough · step {step + 1} of {len(steps)} · the course example, "
                   f"`{COURSE_FORMULA}` on {COURSE_EXAMPLE}")
        st.markdown(f"#### {current.title}")
        st.markdown(current.text)
        if current.table is not None:
            st.dataframe(styled(current.table), placeholder="",
                         hide_index=current.table.index.dtype != object)
        _buttons(step, len(steps))


def _buttons(step: int, count: int) -> None:
    back, forward, close = st.columns(3)
    back.button("Back", key="sandbox.tour_back", disabled=step == 0, width="stretch",
                on_click=_move, args=(step - 1,), icon=":material/arrow_back:")
    if step + 1 < count:
        forward.button("Next", key="sandbox.tour_next", type="primary", width="stretch",
                       on_click=_move, args=(step + 1,), icon=":material/arrow_forward:")
    close.button("Close", key="sandbox.tour_close", width="stretch", on_click=_move,
                 args=(None,), icon=":material/close:")
