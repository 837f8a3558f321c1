"""Assignments in the store: create, edit until the first submission, enrol, personal links.

Every function is one short transaction (store.write / store.read). Secrets travel in links
and are stored only as hashes: the lecturer key, the enrolment key and each student's token.
A student's token is derived from the lecturer key (homework.seeds.student_token), so the
lecturer can download all links again; a student who enrols themselves gets a random token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

import store
from store import homework_tables as t

from .model import AssignmentSpec, Item, Student, check_spec
from .roster import RosterError, check_student_id
from .seeds import enrol_token, new_secret, student_token

__all__ = ["AccessError", "Assignment", "Enrolled", "Created", "create_assignment",
           "for_lecturer", "update_assignment", "add_students", "enrol", "for_student",
           "students_of", "student_links", "replace_link", "has_submissions"]


class AccessError(ValueError):
    """A link that does not open anything (unknown, expired or wrong key), in plain words."""


@dataclass(frozen=True)
class Assignment:
    id: int
    spec: AssignmentSpec
    secret: str
    links_expire_at: datetime
    created_at: datetime


@dataclass(frozen=True)
class Enrolled:
    """A student as stored: ``key`` is the row id that drafts and submissions point to."""

    key: int
    student_id: str
    name: str
    email: str
    link_version: int


@dataclass(frozen=True)
class Created:
    assignment_id: int
    lecturer_key: str
    enrol_key: str | None


def create_assignment(engine: Engine, spec: AssignmentSpec) -> Created:
    """Save a new assignment; its lecturer key (and enrolment key) are returned only here."""
    check_spec(spec)
    lecturer_key = store.new_token()
    enrol_key = enrol_token(lecturer_key) if spec.open_enrolment else None
    now = store.utcnow()
    with store.write(engine) as conn:
        aid = conn.execute(insert(t.assignment).values(
            **_spec_columns(spec), secret=new_secret(),
            lecturer_key_hash=store.token_hash(lecturer_key),
            enrol_key_hash=store.token_hash(enrol_key) if enrol_key else None,
            created_at=now).returning(t.assignment.c.id)).scalar_one()
        _write_items(conn, aid, spec.items)
    return Created(aid, lecturer_key, enrol_key)


def for_lecturer(engine: Engine, lecturer_key: str) -> Assignment:
    with store.read(engine) as conn:
        row = _row_by(conn, t.assignment.c.lecturer_key_hash, lecturer_key)
        if row is None:
            raise AccessError("This lecturer link is not right: the key does not match any "
                              "assignment. Use the whole link you saved when you created it.")
        return _assignment(conn, row)


def update_assignment(engine: Engine, lecturer_key: str, spec: AssignmentSpec) -> str | None:
    """Replace title, items, times and rules; refused once any student has submitted.

    Returns a new enrolment key when this change opened enrolment (else None)."""
    check_spec(spec)
    with store.write(engine) as conn:
        row = _row_by(conn, t.assignment.c.lecturer_key_hash, lecturer_key)
        if row is None:
            raise AccessError("This lecturer link is not right; nothing was changed.")
        if _count_submissions(conn, row.id):
            raise AccessError("Students have already submitted answers, so the items and "
                              "rules can no longer change (their grades would no longer "
                              "match). Create a new assignment instead.")
        values, enrol_key = _spec_columns(spec), None
        if not spec.open_enrolment:
            values["enrol_key_hash"] = None
        elif row.enrol_key_hash is None:
            enrol_key = enrol_token(lecturer_key)
            values["enrol_key_hash"] = store.token_hash(enrol_key)
        conn.execute(update(t.assignment).where(t.assignment.c.id == row.id).values(**values))
        conn.execute(delete(t.item).where(t.item.c.assignment_id == row.id))
        _write_items(conn, row.id, spec.items)
    return enrol_key


def has_submissions(engine: Engine, assignment_id: int) -> bool:
    with store.read(engine) as conn:
        return bool(_count_submissions(conn, assignment_id))


def add_students(engine: Engine, lecturer_key: str, students: list[Student]) -> int:
    """Enrol a roster's students; all or nothing (ids already enrolled are refused)."""
    assignment = for_lecturer(engine, lecturer_key)
    now = store.utcnow()
    with store.write(engine) as conn:
        known = set(conn.scalars(select(t.student.c.student_id)
                                 .where(t.student.c.assignment_id == assignment.id)))
        clashes = [f"Line {s.line}: student id {s.student_id} is already enrolled."
                   for s in students if s.student_id in known]
        if clashes:
            raise RosterError(clashes)
        if students:
            _insert_students(conn, assignment, lecturer_key, students, now)
    return len(students)


def _insert_students(conn, assignment: Assignment, lecturer_key: str, students: list[Student],
                     now) -> None:
    """All rows in one statement; a clash with a concurrent upload rolls back the whole
    transaction (the error leaves the write block) and says so."""
    try:
        conn.execute(insert(t.student), [
            {"assignment_id": assignment.id, "student_id": s.student_id, "name": s.name,
             "email": s.email, "link_version": 1, "enrolled_at": now,
             "token_hash": store.token_hash(student_token(
                 lecturer_key, assignment.id, s.student_id, 1))}
            for s in students])
    except IntegrityError:
        raise RosterError(["Some of these students were enrolled at the same moment from "
                           "elsewhere; nothing was added. Upload the roster again."]) from None


