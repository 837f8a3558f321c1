"""A real browser plays one round of each game against `streamlit run`, and takes screenshots.

Needs Debian's chromium at /usr/bin/chromium (``.ci/run`` installs it with apt-get); skips with
the reason when it is missing. Screenshots go to tests/app/screenshots/ (gitignored): look at
them after a change to a page.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from games import GAMES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SEED = 11
WAIT_MS = 60_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


@pytest.fixture(scope="module")
def server():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium "
                    "(apt-get install -y chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")
    port = _free_port()
    env = os.environ | {"PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless",
         "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _page(browser, width: int = 1280, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    return context, page


def _wait_idle(page) -> None:
    """Wait until Streamlit has finished running the script and drawing charts."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT_MS)
    page.wait_for_timeout(800)


HEIGHT_JS = (
    "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], "
    "[data-testid=\"stAppViewContainer\"], [data-testid=\"stMainBlockContainer\"]')]"
    ".map(e => e.scrollHeight), document.body.scrollHeight)"
)


def _shot(page, name: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so grow the
    viewport until it holds all the content (charts render lazily, so measure again)."""
    size = page.viewport_size
    height = size["height"]
    for _ in range(4):
        wanted = min(int(page.evaluate(HEIGHT_JS)) + 80, 12000)
        if wanted <= height:
            break
        height = wanted
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(1000)
    page.screenshot(path=str(SHOTS / name), full_page=True)
    page.set_viewport_size(size)


def _answer(page, round_) -> None:
    """Answer every question with the round's own solution, the way a learner would."""
    for question in round_.questions:
        wanted = round_.solution[question.id]
        if question.kind == "choice":
            words = question.text.replace("`", "")[:30]  # as rendered: code marks dropped
            form = page.locator('[data-testid="stRadio"]').filter(has_text=words)
            form.get_by_text(question.label_of(wanted), exact=True).click()
        else:
            box = page.get_by_label(question.text, exact=True)
            box.fill(f"{wanted:.1f}")
            box.press("Enter")
            _wait_idle(page)
    page.get_by_role("button", name="Check my answer").click()


def test_home_page(browser, server):
    context, page = _page(browser)
    page.goto(server)
    page.get_by_role("heading", name="Mixed models, played").wait_for()
    for game in GAMES.values():
        assert page.get_by_text(game.title).first.is_visible()
    _shot(page, "home.png")
    context.close()


@pytest.mark.parametrize("game_id", list(GAMES))
def test_play_one_round(browser, server, game_id):
    from playwright.sync_api import expect

    round_ = GAMES[game_id].make_round(SEED, "normal")
    context, page = _page(browser)
    page.goto(f"{server}/{game_id}?seed={SEED}")
    page.get_by_role("heading", name=GAMES[game_id].title).wait_for()
    page.get_by_text(f"Round {SEED}").first.wait_for()
    _wait_idle(page)
    assert f"seed={SEED}" in page.url
    _shot(page, f"{game_id}_question.png")
    _answer(page, round_)
    page.get_by_text("100 points.").wait_for()
    first_line = round_.reveal.explanation.split("\n\n")[0].replace("*", "")[:30]
    page.get_by_text(first_line).first.wait_for()
    _wait_idle(page)
    assert page.get_by_text("Traceback").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    score = page.locator('[data-testid="stSidebar"] [data-testid="stMetricValue"]').first
    expect(score).to_have_text("100")
    _shot(page, f"{game_id}_reveal.png")
    context.close()


def test_wrong_answer_in_a_t_round_shows_both_tests(browser, server):
    from playwright.sync_api import expect

    seed = next(s for s in range(SEED, SEED + 50)
                if GAMES["tails"].make_round(s, "normal").context["variant"] == "t")
    round_ = GAMES["tails"].make_round(seed, "normal")
    question = round_.questions[0]
    wrong = next(o for o in question.options if o.value != round_.solution[question.id])
    context, page = _page(browser)
    page.goto(f"{server}/tails?seed={seed}")
    page.get_by_text("Round").first.wait_for()
    page.get_by_text(wrong.label, exact=True).click()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_text("The matching test (").first).to_be_visible()
    expect(page.get_by_text("p-value of your test")).to_be_visible()
    _wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    _shot(page, "tails_wrong_reveal.png")
    context.close()


def test_phone_width(browser, server):
    game_id = "pooling" if "pooling" in GAMES else next(iter(GAMES))
    round_ = GAMES[game_id].make_round(SEED, "normal")
    context, page = _page(browser, width=390, height=844)
    page.goto(f"{server}/{game_id}?seed={SEED}")
    page.get_by_role("heading", name=GAMES[game_id].title).wait_for()
    _wait_idle(page)
    _shot(page, f"phone_{game_id}_question.png")
    _answer(page, round_)
    page.get_by_text("100 points.").wait_for()
    _wait_idle(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways on a phone ({width} px wide)"
    _shot(page, f"phone_{game_id}_reveal.png")
    context.close()


def test_bad_seed_shows_a_friendly_note(browser, server):
    context, page = _page(browser)
    page.goto(f"{server}/tails?seed=banana")
    page.get_by_text("must be a whole number").wait_for()
    assert page.get_by_text("Traceback").count() == 0
    context.close()
