"""The answer form: one widget per Question, whatever its kind, and scoring in its callback.

Every question kind has one widget: "choice" a radio, "number" a number box, "text" a line of
text. Pages only say how to lay the questions out (:class:`Form`): which questions sit side by
side, what to draw above or below a row (a chart per study, the live picture of a guess), and
whether the form is "live" (no st.form, so pictures follow each typed number).

The answer is scored in the submit button's callback, before the page reruns: the session's
score and streak (the sidebar) are right before anything else is drawn, even while a slow
reveal computes. An answer the game cannot score (games.answers.InvalidAnswer) is shown as a
plain message under the form, and the widgets keep what the student typed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from ..answers import MAX_TEXT, InvalidAnswer, validate_answer
from ..base import Question, Round
from ..spec import Game
from ..text import plain
from .sources import Refused, source

__all__ = ["Form", "answer_form", "widget_key"]

log = logging.getLogger("lmm_games")

Row = list[str]  # question ids drawn side by side


@dataclass(frozen=True)
class Form:
    """How a page lays out its answer form (every field optional).

    ``rows(round)``: question ids grouped into rows drawn side by side (default: one per row).
    ``before_row(round, ids, columns)`` / ``after_row(round, ids, columns, values)``: draw
    around a row (``values``: every answer so far, by question id).
    ``start(round, question)``: a number box's first value (default: empty).
    ``horizontal``: ids of choice questions whose options sit on one line.
    ``live``: widgets outside st.form, so each change reruns the page (pictures follow).
    """

    rows: Callable[[Round], list[Row]] | None = None
    before_row: Callable[[Round, Row, list], None] | None = None
    after_row: Callable[[Round, Row, list, dict], None] | None = None
    start: Callable[[Round, Question], float | None] | None = None
    horizontal: tuple[str, ...] = ()
    live: bool = False


def widget_key(game_id: str, question_id: str) -> str:
    """The session key of a question's widget (tests and class mode address it by this)."""
    return f"{game_id}.form.{question_id}"


def answer_form(game: Game, round_: Round, form: Form) -> None:
    """Draw the form; its callback scores the answer (nothing is returned: the loop reads the
    score from the session on the rerun). A source that keeps drafts (homework) gets the
    widgets outside st.form, restored from and saved to its drafts."""
    where = source()
    if where.drafts:
        _restore(game.id, round_, where)
    if form.live or where.drafts:
        _fields(game, round_, form)
        if where.drafts:
            where.save_draft(round_, {q.id: st.session_state.get(widget_key(game.id, q.id))
                                      for q in round_.questions})
        st.button("Check my answer", type="primary", key=f"{game.id}.check",
                  on_click=_submit, args=(game, round_))
    else:
        with st.form(f"{game.id}.form", enter_to_submit=False):
            _fields(game, round_, form)
            st.form_submit_button("Check my answer", type="primary",
                                  on_click=_submit, args=(game, round_))
    _show_problem(game.id)


def _restore(game_id: str, round_: Round, where) -> None:
    """Put a saved draft into widgets this session has not drawn yet."""
    ids = {q.id for q in round_.questions}
    for qid, value in where.draft(round_).items():
        key = widget_key(game_id, qid)
        if qid in ids and key not in st.session_state and value is not None:
            st.session_state[key] = value


def _fields(game: Game, round_: Round, form: Form) -> None:
    rows = form.rows(round_) if form.rows else [[q.id] for q in round_.questions]
    values = {}
    for row in rows:
        above = st.container()  # what before_row draws outside the columns goes above them
        columns = st.columns(len(row)) if len(row) > 1 else [st.container()]
        if form.before_row:
            with above:
                form.before_row(round_, row, columns)
        for column, question_id in zip(columns, row, strict=True):
            values[question_id] = _widget(game.id, round_, round_.question(question_id),
                                          form, column)
        if form.after_row:
            form.after_row(round_, row, columns, values)


def _widget(game_id: str, round_: Round, q: Question, form: Form, where):
    key, help_ = widget_key(game_id, q.id), q.help or None
    if q.kind == "choice":
        return where.radio(q.text, [o.value for o in q.options], index=None,
                           format_func=q.label_of, key=key, help=help_,
                           horizontal=q.id in form.horizontal)
    if q.kind == "number":
        start = form.start(round_, q) if form.start else None
        return where.number_input(
            q.text, min_value=_bound(q.low), max_value=_bound(q.high), value=start,
            step=float(q.step or 1.0), format=_number_format(q.step), key=key, help=help_,
            placeholder=_range_words(q))
    return where.text_input(q.text, key=key, help=help_, max_chars=MAX_TEXT)


def _bound(value: float | None) -> float | None:
    return None if value is None else float(value)


def _number_format(step: float | None) -> str:
    """One decimal more than the step needs, at least one ("%.1f" for steps 1 and 0.5)."""
    decimals = 1 if not step or step >= 0.1 else math.ceil(-math.log10(step))
    return f"%.{decimals}f"


def _range_words(q: Question) -> str | None:
    if q.low is None or q.high is None:
        return None
    return f"from {q.low:.4g} to {q.high:.4g}"


def _submit(game: Game, round_: Round) -> None:
    """The submit button's callback: validate, score, record; or keep why not."""
    answer = {q.id: st.session_state.get(widget_key(game.id, q.id)) for q in round_.questions}
    try:
        clean = validate_answer(round_, answer)
        source().keep(game, round_, clean)  # scores, keeps and records (see games.ui.sources)
    except InvalidAnswer as problem:
        st.session_state[f"{game.id}.problem"] = problem
        return
    except Refused as refused:  # a closed assignment, no attempts left
        st.session_state[f"{game.id}.problem"] = InvalidAnswer(str(refused))
        return
    except Exception:  # noqa: BLE001 - a callback's exception would reach the screen
        log.exception("Error while scoring %s round %s", game.id, round_.key)
        st.session_state[f"{game.id}.problem"] = InvalidAnswer(
            "Sorry, something went wrong while scoring this answer. Check it again, or try "
            "New round; if it keeps happening, tell your instructor the round number in the "
            "address bar.")
        return
    st.session_state.pop(f"{game.id}.problem", None)


def _show_problem(game_id: str) -> None:
    """Why the last answer was not scored, as plain text (it may quote what was typed)."""
    problem = st.session_state.pop(f"{game_id}.problem", None)
    if problem is None:
        return
    st.error(plain(problem.message), icon=":material/edit:")
    if problem.detail:
        st.code(problem.detail, language=None)
