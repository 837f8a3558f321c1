"""What statsmodels' MixedLM says about the learner's model, beside lmerTest (games.peers):
for Python users, who meet statsmodels first and see smaller p-values there."""

from __future__ import annotations

import streamlit as st

from games.peers import compare_with_statsmodels
from games.text import plain
from sandbox import FitReport, limits
from sandbox.limits import duration
from sandbox.tables import p_value, styled


@st.cache_data(max_entries=32, show_spinner="Fitting the same model with statsmodels…")
def _compare(key: str, formula: str, reml: bool, _report: FitReport):
    return compare_with_statsmodels(_report.fit)


def peer_section(fit_key: tuple, report: FitReport) -> None:
    """A toggle; when on, statsmodels' estimates and p-values beside lmerTest's, and why."""
    if not st.toggle("Compare with Python's statsmodels (MixedLM)", key="sandbox.peer",
                     help="statsmodels' MixedLM fits the same model and prints z-based "
                          "p-values; see how they differ from lmerTest's, and why."):
        return
    if report.seconds >= limits.QUICK_SECONDS:
        st.info(f"Left out for this model: lme4 took {duration(report.seconds)} to fit it, and "
                "statsmodels, which cannot be stopped here, would take at least as long.")
        return
    peer = _compare(*fit_key, _report=report)
    if not peer.supported:
        st.info(peer.explanation, icon=":material/info:")
        return
    table = peer.compact().copy()
    for column in ("lmerTest p", "statsmodels p"):
        table[column] = [p_value(p) for p in table[column]]
    st.dataframe(styled(table, 3), placeholder="")
    st.caption("Estimate, SE and t: the same in both fits. lmerTest reads t on its "
               "Satterthwaite df; statsmodels' MixedLM reads it as z (no df)." if peer.agree
               else "lme4 and lmerTest first (Satterthwaite df); statsmodels' MixedLM after "
                    "them (z, no df).")
    st.markdown(peer.explanation)
    for note in peer.notes:
        st.caption(plain(note))
    st.dataframe(styled(peer.random, 3), placeholder="")
    st.caption("The SDs and correlations of the random effects, and the residual SD, in both "
               "fits.")
