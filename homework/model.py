"""What an assignment is, as frozen values checked on the way in (no database, no streamlit).

:class:`AssignmentSpec` is what the lecturer fills in; :func:`check_spec` says, in words a
lecturer can act on, everything that is wrong with it at once. Times are aware datetimes; the
time zone the lecturer chose is kept to show deadlines as they were set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from games import GAMES
from games.base import DIFFICULTIES

__all__ = ["Item", "AssignmentSpec", "Student", "SpecError", "check_spec", "FEEDBACK",
           "AFTER_DUE", "MAX_ROUNDS", "MAX_ITEMS", "LINK_LIFETIME", "local_time"]

FEEDBACK = {"after_answer": "right after each answer", "after_due": "only after the due time"}
AFTER_DUE = {"late": "accept, marked late", "closed": "closed: no more submissions"}
MAX_ROUNDS = 20
MAX_ITEMS = 30
LINK_LIFETIME = timedelta(days=180)  # personal links stop working this long after the due time


class SpecError(ValueError):
    """An assignment that cannot be saved; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Item:
    """One part of an assignment: ``rounds`` rounds of a game at a difficulty."""

    game: str
    difficulty: str = "normal"
    rounds: int = 1

    @property
    def title(self) -> str:
        game = GAMES.get(self.game)
        return game.title if game is not None else self.game


@dataclass(frozen=True)
class AssignmentSpec:
    title: str
    items: tuple[Item, ...]
    opens_at: datetime
    due_at: datetime
    time_zone: str = "UTC"
    attempts: int = 1
    feedback: str = "after_answer"
    after_due: str = "late"
    open_enrolment: bool = False

    @property
    def links_expire_at(self) -> datetime:
        return self.due_at + LINK_LIFETIME


@dataclass(frozen=True)
class Student:
    student_id: str
    name: str = ""
    email: str = ""
    line: int | None = field(default=None, compare=False)  # where it came from in a roster


def check_spec(spec: AssignmentSpec) -> AssignmentSpec:
    """``spec`` if it can be saved, else SpecError with every problem found."""
    problems = []
    if not spec.title.strip():
        problems.append("Give the assignment a title.")
    if len(spec.title) > 200:
        problems.append("Keep the title under 200 characters.")
    if not spec.items:
        problems.append("Add at least one item (a game, a difficulty and a number of rounds).")
    if len(spec.items) > MAX_ITEMS:
        problems.append(f"An assignment has at most {MAX_ITEMS} items.")
    for n, item in enumerate(spec.items, 1):
        problems += _item_problems(n, item)
    for name, when in (("opening", spec.opens_at), ("due", spec.due_at)):
        if not isinstance(when, datetime) or when.tzinfo is None:
            problems.append(f"The {name} time needs a date, a time and a time zone.")
    if not problems and spec.due_at <= spec.opens_at:
        problems.append("The due time must come after the opening time.")
    try:
        ZoneInfo(spec.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"Unknown time zone {spec.time_zone!r}: use a name such as "
                        "Europe/Berlin or America/New_York.")
    if not isinstance(spec.attempts, int) or not 1 <= spec.attempts <= 10:
        problems.append("Attempts per round must be a whole number from 1 to 10.")
    if spec.feedback not in FEEDBACK:
        problems.append("Feedback shows " + " or ".join(FEEDBACK.values()) + ".")
    if spec.after_due not in AFTER_DUE:
        problems.append("After the due time the assignment is either "
                        + " or ".join(AFTER_DUE.values()) + ".")
    if problems:
        raise SpecError(problems)
    return spec


def _item_problems(n: int, item: Item) -> list[str]:
    out = []
    if item.game not in GAMES:
        out.append(f"Item {n}: unknown game {item.game!r}; choose one of "
                   + ", ".join(GAMES) + ".")
    if item.difficulty not in DIFFICULTIES:
        out.append(f"Item {n}: difficulty is one of " + ", ".join(DIFFICULTIES) + ".")
    if not isinstance(item.rounds, int) or not 1 <= item.rounds <= MAX_ROUNDS:
        out.append(f"Item {n}: the number of rounds is a whole number from 1 to {MAX_ROUNDS}.")
    return out


def local_time(when: datetime, time_zone: str) -> str:
    """A time as the lecturer set it, e.g. "Fri 11 Dec 2026, 23:59 (Europe/Berlin)"."""
    return when.astimezone(ZoneInfo(time_zone)).strftime("%a %d %b %Y, %H:%M") \
        + f" ({time_zone})"
