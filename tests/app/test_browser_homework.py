"""A real browser: a student opens their personal link, keeps a draft across a reload,
answers a homework round on the game's page, and the answer stays locked after a reload.

Waits on what the page shows (text, a checked radio), never on fixed sleeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import store
from games import GAMES
from homework import assignments as hw
from homework import submissions
from homework.model import AssignmentSpec, Item, Student

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WAIT_MS = 60_000


@pytest.fixture
def student(server_database):
    engine = store.make_engine(server_database)
    store.migrate(engine)
    now = datetime.now(UTC)
    created = hw.create_assignment(engine, AssignmentSpec(
        "Browser week", (Item("tails", "gentle", 1),), now - timedelta(hours=1),
        now + timedelta(days=1)))
    hw.add_students(engine, created.lecturer_key, [Student("b1", "Bea")])
    token = hw.student_links(engine, created.lecturer_key, "x")[0]["link"].split("=")[1]
    assignment = hw.for_lecturer(engine, created.lecturer_key)
    ref = submissions.round_ref(assignment, "b1", 1, 1)
    yield engine, token, GAMES["tails"].make_round(ref.seed, ref.difficulty)
    engine.dispose()


def test_a_student_does_an_item(browser, server, student):
    engine, token, round_ = student
    question = round_.questions[0]
    right = question.label_of(round_.solution[question.id])
    wrong = next(o.label for o in question.options if o.value != round_.solution[question.id])
    context = browser.new_context(viewport={"width": 1100, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{server}/homework?token={token}")
    page.get_by_text("Browser week").wait_for()
    page.get_by_text("not started").wait_for()
    page.get_by_role("link", name="Round 1").click()
    page.get_by_text(question.text).first.wait_for()
    page.get_by_text(wrong, exact=True).click()  # a draft, kept while choosing
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    page.reload()
    page.get_by_role("radio", name=wrong).wait_for()
    page.wait_for_function(f"() => [...document.querySelectorAll('input[type=radio]')]"
                           f".some(r => r.checked && r.closest('label').innerText"
                           f".includes({wrong!r}))")
    page.get_by_text(right, exact=True).click()
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_text("100 points.").wait_for()
    page.reload()
    page.get_by_text("100 points.").wait_for()
    assert page.get_by_role("button", name="Check my answer").count() == 0
    attempts = submissions.attempts_of(engine, assignment_id=1)
    assert [(a.points, a.answer[question.id]) for _, a in attempts] == [
        (100, round_.solution[question.id])]
    context.close()
