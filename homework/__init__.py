"""Homework and remembered practice: assignments with a personal version per student, graded
by the games' own score(), kept in the store; gradebook, LMS exports, printable sheets and the
stress test of every game. Pure + store: no streamlit (the pages are in app_pages/).

Modules: model (what an assignment is), seeds (personal seeds and links), roster (CSV
rosters), assignments (store: create, edit, enrol, links), submissions (store: drafts,
grading), gradebook (tables and LMS CSV), questions (a round as exportable text, figure and
tolerances), moodle (Moodle XML), sheets (printable HTML), stress (python -m homework.stress),
practice (practice that remembers).
"""

__all__ = ["model", "seeds", "roster", "assignments", "submissions", "gradebook", "questions",
           "moodle", "sheets", "stress", "practice"]
