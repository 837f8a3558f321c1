"""The pooling game: guesses scored by the share of the way from the own line to the model's
number they covered, misconceptions by their pattern, pictures that never lose their axes."""

import numpy as np
import pytest

from games.pooling import charts, logic
from tests.round_cache import RoundsByDifficulty

DIFFICULTIES = ("gentle", "normal", "tricky")
ROUNDS = RoundsByDifficulty("pooling", range(12), DIFFICULTIES)


def _answer_at(round_, share: float) -> dict:
    """Every guess `share` of the way from the own estimate to the population (0 = own)."""
    out = {}
    for key in round_.solution:
        subject, param = key.split(".")
        t = round_.context["targets"][subject][param]
        out[key] = t["own"] + share * (t["population"] - t["own"])
    return out


def _toward_model(round_, share: float) -> dict:
    """Every guess `share` of the way from the own estimate to the model's (1 = right)."""
    out = {}
    for key, right in round_.solution.items():
        subject, param = key.split(".")
        own = round_.context["targets"][subject][param]["own"]
        out[key] = own + share * (right - own)
    return out


def test_number_of_highlighted_participants_grows_with_difficulty():
    counts = [len(ROUNDS[d][0].context["highlighted"]) for d in DIFFICULTIES]
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
    assert np.nanmedian(pulled["sparse"]) > np.nanmedian(pulled["complete"])


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_leaving_the_own_lines_earns_about_nothing(difficulty):
    """The boxes start at the own lines: submitting them unchanged is not 'correct'."""
    points = []
    for round_ in ROUNDS[difficulty]:
        result = logic.score(round_, _answer_at(round_, 0.0))
        assert not result.correct and result.points <= 50, (round_.seed, result)
        assert result.misconception == "chose_no_pooling"
        points.append(result.points)
    assert np.median(points) == 0


def test_points_grow_with_the_share_of_the_way_covered():
    for round_ in ROUNDS["normal"]:
        points = [logic.score(round_, _toward_model(round_, s)).points
                  for s in (0.0, 0.3, 0.6, 0.9, 1.0)]
        assert points == sorted(points) and points[-2:] == [100, 100], points
        assert points[0] <= 50


def test_line_distance_covered_and_points():
    # lines 10 ms apart everywhere; a slope difference of 3 ms/day over days 0-9
    assert logic.line_distance((10.0, 1.0), (0.0, 1.0), 9) == pytest.approx(10.0)
    assert logic.line_distance((0.0, 3.0), (0.0, 0.0), 9) == pytest.approx(3 * 9 / 3**0.5)
    own, right = (200.0, 40.0), (250.0, 10.0)
    assert logic.covered(own, own, right, 9, 5.0) == 0.0
    assert logic.covered(right, own, right, 9, 5.0) == 1.0
    half = (225.0, 25.0)
    assert logic.covered(half, own, right, 9, 5.0) == pytest.approx(0.5)
    # a line the model barely moves: judged against the floor, not to a hair
    assert logic.covered((250.5, 10.0), (250.2, 10.0), right, 9, 5.0) == pytest.approx(0.9)
    assert logic.person_points(1 - logic.TIGHT) == 100
    assert logic.person_points(0.0) == logic.person_points(-3.0) == 0
    assert logic.person_points(0.425) == pytest.approx(50)


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


def test_instructions_do_not_promise_between_the_two():
    for difficulty in ("normal", "tricky"):
        prompt = ROUNDS[difficulty][0].prompt
        assert "between the two" not in prompt and "other way" in prompt


def test_two_dimensional_shrinkage_is_explained_with_its_numbers():
    """Seed 5 normal: S06's slope moves away from the population (its intercept is pulled up);
    the reveal says why, naming the numbers."""
    round_ = logic.make_round(5, "normal")
    table = round_.reveal.tables["highlighted"].set_index(["who", "coefficient"])
    row = table.loc[("S06", "slope (ms/day)")]
    assert abs(row["mixed model"] - row["population"]) > abs(row["own line"] - row["population"])
    assert np.isnan(row["pulled %"])  # own slope already near the population's: no share
    text = round_.reveal.explanation
    assert "Two numbers move together" in text and "S06's slope moved *away*" in text
    assert f"{row['own line']:.1f} → {row['mixed model']:.1f}" in text


# ----- pictures: 40 seeds per difficulty --------------------------------------------------
def _line_layers(spec: dict) -> list[dict]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == "line"]


def _check_picture(spec: dict, round_, subject: str) -> None:
    layers = _line_layers(spec)
    assert layers and all(layer["mark"].get("clip") is True for layer in layers)
    lo, hi = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
    reaction = round_.data["reaction"].dropna()
    assert lo <= reaction.min() and reaction.max() <= hi
    rows = [r for name in spec["datasets"] for r in spec["datasets"][name] if "line" in r]
    whole = [r["reaction"] for r in rows if r["line"] in charts.KEEP_WHOLE]
    assert all(lo <= v <= hi for v in whole), (round_.seed, subject)
    span = max([reaction.max(), *whole]) - min([reaction.min(), *whole])
    assert hi - lo <= 1.2 * span, "a clipped line must not stretch the range"


@pytest.mark.slow
@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_pictures_keep_title_and_axes_over_40_seeds(difficulty):
    """The reveal's picture as a spec (every line kind in it); the question's picture checked
    on the chart object (cheaper): clipped lines, a y range that holds every measurement."""
    for seed in range(40):
        round_ = logic.make_round(seed, difficulty)
        for subject in round_.context["highlighted"]:
            own = charts.given_lines(round_, subject)[charts.GIVEN[0]]
            spec = charts.reveal_chart(round_, subject, own).to_dict(validate=False)
            _check_picture(spec, round_, subject)
            guess = charts.guess_chart(round_, subject)
            lo, hi = guess.layer[0].encoding.y.to_dict(validate=False)["scale"]["domain"]
            reaction = round_.data["reaction"].dropna()
            assert guess.layer[0].mark.clip is True
            assert lo <= reaction.min() and reaction.max() <= hi
