"""Errors raised by lmm_core's public entry points.

Every error says what is wrong and how to fix it, in words a student can act on.
They all derive from LmmError so that a page can catch one type and show the message.
"""

from __future__ import annotations

import difflib

__all__ = [
    "LmmError",
    "FormulaError",
    "DataError",
    "ColumnNotFoundError",
    "ModelSpecError",
    "FitError",
    "FitTimeLimit",
    "caret_message",
    "close_matches_hint",
]


class LmmError(ValueError):
    """Base class: a problem with the model or data the user gave, not a bug."""


class FormulaError(LmmError):
    """The formula text does not parse or uses syntax lmm_core does not support."""

    def __init__(self, message: str, formula: str = "", position: int | None = None):
        self.formula = formula
        self.position = position
        self.reason = message
        text = caret_message(formula, position, message) if formula else message
        super().__init__(text)


class DataError(LmmError):
    """The data cannot be used for this model (wrong types, too few rows or levels...)."""


class ColumnNotFoundError(DataError):
    """A name in the formula is not a column of the data."""

    def __init__(self, name: str, columns):
        self.name = name
        self.columns = list(columns)
        super().__init__(
            f"The formula uses a column {name!r}, but the data has no such column."
            + close_matches_hint(name, self.columns)
        )


class ModelSpecError(LmmError):
    """The model cannot be estimated as specified (e.g. too many random effects)."""


class FitError(LmmError):
    """The numerical fit failed in a way that a different model or data would avoid."""


class FitTimeLimit(FitError):
    """The fit took longer than the caller's max_seconds and was stopped."""

    def __init__(self, seconds: float, limit: float, evaluations: int):
        self.seconds, self.limit, self.evaluations = seconds, limit, evaluations
        super().__init__(
            f"The fit stopped after {seconds:.1f} s (the limit here is {limit:g} s), before the "
            f"estimates settled ({evaluations} tries so far): this model is too big to fit "
            "here. Simplify the random effects: fewer random slopes per grouping factor (each "
            "one adds a row and a column to every group's covariance matrix), or drop their "
            "correlations with ||."
        )


def caret_message(formula: str, position: int | None, message: str) -> str:
    """Format `message` with the formula on its own line and a caret under `position`."""
    lines = [message, "", f"    {formula}"]
    if position is not None:
        lines.append("    " + " " * max(0, min(position, len(formula))) + "^")
    return "\n".join(lines)


def close_matches_hint(name: str, candidates) -> str:
    """' Did you mean ...?' naming the closest candidates (case-insensitive), or the list."""
    candidates = [str(c) for c in candidates]
    lower = {c.lower(): c for c in candidates}
    matches = difflib.get_close_matches(name.lower(), list(lower), n=3, cutoff=0.6)
    if matches:
        names = " or ".join(repr(lower[m]) for m in matches)
        return f" Did you mean {names}?"
    shown = ", ".join(repr(c) for c in candidates[:12])
    more = " ..." if len(candidates) > 12 else ""
    return f" The columns are: {shown}{more}."
