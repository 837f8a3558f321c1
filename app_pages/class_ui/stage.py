"""The host's screen during a game: the controls, and what the projector shows in each phase.

The phase drawn is the database's: a fragment re-reads the game every second (live counts and
answers) and redraws the whole screen when the game's version moved (a countdown ran out,
or another host screen clicked "next").
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import store
from classroom import host, phases
from classroom.aggregates import poll_result
from classroom.charts import leaderboard_bars, poll_bars
from classroom.links import host_link, join_link, qr_png
from classroom.models import GameRow, Snapshot
from classroom.records import snapshot
from classroom.rounds import build_round
from classroom.scoring import TOP, leaderboard
from games import GAMES
from games.ui import friendly_errors, show_chart

from . import game_view, reveal, summary
from .answers_view import draw_spreads
from .common import act, client, engine, plain, public_base

__all__ = ["draw"]

PHASE_WORDS = {"lobby": "Lobby: students are joining", "question": "Question open",
               "locked": "Answers locked", "reveal": "Reveal", "leaderboard": "Leaderboard",
               "poll": "Closing poll", "summary": "Summary"}


def draw(game: GameRow, key: str) -> None:
    snap = _read(game.code)
    _controls(snap, key)
    with friendly_errors("drawing this screen"):
        _phase(snap)
    if snap.game.phase != "summary":
        _manage_players(snap, key)


def _phase(snap: Snapshot) -> None:
    phase = snap.game.phase
    if phase == "lobby":
        _lobby(snap)
    elif phase in ("question", "locked"):
        _question(snap)
    elif phase == "reveal":
        reveal.draw(snap)
    elif phase == "leaderboard":
        _leaderboard(snap)
    elif phase == "poll":
        _poll(snap)
    else:
        summary.draw(snap)


def _read(code: str) -> Snapshot:
    with store.read(engine()) as conn:
        return snapshot(conn, code)


# ----- controls --------------------------------------------------------------------------
def _controls(snap: Snapshot, key: str) -> None:
    game = snap.game
    notice = st.session_state.pop("class.notice", None)
    if notice:
        st.warning(notice, icon=":material/info:")
    if st.session_state.pop("class.new", False):
        st.success("Game created. Keep this page's address: it holds the host key, the only "
                   "way to drive this game (also from another device).",
                   icon=":material/key:")
    left, middle, right = st.columns([3, 2, 2], vertical_alignment="center")
    left.subheader(plain(game.title), anchor=False)
    where = PHASE_WORDS[game.phase]
    if snap.current is not None and game.phase not in phases.ENDED:
        where += f" · question {snap.current.position + 1} of {len(snap.rounds)}"
    left.caption(where)
    base = public_base()
    middle.markdown(f"Join at **{base}/join**  \ncode **{game.code}**")
    label = phases.next_label(game.phase, game.round_index, len(snap.rounds))
    if label and right.button(label, type="primary", key="class.next", width="stretch"):
        act(host.advance, game.code, key, client(), seen_version=game.version)
        st.rerun()
    if game.phase not in phases.ENDED and game.phase != "lobby":
        with right.popover("End the game now", width="stretch"):
            st.write("Skip the remaining questions and go to the closing poll?")
            if st.button("Yes, end it", key="class.finish"):
                act(host.finish, game.code, key, client())
                st.rerun()
    with st.expander("Host link (to drive this game from another device)"):
        st.caption("Anyone with this link can drive the game: do not show it on the projector.")
        st.code(host_link(base, game.code, key), language=None)
    st.divider()


# ----- phases --------------------------------------------------------------------------------
def _lobby(snap: Snapshot) -> None:
    link = join_link(public_base(), snap.game.code)
    left, right = st.columns([3, 2])
    with left:
        st.markdown("### On your phone, open")
        st.markdown(f"## {public_base()}/join")
        st.markdown("### and type the code")
        st.markdown(f"# `{snap.game.code}`")
        st.caption(f"Or scan the QR code. Link: {link}")
    right.image(qr_png(link), caption="Scan to join", width="stretch")  # its column, no wider
    _players_live(snap.game.code, snap.game.version)


@st.fragment(run_every=1.0)
def _players_live(code: str, version: int) -> None:
    snap = _read(code)
    if snap.game.version != version:
        st.rerun(scope="app")
    names = [p.nickname for p in snap.active_players]
    st.metric("Players", len(names))
    if names:
        st.dataframe(pd.DataFrame({"nickname": names}), hide_index=True, height=min(
            400, 36 * len(names) + 40), width="stretch")


def _question(snap: Snapshot) -> None:
    current = snap.current
    round_ = build_round(current.game, current.seed, current.difficulty)
    st.markdown(f"### Question {current.position + 1} of {len(snap.rounds)}: "
                f"{GAMES[current.game].title}")
    left, right = st.columns([3, 2])
    with left:
        st.markdown(round_.prompt)
        for q in round_.questions:
            st.markdown(f"**{q.text}**")
        game_view.draw_question(round_)
    with right:
        st.toggle("Show the answers as they come in", value=True, key="class.show_live",
                  help="Hide them if you do not want the class to follow the crowd.")
        _answers_live(snap.game.code, snap.game.version)


@st.fragment(run_every=1.0)
def _answers_live(code: str, version: int) -> None:
    snap = _read(code)
    game = snap.game
    if game.version != version:
        st.rerun(scope="app")
    current = snap.current
    if game.phase == "question" and current.closes_at is not None:
        left = (current.closes_at - store.utcnow()).total_seconds()
        if left <= 0 and host.lock_if_due(engine(), game.id):
            st.rerun(scope="app")
        st.metric("Time left", f"{max(0, int(left + 0.999))} s")
    answers = snap.answers_to(current.id)
    a, b = st.columns(2)
    a.metric("Players", len(snap.active_players))
    b.metric("Answered", len(answers))
    if st.session_state.get("class.show_live", True) and answers:
        round_ = build_round(current.game, current.seed, current.difficulty)
        draw_spreads(round_, answers, revealed=False)


def _leaderboard(snap: Snapshot) -> None:
    table = leaderboard(snap.players, snap.answers, bonus=snap.game.speed_bonus,
                        window=float(snap.game.countdown) if snap.game.countdown else None)
    st.markdown(f"### Top {min(TOP, len(table))} of {len(table)}")
    if table:
        show_chart(leaderboard_bars(table[:TOP]), "The ten highest totals so far.")
    st.caption("Every phone shows its own points and rank.")


def _poll(snap: Snapshot) -> None:
    st.markdown("### How was it? Answer on your phone.")
    st.caption("Pace, happiness from 1 to 5, and one optional comment that only the lecturer "
               "sees (the comments are in the summary, not on this screen).")
    _poll_live(snap.game.code, snap.game.version)


@st.fragment(run_every=1.0)
def _poll_live(code: str, version: int) -> None:
    snap = _read(code)
    if snap.game.version != version:
        st.rerun(scope="app")
    result = poll_result(snap.poll)
    st.metric("Answers", f"{result.answered} of {len(snap.active_players)}")
    if result.answered:
        pace, happy = poll_bars(result)
        left, right = st.columns(2)
        show_chart(pace, "How the class found the pace.", where=left)
        show_chart(happy, "How happy the class is, 1 to 5.", where=right)


def _manage_players(snap: Snapshot, key: str) -> None:
    present = snap.active_players
    with st.expander(f"Manage players ({len(present)})"):
        if not present:
            st.caption("No players yet.")
            return
        st.caption("Pick a player in the table (nicknames show exactly as typed).")
        picked = st.dataframe(pd.DataFrame({"nickname": [p.nickname for p in present]}),
                              hide_index=True, on_select="rerun", selection_mode="single-row",
                              key="class.manage.table", width="stretch",
                              height=min(300, 36 * len(present) + 40))
        rows = picked.selection.rows
        chosen = present[rows[0]] if rows and rows[0] < len(present) else None
        new = st.text_input("New nickname", max_chars=20, key="class.manage.name")
        left, right = st.columns(2)
        if left.button("Rename", key="class.manage.rename", disabled=chosen is None):
            act(host.rename_player, snap.game.code, key, client(), chosen.id, new)
            st.rerun()
        if right.button("Remove from the game", key="class.manage.remove",
                        disabled=chosen is None):
            act(host.remove_player, snap.game.code, key, client(), chosen.id)
            st.rerun()
