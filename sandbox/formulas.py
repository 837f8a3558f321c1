"""Formula suggestions for uploaded data, and which pooling plot a formula asks for.

Both read the data's columns only (never fit anything): a starting formula for a file the app
has never seen, and the (response, predictor, grouping factor) a pooling plot needs, taken
from the learner's formula where it names them and from the columns where it does not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lmm_core import parse_formula
from lmm_core.errors import LmmError

__all__ = ["Suggestion", "PoolingPlan", "suggest_formula", "pooling_plan", "grouping_columns",
           "numeric_columns", "looks_like_id"]

OUTCOME_WORDS = ("rt", "reaction", "response", "score", "outcome", "dv", "y", "value", "accuracy",
                 "acc", "rating", "time", "latency", "correct", "extraversion", "wellbeing")
GROUP_WORDS = ("subject", "subj", "participant", "ppt", "pp", "id", "person", "child", "pupil",
               "student", "patient", "school", "class", "classroom", "item", "site", "family",
               "group", "cluster", "team", "country")
MAX_PREDICTORS = 3
MAX_LEVELS = 12  # a text column with more levels is not offered as a fixed-effect predictor


@dataclass(frozen=True)
class Suggestion:
    """A starting formula and the columns it was built from (group None: none was found)."""

    formula: str
    response: str | None
    group: str | None
    predictors: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class PoolingPlan:
    """What the pooling plot can draw: candidate columns and defaults, or why it cannot."""

    responses: tuple[str, ...]
    predictors: tuple[str, ...]
    groups: tuple[str, ...]
    response: str | None
    predictor: str | None
    group: str | None
    reason: str = ""  # empty when the plot applies

    @property
    def applies(self) -> bool:
        return not self.reason


def numeric_columns(data: pd.DataFrame) -> list[str]:
    """Columns that can be an outcome or a numeric predictor: numbers (not true/false) that
    vary, with no infinite value (which no model can use)."""
    return [str(c) for c in data.columns if pd.api.types.is_numeric_dtype(data[c])
            and not pd.api.types.is_bool_dtype(data[c]) and data[c].nunique() > 1
            and not np.isinf(data[c].to_numpy(dtype=float)).any()]


def _plain_letters(name: str) -> str:
    """Lower case without accents: "Réaction" -> "reaction"."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _named(name: str, words) -> bool:
    name = _plain_letters(name)
    parts = re.split(r"[._\s]+", name)
    return name in words or any(p in words for p in parts)


def looks_like_id(name: str) -> bool:
    """Whether a column's name says it labels units (participant, subject_id, school, ...)."""
    return _named(str(name), GROUP_WORDS)


def grouping_columns(data: pd.DataFrame) -> list[str]:
    """Columns that can group observations: labels (or whole numbers) that repeat, with at least
    two groups; named grouping columns (participant, school, ...) first, then most groups."""
    out = []
    for c in data.columns:
        series = data[c].dropna()
        levels = series.nunique()
        numeric = pd.api.types.is_numeric_dtype(series)
        if numeric and not (pd.api.types.is_integer_dtype(series) and _named(str(c), GROUP_WORDS)):
            continue
        if 2 <= levels < len(series):
            out.append((not _named(str(c), GROUP_WORDS), -levels, str(c)))
    return [c for *_, c in sorted(out)]


def _response(data: pd.DataFrame, exclude: set[str]) -> str | None:
    numeric = [c for c in numeric_columns(data) if c not in exclude]
    named = [c for c in numeric if _named(c, OUTCOME_WORDS)]
    if named:
        return named[0]
    decimals = [c for c in numeric if not pd.api.types.is_integer_dtype(data[c])]
    return (decimals or numeric or [None])[-1]


def _predictors(data: pd.DataFrame, exclude: set[str]) -> list[str]:
    numeric = set(numeric_columns(data))
    out = []
    for c in map(str, data.columns):
        if c in exclude or data[c].nunique() < 2:
            continue
        number = (pd.api.types.is_numeric_dtype(data[c])
                  and not pd.api.types.is_bool_dtype(data[c]))
        if c in numeric or (not number and data[c].nunique() <= MAX_LEVELS):
            out.append(c)
    return out[:MAX_PREDICTORS]


