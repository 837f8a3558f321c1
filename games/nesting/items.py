"""A local stand-in for a missing simulator: participants crossed with items (words).

``simulators`` has no items-by-participants scenario yet, so the nesting game makes one here,
in the same shape as ``simulators.generate`` (a :class:`simulators.Scenario` with ``truth`` in
the package's layout). Move it to ``simulators`` when one exists there.

The design is a lexical-decision-like study: every participant reads every word once (fully
crossed), and the words are half frequent, half rare, so ``frequency`` varies *between* items
and *within* participants. Reading time (ms) is

    rt = intercept + frequency_effect * rare + u[participant] + w[item] + e,

with u ~ N(0, sd_participant²), w ~ N(0, sd_item²), e ~ N(0, sd_residual²). The right model
is ``rt ~ frequency + (1 | participant) + (1 | item)``. The only randomness is
``numpy.random.default_rng(seed)``: the same seed and parameters give the same data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulators import Scenario
from simulators.base import labels, rounded

__all__ = ["items_crossed", "RIGHT_FORMULA", "NAME"]

NAME = "items_crossed (local to games.nesting)"
RIGHT_FORMULA = "rt ~ frequency + (1 | participant) + (1 | item)"
WORDS = ("frequent", "rare")


def items_crossed(seed: int, *, n_participants: int = 20, n_items: int = 16,
                  intercept: float = 600.0, frequency_effect: float = 40.0,
                  sd_participant: float = 60.0, sd_item: float = 40.0,
                  sd_residual: float = 60.0) -> Scenario:
    """Every participant reads every word once; half the words are rare (an item property).

    truth adds ``structure`` ("crossed"), ``right_formula``, ``n_cells`` (participant-word
    pairs, one observation each) and ``rare_items``.
    """
    if n_items < 4 or n_items % 2:
        raise ValueError(f"n_items must be an even number from 4 up, got {n_items!r}.")
    if n_participants < 3:
        raise ValueError(f"n_participants must be 3 or more, got {n_participants!r}.")
    rng = np.random.default_rng(seed)
    people, words = labels("P", n_participants), labels("w", n_items)
    rare = np.zeros(n_items, dtype=int)
    rare[rng.permutation(n_items)[: n_items // 2]] = 1
    person = np.repeat(np.arange(n_participants), n_items)
    item = np.tile(np.arange(n_items), n_participants)
    u = sd_participant * rng.standard_normal(n_participants)
    w = sd_item * rng.standard_normal(n_items)
    e = sd_residual * rng.standard_normal(person.size)
    rt = intercept + frequency_effect * rare[item] + u[person] + w[item] + e
    data = pd.DataFrame({
        "participant": np.asarray(people, dtype=object)[person],
        "item": np.asarray(words, dtype=object)[item],
        "frequency": np.asarray(WORDS, dtype=object)[rare[item]],
        "rt": np.round(rounded(rt, 0)) + 0.0,
    })
    truth = {
        "fixef": {"(Intercept)": float(intercept), "frequencyrare": float(frequency_effect)},
        "varcomp": {"participant": {"sd_(Intercept)": float(sd_participant)},
                    "item": {"sd_(Intercept)": float(sd_item)},
                    "residual_sd": float(sd_residual)},
        "structure": "crossed",
        "right_formula": RIGHT_FORMULA,
        "n_cells": int(person.size),
        "rare_items": [words[i] for i in np.flatnonzero(rare)],
    }
    params = {"n_participants": n_participants, "n_items": n_items, "intercept": intercept,
              "frequency_effect": frequency_effect, "sd_participant": sd_participant,
              "sd_item": sd_item, "sd_residual": sd_residual}
    description = (f"{n_participants} participants each read the same {n_items} words once "
                   "(half frequent, half rare); reading time in ms.")
    return Scenario(name=NAME, data=data, truth=truth, formula=RIGHT_FORMULA,
                    description=description, seed=int(seed), params=params)
