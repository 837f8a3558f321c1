"""Moodle XML export checked against Moodle's question XML format (the importer
question/format/xml/format.php): well-formed, one category per item, required elements,
base64 files with their encoding attributes and references, fractions Moodle offers,
numerical tolerances that match the game's own score(), well-formed cloze answers. One
variant of every game in GAMES, so a new game is checked too."""

from __future__ import annotations

import base64
import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

from games import GAMES
from homework.material import material
from homework.model import Item
from homework.moodle import MOODLE_FRACTIONS, moodle_xml, variant_seeds
from homework.questions import right_answer

CLOZE = re.compile(r"\{(\d+):(MULTICHOICE|NUMERICAL|SHORTANSWER):((?:\\.|[^}])*)\}")
ITEMS = tuple(Item(g, "normal", 1) for g in GAMES)


@pytest.fixture(scope="module")
def quiz():
    return ET.fromstring(moodle_xml("Week 3", ITEMS, 1, "secret", images="png"))


def _questions(quiz):
    return [q for q in quiz if q.get("type") != "category"]


def test_one_category_per_item_then_its_variants(quiz):
    assert quiz.tag == "quiz"
    kinds = [q.get("type") for q in quiz]
    assert kinds[0::2] == ["category"] * len(ITEMS)
    paths = [q.find("category/text").text for q in quiz if q.get("type") == "category"]
    assert all(p.startswith("$course$/top/Week 3/") for p in paths)
    assert len(set(paths)) == len(ITEMS)


def test_every_question_has_the_required_elements(quiz):
    for q in _questions(quiz):
        assert q.get("type") in ("multichoice", "numerical", "shortanswer", "cloze")
        assert q.find("name/text").text.strip()
        assert q.find("questiontext").get("format") == "html"
        assert q.find("questiontext/text").text.strip()
        assert q.find("generalfeedback/text").text.strip()  # the explanation


def test_files_are_base64_and_referenced(quiz):
    seen = set()
    for q in _questions(quiz):
        for holder in (q.find("questiontext"), q.find("generalfeedback")):
            for f in holder.findall("file"):
                assert (f.get("encoding"), f.get("path")) == ("base64", "/")
                data = base64.b64decode(f.text, validate=True)
                assert f"@@PLUGINFILE@@/{f.get('name')}" in holder.find("text").text
                seen.add(f.get("name"))
                if f.get("name") == "data.csv":
                    header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
                    assert header and all(header)
                if f.get("name") == "chart.png":
                    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert {"data.csv", "chart.png"} <= seen


def test_answers_and_fractions(quiz):
    for q in _questions(quiz):
        answers = q.findall("answer")
        fractions = [float(a.get("fraction")) for a in answers]
        if q.get("type") == "cloze":
            continue
        assert answers and 100 in fractions
        assert all(min(abs(f - m) for m in MOODLE_FRACTIONS) < 1e-4 for f in fractions)
        if q.get("type") == "multichoice":
            assert q.find("single").text == "true"
            assert all(a.find("text").text for a in answers)


def test_numerical_tolerance_is_the_games_full_marks_band():
    game = GAMES["pvalues"]
    seed = variant_seeds("secret", 1, 1)[0]
    round_ = game.make_round(seed, "tricky")
    only = ET.fromstring(moodle_xml("T", (Item("pvalues", "tricky", 1),), 1, "secret", "none"))
    q = _questions(only)[0]
    assert q.get("type") == "cloze"  # df (a number) and significance (a choice)
    parts = CLOZE.findall(q.find("questiontext/text").text)
    assert [p[1] for p in parts] == ["NUMERICAL", "MULTICHOICE"]
    value, tol = (float(x) for x in parts[0][2].lstrip("=").split(":"))
    answer = right_answer(round_)
    assert value == pytest.approx(answer["df"])
    assert game.score(round_, answer | {"df": value + tol}).points == 100


def test_cloze_parts_are_well_formed(quiz):
    for q in _questions(quiz):
        if q.get("type") != "cloze":
            continue
        text = q.find("questiontext/text").text
        parts = CLOZE.findall(text)
        assert parts and text.count("{1:") == len(parts)
        for _, kind, body in parts:
            choices = re.split(r"(?<!\\)~", body)
            assert sum(c.startswith("=") for c in choices) >= 1
            if kind == "NUMERICAL":
                float(choices[0].lstrip("=").split(":")[1])


