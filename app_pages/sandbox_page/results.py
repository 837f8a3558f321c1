"""What a fit says: notes in plain words, R's printout, the random- and fixed-effects tables."""

from __future__ import annotations

import streamlit as st

from games.text import plain
from sandbox import Dataset, FitReport
from sandbox.tables import styled

from .common import reml
from .peers import peer_section


def show_fit(ds: Dataset, report: FitReport) -> None:
    for note in report.notes:
        said = (f"lme4 says: *{plain(note.message)}*" if note.from_lme4
                else f"**Note:** {plain(note.message)}")
        text = said + (f"\n\n{note.explanation}" if note.explanation else "")
        (st.warning if note.level == "warning" else st.info)(text)
    st.markdown("**The summary, as R prints it** (`summary(m)` with lmerTest loaded)")
    st.code(report.text, language=None)
    st.markdown("**Random effects:** how much the groups differ, as variances and standard "
                "deviations (SD), and the residual SD within groups.")
    st.dataframe(styled(report.random_effects, 3), hide_index=True, placeholder="")
    st.markdown("**Fixed effects,** with Satterthwaite's degrees of freedom (df) and p-values.")
    st.dataframe(styled(report.fixed_effects, 3), placeholder="")
    st.caption("Estimate: the population's value. Std. Error: how much it would vary from "
               "sample to sample. df: Satterthwaite's degrees of freedom, which depend on how "
               "many groups there are, not just rows. Pr(>|t|): the two-sided p-value.")
    peer_section((ds.key, report.formula, reml()), report)
