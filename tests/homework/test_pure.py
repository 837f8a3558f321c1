"""The pure parts of homework: personal seeds, rosters (errors with line numbers), assignment
checks, the gradebook and its LMS CSV files, tolerances, printable sheets."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from games import GAMES
from homework.assignments import Assignment, Enrolled
from homework.gradebook import gradebook, item_stats, to_csv
from homework.model import AssignmentSpec, Item, SpecError, check_spec
from homework.questions import right_answer, tolerance, wrong_answer
from homework.roster import RosterError, parse_roster
from homework.seeds import personal_seed, student_token
from homework.sheets import sheet_html
from homework.submissions import Attempt, rounds_of

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_seeds_are_reproducible_personal_and_48_bit():
    assert personal_seed("k", "s1", 1, 1) == personal_seed("k", "s1", 1, 1)
    seeds = {personal_seed("k", f"s{i}", item, r) for i in range(300) for item in range(1, 6)
             for r in range(1, 4)}
    assert len(seeds) == 300 * 5 * 3  # no two rounds of a class share a dataset
    assert max(seeds) < 2**48
    assert personal_seed("other", "s1", 1, 1) != personal_seed("k", "s1", 1, 1)
    assert student_token("key", 1, "s1", 1) != student_token("key", 1, "s1", 2)


@pytest.mark.parametrize(("raw", "message"), [
    (b"student id,name\n1,Ann\n2,Bob\n1,Cy\n", "Line 4: student id 1 is already on line 2"),
    (b"student id,name\n,Ann\n", "Line 2: the student id is missing"),
    (b"name,email\nAnn,a@b.c\n", "must be a header that names the student id"),
    (b"id,name\n7,Ann\n8,Caf\xe9\n", "Line 3: the file is not UTF-8"),
    (b"id,email\n7,not-an-email\n", "Line 2: .*not an email address"),
    (b"id,name\n7 7,Ann\n", "Line 2: A student id is 1 to 100"),
    (b"", "The file is empty"),
    (b"id,name\n", "Only a header"),
])
def test_bad_rosters_say_what_and_where(raw, message):
    with pytest.raises(RosterError, match=message):
        parse_roster(raw)


def test_rosters_from_spreadsheets():
    excel = "\ufeffMatriculation number;First name;Last name;E-mail\n123;Ada;Lovelace;a@x.org\n"
    students = parse_roster(excel.encode("utf-8"))
    assert [(s.student_id, s.name, s.email, s.line) for s in students] == [
        ("123", "Ada Lovelace", "a@x.org", 2)]
    utf16 = "student id,name\n9,Zoë\n".encode("utf-16")
    assert parse_roster(utf16)[0].name == "Zoë"


def test_assignment_problems_are_listed_together():
    with pytest.raises(SpecError) as caught:
        check_spec(AssignmentSpec(" ", (Item("nope", "hard", 0),), NOW, NOW - timedelta(1),
                                  "Mars/Base", attempts=0, feedback="never"))
    text = " ".join(caught.value.problems)
    for part in ("title", "unknown game 'nope'", "difficulty", "rounds", "Unknown time zone",
                 "Attempts", "Feedback"):
        assert part in text


def _book():
    spec = AssignmentSpec("W", (Item("tails", "gentle", 2), Item("pvalues", "normal", 1)),
                          NOW, NOW + timedelta(days=7))
    assignment = Assignment(1, spec, "secret", NOW + timedelta(days=200), NOW)
    people = [Enrolled(1, "s1", "Ada Lovelace", "a@x.org", 1), Enrolled(2, "s2", "", "", 0)]

    def at(pos, rnd, n, points, misc=None, late=False):
        return Attempt(pos, rnd, n, 1, {"test": "two-sided"}, points, points == 100, misc,
                       NOW + timedelta(hours=n), late)

    attempts = [(1, at(1, 1, 1, 0, "one_tailed")), (1, at(1, 1, 2, 100)),
                (1, at(2, 1, 1, 50, "used_number_of_groups", late=True))]
    return assignment, people, attempts


def test_gradebook_takes_the_best_attempt_and_flags_late():
    assignment, people, attempts = _book()
    book = gradebook(assignment, people, attempts)
    ada = book.table.set_index("student id").loc["s1"]
    assert ada[book.item_columns[0]] == 100 and ada[book.item_columns[1]] == 50
    assert (ada["total"], ada["late"], ada["attempts"]) == (150, True, 3)
    assert book.table.set_index("student id").loc["s2", "total"] == 0
    stats = item_stats(assignment, attempts)
    assert stats.loc[0, "share right"] == 1.0
    assert "one_tailed (1)" in stats.loc[0, "misconceptions met most"]
    assert "two-sided 1" in stats.loc[0, "answers"]


def test_lms_csv_files_have_the_columns_their_importers_map():
    book = gradebook(*_book())
    moodle = list(csv.DictReader(io.StringIO(to_csv(book, "moodle"))))
    assert moodle[0]["ID number"] == "s1" and moodle[0]["Email address"] == "a@x.org"
    assert moodle[0]["W (total)"] == "150"
    canvas = list(csv.reader(io.StringIO(to_csv(book, "canvas"))))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1][0].strip() == "Points Possible" and canvas[1][-1] == "300"
    assert canvas[2][:3] == ["Lovelace, Ada", "", "s1"] and canvas[2][-1] == "150"
    with pytest.raises(ValueError, match="Unknown gradebook format"):
        to_csv(book, "blackboard")


def test_a_versions_rounds_follow_the_items():
    assignment, _, _ = _book()
    refs = rounds_of(assignment, "s1")
    assert [(r.position, r.round_no, r.game) for r in refs] == [
        (1, 1, "tails"), (1, 2, "tails"), (2, 1, "pvalues")]


def test_tolerance_is_the_full_marks_band_of_score():
    round_ = GAMES["pvalues"].make_round(3, "normal")
    band = tolerance(round_, "df")
    game, answer = GAMES["pvalues"], right_answer(round_)
    right = answer["df"]
    assert game.score(round_, answer | {"df": right + band.full}).points == 100
    assert game.score(round_, answer | {"df": right + band.full * 1.05 + 0.1}).points < 100
    assert game.score(round_, wrong_answer(round_)).points < 100


def test_sheets_escape_names_and_hold_the_answers_only_in_solutions():
    round_ = GAMES["pvalues"].make_round(3, "normal")
    people = [("s<1>", "Ada <script>", [("Item 1", round_)])]
    sheet = sheet_html("W & co", people)
    solutions = sheet_html("W & co", people, solutions=True)
    assert "<script>" not in sheet and "Ada &lt;script&gt;" in sheet and "W &amp; co" in sheet
    assert "Answer</strong>" in solutions and "Answer</strong>" not in sheet
    assert "summary(model)" in sheet and "@page" in sheet
