"""Row layouts shared by several scenarios: who is measured in which condition, how often.

Kept apart from the generators so that every within-participant scenario has the same column
names and row order (participant by participant, control rows before treatment rows), which
is what makes tables from different games look alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .base import labels

__all__ = ["Layout", "within_conditions"]

CONDITIONS = ("control", "treatment")


@dataclass(frozen=True, eq=False)
class Layout:
    """A skeleton table plus the integer codes a generator needs to add effects to it.

    ``participant`` holds each row's participant number (0-based) and ``treated`` is 1 on
    treatment rows, so a response is ``intercept + effect * treated + u[participant] + e``.
    """

    frame: pd.DataFrame
    participant: np.ndarray
    treated: np.ndarray
    ids: list[str]


def within_conditions(n_participants: int, n_trials: int = 1) -> Layout:
    """Each participant measured ``n_trials`` times in control, then as often in treatment.

    Condition values are the strings "control" and "treatment" so that lme4 (which sorts
    factor levels) makes control the baseline and names the effect ``conditiontreatment``.
    """
    ids = labels("P", n_participants)
    per_person = 2 * n_trials
    participant = np.repeat(np.arange(n_participants), per_person)
    treated = np.tile(np.repeat([0, 1], n_trials), n_participants)
    frame = pd.DataFrame(
        {
            "participant": np.asarray(ids, dtype=object)[participant],
            "condition": np.asarray(CONDITIONS, dtype=object)[treated],
        }
    )
    return Layout(frame=frame, participant=participant, treated=treated, ids=ids)
