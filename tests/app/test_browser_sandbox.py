"""A real browser uses the sandbox: the course fit, the walkthrough, an upload (good, bad and
tricky: Unicode and invisible headers, an infinite cell, hostile labels and file name), a
formula with a typo, a slow fit stopped with its Stop button, the bootstrap, and a phone-sized
screen. Screenshots go to tests/app/screenshots/sandbox_*.png: look at them after a change to
the page.

The server and browser fixtures are in conftest.py; the page helpers are test_browser's.
"""

from __future__ import annotations

import pytest

import simulators
from tests.app.test_browser import _page, _shot, _wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FORMULA_BOX = "Model formula (lme4 syntax)"


def _open(browser, server, width: int = 1280, height: int = 900):
    context, page = _page(browser, width=width, height=height)
    page.goto(f"{server}/sandbox")
    page.get_by_role("heading", name="Sandbox: fit your own model").wait_for()
    page.get_by_text("REML criterion at convergence: 1771.4").wait_for()
    _wait_idle(page)
    return context, page


def _no_errors(page) -> None:
    assert page.get_by_text("Traceback").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("something went wrong").count() == 0


def _type_formula(page, text: str) -> None:
    box = page.get_by_label(FORMULA_BOX, exact=True)
    box.fill(text)
    box.press("Enter")
    _wait_idle(page)


def _upload(page, name: str, content: bytes, mime: str = "text/csv") -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": content}])
    _wait_idle(page)


def test_course_fit_and_walkthrough(browser, server):
    from playwright.sync_api import expect

    context, page = _open(browser, server)
    expect(page.get_by_label(FORMULA_BOX, exact=True)).to_have_value(
        "reaction ~ 1 + days + (1 + days | subject)")
    page.get_by_text("Shrinkage: every group at once").wait_for()
    _no_errors(page)
    _shot(page, "sandbox_course.png")
    page.get_by_role("button", name="Start the walkthrough").click()
    page.get_by_text("step 1 of 5").wait_for()
    for step in (2, 3, 4):  # each click waits for the step it leads to, not for a clock
        page.get_by_role("button", name="Next").click()
        page.get_by_text(f"step {step} of 5").wait_for()
        _wait_idle(page)
    expect(page.get_by_text("The two who dropped out", exact=True)).to_be_visible()
    expect(page.get_by_text("373 has one observation").first).to_be_visible()
    _no_errors(page)
    _shot(page, "sandbox_walkthrough.png")
    context.close()


