"""Spot the real data: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import streamlit as st

from games import charts
from games.base import Round, Score, frame_from_dict
from games.lineup import GAME
from games.lineup import charts as lineup_charts
from games.ui import Form, layered_reveal, paragraphs, play, round_cache, show_chart, style_table

COLUMNS = 3


@round_cache
def _grid_specs(round_: Round, real: int | None) -> list[dict]:
    """One spec per panel: built once from panel 1, the other panels swap in their rows."""
    panels = round_.data
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


@round_cache
def _marked_spec(round_: Round) -> dict:
    real = frame_from_dict(round_.context["real"])
    chart = lineup_charts.marked_chart(real, lineup_charts.y_domain(round_.data))
    return charts.to_spec(charts.style(chart, height=420))


def _grid(round_: Round, real: int | None = None) -> None:
    specs = _grid_specs(round_, real)
    for start in range(0, len(specs), COLUMNS):
        row = specs[start:start + COLUMNS]
        for col, spec in zip(st.columns(COLUMNS), row, strict=False):
            show_chart(spec, f"{spec['title']}: each participant's values in the control and "
                             "treatment conditions, joined by a line.", where=col)


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    real, explanation = round_.context["real_panel"], round_.reveal.explanation
    problems = dict((o.value, o.label) for o in round_.question("problem").options)

    def side_by_side() -> None:
        st.dataframe(style_table(round_.reveal.tables["side_by_side"]))
        st.caption("'fixed:' rows are fixed effects (as in lm()); 'SD' rows are the random-"
                   "effect and residual standard deviations; empty cells: not in that model.")

    def printouts() -> None:
        for name, text in round_.reveal.details.get("r_summaries", {}).items():
            st.markdown(f"**{name.capitalize()}**")
            st.code(text, language=None)

    layered_reveal(
        [("The real data", f"Panel {real}")],
        f"**What the model missed:** {problems[round_.solution['problem']]}.\n\n"
        + paragraphs(explanation, 0, 1),
        main=lambda: show_chart(_marked_spec(round_), "The real data; shape and colour mark "
                                                      "what the model missed."),
        sections=[("Why, and the better model", lambda: st.markdown(paragraphs(explanation, 1))),
                  ("The shown model beside the better one", side_by_side),
                  ("The same fits as R prints them (summary())", printouts),
                  ("See the lineup again", lambda: _grid(round_, real=real))])


show_question = _grid  # the numbered panels, also on the class projector

if __name__ == "__main__":  # st.Page runs this file; the class projector imports it
    play(GAME, show_reveal, show_question=_grid, form=Form(horizontal=("panel",)))
