"""The sandbox's datasets: the course's real data, simulated studies and uploads, one shape.

A :class:`Dataset` carries its data, a suggested starting formula and two identities:
``key`` names this exact data (fits are cached on it) and ``family`` names where it came from
(the formula a learner typed is remembered per family, so a new seed keeps it).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import simulators

from .formulas import suggest_formula
from .upload import UploadedTable

__all__ = [
    "Dataset",
    "COURSE",
    "COURSE_EXAMPLE",
    "COURSE_FORMULA",
    "course_dataset",
    "simulated_dataset",
    "uploaded_dataset",
    "column_summary",
    "is_numeric",
    "truth_table",
]

COURSE_EXAMPLE = "sleep_seed"
COURSE_FORMULA = "reaction ~ 1 + days + (1 + days | subject)"
# name -> (title, starting formula)
COURSE = {
    "sleep_seed": ("Sleep study, course version (two participants dropped out)", COURSE_FORMULA),
    "sleepstudy": ("Sleep study, lme4's sleepstudy (18 participants, 10 days each)",
                   "Reaction ~ 1 + Days + (1 + Days | Subject)"),
}


@dataclass(frozen=True, eq=False)
class Dataset:
    """Data to fit, with where it came from and a formula to start from.

    ``truth`` is the simulation's true values (None for real data); ``data_name`` is what the
    summary prints after "Data:", as R would for a data frame of that name.
    """

    key: str
    family: str
    title: str
    description: str
    data: pd.DataFrame
    formula: str
    data_name: str
    truth: dict | None = None


def course_dataset(name: str) -> Dataset:
    """One of the real datasets shipped with the course (simulators.load)."""
    if name not in COURSE:
        raise KeyError(f"There is no course dataset {name!r}; choose one of {', '.join(COURSE)}.")
    title, formula = COURSE[name]
    return Dataset(key=f"course:{name}", family=f"course:{name}", title=title,
                   description=simulators.DATASETS[name][2], data=simulators.load(name),
                   formula=formula, data_name=name)


def simulated_dataset(name: str, seed: int, params: dict | None = None) -> Dataset:
    """A simulated study (simulators.generate), starting from the scenario's own formula.

    Raises simulators.ScenarioError, with what is allowed, for a bad seed or parameter.
    """
    scenario = simulators.generate(name, seed=seed, **(params or {}))
    given = ",".join(f"{k}={v}" for k, v in sorted(scenario.params.items()))
    return Dataset(key=f"sim:{name}:seed={scenario.seed}:{given}", family=f"sim:{name}",
                   title=simulators.SCENARIOS[name].summary, description=scenario.description,
                   data=scenario.data, formula=scenario.formula, data_name=name,
                   truth=scenario.truth)


def uploaded_dataset(table: UploadedTable) -> Dataset:
    """An uploaded CSV, with a starting formula guessed from its columns."""
    suggestion = suggest_formula(table.data)
    return Dataset(key=table.key, family=table.key, title=table.name,
                   description=f"Your file {table.name}.",
                   data=table.data, formula=suggestion.formula, data_name=table.data_name)


def is_numeric(series: pd.Series) -> bool:
    """Numbers (not true/false): what can be an outcome or a numeric predictor."""
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _kind(series: pd.Series) -> str:
    if is_numeric(series):
        values = series.dropna()
        whole = pd.api.types.is_integer_dtype(series) or bool((values == values.round()).all())
        return "whole number" if whole else "number"
    return "text (categories)"


def _use(series: pd.Series, n_rows: int) -> str:
    """What a column could be in a model, judged from its values."""
    levels = series.nunique(dropna=True)
    repeats = levels < series.notna().sum()
    if levels <= 1:
        return "constant: no use in a model"
    if not is_numeric(series):
        if levels == 2:
            return "condition (2 levels)"
        if repeats and levels <= n_rows / 2:
            return f"grouping ({levels} groups)"
        return "labels, hardly repeated"
    if pd.api.types.is_integer_dtype(series) and repeats and levels <= n_rows / 2:
        return f"predictor or grouping ({levels})"
    return "outcome or predictor"


def column_summary(data: pd.DataFrame) -> pd.DataFrame:
    """One row per column: its type, distinct values, missing values, examples and likely use."""
    rows = []
    for name in data.columns:
        series = data[name]
        examples = ", ".join(str(v) for v in pd.unique(series.dropna())[:3])
        rows.append({"column": str(name), "type": _kind(series),
                     "distinct values": int(series.nunique(dropna=True)),
                     "missing": int(series.isna().sum()), "examples": examples,
                     "could be": _use(series, len(data))})
    return pd.DataFrame(rows)


def truth_table(truth: dict) -> pd.DataFrame:
    """A simulation's true fixed effects and standard deviations, one row each, named as the
    summary names them (for comparing the estimates with the values the data came from)."""
    rows = [{"part": "fixed effect", "name": name, "true value": float(value)}
            for name, value in truth.get("fixef", {}).items()]
    for group, values in truth.get("varcomp", {}).items():
        if not isinstance(values, dict):
            rows.append({"part": "residual", "name": "Residual SD", "true value": float(values)})
            continue
        for key, value in values.items():
            what = ("correlation" if key == "cor"
                    else f"SD of {key.removeprefix('sd_')}")
            rows.append({"part": f"random ({group})", "name": what, "true value": float(value)})
    return pd.DataFrame(rows)
