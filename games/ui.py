"""The round loop every game page shares (Streamlit only; logic modules never import this).

A game page is a few lines: ``play("tails", ask=..., show_reveal=...)``. This module finds the
round (from the URL's ``?seed=``, the session or a fresh draw), draws the prompt, hands the
question to the game's ``ask``, scores the answer once, updates the session's score and streak,
and calls the game's ``show_reveal``. Any exception becomes a friendly message and a log entry,
never a traceback on screen.

Where the round comes from and where the answer goes is a :class:`RoundSource`: by default
practice in this session (a seed from the URL, the session or a new draw; score and streak in
the session). The router puts another one in ``st.session_state["app.source"]`` for a run
(homework, remembered practice, the lecturer's view of a student's round: see
app_pages/round_sources.py), so every use shares this one loop and the game pages do not change.

Session keys: ``"<game>.round"`` (the Round), ``"<game>.answer"``, ``"<game>.score"`` and
``"<game>.notice"``; app-wide ``"app.difficulty"``, ``"app.points"``, ``"app.rounds"``,
``"app.streak"``, ``"app.best_streak"``, ``"app.url_difficulty"`` and ``"app.source"``.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable, Mapping
from contextlib import contextmanager

import numpy as np
import streamlit as st

from . import GAMES
from .answers import InvalidAnswer
from .base import DIFFICULTIES, Round, Score, check_difficulty

__all__ = [
    "play",
    "RoundSource",
    "Refused",
    "plain_text",
    "source",
    "friendly_errors",
    "init_session",
    "apply_url_difficulty",
    "draw_scoreboard",
    "choice_form",
    "new_seed",
    "parse_seed",
    "style_table",
    "p_value_text",
    "run_with_progress",
    "show_chart",
    "cached_round",
]

log = logging.getLogger("lmm_games")

MAX_SEED = 2**63 - 1
DIFFICULTY_HELP = {
    "gentle": "bigger effects, clearer data, fewer things to judge",
    "normal": "the classroom default",
    "tricky": "smaller samples, subtler effects, more to judge",
}


# ----- session ------------------------------------------------------------------------------
def init_session() -> None:
    """The app-wide keys, set once per session (called by the router before the page runs)."""
    for key, value in {"app.difficulty": "normal", "app.points": 0, "app.rounds": 0,
                       "app.streak": 0, "app.best_streak": 0}.items():
        st.session_state.setdefault(key, value)


def apply_url_difficulty() -> None:
    """Take ``?difficulty=`` from a shared link (once per link), before the sidebar is drawn."""
    given = st.query_params.get("difficulty")
    if given is None or given == st.session_state.get("app.url_difficulty"):
        return
    st.session_state["app.url_difficulty"] = given
    if given in DIFFICULTIES:
        st.session_state["app.difficulty"] = given


def draw_scoreboard(container) -> None:
    """Points, rounds and streak of this session."""
    rounds = st.session_state["app.rounds"]
    with container:
        left, right = st.columns(2)
        left.metric("Score", st.session_state["app.points"],
                    help="Points this session: up to 100 per round.")
        right.metric("Streak", st.session_state["app.streak"],
                     help="Right answers in a row.")
        st.caption(f"{rounds} round{'s' if rounds != 1 else ''} played · best streak "
                   f"{st.session_state['app.best_streak']}")


def _record(score: Score) -> None:
    st.session_state["app.points"] += score.points
    st.session_state["app.rounds"] += 1
    streak = st.session_state["app.streak"] + 1 if score.correct else 0
    st.session_state["app.streak"] = streak
    st.session_state["app.best_streak"] = max(streak, st.session_state["app.best_streak"])


# ----- seeds and rounds ---------------------------------------------------------------------
def new_seed() -> int:
    """A fresh seed, short enough to read off a projector."""
    return secrets.randbelow(1_000_000)


def parse_seed(text) -> int | None:
    """The seed from a URL value: a whole number from 0 up, else None."""
    text = str(text).strip()
    if not text.isdigit():
        return None
    value = int(text)
    return value if value <= MAX_SEED else None


@st.cache_data(show_spinner="Simulating a study and fitting the models…", max_entries=256)
def cached_round(game_id: str, seed: int, difficulty: str) -> Round:
    """make_round, cached by (game, seed, difficulty): a round is a pure function of them."""
    return GAMES[game_id].make_round(seed, difficulty)


def _wanted_seed(game_id: str) -> int:
    """The seed to show: the URL's if it names another round, else the session's, else new."""
    current = st.session_state.get(f"{game_id}.round")
    given = st.query_params.get("seed")
    if given is not None:
        seed = parse_seed(given)
        if seed is not None:
            return seed
        st.session_state[f"{game_id}.notice"] = (
            f"The link asked for round '{given}', but a round number must be a whole number "
            "from 0 up (like ?seed=123), so here is a new round instead."
        )
    return current.seed if current is not None and given is None else new_seed()


def _current_round(game_id: str) -> Round:
    difficulty = check_difficulty(st.session_state["app.difficulty"])
    seed = _wanted_seed(game_id)
    current = st.session_state.get(f"{game_id}.round")
    if current is None or (current.seed, current.difficulty) != (seed, difficulty):
        current = cached_round(game_id, seed, difficulty)
        _start(game_id, current)
    _write_url(current)
    return current


def _start(game_id: str, round_: Round) -> None:
    """Make round_ current: forget the last round's answer, score and answer widgets."""
    for key in [k for k in st.session_state if str(k).startswith(f"{game_id}.form.")]:
        del st.session_state[key]
    st.session_state[f"{game_id}.round"] = round_
    st.session_state.pop(f"{game_id}.answer", None)
    st.session_state.pop(f"{game_id}.score", None)


