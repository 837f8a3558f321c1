"""What Streamlit's Markdown would make of a string: is any user text turned into a link, an
image, HTML, math, emphasis or a colour? (A test helper: the hostile-text tests use it on every
Markdown element of a page.)

markdown-it (CommonMark, raw HTML on) gives the structure: link, image and HTML tokens, emphasis
and code spans. Streamlit's renderer adds GitHub's autolinks, which link ``http://…``, ``www.…``
and e-mail addresses even when their characters are backslash-escaped, ``$…$`` math and
``:red[…]`` colours: those are checked on the text outside code spans, the way the renderer
sees it (escaped characters count for autolinks but not for math or colours).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

__all__ = ["HOSTILE", "MARKER", "problems", "rendered"]

MARKER = "zq"  # in every hostile string, so a test can see the text reached the page
HOSTILE = (
    "[zq link](http://example.org)",
    "![zq](http://example.org/x.png)",
    "<script>alert('zq')</script>",
    "<img src=x onerror=alert(1)> <img src='x' alt='zq'>",
    "**zq bold**",
    "`zq code`",
    "$zq$ math",
    "http://example.org/zq",
    "www.example.org/zq",
    ":red[zq] :material/home:",
)
_MD = MarkdownIt("commonmark", {"html": True})
_MD.disable("text_join")  # keep escaped characters (text_special) apart from plain text
_AUTOLINK = re.compile(r"(?i)https?://|www\.|[\w.+-]+@[\w-]+\.\w")
_MATH = re.compile(r"\$[^$\s][^$]*\$")
_COLOUR = re.compile(r":[a-z]+\[")
_FORBIDDEN = {"link_open", "image", "html_inline", "html_block"}


def problems(source: str, typed: str | tuple[str, ...] = ()) -> list[str]:
    """What in ``source`` (one element's Markdown) would not show as plain text; with
    ``typed`` (the user texts the page was given), also whether the element shows a user's
    text changed: where the marker shows, one of them must show as typed (or cut short
    by "…")."""
    typed = (typed,) if isinstance(typed, str) else tuple(typed)
    found = []
    for block in _MD.parse(str(source)):
        if block.type in _FORBIDDEN:
            found.append(f"{block.type}: {block.content.strip()[:60]}")
        found += _inline_problems(block.children or [])
    shown = rendered(source)
    if typed and MARKER in shown and not any(_shows(shown, " ".join(t.split()))
                                             for t in typed):
        found.append(f"changed: {shown[:80]!r}")
    return found


def rendered(source: str) -> str:
    """The characters a reader sees (word joiners dropped, line breaks as spaces)."""
    parts = []
    for block in _MD.parse(str(source)):
        for token in block.children or [block]:
            parts.append(" " if token.type in ("softbreak", "hardbreak") else token.content)
        parts.append(" ")
    return " ".join("".join(parts).replace("\u2060", "").split())


def _shows(shown: str, typed: str) -> bool:
    if typed in shown:
        return True
    cut = shown.find("…")
    return any(len(p) >= 20 and typed.startswith(p) for p in _prefixes(shown, cut))


def _prefixes(shown: str, cut: int):
    """Each text that ends right before an ellipsis (a quote cut short)."""
    while cut >= 0:
        for start in range(cut):
            yield shown[start:cut]
        cut = shown.find("…", cut + 1)


def _inline_problems(tokens) -> list[str]:
    found, emphasis, escaped_run, plain_run = [], 0, [], []

    def close_runs() -> None:
        text, plain = "".join(escaped_run), "".join(plain_run)
        if _AUTOLINK.search(text):
            found.append(f"autolink: {text[:60]}")
        if _MATH.search(plain):
            found.append(f"math: {plain[:60]}")
        if _COLOUR.search(plain):
            found.append(f"colour: {plain[:60]}")
        escaped_run.clear()
        plain_run.clear()

    for token in tokens:
        if token.type in _FORBIDDEN:
            found.append(f"{token.type}: {token.attrs or token.content}")
        elif token.type in ("strong_open", "em_open"):
            emphasis += 1
        elif token.type in ("strong_close", "em_close"):
            emphasis -= 1
        elif token.type in ("text", "text_special"):
            if emphasis and MARKER in token.content:
                found.append(f"emphasis: {token.content[:60]}")
            escaped_run.append(token.content)
            # an escaped character breaks math and colours, as it does in the renderer
            plain_run.append(token.content if token.type == "text" else " ")
            continue
        close_runs()
    close_runs()
    return found
