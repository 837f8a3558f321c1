"""Set homework (lecturers): build an assignment, enrol students, see the gradebook, export.

Without ``?key=`` the page creates an assignment; with the lecturer key (the lecturer link)
it shows the assignment's tabs. UI only: the rules are in homework/ (see app_pages/
teach_parts.py for the tabs).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pandas as pd
import streamlit as st

import store
from app_pages import teach_parts
from app_pages.database import base_url, get_engine
from games import GAMES
from games.base import DIFFICULTIES
from games.text import plain as plain_text
from games.ui import friendly_errors
from homework.assignments import (
    AccessError,
    create_assignment,
    for_lecturer,
    has_submissions,
    update_assignment,
)
from homework.model import AFTER_DUE, FEEDBACK, MAX_ROUNDS, AssignmentSpec, Item, SpecError

st.title("Set homework")
TITLES = {g.title: gid for gid, g in GAMES.items()}
ZONES = sorted(available_timezones())


def _items_editor(items: tuple[Item, ...], key: str) -> pd.DataFrame:
    start = pd.DataFrame([{"game": GAMES[i.game].title if i.game in GAMES else i.game,
                           "difficulty": i.difficulty, "rounds": i.rounds} for i in items]
                         or [{"game": next(iter(TITLES)), "difficulty": "normal", "rounds": 1}])
    return st.data_editor(start, key=key, num_rows="dynamic", hide_index=True, width="stretch",
                          column_config={
                              "game": st.column_config.SelectboxColumn(
                                  "Game", options=list(TITLES), required=True),
                              "difficulty": st.column_config.SelectboxColumn(
                                  "Difficulty", options=list(DIFFICULTIES), required=True),
                              "rounds": st.column_config.NumberColumn(
                                  "Rounds", min_value=1, max_value=MAX_ROUNDS, step=1,
                                  required=True)})


def _when(label: str, default: datetime, zone: str, key: str) -> datetime:
    left, right = st.columns(2)
    local = default.astimezone(ZoneInfo(zone))
    day = left.date_input(f"{label}: date", local.date(), key=f"{key}.date")
    at = right.time_input(f"{label}: time", local.time().replace(second=0, microsecond=0),
                          key=f"{key}.time", step=timedelta(minutes=15))
    return datetime.combine(day, at or time(0), tzinfo=ZoneInfo(zone))


def spec_form(current: AssignmentSpec | None, key: str) -> AssignmentSpec | None:
    """The assignment form; the spec when sent (checked by the caller), else None."""
    now = store.utcnow().replace(minute=0, second=0, microsecond=0)
    title = st.text_input("Title", current.title if current else "", max_chars=200,
                          key=f"{key}.title", placeholder="e.g. Week 3: random slopes")
    st.markdown("**Items**: each is a game at a difficulty, with a number of rounds (every "
                "student gets their own data).")
    table = _items_editor(current.items if current else (), f"{key}.items")
    zone_now = current.time_zone if current else "Europe/Berlin"
    zone = st.selectbox("Time zone of the times below", ZONES, index=ZONES.index(zone_now),
                        key=f"{key}.zone")
    opens = _when("Opens", current.opens_at if current else now, zone, f"{key}.opens")
    due = _when("Due", current.due_at if current else now + timedelta(days=7), zone,
                f"{key}.due")
    attempts = st.number_input("Attempts per round", 1, 10, current.attempts if current else 1,
                               key=f"{key}.attempts")
    feedback = st.radio("Feedback shows", list(FEEDBACK), format_func=FEEDBACK.get,
                        index=list(FEEDBACK).index(current.feedback if current
                                                   else "after_answer"),
                        key=f"{key}.feedback", horizontal=True)
    after_due = st.radio("After the due time", list(AFTER_DUE), format_func=AFTER_DUE.get,
                         index=list(AFTER_DUE).index(current.after_due if current else "late"),
                         key=f"{key}.after_due", horizontal=True)
    open_enrolment = st.checkbox("Open enrolment: students may join with their student id "
                                 "(besides any roster you upload)",
                                 current.open_enrolment if current else False,
                                 key=f"{key}.enrol")
    if not st.button("Save" if current else "Create the assignment", type="primary",
                     key=f"{key}.save"):
        return None
    items = tuple(Item(TITLES.get(r["game"], str(r["game"])), str(r["difficulty"]),
                       int(r["rounds"]) if pd.notna(r["rounds"]) else 0)
                  for r in table.to_dict("records") if r.get("game"))
    return AssignmentSpec(title, items, opens, due, zone, int(attempts), feedback, after_due,
                          open_enrolment)


def _show_problems(error: SpecError) -> None:
    st.error("Not saved yet:\n\n" + "\n".join(f"- {plain_text(p)}" for p in error.problems))


def create() -> None:
    st.markdown("Build an assignment: every student gets a personal link and their own "
                "version of each round, graded automatically. You get a **lecturer link** to "
                "come back to it.")
    spec = spec_form(None, "teach.new")
    if spec is None:
        return
    try:
        created = create_assignment(get_engine(), spec)
    except SpecError as error:
        _show_problems(error)
        return
    st.query_params["key"] = created.lecturer_key
    st.session_state["teach.created"] = True
    st.rerun()


def manage(key: str) -> None:
    engine = get_engine()
    try:
        assignment = for_lecturer(engine, key)
    except AccessError as error:
        st.error(plain_text(str(error)), icon=":material/key_off:")
        return
    st.header(plain_text(assignment.spec.title))
    link = f"{base_url()}/teach?key={key}"
    if st.session_state.pop("teach.created", False):
        st.success("Created. Save your **lecturer link** now (bookmark it): it is the only "
                   "way back to this assignment, and anyone with it can see the grades.")
    with st.expander("Your lecturer link", expanded=False):
        st.code(link, language=None)
    tabs = st.tabs(["Students", "Gradebook", "Versions", "Exports", "Settings"])
    with tabs[0]:
        teach_parts.students_tab(assignment, key)
    with tabs[1]:
        teach_parts.gradebook_tab(assignment)
    with tabs[2]:
        teach_parts.versions_tab(assignment, key)
    with tabs[3]:
        teach_parts.exports_tab(assignment)
    with tabs[4]:
        _settings(assignment, key)


def _settings(assignment, key: str) -> None:
    if has_submissions(get_engine(), assignment.id):
        st.info("Students have submitted answers, so the items and rules are fixed now.")
        st.dataframe(pd.DataFrame([{"item": n, "game": i.title, "difficulty": i.difficulty,
                                    "rounds": i.rounds}
                                   for n, i in enumerate(assignment.spec.items, 1)]),
                     hide_index=True)
        return
    spec = spec_form(assignment.spec, "teach.edit")
    if spec is None:
        return
    try:
        update_assignment(get_engine(), key, spec)
    except SpecError as error:
        _show_problems(error)
        return
    except AccessError as error:
        st.error(plain_text(str(error)))
        return
    st.success("Saved.")


with friendly_errors("opening the assignment"):
    given = st.query_params.get("key")
    if given:
        manage(given)
    else:
        create()