def _write_url(round_: Round) -> None:
    if st.query_params.get("seed") != str(round_.seed):
        st.query_params["seed"] = str(round_.seed)
    if st.query_params.get("difficulty") != round_.difficulty:
        st.query_params["difficulty"] = round_.difficulty
    st.session_state["app.url_difficulty"] = round_.difficulty


def _new_round(game_id: str) -> None:
    """Button callback: draw a new seed and put it in the URL."""
    seed = new_seed()
    st.query_params["seed"] = str(seed)
    st.session_state.pop(f"{game_id}.notice", None)


# ----- drawing ------------------------------------------------------------------------------
@contextmanager
def friendly_errors(what: str):
    """Show an exception as a plain message with what to do, and log the traceback."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - the page must never show a traceback
        log.exception("Error while %s", what)
        st.error(
            f"Sorry, something went wrong while {what}. Try **New round**, or reload the "
            "page. If it keeps happening, tell your instructor the round number in the "
            f"address bar.\n\nDetails: {type(error).__name__}: {error}"
        )


class Refused(ValueError):
    """A round source's refusal to keep an answer, in words for the student (shown as-is)."""


class RoundSource:
    """Practice in this session: the default round source and answer sink of :func:`play`.

    Subclasses override what differs: ``round`` (which round to show), ``stored`` (an answer
    already kept for it, which locks the round), ``keep`` (score and keep an answer; return
    None to withhold the feedback, raise :class:`Refused` with a message to refuse it), ``header``,
    and ``draft`` / ``save_draft`` to keep what is typed before it is sent.
    """

    drafts = False  # True: answer widgets outside forms, so each change can be kept

    def round(self, game_id: str) -> Round:
        return _current_round(game_id)

    @staticmethod
    def use(game_id: str, round_: Round) -> Round:
        """Make ``round_`` the page's round, forgetting another round's widgets and answer
        (for sources that choose their rounds themselves)."""
        current = st.session_state.get(f"{game_id}.round")
        if current is None or (current.seed, current.difficulty) != (round_.seed,
                                                                     round_.difficulty):
            _start(game_id, round_)
        return round_

    def header(self, game_id: str, round_: Round) -> None:
        _header(game_id, round_)

    def stored(self, game_id: str, round_: Round) -> tuple[Mapping, Score | None] | None:
        answer = st.session_state.get(f"{game_id}.answer")
        return None if answer is None else (answer, st.session_state[f"{game_id}.score"])

    def keep(self, game_id: str, round_: Round, answer: Mapping) -> Score | None:
        score = GAMES[game_id].score(round_, answer)
        self.remember(game_id, answer, score)
        _record(score)
        return score

    def remember(self, game_id: str, answer: Mapping, score: Score | None) -> None:
        st.session_state[f"{game_id}.answer"] = dict(answer)
        st.session_state[f"{game_id}.score"] = score

    def draft(self, round_: Round) -> Mapping:
        return {}

    def save_draft(self, round_: Round, values: Mapping) -> None:
        return None

    def withheld(self, round_: Round) -> None:
        """What to show for a kept answer whose feedback is withheld (keep returned None)."""
        st.info("Your answer is in.")

    def after_reveal(self, game_id: str, round_: Round) -> None:
        st.button("New round", key=f"{game_id}.new_bottom", type="primary",
                  on_click=_new_round, args=(game_id,))


def source() -> RoundSource:
    return st.session_state.get("app.source") or RoundSource()


def play(
    game_id: str,
    ask: Callable[[Round], Mapping | None],
    show_reveal: Callable[[Round, Mapping, Score], None],
) -> None:
    """Draw one round of a game: header, prompt, question, then feedback and reveal."""
    game = GAMES[game_id]
    where = source()
    st.title(game.title)
    kept = score = None  # stay None if preparing the round failed (the error is shown)
    with friendly_errors("preparing this round"):
        round_ = where.round(game_id)
        where.header(game_id, round_)
        st.markdown(round_.prompt)
        kept = where.stored(game_id, round_)
        if kept is None:
            _ask(game_id, where, round_, ask)
            return
        answer, score = kept
        if score is None:
            where.withheld(round_)
            return
        _feedback(round_, answer, score)
    if kept is None or score is None:
        return
    with friendly_errors("showing what the models say"):
        show_reveal(round_, answer, score)
        st.divider()
        where.after_reveal(game_id, round_)


