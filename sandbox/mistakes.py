"""Structural mistakes in a learner's model, found from the formula and the data before fitting.

lme4 fits ``reaction ~ days + (1 | subject) + (1 | subject)`` and then warns about convergence
(advising to centre and scale), which sends a student the wrong way: the model asks for the same
variance twice. These checks read the parsed formula and the data only, and say in plain words
what is wrong and how to write it instead:

- "error": the model cannot be fitted at all (an infinite value in a column it uses);
- "mistake": lme4 would fit it, but part of it cannot be estimated from any data (the same
  random effect twice; a grouping factor's levels also as fixed effects; a random slope for a
  variable that never changes within a group). The page explains and lets the learner fit it
  anyway, to see what lme4 does;
- "warning": it fits and may be meant, but is usually a slip (a random slope with no fixed
  effect, a participant number as a fixed effect).

Texts are Markdown in which every name from the learner's data or formula is inline code
(games.text.literal), so they are safe to render. The formula game (games/syntax) explains the
same mistakes against a known design; here there is no design to compare with, only the data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

import lmm_core
from games.text import literal
from lmm_core.formula.terms import ModelTerms
from lmm_core.remedies import formula_text
from lmm_core.variables import expr_columns, is_factor_column

from .formulas import looks_like_id

__all__ = ["Problem", "check_model", "SEVERITIES"]

SEVERITIES = ("error", "mistake", "warning")
INTERCEPT = "1"


@dataclass(frozen=True)
class Problem:
    """One structural problem: its code, its severity (see SEVERITIES), what is wrong (safe
    Markdown) and, where one is certain, a formula that fixes it."""

    code: str
    severity: str
    text: str
    fix: str | None = None

    @property
    def blocks(self) -> bool:
        """Whether the page should explain instead of fitting."""
        return self.severity != "warning"


def check_model(formula: str, data: pd.DataFrame) -> tuple[Problem, ...]:
    """Every structural problem of ``formula`` on ``data``, most serious first; () when the
    formula does not parse or names a missing column (the fit's own error says that better)."""
    try:
        parsed = lmm_core.parse_formula(formula)
    except lmm_core.LmmError:
        return ()
    used = _used_columns(parsed)
    if not used <= set(map(str, data.columns)) or not parsed.random:
        return ()
    complete = data[sorted(used)].notna().all(axis=1).to_numpy()
    rows = data.loc[complete]
    found = [*_infinite(parsed, data, complete), *_duplicated(parsed),
             *_group_as_fixed(parsed, rows), *_constant_slopes(parsed, rows),
             *_slope_without_fixed(parsed)]
    return tuple(sorted(found, key=lambda p: SEVERITIES.index(p.severity)))


def _used_columns(parsed) -> set[str]:
    used = set(parsed.grouping_variables)
    for expr in parsed.variables.values():
        used |= expr_columns(expr)
    return used


def _label(effect: str) -> str:
    return "the intercept" if effect == INTERCEPT else f"the slope for {literal(effect)}"


def _effects(term) -> list[str]:
    return ([INTERCEPT] if term.effects.intercept else []) + [":".join(t) for t in
                                                              term.effects.terms]


# ----- cannot be fitted -------------------------------------------------------------------------
def _infinite(parsed, data: pd.DataFrame, complete: np.ndarray) -> list[Problem]:
    out = []
    for name in sorted(set().union(*(expr_columns(e) for e in parsed.variables.values()))):
        values = data[name]
        if not pd.api.types.is_float_dtype(values):
            continue
        bad = np.flatnonzero(np.isinf(values.to_numpy()) & complete)
        if len(bad):
            where = ", ".join(str(r + 1) for r in bad[:5]) + (" …" if len(bad) > 5 else "")
            out.append(Problem("infinite_value", "error", (
                f"**{literal(name)} holds an infinite value** (inf), in row(s) {where} of the data "
                f"that the formula uses. No model can be fitted to an infinite number. Replace it "
                f"with the real value in your file, or empty the cell so that the row counts as "
                f"missing, and upload the file again; or leave {literal(name)} out of the "
                f"formula.")))
    return out


# ----- fits, but cannot be estimated --------------------------------------------------------------
def _duplicated(parsed) -> list[Problem]:
    counts: dict[tuple, Counter] = {}
    for term in parsed.random:
        counts.setdefault(term.group, Counter()).update(_effects(term))
    out = []
    for group, counter in counts.items():
        twice = [e for e, n in counter.items() if n > 1]
        if not twice:
            continue
        g = literal(":".join(group))
        what = " and ".join(_label(e) for e in twice)
        out.append(Problem("duplicated_random_effect", "mistake", (
            f"**The same random effect twice.** Your formula gives each {g} {what} in more "
            f"than one term. Each term gets its own variance, so lme4 would estimate two "
            "variances for one thing: any split between them fits the data equally well, so "
            "such a fit often ends with warnings about convergence, and centring or scaling "
            f"would not help. Write each random effect of {g} once."), _without_repeats(parsed)))
    return out


def _group_as_fixed(parsed, rows: pd.DataFrame) -> list[Problem]:
    """A factor grouping variable in the fixed part, estimating what its random term does."""
    out = []
    random = {t.group[0]: set(_effects(t)) for t in parsed.random if len(t.group) == 1}
    for term in parsed.fixed.terms:
        for g in [v for v in term if v in random]:
            rest = ":".join(v for v in term if v != g) or INTERCEPT
            if not is_factor_column(rows[g]):
                if looks_like_id(g):
                    out.append(_numeric_id(g, term))
            elif rest in random[g]:
                own = ("fixed coefficient" if rest == INTERCEPT
                       else f"fixed slope for {literal(rest)}")
                out.append(Problem("grouping_factor_as_fixed_effect", "mistake", (
                    f"**{literal(g)} is both a fixed and a random effect.** In the fixed part, "
                    f"{literal(':'.join(term))} gives every {literal(g)} its own {own}, "
                    f"as lm() would; {_label(rest)} in {literal(f'(… | {g})')} then has nothing "
                    "left to "
                    f"explain, and its variance cannot be estimated. A grouping factor belongs "
                    f"after the bar only: take {literal(':'.join(term))} out of the fixed part.")))
    return out


def _numeric_id(g: str, term) -> Problem:
    return Problem("numeric_group_as_fixed_effect", "warning", (
        f"**{literal(g)} is a number in the fixed part.** There it is read as a quantity: "
        f"{literal(':'.join(term))} fits a straight line over the values of {literal(g)}. If "
        f"{literal(g)} only labels who or what was measured (an ID), leave it out of the fixed "
        f"part: {literal(f'(1 | {g})')} already lets every {literal(g)} differ."))


def _constant_slopes(parsed, rows: pd.DataFrame) -> list[Problem]:
    out = []
    for term in parsed.random:
        groups = rows.groupby([rows[g] for g in term.group], sort=False, observed=True)
        if groups.size().max() <= 1:
            continue  # one observation per group: lme4's own check explains that
        g = literal(term.group_name)
        for slope in term.effects.terms:
            columns = sorted(set().union(*(expr_columns(parsed.variables[v]) for v in slope)))
            if columns and (groups[columns].nunique(dropna=False) <= 1).all(axis=None):
                s = literal(":".join(slope))
                out.append(Problem("slope_constant_within_group", "mistake", (
                    f"**{s} does not change within any {g}.** A random slope says how the effect "
                    f"of {s} differs from one {g} to the next, so it needs several values of {s} "
                    f"inside each {g}; here each {g} has a single value, and the slope cannot be "
                    f"told apart from the intercept. Keep {s} as a fixed effect and drop it from "
                    f"{literal(f'(… | {term.group_name})')}: its effect is then estimated between "
                    f"the {g}s.")))
    return out


def _slope_without_fixed(parsed) -> list[Problem]:
    fixed = {":".join(t) for t in parsed.fixed.terms}
    slopes = [s for s in dict.fromkeys(":".join(s) for t in parsed.random
                                       for s in t.effects.terms) if s not in fixed]
    if not slopes:
        return []
    names = ", ".join(literal(s) for s in slopes)
    one = len(slopes) == 1
    example = literal(f"~ {slopes[0]} + ({slopes[0]} | …)")
    return [Problem("random_slope_without_fixed_effect", "warning", (
        f"**{names} {'has a random slope' if one else 'have random slopes'} but no fixed "
        f"effect.** The model then assumes that {'its' if one else 'their'} average effect is "
        "exactly 0, and lets groups differ only around 0. Usually you want "
        f"{'it' if one else 'them'} in the fixed part too, as in {example}."))]


# ----- a formula without the repeats ------------------------------------------------------------
def _without_repeats(parsed) -> str:
    """The formula with each group's repeated random effects left out of its later terms,
    written by lmm_core's own formula writer (names quoted once, offsets kept)."""
    seen: dict[tuple, set] = {}
    kept = []
    for term in parsed.random:
        have = seen.setdefault(term.group, set())
        slopes = tuple(t for t in term.effects.terms if t not in have)
        intercept = term.effects.intercept and () not in have
        have.update(slopes + (((),) if intercept else ()))
        if slopes or intercept:
            kept.append(replace(term, effects=ModelTerms(intercept, slopes)))
    return formula_text(parsed, tuple(kept))
