"""Sandbox: fit your own model to the course's data, a simulated study or your own CSV file.

UI only: the logic (uploads, suggestions, fitting, pictures, the worked example) is in the
``sandbox`` package. Session keys are "sandbox.*"; the learner's formula is remembered per
dataset family ("sandbox.formulas") with a short history ("sandbox.history"), so that nothing
typed is lost when the data change, the walkthrough starts or the learner visits another page.
Fits are cached by (dataset key, formula, REML).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pandas as pd
import streamlit as st

import lmm_core
import simulators
from games import charts
from games.ui import run_with_progress, show_chart
from sandbox import (
    COURSE,
    COURSE_EXAMPLE,
    COURSE_FORMULA,
    WHY_LIMITS,
    Dataset,
    FitReport,
    UploadError,
    column_summary,
    course_dataset,
    fit_model,
    interval_table,
    memory,
    pooling_plan,
    pooling_view,
    read_upload,
    simulated_dataset,
    uploaded_dataset,
)
from sandbox import charts as sandbox_charts
from sandbox.datasets import truth_table
from sandbox.tables import styled
from sandbox.walkthrough import course_steps, incomplete_groups

log = logging.getLogger("lmm_games")

SOURCES = ("Course data", "Simulated study", "Upload a CSV")
BOOT_SIZES = (100, 200, 500, 1000, 2000)
FORMULA_HELP = (
    "lme4's syntax: outcome ~ fixed effects + (random effects | grouping factor). "
    "`1` is the intercept; `a * b` means a + b + a:b; `(1 | subject)` gives each subject its "
    "own intercept, `(1 + days | subject)` its own intercept and slope, `(1 + days || subject)` "
    "the same without their correlation. Functions: log(), sqrt(), scale(), I(x^2).")


# ----- session ------------------------------------------------------------------------------------
def _init() -> None:
    ss = st.session_state
    for key, value in {"sandbox.source": SOURCES[0], "sandbox.course": COURSE_EXAMPLE,
                       "sandbox.scenario": "sleep", "sandbox.seed": 1, "sandbox.reml": True,
                       "sandbox.boot_n": 500, "sandbox.boot_seed": 1}.items():
        ss.setdefault(key, value)
    for key in ("sandbox.boot", "sandbox.pool_defaults"):
        ss.setdefault(key, {})
    memory.init(ss)


@contextmanager
def _guard(what: str):
    """Show any unexpected error as a plain message (and log it); never a traceback."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - the page must never show a traceback
        log.exception("Sandbox error while %s", what)
        st.error(f"Sorry, something went wrong while {what}. Your data and formula are kept: "
                 "try another formula or dataset, or reload the page.\n\n"
                 f"Details: {type(error).__name__}: {error}")


def _set_formula(family: str, formula: str) -> None:
    memory.set_formula(st.session_state, family, formula)


# ----- cached work --------------------------------------------------------------------------------
@st.cache_data(max_entries=16, show_spinner=False)
def _course(name: str) -> Dataset:
    return course_dataset(name)


@st.cache_data(max_entries=64, show_spinner=False)
def _simulated(name: str, seed: int, params: tuple) -> Dataset:
    return simulated_dataset(name, seed, dict(params))


@st.cache_data(max_entries=64, show_spinner="Fitting the model…")
def _fit(key: str, formula: str, reml: bool, data_name: str, _data: pd.DataFrame) -> FitReport:
    """A fit, cached by (dataset key, formula, REML); the data are named by their key."""
    return fit_model(_data, formula, reml=reml, data_name=data_name)


@st.cache_data(max_entries=64, show_spinner="Fitting the three kinds of pooling…")
def _pooling(key: str, response: str, predictor: str, group: str, reml: bool,
             _data: pd.DataFrame):
    return lmm_core.pooling(_data, response, predictor, group, reml=reml)


