"""What every sandbox section shares: session keys and their defaults, the error guard, the
formula memory, and user text shown as plain text.

Session keys are "sandbox.*". Text a learner typed or uploaded (file and column names, group
labels, formulas, error details) goes into Markdown only through games.text (``plain``,
``code``), or is shown with st.code / st.dataframe, never pasted in raw.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

import streamlit as st

from games.text import plain
from sandbox import COURSE_EXAMPLE, memory

log = logging.getLogger("lmm_games")

SOURCES = ("Course data", "Simulated study", "Upload a CSV")
DEFAULTS = {"sandbox.source": SOURCES[0], "sandbox.course": COURSE_EXAMPLE,
            "sandbox.scenario": "sleep", "sandbox.seed": 1, "sandbox.reml": True,
            "sandbox.boot_n": 500, "sandbox.boot_seed": 1}
# session dicts: bootstrap runs, pooling defaults, slow fits done, what happened to long work
DICTS = ("sandbox.boot", "sandbox.pool_defaults", "sandbox.fits", "sandbox.runs")


def init() -> None:
    ss = st.session_state
    for key, value in DEFAULTS.items():
        ss.setdefault(key, value)
    for key in DICTS:
        ss.setdefault(key, {})
    memory.init(ss)


@contextmanager
def guard(what: str):
    """Show any unexpected error as a plain message (and log it); never a traceback."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - the page must never show a traceback
        log.exception("Sandbox error while %s", what)
        st.error(f"Sorry, something went wrong while {what}. Your data and formula are kept: "
                 "try another formula or dataset, or reload the page.\n\n"
                 f"Details: {plain(type(error).__name__)}: {plain(error)}")


def set_formula(family: str, formula: str) -> None:
    memory.set_formula(st.session_state, family, formula)


def reml() -> bool:
    return bool(st.session_state["sandbox.reml"])


def keep_last(store: dict, key, value, size: int = 4) -> None:
    """Put value in store under key, keeping only the last ``size`` entries."""
    store.pop(key, None)
    store[key] = value
    for old in list(store)[:-size]:
        store.pop(old)
