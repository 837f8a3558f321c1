"""1 · The data: the course's datasets, a simulated study with its settings, or an upload."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import simulators
from games.text import plain
from sandbox import (
    COURSE,
    WHY_LIMITS,
    Dataset,
    UploadError,
    column_summary,
    course_dataset,
    memory,
    read_upload,
    simulated_dataset,
    uploaded_dataset,
)
from sandbox.datasets import truth_table
from sandbox.tables import styled
from sandbox.upload import visible

from .common import SOURCES


@st.cache_data(max_entries=16, show_spinner=False)
def _course(name: str) -> Dataset:
    return course_dataset(name)


@st.cache_data(max_entries=64, show_spinner=False)
def _simulated(name: str, seed: int, params: tuple) -> Dataset:
    return simulated_dataset(name, seed, dict(params))


def choose_data() -> Dataset | None:
    """The data the learner picked (None while there is none), its formula box synced."""
    st.subheader("1 · The data")
    st.radio("Where does the data come from?", SOURCES, key="sandbox.source", horizontal=True,
             persist_state="session")
    source = st.session_state["sandbox.source"]
    if source == SOURCES[0]:
        name = st.selectbox("Dataset", list(COURSE), key="sandbox.course",
                            format_func=lambda n: COURSE[n][0], persist_state="session")
        ds = _course(name)
    elif source == SOURCES[1]:
        ds = _choose_simulation()
    else:
        ds = _choose_upload()
    if ds is not None:
        memory.sync_formula(st.session_state, ds.family, ds.formula)
        _show_data(ds)
    return ds


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
        st.error(f"These settings do not work together: {plain(error)}")
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


def _read(file) -> None:
    """Read a newly uploaded file into the session (its table, or why it cannot be used)."""
    ss = st.session_state
    ss["sandbox.upload_id"] = file.file_id
    try:
        ss["sandbox.upload"] = read_upload(file.name, file.getvalue())
        ss.pop("sandbox.upload_error", None)
    except UploadError as error:
        ss["sandbox.upload_error"] = str(error)


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
        _read(file)
    table = ss.get("sandbox.upload")
    if ss.get("sandbox.upload_error"):
        st.error(plain(ss["sandbox.upload_error"]), icon=":material/error:")
        if table is not None:
            st.caption(f"Still using your earlier file, {plain(table.name)}.")
    if table is None:
        st.info("Upload a CSV file: one row per observation, one column per variable, the "
                "column names in the first row (long format, as lmer() needs).")
        return None
    if file is None:
        st.caption(f"Using the file you uploaded earlier: **{plain(table.name)}**. Upload "
                   "another to replace it.")
    if table.notes:
        st.info("\n".join(f"- {plain(n)}" for n in table.notes), icon=":material/info:")
    if table.renamed:
        _renamed(table.renamed)
    return uploaded_dataset(table)


def _renamed(renamed: dict) -> None:
    st.markdown("**Column names changed,** as R's read.csv changes them, so that a formula can "
                "use them (letters of any alphabet stay; characters that cannot be seen are "
                "dropped):")
    st.dataframe(pd.DataFrame({"in your file": [visible(o) for o in renamed],
                               "in formulas": list(renamed.values())}), hide_index=True)


def _show_data(ds: Dataset) -> None:
    rows, cols = ds.data.shape
    about = ds.description.strip()
    about = about[:1].upper() + about[1:] + ("" if about.endswith(".") else ".")
    st.caption(f"{plain(about)} {rows:,} rows, {cols} columns.")
    upload = ds.key.startswith("upload:")
    with st.expander("First rows and column types", expanded=upload):
        first = ds.data.head(8)
        st.dataframe(first, hide_index=True, placeholder="NA")
        st.dataframe(column_summary(ds.data), hide_index=True, column_config={
            "could be": st.column_config.TextColumn(width="large"),
            "distinct values": st.column_config.NumberColumn("distinct", width="small")})
        if first.isna().any(axis=None):
            st.caption("NA: a missing value (an empty cell), as R shows it.")
    if ds.truth:
        with st.expander("The true values this study was simulated from"):
            st.dataframe(styled(truth_table(ds.truth)), hide_index=True, placeholder="")
            st.caption("Compare them with the estimates in the summary: a fit only recovers "
                       "them up to sampling error.")
