"""Homework and practice in the store, on SQLite and PostgreSQL: the migrated schema matches
store.homework_tables; assignments, links, drafts, submissions and remembered practice keep
their rules (bad links, closed assignments, wrong shapes, attempts, duplicates)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import MetaData, func, select

import store
from games import GAMES
from games.answers import InvalidAnswer
from homework import assignments as hw
from homework import practice, submissions
from homework.gradebook import gradebook, item_stats, to_csv
from homework.model import AssignmentSpec, Item, Student
from homework.questions import right_answer, wrong_answer
from homework.roster import RosterError
from store import homework_tables as t

NOW = datetime.now(UTC)


def spec(**changes) -> AssignmentSpec:
    values = dict(title="Week 3", items=(Item("tails", "gentle", 2), Item("pooling", "normal", 1)),
                  opens_at=NOW - timedelta(days=1), due_at=NOW + timedelta(days=7),
                  time_zone="Europe/Berlin", attempts=1)
    return AssignmentSpec(**(values | changes))


@pytest.fixture
def class_(engine):
    created = hw.create_assignment(engine, spec(open_enrolment=True))
    hw.add_students(engine, created.lecturer_key,
                    [Student("s1", "Ada Lovelace", "ada@uni.example", 2),
                     Student("s2", "Alan Turing", "", 3)])
    links = hw.student_links(engine, created.lecturer_key, "https://app/homework")
    tokens = {row["student id"]: row["link"].split("token=")[1] for row in links}
    return created, tokens


def test_the_migrated_schema_matches_the_current_tables(engine):
    live = MetaData()
    live.reflect(engine)
    for table in t.metadata.tables.values():
        assert table.name in live.tables
        assert {c.name for c in live.tables[table.name].columns} == {c.name for c in table.columns}


def test_links_open_the_right_student_and_bad_ones_say_why(engine, class_):
    created, tokens = class_
    assignment, student = hw.for_student(engine, tokens["s2"])
    assert (assignment.spec.title, student.name) == ("Week 3", "Alan Turing")
    assert assignment.spec.items[1] == Item("pooling", "normal", 1)
    with pytest.raises(hw.AccessError, match="not known"):
        hw.for_student(engine, tokens["s2"][:-2] + "xy")
    with pytest.raises(hw.AccessError, match="lecturer link is not right"):
        hw.for_lecturer(engine, "not-the-key")
    new = hw.replace_link(engine, created.lecturer_key, "s2")
    with pytest.raises(hw.AccessError, match="not known"):
        hw.for_student(engine, tokens["s2"])  # the old link stops working
    assert hw.for_student(engine, new)[1].student_id == "s2"


def test_expired_links_are_refused(engine):
    past = hw.create_assignment(engine, spec(opens_at=NOW - timedelta(days=400),
                                             due_at=NOW - timedelta(days=300)))
    hw.add_students(engine, past.lecturer_key, [Student("s9")])
    link = hw.student_links(engine, past.lecturer_key, "x")[0]["link"].split("token=")[1]
    with pytest.raises(hw.AccessError, match="expired"):
        hw.for_student(engine, link)


def test_roster_duplicates_and_enrolment_are_all_or_nothing(engine, class_):
    created, _ = class_
    with pytest.raises(RosterError, match="Line 4: student id s1 is already enrolled"):
        hw.add_students(engine, created.lecturer_key, [Student("s3", line=3),
                                                       Student("s1", line=4)])
    assert [s.student_id for s in hw.students_of(engine, 1)] == ["s1", "s2"]  # s3 not added
    token = hw.enrol(engine, created.enrol_key, "s4", "Grace")
    assert hw.for_student(engine, token)[1].name == "Grace"
    with pytest.raises(hw.AccessError, match="already enrolled"):
        hw.enrol(engine, created.enrol_key, "s1")
    with pytest.raises(hw.AccessError, match="not open"):
        hw.enrol(engine, "wrong", "s5")


def test_drafts_survive_and_submissions_are_graded_once(engine, class_):
    created, tokens = class_
    token = tokens["s1"]
    submissions.save_draft(engine, token, 2, 1, {"S1.intercept": "25"})
    _, student = hw.for_student(engine, token)
    assert submissions.drafts_of(engine, student) == {(2, 1): {"S1.intercept": "25"}}
    assignment = hw.for_lecturer(engine, created.lecturer_key)
    ref = submissions.round_ref(assignment, "s1", 1, 1)
    round_ = GAMES[ref.game].make_round(ref.seed, ref.difficulty)
    with pytest.raises(InvalidAnswer):
        submissions.submit(engine, token, 1, 1, {"test": "sideways"})
    done = submissions.submit(engine, token, 1, 1, right_answer(round_))
    assert (done.score.points, done.attempt, done.attempts_left, done.late) == (100, 1, 0, False)
    with pytest.raises(hw.AccessError, match="all 1 attempt"):
        submissions.submit(engine, token, 1, 1, wrong_answer(round_))
    with pytest.raises(hw.AccessError, match="no longer change"):
        hw.update_assignment(engine, created.lecturer_key, spec(title="Changed"))
    attempts = submissions.attempts_of(engine, assignment_id=assignment.id)
    assert [(a.position, a.points, a.seed) for _, a in attempts] == [(1, 100, ref.seed)]
    book = gradebook(assignment, hw.students_of(engine, assignment.id), attempts)
    assert book.table.set_index("student id").loc["s1", "total"] == 100
    assert book.table.set_index("student id").loc["s2", "total"] == 0
    assert "s1" in to_csv(book, "moodle") and "Points Possible" in to_csv(book, "canvas")
    assert item_stats(assignment, attempts).loc[0, "share right"] == 1.0


def test_closed_and_late_submissions(engine):
    for after_due, expect in (("closed", "closed on"), ("late", None)):
        created = hw.create_assignment(engine, spec(after_due=after_due))
        hw.add_students(engine, created.lecturer_key, [Student("s1")])
        token = hw.student_links(engine, created.lecturer_key, "x")[0]["link"].split("=")[1]
        assignment = hw.for_lecturer(engine, created.lecturer_key)
        ref = submissions.round_ref(assignment, "s1", 1, 2)
        answer = right_answer(GAMES[ref.game].make_round(ref.seed, ref.difficulty))
        later = NOW + timedelta(days=8)
        if expect:
            with pytest.raises(hw.AccessError, match=expect):
                submissions.submit(engine, token, 1, 2, answer, now=later)
            with store.read(engine) as conn:
                assert conn.scalar(select(func.count()).select_from(t.submission)) == 0
        else:
            done = submissions.submit(engine, token, 1, 2, answer, now=later)
            assert done.late and done.show_feedback


def test_an_unopened_assignment_refuses_answers(engine):
    created = hw.create_assignment(engine, spec(opens_at=NOW + timedelta(days=1)))
    hw.add_students(engine, created.lecturer_key, [Student("s1")])
    token = hw.student_links(engine, created.lecturer_key, "x")[0]["link"].split("=")[1]
    with pytest.raises(hw.AccessError, match="opens on"):
        submissions.submit(engine, token, 1, 1, {"test": "two-sided"})


def test_practice_remembers_and_never_scores_a_round_twice(engine):
    token = practice.create_learner(engine)
    learner = practice.open_learner(engine, token)
    game = GAMES["tails"]
    rounds = [game.make_round(s, "normal") for s in (1, 2)]
    first = game.score(rounds[0], wrong_answer(rounds[0]))
    assert practice.record(engine, learner, rounds[0], wrong_answer(rounds[0]), first)[0]
    again, stood = practice.record(engine, learner, rounds[0], right_answer(rounds[0]),
                                   game.score(rounds[0], right_answer(rounds[0])))
    assert not again and stood.points == first.points  # the first answer stands
    practice.record(engine, learner, rounds[1], right_answer(rounds[1]),
                    game.score(rounds[1], right_answer(rounds[1])))
    progress = practice.progress(practice.history(engine, learner))
    assert (progress.rounds, progress.points, progress.streak) == (2, first.points + 100, 1)
    assert progress.mastery[0].share_right == 0.5
    assert progress.misconceptions[0][0] == first.misconception
    with pytest.raises(hw.AccessError, match="not known"):
        practice.open_learner(engine, "nope")


def test_an_unused_practice_link_expires(engine):
    token = practice.create_learner(engine)
    with store.write(engine) as conn:
        conn.execute(t.learner.update().values(last_seen_at=NOW - timedelta(days=400)))
    with pytest.raises(hw.AccessError, match="expired after a year"):
        practice.open_learner(engine, token)
