"""Participants crossed with items: every participant reads every word (a lexical-decision-like
study), the design where subjects *and* items are random samples.

Half the words are frequent, half rare, so ``frequency`` varies *between* items and *within*
participants. Reading time (ms) is

    rt = intercept + frequency_effect * rare + u[participant] + w[item] + e,

with u ~ N(0, sd_participant²), w ~ N(0, sd_item²), e ~ N(0, sd_residual²). The right model is
``rt ~ frequency + (1 | participant) + (1 | item)``. Because the tested effect lives at the
item level, its uncertainty comes mostly from which words were sampled: a model (or a
bootstrap) that treats the words as fixed is overconfident about it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import Draft, Param, ScenarioError, ScenarioSpec, labels, rounded

__all__ = ["items_crossed", "SPECS", "FORMULA", "WORDS"]

FORMULA = "rt ~ frequency + (1 | participant) + (1 | item)"
WORDS = ("frequent", "rare")


def items_crossed(
    *, rng, n_participants, n_items, intercept, frequency_effect, sd_participant, sd_item,
    sd_residual,
) -> Draft:
    """Every participant reads every word once; half the words are rare (an item property).

    truth adds ``structure`` ("crossed"), ``right_formula``, ``n_cells`` (participant-word
    pairs, one observation each) and ``rare_items``.
    """
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
        "right_formula": FORMULA,
        "n_cells": int(person.size),
        "rare_items": [words[i] for i in np.flatnonzero(rare)],
    }
    description = (f"{n_participants} participants each read the same {n_items} words once "
                   "(half frequent, half rare); reading time in ms.")
    return Draft(data, truth, FORMULA, description)


def _check(params: dict) -> None:
    if params["n_items"] % 2:
        raise ScenarioError(
            f"n_items={params['n_items']} must be even: half the words are frequent, half "
            "rare.")


SPECS = (
    ScenarioSpec(
        "items_crossed",
        "Every participant reads every word (half frequent, half rare): subjects and items "
        "crossed.",
        (
            Param("n_participants", "int", 20, "number of participants", 3, 500),
            Param("n_items", "int", 16, "number of words (even: half are rare)", 4, 400),
            Param("intercept", "float", 600.0, "mean reading time of a frequent word (ms)",
                  0, 5000),
            Param("frequency_effect", "float", 40.0, "rare minus frequent (ms)", -1000, 1000),
            Param("sd_participant", "float", 60.0, "SD of participants' average times", 0,
                  1000),
            Param("sd_item", "float", 40.0, "SD of words' average times", 0, 1000),
            Param("sd_residual", "float", 60.0, "SD of a single reading", 0.1, 1000),
        ),
        items_crossed,
        check=_check,
    ),
)
