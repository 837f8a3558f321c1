"""The sandbox's pictures: the right rows in the right places, words on the axes."""

from __future__ import annotations

import numpy as np
import pandas as pd

import lmm_core
import simulators
from games import charts
from sandbox import charts as sandbox_charts
from sandbox.charts import KINDS, line_rows

SLEEP = simulators.load("sleep_seed")
POOL = lmm_core.pooling(SLEEP, "reaction", "days", "subject")


def _datasets(spec: dict) -> list[list[dict]]:
    return list(spec["datasets"].values())


def test_line_rows_leave_out_lines_a_group_cannot_have():
    rows = line_rows(POOL.groups, (0.0, 9.0))
    own = rows[rows["line"] == KINDS["no_pool"]]
    assert "373" not in set(own["group"])  # one observation: no slope
    assert len(rows) == 2 * (3 * 20 - 1)
    at9 = rows[(rows["group"] == "374") & (rows["x"] == 9.0)].set_index("line")["y"]
    g = POOL.groups.loc["374"]
    assert at9[KINDS["partial"]] == g["partial_intercept"] + 9 * g["partial_slope"]


def test_group_chart_shows_the_groups_points_and_lines():
    spec = charts.to_spec(sandbox_charts.group_chart(SLEEP, POOL, "374", (0, 9), (150, 500)))
    rows = [r for d in _datasets(spec) for r in d]
    points = [r for r in rows if "line" not in r]
    assert [(p["x"], p["y"]) for p in points] == [(0.0, 286.0), (1.0, 288.0)]
    assert spec["title"] == "subject 374: 2 observations"
    assert spec["layer"][0]["encoding"]["x"]["title"] == "days"


def test_panels_put_the_highlighted_groups_first():
    spec = charts.to_spec(sandbox_charts.panels_chart(SLEEP, POOL, ["373", "374", "308"],
                                                      (0, 9), highlight=("373", "374")))
    assert spec["facet"]["sort"] == ["373 (1) ◀", "374 (2) ◀", "308 (10)"]
    rows = _datasets(spec)[0]
    assert {r["group"] for r in rows} == {"373", "374", "308"}


def test_shrinkage_chart_arrows_rings_and_names():
    spec = charts.to_spec(sandbox_charts.shrinkage_chart(POOL, ("373", "374")))
    rows = [r for d in _datasets(spec) for r in d]
    arrows = {r["group"]: r for r in rows if "x2" in r}
    assert len(arrows) == 20
    assert abs(arrows["374"]["x"] - 286.0) < 1e-9 and arrows["374"]["who"] == "highlighted"
    assert arrows["373"]["y"] is None  # no own slope: only the model's point
    texts = {r.get("text") for r in rows}
    assert {"50% of groups", "95% of groups", "population"} <= texts
    titles = {json for layer in spec["layer"] for json in
              [layer["encoding"].get("x", {}).get("title")] if json}
    assert "intercept (reaction when days = 0)" in titles


def test_interval_chart_skips_methods_without_an_interval():
    table = pd.DataFrame({"parameter": ["SD of intercepts across subject"],
                          "estimate": [24.1], "Wald from": [np.nan], "Wald to": [np.nan],
                          "profile from": [14.3], "profile to": [36.3]},
                         index=["sd_(Intercept)|subject"])
    spec = charts.to_spec(sandbox_charts.interval_chart(table, "sd_(Intercept)|subject"))
    (rows,) = _datasets(spec)
    assert [r["method"] for r in rows] == ["profile"]
    assert spec["title"]["text"] == ["SD of intercepts across subject"]