def _ask(game_id: str, where: RoundSource, round_: Round, ask) -> None:
    """The question; a sent answer is kept (or refused with the reason) and the page redrawn."""
    keys = {q.id: f"{game_id}.form.{q.id}" for q in round_.questions}
    if where.drafts:
        for qid, value in where.draft(round_).items():
            if qid in keys and keys[qid] not in st.session_state and value is not None:
                st.session_state[keys[qid]] = value
    answer = ask(round_)
    if where.drafts:
        where.save_draft(round_, {q: st.session_state.get(k) for q, k in keys.items()})
    if answer is None:
        return
    try:
        where.keep(game_id, round_, answer)
    except (InvalidAnswer, Refused) as refused:  # wrong shape, closed, no attempts left
        st.error(plain_text(str(refused)), icon=":material/block:")
        return
    st.rerun()  # redraw with the answer locked in and the sidebar score updated


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def plain_text(text: str) -> str:
    """Text that may quote what someone typed, escaped so st.markdown/st.error show it as
    typed (no Markdown, HTML, emoji shortcodes or LaTeX)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


def _header(game_id: str, round_: Round) -> None:
    notice = st.session_state.pop(f"{game_id}.notice", None)
    if notice:
        st.info(notice)
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(
        f"Round **{round_.seed}** · {round_.difficulty} · to replay it, open this page with "
        f"`?seed={round_.seed}&difficulty={round_.difficulty}`"
    )
    right.button("New round", key=f"{game_id}.new_top", on_click=_new_round, args=(game_id,),
                 width="stretch")


def _code(text: str) -> str:
    """Typed text as inline code (double backticks when it holds a backtick itself)."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _feedback(round_: Round, answer: Mapping, score: Score) -> None:
    kinds = round_.answer_kinds
    yours = "; ".join(round_.question(q).label_of(v) if kinds[q] == "choice" else _code(str(v))
                      for q, v in answer.items() if kinds.get(q) in ("choice", "text"))
    if yours:
        st.markdown(f"**Your answer:** {yours}")
    message = f"**{score.points} points.** {score.feedback}"
    if score.correct:
        st.success(message, icon=":material/check_circle:")
    elif score.points > 0:
        st.warning(message, icon=":material/star_half:")
    else:
        st.error(message, icon=":material/cancel:")


def choice_form(round_: Round, form_key: str,
                check: Callable[[dict], str | None] | None = None) -> dict | None:
    """Radio buttons for every choice question and a text box for every text question, in a
    form; the answer once submitted.

    ``check(answer)`` may return a message (markdown) saying why the answer cannot be scored
    yet, such as a formula that does not parse: it is shown, nothing is scored, and the boxes
    keep what was typed.
    """
    with st.form(form_key) if not source().drafts else st.container():
        picks = {}
        for q in round_.questions:
            if q.kind == "choice":
                picks[q.id] = st.radio(q.text, [o.value for o in q.options], index=None,
                                       format_func=q.label_of, key=f"{form_key}.{q.id}",
                                       help=q.help or None)
            elif q.kind == "text":
                picks[q.id] = st.text_input(q.text, key=f"{form_key}.{q.id}",
                                            help=q.help or None)
        submitted = (st.button("Check my answer", type="primary", key=f"{form_key}.send")
                     if source().drafts else
                     st.form_submit_button("Check my answer", type="primary"))
    if not submitted:
        return None
    missing = [round_.question(q).text for q, v in picks.items()
               if v is None or (isinstance(v, str) and not v.strip())]
    if missing:
        typed = any(round_.question(q).kind == "text" for q in picks)
        st.warning(("Answer every question first: " if typed else "Pick an answer first: ")
                   + " ".join(missing))
        return None
    problem = check(picks) if check is not None else None
    if problem:
        st.error(problem, icon=":material/edit:")
        return None
    return picks


def style_table(frame, digits: int = 2, na_rep: str = ""):
    """A table for st.dataframe or st.table with numbers rounded for reading aloud; na_rep
    (e.g. "–") marks a quantity a model does not have."""
    return frame.style.format(precision=digits, na_rep=na_rep)


def p_value_text(p: float) -> str:
    """A p-value as a table shows it: "< 0.001", three decimals, or "–" when there is none."""
    if not np.isfinite(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def run_with_progress(work: Callable, label: str):
    """Run ``work(progress=tick)`` under an st.progress bar that counts "done of total".

    Call it inside the st.cache_data function that does the work: a bar created outside a
    cached function cannot be updated from inside it (CacheReplayClosureError).
    """
    bar = st.progress(0.0, text=f"{label}…")

    def tick(done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0), text=f"{label}: {done} of {total}")

    out = work(progress=tick)
    bar.empty()
    return out


def show_chart(spec: dict, alt_text: str, where=None) -> None:
    """Draw a Vega-Lite spec (see games.charts.to_spec) across the page or column ``where``,
    with a text alternative for screen readers."""
    (where or st).vega_lite_chart(spec=spec, width="stretch", alt=alt_text)
