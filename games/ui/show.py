"""Drawing helpers every page shares: tables, p-values, charts, progress, user text, and the
reveal's shape (the verdict and the numbers that matter first, the rest in sections)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import contextmanager

import streamlit as st

from ..text import literal, p_value_text, plain

__all__ = ["style_table", "p_value_text", "run_with_progress", "show_chart", "friendly_errors",
           "say", "user_text", "key_numbers", "more", "layered_reveal", "paragraphs"]

log = logging.getLogger("lmm_games")


def style_table(frame, digits: int = 2, na_rep: str = ""):
    """A table for st.dataframe or st.table with numbers rounded for reading aloud; na_rep
    (e.g. "–") marks a quantity a model does not have."""
    return frame.style.format(precision=digits, na_rep=na_rep)


def run_with_progress(work: Callable, label: str):
    """Run ``work(progress=tick)`` under an st.progress bar that counts "done of total".

    Call it inside the st.cache_data function that does the work: a bar created outside a
    cached function cannot be updated from inside it (CacheReplayClosureError).
    """
    bar = st.progress(0.0, text=f"{label}…")

    def tick(done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"{label}: {done} of {total}")

    out = work(progress=tick)
    bar.empty()
    return out


def show_chart(spec: dict, alt_text: str, where=None) -> None:
    """Draw a Vega-Lite spec (see games.charts.to_spec) across the page or column ``where``,
    with a text alternative for screen readers."""
    (where or st).vega_lite_chart(spec=spec, width="stretch", alt=alt_text)


def say(text, where=None) -> None:
    """Show text that may come from a user or quote one (an error's details, an engine
    message) as plain text: every character as typed, never a link, image or HTML."""
    (where or st).markdown(plain(text))


def user_text(text) -> str:
    """User text for a Markdown sentence: an inline code span shown exactly as typed."""
    return literal(text)


@contextmanager
def friendly_errors(what: str, retry: Callable[[], None] | None = None):
    """Show an exception as a plain message with what to do, and log the traceback.

    ``retry`` draws a way out next to the message (the loop's "New round" button), so the
    message never points to a button that is not on the page.
    """
    try:
        yield
    except Exception as error:  # noqa: BLE001 - the page must never show a traceback
        log.exception("Error while %s", what)
        way_out = ("Try **New round** below, or reload the page" if retry is not None
                   else "Reload the page")
        st.error(f"Sorry, something went wrong while {what}. {way_out}. If it keeps "
                 "happening, tell your instructor the round number in the address bar.\n\n"
                 f"Details: {plain(f'{type(error).__name__}: {error}')}")
        if retry is not None:
            retry()


def key_numbers(numbers: Sequence[tuple[str, str] | tuple[str, str, str]]) -> None:
    """The reveal's few numbers that matter, side by side right under the verdict:
    (label, value) or (label, value, help) each."""
    for column, number in zip(st.columns(len(numbers)), numbers, strict=True):
        label, value, *help_ = number
        column.metric(label, value, help=help_[0] if help_ else None)


def more(title: str, expanded: bool = False):
    """A section of the reveal the student opens when they want it (st.expander)."""
    return st.expander(title, expanded=expanded)


def paragraphs(text: str, start: int = 0, stop: int | None = None) -> str:
    """Some paragraphs of a reveal's explanation (split at blank lines)."""
    return "\n\n".join(text.split("\n\n")[start:stop])


def layered_reveal(numbers: Sequence, lead: str, main: Callable[[], None] | None = None,
                   sections: Sequence[tuple[str, Callable[[], None]]] = ()) -> None:
    """Every game's reveal has one shape, short enough to read at a glance on a phone: under
    the verdict, the numbers that matter (``numbers``, see key_numbers) and the lead in words;
    then the one picture or table that shows why (``main``); the rest in ``sections``
    (title, draw) that the student opens."""
    if numbers:
        key_numbers(numbers)
    if lead:
        st.markdown(lead)
    if main is not None:
        main()
    for title, draw in sections:
        with more(title):
            draw()
