"""4 · How sure? Wald, profile and parametric-bootstrap intervals side by side; the bootstrap
runs on demand, with its estimated time shown first, a time limit and a Stop button."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

import lmm_core
from games import charts
from games.text import plain
from games.ui import show_chart
from sandbox import Dataset, FitReport, interval_table, limits
from sandbox import charts as sandbox_charts
from sandbox.limits import duration
from sandbox.tables import styled

from .common import keep_last, reml
from .running import last_status, note, run_with_stop

BOOT_SIZES = (100, 200, 500, 1000, 2000)


@st.cache_data(max_entries=32, show_spinner="Profiling the likelihood for each parameter…")
def _profile(key: str, formula: str, reml: bool, _report: FitReport) -> pd.DataFrame:
    return _report.fit.confint(method="profile")


@st.cache_data(max_entries=64, show_spinner="Timing one bootstrap refit…")
def _refit_seconds(key: str, formula: str, reml: bool, _report: FitReport) -> float:
    """One refit's time: measured for quick models, the fit's own time for slow ones."""
    if _report.seconds >= limits.MEASURE_REFIT_BELOW:
        return _report.seconds
    start = time.perf_counter()
    lmm_core.bootstrap(_report.fit, n=1, kind="parametric", rng=0)
    return time.perf_counter() - start


@st.cache_data(max_entries=16, show_spinner=False)
def _interval_specs(table: pd.DataFrame) -> dict:
    """One small picture per parameter (a facet could not share the page's width)."""
    methods = 1 + sum(c.endswith(" from") for c in table.columns)
    return {name: charts.to_spec(charts.style(sandbox_charts.interval_chart(table, name),
                                              height=60 + 34 * methods))
            for name in table.index}


def intervals_section(ds: Dataset, report: FitReport) -> None:
    st.subheader("4 · How sure? Confidence intervals")
    st.markdown(
        "Three kinds of 95% interval for every parameter. **Wald:** estimate ± 1.96 standard "
        "errors, for fixed effects only. **Profile:** the values the likelihood cannot "
        "reject (lme4's default). **Parametric bootstrap:** simulate many new datasets from "
        "the fitted model, refit each, and keep the middle 95% of the estimates.")
    left, right = st.columns(2)
    n = left.selectbox("Bootstrap samples", BOOT_SIZES, key="sandbox.boot_n",
                       persist_state="session",
                       help="More samples give steadier interval ends but take longer.")
    seed = right.number_input("Random seed", 0, 999_999, step=1, key="sandbox.boot_seed",
                              persist_state="session",
                              help="The same seed gives the same bootstrap samples.")
    fit_key = (ds.key, report.formula, reml())
    refit = _refit_seconds(*fit_key, _report=report)
    if _start_button(fit_key, int(n), refit):
        _run(fit_key, report, int(n), int(seed), refit)
    run = st.session_state["sandbox.boot"].get(fit_key)
    if run is not None:
        _show_intervals(ds, report, run)


def _start_button(fit_key: tuple, n: int, refit: float) -> bool:
    """The estimate, and a button to start (none when far over the time limit)."""
    estimate = limits.bootstrap_seconds(n, refit)
    limit = limits.BOOT_SECONDS
    status = last_status(("boot", *fit_key))
    if status:
        st.info(status, icon=":material/info:")
    within = limits.samples_within(limit, refit, BOOT_SIZES)
    fewer = (f" Choose {within} samples or fewer," if within else
             " Even 100 samples would take too long here: simplify the model,")
    words = (f"{n:,} refits at about {duration(refit, short=True)} each: about "
             f"{duration(estimate)}. "
             f"A bootstrap stops after {duration(limit)}.")
    if estimate > 2 * limit:
        st.warning(f"**Too long for the sandbox.** {words}{fewer} or run `bootMer()` in R, "
                   "where your computer is not shared.", icon=":material/timer_off:")
        return False
    st.caption(words + ("" if estimate <= limit else f" It may not finish in time.{fewer} "
                        "to be sure it does."))
    return st.button(f"Run the bootstrap (about {duration(estimate)})", key="sandbox.boot_run",
                     type="primary", icon=":material/replay:")


def _run(fit_key: tuple, report: FitReport, n: int, seed: int, refit: float) -> None:
    run_key = ("boot", *fit_key)

    def work(show):
        deadline = limits.Deadline(limits.BOOT_SECONDS, show=lambda done, total, s: show(
            done / total, f"Refitting the model to simulated datasets: {done} of {total} "
                          f"({duration(s)})"))
        return lmm_core.bootstrap(report.fit, n=n, kind="parametric", rng=seed,
                                  progress=deadline)

    try:
        result = run_with_stop(run_key, "the bootstrap", "Refitting the model to simulated "
                               "datasets", limits.bootstrap_seconds(n, refit), work)
    except limits.OverTime as over:
        note(run_key, f"The bootstrap stopped at the {duration(over.limit)} time limit, after "
                      f"{over.done:,} of {over.total:,} refits. Choose fewer samples, or "
                      "simplify the model; your settings are kept.")
        st.warning(last_status(run_key), icon=":material/timer_off:")
        return
    keep_last(st.session_state["sandbox.boot"], fit_key, {
        "n": n, "seed": seed, "ci": result.ci(0.95), "failed": result.n_failed,
        "not_converged": result.n_not_converged, "seconds": result.seconds})


def _profile_or_none(ds: Dataset, report: FitReport) -> pd.DataFrame | None:
    cost = limits.profile_seconds(len(report.fit.fixef) + len(report.fit.theta) + 1,
                                  report.seconds)
    if cost > limits.PROFILE_SECONDS:
        st.caption(f"No profile intervals for this model: profiling refits it many times per "
                   f"parameter, about {duration(cost)} here.")
        return None
    try:
        return _profile(ds.key, report.formula, reml(), _report=report)
    except lmm_core.LmmError as error:
        st.caption(f"No profile intervals for this model: {plain(error)}")
        return None


def _show_intervals(ds: Dataset, report: FitReport, run: dict) -> None:
    wald = report.fit.confint(method="Wald")
    table = interval_table(report.fit, {"Wald": wald, "profile": _profile_or_none(ds, report),
                                        "bootstrap": run["ci"]})
    st.markdown(f"**95% intervals** (bootstrap: {run['n']} samples, seed {run['seed']}, "
                f"{run['seconds']:.1f} s)")
    specs = _interval_specs(table)
    cells = st.columns(2)
    for k, (name, spec) in enumerate(specs.items()):
        show_chart(spec, f"{table.loc[name, 'parameter']}: the Wald, profile and bootstrap "
                         "intervals as bars, the estimate as a dashed line.", cells[k % 2])
    st.dataframe(styled(table, 3), placeholder="")
    failed = run["failed"] + run["not_converged"]
    st.caption("Wald intervals exist only for fixed effects: lme4 gives none for SDs and "
               "correlations, whose estimates vary lopsidedly from sample to sample. "
               + (f"{run['failed']} refits failed and {run['not_converged']} did not converge; "
                  "the intervals use the others." if failed else "Every refit worked."))
