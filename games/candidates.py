"""Fitting the candidate models of a round side by side (pure, no streamlit).

Games that offer several models for the same data (the mixture game's ways to treat a group, the
nesting game's random-effects structures) fit every candidate with REML and keep a model that
lme4 refuses as its message, so the reveal can say why instead of failing. They also show each
fit as R prints it, for learners who compare with their own R output.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

import lmm_core

__all__ = ["fit_candidates", "fitted", "refused", "notes", "r_printouts"]


def fit_candidates(formulas: Mapping[str, str], data: pd.DataFrame,
                   data_for: Mapping[str, pd.DataFrame] | None = None) -> dict:
    """key -> the REML fit of ``formulas[key]``, or lme4's reason (text) when it refuses.

    ``data_for`` gives some candidates their own data (e.g. relabelled groups)."""
    data_for = data_for or {}
    fits = {}
    for key, formula in formulas.items():
        try:
            fits[key] = lmm_core.lmer(formula, data_for.get(key, data))
        except lmm_core.LmmError as error:
            fits[key] = str(error)
    return fits


def fitted(fits: Mapping) -> dict:
    """Only the candidates that could be fitted."""
    return {k: f for k, f in fits.items() if not isinstance(f, str)}


def refused(fits: Mapping) -> dict[str, str]:
    """key -> why lme4 refused that candidate."""
    return {k: f for k, f in fits.items() if isinstance(f, str)}


def notes(fits: Mapping) -> dict[str, list[str]]:
    """key -> lme4's messages about a fitted candidate (singular fit, convergence)."""
    return {k: [str(m) for m in f.messages] for k, f in fitted(fits).items()}


def r_printouts(formulas: Mapping[str, str], data: pd.DataFrame,
                data_for: Mapping[str, pd.DataFrame] | None = None) -> dict[str, str]:
    """key -> R's print(summary(fit)). Not part of a round (~15 ms a model): pages call it
    after the answer and cache it."""
    fits = fit_candidates(formulas, data, data_for)
    return {k: f if isinstance(f, str) else str(f.summary()) for k, f in fits.items()}
