"""Reading a class roster (CSV): student id, name, optional email; errors with line numbers.

Spreadsheets export CSV in many ways, so this accepts UTF-8 (with or without Excel's byte-order
mark) and UTF-16 with a byte-order mark, commas or semicolons, and the usual header names in
English (see :data:`HEADERS`). Anything else is refused with every problem and its line, and
nothing is stored until the whole file is right.
"""

from __future__ import annotations

import csv
import io
import re

from .model import Student

__all__ = ["RosterError", "parse_roster", "HEADERS", "MAX_STUDENTS", "check_student_id"]

MAX_STUDENTS = 2000
MAX_BYTES = 2_000_000
HEADERS = {
    "student_id": ("student id", "student_id", "studentid", "id", "id number", "idnumber",
                   "sis user id", "matriculation number", "username", "student number"),
    "name": ("name", "full name", "student", "student name", "fullname"),
    "first": ("first name", "firstname", "given name"),
    "last": ("last name", "lastname", "surname", "family name"),
    "email": ("email", "email address", "e-mail", "mail"),
}
_ID = re.compile(r"[\w.@+\-]{1,100}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class RosterError(ValueError):
    """A roster that cannot be used: ``problems`` lists each with its line number."""

    def __init__(self, problems: list[str]):
        shown = problems[:20] + ([f"… and {len(problems) - 20} more."]
                                 if len(problems) > 20 else [])
        super().__init__("The roster was not loaded; nothing was changed. " + " ".join(shown))
        self.problems = problems


def check_student_id(text: str) -> str:
    """A student id as typed (trimmed), or ValueError saying what an id may hold."""
    value = str(text).strip()
    if not _ID.fullmatch(value):
        raise ValueError("A student id is 1 to 100 letters, digits or . _ - + @ "
                         f"(no spaces); got “{value[:40]}”.")
    return value


def parse_roster(raw: bytes) -> list[Student]:
    """The students of a roster file, in file order, or RosterError with every problem."""
    text = _decode(raw)
    rows = list(csv.reader(io.StringIO(text), _dialect(text)))
    rows = [(n, row) for n, row in enumerate(rows, 1) if any(c.strip() for c in row)]
    if not rows:
        raise RosterError(["The file is empty: put a header line (student id, name, email) "
                           "and one student per line."])
    header_line, header = rows[0]
    columns = _columns(header)
    students, problems, seen = [], [], {}
    for line, row in rows[1:]:
        student, problem = _student(line, row, columns)
        if problem:
            problems.append(problem)
        elif student.student_id in seen:
            problems.append(f"Line {line}: student id {student.student_id} is already on "
                            f"line {seen[student.student_id]} (each id once).")
        else:
            seen[student.student_id] = line
            students.append(student)
    if not students and not problems:
        problems.append(f"Only a header on line {header_line}: add one student per line.")
    if len(students) > MAX_STUDENTS:
        problems.append(f"{len(students)} students: a roster holds at most {MAX_STUDENTS}.")
    if problems:
        raise RosterError(problems)
    return students


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise RosterError([f"The file is {len(raw):,} bytes; a roster is at most "
                           f"{MAX_BYTES:,} bytes."])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise RosterError([f"Line {line}: the file is not UTF-8 text (byte "
                           f"0x{raw[error.start]:02x}). Save it as “CSV UTF-8” in your "
                           "spreadsheet program and upload it again."]) from None


def _dialect(text: str) -> type[csv.Dialect]:
    first = text.splitlines()[0] if text else ""
    return _Semicolon if first.count(";") > first.count(",") else csv.excel


class _Semicolon(csv.excel):
    delimiter = ";"


def _columns(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    found = {}
    for key, aliases in HEADERS.items():
        for i, name in enumerate(names):
            if name in aliases and key not in found:
                found[key] = i
    if "student_id" not in found:
        raise RosterError([
            "Line 1 must be a header that names the student id column (for example "
            "“student id,name,email”); found: " + ", ".join(h.strip() for h in header) + "."])
    return found


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    i = columns.get(key)
    return row[i].strip() if i is not None and i < len(row) else ""


def _student(line: int, row: list[str], columns: dict) -> tuple[Student | None, str | None]:
    raw_id = _cell(row, columns, "student_id")
    if not raw_id:
        return None, f"Line {line}: the student id is missing."
    try:
        student_id = check_student_id(raw_id)
    except ValueError as error:
        return None, f"Line {line}: {error}"
    name = _cell(row, columns, "name") or " ".join(
        p for p in (_cell(row, columns, "first"), _cell(row, columns, "last")) if p)
    email = _cell(row, columns, "email")
    if email and not _EMAIL.fullmatch(email):
        return None, f"Line {line}: “{email[:60]}” is not an email address (leave it empty)."
    if len(name) > 200:
        return None, f"Line {line}: the name is longer than 200 characters."
    return Student(student_id, name, email, line), None
