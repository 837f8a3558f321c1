"""Join codes: six characters that cannot be misread off a projector or mistyped on a phone.

The alphabet leaves out every character with a look-alike (0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G,
8/B): 21 characters, so 21**6 = 86 million codes. A typed code is forgiving:
lower case, spaces and dashes are fine.
"""

from __future__ import annotations

import secrets

from .errors import Invalid

__all__ = ["ALPHABET", "LENGTH", "new_code", "normalize_code"]

ALPHABET = "ACEFHJKMNPRTUVWXY3479"
LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_code(text) -> str:
    """A typed code in its stored form, or Invalid saying what a code looks like."""
    if not isinstance(text, str):
        raise Invalid("Type the game code shown on the projector (6 characters).")
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        raise Invalid(f"A game code has {LENGTH} letters and digits, like "
                      f"{ALPHABET[:3]}{ALPHABET[-3:]}: check the code on the projector.")
    return code
