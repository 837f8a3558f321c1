"""One check for every answer that comes from outside, before any game scores it.

Practice forms, phones in a class game, homework submissions and replayed links all hand a game
an answer: a mapping ``{question id: value}``. :func:`validate_answer` checks it against the
round's :class:`~games.base.Question` specs and returns a clean copy (choices as their option
value, numbers as finite floats inside the question's range, text stripped and bounded), or
raises :class:`InvalidAnswer` with a message a student can act on. So ``score()`` only ever sees
answers of the right shape, and nothing odd (None, a list, 10**400, NaN, a megabyte of text)
can crash it or be stored as if it were an answer.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from .base import Question, Round

__all__ = ["InvalidAnswer", "validate_answer", "validate_value", "finite_number", "MAX_TEXT",
           "MAX_NUMBER_CHARS"]

MAX_TEXT = 500          # characters of free text (a formula is far shorter)
MAX_NUMBER_CHARS = 40   # a typed number longer than this is not a number anyone means
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d{1,3})?")


class InvalidAnswer(ValueError):
    """An answer that cannot be scored: what is wrong and how to fix it.

    ``question`` is the id of the question at fault (None when the whole answer is malformed);
    ``detail`` is optional preformatted text shown as-is under the message (e.g. a typed formula
    with a caret under the bad token). Both may quote what the user typed: show them as plain
    text (games.text), never as Markdown.
    """

    def __init__(self, message: str, question: str | None = None, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.question = question
        self.detail = detail


def validate_answer(round_: Round, answer: Any) -> dict[str, Any]:
    """``answer`` checked against every question of ``round_``; a clean dict, or InvalidAnswer.

    Every question must be answered, and nothing else may be: unknown keys are refused rather
    than ignored, so a mistyped id is reported instead of silently scoring zero.
    """
    if not isinstance(answer, Mapping):
        raise InvalidAnswer(
            f"An answer must map each question to a value, got {_kind_of(answer)}.")
    ids = [q.id for q in round_.questions]
    unknown = [k for k in answer if k not in ids]
    if unknown:
        shown = ", ".join(_short(k) for k in unknown[:3])
        raise InvalidAnswer(f"This round has no question {shown}: answer only "
                            + ", ".join(ids) + ".")
    missing = [q for q in round_.questions if answer.get(q.id) is None]
    if missing:
        raise InvalidAnswer("Answer every question first: " + "; ".join(
            q.text for q in missing), missing[0].id)
    return {q.id: validate_value(q, answer[q.id]) for q in round_.questions}


def validate_value(question: Question, value: Any) -> Any:
    """One value checked against its question (see :func:`validate_answer`)."""
    check = {"choice": _choice, "number": _number, "text": _text}.get(question.kind)
    if check is None:
        raise InvalidAnswer(f"Question {question.id!r} has an unknown kind {question.kind!r}.",
                            question.id)
    return check(question, value)


def _choice(question: Question, value: Any) -> str:
    allowed = [o.value for o in question.options]
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidAnswer(f"Pick one of the options for “{question.text}”, "
                            f"not {_kind_of(value)}.", question.id)
    text = str(value).strip()
    if text not in allowed:
        raise InvalidAnswer(
            f"“{_short(text)}” is not one of the options for “{question.text}”. Pick one of: "
            + ", ".join(question.label_of(v) for v in allowed) + ".", question.id)
    return text


def _number(question: Question, value: Any) -> float:
    if isinstance(value, bool):
        raise InvalidAnswer(f"Give a number for “{question.text}”, not {value}.", question.id)
    if isinstance(value, str):
        value = _parse_number(question, value)
    elif isinstance(value, int):
        if abs(value) > 1e300:  # int -> float would overflow (10**400)
            raise InvalidAnswer(_range_text(question, "That number is far too large"),
                                question.id)
        value = float(value)
    elif isinstance(value, float):
        pass
    else:
        try:  # numpy scalars and the like
            value = float(value)
        except (TypeError, ValueError, OverflowError):
            raise InvalidAnswer(f"Give a number for “{question.text}”, not "
                                f"{_kind_of(value)}.", question.id) from None
    if not math.isfinite(value):
        raise InvalidAnswer(_range_text(question, "Give a finite number"), question.id)
    low = -math.inf if question.low is None else question.low
    high = math.inf if question.high is None else question.high
    if not low <= value <= high:
        raise InvalidAnswer(_range_text(question, f"{value:g} is out of range"), question.id)
    return value


def _parse_number(question: Question, text: str) -> float:
    text = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    if len(text) > MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
        raise InvalidAnswer(f"“{_short(text)}” is not a number. Type digits, such as 12.5, "
                            f"for “{question.text}”.", question.id)
    return float(text.replace(",", "."))


def _text(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidAnswer(f"Type text for “{question.text}”, not {_kind_of(value)}.",
                            question.id)
    text = value.strip()
    if not text:
        raise InvalidAnswer(f"Type an answer for “{question.text}” first.", question.id)
    if len(text) > MAX_TEXT:
        raise InvalidAnswer(f"That answer is {len(text):,} characters long; keep it under "
                            f"{MAX_TEXT} for “{question.text}”.", question.id)
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise InvalidAnswer(f"The answer to “{question.text}” holds control characters (such "
                            "as a line break or tab): type it on one line.", question.id)
    return text


def _range_text(question: Question, lead: str) -> str:
    unit = f" {question.unit}" if question.unit else ""
    if question.low is not None and question.high is not None:
        span = f"from {question.low:g} to {question.high:g}{unit}"
    elif question.low is not None:
        span = f"of at least {question.low:g}{unit}"
    elif question.high is not None:
        span = f"of at most {question.high:g}{unit}"
    else:
        span = "that is finite"
    return f"{lead}: “{question.text}” takes a number {span}."


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a set of named values", list: "a list", tuple: "a list",
            str: "text", bool: "true/false"}.get(type(value), f"a {type(value).__name__}")


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def finite_number(value) -> float | None:
    """``value`` as a finite float, or None (missing, text, NaN, infinite): for scoring parts
    of an answer that validate_answer has already checked, and numbers read from a reveal."""
    try:
        value = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None
