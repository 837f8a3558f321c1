"""User text never becomes a link, an image, HTML, math, emphasis or a colour, on any page.

Hostile strings (tests/app/markdown_safety.HOSTILE) arrive the ways a user's text can: a shared
link's ``?seed=`` and ``?difficulty=`` on every page, a typed answer (the formula game) and a
typed formula (the sandbox). Every element that Streamlit renders as Markdown (text, captions,
messages, titles, labels, options) is checked with markdown_safety.problems, and where the text
shows, it must show as typed. The browser test at the end checks the real page's DOM.
"""

from __future__ import annotations

import pytest

from games import GAMES, page_path
from tests.app.markdown_safety import HOSTILE, MARKER, problems
from tests.app.test_pages import _app

MARKDOWN_KINDS = {"markdown", "caption", "title", "header", "subheader", "info", "warning",
                  "error", "success", "toast"}
LABELLED_KINDS = {"metric", "radio", "selectbox", "button", "expandable", "text_input",
                  "number_input", "checkbox", "slider", "select_slider", "multiselect",
                  "text_area", "tab"}
PAGES = ["app_pages/home.py", *(page_path(g) for g in GAMES), "app_pages/sandbox.py"]


def _payloads() -> list[str]:
    """The hostile strings packed into link-sized payloads (under 110 characters each, so a
    page quotes each whole)."""
    out, current = [], ""
    for text in HOSTILE:
        if current and len(current) + len(text) + 1 > 110:
            out.append(current)
            current = ""
        current = f"{current} {text}".strip()
    return [*out, current]


PAYLOADS = _payloads()


def _sources(node) -> list[tuple[str, str]]:
    """(kind, Markdown source) of every element under ``node`` that renders Markdown."""
    out = []
    kind = getattr(node, "type", None)
    if kind == "exception":
        out.append(("exception", f"<exception>{node.value}</exception>"))
    elif kind in MARKDOWN_KINDS and isinstance(node.value, str):
        out.append((kind, node.value))
    elif kind in LABELLED_KINDS:
        out += [(kind, str(node.label))]
        out += [(kind, str(o)) for o in getattr(node, "options", None) or []]
    for child in (getattr(node, "children", None) or {}).values():
        out += _sources(child)
    return out


def _assert_plain(at, *typed: str) -> list[str]:
    """Every Markdown element safe; the elements that show the typed text."""
    sources = _sources(at._tree)
    bad = {f"{kind}: {source[:100]!r}": found for kind, source in sources
           if (found := problems(source, typed=typed))}
    assert not bad, bad
    return [source for _, source in sources if MARKER in source]


@pytest.mark.parametrize("payload", range(len(PAYLOADS)))
@pytest.mark.parametrize("page", PAGES)
def test_links_with_hostile_seed_and_difficulty(page, payload):
    seed, difficulty = PAYLOADS[payload], PAYLOADS[(payload + 1) % len(PAYLOADS)]
    at = _app().run()
    at.query_params.update({"seed": seed, "difficulty": difficulty})
    at.switch_page(page).run()
    assert not at.exception, at.exception
    shown = _assert_plain(at, seed, difficulty)
    if page.startswith("games/"):  # a game page says what it did with the link
        for typed in (seed, difficulty):
            assert any(typed.split()[0][:6] in s for s in shown), (typed, shown)


def _write_round_seed() -> int:
    return next(s for s in range(60)
                if GAMES["syntax"].make_round(s, "normal").context["variant"] == "write")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_typed_answer_is_shown_as_typed(payload):
    """The formula game's typed answer: refused with a message that quotes it safely."""
    at = _app().run()
    at.query_params.update({"seed": str(_write_round_seed())})
    at.switch_page(page_path("syntax")).run()
    at.text_input(key="syntax.form.formula").set_value(payload)
    next(b for b in at.button if b.label == "Check my answer").click().run()
    assert not at.exception, at.exception
    _assert_plain(at, payload)
    assert at.error and at.session_state.get("syntax.score") is None  # refused, said why
    assert at.text_input(key="syntax.form.formula").value == payload  # nothing lost


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_formula_in_the_sandbox(payload):
    at = _app().run()
    at.switch_page("app_pages/sandbox.py").run()
    box = next(w for w in at.text_input if "formula" in str(w.label).lower())
    box.set_value(f"reaction ~ days + (1 | subject) {payload}").run()
    assert not at.exception, at.exception
    _assert_plain(at, payload)


@pytest.mark.slow
@pytest.mark.browser
def test_the_browser_fetches_and_links_nothing_from_a_hostile_link(browser, server):
    """Ground truth for the Markdown check above: the real page's DOM."""
    from urllib.parse import quote, urlparse

    from tests.app.test_browser import _page, _wait_idle

    context, page = _page(browser)
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if (urlparse(r.url).hostname or "").endswith("example.org") else None)
    for seed, difficulty in zip(PAYLOADS, PAYLOADS[1:] + PAYLOADS[:1], strict=True):
        page.goto(f"{server}/tails?seed={quote(seed)}&difficulty={quote(difficulty)}")
        page.get_by_text("The link asked for round").wait_for()
        _wait_idle(page)
        main = page.locator('[data-testid="stMain"]')
        assert main.locator("a[href*='example'], img[src*='example'], script").count() == 0
        assert main.locator("strong", has_text=MARKER).count() == 0
        assert main.locator(".katex").count() == 0
        assert main.get_by_text(seed[:30], exact=False).count() >= 1  # shown, as typed
    assert not outside, outside
    context.close()
