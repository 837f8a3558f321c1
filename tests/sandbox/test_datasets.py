"""The sandbox's datasets: keys, families, starting formulas and the column summary."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

import lmm_core
import simulators
from sandbox.datasets import (
    COURSE,
    column_summary,
    course_dataset,
    simulated_dataset,
    truth_table,
    uploaded_dataset,
)
from sandbox.upload import read_upload

ROOT = Path(__file__).resolve().parents[2]


def test_sandbox_logic_never_imports_streamlit():
    for path in sorted((ROOT / "sandbox").rglob("*.py")):
        tree = ast.parse(path.read_text())
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
                 for a in n.names}
        names |= {n.module.split(".")[0] for n in ast.walk(tree)
                  if isinstance(n, ast.ImportFrom) and n.module and n.level == 0}
        assert "streamlit" not in names, path


@pytest.mark.parametrize("name", list(COURSE))
def test_course_datasets_fit_their_starting_formula(name):
    ds = course_dataset(name)
    assert ds.key == ds.family == f"course:{name}" and ds.truth is None
    fit = lmm_core.lmer(ds.formula, ds.data)
    assert fit.ngroups and not fit.messages


def test_unknown_course_dataset():
    with pytest.raises(KeyError, match="sleep_seed"):
        course_dataset("sleepy")


def test_simulated_keys_name_seed_and_settings_and_families_do_not():
    a, b = simulated_dataset("sleep", 1), simulated_dataset("sleep", 2)
    c = simulated_dataset("sleep", 1, {"n_subjects": 10})
    assert len({a.key, b.key, c.key}) == 3 and a.family == b.family == c.family == "sim:sleep"
    assert a.formula == simulators.generate("sleep", seed=1).formula
    pd.testing.assert_frame_equal(a.data, simulated_dataset("sleep", 1).data)
    with pytest.raises(simulators.ScenarioError, match="n_incomplete"):
        simulated_dataset("sleep", 1, {"n_days": 3, "n_incomplete": 4})


def test_uploaded_dataset_uses_its_key_and_a_suggestion():
    table = read_upload("my data.csv", simulators.load("sleep_seed").to_csv(index=False).encode())
    ds = uploaded_dataset(table)
    assert ds.key == ds.family == table.key and ds.data_name == "my.data"
    assert ds.formula == "reaction ~ 1 + days + (1 | subject)"


def test_column_summary_describes_types_and_uses():
    summary = column_summary(simulators.generate("two_condition", seed=1).data).set_index("column")
    assert summary.loc["value", "type"] == "number"
    assert summary.loc["condition", "could be"] == "condition (2 levels)"
    assert summary.loc["participant", "could be"] == "grouping (20 groups)"
    assert summary.loc["participant", "distinct values"] == 20
    sleep = column_summary(simulators.load("sleep_seed")).set_index("column")
    assert sleep.loc["days", "type"] == "whole number" and sleep.loc["reaction", "missing"] == 0


def test_truth_table_lists_fixed_effects_and_sds():
    truth = simulators.generate("sleep", seed=1).truth
    table = truth_table(truth)
    assert table["true value"].tolist() == [251.41, 10.47, 24.74, 5.92, 0.066, 25.59]
    assert table["name"].tolist()[2:] == ["SD of (Intercept)", "SD of days", "correlation",
                                          "Residual SD"]
