"""The lecturer page's tabs: students and links, gradebook, versions, exports (UI only)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from app_pages.database import base_url, get_engine
from games import GAMES, page_path
from games.text import plain as plain_text
from games.ui import cached_round
from homework import submissions
from homework.assignments import (
    AccessError,
    Assignment,
    add_students,
    replace_link,
    student_links,
    students_of,
)
from homework.gradebook import gradebook, item_stats, to_csv
from homework.model import local_time
from homework.moodle import IMAGE_KINDS, moodle_xml
from homework.roster import RosterError, parse_roster
from homework.seeds import enrol_token
from homework.sheets import sheet_html

__all__ = ["students_tab", "gradebook_tab", "versions_tab", "exports_tab"]


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text)[:40] or "assignment"


def students_tab(assignment: Assignment, key: str) -> None:
    engine = get_engine()
    people = students_of(engine, assignment.id)
    st.markdown(f"**{len(people)} student{'s' if len(people) != 1 else ''} enrolled.**")
    if assignment.spec.open_enrolment:
        st.markdown("Open enrolment link (students type their id and get their own link):")
        st.code(f"{base_url()}/homework?enrol={enrol_token(key)}", language=None)
    upload = st.file_uploader("Upload a roster (CSV: student id, name, optional email)",
                              type=["csv", "txt"], key="teach.roster")
    if upload is not None:
        try:
            roster = parse_roster(upload.getvalue())
        except RosterError as error:
            st.error("The roster was not loaded; nothing was changed.\n\n" + "\n".join(
                f"- {plain_text(p)}" for p in error.problems[:30]))
        else:
            st.dataframe(pd.DataFrame([{"student id": s.student_id, "name": s.name,
                                        "email": s.email} for s in roster]), hide_index=True,
                         height=200)
            if st.button(f"Enrol these {len(roster)} students", type="primary"):
                try:
                    add_students(engine, key, roster)
                except RosterError as error:
                    st.error("Nothing was enrolled:\n\n" + "\n".join(
                        f"- {plain_text(p)}" for p in error.problems[:30]))
                else:
                    st.success(f"Enrolled {len(roster)} students.")
                    st.rerun()
    if not people:
        return
    links = pd.DataFrame(student_links(engine, key, f"{base_url()}/homework"))
    st.download_button("Download every personal link (CSV, for mail merge or the LMS)",
                       links.to_csv(index=False).encode("utf-8"),
                       f"{_slug(assignment.spec.title)}_links.csv", "text/csv")
    st.dataframe(links, hide_index=True, height=240)
    with st.expander("Replace a student's link (the old one stops working)"):
        who = st.selectbox("Student", [p.student_id for p in people], key="teach.replace_who")
        if st.button("Replace the link", key="teach.replace"):
            try:
                token = replace_link(engine, key, who)
            except AccessError as error:
                st.error(plain_text(str(error)))
            else:
                st.code(f"{base_url()}/homework?token={token}", language=None)


def gradebook_tab(assignment: Assignment) -> None:
    engine = get_engine()
    people = students_of(engine, assignment.id)
    attempts = submissions.attempts_of(engine, assignment_id=assignment.id)
    book = gradebook(assignment, people, attempts)
    st.dataframe(book.table, hide_index=True, height=300)
    name = _slug(assignment.spec.title)
    cols = st.columns(3)
    for col, (kind, label) in zip(cols, (("full", "Full gradebook"), ("moodle", "For Moodle"),
                                         ("canvas", "For Canvas")), strict=True):
        col.download_button(f"{label} (CSV)", to_csv(book, kind).encode("utf-8"),
                            f"{name}_grades_{kind}.csv", "text/csv", key=f"teach.csv.{kind}")
    st.caption("Moodle: Grades › Import › CSV file, map “ID number” (or “Email address”) to "
               "the user. Canvas: Grades › Import; students are matched by SIS User ID.")
    st.subheader("Per item")
    stats = item_stats(assignment, attempts)
    st.dataframe(stats.style.format({"share right": "{:.0%}", "mean points": "{:.0f}"},
                                    na_rep="–"), hide_index=True)


def versions_tab(assignment: Assignment, key: str) -> None:
    people = students_of(get_engine(), assignment.id)
    if not people:
        st.info("Enrol students first: each gets their own version.")
        return
    who = st.selectbox("Student", people, format_func=lambda p: f"{p.student_id} {p.name}",
                       key="teach.version_who")
    st.caption("Open a round to see it as the student does, with their answer or the "
               "solution (office hours, regrading).")
    for ref in submissions.rounds_of(assignment, who.student_id):
        st.page_link(page_path(ref.game),
                     label=f"Item {ref.position}, round {ref.round_no}: "
                           f"{GAMES[ref.game].title} ({ref.difficulty}), seed {ref.seed}",
                     query_params={"lk": key, "student": who.student_id,
                                   "item": ref.position, "round": ref.round_no})


# CPU seconds per exported question of the slowest games (pooling, convergence, tails), measured
# on a 2-core server: PNG 0.27-0.32, SVG 0.16-0.27, no pictures 0.10-0.15 (syntax: 0.03).
SECONDS_PER_QUESTION = {"png": 0.3, "svg": 0.25, "none": 0.12}


def _duration(seconds: float) -> str:
    """An upper estimate in words: rounded up, never down."""
    return f"{math.ceil(seconds)} s" if seconds < 90 else f"{math.ceil(seconds / 60)} minutes"


def exports_tab(assignment: Assignment) -> None:
    name = _slug(assignment.spec.title)
    st.subheader("Moodle XML")
    st.caption("N variants of every item, one question category per item, ready for "
               "Question bank › Import › Moodle XML format; build a quiz with random "
               "questions from each category.")
    left, right = st.columns(2)
    n = left.number_input("Variants per item", 1, 200, 20, key="teach.moodle_n")
    images = right.radio("Pictures", IMAGE_KINDS, key="teach.moodle_images", horizontal=True)
    total = int(n) * len(assignment.spec.items)
    seconds = total * SECONDS_PER_QUESTION[images]
    tip = "; without pictures about half" if images != "none" and seconds > 60 else ""
    st.caption(f"{total} questions: up to {_duration(seconds)} to build{tip}.")
    if st.button("Build the Moodle XML", key="teach.moodle"):
        bar = st.progress(0.0, text=f"Building {total} questions…")
        data = moodle_xml(assignment.spec.title, assignment.spec.items, int(n),
                          assignment.secret, images,
                          progress=lambda done, of: bar.progress(
                              done / of, text=f"Built {done} of {of} questions"))
        bar.empty()
        st.download_button("Download the Moodle XML", data, f"{name}_moodle.xml",
                           "application/xml", key="teach.moodle_download")
    st.subheader("Printable sheets")
    people = students_of(get_engine(), assignment.id)
    if not people:
        st.info("Enrol students first: each sheet is one student's own version.")
        return
    who = st.selectbox("Student", people, format_func=lambda p: f"{p.student_id} {p.name}",
                       key="teach.sheet_who")
    for solutions, label in ((False, "Homework sheet"), (True, "Solutions sheet")):
        if st.button(f"Build the {label.lower()}", key=f"teach.sheet.{solutions}"):
            with st.spinner("Drawing the rounds…"):
                html = _sheet(assignment, who, solutions)
            st.download_button(f"Download the {label.lower()} (HTML: open and print)",
                               html.encode("utf-8"),
                               f"{name}_{who.student_id}_{'solutions' if solutions else 'sheet'}"
                               ".html", "text/html", key=f"teach.sheet_dl.{solutions}")


def _sheet(assignment: Assignment, who, solutions: bool) -> str:
    rounds = [(f"Item {r.position}, round {r.round_no}: {GAMES[r.game].title}",
               cached_round(GAMES[r.game], r.seed, r.difficulty))
              for r in submissions.rounds_of(assignment, who.student_id)]
    spec = assignment.spec
    return sheet_html(spec.title, [(who.student_id, who.name, rounds)], solutions,
                      due=local_time(spec.due_at, spec.time_zone))
