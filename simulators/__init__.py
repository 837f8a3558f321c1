"""Scenario generators: every game round and homework dataset comes from here.

``generate(name, seed=..., **params)`` returns a :class:`Scenario` (data, truth, formula,
description, seed, params). It is a pure function of its arguments: the only randomness is
``numpy.random.default_rng(seed)``, so the same name, seed and params give the same data on
every machine. ``SCENARIOS`` maps each name to its :class:`ScenarioSpec`, whose ``params``
(name, default, allowed range or choices, help) let the app draw a form and validate it.
``load(name)`` returns the real datasets shipped with the package.
"""

from __future__ import annotations

from importlib import resources
from numbers import Integral
from types import MappingProxyType

import numpy as np
import pandas as pd

from . import convergence, experiments, groups, items, schools, sites, sleep
from .base import Param, Scenario, ScenarioError, ScenarioSpec, close_matches_hint

__all__ = [
    "generate",
    "load",
    "SCENARIOS",
    "DATASETS",
    "Scenario",
    "ScenarioSpec",
    "ScenarioError",
    "Param",
]

SCENARIOS: MappingProxyType[str, ScenarioSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in (
            *experiments.SPECS,
            *groups.SPECS,
            *sleep.SPECS,
            *schools.SPECS,
            *items.SPECS,
            *sites.SPECS,
            *convergence.SPECS,
        )
    }
)

# name -> (file in simulators/data, grouping column read as text, what it is)
DATASETS: MappingProxyType[str, tuple[str, str, str]] = MappingProxyType(
    {
        "sleepstudy": ("sleepstudy.csv", "Subject", "lme4's sleepstudy: 18 subjects x 10 days"),
        "sleep_seed": (
            "sleep_seed.csv",
            "subject",
            "the course's 183-row version, with subjects 373 and 374 dropping out early",
        ),
    }
)


def generate(name: str, *, seed: int, **params) -> Scenario:
    """Make scenario ``name`` from ``seed`` (an int >= 0) and any documented parameters.

    Unknown names and parameters, and values outside their allowed range, raise
    :class:`ScenarioError` saying what is allowed, before any data are drawn.
    """
    spec = _spec(name)
    seed = _check_seed(seed)
    resolved = spec.resolve(params)
    draft = spec.build(rng=np.random.default_rng(seed), **resolved)
    return Scenario(
        name=name,
        data=draft.data,
        truth=draft.truth,
        formula=draft.formula,
        description=draft.description,
        seed=seed,
        params=resolved,
    )


def load(name: str) -> pd.DataFrame:
    """A real dataset shipped with the package, as a fresh DataFrame (safe to modify).

    The grouping column is read as text, as R reads a factor, so that "308" stays a label.
    """
    if name not in DATASETS:
        raise ScenarioError(f"There is no dataset {name!r}." + close_matches_hint(name, DATASETS))
    filename, group, _ = DATASETS[name]
    with resources.files(__package__).joinpath("data", filename).open("rb") as handle:
        return pd.read_csv(handle, dtype={group: str})


def _spec(name) -> ScenarioSpec:
    if name not in SCENARIOS:
        raise ScenarioError(
            f"There is no scenario {name!r}." + close_matches_hint(str(name), SCENARIOS)
        )
    return SCENARIOS[name]


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ScenarioError(f"seed={seed!r} must be an integer >= 0 (e.g. seed=42).")
    return int(seed)
