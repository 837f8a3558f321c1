"""Text that learners typed or sent (file names, column names, group labels, formulas, error
details), made safe to put inside the page's Markdown: it shows exactly as typed and never
becomes a link, an image, HTML, a heading, LaTeX or an icon.

CommonMark lets a backslash escape every ASCII punctuation character, and an escaped character
starts no syntax (no ``[x](...)`` link, no ``<img>``, no ``$x$``, no ``:red[...]``), so
:func:`plain` escapes them all. GitHub's autolinks (``http://...``, ``www.``, e-mail addresses)
are found in the text after escapes are read, so escaping cannot stop them: an invisible word
joiner (U+2060) goes inside each trigger (``://``, ``www.``, ``@``). Line breaks become spaces:
a name is one line, and a new line could start a block of its own.
"""

from __future__ import annotations

import re

__all__ = ["plain", "code", "quoted", "JOINER"]

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_BREAKS = re.compile(r"[\r\n\t\f\v\u2028\u2029\x85]+")
_AUTOLINKS = re.compile(r"(:)(//)|(www)(\.)|()(@)", re.IGNORECASE)
JOINER = "\u2060"  # invisible, and no line break


def _unlinked(text: str) -> str:
    return _AUTOLINKS.sub(lambda m: JOINER.join(g for g in m.groups() if g is not None), text)


def plain(text) -> str:
    """``text`` as Markdown that shows exactly its characters, on one line."""
    return _PUNCTUATION.sub(r"\\\1", _unlinked(_BREAKS.sub(" ", str(text))))


def code(text) -> str:
    """``text`` as inline code: a fence longer than any run of backticks inside, so nothing
    in it is read as Markdown."""
    text = _BREAKS.sub(" ", str(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def quoted(text) -> str:
    """``text`` in typographic quotes, escaped: for names inside a sentence."""
    return f"“{plain(text)}”"