def suggest_formula(data: pd.DataFrame) -> Suggestion:
    """A first formula for data the app has never seen: a numeric outcome, a few predictors and
    a random intercept per group. A guess from the column types, meant to be edited."""
    groups = grouping_columns(data)
    group = groups[0] if groups else None
    response = _response(data, {group} if group else set())
    if response is None:
        return Suggestion("", None, group, (), "No numeric column can be the outcome.")
    predictors = _predictors(data, {response, *groups[:1]})
    fixed = " + ".join(["1", *predictors])
    if group is None:
        return Suggestion(
            f"{response} ~ {fixed} + (1 | GROUP)", response, None, tuple(predictors),
            "No column looks like a grouping factor (labels that repeat, such as participant "
            "IDs). Replace GROUP with the column that says which observations belong together.")
    slope = next((p for p in predictors if p in numeric_columns(data)
                  and data.groupby(group)[p].nunique().max() > 1), None)
    note = (f"A guess from the columns: {response} as the outcome and a random intercept for "
            f"each {group}. Check it and edit it.")
    if slope:
        note += (f" {slope} changes within each {group}, so a random slope is possible too: "
                 f"(1 + {slope} | {group}).")
    return Suggestion(f"{response} ~ {fixed} + (1 | {group})", response, group,
                      tuple(predictors), note)


def _formula_parts(text: str, data: pd.DataFrame):
    """(response, slopes [(variable, group)], fixed numeric variables, groups) named by the
    formula and present in the data; all empty when it does not parse."""
    try:
        parsed = parse_formula(text)
    except LmmError:
        return None, [], [], []
    columns = set(map(str, data.columns))
    numeric = set(numeric_columns(data))
    response = parsed.response if parsed.response in numeric else None
    slopes = [(v[0], term.group[0]) for term in parsed.random for v in term.effects.terms
              if len(v) == 1 and v[0] in numeric and len(term.group) == 1
              and term.group[0] in columns]
    fixed = [t[0] for t in parsed.fixed.terms if len(t) == 1 and t[0] in numeric]
    single = [t.group[0] for t in parsed.random if len(t.group) == 1]  # (1 | school), not a:b
    groups = [g for g in dict.fromkeys([*single, *parsed.grouping_variables]) if g in columns]
    return response, slopes, fixed, groups


def pooling_plan(formula: str, data: pd.DataFrame) -> PoolingPlan:
    """Columns for the pooling plot (response ~ predictor + (predictor | group)), with defaults
    from the formula: its response, its first random slope (or numeric fixed effect) and that
    slope's grouping factor. ``reason`` says in words why no plot can be drawn."""
    response, slopes, fixed, formula_groups = _formula_parts(formula, data)
    numeric = numeric_columns(data)
    groups = grouping_columns(data)
    groups = [g for g in formula_groups if g not in groups] + groups
    response = response or _response(data, set(groups[:1]))
    responses = tuple([response] + [c for c in numeric if c != response]) if response else ()
    predictor, group = (slopes[0] if slopes else (None, None))
    group = group or next(iter(formula_groups), None) or next(iter(groups), None)
    predictors = [c for c in numeric if c not in (response, group)]
    predictor = predictor or next((f for f in fixed if f not in (response, group)), None) or next(
        iter(predictors), None)
    plan = dict(responses=responses, predictors=tuple(predictors), groups=tuple(groups),
                response=response, predictor=predictor, group=group)
    if response is None:
        return PoolingPlan(**plan, reason="The pooling plot needs a numeric outcome, and this "
                           "data has no numeric column.")
    if predictor is None:
        return PoolingPlan(**plan, reason=(
            "The pooling plot draws a straight line for each group along a numeric predictor "
            "(like days). This data has no numeric predictor besides the outcome (and the "
            "grouping factor): its predictors are categories, so there is no line to draw. "
            "The summary above still shows how much the groups differ."))
    if group is None:
        return PoolingPlan(**plan, reason=(
            "The pooling plot needs a grouping factor: a column whose labels repeat, such as "
            "participant IDs. None of the columns looks like one."))
    return PoolingPlan(**plan)
