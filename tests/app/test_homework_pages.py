"""AppTest of the homework and progress pages: the lecturer creates an assignment; a student
opens their link, answers a round on the game's own page (stored, graded, locked on reload),
drafts come back in a new session; bad links and withheld feedback say so; the lecturer sees
a student's round with its solution; remembered practice never scores a round twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import store
from games import GAMES, page_path
from homework import assignments as hw
from homework import practice, submissions
from homework.model import AssignmentSpec, Item, Student
from homework.questions import right_answer, wrong_answer

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
NOW = datetime.now(UTC)


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    engine = store.make_engine(url)
    store.migrate(engine)
    yield engine
    engine.dispose()


def _assignment(engine, **changes):
    values = dict(title="Week *3*", items=(Item("tails", "gentle", 1),),
                  opens_at=NOW - timedelta(days=1), due_at=NOW + timedelta(days=3),
                  time_zone="Europe/Berlin")
    created = hw.create_assignment(engine, AssignmentSpec(**(values | changes)))
    hw.add_students(engine, created.lecturer_key, [Student("s1", "Ada <b>L</b>")])
    token = hw.student_links(engine, created.lecturer_key, "x")[0]["link"].split("=")[1]
    return created, token


def _open(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.query_params.update(query)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for kind in ("markdown", "caption", "success", "error", "warning", "info",
                                  "header", "subheader") for m in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def _round(engine, created, n=1, r=1):
    assignment = hw.for_lecturer(engine, created.lecturer_key)
    ref = submissions.round_ref(assignment, "s1", n, r)
    return GAMES[ref.game].make_round(ref.seed, ref.difficulty)


def test_lecturer_creates_an_assignment(db):
    at = _open("app_pages/teach.py")
    at.text_input(key="teach.new.title").input("Week 3").run()
    next(b for b in at.button if b.label == "Create the assignment").click().run()
    assert not at.exception, at.exception
    key = at.query_params["key"]
    key = key[0] if isinstance(key, list) else key
    assert hw.for_lecturer(db, key).spec.title == "Week 3"
    assert "Save your **lecturer link**" in _texts(at)
    bad = _open("app_pages/teach.py", key="wrong")
    assert "lecturer link is not right" in _texts(bad)


def test_student_answers_a_round_once_and_drafts_survive(db):
    created, token = _assignment(db)
    home = _open("app_pages/homework.py", token=token)
    texts = _texts(home)
    assert "Week \\*3\\*" in texts and "not started" in texts  # typed text shown as typed
    round_ = _round(db, created)
    q = round_.questions[0]  # the round's question (its id depends on the variant)
    key = f"tails.form.{q.id}"
    at = _open(page_path("tails"), hw=token, item="1", round="1")
    wrong = next(o.value for o in q.options if o.value != round_.solution[q.id])
    at.radio(key=key).set_value(wrong).run()  # a draft, not sent
    again = _open(page_path("tails"), hw=token, item="1", round="1")  # another device
    assert again.radio(key=key).value == wrong
    again.radio(key=key).set_value(round_.solution[q.id]).run()
    next(b for b in again.button if b.label == "Check my answer").click().run()
    assert not again.exception, again.exception
    assert "100 points" in _texts(again)
    reload = _open(page_path("tails"), hw=token, item="1", round="1")
    assert not [b for b in reload.button if b.label == "Check my answer"]  # locked
    assert "100 points" in _texts(reload)
    assert len(submissions.attempts_of(db, assignment_id=1)) == 1
    assert "answered · 100 points" in _texts(_open("app_pages/homework.py", token=token))


def test_bad_links_and_withheld_feedback(db):
    created, token = _assignment(db, feedback="after_due")
    assert "not known" in _texts(_open("app_pages/homework.py", token="nope"))
    assert "not known" in _texts(_open(page_path("tails"), hw="nope", item="1", round="1"))
    at = _open(page_path("tails"), hw=token, item="1", round="1")
    round_ = _round(db, created)
    q = round_.questions[0]
    at.radio(key=f"tails.form.{q.id}").set_value(round_.solution[q.id]).run()
    next(b for b in at.button if b.label == "Check my answer").click().run()
    texts = _texts(at)
    assert "Your answer is in" in texts and "100 points" not in texts


def test_lecturer_sees_a_students_round_with_the_solution(db):
    created, _ = _assignment(db)
    at = _open(page_path("tails"), lk=created.lecturer_key, student="s1", item="1", round="1")
    texts = _texts(at)
    assert "showing the solution" in texts and "100 points" in texts
    at = _open("app_pages/teach.py", key=created.lecturer_key)
    assert any("Item 1, round 1" in str(p.label) for p in at.get("page_link"))


def test_remembered_practice_never_scores_a_round_twice(db):
    token = practice.create_learner(db)
    round_ = GAMES["tails"].make_round(5, "normal")
    query = {"progress": token, "seed": "5", "difficulty": "normal"}
    at = _open(page_path("tails"), **query)
    q = round_.questions[0]
    at.radio(key=f"tails.form.{q.id}").set_value(round_.solution[q.id])  # in a form: no run
    next(b for b in at.button if b.label == "Check my answer").click().run()
    assert not at.exception, at.exception
    assert at.session_state["app.points"] == 100
    reload = _open(page_path("tails"), **query)
    assert "played this round before" in _texts(reload)
    assert reload.session_state["app.points"] == 100  # not 200
    learner = practice.open_learner(db, token)
    assert len(practice.history(db, learner)) == 1
    page = _open("app_pages/progress.py", progress=token)
    assert any(m.label == "Score" and m.value == "100" for m in page.metric)


def test_the_next_round_starts_empty_in_the_same_session(db):
    created, token = _assignment(db, items=(Item("tails", "gentle", 2),))
    round_ = _round(db, created)
    q = round_.questions[0]
    at = _open(page_path("tails"), hw=token, item="1", round="1")
    at.radio(key=f"tails.form.{q.id}").set_value(round_.solution[q.id]).run()
    at.query_params["round"] = "2"
    at.switch_page(page_path("tails")).run()
    assert not at.exception, at.exception
    assert "round 2 of 2" in _texts(at)
    assert all(r.value is None for r in at.radio if str(r.key).startswith("tails.form."))


def test_lecturer_tabs_gradebook_and_exports(db):
    created, token = _assignment(db)
    round_ = _round(db, created)
    submissions.submit(db, token, 1, 1, right_answer(round_))
    at = _open("app_pages/teach.py", key=created.lecturer_key)
    labels = [b.label for b in at.get("download_button")]
    assert any("For Moodle" in str(label) for label in labels)
    assert any("personal link" in str(label) for label in labels)
    assert "fixed now" in _texts(at)  # settings are locked after the first submission
    at.number_input(key="teach.moodle_n").set_value(2).run()
    assert "2 questions: up to 1 s to build." in _texts(at)  # one item, PNG pictures
    next(b for b in at.button if b.label == "Build the Moodle XML").click().run()
    assert not at.exception, at.exception
    assert any("Download the Moodle XML" in str(b.label) for b in at.get("download_button"))


def test_practice_what_i_got_wrong(db):
    token = practice.create_learner(db)
    learner = practice.open_learner(db, token)
    round_ = GAMES["tails"].make_round(3, "tricky")
    answer = wrong_answer(round_)
    practice.record(db, learner, round_, answer, GAMES["tails"].score(round_, answer))
    at = _open("app_pages/progress.py", progress=token)
    met = next(d.value for d in at.dataframe if "misconception" in d.value.columns)
    assert met["times"].tolist() == [1]
    next(b for b in at.button if b.label == "Practice what I got wrong").click().run()
    assert not at.exception, at.exception
    assert at.session_state["app.difficulty"] == "tricky"
    assert at.title[0].value == GAMES["tails"].title


def test_an_unknown_progress_link_says_so(db):
    at = _open("app_pages/progress.py", progress="not-a-token")
    assert any("not known" in w.value for w in at.sidebar.warning)
    assert any(b.label == "Keep my progress" for b in at.button)
