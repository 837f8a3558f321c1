"""3 · Pooling and shrinkage: one group up close, every group's arrow, every group's lines."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import lmm_core
from games.text import literal, plain
from games.ui import show_chart
from sandbox import Dataset, FitReport, pooling_plan, pooling_view
from sandbox.tables import styled
from sandbox.walkthrough import incomplete_groups

from .common import reml


@st.cache_data(max_entries=64, show_spinner="Fitting the three kinds of pooling…")
def _pooling(key: str, response: str, predictor: str, group: str, reml: bool,
             _data: pd.DataFrame):
    return lmm_core.pooling(_data, response, predictor, group, reml=reml)


@st.cache_data(max_entries=64, show_spinner=False)
def _pooling_specs(key: str, columns: tuple, reml: bool, focus: str, shown: tuple,
                   highlight: tuple, _data: pd.DataFrame) -> dict:
    pool = _pooling(key, *columns, reml, _data=_data)
    return pooling_view.pooling_specs(_data, pool, focus, list(shown), highlight)


def _choices(ds: Dataset, plan) -> tuple[str, str, str]:
    """Three selectboxes with the formula's defaults; a new formula resets them to its defaults,
    the learner's own choice stays while the formula implies the same columns."""
    ss = st.session_state
    defaults = (plan.response, plan.predictor, plan.group)
    options = (plan.responses, plan.predictors, plan.groups)
    keys = ("sandbox.pool_response", "sandbox.pool_predictor", "sandbox.pool_group")
    changed = ss["sandbox.pool_defaults"].get(ds.family) != defaults
    ss["sandbox.pool_defaults"][ds.family] = defaults
    for key, default, opts in zip(keys, defaults, options, strict=True):
        if changed or ss.get(key) not in opts:
            ss[key] = default if default in opts else opts[0]
    cols = st.columns(3)
    labels = ("Outcome", "Predictor (numeric)", "Grouping factor")
    return tuple(col.selectbox(label, opts, key=key)
                 for col, label, opts, key in zip(cols, labels, options, keys, strict=True))


def pooling_section(ds: Dataset, report: FitReport) -> None:
    st.subheader("3 · Pooling and shrinkage")
    plan = pooling_plan(report.formula, ds.data)
    if not plan.applies:
        hint = ("" if ds.key.startswith("upload:") else " To see pooling, pick the sleep study, "
                "or the simulated sleep, schools or convergence studies.")
        st.info(plan.reason + hint)
        return
    response, predictor, group = _choices(ds, plan)
    if len({response, predictor, group}) < 3:
        st.warning("Pick three different columns: an outcome, a numeric predictor and a "
                   "grouping factor.")
        return
    try:
        pool = _pooling(ds.key, response, predictor, group, reml(), _data=ds.data)
    except lmm_core.LmmError as error:
        st.warning(f"No pooling plot for these columns: {plain(error)}")
        return
    r, p, g = plain(response), plain(predictor), plain(group)
    st.caption(f"Three ways to draw a line of {r} over {p} for each {g}: one line for "
               f"everybody (complete pooling), a separate regression for each {g} (no "
               f"pooling), and the mixed model "
               f"{literal(f'{response} ~ {predictor} + ({predictor} | {group})')} (partial "
               "pooling).")
    for note in pool.fit.messages:
        st.caption(f"The pooling model's fit: *{plain(note)}*")
    _pictures(ds, pool, (response, predictor, group))


def _pictures(ds: Dataset, pool, columns: tuple[str, str, str]) -> None:
    group = columns[2]
    g = plain(group)
    groups = [str(x) for x in pool.groups.index]
    few = tuple(incomplete_groups(pool.groups)[:3])
    focus = st.selectbox(f"Look closer at one {g}", groups, key="sandbox.pool_focus",
                         index=groups.index(pooling_view.first_focus(pool, few)))
    panels = tuple(pooling_view.panels(pool, few))
    specs = _pooling_specs(ds.key, columns, reml(), focus, panels, few, _data=ds.data)
    show_chart(specs["focus"], f"{group} {focus}: its observations with the complete, no and "
                               "partial pooling lines.")
    st.markdown(pooling_view.focus_words(pool, focus))
    st.markdown("**Shrinkage: every group at once**")
    show_chart(specs["shrinkage"], f"Each {group}'s intercept and slope: an arrow from its own "
                                   "estimate to the mixed model's, inside the population's 50% "
                                   "and 95% contours.")
    named = ", ".join(plain(x) for x in few)
    st.caption(f"Each arrow runs from a {g}'s own estimate (open circle) to the mixed "
               "model's (filled circle), toward the cross: the population's intercept and "
               "slope (the fixed effects). Dashed rings: where the model expects 50% and 95% "
               f"of the {g}s. A {g} with one observation has no own slope: only its filled "
               "circle is drawn." + (f" Named: {named}, with the fewest observations."
                                     if few else ""))
    shown = f"{len(panels)} of {len(groups)}" if len(groups) > len(panels) else f"all {len(groups)}"
    st.markdown(f"**Every {g}'s lines** ({shown}; number of observations in brackets)")
    st.vega_lite_chart(spec=specs["panels"], alt=f"Small panels, one per {group}, with its "
                                                 "observations and the three lines.")
    with st.expander(f"The numbers for every {g}"):
        st.dataframe(styled(pooling_view.pool_table(pool), 2), placeholder="")
        st.caption("pulled %: how far of the way from the own estimate to the population's "
                   "the mixed model moved it (0 = not at all, 100 = all the way). It can be "
                   "below 0 or above 100 when intercept and slope move together.")