def test_upload_a_csv_then_a_bad_file(browser, server):
    from playwright.sync_api import expect

    data = simulators.load("sleep_seed").rename(columns={"reaction": "reaction time"})
    context, page = _open(browser, server)
    page.get_by_text("Upload a CSV", exact=True).click()
    _wait_idle(page)
    _upload(page, "my study.csv", data.to_csv(index=False).encode())
    page.get_by_text("as R's read.csv changes them").wait_for()
    expect(page.get_by_label(FORMULA_BOX, exact=True)).to_have_value(
        "reaction.time ~ 1 + days + (1 | subject)")
    page.get_by_text("Data: my.study").wait_for()
    _type_formula(page, "reaction.time ~ 1 + days + (1 + days | subject)")
    page.get_by_text("REML criterion at convergence: 1771.4").wait_for()
    _no_errors(page)
    _shot(page, "sandbox_upload.png")
    _upload(page, "results.xlsx", b"PK\x03\x04" + bytes(200),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    page.get_by_text("is an Excel workbook (.xlsx) or another zipped file").wait_for()
    expect(page.get_by_text("Still using your earlier file, my study.csv.")).to_be_visible()
    expect(page.get_by_label(FORMULA_BOX, exact=True)).to_have_value(
        "reaction.time ~ 1 + days + (1 + days | subject)")
    _no_errors(page)
    _shot(page, "sandbox_upload_error.png")
    context.close()


HOSTILE = ("[x](http://example.org)", "![x](http://example.org/x.png)",
           "<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
SIX_SLOPES = ("Reaction ~ Days + (Days + I(Days^2) + I(Days^3) + sqrt(Days) + log1p(Days) + "
              "abs(Days - 4) | Subject)")


def _tricky_csv() -> bytes:
    """Headers with an accent and a zero-width space, hostile group labels, one inf cell."""
    data = simulators.load("sleep_seed").rename(columns={"reaction": "réaction",
                                                         "days": "\u200bdays"})
    labels = {s: f"{HOSTILE[k % 4]}{k}" for k, s in enumerate(data["subject"].unique())}
    data["subject"] = data["subject"].map(labels)
    data["mood"] = 1.5
    text = data.to_csv(index=False)
    return text.replace(",1.5\n", ",inf\n", 1).encode()


def _no_markup_from_users(page) -> None:
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('a[href*="example.org"]').count() == 0
    assert main.locator('img[src="x"], img[src*="example.org"]').count() == 0
    assert main.locator("script").count() == 0


def test_a_tricky_upload(browser, server):
    from playwright.sync_api import expect

    context, page = _open(browser, server)
    page.get_by_text("Upload a CSV", exact=True).click()
    _wait_idle(page)
    _upload(page, "[x](http://example.org)<img src=x onerror=alert(1)>.csv", _tricky_csv())
    page.get_by_text("as R's read.csv changes them").wait_for()
    page.get_by_text("Column mood holds an infinite value (inf) in row 1").wait_for()
    expect(page.get_by_label(FORMULA_BOX, exact=True)).to_have_value(
        "réaction ~ 1 + days + (1 | subject)")  # mood, with its inf, is left out
    _type_formula(page, "réaction ~ 1 + days + mood + (1 | subject)")
    page.get_by_text("holds an infinite value (inf), in row(s) 1").wait_for()
    _no_errors(page)
    _no_markup_from_users(page)
    _shot(page, "sandbox_tricky_upload_1280.png")
    _type_formula(page, "réaction ~ 1 + days + (1 + days | subject)")
    page.get_by_text("Data: X.x..http...example.org.").wait_for()
    page.get_by_text("Shrinkage: every group at once").wait_for()
    _no_errors(page)
    _no_markup_from_users(page)
    expect(page.get_by_text(HOSTILE[3] + "19", exact=False).first).to_be_visible()
    _shot(page, "sandbox_tricky_fit_1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    _wait_idle(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the sandbox scrolls sideways on a phone ({width} px wide)"
    _shot(page, "sandbox_tricky_fit_390.png")
    context.close()


def test_stop_a_slow_fit(browser, server):
    from playwright.sync_api import expect

    context, page = _open(browser, server)
    page.get_by_label("Dataset", exact=True).click()
    page.get_by_role("option", name="lme4's sleepstudy", exact=False).click()
    _wait_idle(page)
    _type_formula(page, SIX_SLOPES)
    page.get_by_text("A big model").wait_for()
    _shot(page, "sandbox_slow_fit_estimate.png")
    page.get_by_role("button", name="Fit it (about").click()
    stop = page.get_by_role("button", name="Stop the fit")
    stop.wait_for()
    page.get_by_text("Fitting the model").first.wait_for()
    page.wait_for_timeout(1500)
    stop.click()
    page.get_by_text("You stopped the fit after").wait_for(timeout=30_000)
    _wait_idle(page)
    expect(page.get_by_label(FORMULA_BOX, exact=True)).to_have_value(SIX_SLOPES)
    expect(page.get_by_role("button", name="Fit it (about")).to_be_visible()
    _no_errors(page)
    _shot(page, "sandbox_slow_fit_stopped.png")
    context.close()


def test_formula_typo_shows_a_caret_and_keeps_the_text(browser, server):
    from playwright.sync_api import expect

    context, page = _open(browser, server)
    typo = "reaction ~ 1 + days + (1 + days | subject"
    _type_formula(page, typo)
    page.get_by_text("This formula cannot be read.").wait_for()
    expect(page.get_by_text("this '(' is never closed").first).to_be_visible()
    expect(page.get_by_label(FORMULA_BOX, exact=True)).to_have_value(typo)
    _no_errors(page)
    _shot(page, "sandbox_formula_error.png")
    context.close()


def test_bootstrap_on_demand(browser, server):
    from playwright.sync_api import expect

    context, page = _open(browser, server)
    combo = page.get_by_role("combobox", name="Bootstrap samples", exact=True)
    combo.click()
    combo.fill("200")
    page.get_by_role("option", name="200", exact=True).click()
    _wait_idle(page)
    expect(combo).to_have_value("200")
    page.get_by_role("button", name="Run the bootstrap").click()
    try:
        page.get_by_text("bootstrap: 200 samples").wait_for()
    except Exception:
        _shot(page, "sandbox_bootstrap_failed.png")
        raise
    _wait_idle(page)
    _no_errors(page)
    _shot(page, "sandbox_bootstrap.png")
    context.close()


def test_phone_width(browser, server):
    context, page = _open(browser, server, width=390, height=844)
    page.get_by_role("button", name="Start the walkthrough").click()
    page.get_by_text("step 1 of 5").wait_for()
    _wait_idle(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the sandbox scrolls sideways on a phone ({width} px wide)"
    _no_errors(page)
    _shot(page, "sandbox_phone.png")
    context.close()