@st.cache_data(max_entries=64, show_spinner=False)
def _pooling_specs(key: str, columns: tuple, reml: bool, focus: str, shown: tuple,
                   highlight: tuple, _data: pd.DataFrame) -> dict:
    pool = _pooling(key, *columns, reml, _data=_data)
    return pooling_view.pooling_specs(_data, pool, focus, list(shown), highlight)


@st.cache_data(max_entries=32, show_spinner="Profiling the likelihood for each parameter…")
def _profile(key: str, formula: str, reml: bool, _report: FitReport) -> pd.DataFrame:
    return _report.fit.confint(method="profile")


@st.cache_data(max_entries=16, show_spinner=False)
def _interval_specs(table: pd.DataFrame) -> dict:
    """One small picture per parameter (a facet could not share the page's width)."""
    methods = 1 + sum(c.endswith(" from") for c in table.columns)
    return {name: charts.to_spec(charts.style(sandbox_charts.interval_chart(table, name),
                                              height=60 + 34 * methods))
            for name in table.index}


@st.cache_data(max_entries=4, show_spinner="Fitting the course example…")
def _course_walk() -> list:
    data = course_dataset(COURSE_EXAMPLE).data
    report = fit_model(data, COURSE_FORMULA, data_name=COURSE_EXAMPLE)
    pool = lmm_core.pooling(data, "reaction", "days", "subject")
    return course_steps(data, report, pool)


# ----- the walkthrough ----------------------------------------------------------------------------
def _start_walkthrough() -> None:
    ss = st.session_state
    ss["sandbox.source"] = SOURCES[0]
    ss["sandbox.course"] = COURSE_EXAMPLE
    ss["sandbox.reml"] = True
    _set_formula(f"course:{COURSE_EXAMPLE}", COURSE_FORMULA)
    ss["sandbox.tour"] = 0


def _move(step: int | None) -> None:
    st.session_state["sandbox.tour"] = step


def _walkthrough() -> None:
    step = st.session_state.get("sandbox.tour")
    with st.container(border=True):
        if step is None:
            st.markdown("**New here?** Walk through the course's worked example, step by step: "
                        "the sleep study with two participants who dropped out.")
            st.button("Start the walkthrough", key="sandbox.tour_start", icon=":material/school:",
                      on_click=_start_walkthrough)
            return
        steps = _course_walk()
        step = min(step, len(steps) - 1)
        current = steps[step]
        st.caption(f"Walkthrough · step {step + 1} of {len(steps)} · the course example, "
                   f"`{COURSE_FORMULA}` on {COURSE_EXAMPLE}")
        st.markdown(f"#### {current.title}")
        st.markdown(current.text)
        if current.table is not None:
            st.dataframe(styled(current.table), placeholder="",
                         hide_index=current.table.index.dtype != object)
        back, forward, close = st.columns(3)
        back.button("Back", key="sandbox.tour_back", disabled=step == 0, width="stretch",
                    on_click=_move, args=(step - 1,), icon=":material/arrow_back:")
        if step + 1 < len(steps):
            forward.button("Next", key="sandbox.tour_next", type="primary", width="stretch",
                           on_click=_move, args=(step + 1,), icon=":material/arrow_forward:")
        close.button("Close", key="sandbox.tour_close", width="stretch", on_click=_move,
                     args=(None,), icon=":material/close:")


# ----- 1 · the data -------------------------------------------------------------------------------
def _choose_data() -> Dataset | None:
    st.subheader("1 · The data")
    st.radio("Where does the data come from?", SOURCES, key="sandbox.source", horizontal=True,
             persist_state="session")
    source = st.session_state["sandbox.source"]
    if source == SOURCES[0]:
        name = st.selectbox("Dataset", list(COURSE), key="sandbox.course",
                            format_func=lambda n: COURSE[n][0], persist_state="session")
        return _course(name)
    if source == SOURCES[1]:
        return _choose_simulation()
    return _choose_upload()


