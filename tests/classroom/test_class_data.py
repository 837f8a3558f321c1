"""The projector's numbers (pure): spreads, misconceptions, the class's answers as data, the
poll, CSV exports, and the links and QR code."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from scipy import stats

from classroom import class_data, links
from classroom.aggregates import misconceptions, poll_result, round_result, spreads
from classroom.exports import results_csv, safe_cell
from classroom.misconceptions import explain
from classroom.models import AnswerRow, GameRow, PlayerRow, PollRow, RoundRow, Snapshot
from classroom.rounds import build_round, phone_round

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def _answer(player: int, answer: dict, points=0, correct=False, code=None, round_id=1):
    return AnswerRow(player, round_id, answer, points, correct, code, "", NOW, 3.0)


@pytest.fixture(scope="module")
def lineup():
    return build_round("lineup", 5, "normal")


def test_the_lineup_p_value_is_a_binomial_tail(lineup):
    real, m = lineup.solution["panel"], lineup.context["n_panels"]
    other = next(o.value for o in lineup.questions[0].options if o.value != real)
    answers = [_answer(i, {"panel": real if i < 7 else other, "problem": "nothing"})
               for i in range(20)]
    verdict = class_data.lineup_verdict(lineup, answers)
    assert (verdict.n, verdict.k, verdict.panels) == (20, 7, m)
    assert verdict.p_value == pytest.approx(stats.binom.sf(6, 20, 1 / m))
    assert "7 or more" in verdict.sentence and f"1 in {m}" in verdict.sentence
    assert class_data.lineup_verdict(build_round("tails", 3, "normal"), answers) is None


def test_spreads_count_every_option_and_mark_the_right_one(lineup):
    answers = [_answer(i, {"panel": "1", "problem": "outliers"}) for i in range(3)]
    panel, problem = spreads(lineup, answers)
    assert sum(c.count for c in panel.choices) == 3 and len(panel.choices) == len(
        lineup.questions[0].options)
    assert [c.value for c in problem.choices if c.right] == [lineup.solution["problem"]]


def test_number_guesses_against_the_model_and_the_class_average():
    pooling = build_round("pooling", 3, "normal")
    q = next(q for q in pooling.questions if q.kind == "number")
    model = pooling.solution[q.id]
    guesses = [model - 10, model + 12, model - 6, model + 8, model + 40]
    answers = [_answer(i, {q.id: g}) for i, g in enumerate(guesses)]
    found = next(g for g in class_data.guesses(pooling, answers) if g.question.id == q.id)
    assert found.model == pytest.approx(model) and found.mean == pytest.approx(
        sum(guesses) / 5)
    assert found.closer_than == pytest.approx(0.6)  # 10, 12 and 40 are further than 8.8
    assert "closer than 60%" in found.sentence


def test_intervals_count_how_many_cover_the_truth():
    boot = build_round("bootstrap", 1, "normal")
    if not {"lower", "upper"} <= set(boot.solution):
        boot = next(r for r in (build_round("bootstrap", s, "normal") for s in range(2, 12))
                    if {"lower", "upper"} <= set(r.solution))
    truth = boot.reveal.numbers["truth"]
    answers = [_answer(0, {"lower": truth - 1, "upper": truth + 1}),
               _answer(1, {"lower": truth + 1, "upper": truth + 2})]
    found = class_data.intervals(boot, answers)
    assert found.cover_truth == 1 and "1 contain the true value" in found.sentence


def test_misconceptions_are_counted_and_explained():
    answers = [_answer(1, {}, code="nested_for_crossed"), _answer(2, {}, code="ignored_items"),
               _answer(3, {}, code="nested_for_crossed"), _answer(4, {}, 100, True)]
    found = misconceptions(answers)
    assert [(m.code, m.count) for m in found] == [("nested_for_crossed", 2), ("ignored_items", 1)]
    assert found[0].share == 0.5 and "crossed" in found[0].explanation
    assert "mixture" in explain("confused_mixture_with_outliers")
    assert explain("a_new_games_code") == "A new games code."
    result = round_result(answers)
    assert (result.answered, result.right, result.top_misconception.code) == (
        4, 1, "nested_for_crossed")


def test_the_class_as_a_mixed_model_pools_the_leaderboard():
    players = [PlayerRow(i, f"p{i}", NOW, None) for i in range(8)]
    rounds = [RoundRow(r, r, "tails", r, "normal", NOW, None, NOW, NOW) for r in range(4)]
    answers = [_answer(p, {}, points=min(100, 20 + 10 * p + 15 * r + (p * r) % 7),
                       round_id=r) for p in range(8) for r in range(4)]
    model = class_data.class_model(players, rounds, answers)
    assert model is not None and 0 <= model.share_player <= 1
    assert list(model.table.columns) == ["nickname", "rounds", "own average", "partial pooling"]
    assert model.table["nickname"].iloc[0] == "p7"
    assert class_data.class_model(players[:2], rounds, answers[:8]) is None


def test_the_poll_counts_pace_and_happiness_and_keeps_comments():
    rows = [PollRow(1, "right", 4, "More examples please", NOW), PollRow(2, "too_fast", 2,
                                                                         None, NOW)]
    result = poll_result(rows)
    assert dict(result.pace) == {"too slow": 0, "about right": 1, "too fast": 1}
    assert result.mean_happiness == 3 and result.comments == ("More examples please",)


def test_csv_cells_that_look_like_formulas_are_defused():
    assert safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert safe_cell("Ada") == "Ada" and safe_cell(3) == 3
    game = GameRow(1, "ACEFHJ", "t", "summary", 0, 9, False, None, NOW, NOW, NOW)
    snap = Snapshot(game, (RoundRow(1, 0, "tails", 3, "normal", NOW, None, NOW, NOW),),
                    (PlayerRow(7, "@evil", NOW, None),),
                    (_answer(7, {"region": "upper"}, 100, True),), ())
    rows = list(csv.reader(io.StringIO(results_csv(snap))))
    assert rows[0][:7] == ["player", "round", "game", "difficulty", "seed", "answer", "points"]
    assert rows[1][0] == "'@evil" and rows[1][6] == "100"


def test_phones_never_get_the_solution(lineup):
    shown = phone_round(lineup)
    assert set(shown) == {"game", "title", "prompt", "questions"}
    assert "solution" not in str(shown) and lineup.reveal.explanation[:40] not in str(shown)


def test_links_use_an_address_phones_can_reach():
    assert links.public_base("http://localhost:8501/class", "192.168.1.20") == \
        "http://192.168.1.20:8501"
    assert links.public_base("https://games.uni.example/class", "10.0.0.5") == \
        "https://games.uni.example"
    assert links.public_base("http://localhost:8501/", "10.0.0.5",
                             "https://x.example/") == "https://x.example"
    assert links.join_link("http://h:1", "ACEFHJ") == "http://h:1/join?code=ACEFHJ"
    assert links.qr_png("http://h:1/join?code=ACEFHJ").startswith(b"\x89PNG")
