"""Fix my model: the page (run by st.Page; the round logic is in logic.py).

The allFit refits ("other optimizers") are the game's slow reveal (GAME.slow): the round loop
runs them once per round after the answer, and show_reveal reads them with slow_result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from games import charts
from games.base import Round, Score
from games.convergence import GAME
from games.convergence import charts as conv_charts
from games.convergence.reveal import LABELS, remedy_table
from games.ui import layered_reveal, paragraphs, play, round_cache, show_chart, slow_result


@round_cache
def _data_spec(round_: Round) -> dict:
    chart = conv_charts.data_chart(round_.data, round_.context["predictors"])
    return charts.to_spec(charts.style(chart, height=None))


@round_cache
def _lines_specs(round_: Round) -> list[dict]:
    """The schools' lines before and after the cure, on the same axes."""
    details, ctx = round_.reveal.details, round_.context
    x = ctx["predictors"][0]
    values = round_.data[x]
    x_domain = ([0.0, float(np.ceil(values.max() / 500) * 500)] if ctx["problem"] == "scale"
                else [float(values.min()), float(values.max())])
    best = details["best"]
    models = [("your model (maximal)", details["original"]["coef"], charts.ACCENT),
              (f"after: {LABELS[best]}", details["refits"][best]["coef"], charts.GOOD)]
    scores = pd.concat([round_.data["score"]] + [
        conv_charts.line_rows(coef, x, x_domain)["score"] for _, coef, _ in models])
    pad = 0.05 * float(scores.max() - scores.min())
    y_domain = [float(scores.min()) - pad, float(scores.max()) + pad]
    return [charts.to_spec(charts.style(conv_charts.lines_chart(
        round_.data, coef, x, x_domain, y_domain, title, colour), height=330))
        for title, coef, colour in models]


@round_cache
def _optimizer_spec(round_: Round) -> dict:
    """The allFit picture (the refits themselves are the game's slow reveal)."""
    spec = conv_charts.optimizer_chart(slow_result(round_)["points"],
                                       "Each optimizer's log-likelihood")
    return charts.to_spec(charts.style(spec, height=330))


def show_question(round_: Round) -> None:
    ctx = round_.context
    st.markdown("**What R printed**")
    st.code(ctx["r_summary"], language=None)
    said = "\n".join("- `" + " ".join(line.strip() for line in m.splitlines()) + "`"
                     for m in ctx["messages"])
    st.warning(f"**R's message{'s' if len(ctx['messages']) > 1 else ''}:**\n\n{said}",
               icon=":material/warning:")
    with st.expander("The data: each school's pupils, with the school's own line",
                     expanded=ctx["hint"]):
        show_chart(_data_spec(round_),
                   "Test score against " + " and ".join(ctx["predictors"]) + ", one panel "
                   "per school, with each school's own least-squares line.")


def _with_picks(table: pd.DataFrame, round_: Round, answer: dict) -> pd.DataFrame:
    """The remedies table with each offered option's points and the learner's pick."""
    points = round_.reveal.details["points"]
    keys = _row_keys(round_, table)
    out = table.copy()
    out.insert(1, "points", [str(points[k]) if k in points else "" for k in keys])
    out.insert(1, "your pick", ["you" if k == answer.get("remedy") else "" for k in keys])
    return out


def _row_keys(round_: Round, table: pd.DataFrame) -> list[str]:
    words = {v: k for k, v in LABELS.items()}
    return [words.get(r, "drop_data" if r.startswith("delete ") else r)
            for r in table["remedy"]]


SUMMARY_COLUMNS = ["remedy", "your pick", "points", "still warns?", "R says"]


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    details, num = round_.reveal.details, round_.reveal.numbers
    explanation, opt = round_.reveal.explanation, slow_result(round_)
    full = _with_picks(remedy_table(details["original"], details["refits"], details["truth"],
                                    {"optimizers": opt["row"]}), round_, answer)

    def remedies() -> None:
        st.table(full[SUMMARY_COLUMNS].set_index("remedy"))
        st.caption("The 'other optimizers' row comes from allFit (its own section below); every "
                   "remedy's fitted numbers are in the next section.")

    def numbers() -> None:
        st.dataframe(full.drop(columns=SUMMARY_COLUMNS[1:]), hide_index=True)
        st.caption("Scroll sideways for every column. Numbers in the data's own units (the "
                   "centred-and-scaled fit is translated back). Fixed effects with their "
                   "standard errors in brackets. Log-likelihoods (REML) compare rows fitted "
                   "to the same data with the same fixed effects.")

    def lines() -> None:
        for spec, col in zip(_lines_specs(round_), st.columns(2), strict=True):
            show_chart(spec, f"{spec['title']}: each school's fitted line over the pupils' "
                             "scores.", where=col)
        st.caption(_lines_caption(round_))

    def all_fit() -> None:
        st.markdown(opt["explanation"])
        show_chart(_optimizer_spec(round_), "Each optimizer's log-likelihood, marked by whether "
                                            "it still warns.")
        st.caption("lme4's allFit(): the same model refitted with each optimizer, under lme4's "
                   "names. Triangles: still warns; circles: no message.")
        st.table(opt["table"][["optimizer", "still warns?", "log-likelihood"]].set_index(
            "optimizer"))
        st.markdown("**Every optimizer's estimates**")
        st.dataframe(opt["table"], hide_index=True)
        st.caption("Scroll sideways for every column.")

    def r_output() -> None:
        best = details["refits"][details["best"]]
        st.markdown(f"`{best['formula']}`" + (
            " (income centred and scaled: these numbers are per SD of income, at the "
            "average income)" if details["best"] == "center_scale" else ""))
        st.code(best["r_summary"], language=None)

    layered_reveal(
        [("Log-likelihood: yours → cured", f"{num['loglik_original']:.1f} → "
                                           f"{num['loglik_best']:.1f}",
          "REML; higher fits better (same data, same fixed effects)")],
        f"**The cure:** {LABELS[details['best']]}.\n\n" + paragraphs(explanation, 0, 1),
        main=remedies,
        sections=[("Why, in words", lambda: st.markdown(paragraphs(explanation, 1))),
                  ("The fitted numbers of every remedy", numbers),
                  ("Before and after the cure (pictures)", lines),
                  ("Try other optimizers: allFit", all_fit),
                  ("R's output after the cure", r_output)])


def _lines_caption(round_: Round) -> str:
    problem, x = round_.context["problem"], round_.context["predictors"][0]
    if problem == "scale":
        return ("The lines run back to income 0, where the intercept lives: a small spread "
                "of slopes becomes a wide spread of intercepts. After centering and scaling "
                "(translated back) the lines are the same: one model in two sets of units.")
    if problem == "singular":
        cors = [r for r in round_.reveal.details["original"]["cor"].values() if r is not None]
        crossing = ("the schools' lines all cross at one point (correlation ±1)"
                    if cors and abs(cors[0]) > 0.99 else "the slopes barely differ")
        return (f"Maximal model: {crossing}. After simplifying: parallel lines, one shared "
                "slope, which is the truth here.")
    return (f"Lines for {x} with anxiety at 0 (its average). Dropping the correlations keeps "
            "every school's own slopes.")


if __name__ == "__main__":  # st.Page runs this file; the class projector imports it
    play(GAME, show_reveal, show_question=show_question)