def _choose_simulation() -> Dataset | None:
    specs = simulators.SCENARIOS
    left, right = st.columns([3, 1])
    name = left.selectbox("Simulated study", list(specs), key="sandbox.scenario",
                          format_func=lambda n: f"{n.replace('_', ' ')}: {specs[n].summary}",
                          persist_state="session")
    seed = right.number_input("Seed", min_value=0, max_value=999_999, step=1,
                              key="sandbox.seed", persist_state="session",
                              help="The same seed always makes the same data: share it.")
    params = {}
    with st.expander("Change the study's settings"):
        for p in specs[name].params:
            params[p.name] = _param_widget(name, p)
    try:
        return _simulated(name, int(seed), tuple(sorted(params.items())))
    except simulators.ScenarioError as error:
        st.error(f"These settings do not work together: {error}")
        return None


def _param_widget(scenario: str, p):
    key = f"sandbox.param.{scenario}.{p.name}"
    label = p.name.replace("_", " ")
    if p.kind == "choice":
        return st.selectbox(label, list(p.choices), index=list(p.choices).index(p.default),
                            key=key, help=p.help, persist_state="session")
    if p.kind == "int":
        return int(st.number_input(label, int(p.low), int(p.high), int(p.default), step=1,
                                   key=key, help=p.help, persist_state="session"))
    return float(st.number_input(label, float(p.low), float(p.high), float(p.default),
                                 key=key, help=p.help, persist_state="session"))


def _choose_upload() -> Dataset | None:
    ss = st.session_state
    # Any file type is accepted here so that an Excel or SPSS file gets a message saying how to
    # save it as CSV (a type filter would reject it with a bare "not allowed").
    file = st.file_uploader("Your CSV file", key="sandbox.uploader", max_upload_size=5,
                            help="Comma-, semicolon- or tab-separated text, with the column "
                                 "names in the first line.")
    st.caption(WHY_LIMITS)
    if file is None:
        ss.pop("sandbox.upload_error", None)
    elif file.file_id != ss.get("sandbox.upload_id"):
        ss["sandbox.upload_id"] = file.file_id
        try:
            ss["sandbox.upload"] = read_upload(file.name, file.getvalue())
            ss.pop("sandbox.upload_error", None)
        except UploadError as error:
            ss["sandbox.upload_error"] = str(error)
    table = ss.get("sandbox.upload")
    if ss.get("sandbox.upload_error"):
        st.error(ss["sandbox.upload_error"], icon=":material/error:")
        if table is not None:
            st.caption(f"Still using your earlier file, {table.name}.")
    if table is None:
        st.info("Upload a CSV file: one row per observation, one column per variable, the "
                "column names in the first row (long format, as lmer() needs).")
        return None
    if file is None:
        st.caption(f"Using the file you uploaded earlier: **{table.name}**. Upload another to "
                   "replace it.")
    if table.notes:
        st.info("\n".join(f"- {n}" for n in table.notes), icon=":material/info:")
    return uploaded_dataset(table)


def _show_data(ds: Dataset) -> None:
    rows, cols = ds.data.shape
    about = ds.description.strip()
    about = about[:1].upper() + about[1:] + ("" if about.endswith(".") else ".")
    st.caption(f"{about} {rows:,} rows, {cols} columns.")
    upload = ds.key.startswith("upload:")
    with st.expander("First rows and column types", expanded=upload):
        st.dataframe(ds.data.head(8), hide_index=True)
        st.dataframe(column_summary(ds.data), hide_index=True, column_config={
            "could be": st.column_config.TextColumn(width="large"),
            "distinct values": st.column_config.NumberColumn("distinct", width="small")})
    if ds.truth:
        with st.expander("The true values this study was simulated from"):
            st.dataframe(styled(truth_table(ds.truth)), hide_index=True, placeholder="")
            st.caption("Compare them with the estimates in the summary: a fit only recovers "
                       "them up to sampling error.")


# ----- 2 · the model ------------------------------------------------------------------------------
def _sync_formula(ds: Dataset) -> None:
    memory.sync_formula(st.session_state, ds.family, ds.formula)


