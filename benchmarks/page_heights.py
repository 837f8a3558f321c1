"""How long is each game's reveal? Plays one round of every game in headless Chromium and prints
the page height after the reveal (closed sections stay closed), at desktop and phone widths.

Run by hand, e.g. to compare two versions of the app (``--root`` another checkout):

    .venv/bin/python benchmarks/page_heights.py --seed 11
    .venv/bin/python benchmarks/page_heights.py --root /tmp/before --seed 11
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from games import GAMES  # noqa: E402
from tests.app.conftest import ARGS, CHROMIUM, _free_port, _wait_healthy  # noqa: E402
from tests.app.test_browser import _answer, _wait_idle, _wait_reveal  # noqa: E402

WIDTHS = (1280, 390)


BLOCK_JS = ("() => Math.ceil(document.querySelector('[data-testid=\"stMainBlockContainer\"]')"
            ".getBoundingClientRect().height)")


def _height(page) -> int:
    """The height of the page's content (Streamlit scrolls inside its main block, so the
    window's own height says nothing)."""
    return int(page.evaluate(BLOCK_JS))


def measure(url: str, seed: int) -> dict:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            page.set_default_timeout(120_000)
            for game_id, game in GAMES.items():
                round_ = game.make_round(seed, "normal")
                page.goto(f"{url}/{game_id}?seed={seed}&difficulty=normal")
                page.get_by_role("heading", name=game.title).wait_for()
                _wait_idle(page)
                _answer(page, round_)
                _wait_reveal(page)
                out[(game_id, width)] = _height(page)
            context.close()
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE, help="the app's folder")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    port = _free_port()
    env = os.environ | {"PYTHONPATH": str(args.root)}
    with open(os.devnull, "w") as quiet:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless",
             "true", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
            cwd=args.root, env=env, stdout=quiet, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, server)
            heights = measure(url, args.seed)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{'game':<12}" + "".join(f"{w:>8} px" for w in WIDTHS))
    for game_id in GAMES:
        print(f"{game_id:<12}" + "".join(f"{heights[(game_id, w)]:>11}" for w in WIDTHS))


if __name__ == "__main__":
    main()
