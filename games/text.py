"""Text that users type or send, made safe to show inside Markdown (pure, no streamlit).

Streamlit renders Markdown everywhere (st.markdown, captions, messages, labels): a seed such as
``[Claim your grade here](https://example.org)`` pasted into a note becomes a working link, and
``![x](http://…)`` makes the browser fetch an outside image. So every piece of user text (seeds
and difficulties from links, typed formulas and answers, nicknames, group labels, error details
that quote them) goes through :func:`literal` before it is put into Markdown: it becomes an
inline code span, which Markdown shows character for character (no links, images, HTML, math,
emphasis or emoji), and which also marks it visibly as "what you typed".

Longer text that may quote users (error details, messages from the engine) goes through
:func:`plain`: every Markdown character is escaped, and the three things GitHub-flavoured
Markdown turns into links even when escaped (``://``, ``www.`` and ``@``) get an invisible word
joiner, so the text reads the same and links nowhere.
"""

from __future__ import annotations

import math
import re
import unicodedata

__all__ = ["literal", "plain", "one_line", "p_value_text", "p_words", "MAX_SHOWN"]

MAX_SHOWN = 120  # characters of user text shown in a sentence; the rest becomes "…"
_BACKTICKS = re.compile(r"`+")
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_WWW = re.compile(r"(?i)(www)\.")
JOINER = "\u2060"  # WORD JOINER: invisible, and breaks an autolink's pattern


def one_line(text, limit: int = MAX_SHOWN) -> str:
    """``text`` on one line: line breaks, tabs and other control or format characters become
    spaces (a blank line would end a Markdown paragraph, and with it the code span), at most
    ``limit`` characters."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c
                   for c in str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def literal(text, limit: int = MAX_SHOWN) -> str:
    """``text`` as a Markdown inline code span that shows it exactly, whatever it holds.

    The fence is one backtick longer than the longest run of backticks inside (CommonMark's
    rule), with a space on each side so that text starting or ending with a backtick still
    works; an empty text shows as an empty pair of quotes.
    """
    text = one_line(text, limit)
    if not text.strip():
        return "“”"
    longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def plain(text) -> str:
    """``text`` escaped for Markdown: it shows as the same characters (line breaks kept), never
    as a link, image, HTML, math, emphasis, emoji or colour."""
    text = str(text).replace("\r\n", "\n")
    text = _WWW.sub(rf"\1{JOINER}.", text.replace("://", f":{JOINER}//").replace("@", f"{JOINER}@"))
    text = _PUNCTUATION.sub(r"\\\1", text)
    return "  \n".join(text.split("\n"))


def p_value_text(p: float) -> str:
    """A p-value as a table shows it: "< 0.001", three decimals, or "–" when there is none."""
    if not math.isfinite(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def p_words(p: float) -> str:
    """A p-value inside a sentence: "p < 0.001" or "p = 0.012"."""
    text = p_value_text(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"
