"""My homework: a student's personal link opens their assignment, item by item, with progress.

``?token=`` is the personal link; ``?enrol=`` is an assignment's open-enrolment link, where a
student types their id and gets a personal link. Each round opens on its game's own page
(the same round loop as practice; see app_pages/round_sources.py). UI only: the rules are in
homework/.
"""

from __future__ import annotations

import streamlit as st

import store
from app_pages.database import base_url, get_engine
from games import page_path
from games.text import plain as plain_text
from games.ui import friendly_errors
from homework import submissions
from homework.assignments import AccessError, Assignment, Enrolled, enrol, for_student
from homework.model import AFTER_DUE, FEEDBACK, local_time

st.title("My homework")


def _enrol_form(key: str) -> None:
    st.markdown("Type your **student id** to get your own version of this assignment.")
    with st.form("homework.enrol"):
        student_id = st.text_input("Student id", max_chars=100)
        name = st.text_input("Your name (optional)", max_chars=200)
        sent = st.form_submit_button("Get my homework link", type="primary")
    if not sent:
        return
    try:
        token = enrol(get_engine(), key, student_id, name)
    except (AccessError, ValueError) as error:
        st.error(plain_text(str(error)))
        return
    del st.query_params["enrol"]
    st.query_params["token"] = token
    st.session_state["homework.new_link"] = True
    st.rerun()


def _rules(assignment: Assignment) -> None:
    spec = assignment.spec
    st.markdown(f"**Opens** {local_time(spec.opens_at, spec.time_zone)} · **due** "
                f"{local_time(spec.due_at, spec.time_zone)}")
    st.caption(f"{spec.attempts} attempt{'s' if spec.attempts > 1 else ''} per round (the best "
               f"counts) · feedback {FEEDBACK[spec.feedback]} · after the due time: "
               f"{AFTER_DUE[spec.after_due]}")
    now = store.utcnow()
    if now < spec.opens_at:
        st.info("This assignment is not open yet: you can look at the rounds, and answers "
                "are accepted from the opening time.")
    elif now >= spec.due_at:
        if spec.after_due == "closed":
            st.warning("The due time has passed: this assignment is closed.")
        else:
            st.warning("The due time has passed: answers are still accepted, marked late.")


def _status(attempts: list, drafted: bool, visible: bool) -> str:
    if not attempts:
        return "draft saved" if drafted else "not started"
    best = max(a.points for a in attempts)
    late = " · late" if any(a.late for a in attempts) else ""
    return (f"answered · {best} points{late}" if visible else f"answered{late}")


def _items(assignment: Assignment, student: Enrolled, token: str) -> None:
    engine = get_engine()
    refs = submissions.rounds_of(assignment, student.student_id)
    done = [a for _, a in submissions.attempts_of(engine, [student.key])]
    drafts = submissions.drafts_of(engine, student)
    visible = submissions.feedback_visible(assignment)
    answered = {(a.position, a.round_no) for a in done}
    st.progress(len(answered) / len(refs),
                text=f"{len(answered)} of {len(refs)} rounds answered")
    for n, item in enumerate(assignment.spec.items, 1):
        st.subheader(f"{n}. {item.title}")
        st.caption(f"{item.difficulty} · {item.rounds} round{'s' if item.rounds > 1 else ''}")
        for ref in (r for r in refs if r.position == n):
            mine = [a for a in done if (a.position, a.round_no) == (n, ref.round_no)]
            left, right = st.columns([3, 2], vertical_alignment="center")
            left.page_link(page_path(ref.game), label=f"Round {ref.round_no}",
                           icon=":material/play_arrow:",
                           query_params={"hw": token, "item": n, "round": ref.round_no})
            right.caption(_status(mine, (n, ref.round_no) in drafts, visible))
    if visible and done:
        best: dict = {}
        for a in done:
            best[(a.position, a.round_no)] = max(best.get((a.position, a.round_no), 0), a.points)
        st.metric("Your points so far", f"{sum(best.values())} of {100 * len(refs)}")


def main() -> None:
    token, enrol_key = st.query_params.get("token"), st.query_params.get("enrol")
    if enrol_key and not token:
        _enrol_form(enrol_key)
        return
    if not token:
        st.info("Open the personal homework link your lecturer sent you. It looks like "
                "…/homework?token=… and is yours alone.")
        return
    try:
        assignment, student = for_student(get_engine(), token)
    except AccessError as error:
        st.error(plain_text(str(error)), icon=":material/link_off:")
        return
    st.header(plain_text(assignment.spec.title))
    st.caption(f"For {plain_text(student.name or student.student_id)} (student id "
               f"{plain_text(student.student_id)}): your own version, with your own data.")
    link = f"{base_url()}/homework?token={token}"
    if st.session_state.pop("homework.new_link", False):
        st.success("This is your personal homework link. Save it (bookmark or copy it): it "
                   "opens your homework on any device, and nobody else has it.")
    with st.expander("Your personal link (to continue on another device)"):
        st.code(link, language=None)
    _rules(assignment)
    _items(assignment, student, token)


with friendly_errors("opening your homework"):
    main()
