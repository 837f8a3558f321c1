"""Spot the real data: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import streamlit as st

from games import charts
from games.base import Round, Score, frame_from_dict
from games.lineup import charts as lineup_charts
from games.ui import cached_round, play, show_chart, style_table


@st.cache_data(max_entries=256, show_spinner=False)
def _grid_spec(seed: int, difficulty: str, real: int | None) -> dict:
    """All panels as one faceted chart (three columns on every screen)."""
    panels = cached_round("lineup", seed, difficulty).data
    return charts.to_spec(charts.style(lineup_charts.lineup_chart(panels, real), height=None))


@st.cache_data(max_entries=256, show_spinner=False)
def _marked_spec(seed: int, difficulty: str) -> dict:
    round_ = cached_round("lineup", seed, difficulty)
    real = frame_from_dict(round_.context["real"])
    chart = lineup_charts.marked_chart(real, lineup_charts.y_domain(round_.data))
    return charts.to_spec(charts.style(chart, height=420))


def _grid(round_: Round, real: int | None = None) -> None:
    n = round_.context["n_panels"]
    st.vega_lite_chart(spec=_grid_spec(round_.seed, round_.difficulty, real), width="content",
                       alt=f"{n} numbered panels in rows of {lineup_charts.COLUMNS}, each "
                           "showing every participant's values in the control (C) and "
                           "treatment (T) conditions, joined by a line.")
    st.caption("C: control, T: treatment. Every panel has the same y scale.")


def ask(round_: Round):
    _grid(round_)
    with st.form("lineup.form"):
        panel_q, problem_q = round_.questions
        panel = st.radio(panel_q.text, [o.value for o in panel_q.options], index=None,
                         format_func=panel_q.label_of, horizontal=True, key="lineup.form.panel")
        problem = st.radio(problem_q.text, [o.value for o in problem_q.options], index=None,
                           format_func=problem_q.label_of, key="lineup.form.problem")
        submitted = st.form_submit_button("Check my answer", type="primary")
    if not submitted:
        return None
    if panel is None or problem is None:
        st.warning("Pick a panel *and* say what is wrong with the model, then check.")
        return None
    return {"panel": panel, "problem": problem}


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    real = round_.context["real_panel"]
    st.subheader(f"The real data were panel {real}")
    show_chart(_marked_spec(round_.seed, round_.difficulty),
               "The real data; shape and colour mark what the model missed.")
    st.markdown(round_.reveal.explanation)
    st.markdown("**The shown model beside the better one**")
    st.table(style_table(round_.reveal.tables["side_by_side"], na_rep="–"))
    st.caption("'fixed:' rows are fixed effects (as in lm()); 'SD' rows are the random-effect "
               "and residual standard deviations; –: not in that model.")
    with st.expander("The same fits as R prints them (summary())"):
        for name, text in round_.reveal.details.get("r_summaries", {}).items():
            st.markdown(f"**{name.capitalize()}**")
            st.code(text, language=None)
    with st.expander("See the lineup again"):
        _grid(round_, real=real)


play("lineup", ask=ask, show_reveal=show_reveal)
