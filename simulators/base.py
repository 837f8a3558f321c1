"""The shared pieces of every scenario: the Scenario value, parameter specs and small helpers.

A scenario generator is a pure function ``build(*, rng, **params) -> Draft``. ``generate()`` in
``__init__`` validates the parameters against the generator's :class:`Param` specs, makes the
only random generator (``numpy.random.default_rng(seed)``) and wraps the Draft in a
:class:`Scenario` together with the seed and the parameters used. Keeping the specs as data
(not as keyword defaults hidden in a signature) lets the app draw a form for any scenario and
lets ``generate()`` reject a bad value before any data are made.

The shape of ``Scenario.truth`` (plain JSON-friendly Python values only):

``fixef``
    ``{lme4 term name: value}`` for the fixed part of ``Scenario.formula``, named exactly as
    lme4 names the columns of X: ``"(Intercept)"``, ``"conditiontreatment"``, ``"days"`` ...
``varcomp``
    ``{grouping factor as lme4 names it: {"sd_<term>": sd, ..., "cor": r}, "residual_sd": sd}``.
    ``<term>`` is the random-effect column name (``"(Intercept)"``, ``"days"``). A pair of
    correlated terms adds ``"cor"``; three or more add ``"cor_<a>,<b>"`` for every pair.
    Nested factors use lme4's names: ``(1 | school/class)`` gives ``"class:school"`` and
    ``"school"``. Where no single model made the data (unequal spreads), ``varcomp`` holds
    what a one-normal model aims at and the scenario says so.
everything else
    what the scenario's games need (documented in each generator's docstring), e.g.
    ``altered_rows`` (0-based positions in ``data``), ``right_formula``, ``remedies``.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np
import pandas as pd

__all__ = [
    "ScenarioError",
    "Scenario",
    "Draft",
    "Param",
    "ScenarioSpec",
    "labels",
    "rounded",
    "add_missing",
    "close_matches_hint",
    "random_choice",
    "correlated_pair",
]


class ScenarioError(ValueError):
    """A scenario name, seed or parameter the caller gave is not allowed (says what is)."""


@dataclass(frozen=True, eq=False)
class Scenario:
    """One generated dataset with the truth that made it.

    ``eq=False`` because a DataFrame has no single truth value; compare ``data`` with
    ``DataFrame.equals`` and the other fields directly.
    """

    name: str
    data: pd.DataFrame
    truth: dict
    formula: str
    description: str
    seed: int
    params: dict = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Draft:
    """What a generator returns; ``generate()`` adds the name, seed and params."""

    data: pd.DataFrame
    truth: dict
    formula: str
    description: str


def close_matches_hint(name: str, candidates) -> str:
    """' Did you mean ...?' with the closest candidates, else the full list of allowed names."""
    candidates = [str(c) for c in candidates]
    matches = difflib.get_close_matches(str(name), candidates, n=3, cutoff=0.5)
    if matches:
        return " Did you mean " + " or ".join(repr(m) for m in matches) + "?"
    return " Allowed: " + ", ".join(repr(c) for c in candidates) + "."


@dataclass(frozen=True)
class Param:
    """One documented parameter: its default, allowed range or choices, and a line of help.

    ``kind`` is ``"int"``, ``"float"`` or ``"choice"``; ``low``/``high`` are inclusive bounds
    for numbers, ``choices`` the allowed values for a choice.
    """

    name: str
    kind: str
    default: object
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple = ()

    def allowed(self) -> str:
        """The allowed values in words, for error messages and the app's help text."""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        word = "an integer" if self.kind == "int" else "a number"
        return f"{word} from {self.low:g} to {self.high:g}"

    def validate(self, value):
        """Return ``value`` as the right Python type, or raise ScenarioError naming the range."""
        if self.kind == "choice":
            if value in self.choices:
                return value
            raise ScenarioError(
                f"{self.name}={value!r} is not allowed: {self.name} must be {self.allowed()}."
            )
        if isinstance(value, bool) or not isinstance(value, Real):
            raise ScenarioError(f"{self.name}={value!r} must be {self.allowed()}.")
        if self.kind == "int":
            if not isinstance(value, Integral) and not float(value).is_integer():
                raise ScenarioError(f"{self.name}={value!r} must be {self.allowed()}.")
            value = int(value)
        else:
            value = float(value)
        if not math.isfinite(value) or not self.low <= value <= self.high:
            raise ScenarioError(
                f"{self.name}={value!r} is out of range: {self.name} must be {self.allowed()}."
            )
        return value


@dataclass(frozen=True)
class ScenarioSpec:
    """A named generator with its parameters as data (what ``SCENARIOS`` maps names to).

    ``check`` (optional) rejects combinations of individually valid parameters, e.g. more
    outliers than a quarter of the participants.
    """

    name: str
    summary: str
    params: tuple[Param, ...]
    build: Callable[..., Draft]
    check: Callable[[dict], None] | None = None

    @property
    def defaults(self) -> dict:
        """``{parameter name: default}``, in the documented order."""
        return {p.name: p.default for p in self.params}

    def resolve(self, given: Mapping) -> dict:
        """Defaults overlaid with the validated ``given`` values; unknown names are errors."""
        by_name = {p.name: p for p in self.params}
        for key in given:
            if key not in by_name:
                raise ScenarioError(
                    f"Scenario {self.name!r} has no parameter {key!r}."
                    + close_matches_hint(key, by_name)
                )
        resolved = {p.name: p.validate(given.get(p.name, p.default)) for p in self.params}
        if self.check is not None:
            self.check(resolved)
        return resolved


def labels(prefix: str, n: int, width: int = 2) -> list[str]:
    """``prefix`` + zero-padded numbers ("P01".."P20"), wide enough that they sort as numbers."""
    width = max(width, len(str(n)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def rounded(values, decimals: int = 2) -> np.ndarray:
    """Round like a data table would, and turn -0.0 into 0.0 so printed tables look clean."""
    return np.round(np.asarray(values, dtype=float), decimals) + 0.0


def add_missing(data: pd.DataFrame, column: str, fraction: float, *, rng) -> list[int]:
    """Blank out ``round(fraction * rows)`` values of ``column``; return their row positions.

    Only the response is blanked, the way a missed measurement looks in a real study.
    """
    count = int(round(fraction * len(data)))
    if count == 0:
        return []
    rows = np.sort(rng.choice(len(data), size=count, replace=False))
    data.loc[rows, column] = np.nan
    return [int(r) for r in rows]


def random_choice(value: str, options: tuple[str, ...], *, rng) -> str:
    """``value`` itself, or a seeded draw from ``options`` when the caller asked for "random"."""
    if value != "random":
        return value
    return str(options[int(rng.integers(len(options)))])


def correlated_pair(n: int, sd0: float, sd1: float, cor: float, *, rng) -> np.ndarray:
    """``n`` draws of (intercept, slope) random effects with the given SDs and correlation.

    Built from two independent normals so that ``|cor| = 1`` (a rank-one covariance, which a
    Cholesky factorisation would reject) is allowed too.
    """
    z = rng.standard_normal((n, 2))
    first = sd0 * z[:, 0]
    second = sd1 * (cor * z[:, 0] + math.sqrt(max(0.0, 1.0 - cor * cor)) * z[:, 1])
    return np.column_stack([first, second])
