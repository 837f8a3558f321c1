"""A student's work: which round each item asks, drafts while typing, graded submissions.

A round is (game, personal seed, difficulty): it is rebuilt from those whenever needed, never
stored. Submitting validates the answer against the round's questions (games.answers), scores
it with the game's own ``score()`` and stores it in one transaction; the database refuses a
second row for the same attempt, so two tabs cannot both use the last attempt. A round's grade
is its best attempt.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

import store
from games import GAMES
from games.answers import InvalidAnswer, validate_answer
from games.base import Round, Score
from store import homework_tables as t

from .assignments import AccessError, Assignment, Enrolled, for_student
from .model import local_time
from .seeds import personal_seed

__all__ = ["RoundRef", "Submitted", "Attempt", "rounds_of", "round_ref", "save_draft",
           "drafts_of", "submit", "attempts_of", "feedback_visible", "MAX_DRAFT_CHARS"]

MAX_DRAFT_CHARS = 20_000
RoundMaker = Callable[[str, int, str], Round]


@dataclass(frozen=True)
class RoundRef:
    """Where a round sits in an assignment and what it is: enough to rebuild it."""

    position: int      # item, from 1
    round_no: int      # round within the item, from 1
    game: str
    seed: int
    difficulty: str


@dataclass(frozen=True)
class Attempt:
    position: int
    round_no: int
    attempt: int
    seed: int
    answer: dict
    points: int
    correct: bool
    misconception: str | None
    submitted_at: datetime
    late: bool


@dataclass(frozen=True)
class Submitted:
    score: Score
    attempt: int
    attempts_left: int
    late: bool
    show_feedback: bool


def rounds_of(assignment: Assignment, student_id: str) -> list[RoundRef]:
    """Every round of a student's personal version, item by item."""
    return [RoundRef(n, r, item.game, personal_seed(assignment.secret, student_id, n, r),
                     item.difficulty)
            for n, item in enumerate(assignment.spec.items, 1)
            for r in range(1, item.rounds + 1)]


def round_ref(assignment: Assignment, student_id: str, position: int, round_no: int) -> RoundRef:
    items = assignment.spec.items
    if not (isinstance(position, int) and 1 <= position <= len(items)):
        raise AccessError(f"This assignment has items 1 to {len(items)}, not {position}.")
    item = items[position - 1]
    if not (isinstance(round_no, int) and 1 <= round_no <= item.rounds):
        raise AccessError(f"Item {position} has rounds 1 to {item.rounds}, not {round_no}.")
    seed = personal_seed(assignment.secret, student_id, position, round_no)
    return RoundRef(position, round_no, item.game, seed, item.difficulty)


def feedback_visible(assignment: Assignment, now: datetime | None = None) -> bool:
    now = now or store.utcnow()
    return assignment.spec.feedback == "after_answer" or now >= assignment.spec.due_at


# ----- drafts -------------------------------------------------------------------------------
def save_draft(engine: Engine, token: str, position: int, round_no: int, answer: dict) -> None:
    """Keep what the student has typed so far (any shape a form can hold; not graded)."""
    assignment, student = for_student(engine, token)
    round_ref(assignment, student.student_id, position, round_no)
    if not isinstance(answer, dict):
        raise InvalidAnswer("A draft maps each question to what was typed.")
    text = json.dumps(answer, ensure_ascii=False, default=str)
    if len(text) > MAX_DRAFT_CHARS:
        raise InvalidAnswer(f"This draft is {len(text):,} characters long; answers are far "
                            "shorter. Shorten what you typed.")
    key = {"student": student.key, "position": position, "round_no": round_no}
    try:
        with store.write(engine) as conn:
            conn.execute(delete(t.draft).where(*(t.draft.c[k] == v for k, v in key.items())))
            conn.execute(insert(t.draft).values(**key, answer_json=text,
                                                saved_at=store.utcnow()))
    except IntegrityError:
        pass  # another device saved this round's draft at the same moment; theirs stands


def drafts_of(engine: Engine, student: Enrolled) -> dict[tuple[int, int], dict]:
    with store.read(engine) as conn:
        rows = conn.execute(select(t.draft).where(t.draft.c.student == student.key)).all()
    return {(r.position, r.round_no): json.loads(r.answer_json) for r in rows}


# ----- submissions --------------------------------------------------------------------------
def submit(engine: Engine, token: str, position: int, round_no: int, answer,
           make_round: RoundMaker | None = None, now: datetime | None = None) -> Submitted:
    """Grade and store one answer; AccessError or InvalidAnswer (nothing stored) otherwise.

    ``make_round(game, seed, difficulty)`` lets a page pass its cached builder.
    """
    now = now or store.utcnow()
    assignment, student = for_student(engine, token)
    ref = round_ref(assignment, student.student_id, position, round_no)
    late = _check_open(assignment, now)
    make_round = make_round or (lambda g, s, d: GAMES[g].make_round(s, d))
    round_ = make_round(ref.game, ref.seed, ref.difficulty)
    clean = validate_answer(round_, answer)  # InvalidAnswer says what to fix
    score = GAMES[ref.game].score(round_, clean)
    limit = assignment.spec.attempts
    with store.write(engine) as conn:
        used = conn.scalar(select(func.count()).select_from(t.submission).where(
            t.submission.c.student == student.key, t.submission.c.position == position,
            t.submission.c.round_no == round_no))
        if used >= limit:
            raise AccessError(_no_attempts_left(limit))
        try:
            conn.execute(insert(t.submission).values(
                student=student.key, position=position, round_no=round_no, attempt=used + 1,
                seed=ref.seed, answer_json=json.dumps(clean, default=str), points=score.points,
                correct=score.correct, misconception=score.misconception, submitted_at=now,
                late=late))
        except IntegrityError:
            raise AccessError("This answer was just submitted from another tab or device; "
                              "reload to see it.") from None
    return Submitted(score, used + 1, limit - used - 1, late, feedback_visible(assignment, now))


def attempts_of(engine: Engine, student_keys: list[int] | None = None,
                assignment_id: int | None = None) -> list[tuple[int, Attempt]]:
    """(student key, Attempt) for some students, or for a whole assignment, in time order."""
    query = select(t.submission).order_by(t.submission.c.submitted_at, t.submission.c.id)
    if student_keys is not None:
        query = query.where(t.submission.c.student.in_(student_keys))
    if assignment_id is not None:
        query = query.join(t.student, t.submission.c.student == t.student.c.id).where(
            t.student.c.assignment_id == assignment_id)
    with store.read(engine) as conn:
        rows = conn.execute(query).all()
    return [(r.student, Attempt(r.position, r.round_no, r.attempt, r.seed,
                                json.loads(r.answer_json), r.points, r.correct,
                                r.misconception, r.submitted_at, r.late)) for r in rows]


def _check_open(assignment: Assignment, now: datetime) -> bool:
    """Whether a submission now is late; AccessError if none is accepted now."""
    spec = assignment.spec
    if now < spec.opens_at:
        raise AccessError(f"This assignment opens on {local_time(spec.opens_at, spec.time_zone)}"
                          "; your draft is kept until then.")
    if now < spec.due_at:
        return False
    if spec.after_due == "closed":
        raise AccessError(f"This assignment closed on {local_time(spec.due_at, spec.time_zone)}"
                          ": no more answers are accepted. Your draft is kept, but not graded.")
    return True


def _no_attempts_left(limit: int) -> str:
    return (f"You have used all {limit} attempt{'s' if limit > 1 else ''} at this round; "
            "its best answer counts.")
