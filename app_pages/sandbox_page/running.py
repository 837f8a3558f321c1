"""Long work the learner starts (a slow fit, a bootstrap): a Stop button, a progress bar, and
what happened last time (stopped, or over the time limit), kept per piece of work.

How Stop works: a click during a run asks Streamlit for a rerun, which interrupts the running
script at its next st call. The work's progress callback updates the bar (an st call), so the
work ends within one progress step; the button's on_click runs first in the new run and records
that the learner stopped it, so that the new run says so instead of starting again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from sandbox.limits import duration

from .common import keep_last

STATUS = "sandbox.runs"  # run key -> what happened to it last (a sentence)
STARTED = "sandbox.started"  # run key -> when it started (time.monotonic)


def _stopped(run_key: tuple, what: str) -> None:
    started = st.session_state.get(STARTED, {}).get(run_key)
    after = f" after {duration(time.monotonic() - started)}" if started else ""
    note(run_key, f"You stopped {what}{after}. Nothing else changed: your formula and "
                  "settings are kept.")


def note(run_key: tuple, text: str) -> None:
    keep_last(st.session_state[STATUS], run_key, text, size=8)


def last_status(run_key: tuple) -> str | None:
    """What happened when this work last ran, if it did not finish."""
    return st.session_state[STATUS].get(run_key)


def run_with_stop(run_key: tuple, what: str, label: str, estimate: float,
                  work: Callable[[Callable[[float, str], None]], object]):
    """Run ``work(show)`` under a progress bar with a Stop button; ``show(fraction, text)``
    updates the bar (at most a few times a second). Returns what work returns."""
    st.session_state[STATUS].pop(run_key, None)
    st.session_state.setdefault(STARTED, {})[run_key] = time.monotonic()
    slot = st.empty()
    with slot.container():
        st.button(f"Stop {what}", key=f"sandbox.stop.{run_key[0]}", icon=":material/stop_circle:",
                  on_click=_stopped, args=(run_key, what))
        bar = st.progress(0.0, text=f"{label} (about {duration(estimate)})…")
    shown = [0.0]

    def show(fraction: float, text: str) -> None:
        now = time.monotonic()
        if now - shown[0] >= 0.25:
            shown[0] = now
            bar.progress(min(max(fraction, 0.0), 1.0), text=text)

    try:
        return work(show)
    finally:
        slot.empty()
