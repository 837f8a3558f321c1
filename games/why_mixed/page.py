"""Why a mixed model?: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import streamlit as st

from games import charts
from games.base import Round, Score
from games.ui import cached_round, choice_form, play, show_chart, style_table
from games.why_mixed import charts as why_charts

GAME = "why_mixed"
OPTION_NAMES = {"random": "random: (1 | {f})", "fixed": "fixed: + {f}", "omit": "left out"}


@st.cache_data(max_entries=256, show_spinner=False)
def _data_spec(seed: int, difficulty: str) -> dict:
    round_ = cached_round(GAME, seed, difficulty)
    chart = (why_charts.people_chart(round_.data) if round_.context["variant"] == "shortcut"
             else why_charts.sites_chart(round_.data))
    return charts.to_spec(charts.style(chart, height=380))


def ask(round_: Round):
    ctx = round_.context
    if ctx["variant"] == "factor":
        st.table(why_charts.site_counts(round_.data))
        show_chart(_data_spec(round_.seed, round_.difficulty),
                   "Each site's control and treatment averages joined by a line, coloured "
                   "and dashed by setting.")
        st.caption("One line per site: its participants' average in each condition. "
                   "Solid: clinics; dashed: university labs.")
    else:
        show_chart(_data_spec(round_.seed, round_.difficulty),
                   "Every person's reaction times over the days as thin grey lines, with the "
                   "daily means as orange diamonds.")
        st.caption("Each grey line is one person; a line that stops early is a person who "
                   "dropped out. Orange: the mean of everybody measured that day.")
    with st.expander("The data"):
        st.dataframe(round_.data, hide_index=True, height=260)
    return choice_form(round_, f"{GAME}.form")


def _factor_table(round_: Round):
    table = round_.reveal.tables["fits"].astype(object)
    f = round_.context["factor"]
    table.columns = [OPTION_NAMES[c].format(f=f) for c in table.columns]
    table.index = [_row_name(r, round_.context["term"]) for r in table.index]
    table.loc["fixed parameters"] = [f"{v:.0f}" for v in table.loc["fixed parameters"]]
    return table


def _row_name(row: str, term: str) -> str:
    what = "setting (university − clinic)" if term == "settinguniversity" else \
        "treatment effect"
    return {"estimate": what, "its SE": "its standard error"}.get(row, row)


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    ctx = round_.context
    if ctx["variant"] == "factor":
        st.subheader("Each option, fitted")
        st.table(style_table(_factor_table(round_), 2, na_rep="–"))
        st.caption("Every model also has (1 | participant). –: not in that model, or not "
                   "estimable. Formulas: "
                   + " · ".join(f"`{v}`" for v in ctx["formulas"].values()))
    else:
        st.subheader("The mixed model and the two shortcuts")
        st.table(style_table(round_.reveal.tables["shortcuts"], 2))
        st.caption("Close: an average slope within half of the model's standard error, and a "
                   "standard error within a factor of 1.5 of the model's.")
    st.markdown(round_.reveal.explanation)


play(GAME, ask=ask, show_reveal=show_reveal)
