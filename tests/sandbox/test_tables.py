"""Tables for the page: rounding, p-values as R prints them, blanks for missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lmm_core
import simulators
from sandbox import pooling_view
from sandbox.tables import p_value, styled

POOL = lmm_core.pooling(simulators.load("sleep_seed"), "reaction", "days", "subject")


@pytest.mark.parametrize(("p", "text"), [(1e-20, "< 2e-16"), (3.063924e-06, "3.06e-06"),
                                         (0.0912, "0.0912"), (np.nan, "")])
def test_p_values_as_r_prints_them(p, text):
    assert p_value(p) == text


def test_styled_rounds_decimals_and_blanks_missing_values():
    frame = pd.DataFrame({"n": [10, 2], "Estimate": [252.542555, np.nan],
                          "Pr(>|t|)": [7e-20, 0.5], "who": ["a", "b"]})
    html = styled(frame, 3).to_html()
    assert "252.543" in html and "252.5425" not in html
    assert "< 2e-16" in html and ">10<" in html and "nan" not in html.lower()


def test_first_focus_is_the_sparsest_group_with_a_line():
    assert pooling_view.first_focus(POOL, ["373", "374"]) == "374"
    assert pooling_view.first_focus(POOL, ["373"]) == "373"
    assert pooling_view.first_focus(POOL, []) == "308"
    assert pooling_view.panels(POOL, ["373", "374"])[:3] == ["373", "374", "308"]


def test_focus_words_name_the_groups_numbers():
    words = pooling_view.focus_words(POOL, "374")
    assert "**374** has 2 observations" in words and "slope 2.00" in words
    assert "**11.08**" in words and "10.45" in words
    assert "too few for a line of its own" in pooling_view.focus_words(POOL, "373")


def test_pool_table_and_specs():
    table = pooling_view.pool_table(POOL)
    assert table.loc["374", "slope pulled %"] == pytest.approx(92.59, abs=0.01)
    specs = pooling_view.pooling_specs(simulators.load("sleep_seed"), POOL, "374",
                                       ["373", "374"], ("373", "374"))
    assert set(specs) == {"focus", "shrinkage", "panels"}
    assert specs["focus"]["title"] == "subject 374: 2 observations"
