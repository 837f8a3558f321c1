"""Nicknames: short, one line, unique in a game (ignoring case), and not rude.

A nickname is shown on the projector, so it is checked here and always shown as plain text
(never as Markdown or HTML: ``<script>`` or ``[link](http://...)`` is a harmless, if odd,
nickname). The blocklist is small on purpose: it stops the obvious, and the host can rename
or remove anyone.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import Invalid

__all__ = ["MAX_NICKNAME", "clean_nickname", "nickname_key"]

MAX_NICKNAME = 20
_LEET = str.maketrans("013457@$!|", "oieastasil")
_BLOCKED = ("fuck", "shit", "cunt", "nigger", "nigga", "faggot", "whore", "slut", "bitch",
            "asshole", "dick", "penis", "vagina", "porn", "nazi", "hitler", "heil", "rape",
            "wichser", "fotze", "hure", "arschloch", "schlampe")


def clean_nickname(text) -> str:
    """The nickname to store (NFKC, spaces collapsed), or Invalid saying what to change."""
    if not isinstance(text, str):
        raise Invalid("Type a nickname: the name the class will see on the projector.")
    name = unicodedata.normalize("NFKC", text)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in name.strip()):
        raise Invalid("A nickname is one line of ordinary characters: remove line breaks, "
                      "tabs and invisible characters.")
    name = " ".join(name.split())
    if not name:
        raise Invalid("Type a nickname: the name the class will see on the projector.")
    if len(name) > MAX_NICKNAME:
        raise Invalid(f"That nickname has {len(name)} characters; keep it to {MAX_NICKNAME} "
                      "so it fits on the leaderboard.")
    squashed = re.sub(r"[^a-z]", "", name.casefold().translate(_LEET))
    if any(word in squashed for word in _BLOCKED):
        raise Invalid("Please pick another nickname: the whole class will see it.")
    return name


def nickname_key(name: str) -> str:
    """What makes two nicknames the same: case and spacing do not count."""
    return " ".join(name.casefold().split())
