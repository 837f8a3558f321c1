"""Column names as R's ``make.names(names, unique = TRUE)`` makes them in a UTF-8 locale, so that
every name an upload gets can be typed in a formula here and in R.

R keeps letters of any alphabet (``é``, ``α``, ``日本``) and digits, turns every other
character into ".", puts an "X" in front of a name that does not start with a letter (or a dot
not followed by a digit), a "." after a reserved word, and numbers repeats (``a``, ``a.1``).
Two changes, both so that the name can be used: characters that cannot be seen (a zero-width
space, a byte-order mark, a control character) are dropped rather than turned into ".", and
letters are composed first (``e`` + combining accent is ``é``); a name that would be a lone "."
becomes "X." (a formula reads a lone dot as "all other columns").
"""

from __future__ import annotations

import unicodedata

__all__ = ["r_names", "visible", "R_RESERVED"]

R_RESERVED = frozenset({
    "if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE", "FALSE",
    "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_", "NA_complex_",
})
INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cn", "Zl", "Zp"})


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in INVISIBLE


def _word(ch: str) -> bool:
    """A character R's make.names keeps: a letter or digit of any script, "." or "_"."""
    return ch.isalpha() or ch.isdecimal() or ch in "._"


def _valid_start(name: str) -> bool:
    return bool(name) and (name[0].isalpha()
                           or (name[0] == "." and not name[1:2].isdecimal()))


def r_name(name) -> str:
    """One name made syntactic (without the uniqueness step)."""
    name = unicodedata.normalize("NFC", str(name))
    name = "".join(ch for ch in name if not _invisible(ch)).strip()
    if not _valid_start(name):
        name = "X" + name
    name = "".join(ch if _word(ch) else "." for ch in name)
    if name == ".":
        name = "X."
    return name + "." if name in R_RESERVED else name


def r_names(names) -> list[str]:
    """R's make.names(names, unique = TRUE): every name a valid, distinct R name; repeated
    names get ".1", ".2", ... as make.unique numbers them."""
    out = [r_name(n) for n in names]
    seen: dict[str, int] = {}
    taken = set(out)
    unique = []
    for name in out:
        if name not in seen:
            seen[name] = 1
            unique.append(name)
            continue
        k = seen[name]
        while f"{name}.{k}" in taken:
            k += 1
        seen[name] = k + 1
        taken.add(f"{name}.{k}")
        unique.append(f"{name}.{k}")
    return unique


def visible(name) -> str:
    """The name with characters that cannot be seen written as R prints them: <U+200B>."""
    return "".join(f"<U+{ord(ch):04X}>" if _invisible(ch) else ch for ch in str(name))
