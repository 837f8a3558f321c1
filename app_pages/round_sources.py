"""Round sources for the shared round loop (games.ui.play): homework, the lecturer's view of a
student's round, and practice that remembers. Streamlit glue only; the rules live in homework/.

The router calls :func:`install` before a page runs; it reads the URL:
``?hw=<token>&item=<n>&round=<r>`` (a student's homework round), ``?lk=<key>&student=<id>&item=
<n>&round=<r>`` (the lecturer's view), and ``?progress=<token>`` (remembered practice, kept in
the session and written back to every URL so a reload or a bookmark keeps it).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from games import GAMES
from games.base import Round, Score
from games.text import plain as plain_text
from games.ui import Refused, RoundSource, cached_round
from homework import practice, submissions
from homework.assignments import AccessError, for_lecturer, for_student, students_of
from homework.model import local_time
from homework.questions import right_answer

from .database import get_engine

__all__ = ["install", "HomeworkRound", "LecturerView", "RememberedPractice", "learner",
           "sync_scoreboard"]

HOMEWORK_PAGE = "app_pages/homework.py"
TEACH_PAGE = "app_pages/teach.py"


def _number(text) -> int | None:
    text = str(text or "").strip()
    return int(text) if text.isdigit() and len(text) < 4 else None


def install(game_id: str | None) -> None:
    """Choose the round source of this run from the URL (None: plain practice)."""
    q = st.query_params
    chosen = None
    try:
        if game_id and "hw" in q:
            chosen = HomeworkRound(q["hw"], _number(q.get("item")), _number(q.get("round")))
        elif game_id and "lk" in q:
            chosen = LecturerView(q["lk"], q.get("student", ""), _number(q.get("item")),
                                  _number(q.get("round")))
        elif learner() is not None:
            chosen = RememberedPractice()
    except AccessError as error:
        st.error(plain_text(str(error)), icon=":material/link_off:")
        st.stop()
    if chosen is not None and getattr(chosen, "game", game_id) != game_id:
        chosen = None  # a homework link opened on another game's page: plain practice
    st.session_state["app.source"] = chosen


def _cached(game_id: str, seed: int, difficulty: str) -> Round:
    return cached_round(GAMES[game_id], seed, difficulty)


def _rescored(round_: Round, answer: Mapping) -> Score:
    """The stored answer's Score again (scoring is pure), for its feedback words."""
    return GAMES[round_.game].score(round_, dict(answer))


# ----- homework -------------------------------------------------------------------------------
class HomeworkRound(RoundSource):
    """One round of a student's personal version: submitted to the store, graded once per
    attempt, feedback by the assignment's policy, drafts kept while typing."""

    drafts = True

    def __init__(self, token: str, position: int | None, round_no: int | None):
        engine = get_engine()
        self.token = token
        self.assignment, self.student = for_student(engine, token)
        self.ref = submissions.round_ref(self.assignment, self.student.student_id,
                                         position, round_no)
        self.game = self.ref.game
        self.retry_key = f"hw.retry.{self.student.key}.{position}.{round_no}"

    def round(self, game) -> Round:
        return self.use(game.id, _cached(self.ref.game, self.ref.seed, self.ref.difficulty))

    def header(self, game_id: str, round_: Round) -> None:
        spec, ref = self.assignment.spec, self.ref
        item = spec.items[ref.position - 1]
        st.caption(f"{plain_text(spec.title)} · item {ref.position} of {len(spec.items)} · "
                   f"round {ref.round_no} of {item.rounds} · due "
                   f"{local_time(spec.due_at, spec.time_zone)}")
        st.page_link(HOMEWORK_PAGE, label="Back to my homework", icon=":material/arrow_back:",
                     query_params={"token": self.token})
        if submissions.feedback_visible(self.assignment) and spec.feedback == "after_due":
            st.info("The due time has passed: points and feedback are shown.")

    def _attempts(self):
        return [a for _, a in submissions.attempts_of(get_engine(), [self.student.key])
                if (a.position, a.round_no) == (self.ref.position, self.ref.round_no)]

    def stored(self, game_id: str, round_: Round):
        if st.session_state.get(self.retry_key):
            return None
        done = self._attempts()
        if not done:
            return None
        last = done[-1]
        if not submissions.feedback_visible(self.assignment):
            return last.answer, None
        return last.answer, _rescored(round_, last.answer)

    def keep(self, game, round_: Round, answer: Mapping) -> Score | None:
        try:
            sent = submissions.submit(get_engine(), self.token, self.ref.position,
                                      self.ref.round_no, dict(answer), make_round=_cached)
        except AccessError as error:
            raise Refused(str(error)) from None
        st.session_state.pop(self.retry_key, None)
        return sent.score if sent.show_feedback else None

    def draft(self, round_: Round) -> Mapping:
        drafts = submissions.drafts_of(get_engine(), self.student)
        return drafts.get((self.ref.position, self.ref.round_no), {})

    def save_draft(self, round_: Round, values: Mapping) -> None:
        values = {k: v for k, v in values.items() if v not in (None, "")}
        seen = f"hw.draft.{self.student.key}.{self.ref.position}.{self.ref.round_no}"
        if not values or st.session_state.get(seen) == values:
            return
        try:
            submissions.save_draft(get_engine(), self.token, self.ref.position,
                                   self.ref.round_no, values)
            st.session_state[seen] = values
        except (AccessError, ValueError) as error:
            st.warning(f"Your draft could not be saved: {plain_text(str(error))}")

    def withheld(self, round_: Round) -> None:
        spec = self.assignment.spec
        st.success(f"Your answer is in. Points and feedback show after the due time, "
                   f"{local_time(spec.due_at, spec.time_zone)}.", icon=":material/inbox:")
        self._next()

    def after_reveal(self, game_id: str, round_: Round) -> None:
        left = self.assignment.spec.attempts - len(self._attempts())
        if left > 0:
            st.button(f"Try again ({left} attempt{'s' if left > 1 else ''} left; the best "
                      "counts)", key="hw.retry", on_click=st.session_state.__setitem__,
                      args=(self.retry_key, True))
        self._next()

    def _next(self) -> None:
        refs = submissions.rounds_of(self.assignment, self.student.student_id)
        here = next(i for i, r in enumerate(refs)
                    if (r.position, r.round_no) == (self.ref.position, self.ref.round_no))
        if here + 1 < len(refs):
            nxt = refs[here + 1]
            st.page_link(f"games/{nxt.game}/page.py", label="Next round",
                         icon=":material/arrow_forward:",
                         query_params={"hw": self.token, "item": nxt.position,
                                       "round": nxt.round_no})
        st.page_link(HOMEWORK_PAGE, label="Back to my homework", icon=":material/list:",
                     query_params={"token": self.token})