def _restore_earlier(family: str) -> None:
    chosen = st.session_state.get("sandbox.earlier")
    if chosen:
        _set_formula(family, chosen)
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
    columns = ", ".join(f"`{c}`" for c in ds.data.columns)
    st.caption(f"Columns: {columns}. Starting formula for these data: `{ds.formula}`")
    history = memory.history(st.session_state, ds.family, formula)
    cols = st.columns(2)
    if formula != ds.formula:
        cols[0].button("Back to the starting formula", key="sandbox.reset", width="stretch",
                       on_click=_set_formula, args=(ds.family, ds.formula))
    if history:
        cols[1].selectbox("Earlier formulas", history, index=None, key="sandbox.earlier",
                          placeholder="Bring back an earlier formula", label_visibility="collapsed",
                          on_change=_restore_earlier, args=(ds.family,))
    return formula


def _model(ds: Dataset) -> FitReport | None:
    st.subheader("2 · The model")
    formula = _formula_box(ds)
    if not formula:
        st.info(f"Type a model formula above, for example `{ds.formula}`.")
        return None
    memory.remember(st.session_state, ds.family, formula)
    reml = bool(st.session_state["sandbox.reml"])
    try:
        report = _fit(ds.key, formula, reml, ds.data_name, _data=ds.data)
    except lmm_core.FormulaError as error:
        st.error("**This formula cannot be read.** Your text is still in the box: fix it there "
                 "and press Enter.", icon=":material/edit:")
        st.code(str(error), language=None)
        return None
    except lmm_core.LmmError as error:
        st.error(f"**This model cannot be fitted to these data.** {error}",
                 icon=":material/error:")
        return None
    _show_fit(report)
    return report


def _show_fit(report: FitReport) -> None:
    for note in report.notes:
        text = f"lme4 says: *{note.message}*" + (f"\n\n{note.explanation}" if note.explanation
                                                 else "")
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


# ----- 3 · pooling --------------------------------------------------------------------------------
def _pool_choices(ds: Dataset, plan) -> tuple[str, str, str]:
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


def _pooling_section(ds: Dataset, report: FitReport) -> None:
    st.subheader("3 · Pooling and shrinkage")
    plan = pooling_plan(report.formula, ds.data)
    if not plan.applies:
        hint = ("" if ds.key.startswith("upload:") else " To see pooling, pick the sleep study, "
                "or the simulated sleep, schools or convergence studies.")
        st.info(plan.reason + hint)
        return
    response, predictor, group = _pool_choices(ds, plan)
    if len({response, predictor, group}) < 3:
        st.warning("Pick three different columns: an outcome, a numeric predictor and a "
                   "grouping factor.")
        return
    reml = bool(st.session_state["sandbox.reml"])
    try:
        pool = _pooling(ds.key, response, predictor, group, reml, _data=ds.data)
    except lmm_core.LmmError as error:
        st.warning(f"No pooling plot for these columns: {error}")
        return
    st.caption(f"Three ways to draw a line of {response} over {predictor} for each {group}: "
               "one line for everybody (complete pooling), a separate regression for each "
               f"{group} (no pooling), and the mixed model `{response} ~ {predictor} + "
               f"({predictor} | {group})` (partial pooling).")
    for note in pool.fit.messages:
        st.caption(f"The pooling model's fit: *{note}*")
    groups = [str(g) for g in pool.groups.index]
    few = tuple(incomplete_groups(pool.groups)[:3])
    focus = st.selectbox(f"Look closer at one {group}", groups, key="sandbox.pool_focus",
                         index=groups.index(pooling_view.first_focus(pool, few)))
    panels = tuple(pooling_view.panels(pool, few))
    specs = _pooling_specs(ds.key, (response, predictor, group), reml, focus, panels,
                           few, _data=ds.data)
    show_chart(specs["focus"], f"{group} {focus}: its observations with the complete, no and "
                               "partial pooling lines.")
    st.markdown(pooling_view.focus_words(pool, focus))
    st.markdown("**Shrinkage: every group at once**")
    show_chart(specs["shrinkage"], f"Each {group}'s intercept and slope: an arrow from its own "
                                   "estimate to the mixed model's, inside the population's 50% "
                                   "and 95% contours.")
    st.caption(f"Each arrow runs from a {group}'s own estimate (open circle) to the mixed "
               "model's (filled circle), toward the cross: the population's intercept and "
               "slope (the fixed effects). Dashed rings: where the model expects 50% and 95% "
               f"of the {group}s. A {group} with one observation has no own slope: only its "
               "filled circle is drawn." + (f" Named: {', '.join(few)}, with the fewest "
                                             "observations." if few else ""))
    shown = f"{len(panels)} of {len(groups)}" if len(groups) > len(panels) else f"all {len(groups)}"
    st.markdown(f"**Every {group}'s lines** ({shown}; number of observations in brackets)")
    st.vega_lite_chart(spec=specs["panels"], alt=f"Small panels, one per {group}, with its "
                                                 "observations and the three lines.")
    with st.expander(f"The numbers for every {group}"):
        st.dataframe(styled(pooling_view.pool_table(pool), 2), placeholder="")
        st.caption("pulled %: how far of the way from the own estimate to the population's "
                   "the mixed model moved it (0 = not at all, 100 = all the way). It can be "
                   "below 0 or above 100 when intercept and slope move together.")


