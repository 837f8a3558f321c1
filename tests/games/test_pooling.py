"""The pooling game: guesses scored by distance in bands, misconceptions by their pattern."""

import numpy as np

from games.pooling import logic
from tests.round_cache import RoundsByDifficulty, each_round

ROUNDS = RoundsByDifficulty("pooling", range(12), ("gentle", "normal", "tricky"))


def _answer_at(round_, share: float) -> dict:
    """Every guess `share` of the way from the own estimate to the population (0 = own)."""
    out = {}
    for key in round_.solution:
        subject, param = key.split(".")
        t = round_.context["targets"][subject][param]
        out[key] = t["own"] + share * (t["population"] - t["own"])
    return out


def test_number_of_highlighted_participants_grows_with_difficulty():
    counts = [len(ROUNDS[d][0].context["highlighted"]) for d in ("gentle", "normal", "tricky")]
    assert counts == [1, 2, 3]
    for round_ in ROUNDS["normal"]:
        assert len(round_.questions) == 4
        assert all(q.kind == "number" and q.low < round_.solution[q.id] < q.high
                   for q in round_.questions)


def test_sparse_participant_is_pulled_harder_than_the_complete_one():
    pulled = {"sparse": [], "complete": []}
    for round_ in ROUNDS["normal"]:
        sparse, complete = round_.context["highlighted"]
        table = round_.reveal.tables["highlighted"].set_index(["who", "coefficient"])
        col = "pulled %"
        pulled["sparse"].append(table.loc[(sparse, "slope (ms/day)"), col])
        pulled["complete"].append(table.loc[(complete, "slope (ms/day)"), col])
    assert np.median(pulled["sparse"]) > np.median(pulled["complete"])


@each_round(lambda: ROUNDS["normal"])
def test_no_pooling_answer_is_named(round_):
    result = logic.score(round_, _answer_at(round_, 0.0))
    assert result.points < 100
    assert result.misconception == "chose_no_pooling"


def test_complete_pooling_answer_is_named():
    codes = []
    for round_ in ROUNDS["tricky"] + ROUNDS["normal"]:
        result = logic.score(round_, _answer_at(round_, 1.0))
        if result.points < 100:
            codes.append(result.misconception)
    assert codes and codes.count("chose_complete_pooling") >= len(codes) // 2


def test_moving_away_and_overshooting_are_named():
    round_ = ROUNDS["normal"][0]
    assert logic.score(round_, _answer_at(round_, -0.6)).misconception == (
        "moved_away_from_population")
    assert logic.score(round_, _answer_at(round_, 1.8)).misconception in (
        "overshot_population", "misjudged_shrinkage")


def test_bands_full_half_none():
    round_ = ROUNDS["gentle"][0]
    key = next(iter(round_.solution))
    subject, param = key.split(".")
    scale = round_.context["targets"][subject][param]["scale"]
    other = {k: v for k, v in round_.solution.items() if k != key}
    for shift, expected in ((0.1, 100), (0.3, 50), (0.6, 0)):
        answer = other | {key: round_.solution[key] + shift * scale}
        points = logic.score(round_, answer).points
        assert points == (expected + 100) // 2, (shift, points)


def test_non_numbers_are_refused_politely():
    round_ = ROUNDS["gentle"][0]
    answer = dict(round_.solution)
    answer[next(iter(answer))] = "abc"
    result = logic.score(round_, answer)
    assert (result.points, result.misconception) == (0, "no_answer")


def test_spread_is_smaller_with_partial_pooling():
    for round_ in ROUNDS["normal"]:
        num = round_.reveal.numbers
        assert num["spread_model_intercept"] < num["spread_own_intercept"]
        assert num["spread_model_slope"] < num["spread_own_slope"]