# ----- the lecturer's view of a student's round -------------------------------------------------
class LecturerView(RoundSource):
    """A student's round as the student sees it, with their last answer (or the solution if
    they have not answered) and the whole reveal: for office hours and regrading."""

    def __init__(self, key: str, student_id: str, position: int | None, round_no: int | None):
        engine = get_engine()
        self.key = key
        self.assignment = for_lecturer(engine, key)
        found = [s for s in students_of(engine, self.assignment.id) if s.student_id == student_id]
        if not found:
            raise AccessError(f"No student with id {student_id} in this assignment.")
        self.student = found[0]
        self.ref = submissions.round_ref(self.assignment, student_id, position, round_no)
        self.game = self.ref.game

    def round(self, game) -> Round:
        return self.use(game.id, _cached(self.ref.game, self.ref.seed, self.ref.difficulty))

    def header(self, game_id: str, round_: Round) -> None:
        st.caption(f"Lecturer view · {plain_text(self.student.name or self.student.student_id)}"
                   f" ({plain_text(self.student.student_id)}) · item {self.ref.position}, "
                   f"round {self.ref.round_no} · seed {self.ref.seed}")
        st.page_link(TEACH_PAGE, label="Back to the assignment", icon=":material/arrow_back:",
                     query_params={"key": self.key})

    def stored(self, game_id: str, round_: Round):
        done = [a for _, a in submissions.attempts_of(get_engine(), [self.student.key])
                if (a.position, a.round_no) == (self.ref.position, self.ref.round_no)]
        if done:
            last = done[-1]
            st.info(f"The student's answer (attempt {last.attempt}, "
                    f"{last.submitted_at:%d %b %Y %H:%M} UTC{', late' if last.late else ''}).")
            return last.answer, _rescored(round_, last.answer)
        st.info("Not answered yet: showing the solution.")
        answer = right_answer(round_)
        return answer, _rescored(round_, answer)

    def after_reveal(self, game_id: str, round_: Round) -> None:
        return None


# ----- practice that remembers ------------------------------------------------------------------
def learner() -> int | None:
    """The practice learner of this session (from ?progress= or the session), or None."""
    given = st.query_params.get("progress")
    token = st.session_state.get("app.progress_token")
    if given and given != token:
        try:
            st.session_state["app.learner"] = practice.open_learner(get_engine(), given)
        except AccessError as error:
            st.session_state.pop("app.learner", None)
            st.session_state.pop("app.progress_token", None)
            del st.query_params["progress"]
            st.session_state["app.progress_notice"] = str(error)
            return None
        st.session_state["app.progress_token"] = token = given
        sync_scoreboard()
    if token and st.query_params.get("progress") != token:
        st.query_params["progress"] = token  # keep it in the URL for reloads and bookmarks
    return st.session_state.get("app.learner") if token else None


def sync_scoreboard() -> None:
    """The sidebar's score, rounds and streaks from the stored rounds."""
    kept = practice.progress(practice.history(get_engine(), st.session_state["app.learner"]))
    st.session_state.update({"app.points": kept.points, "app.rounds": kept.rounds,
                             "app.streak": kept.streak, "app.best_streak": kept.best_streak})


class RememberedPractice(RoundSource):
    """Practice whose every round is kept behind the learner's link: a round answered before
    (in any tab or device) shows its first answer and is never scored again."""

    def stored(self, game_id: str, round_: Round):
        here = super().stored(game_id, round_)
        if here is not None:
            return here
        played = practice.answered(get_engine(), st.session_state["app.learner"], round_.game,
                                   round_.seed, round_.difficulty)
        if played is None:
            return None
        st.info("You played this round before: your first answer stands.")
        score = _rescored(round_, played.answer)
        self.remember(game_id, played.answer, score)
        return played.answer, score

    def keep(self, game, round_: Round, answer: Mapping) -> Score | None:
        score = game.score(round_, answer)
        new, played = practice.record(get_engine(), st.session_state["app.learner"], round_,
                                      dict(answer), score)
        if not new:
            score = _rescored(round_, played.answer)
            answer = played.answer
        self.remember(game.id, answer, score)
        sync_scoreboard()
        return score
