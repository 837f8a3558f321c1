"""Remedies for a model that will not converge, as the lme4 documentation suggests them.

Each function returns a new :class:`Remedy` (the formula text, the data, what was done) and
never changes its inputs, so a game can offer several remedies for the same round:

- ``center_scale``: centre and scale numeric predictors (large or off-centre predictors make
  the deviance badly scaled, lme4's "Rescale variables?");
- ``relevel``: change a factor's reference level (what the intercept means);
- ``drop_correlation``: ``(x | g)`` -> ``(x || g)``, no intercept-slope correlation;
- ``drop_random_slopes``: keep random intercepts only (Barr et al. 2013's last resort).

A Remedy unpacks like a pair: ``formula, data = drop_correlation(formula, data)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import DataError
from .formula import parse_formula
from .formula.deparse import Raw, bar_tree, deparse, join, terms_tree
from .formula.nodes import Binary, Ident
from .formula.terms import Call, Formula, ModelTerms, Name, RandomTerm
from .variables import as_factor, column, expr_columns, is_factor_column

__all__ = ["Remedy", "center_scale", "relevel", "drop_correlation", "drop_random_slopes",
           "formula_text"]


@dataclass(frozen=True, eq=False)
class Remedy:
    """A new formula and data set, with a sentence saying what changed.

    ``scaling`` (center_scale only): the mean and SD each column was centred and divided by,
    to translate coefficients back (slope per original unit = slope / sd). ``parsed`` is the
    new formula as a Formula, which lmer() takes without parsing it again.
    """

    formula: str
    data: pd.DataFrame | None
    note: str
    scaling: pd.DataFrame | None = None
    parsed: Formula | None = field(default=None, repr=False)

    def __post_init__(self):
        if self.parsed is None:  # the new formula, parsed once, for lmer(remedy.parsed, ...)
            object.__setattr__(self, "parsed", parse_formula(self.formula))

    def __iter__(self):
        yield self.formula
        yield self.data


# ----- formula text from parsed terms (written by the one deparser) ---------------------------
def _single(term: RandomTerm) -> bool:
    """One piece: the intercept alone, or one term without the intercept."""
    fx = term.effects
    return (fx.intercept and not fx.terms) or (not fx.intercept and len(fx.terms) == 1)


def _group_node(term: RandomTerm):
    return Ident(term.group[0], 0) if len(term.group) == 1 else Raw(term.group_name)


def _random_trees(terms: tuple[RandomTerm, ...]) -> list:
    """Random terms as trees; runs of one-piece terms on one factor become (a + b || g)."""
    out, i = [], 0
    while i < len(terms):
        j = i
        while (j + 1 < len(terms) and _single(terms[i]) and _single(terms[j + 1])
               and terms[j + 1].group == terms[i].group):
            j += 1
        run = terms[i : j + 1]
        if len(run) == 1:
            out.append(bar_tree(run[0].effects, _group_node(run[0])))
        else:
            effects = ModelTerms(any(t.effects.intercept for t in run),
                                 tuple(term for t in run for term in t.effects.terms))
            out.append(bar_tree(effects, _group_node(run[0]), "||"))
        i = j + 1
    return out


def formula_text(formula: Formula | str, random: tuple[RandomTerm, ...] | None = None) -> str:
    """Formula text that parses back to `formula` (with `random` terms if given)."""
    formula = parse_formula(formula)
    fixed = terms_tree(formula.fixed.intercept, formula.fixed.terms)
    offsets = [Raw(label) for label in formula.offsets]
    randoms = _random_trees(formula.random if random is None else random)
    rhs = join("+", [fixed, *offsets, *randoms])
    return deparse(Binary("~", formula.tree.left, rhs, 0))


# ----- remedies on the random part -------------------------------------------------------------
def drop_correlation(formula: Formula | str, data: pd.DataFrame | None = None) -> Remedy:
    """``(x | g)`` -> ``(x || g)``: random intercepts and slopes, but no correlation.

    As lme4's ``||``, this splits the terms, not the columns of a factor: ``(0 + f | g)``
    with a factor f keeps the correlations among f's levels.
    """
    parsed = parse_formula(formula)
    split = []
    for t in parsed.random:
        fx = t.effects
        if _single(t):
            split.append(t)
            continue
        if fx.intercept:
            split.append(RandomTerm(ModelTerms(True, ()), t.group, t.name))
        split += [RandomTerm(ModelTerms(False, (term,)), t.group, t.name) for term in fx.terms]
    if len(split) == len(parsed.random):
        return Remedy(parsed.text, data, "No random-effects term has a correlation to drop.",
                      parsed=parsed)
    new = formula_text(parsed, tuple(split))
    return Remedy(new, data, f"Dropped the random-effects correlations: {new}")


def drop_random_slopes(formula: Formula | str, data: pd.DataFrame | None = None) -> Remedy:
    """Keep one random intercept per grouping factor, ``(1 | g)``, and drop every slope."""
    parsed = parse_formula(formula)
    groups = dict((t.group, t.name) for t in reversed(parsed.random))
    simple = tuple(RandomTerm(ModelTerms(True, ()), g, groups[g])
                   for g in dict.fromkeys(t.group for t in parsed.random))
    if simple == parsed.random:
        return Remedy(parsed.text, data, "The model has random intercepts only: nothing to drop.",
                      parsed=parsed)
    new = formula_text(parsed, simple)
    return Remedy(new, data, f"Kept random intercepts only: {new}")


# ----- remedies on the data --------------------------------------------------------------------
def _default_columns(parsed: Formula, data: pd.DataFrame) -> list[str]:
    """Numeric columns used as plain fixed-effect predictors, and not inside a function
    other than scale() (centring x would break log(x) or sqrt(x))."""
    plain = {parsed.variables[v].id for term in parsed.fixed.terms for v in term
             if isinstance(parsed.variables.get(v), Name)}
    inside = set()
    for expr in parsed.variables.values():
        if isinstance(expr, Call) and expr.func != "scale":
            inside |= expr_columns(expr)
    skip = inside | set(parsed.grouping_variables) | expr_columns(parsed.variables[parsed.response])
    return [c for c in data.columns if c in plain - skip and not is_factor_column(data[c])]


def center_scale(formula: Formula | str, data: pd.DataFrame, columns=None) -> Remedy:
    """Centre (subtract the mean) and scale (divide by the SD, ddof=1 as R's scale()) numeric
    predictors, keeping their names so the formula is unchanged.

    By default: every numeric column used as a plain fixed-effect predictor. Coefficients
    then mean "per SD of x, at the average x"; ``scaling`` holds the means and SDs.
    A constant column is only centred.
    """
    parsed = parse_formula(formula)
    if columns is None:
        columns = _default_columns(parsed, data)
    else:
        columns = [columns] if isinstance(columns, str) else list(columns)
        for c in columns:
            if is_factor_column(column(data, c)):
                raise DataError(f"Column {c!r} is not numeric, so it cannot be centred and "
                                "scaled. Use it as a factor, or pick numeric columns.")
    out, rows = data.copy(), []
    for c in columns:
        x = data[c].to_numpy(dtype=float)
        present = x[~np.isnan(x)]
        mean = float(present.mean()) if len(present) else np.nan
        sd = float(present.std(ddof=1)) if len(present) > 1 else np.nan
        scaled = bool(np.isfinite(sd) and sd > 0)
        out[c] = (x - mean) / sd if scaled else x - mean
        rows.append((c, mean, sd, scaled))
    scaling = pd.DataFrame(rows, columns=["column", "mean", "sd", "scaled"]).set_index("column")
    note = (f"Centred and scaled {', '.join(columns)}." if columns
            else "No numeric fixed-effect predictor to centre and scale.")
    return Remedy(parsed.text, out, note, scaling, parsed=parsed)


def relevel(formula: Formula | str, data: pd.DataFrame, column_name: str, reference) -> Remedy:
    """Make ``reference`` the first level of a factor column, as R's relevel().

    The column becomes a pandas Categorical whose category order puts the reference first
    (lmm_core's design uses the category order for treatment contrasts). It is not marked
    ordered=True: in R an ordered factor means polynomial contrasts, which this is not.
    Text columns become categories labelled as lmm_core labels their levels.
    """
    parsed = parse_formula(formula)  # a bad formula should fail here, not later in a game
    series = column(data, column_name)
    if not is_factor_column(series):
        raise DataError(
            f"Column {column_name!r} is numeric, so the model treats it as a number and it has "
            "no reference level. Convert it to a categorical (text) column first."
        )
    present = series.notna()
    if isinstance(series.dtype, pd.CategoricalDtype):
        values, categories = series, list(series.cat.categories)
        labels = list(as_factor(pd.Series(pd.Categorical(categories, categories))).levels)
    else:
        factor = as_factor(series[present])
        categories = labels = list(factor.levels)
        values = pd.Series(np.nan, index=series.index, dtype=object)
        values[present] = np.asarray(labels, dtype=object)[factor.codes]
    wanted = {str(reference), {True: "TRUE", False: "FALSE"}.get(reference, str(reference))}
    matches = [k for k, (c, lab) in enumerate(zip(categories, labels, strict=True))
               if lab in wanted or str(c) in wanted]
    if not matches:
        raise DataError(f"{reference!r} is not a level of {column_name!r}. Its levels are: "
                        f"{', '.join(labels)}.")
    first = categories[matches[0]]
    out = data.copy()
    out[column_name] = pd.Categorical(values, categories=[first] + [
        c for c in categories if c != first])
    used = column_name in parsed.variables or column_name in parsed.grouping_variables
    note = f"{column_name!r} now has reference level {labels[matches[0]]!r}."
    return Remedy(parsed.text, out, note if used else note + " (The formula does not use it.)",
                  parsed=parsed)
