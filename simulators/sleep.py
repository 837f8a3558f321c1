"""Sleepstudy-like data: reaction times over days of sleep deprivation.

The defaults are lme4's REML estimates for ``Reaction ~ Days + (Days | Subject)`` on the real
sleepstudy (Bates et al. 2015, section 3), so a simulated study looks like the real one: 18
subjects with 10 days each, plus (as in the course's 183-row version) two subjects who
dropped out after one and two days. Those two are what the shrinkage games are about: with so
little data of their own, their fitted lines lean heavily on the population line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import (
    Draft,
    Param,
    ScenarioError,
    ScenarioSpec,
    add_missing,
    correlated_pair,
    labels,
    rounded,
)

__all__ = ["sleep", "SPECS"]

FORMULA = "reaction ~ 1 + days + (1 + days | subject)"


def sleep(
    *, rng, n_subjects, n_days, n_incomplete, intercept, slope, sd_intercept, sd_slope,
    correlation, sd_residual, missing_fraction,
) -> Draft:
    """Reaction times (ms) of subjects over days 0..n_days-1, some subjects incomplete.

    ``n_subjects`` subjects have every day; then ``n_incomplete`` more subjects follow, the
    k-th of them with only days 0..k-1 (so the defaults give 18 * 10 + 1 + 2 = 183 rows).
    truth adds ``incomplete_participants`` ({subject: number of observations}) and
    ``missing_rows`` (positions whose ``reaction`` was blanked, empty by default).
    """
    total = n_subjects + n_incomplete
    ids = labels("S", total)
    counts = [n_days] * n_subjects + list(range(1, n_incomplete + 1))
    subject = np.repeat(np.arange(total), counts)
    days = np.concatenate([np.arange(c) for c in counts])
    effects = correlated_pair(total, sd_intercept, sd_slope, correlation, rng=rng)
    e = sd_residual * rng.standard_normal(subject.size)
    reaction = intercept + effects[subject, 0] + (slope + effects[subject, 1]) * days + e
    data = pd.DataFrame(
        {
            "subject": np.asarray(ids, dtype=object)[subject],
            "days": days.astype(np.int64),
            "reaction": rounded(reaction),
        }
    )
    missing = add_missing(data, "reaction", missing_fraction, rng=rng)
    truth = _truth(intercept, slope, sd_intercept, sd_slope, correlation, sd_residual) | {
        "incomplete_participants": {ids[n_subjects + k]: k + 1 for k in range(n_incomplete)},
        "missing_rows": missing,
    }
    description = (
        f"Reaction times of {total} people were measured on each of {n_days} days of "
        "sleep deprivation, but "
        + ("some of them dropped out after a day or two." if n_incomplete else "none dropped out.")
    )
    return Draft(data, truth, FORMULA, description)


def _truth(intercept, slope, sd_intercept, sd_slope, correlation, sd_residual) -> dict:
    return {
        "fixef": {"(Intercept)": float(intercept), "days": float(slope)},
        "varcomp": {
            "subject": {
                "sd_(Intercept)": float(sd_intercept),
                "sd_days": float(sd_slope),
                "cor": float(correlation),
            },
            "residual_sd": float(sd_residual),
        },
    }


def _check(params: dict) -> None:
    if params["n_incomplete"] >= params["n_days"]:
        raise ScenarioError(
            f"n_incomplete={params['n_incomplete']} must be smaller than "
            f"n_days={params['n_days']}: the k-th incomplete subject has k days, so it must "
            f"be from 0 to {params['n_days'] - 1}."
        )


SPECS = (
    ScenarioSpec(
        "sleep",
        "Sleepstudy-like reaction times over days, with subjects who dropped out early.",
        (
            Param("n_subjects", "int", 18, "subjects with every day", 3, 200),
            Param("n_days", "int", 10, "days per complete subject (day 0 to n_days - 1)",
                  3, 30),
            Param("n_incomplete", "int", 2, "extra subjects with only 1, 2, ... days", 0, 5),
            Param("intercept", "float", 251.41, "mean reaction time on day 0 (ms)", 0, 2000),
            Param("slope", "float", 10.47, "mean change per day (ms)", -100, 100),
            Param("sd_intercept", "float", 24.74, "SD of subjects' day-0 times", 0, 200),
            Param("sd_slope", "float", 5.92, "SD of subjects' slopes", 0, 50),
            Param("correlation", "float", 0.066, "correlation of intercepts and slopes", -1, 1),
            Param("sd_residual", "float", 25.59, "SD of a single measurement", 0.1, 200),
            Param("missing_fraction", "float", 0.0, "share of reaction times left missing",
                  0, 0.5),
        ),
        sleep,
        check=_check,
    ),
)
