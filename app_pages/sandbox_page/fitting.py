"""The fit itself, with a time limit: quick models are fitted (and cached) at once; a model
estimated to take longer waits for a click, shows its estimate, and can be stopped.

lmm_core.estimate_cost(formula, data) says how big a model is and about how long it takes;
lmer(..., max_seconds=, callback=) stops with FitTimeLimit at the limit and calls callback
while it works (which draws the progress bar, so that Stop can interrupt it).
Slow fits are kept in the session ("sandbox.fits"), a few at most.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

import lmm_core
from games.text import plain
from sandbox import Dataset, FitReport, fit_model, limits
from sandbox.fitting import tidy
from sandbox.limits import duration

from .common import keep_last, reml
from .running import last_status, note, run_with_stop


@st.cache_data(max_entries=64, show_spinner=False)
def _cost(key: str, formula: str, _data: pd.DataFrame):
    return lmm_core.estimate_cost(formula, _data)


@st.cache_data(max_entries=64, show_spinner="Fitting the model…")
def _quick_fit(key: str, formula: str, reml: bool, data_name: str,
               _data: pd.DataFrame) -> FitReport:
    """A fit, cached by (dataset key, formula, REML); the data are named by their key."""
    return fit_model(_data, formula, reml=reml, data_name=data_name,
                     max_seconds=limits.FIT_SECONDS)


def fit(ds: Dataset, formula: str) -> FitReport | None:
    """The fitted model, or None with the reason on the page (an error, or a slow model not
    started yet, stopped, or over the time limit)."""
    formula = tidy(formula)
    fit_key = (ds.key, formula, reml())
    done = st.session_state["sandbox.fits"].get(fit_key)
    if done is not None:
        return done
    try:
        cost = _cost(ds.key, formula, _data=ds.data)
        if cost.seconds < limits.QUICK_SECONDS:
            return _quick_fit(*fit_key, ds.data_name, _data=ds.data)
        return _slow_fit(ds, fit_key, cost)
    except lmm_core.FitTimeLimit:
        note(("fit", *fit_key), _over_time(None))
        st.warning(last_status(("fit", *fit_key)), icon=":material/timer_off:")
    except lmm_core.FormulaError as error:
        st.error("**This formula cannot be read.** Your text is still in the box: fix it there "
                 "and press Enter.", icon=":material/edit:")
        st.code(str(error), language=None)
    except lmm_core.LmmError as error:
        st.error(f"**This model cannot be fitted to these data.** {plain(error)}",
                 icon=":material/error:")
    return None


def _size(cost) -> str:
    return (f"{cost.n_obs:,} observations, {cost.n_fixed} fixed effects, "
            f"{cost.n_random:,} random effects and {cost.n_theta} variance and correlation "
            "parameters")


def _over_time(cost) -> str:
    size = f" ({_size(cost)})" if cost is not None else ""
    return (f"**The fit stopped at the {duration(limits.FIT_SECONDS)} time limit.** This model"
            f"{size} is too big to fit here while you wait. Simplify its random part (fewer "
            "random slopes, or `||` to drop their correlations), or fit it with lme4 in R. "
            "Your formula is still in the box.")


def _go(fit_key: tuple) -> None:
    st.session_state["sandbox.fit_go"] = fit_key


def _slow_fit(ds: Dataset, fit_key: tuple, cost) -> FitReport | None:
    run_key = ("fit", *fit_key)
    if st.session_state.get("sandbox.fit_go") == fit_key:
        st.session_state.pop("sandbox.fit_go")
        return _run(ds, fit_key, cost)
    status = last_status(run_key)
    if status:
        st.warning(status, icon=":material/timer_off:")
    over = cost.seconds > limits.FIT_SECONDS
    st.info(f"**A big model:** {_size(cost)}. Fitting it takes about {duration(cost.seconds)}"
            + (f", longer than the {duration(limits.FIT_SECONDS)} limit, so it will probably "
               "be stopped." if over else f"; it is stopped after "
               f"{duration(limits.FIT_SECONDS)}.") + " You can stop it at any time.",
            icon=":material/timer:")
    st.button(f"Fit it (about {duration(cost.seconds)})", key="sandbox.fit_slow",
              type="primary", icon=":material/play_arrow:", on_click=_go, args=(fit_key,))
    return None


def _run(ds: Dataset, fit_key: tuple, cost) -> FitReport | None:
    run_key = ("fit", *fit_key)
    start = time.monotonic()

    def work(show):
        def tick(*_):  # lmer's callback: only the time matters here
            seconds = time.monotonic() - start
            show(seconds / max(cost.seconds, 1e-9) * 0.95,
                 f"Fitting the model: {duration(seconds)} of about {duration(cost.seconds)}")
        return fit_model(ds.data, fit_key[1], reml=fit_key[2], data_name=ds.data_name,
                         max_seconds=limits.FIT_SECONDS, callback=tick)

    try:
        report = run_with_stop(run_key, "the fit", "Fitting the model", cost.seconds, work)
    except lmm_core.FitTimeLimit:
        note(run_key, _over_time(cost))
        st.warning(last_status(run_key), icon=":material/timer_off:")
        return None
    keep_last(st.session_state["sandbox.fits"], fit_key, report)
    return report
