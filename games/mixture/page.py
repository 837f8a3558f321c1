"""Pick the model: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from games import charts
from games.base import Round, Score
from games.mixture import GAME
from games.mixture import charts as mix_charts
from games.mixture.reveal import MODELS, ROWS, SHORT, r_printouts
from games.text import p_words
from games.ui import (
    layered_reveal,
    p_value_text,
    paragraphs,
    play,
    round_cache,
    show_chart,
    style_table,
)

TITLES = {"no_group": "Without group: one normal curve for everybody",
          "group_fixed": "Group as fixed effect: each group its own centre",
          "two_sds": "One SD per group: each group its own spread"}


@round_cache
def _averages_spec(round_: Round) -> dict:
    return charts.to_spec(charts.style(mix_charts.averages_chart(round_.data), height=380))


@round_cache
def _baseline_specs(round_: Round) -> dict:
    details = round_.reveal.details
    values = [v for k in details["baselines"] for v in details["baselines"][k]]
    pad = 0.08 * (max(values) - min(values))
    domain = [min(values) - pad, max(values) + pad]
    return {key: charts.to_spec(charts.style(mix_charts.baselines_chart(
        details["baselines"][key], details["groups"], details["curves"][key], "", domain),
        height=330)) for key in details["baselines"]}


@round_cache
def _printouts(round_: Round) -> dict:
    return r_printouts(round_.data, [round_.context["trap"], round_.context["right"]])


def show_question(round_: Round) -> None:
    show_chart(_averages_spec(round_),
               "Stacked dots: each participant's average value, first all participants "
               "together, then group A (circles) and group B (triangles).")
    st.caption("Each dot is one participant's average over all their measurements. Top row: "
               "everybody together, which is what `(1 | participant)` describes with one "
               "normal distribution. Below: the same dots split by group.")
    with st.expander("The data"):
        st.dataframe(round_.data, hide_index=True, height=240)


def _styled(frame: pd.DataFrame, digits: int = 2):
    """st.table wraps long headers on phones; a dash where a model has no such quantity."""
    return style_table(frame, digits, na_rep="–")


def _columns(round_: Round, answer: dict) -> list[str]:
    keys = [round_.context["trap"], round_.context["right"]]
    chosen = answer.get("model")
    if chosen not in keys and chosen in round_.reveal.tables["fits"].columns:
        keys.append(chosen)
    return keys


def _name(key: str, round_: Round, answer: dict) -> str:
    tags = []
    if key == round_.context["right"]:
        tags.append("right")
    if key == answer.get("model"):
        tags.append("yours")
    return SHORT[key] + (f" ({' and '.join(tags)})" if tags else "")


def _side_by_side(round_: Round, answer: dict) -> None:
    fits = round_.reveal.tables["fits"]
    keys = _columns(round_, answer)
    table = fits[keys + ["truth"]].dropna(how="all", subset=keys)
    table.columns = [_name(k, round_, answer) for k in keys] + ["truth of the simulation"]
    st.table(_styled(table))
    st.caption(" · ".join(f"**{SHORT[k]}**: `{MODELS[k]}`" for k in keys)
               + " · –: not in this model")
    with st.expander("What the rows mean"):
        st.markdown("\n".join(f"- **{row}**: {ROWS[row]}" for row in table.index))
    notes, errors = round_.reveal.details["notes"], round_.reveal.details["errors"]
    for key in keys:
        for note in notes.get(key, []):
            st.info(f"{SHORT[key]}: lme4 says *{note}*")
    chosen = answer.get("model")
    if chosen in errors:
        st.info(f"Your model, `{MODELS[chosen]}`, cannot be fitted to these data: "
                f"{errors[chosen]}")


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    explanation, num = round_.reveal.explanation, round_.reveal.numbers
    details, tables = round_.reveal.details, round_.reveal.tables

    def baselines() -> None:
        for key, spec in _baseline_specs(round_).items():
            st.markdown(f"**{TITLES[key]}**")
            show_chart(spec, f"{SHORT[key]}: each participant's estimated control level as a "
                             "dot (circles group A, triangles group B), with the normal curve "
                             "or curves the model assumes for them.")
        st.caption("Dots: what each model estimates for every participant in the control "
                   "condition. Curves: the normal distribution(s) the model says those levels "
                   "come from, scaled to the number of participants.")

    def test() -> None:
        st.markdown("`anova()`, maximum-likelihood refits")
        st.table(_styled(tables["lrt"], 3).format(p_value_text, subset=["Pr(>Chisq)"]))

    def printouts() -> None:
        for key, text in _printouts(round_).items():
            st.markdown(f"**{SHORT[key]}**")
            st.code(text, language=None)
        st.markdown("**anova()**")
        st.code(details["anova"], language=None)

    def every_model() -> None:
        fits = tables["fits"].drop(columns="truth")
        fits.columns = [SHORT[k] for k in fits.columns]
        st.table(_styled(fits))
        for key, notes in details["notes"].items():
            for note in notes:
                st.caption(f"{SHORT[key]}: lme4 says: {note}")
        for key, error in details["errors"].items():
            st.caption(f"{SHORT[key]}: cannot be fitted. {error}")

    layered_reveal(
        [("Likelihood-ratio test", p_words(num['p_value']),
          "the right model against the trap (anova(), ML refits)"),
         ("AIC: trap → right", f"{num['aic_small']:.0f} → {num['aic_big']:.0f}",
          "lower is better")],
        paragraphs(explanation, 0, 1),
        main=lambda: _side_by_side(round_, answer),
        sections=[("Why, in words", lambda: st.markdown(paragraphs(explanation, 1))),
                  ("What each model believes about the participants", baselines),
                  ("The likelihood-ratio test", test),
                  ("The same fits as R prints them", printouts),
                  ("Every model on offer, fitted", every_model),
                  ("The participants' own averages, by group",
                   lambda: st.table(_styled(pd.DataFrame(tables["raw"]))))])


if __name__ == "__main__":  # st.Page runs this file; the class projector imports it
    play(GAME, show_reveal, show_question=show_question)
