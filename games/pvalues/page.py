"""Reviewer #2 wants p-values: the page (run by st.Page; the round logic is in logic.py).

The parametric bootstrap of the likelihood ratio runs on demand after the answer, under a
progress bar, cached by (seed, difficulty): reveal.reveal_numbers is pure, so the cache is
exact.
"""

from __future__ import annotations

import streamlit as st

from games import charts
from games.base import Round, Score
from games.peers import compare
from games.pvalues import charts as p_charts
from games.pvalues.reveal import bootstrap_words, reveal_numbers, tests_table
from games.ui import (
    cached_round,
    p_value_text,
    play,
    run_with_progress,
    show_chart,
    style_table,
)

GAME = "pvalues"


def ask(round_: Round):
    ctx = round_.context
    st.markdown("**`summary(model)`, as lme4 prints it**")
    st.code(ctx["summary"], language=None)
    with st.form(f"{GAME}.form.box", enter_to_submit=False):
        values = {}
        for q in round_.questions:
            key = f"{GAME}.form.{q.id}"
            if q.kind == "number":
                values[q.id] = st.number_input(
                    q.text, min_value=float(q.low), max_value=float(q.high), value=None,
                    step=float(q.step), format="%.1f", key=key, help=q.help,
                    placeholder=f"from {q.low:.0f} to {q.high:.0f}")
            else:
                values[q.id] = st.radio(q.text, [o.value for o in q.options], index=None,
                                        format_func=q.label_of, key=key)
        submitted = st.form_submit_button("Check my answer", type="primary")
    if not submitted:
        return None
    missing = [q.text for q in round_.questions if values[q.id] is None]
    if missing:
        st.warning("Answer every question first: " + " · ".join(missing))
        return None
    return values


@st.cache_data(max_entries=64, show_spinner=False)
def _bootstrap(seed: int, difficulty: str) -> dict:
    """The parametric bootstrap of the likelihood ratio (two ML refits per simulation)."""
    round_ = cached_round(GAME, seed, difficulty)
    return run_with_progress(lambda progress: reveal_numbers(round_, progress=progress),
                             "Simulating studies without the effect")


@st.cache_data(max_entries=64, show_spinner="Fitting the same model with statsmodels…")
def _statsmodels(seed: int, difficulty: str):
    """statsmodels' MixedLM on the round's model, beside lmerTest (games.peers)."""
    round_ = cached_round(GAME, seed, difficulty)
    return compare(round_.context["formula"], round_.data, focus=round_.context["term"])


def _peer_section(round_: Round) -> None:
    peer = _statsmodels(round_.seed, round_.difficulty)
    st.markdown("**What Python's statsmodels says** (`MixedLM`, the same model)")
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


@st.cache_data(max_entries=64, show_spinner=False)
def _specs(seed: int, difficulty: str, _boot: dict) -> dict:
    """The reveal's pictures (``_boot`` is not hashed: it is fixed by seed and difficulty)."""
    round_ = cached_round(GAME, seed, difficulty)
    num = round_.reveal.numbers
    return {
        "cutoff": charts.to_spec(charts.style(p_charts.cutoff_chart(
            num["t"], num["df_satt"], "Where t must fall: z test versus lmerTest"),
            height=340)),
        "null": charts.to_spec(charts.style(p_charts.null_chart(
            _boot["values"], _boot["observed"],
            f"{_boot['n_ok']} studies simulated without the effect"), height=340)),
    }


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    ctx, num = round_.context, round_.reveal.numbers
    st.subheader("What lmerTest says, and the others")
    st.markdown(round_.reveal.explanation)
    boot = _bootstrap(round_.seed, round_.difficulty)
    specs = _specs(round_.seed, round_.difficulty, boot)
    st.markdown("**Five tests of one effect**")
    st.dataframe(style_table(tests_table(num, boot), 4), hide_index=True)
    st.caption(f"The same t value judged three ways (lmerTest's t, z, t with n − p df), and "
               f"the likelihood ratio judged two ways: against the χ² curve, and against "
               f"{boot['n_ok']} studies simulated without the effect (bootstrap).")
    show_chart(specs["cutoff"], f"The normal curve and the t curve on {num['df_satt']:.1f} df "
                                f"with their cut-offs 1.96 and {num['crit_t']:.2f}, and the "
                                f"observed t = {num['t']:.2f}.")
    st.caption("Dashed grey: the z test's curve and cut-off. Solid green: lmerTest's t curve "
               "and cut-off. Orange: your data's t. Fewer df give the t curve heavier tails, "
               "so its cut-off moves out.")
    show_chart(specs["null"], "Histogram of the likelihood ratios of studies simulated "
                              "without the effect, with the chi-square curve and the observed "
                              f"ratio {boot['observed']:.2f} marked.")
    st.caption("Green bars: likelihood ratios when the effect is truly zero. Dashed curve: "
               "the χ² distribution the likelihood-ratio test assumes. Where the bars reach "
               "further right than the curve, the χ² test's p-values are too small.")
    st.markdown(bootstrap_words(round_, boot))
    st.markdown(f"**Satterthwaite df for every fixed effect** (the question was about "
                f"`{ctx['term']}`)")
    st.dataframe(style_table(round_.reveal.tables["coefficients"], 4))
    _peer_section(round_)
    with st.expander("What Reviewer #2 gets: lmerTest's summary"):
        st.code(ctx["summary_lmertest"], language=None)
    with st.expander("The likelihood-ratio test: anova(without, with)"):
        st.code(ctx["anova"], language=None)
    with st.expander("The data"):
        st.dataframe(round_.data, hide_index=True, height=260)


play(GAME, ask=ask, show_reveal=show_reveal)