def test_material_covers_every_game():
    for game_id, game in GAMES.items():
        stuff = material(game.make_round(2, "gentle"))
        assert stuff.prompt_html and not stuff.notes, (game_id, stuff.notes)


def test_lineup_grid_from_the_cached_template_is_the_games_own_chart():
    """The export reuses one grid chart per panel count; each round's picture must be the one
    the game page draws for it (same spec, same rows), whatever round came first."""
    import json

    from games import charts
    from games.lineup import charts as lc

    for seed, difficulty in [(5, "normal"), (6, "tricky"), (5, "gentle"), (7, "normal")]:
        round_ = GAMES["lineup"].make_round(seed, difficulty)
        fast = material(round_).figure
        own = json.loads(charts.style(lc.lineup_chart(round_.data), height=None).to_json())
        assert [*fast.pop("datasets").values()] == [*own.pop("datasets").values()]
        fast.pop("data"), own.pop("data")  # the datasets' names only
        assert fast == own


def _resolved(spec: dict) -> dict:
    """A Vega-Lite spec with each layer's dataset name replaced by the dataset's rows."""
    import copy

    spec = copy.deepcopy(spec)
    datasets = spec.pop("datasets")
    for sub in spec.get("vconcat", [spec]):
        for layer in sub["layer"]:
            layer["data"] = datasets[layer["data"]["name"]]
    return spec


def test_pooling_pictures_from_the_cached_template_are_the_games_own_charts():
    """The export builds person_chart once per set of line kinds and days and swaps in each
    person's rows, title and y range: the same picture as building it for the round."""
    import altair as alt

    from games.pooling import charts as pc
    from homework.material import WIDTH, _plain

    for seed, difficulty in [(5, "normal"), (1, "tricky"), (5, "gentle"), (8, "normal")]:
        r = GAMES["pooling"].make_round(seed, difficulty)
        days = int(r.data["days"].max())
        domain = [float(r.data["reaction"].min()) - 20, float(r.data["reaction"].max()) + 20]
        people = []
        for subject in r.context["highlighted"]:
            t = r.context["targets"][subject]
            lines = {"own data only (no pooling)": (t["intercept"]["own"], t["slope"]["own"]),
                     "population line": (t["intercept"]["population"],
                                         t["slope"]["population"])}
            people.append(pc.person_chart(
                r.data[r.data["subject"] == subject].dropna(), lines, days,
                f"{subject}: {t['n']} days", domain).properties(width=WIDTH, height=260))
        own = _plain(alt.vconcat(*people) if len(people) > 1 else people[0])
        assert _resolved(material(r).figure) == _resolved(own)


def test_exported_charts_are_styled_as_the_games_style_them():
    """The export sets games.charts.style's config as a dict (faster); same spec as style()."""
    import json

    import altair as alt

    from games import charts
    from games.convergence import charts as cc
    from homework.material import _plain

    tails = GAMES["tails"].make_round(3, "normal")
    layered = charts.condition_plot(tails.data, tails.context["response"], tails.context["unit"])
    schools = GAMES["convergence"].make_round(3, "normal")
    for chart in (layered, alt.vconcat(layered, layered), layered.configure_axis(labelLimit=9),
                  cc.data_chart(schools.data, schools.context["predictors"])):
        assert _plain(chart) == json.loads(charts.style(chart, height=None).to_json())


def test_a_slash_in_a_title_stays_in_one_category_name():
    quiz = ET.fromstring(moodle_xml("Weeks 3/4", ITEMS[:1], 1, "s", images="none"))
    assert quiz[0].find("category/text").text.startswith("$course$/top/Weeks 3//4/1. ")


def test_progress_is_reported_after_each_question():
    seen = []
    moodle_xml("T", (Item("syntax", "normal", 1), Item("tails", "normal", 1)), 2, "s", "none",
               progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_bad_image_kind_is_refused():
    with pytest.raises(ValueError, match="images is one of"):
        moodle_xml("T", ITEMS[:1], 1, "s", images="gif")


@pytest.mark.parametrize("difficulty", ["gentle", "tricky"])
def test_every_game_exports_at_every_difficulty(difficulty):
    """A few variants of each game (e.g. the bootstrap game's interval rounds, whose two ends
    must stay in order) export without pictures."""
    from homework.moodle import question_xml

    for game_id, game in GAMES.items():
        for seed in variant_seeds("secret", 1, 3):
            xml = question_xml(game.make_round(seed, difficulty), f"{game_id} {seed}", "none")
            assert ET.fromstring(xml).find("questiontext/text").text
