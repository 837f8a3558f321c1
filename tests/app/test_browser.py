"""A real browser plays one round of each game against `streamlit run`, and takes screenshots.

The server and browser fixtures are in conftest.py (shared with test_browser_sandbox.py, which
also uses the page helpers below). Screenshots go to tests/app/screenshots/ (gitignored): look
at them after a change to a page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from games import GAMES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parent / "screenshots"
SEED = 11
WAIT_MS = 60_000


def _page(browser, width: int = 1280, height: int = 900):
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)  # expect()'s own default is a fixed 5 s
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    return context, page


# Streamlit is idle when its running indicator is gone, no element is stale (left over from
# the previous run) and every chart has drawn its marks: the app's own state, not a clock.
IDLE_JS = """() => {
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .filter(c => c.checkVisibility());  // a chart in a closed section is drawn when opened
  return charts.every(c => c.querySelector('canvas, svg.marks'));
}"""


def _wait_idle(page) -> None:
    """Wait until Streamlit has finished running the script and drawing charts."""
    page.wait_for_function(IDLE_JS, timeout=WAIT_MS, polling=100)


def _wait_reveal(page) -> None:
    """Wait for the whole reveal: the round loop draws a second "New round" button at its very
    end (Streamlit shows its running indicator only after a moment, so a fresh run can look
    idle; the button cannot)."""
    from playwright.sync_api import expect

    page.get_by_text("100 points.").wait_for()
    expect(page.get_by_role("button", name="New round")).to_have_count(2, timeout=WAIT_MS)
    _wait_idle(page)


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
        _wait_idle(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)
    page.set_viewport_size(size)


def _answer(page, round_) -> None:
    """Answer every question with the round's own solution, the way a learner would."""
    for question in round_.questions:
        wanted = round_.solution[question.id]
        if question.kind == "choice":
            words = question.text.replace("`", "")[:30]  # as rendered: code marks dropped
            form = page.locator('[data-testid="stRadio"]').filter(has_text=words)
            form.get_by_text(question.label_of(wanted).replace("`", ""), exact=True).click()
        elif question.kind == "text":  # typed in a form: Enter would submit it, so only fill
            page.get_by_label(question.text, exact=True).fill(str(wanted))
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
    _wait_reveal(page)
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
    _wait_reveal(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways on a phone ({width} px wide)"
    _shot(page, f"phone_{game_id}_reveal.png")
    context.close()


def test_bad_seed_shows_a_friendly_note(browser, server):
    context, page = _page(browser)
    page.goto(f"{server}/tails?seed=banana")
    page.get_by_text("round number is a whole number").wait_for()
    assert page.get_by_text("Traceback").count() == 0
    context.close()
