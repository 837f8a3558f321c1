"""User text in Markdown: every character shows as typed, none starts Markdown syntax."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.text import JOINER, code, plain, quoted

HOSTILE = ["[x](http://example.org)", "![x](http://example.org/x.png)",
           "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "$x^2$",
           ":red[alert]", ":material/home:", "www.example.org", "# heading", "**bold**",
           "ann@example.org"]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_punctuation_mark_is_escaped(text):
    escaped = plain(text)
    shown = re.sub(r"\\(.)", r"\1", escaped)
    assert shown.replace(JOINER, "") == text  # reads back as typed
    assert not re.search(r"(?i)https?://|www\.|\w@\w", shown)  # no autolink
    unescaped_left = re.sub(r"\\[!-/:-@\[-`{-~]", "", escaped)
    assert not re.search(r"[!-/:-@\[-`{-~]", unescaped_left)


def test_examples():
    assert plain("[x](http://e.org)") == "\\[x\\]\\(http\\:\u2060\\/\\/e\\.org\\)"
    assert plain("a\nb\tc") == "a b c"  # one line: a new line could start a block
    assert plain("é 日本 374") == "é 日本 374"
    assert quoted("a_b") == r"“a\_b”"


@pytest.mark.parametrize(("text", "expected"), [
    ("days", "`days`"),
    ("a`b", "``a`b``"),
    ("`x`", "`` `x` ``"),
    ("[x](http://e.org)", "`[x](http://e.org)`"),
])
def test_code_spans_outfence_the_backticks_inside(text, expected):
    assert code(text) == expected


@given(st.text(alphabet=st.sampled_from("a `[]<>\\"), max_size=30))
def test_code_span_holds_any_text(text):
    span = code(text)
    fence = re.match(r"`+", span).group()
    inner = span[len(fence):-len(fence)]
    longest = max((len(r) for r in re.findall(r"`+", text)), default=0)
    assert len(fence) == longest + 1
    assert inner in (text, f" {text} ")