def enrol(engine: Engine, enrol_key: str, student_id: str, name: str = "") -> str:
    """Open enrolment: a student types their id and gets a personal link token (once)."""
    student_id = check_student_id(student_id)
    token = store.new_token()
    with store.write(engine) as conn:
        row = _row_by(conn, t.assignment.c.enrol_key_hash, enrol_key)
        if row is None:
            raise AccessError("This enrolment link is not open: ask your lecturer for the "
                              "current link, or for your personal link.")
        if store.utcnow() >= row.links_expire_at:
            raise AccessError("This assignment is over: enrolment has closed.")
        taken = conn.scalar(select(func.count()).select_from(t.student).where(
            t.student.c.assignment_id == row.id, t.student.c.student_id == student_id))
        if taken:
            raise AccessError(f"Student id {student_id} is already enrolled. Open your "
                              "personal link, or ask your lecturer to send it again.")
        try:
            conn.execute(insert(t.student).values(
                assignment_id=row.id, student_id=student_id, name=name.strip()[:200],
                email="", token_hash=store.token_hash(token), link_version=0,
                enrolled_at=store.utcnow()))
        except IntegrityError:  # the same id enrolled at the same moment from elsewhere
            raise AccessError(f"Student id {student_id} is already enrolled.") from None
    return token


def for_student(engine: Engine, token: str) -> tuple[Assignment, Enrolled]:
    """The assignment and student a personal link opens, or AccessError (unknown/expired)."""
    with store.read(engine) as conn:
        row = _row_by(conn, t.student.c.token_hash, token)
        if row is None:
            raise AccessError("This homework link is not known. Check that you copied the "
                              "whole link, or ask your lecturer to send yours again.")
        a_row = conn.execute(select(t.assignment)
                             .where(t.assignment.c.id == row.assignment_id)).one()
        assignment = _assignment(conn, a_row)
    if store.utcnow() >= assignment.links_expire_at:
        raise AccessError(f"This homework link expired on "
                          f"{assignment.links_expire_at:%d %b %Y}: the assignment is over. "
                          "Your lecturer still has your answers and grade.")
    return assignment, _enrolled(row)


def students_of(engine: Engine, assignment_id: int) -> list[Enrolled]:
    with store.read(engine) as conn:
        rows = conn.execute(select(t.student).where(t.student.c.assignment_id == assignment_id)
                            .order_by(t.student.c.id)).all()
    return [_enrolled(r) for r in rows]


def student_links(engine: Engine, lecturer_key: str, base_url: str) -> list[dict]:
    """One row per student with their personal link (for mail merge or the LMS)."""
    assignment = for_lecturer(engine, lecturer_key)
    out = []
    for s in students_of(engine, assignment.id):
        token = student_token(lecturer_key, assignment.id, s.student_id, s.link_version)
        link = f"{base_url}?token={token}" if s.link_version > 0 else ""
        out.append({"student id": s.student_id, "name": s.name, "email": s.email,
                    "link": link or "enrolled themselves: use Replace link to send one"})
    return out


def replace_link(engine: Engine, lecturer_key: str, student_id: str) -> str:
    """A new personal link for a student (the old one stops working); their work is kept."""
    assignment = for_lecturer(engine, lecturer_key)
    with store.write(engine) as conn:
        row = conn.execute(select(t.student).where(
            t.student.c.assignment_id == assignment.id,
            t.student.c.student_id == student_id)).one_or_none()
        if row is None:
            raise AccessError(f"No student with id {student_id} in this assignment.")
        version = row.link_version + 1
        token = student_token(lecturer_key, assignment.id, student_id, version)
        conn.execute(update(t.student).where(t.student.c.id == row.id).values(
            link_version=version, token_hash=store.token_hash(token)))
    return token


# ----- helpers ------------------------------------------------------------------------------
def _spec_columns(spec: AssignmentSpec) -> dict:
    return {"title": spec.title.strip(), "opens_at": spec.opens_at, "due_at": spec.due_at,
            "time_zone": spec.time_zone, "attempts": spec.attempts, "feedback": spec.feedback,
            "after_due": spec.after_due, "links_expire_at": spec.links_expire_at}


def _write_items(conn, assignment_id: int, items: tuple[Item, ...]) -> None:
    conn.execute(insert(t.item), [
        {"assignment_id": assignment_id, "position": n, "game": i.game,
         "difficulty": i.difficulty, "rounds": i.rounds} for n, i in enumerate(items, 1)])


def _row_by(conn, column, token):
    if not isinstance(token, str) or not token:
        return None
    return conn.execute(select(column.table).where(column == store.token_hash(token))
                        ).one_or_none()


def _count_submissions(conn, assignment_id: int) -> int:
    return conn.scalar(select(func.count()).select_from(
        t.submission.join(t.student, t.submission.c.student == t.student.c.id))
        .where(t.student.c.assignment_id == assignment_id))


def _assignment(conn, row) -> Assignment:
    items = conn.execute(select(t.item).where(t.item.c.assignment_id == row.id)
                         .order_by(t.item.c.position)).all()
    spec = AssignmentSpec(
        title=row.title, items=tuple(Item(i.game, i.difficulty, i.rounds) for i in items),
        opens_at=row.opens_at, due_at=row.due_at, time_zone=row.time_zone,
        attempts=row.attempts, feedback=row.feedback, after_due=row.after_due,
        open_enrolment=row.enrol_key_hash is not None)
    return Assignment(row.id, spec, row.secret, row.links_expire_at, row.created_at)


def _enrolled(row) -> Enrolled:
    return Enrolled(row.id, row.student_id, row.name, row.email, row.link_version)
