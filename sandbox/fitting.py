"""Fitting the learner's model: the summary as R prints it, its tables, plain-word notes on
lme4's warnings, and the confidence intervals of every parameter side by side.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import pandas as pd

import lmm_core
from lmm_core.bootstrap import parameter_names

__all__ = ["Note", "FitReport", "fit_model", "tidy", "explain", "estimates", "interval_table",
           "parameter_labels"]


@dataclass(frozen=True)
class Note:
    """A message about a fit, what it means in plain words, and how serious it is ("warning":
    read the numbers with care; "info": something was done to the data). ``from_lme4`` is False
    for notes R's lmer() would not print (it drops rows with missing values silently)."""

    message: str
    explanation: str
    level: str
    from_lme4: bool = True


@dataclass(frozen=True, eq=False)
class FitReport:
    """A fitted model and what the page shows of it: R's printout (lmerTest's layout, with
    Satterthwaite df and p-values), the random- and fixed-effects tables, the notes, and how
    long lmer() took (``seconds``: what a bootstrap's refits are estimated from)."""

    formula: str
    fit: lmm_core.LmerFit
    summary: object  # lmm_core.summary.LmerSummary
    text: str
    random_effects: pd.DataFrame
    fixed_effects: pd.DataFrame
    notes: tuple[Note, ...]
    seconds: float = 0.0


def fit_model(data: pd.DataFrame, formula: str, *, reml: bool = True,
              data_name: str = "data", **limits) -> FitReport:
    """lmer(formula, data, REML = reml) with lmerTest's summary; LmmError (FormulaError with a
    caret, ColumnNotFoundError naming close matches, ...) when the model cannot be fitted.

    ``limits`` (``max_seconds``, ``callback``) go to lmer() as they are.
    """
    formula = tidy(formula)
    start = time.perf_counter()
    fit = lmm_core.lmer(formula, data, reml, data_name=data_name, **limits)
    seconds = time.perf_counter() - start
    summary = fit.summary(ddf="Satterthwaite")
    random = summary.random_effects.copy()
    return FitReport(formula=formula, fit=fit, summary=summary, text=str(summary),
                     random_effects=random, fixed_effects=summary.coefficients.copy(),
                     notes=tuple(explain(m) for m in fit.messages), seconds=seconds)


def tidy(formula: str) -> str:
    """The formula on one line with single spaces (what fits are cached and named by)."""
    return " ".join(str(formula).split())


# lme4's message (a regular expression) -> (plain words, level)
EXPLANATIONS = (
    (r"boundary \(singular\)|isSingular", (
        "**Singular fit.** At least one random-effect standard deviation is (almost) zero, or "
        "a correlation is at −1 or +1: look at the Random effects table. The data cannot tell "
        "that part of the model apart from nothing, usually because there are few groups or "
        "few observations per group. The fixed effects can still be read, but the random "
        "part is more complex than these data support: simplify it, for example drop the "
        "correlation with `||` or drop a random slope.", "warning")),
    (r"failed to converge|convergence code|unable to evaluate", (
        "**The fit may not have converged.** lme4's final check says the optimizer may have "
        "stopped short of the best fit. This is often a false alarm, but check it: predictors "
        "on very different scales are the usual cause, so try centring and scaling them "
        "(write `scale(x)` in the formula), or simplify the random part.", "warning")),
    (r"unidentifiable|Hessian", (
        "**Nearly unidentifiable.** Some parameters can change together without changing the "
        "fit much, so their estimates are shaky. Predictors with very large or very small "
        "values are the usual cause: rescale them (`scale(x)`), or simplify the model.",
        "warning")),
    (r"rank deficient", (
        "**Some fixed effects were dropped.** Some columns of the fixed part repeat what "
        "others already say (two predictors that always move together, or a condition that "
        "never varies), so lme4 leaves them out and their rows are missing from the table.",
        "warning")),
    (r"missing values removed", (
        "Rows with a missing value in a column the formula uses were left out, as lmer() "
        "does without saying so (its na.action). The numbers describe the remaining rows.",
        "info")),
)
NOT_FROM_LME4 = ("missing values removed",)  # lmm_core's own notes: R prints nothing


def explain(message: str) -> Note:
    """lme4's message with its meaning in plain words (empty words for an unknown message)."""
    lme4 = not any(p in message for p in NOT_FROM_LME4)
    for pattern, (words, level) in EXPLANATIONS:
        if re.search(pattern, message, flags=re.IGNORECASE):
            return Note(message.strip(), words, level, from_lme4=lme4)
    return Note(message.strip(), "", "warning", from_lme4=lme4)


# ----- intervals --------------------------------------------------------------------------------
def estimates(fit) -> pd.Series:
    """Every parameter's estimate, named as lme4's confint(oldNames = FALSE) names them."""
    return fit.parameters()[parameter_names(fit.mm)]  # the bootstrap's order: fixed first


def _effect(cname: str) -> str:
    return "intercepts" if cname == "(Intercept)" else f"{cname} slopes"


def parameter_labels(mm) -> dict[str, str]:
    """Every parameter's name (as parameter_names) in words: "sd_days|subject" -> "SD of days
    slopes across subject", "sigma" -> "residual SD (within groups)"."""
    labels = {name: f"{name} (fixed effect)" for name in mm.xnames}
    for t in mm.reterms:
        cov = t.covariance
        for name, r, c in zip(cov.sdcor_names(), cov.rows, cov.cols, strict=True):
            labels[name] = (f"SD of {_effect(t.cnames[r])} across {t.group}" if r == c else
                            f"correlation of {t.group} {_effect(t.cnames[c])} and "
                            f"{_effect(t.cnames[r])}")
    labels["sigma"] = "residual SD (within groups)"
    return labels


def interval_table(fit, intervals: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    """One row per parameter: what it is, its estimate, and each method's interval.

    ``intervals`` maps a method's name to a table with lower and upper bounds in its first two
    columns (fit.confint's "2.5 %"/"97.5 %", or BootstrapResult.ci()'s lower/upper), indexed by
    parameter name; None leaves the method out.
    """
    est = estimates(fit)
    names = [n for n in est.index if not n.startswith(("sd_", "cor_")) and n != "sigma"]
    order = [n for n in est.index if n not in names] + names  # confint's order: variances first
    labels = parameter_labels(fit.mm)
    table = pd.DataFrame({"parameter": [labels.get(n, n) for n in order],
                          "estimate": est.reindex(order).to_numpy()}, index=order)
    for method, frame in intervals.items():
        if frame is None:
            continue
        bounds = frame.iloc[:, :2].reindex(order)
        table[f"{method} from"] = bounds.iloc[:, 0].to_numpy(dtype=float)
        table[f"{method} to"] = bounds.iloc[:, 1].to_numpy(dtype=float)
    table.index.name = "name"
    return table
