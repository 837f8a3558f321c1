"""User text shown safely: literal() and plain() against hostile strings, judged by the same
Markdown check the page tests use (tests/app/markdown_safety.py)."""

import pytest
from markdown_it import MarkdownIt

from games.text import JOINER, literal, one_line, plain
from tests.app.markdown_safety import HOSTILE, problems

MORE = HOSTILE + ("a\n\n[x](http://example.org)", "``` fenced ```", "a@example.org",
                  "<b>zq</b>", "` `` ``` `", "")


@pytest.mark.parametrize("text", HOSTILE)
def test_the_check_catches_each_hostile_string_pasted_raw(text):
    assert problems(f"Round {text} asked", typed=text)


@pytest.mark.parametrize("text", MORE)
def test_literal_and_plain_are_safe_inline_and_in_messages(text):
    for shown in (literal(text), plain(text)):
        for source in (shown, f"The link asked for round {shown}, so here is a new one.",
                       f"**Your answer:** {shown}"):
            assert not problems(source, typed=text), (text, source)


def _rendered(source: str) -> str:
    tokens = MarkdownIt("commonmark").parseInline(source)[0].children
    return "".join("\n" if t.type in ("softbreak", "hardbreak") else t.content for t in tokens)


@pytest.mark.parametrize("text", [t for t in MORE if t.strip()])
def test_they_show_every_character_as_typed(text):
    assert _rendered(plain(text)).replace(JOINER, "") == text
    assert _rendered(literal(text)).strip() == one_line(text).strip()


def test_literal_keeps_user_text_short_and_on_one_line():
    assert "\n" not in literal("a\n\nb") and literal("x" * 500).count("x") < 130
    assert literal("   ") == "“”"
