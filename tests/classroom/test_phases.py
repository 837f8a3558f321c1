"""The host's state machine and the small pure pieces: codes, nicknames, playlists, scoring."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from classroom import codes, phases, playlists
from classroom.errors import Conflict, Invalid
from classroom.models import AnswerRow, PlayerRow
from classroom.nicknames import clean_nickname, nickname_key
from classroom.scoring import leaderboard, speed_bonus
from games import GAMES


def test_phases_run_lobby_to_summary_in_order():
    step, seen = phases.Step("lobby", None), []
    while step.phase != "summary":
        step = phases.advance(step.phase, step.round_index, 2)
        seen.append((step.phase, step.round_index))
    assert seen == [("question", 0), ("locked", 0), ("reveal", 0), ("leaderboard", 0),
                    ("question", 1), ("locked", 1), ("reveal", 1), ("leaderboard", 1),
                    ("poll", 1), ("summary", 1)]
    with pytest.raises(Conflict, match="over"):
        phases.advance("summary", 1, 2)
    assert phases.finish("reveal", 0) == phases.Step("poll", 0)
    with pytest.raises(Conflict, match="already ended"):
        phases.finish("poll", 1)
    assert phases.next_label("leaderboard", 0, 2) == "Question 2 of 2"
    assert phases.next_label("leaderboard", 1, 2) == "Closing poll"


def test_what_each_phase_allows():
    assert [p for p in phases.PHASES if phases.accepts_answers(p)] == ["question"]
    assert [p for p in phases.PHASES if not phases.can_join(p)] == ["poll", "summary"]
    assert not phases.shows_points("question") and not phases.shows_points("locked")
    assert phases.shows_points("reveal")


def test_codes_avoid_look_alikes_and_forgive_typing():
    assert not set("0O1IL2Z5S8B6GQD") & set(codes.ALPHABET)
    code = codes.new_code()
    assert len(code) == 6 and set(code) <= set(codes.ALPHABET)
    assert codes.normalize_code(f" {code[:3].lower()}-{code[3:]} ") == code
    for bad in ("ABC", "O0O0O0", None, "ACEFHJK"):
        with pytest.raises(Invalid, match="6 (letters|characters)"):
            codes.normalize_code(bad)



@pytest.mark.parametrize("typed", ["<script>x</script>", "[link](http://x.org)",
                                   "![i](http://x.org/a)"])
def test_markup_nicknames_are_kept_as_typed(typed):
    assert clean_nickname(typed) == typed


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Type a nickname"), ("   ", "Type a nickname"), ("a" * 21, "keep it to 20"),
    ("line\nbreak", "one line"), ("zero\u200bwidth", "one line"), ("Sh1t happens", "another"),
    (None, "Type a nickname")])
def test_bad_nicknames_are_refused_with_a_reason(typed, message):
    with pytest.raises(Invalid, match=message):
        clean_nickname(typed)


def test_nicknames_are_the_same_whatever_the_case_and_spacing():
    assert nickname_key(clean_nickname("  Ada   Lovelace ")) == nickname_key("ada lovelace")


def test_lecture_playlist_follows_the_registry():
    slots = playlists.lecture_playlist()
    assert [s.game for s in slots] == [g for g in playlists.LECTURE_ORDER if g in GAMES]
    checked = playlists.check_playlist(slots)
    assert all(isinstance(s.seed, int) for s in checked)
    with pytest.raises(Invalid, match="no game 'chess'"):
        playlists.check_playlist([playlists.Slot("chess")])
    with pytest.raises(Invalid, match="no difficulty"):
        playlists.check_playlist([playlists.Slot("tails", "insane")])
    with pytest.raises(Invalid, match="at least one"):
        playlists.check_playlist([])


def _answer(player, points, correct=False, seconds=5.0):
    return AnswerRow(player, 1, {}, points, correct, None, "", datetime.now(UTC), seconds)


def test_leaderboard_ranks_ties_and_ignores_removed_players():
    now = datetime.now(UTC)
    players = [PlayerRow(1, "b", now, None), PlayerRow(2, "a", now, None),
               PlayerRow(3, "c", now, None), PlayerRow(4, "gone", now, now)]
    answers = [_answer(1, 50), _answer(2, 50), _answer(3, 100, True), _answer(4, 100, True)]
    table = leaderboard(players, answers)
    assert [(s.nickname, s.points, s.rank) for s in table] == [("c", 100, 1), ("a", 50, 2),
                                                               ("b", 50, 2)]
    assert speed_bonus(_answer(1, 100, True, seconds=0.0), 30) == 20
    assert speed_bonus(_answer(1, 100, True, seconds=15.0), 30) == 10
    assert speed_bonus(_answer(1, 50, False, seconds=0.0), 30) == 0
    with_bonus = leaderboard(players, [_answer(1, 100, True, 0.0), _answer(2, 100, True, 30.0)],
                             bonus=True, window=30)
    assert [(s.nickname, s.points) for s in with_bonus][:2] == [("b", 120), ("a", 100)]
