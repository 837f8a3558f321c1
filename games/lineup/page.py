"""Spot the real data: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import streamlit as st

from games import charts
from games.base import Round, Score, frame_from_dict
from games.lineup import charts as lineup_charts
from games.ui import cached_round, play, show_chart, style_table

COLUMNS = 3


@st.cache_data(max_entries=256, show_spinner=False)
def _grid_specs(seed: int, difficulty: str, real: int | None) -> list[dict]:
    """One spec per panel: built once from panel 1, the other panels swap in their rows."""
    panels = cached_round("lineup", seed, difficulty).data
    domain = lineup_charts.y_domain(panels)
    first = panels[panels["panel"] == 1]
    plain = charts.to_spec(charts.style(lineup_charts.panel_chart(first, domain, ""),
                                        height=270))
    marked = charts.to_spec(charts.style(lineup_charts.panel_chart(
        first, domain, "", highlight=True), height=270))
    return [
        charts.with_rows(marked if i == real else plain,
                         lineup_charts.with_x(panels[panels["panel"] == i]),
                         title=f"Panel {i}" + (" (real)" if i == real else ""))
        for i in sorted(panels["panel"].unique())
    ]


@st.cache_data(max_entries=256, show_spinner=False)
def _marked_spec(seed: int, difficulty: str) -> dict:
    round_ = cached_round("lineup", seed, difficulty)
    real = frame_from_dict(round_.context["real"])
    chart = lineup_charts.marked_chart(real, lineup_charts.y_domain(round_.data))
    return charts.to_spec(charts.style(chart, height=420))


def _grid(round_: Round, real: int | None = None) -> None:
    specs = _grid_specs(round_.seed, round_.difficulty, real)
    for start in range(0, len(specs), COLUMNS):
        row = specs[start:start + COLUMNS]
        for col, spec in zip(st.columns(COLUMNS), row, strict=False):
            show_chart(spec, f"{spec['title']}: each participant's values in the control and "
                             "treatment conditions, joined by a line.", where=col)


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
    st.dataframe(style_table(round_.reveal.tables["side_by_side"]))
    st.caption("'fixed:' rows are fixed effects (as in lm()); 'SD' rows are the random-effect "
               "and residual standard deviations; empty cells: not in that model.")
    with st.expander("The same fits as R prints them (summary())"):
        for name, text in round_.reveal.details.get("r_summaries", {}).items():
            st.markdown(f"**{name.capitalize()}**")
            st.code(text, language=None)
    with st.expander("See the lineup again"):
        _grid(round_, real=real)


show_question = _grid  # the numbered panels, also on the class projector

if __name__ == "__main__":  # st.Page runs this file; the class projector imports it
    play("lineup", ask=ask, show_reveal=show_reveal)
