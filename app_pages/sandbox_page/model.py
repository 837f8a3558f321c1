"""2 · The model: the formula box, structural mistakes explained before fitting, the fit."""

from __future__ import annotations

import streamlit as st

from games.text import literal
from sandbox import Dataset, FitReport, memory
from sandbox.fitting import tidy
from sandbox.mistakes import Problem, check_model

from .common import set_formula
from .fitting import fit
from .results import show_fit

FORMULA_HELP = (
    "lme4's syntax: outcome ~ fixed effects + (random effects | grouping factor). "
    "`1` is the intercept; `a * b` means a + b + a:b; `(1 | subject)` gives each subject its "
    "own intercept, `(1 + days | subject)` its own intercept and slope, `(1 + days || subject)` "
    "the same without their correlation. Functions: log(), sqrt(), scale(), I(x^2).")


def model_section(ds: Dataset) -> FitReport | None:
    """The formula box and, when the model can be fitted, its fit and summary."""
    st.subheader("2 · The model")
    formula = _formula_box(ds)
    if not formula:
        st.info(f"Type a model formula above, for example {literal(ds.formula, limit=2000)}.")
        return None
    memory.remember(st.session_state, ds.family, formula)
    if not _checked(ds, tidy(formula)):
        return None
    report = fit(ds, formula)
    if report is not None:
        show_fit(ds, report)
    return report


# ----- the formula box ----------------------------------------------------------------------------
def _restore_earlier(family: str) -> None:
    chosen = st.session_state.get("sandbox.earlier")
    if chosen:
        set_formula(family, chosen)
    st.session_state["sandbox.earlier"] = None


def _formula_box(ds: Dataset) -> str:
    st.text_input("Model formula (lme4 syntax)", key="sandbox.formula", help=FORMULA_HELP,
                  placeholder=ds.formula, persist_state="session")
    left, right = st.columns([1, 1], vertical_alignment="center")
    left.button("Fit the model", key="sandbox.fit", type="primary", width="stretch",
                help="Enter in the box fits it too.")
    right.checkbox("REML (lmer's default)", key="sandbox.reml", persist_state="session",
                   help="REML gives better variance estimates; untick it for maximum "
                        "likelihood (ML), needed to compare models with different fixed "
                        "effects by a likelihood-ratio test.")
    formula = st.session_state.get("sandbox.formula", "").strip()
    st.session_state[memory.FORMULAS][ds.family] = formula
    columns = ", ".join(literal(c) for c in ds.data.columns)
    start = literal(ds.formula, limit=2000)
    st.caption(f"Columns: {columns}. Starting formula for these data: {start}")
    history = memory.history(st.session_state, ds.family, formula)
    cols = st.columns(2)
    if formula != ds.formula:
        cols[0].button("Back to the starting formula", key="sandbox.reset", width="stretch",
                       on_click=set_formula, args=(ds.family, ds.formula))
    if history:
        cols[1].selectbox("Earlier formulas", history, index=None, key="sandbox.earlier",
                          placeholder="Bring back an earlier formula", label_visibility="collapsed",
                          on_change=_restore_earlier, args=(ds.family,))
    return formula


# ----- mistakes before fitting --------------------------------------------------------------------
@st.cache_data(max_entries=64, show_spinner=False)
def _problems(key: str, formula: str, _data) -> tuple[Problem, ...]:
    return check_model(formula, _data)


def _fit_anyway(key: str, formula: str) -> None:
    st.session_state.setdefault("sandbox.anyway", set()).add((key, formula))


def _checked(ds: Dataset, formula: str) -> bool:
    """Explain the formula's structural mistakes; whether to go on and fit it."""
    problems = _problems(ds.key, formula, _data=ds.data)
    anyway = (ds.key, formula) in st.session_state.get("sandbox.anyway", set())
    blocking = [p for p in problems if p.blocks and not (anyway and p.severity == "mistake")]
    for p in problems:
        if p in blocking:
            st.error(p.text, icon=":material/block:")
        else:
            st.warning(p.text, icon=":material/warning:")
    if not blocking:
        return True
    fix = next((p.fix for p in blocking if p.fix), None)
    if fix:
        st.markdown("The same model, each part written once:")
        st.code(fix, language=None)
    left, right = st.columns(2)
    if fix:
        left.button("Use this formula", key="sandbox.use_fix", type="primary", width="stretch",
                    on_click=set_formula, args=(ds.family, fix))
    anyway_allowed = all(p.severity == "mistake" for p in blocking)
    if anyway_allowed:
        right.button("Fit it anyway, to see what lme4 does", key="sandbox.fit_anyway",
                     width="stretch", on_click=_fit_anyway, args=(ds.key, formula))
    st.caption("Your formula is still in the box: edit it there"
               + (", or use a button." if fix or anyway_allowed else "."))
    return False
