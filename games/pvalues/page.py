"""Reviewer #2 wants p-values: the page (run by st.Page; the round logic is in logic.py).

The parametric bootstrap of the likelihood ratio is the game's slow reveal (GAME.slow,
reveal.reveal_numbers): the round loop runs it once per round after the answer, under a progress
bar; show_reveal reads it with slow_result.
"""

from __future__ import annotations

import streamlit as st

from games import charts
from games.base import Round, Score
from games.peers import compare
from games.pvalues import GAME
from games.pvalues import charts as p_charts
from games.pvalues.reveal import bootstrap_words, tests_table
from games.ui import (
    layered_reveal,
    p_value_text,
    paragraphs,
    play,
    round_cache,
    show_chart,
    slow_result,
    style_table,
)


def show_question(round_: Round) -> None:
    st.markdown("**`summary(model)`, as lme4 prints it**")
    st.code(round_.context["summary"], language=None)


@round_cache(max_entries=64, show_spinner="Fitting the same model with statsmodels…")
def _statsmodels(round_: Round):
    """statsmodels' MixedLM on the round's model, beside lmerTest (games.peers)."""
    return compare(round_.context["formula"], round_.data, focus=round_.context["term"])


def _peer_section(round_: Round) -> None:
    peer = _statsmodels(round_)
    table = peer.compact().copy()
    for column in ("lmerTest p", "statsmodels p"):
        if column in table:
            table[column] = [p_value_text(p) for p in table[column]]
    st.dataframe(style_table(table, 3), width="stretch")
    st.caption("Estimate, SE and t: the same in both fits. lmerTest reads t on its "
               "Satterthwaite df; statsmodels' MixedLM reads it as z (no df). The SDs of both "
               "fits are in the table below." if peer.agree else
               "lme4 and lmerTest on the left (Satterthwaite df); statsmodels' MixedLM on the "
               "right (z, no df). The SDs of both fits are in the table below.")
    st.markdown(peer.explanation)
    for note in peer.notes:
        st.caption(note)
    st.dataframe(style_table(peer.random, 3), width="stretch")


@round_cache(max_entries=64)
def _specs(round_: Round) -> dict:
    """The reveal's pictures."""
    num, boot = round_.reveal.numbers, slow_result(round_)
    return {
        "cutoff": charts.to_spec(charts.style(p_charts.cutoff_chart(
            num["t"], num["df_satt"], "Where t must fall: z test versus lmerTest"),
            height=340)),
        "null": charts.to_spec(charts.style(p_charts.null_chart(
            boot["values"], boot["observed"],
            f"{boot['n_ok']} studies simulated without the effect"), height=340)),
    }


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    ctx, num, explanation = round_.context, round_.reveal.numbers, round_.reveal.explanation
    boot = slow_result(round_)
    specs = _specs(round_)

    def tests() -> None:
        st.table(style_table(tests_table(num, boot), 4).hide(axis="index"))
        st.caption(f"The same t value judged three ways (lmerTest's t, z, t with n − p df), and "
                   f"the likelihood ratio judged two ways: against the χ² curve, and against "
                   f"{boot['n_ok']} studies simulated without the effect (bootstrap).")

    def cutoff() -> None:
        show_chart(specs["cutoff"], f"The normal curve and the t curve on {num['df_satt']:.1f} "
                                    f"df with their cut-offs 1.96 and {num['crit_t']:.2f}, and "
                                    f"the observed t = {num['t']:.2f}.")
        st.caption("Dashed grey: the z test's curve and cut-off. Solid green: lmerTest's t "
                   "curve and cut-off. Orange: your data's t. Fewer df give the t curve heavier "
                   "tails, so its cut-off moves out.")

    def null() -> None:
        show_chart(specs["null"], "Histogram of the likelihood ratios of studies simulated "
                                  "without the effect, with the chi-square curve and the "
                                  f"observed ratio {boot['observed']:.2f} marked.")
        st.caption("Green bars: likelihood ratios when the effect is truly zero. Dashed curve: "
                   "the χ² distribution the likelihood-ratio test assumes. Where the bars reach "
                   "further right than the curve, the χ² test's p-values are too small.")
        st.markdown(bootstrap_words(round_, boot))

    def coefficients() -> None:
        st.markdown(f"The question was about `{ctx['term']}`.")
        st.dataframe(style_table(round_.reveal.tables["coefficients"], 4))

    layered_reveal(
        [("lmerTest's df (Satterthwaite)", f"{num['df_satt']:.1f}"),
         ("t value", f"{num['t']:.2f}", f"cut-off for p < 0.05: ±{num['crit_t']:.2f}")],
        paragraphs(explanation, 0, 1), main=tests,
        sections=[("Why, in words", lambda: st.markdown(paragraphs(explanation, 1))),
                  ("Where t must fall: z test versus lmerTest", cutoff),
                  ("Simulated studies without the effect (bootstrap)", null),
                  ("Satterthwaite df for every fixed effect", coefficients),
                  ("What Python's statsmodels says (MixedLM, the same model)",
                   lambda: _peer_section(round_)),
                  ("What Reviewer #2 gets: lmerTest's summary",
                   lambda: st.code(ctx["summary_lmertest"], language=None)),
                  ("The likelihood-ratio test: anova(without, with)",
                   lambda: st.code(ctx["anova"], language=None)),
                  ("The data", lambda: st.dataframe(round_.data, hide_index=True,
                                                    height=260))])


if __name__ == "__main__":  # st.Page runs this file; the class projector imports it
    play(GAME, show_reveal, show_question=show_question)
