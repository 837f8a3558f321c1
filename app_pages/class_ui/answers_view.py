"""The class's answers on the projector: bars for choices, dots for numbers, a table of texts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from classroom.aggregates import spreads
from classroom.charts import choice_bars, number_dots
from games.ui import show_chart

__all__ = ["draw_spreads"]


def draw_spreads(round_, answers, revealed: bool) -> None:
    for spread in spreads(round_, answers):
        if spread.choices:
            show_chart(choice_bars(spread, revealed), _alt(spread, revealed))
        elif spread.numbers:
            show_chart(number_dots(spread, revealed), _alt(spread, revealed))
        elif spread.texts:
            st.markdown(f"**{spread.question.text}**")
            st.dataframe(pd.DataFrame(spread.texts, columns=["answer", "students"]),
                         hide_index=True, width="stretch")


def _alt(spread, revealed: bool) -> str:
    text = f"The class's answers to: {spread.question.text}"
    return text + (" The right answer is marked." if revealed else "")


def interval_chart(interval) -> dict:
    """Each student's interval as a horizontal line, with the model's interval and the truth."""
    import altair as alt

    from games.charts import ACCENT, GOOD, INK, MUTED, style, to_spec

    rows = pd.DataFrame([{"student": i + 1, "lower": lo, "upper": hi}
                         for i, (lo, hi) in enumerate(interval.pairs)])
    lines = alt.Chart(rows).mark_rule(strokeWidth=3, color=MUTED).encode(
        x=alt.X("lower:Q", title="interval", scale=alt.Scale(zero=False)), x2="upper:Q",
        y=alt.Y("student:O", axis=None))
    marks = [("model's interval", interval.reference[0], GOOD),
             ("model's interval", interval.reference[1], GOOD)]
    if interval.estimate is not None:
        marks.append(("estimate", interval.estimate, INK))
    if interval.truth is not None:
        marks.append(("truth", interval.truth, ACCENT))
    ref = pd.DataFrame([{"what": w, "value": v, "colour": c} for w, v, c in marks])
    rules = alt.Chart(ref).mark_rule(strokeDash=[6, 3], strokeWidth=2).encode(
        x="value:Q", color=alt.Color("colour:N", scale=None),
        tooltip=["what:N", alt.Tooltip("value:Q", format=".3g")])
    names = alt.Chart(ref.drop_duplicates("what")).mark_text(
        align="left", dx=4, dy=-6, fontSize=14, fontWeight="bold").encode(
        x="value:Q", y=alt.value(8), text="what:N", color=alt.Color("colour:N", scale=None))
    return to_spec(style(lines + rules + names, height=max(160, 6 * len(rows) + 60)))
