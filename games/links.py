"""A round's address: ``?seed=`` and ``?difficulty=`` from a shared link, checked in one place
(pure, no streamlit).

A link is typed, pasted, forwarded and mangled by chat apps, so anything can arrive. Each reader
returns the value it could use (or None) and a note in plain words for anything it could not,
quoting the odd value safely (games.text.literal), so the page can say what happened instead of
silently ignoring it or failing.
"""

from __future__ import annotations

from .base import DIFFICULTIES
from .text import literal

__all__ = ["MAX_SEED", "read_seed", "read_difficulty", "parse_seed"]

MAX_SEED = 2**63 - 1
_MAX_DIGITS = len(str(MAX_SEED))


def parse_seed(text) -> int | None:
    """The seed in a link's text: a whole number from 0 to MAX_SEED in ASCII digits, else None.

    Only ASCII digits count ("²" and "١٢" are digits to str.isdigit, but not seeds), and the
    length is checked before int() (Python refuses to convert 10,000 digits at all).
    """
    text = str(text).strip()
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > _MAX_DIGITS:
        return None
    value = int(text)
    return value if value <= MAX_SEED else None


def read_seed(given) -> tuple[int | None, str | None]:
    """(seed, None) for a usable ``?seed=``; (None, note) for one that is not."""
    seed = parse_seed(given)
    if seed is not None:
        return seed, None
    return None, (f"The link asked for round {literal(given)}, but a round number is a whole "
                  f"number from 0 to {MAX_SEED:,} (like `?seed=123`), so here is a new round "
                  "instead.")


def read_difficulty(given, current: str) -> tuple[str | None, str | None]:
    """(difficulty, None) for a known ``?difficulty=``; (None, note) for any other, saying that
    the round is played at ``current`` instead."""
    text = str(given).strip().lower()
    if text in DIFFICULTIES:
        return text, None
    return None, (f"The link asked for difficulty {literal(given)}, which this app does not "
                  f"have (it has {', '.join(DIFFICULTIES)}), so you play at **{current}**: "
                  "change it in the sidebar.")
