"""A real class game in real browsers: a host on the projector page and three phones at
390 px play two rounds to the leaderboard, then the closing poll and the summary.

Runs its own server on a fresh SQLite file; every wait is on the page's state (a button, a
text), never a fixed sleep. Screenshots go to tests/app/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from classroom import host, open_store
from classroom.playlists import Slot
from tests.appserver import AppServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent / "screenshots"
WAIT_MS = 90_000
PLAYLIST = (Slot("tails", "normal", 3), Slot("tails", "normal", 8))


@pytest.fixture(scope="module")
def game(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")
    folder = tmp_path_factory.mktemp("class-browser")
    url = f"sqlite:///{folder / 'class.sqlite3'}"
    server = AppServer(url, folder / "server.log").start()
    created = host.create_game(open_store(url), PLAYLIST, "Browser class")
    yield server, created
    server.stop()


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def test_a_host_and_three_phones_play_two_rounds(game, browser):
    server, created = game
    SHOTS.mkdir(exist_ok=True)
    projector = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    projector.set_default_timeout(WAIT_MS)
    projector.goto(f"{server.url}/class?code={created.code}&key={created.host_key}")
    projector.get_by_role("button", name="Start question 1").wait_for()

    phones = []
    for name in ("Ada", "<b>Bob</b>", "[Cy](http://x.org)"):
        phone = browser.new_context(viewport={"width": 390, "height": 844},
                                    is_mobile=True, has_touch=True).new_page()
        phone.set_default_timeout(WAIT_MS)
        phone.goto(f"{server.url}/join?code={created.code}")
        phone.fill("#nickname", name)
        _click(phone, "Join")
        phone.get_by_text(f"You're in, {name}!").wait_for()
        phones.append(phone)
    projector.get_by_text("[Cy](http://x.org)").wait_for(state="attached")  # plain text
    projector.screenshot(path=str(SHOTS / "class_lobby.png"), full_page=True)

    for number, start in ((1, "Start question 1"), (2, "Question 2 of 2")):
        _click(projector, start)
        for i, phone in enumerate(phones):
            phone.get_by_role("button", name="Send answer").wait_for()
            phone.locator(".options button").nth(i % 2).click()
            _click(phone, "Send answer")
            phone.get_by_text("Answer sent.").wait_for()
        if number == 1:  # a reload (or a locked screen) rejoins with the same player
            phones[0].reload()
            phones[0].get_by_text("Answer sent.").wait_for()
            phones[0].screenshot(path=str(SHOTS / "class_phone_question.png"),
                                 full_page=True)
        _click(projector, "Lock answers")
        phones[2].get_by_text("Answers are locked.").wait_for()
        _click(projector, "Reveal")
        projector.get_by_text("What the class fell for").wait_for()
        for phone in phones:
            phone.locator(".big").first.wait_for()
            phone.get_by_text("Right answer:").wait_for()
        _click(projector, "Leaderboard")
        projector.get_by_text("Top 3 of 3").wait_for()
        for phone in phones:
            phone.get_by_text(" of 3", exact=False).first.wait_for()
    projector.screenshot(path=str(SHOTS / "class_leaderboard.png"), full_page=True)
    phones[1].screenshot(path=str(SHOTS / "class_phone_leaderboard.png"), full_page=True)

    _click(projector, "Closing poll")
    for phone in phones:
        phone.get_by_text("How was it?").wait_for()
        _click(phone, "About right")
        _click(phone, "4 of 5")
        _click(phone, "Send")
        phone.get_by_text("Thanks! Your answer is with the lecturer.").wait_for()
    projector.get_by_text("3 of 3").wait_for()
    _click(projector, "End the poll: summary")
    projector.get_by_text("How each round went").wait_for()
    projector.screenshot(path=str(SHOTS / "class_summary.png"), full_page=True)
    for phone in phones:
        phone.get_by_text("Thanks for playing!").wait_for()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phones[1].locator("#who").text_content().startswith("<b>Bob</b>")
    for page in (projector, *phones):
        page.context.close()
