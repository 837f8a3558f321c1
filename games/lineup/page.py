"""Spot the real data: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import streamlit as st

from games import charts
from games.base import Round, Score, frame_from_dict
from games.lineup import GAME
from games.lineup import charts as lineup_charts
from games.lineup.reveal import printouts
from games.ui import Form, layered_reveal, paragraphs, play, round_cache, show_chart, style_table


@round_cache
def _grid_spec(round_: Round, real: int | None) -> dict:
    """All panels as one faceted chart (three columns on every screen, phones too)."""
    chart = lineup_charts.lineup_chart(round_.data, real)
    return charts.to_spec(charts.style(chart, height=None))


@round_cache
def _marked_spec(round_: Round) -> dict:
    real = frame_from_dict(round_.context["real"])
    chart = lineup_charts.marked_chart(real, lineup_charts.y_domain(round_.data))
    return charts.to_spec(charts.style(chart, height=420))


@round_cache
def _printouts(round_: Round) -> dict:
    return printouts(round_.context["problem"], frame_from_dict(round_.context["real"]))


def _grid(round_: Round, real: int | None = None) -> None:
    n = round_.context["n_panels"]
    st.vega_lite_chart(spec=_grid_spec(round_, real), width="content",
                       alt=f"{n} numbered panels in rows of {lineup_charts.COLUMNS}, each "
                           "showing every participant's values in the control (C) and "
                           "treatment (T) conditions, joined by a line.")
    st.caption("C: control, T: treatment. Every panel has the same y scale.")


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    real, explanation = round_.context["real_panel"], round_.reveal.explanation
    problems = dict((o.value, o.label) for o in round_.question("problem").options)
    seen = round_.context.get("signal")

    def side_by_side() -> None:
        st.table(style_table(round_.reveal.tables["side_by_side"], na_rep="–"))
        st.caption("'fixed:' rows are fixed effects (as in lm()); 'SD' rows are the random-"
                   "effect and residual standard deviations; –: not in that model.")

    def r_printouts() -> None:
        for name, text in _printouts(round_).items():
            st.markdown(f"**{name.capitalize()}**")
            st.code(text, language=None)

    numbers = [("The real data", f"Panel {real}")]
    if seen is not None:
        numbers.append(("Visual p-value", f"{seen['p']:.3f}",
                        "the share of 999 panels simulated from the model that show the "
                        "problem as strongly as the real one"))
    layered_reveal(
        numbers,
        f"**What the model missed:** {problems[round_.solution['problem']]}.\n\n"
        + paragraphs(explanation, 0, 1),
        main=lambda: show_chart(_marked_spec(round_), "The real data; shape and colour mark "
                                                      "what the model missed."),
        sections=[("Why, and the better model", lambda: st.markdown(paragraphs(explanation, 1))),
                  ("The shown model beside the better one", side_by_side),
                  ("The same fits as R prints them (summary())", r_printouts),
                  ("See the lineup again", lambda: _grid(round_, real=real))])


show_question = _grid  # the numbered panels, also on the class projector

if __name__ == "__main__":  # st.Page runs this file; the class projector imports it
    play(GAME, show_reveal, show_question=_grid, form=Form(horizontal=("panel",)))
