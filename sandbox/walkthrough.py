"""The course's worked example as a short guided walk: sleep_seed, with its two participants who
dropped out, fitted with ``reaction ~ 1 + days + (1 + days | subject)``.

Every number in the steps is read from the fit and the pooling result the page shows, never
typed in: change the data or the engine and the words follow.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .datasets import COURSE_EXAMPLE, COURSE_FORMULA
from .fitting import FitReport

__all__ = ["Step", "course_steps", "incomplete_groups", "COURSE_EXAMPLE", "COURSE_FORMULA",
           "PREDICTOR", "GROUP", "RESPONSE"]

RESPONSE, PREDICTOR, GROUP = "reaction", "days", "subject"


@dataclass(frozen=True)
class Step:
    """One step: a title, a few sentences (markdown) and optionally a small table."""

    title: str
    text: str
    table: pd.DataFrame | None = None


def incomplete_groups(groups: pd.DataFrame) -> list[str]:
    """Groups with fewer observations than most, fewest first (sleep_seed: 373, then 374)."""
    n = groups["n"]
    return [str(g) for g in n[n < n.median()].sort_values(kind="stable").index]


def _sd(report: FitReport, name: str) -> float:
    table = report.random_effects
    return float(table.loc[table["Name"] == name, "Std.Dev."].iloc[0])


def _pulled(own: float, model: float, population: float) -> float:
    return 100 * (model - own) / (population - own)


def course_steps(data: pd.DataFrame, report: FitReport, pool) -> list[Step]:
    """The walk through the course example: the data, the fixed effects, the random effects,
    the two incomplete participants, and what to try next."""
    s, fixed = report.summary, report.fixed_effects
    counts = data.groupby(GROUP).size()
    full = int(counts.max())
    complete = int((counts == full).sum())
    few = incomplete_groups(pool.groups)
    icpt, slope = fixed.loc["(Intercept)"], fixed.loc[PREDICTOR]
    sd_i, sd_s = _sd(report, "(Intercept)"), _sd(report, PREDICTOR)
    resid = float(report.fit.sigma)
    corr = float(report.random_effects["Corr"].dropna().iloc[0])
    steps = [
        Step("The data", (
            f"{len(data)} reaction times from {len(counts)} people. {complete} of them were "
            f"measured on all {full} days of sleep deprivation (day 0 to day {full - 1}); "
            + " and ".join(f"**{g}** only on {_days(int(counts[g]))}" for g in few)
            + ". They dropped out. Look at the first rows and the column types under **The "
            "data** below.")),
        Step("The model and its fixed effects", (
            f"The formula `{COURSE_FORMULA}` says: one population line of reaction time over "
            "days (`1 + days`), and for each person their own intercept and slope around it "
            "(`(1 + days | subject)`).\n\n"
            f"In the summary, **REML criterion at convergence: {s.reml_criterion:.1f}** is the "
            "number the fit made as small as possible; it only means something when you "
            "compare models of the same data.\n\n"
            f"**Fixed effects:** the intercept **{icpt['Estimate']:.1f} ms** is the typical "
            f"reaction time on day 0, and the slope **{slope['Estimate']:.2f} ms per day** is "
            "how much slower people get, on average, with each day without sleep. Its "
            f"t value is {slope['t value']:.2f} on {slope['df']:.1f} Satterthwaite degrees of "
            f"freedom, p = {slope['Pr(>|t|)']:.1g}: the df are close to the number of people, "
            f"not the {len(data)} rows, because the slope is judged against how much people's "
            "own slopes differ."), fixed[["Estimate", "Std. Error", "df", "t value",
                                          "Pr(>|t|)"]]),
        Step("The random effects: how people differ", (
            f"People's intercepts have an **SD of {sd_i:.1f} ms**: about two in three people "
            f"start within {icpt['Estimate']:.0f} ± {sd_i:.0f} ms on day 0. Their slopes have "
            f"an **SD of {sd_s:.2f} ms per day**: some slow down by much more than "
            f"{slope['Estimate']:.1f} ms a day, a few hardly at all. The **correlation of "
            f"{corr:.2f}** is close to zero: being fast on day 0 says little about how fast "
            f"someone slows down. The **residual SD of {resid:.1f} ms** is the day-to-day "
            "noise around each person's own line."), report.random_effects),
        _dropouts_step(pool, few, resid),
        Step("Your turn", (
            "Run the **bootstrap** at the bottom to see how uncertain the SDs and the "
            "correlation are. Then change the formula: drop the correlation with "
            f"`{RESPONSE} ~ 1 + days + (1 + days || subject)`, or the random slope with "
            f"`{RESPONSE} ~ 1 + days + (1 | subject)`, and see what moves in the summary "
            "and the plots.")),
    ]
    return steps


def _days(n: int) -> str:
    if n <= 2:
        return "day 0 (1 observation)" if n == 1 else "days 0 and 1 (2 observations)"
    return f"days 0 to {n - 1} ({n} observations)"


def _pull_words(own: float, model: float, population: float) -> str:
    """How far the model moved a group's estimate toward the population's, in words."""
    share = _pulled(own, model, population)
    if share > 100:
        return (f"all the way to the population's {population:.2f} and a little past it (the "
                "intercept and slope move together)")
    return f"{share:.0f}% of the way to the population's {population:.2f}"


def _dropouts_step(pool, few: list[str], resid: float) -> Step:
    groups, pop = pool.groups, pool.population
    pop_i, pop_s = float(pop.iloc[0]), float(pop.iloc[1])
    lines, rows = [], []
    for g in few:
        row = groups.loc[g]
        own_i, own_s = float(row["no_pool_intercept"]), float(row["no_pool_slope"])
        mod_i, mod_s = float(row["partial_intercept"]), float(row["partial_slope"])
        rows += [{"who": g, "observations": int(row["n"]), "coefficient": "intercept (ms)",
                  "own data": own_i, "mixed model": mod_i, "population": pop_i},
                 {"who": g, "observations": int(row["n"]), "coefficient": "slope (ms/day)",
                  "own data": own_s, "mixed model": mod_s, "population": pop_s}]
        if int(row["n"]) == 1:
            lines.append(
                f"**{g}** has one observation ({own_i:.0f} ms on day 0): one point has no "
                f"slope of its own, so the model gives {g} a slope of **{mod_s:.2f}**, almost "
                f"the population's {pop_s:.2f}. Their intercept moves from {own_i:.0f} to "
                f"**{mod_i:.1f} ms**, {_pull_words(own_i, mod_i, pop_i)}.")
        else:
            lines.append(
                f"**{g}** has {int(row['n'])} observations. A line through them has a slope of "
                f"{own_s:.1f} ms per day, but the model gives {g} **{mod_s:.2f}**: "
                f"{_pull_words(own_s, mod_s, pop_s)}. Two points a day apart say almost "
                "nothing about a slope: the "
                f"day-to-day noise (residual SD {resid:.1f} ms) is larger than the whole "
                "change between them.")
    complete = groups[groups["n"] == groups["n"].max()]
    typical = float(complete["shrinkage_slope"].abs().median()) * 100
    text = "\n\n".join([
        "Now find them in the **pooling plots** of section 3 below, where they are named.", *lines,
        "**Why:** the mixed model weighs each person's own data by how much it says. With "
        "ten days, a person's own line is trusted (the complete participants' slopes move "
        f"only about {typical:.0f}% of the way, typically); with one or two points it is "
        "mostly noise, so the model leans on what the other people show. That is partial "
        "pooling, or shrinkage."])
    return Step("The two who dropped out", text, pd.DataFrame(rows))
