"""One tail or two: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import streamlit as st

from games import charts
from games.base import Round, Score
from games.tails import GAME
from games.tails import charts as tail_charts
from games.tails.reveal import ALPHA
from games.ui import layered_reveal, paragraphs, play, round_cache, show_chart, style_table

HEIGHT = 340


@st.cache_data(max_entries=256, show_spinner=False)
def _t_spec(df: float, t: float, alternative: str, title: str, fill: str) -> dict:
    return charts.to_spec(charts.style(
        tail_charts.t_chart(df, t, alternative, title, fill=fill), height=HEIGHT))


@st.cache_data(max_entries=256, show_spinner=False)
def _f_spec(df: float, f: float, title: str) -> dict:
    return charts.to_spec(charts.style(tail_charts.f_chart(df, f, title), height=HEIGHT))


@round_cache
def _data_spec(round_: Round) -> dict:
    chart = charts.condition_plot(round_.data, round_.context["response"],
                                  round_.context["unit"])
    return charts.to_spec(charts.style(chart, height=380))


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    num, anova = round_.reveal.numbers, round_.context["variant"] == "anova"
    explanation = round_.reveal.explanation
    if anova:
        numbers = [_p("p-value (F and two-tailed t alike)", num["p_two-sided"])]
    else:
        chosen, right = answer["test"], round_.solution["test"]
        numbers = [_p("p-value of the matching test", num[f"p_{right}"])]
        if chosen != right:
            numbers.insert(0, _p("p-value of your test", num[f"p_{chosen}"]))

    def tests() -> None:
        st.table(style_table(round_.reveal.tables["tests"], 4).hide(axis="index"))

    def data() -> None:
        show_chart(_data_spec(round_),
                   "Each participant's values in the control and treatment conditions, "
                   "joined by a line, with the condition means as diamonds.")
        st.dataframe(round_.data, hide_index=True, height=240)

    layered_reveal(
        numbers, paragraphs(explanation, 0, 1),
        main=(lambda: _anova_pictures(num)) if anova else (lambda: _t_pictures(round_, answer,
                                                                                num)),
        sections=[("Why, step by step", lambda: st.markdown(paragraphs(explanation, 1))),
                  ("Every possible test on these data", tests),
                  ("The data: each participant's two measurements", data)])


def _p(label: str, p: float) -> tuple[str, str, str]:
    return (label, f"{p:.4f}", "significant at 0.05" if p < ALPHA else "not significant at 0.05")


def _t_alt(num: dict, alternative: str) -> str:
    return (f"The t distribution on {num['df']:.0f} degrees of freedom with the rejection "
            f"region of the {tail_charts.REGION_WORDS[alternative]} test shaded, and the "
            f"observed t = {num['t']:.2f} marked.")


def _t_pictures(round_: Round, answer: dict, num: dict) -> None:
    right, chosen = round_.solution["test"], answer["test"]
    df, t = num["df"], num["t"]
    words = tail_charts.REGION_WORDS
    if chosen == right:
        show_chart(_t_spec(df, t, right, f"Your test = the matching test ({words[right]})",
                           charts.GOOD), _t_alt(num, right))
    else:
        show_chart(_t_spec(df, t, chosen, f"Your test ({words[chosen]})", charts.ACCENT),
                   _t_alt(num, chosen))
        show_chart(_t_spec(df, t, right, f"The matching test ({words[right]})", charts.GOOD),
                   _t_alt(num, right))
    st.caption("Shaded: where t must fall for p < 0.05. Dashed line: the t value of these data.")


def _anova_pictures(num: dict) -> None:
    show_chart(_f_spec(num["df"], num["F"], "The F test: one tail, large F"),
               f"The F distribution on 1 and {num['df']:.0f} degrees of freedom with only the "
               f"upper tail shaded, and the observed F = {num['F']:.2f} marked.")
    show_chart(_t_spec(num["df"], num["t"], "two-sided",
                       "The same comparison as a t test: both tails", charts.GOOD),
               _t_alt(num, "two-sided"))
    st.caption(f"F = t² = {num['F']:.2f}. Both shaded tails of t (|t| > "
               f"{num['t_crit_two']:.2f}) become the single shaded tail of F (F > "
               f"{num['F_crit']:.2f}).")


if __name__ == "__main__":  # st.Page runs this file; the class projector imports it
    play(GAME, show_reveal)