# ----- 4 · intervals ------------------------------------------------------------------------------
def _intervals_section(ds: Dataset, report: FitReport) -> None:
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
    fit_key = (ds.key, report.formula, bool(st.session_state["sandbox.reml"]))
    runs = st.session_state["sandbox.boot"]
    if st.button("Run the bootstrap", key="sandbox.boot_run", type="primary",
                 icon=":material/replay:"):
        runs[fit_key] = _run_bootstrap(report, int(n), int(seed))
        for old in list(runs)[:-4]:  # keep the last few fits' runs
            runs.pop(old)
    run = runs.get(fit_key)
    if run is None:
        st.caption("The bootstrap refits the model once per sample; with 500 samples that "
                   "takes a few seconds.")
        return
    _show_intervals(ds, report, run)


def _run_bootstrap(report: FitReport, n: int, seed: int) -> dict:
    result = run_with_progress(
        lambda progress: lmm_core.bootstrap(report.fit, n=n, kind="parametric", rng=seed,
                                            progress=progress),
        "Refitting the model to simulated datasets")
    return {"n": n, "seed": seed, "ci": result.ci(0.95), "failed": result.n_failed,
            "not_converged": result.n_not_converged, "seconds": result.seconds}


def _show_intervals(ds: Dataset, report: FitReport, run: dict) -> None:
    reml = bool(st.session_state["sandbox.reml"])
    try:
        profile = _profile(ds.key, report.formula, reml, _report=report)
    except lmm_core.LmmError as error:
        st.caption(f"No profile intervals for this model: {error}")
        profile = None
    wald = report.fit.confint(method="Wald")
    table = interval_table(report.fit, {"Wald": wald, "profile": profile,
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


# ----- the page -----------------------------------------------------------------------------------
_init()
st.title("Sandbox: fit your own model")
st.markdown("Pick a dataset, type an lme4 formula and see what `lmer()` says: the summary with "
            "p-values, how the groups' lines are pulled together, and how sure the estimates "
            "are.")
with _guard("showing the walkthrough"):
    _walkthrough()
dataset = None
with _guard("reading the data"):
    dataset = _choose_data()
    if dataset is not None:
        _sync_formula(dataset)
        _show_data(dataset)
if dataset is not None:
    fitted = None
    with _guard("fitting the model"):
        fitted = _model(dataset)
    if fitted is not None:
        with _guard("drawing the pooling plots"):
            _pooling_section(dataset, fitted)
        with _guard("computing the intervals"):
            _intervals_section(dataset, fitted)
