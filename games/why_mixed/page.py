"""Why a mixed model?: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import streamlit as st

from games import charts
from games.base import Round, Score
from games.ui import layered_reveal, paragraphs, play, round_cache, show_chart, style_table
from games.why_mixed import GAME
from games.why_mixed import charts as why_charts

OPTION_NAMES = {"random": "random: (1 | {f})", "fixed": "fixed: + {f}", "omit": "left out"}


@round_cache
def _data_spec(round_: Round) -> dict:
    chart = (why_charts.people_chart(round_.data) if round_.context["variant"] == "shortcut"
             else why_charts.sites_chart(round_.data))
    return charts.to_spec(charts.style(chart, height=380))


def show_question(round_: Round) -> None:
    if round_.context["variant"] == "factor":
        st.table(why_charts.site_counts(round_.data))
        show_chart(_data_spec(round_),
                   "Each site's control and treatment averages joined by a line, coloured "
                   "and dashed by setting.")
        st.caption("One line per site: its participants' average in each condition. "
                   "Solid: clinics; dashed: university labs.")
    else:
        show_chart(_data_spec(round_),
                   "Every person's reaction times over the days as thin grey lines, with the "
                   "daily means as orange diamonds.")
        st.caption("Each grey line is one person; a line that stops early is a person who "
                   "dropped out. Orange: the mean of everybody measured that day.")
    with st.expander("The data"):
        st.dataframe(round_.data, hide_index=True, height=260)


def _factor_table(round_: Round):
    table = round_.reveal.tables["fits"].astype(object)
    f = round_.context["factor"]
    table.columns = [OPTION_NAMES[c].format(f=f) for c in table.columns]
    what = ("setting (university − clinic)" if round_.context["term"] == "settinguniversity"
            else "treatment effect")
    table.index = [{"estimate": what, "its SE": "its standard error"}.get(r, r)
                   for r in table.index]
    table.loc["fixed parameters"] = [f"{v:.0f}" for v in table.loc["fixed parameters"]]
    return table


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    ctx, num, explanation = round_.context, round_.reveal.numbers, round_.reveal.explanation
    if ctx["variant"] == "factor":
        right = round_.solution["factor"]
        numbers = [("How many sites", str(ctx["n_sites"])),
                   (f"{ctx['factor']} should be", OPTION_NAMES[right].format(f=ctx["factor"]))]

        def main() -> None:
            st.table(style_table(_factor_table(round_), 2, na_rep="–"))
            st.caption("Every model also has (1 | participant). –: not in that model, or not "
                       "estimable. Formulas: "
                       + " · ".join(f"`{v}`" for v in ctx["formulas"].values()))
    else:
        numbers = [("Mixed model: average slope", f"{num['model_estimate']:.2f}",
                    f"SE {num['model_se']:.2f} ms/day"),
                   ("Close to it", {"separate": "separate regressions",
                                    "means": "regression on the means", "both": "both",
                                    "neither": "neither"}[round_.solution["shortcut"]])]

        def main() -> None:
            st.table(style_table(round_.reveal.tables["shortcuts"], 2))
            st.caption("Close: an average slope within half of the model's standard error, "
                       "and a standard error within a factor of 1.5 of the model's.")
    layered_reveal(numbers, paragraphs(explanation, 0, 1), main=main,
                   sections=[("Why, in words", lambda: st.markdown(paragraphs(explanation, 1))),
                             ("The data again", lambda: show_chart(
                                 _data_spec(round_), "The round's data, as in the question."))])


play(GAME, show_reveal, show_question=show_question)
