"""A multi-site study: participants recruited at several sites (labs, clinics), each measured in
a control and a treatment condition; some sites are university labs, some clinics.

Two things vary at the site level: each site's own baseline (``sd_site``, a random sample of
sites) and the site's ``setting`` (a site-level predictor, the same for all of a site's
participants). The treatment varies *within* participants. So the scenario can ask both "is
site a random or a fixed effect?" and "what happens to a site-level predictor when site is
fixed?" (it cannot be estimated: the site dummies absorb it). The response is

    value = intercept + effect * treated + setting_effect * university
            + s[site] + u[participant] + e,

with s ~ N(0, sd_site²), u ~ N(0, sd_participant²), e ~ N(0, sd_residual²). Participants have
unique labels (P001, ...), so ``(1 | site) + (1 | participant)`` is the nested model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import Draft, Param, ScenarioSpec, labels, rounded

__all__ = ["multisite", "SPECS", "FORMULA", "SETTINGS"]

FORMULA = "value ~ condition + setting + (1 | site) + (1 | participant)"
SETTINGS = ("clinic", "university")


def multisite(
    *, rng, n_sites, n_per_site, n_trials, intercept, effect, setting_effect, sd_site,
    sd_participant, sd_residual,
) -> Draft:
    """Participants within sites, two conditions within participants, half the sites (at
    random, at least one of each) university labs.

    truth adds ``university_sites`` and ``n_participants``.
    """
    sites, n = labels("S", n_sites), n_sites * n_per_site
    people = labels("P", n, width=3)
    university = np.zeros(n_sites, dtype=int)
    university[rng.permutation(n_sites)[: n_sites // 2]] = 1
    site_of = np.repeat(np.arange(n_sites), n_per_site)
    per_person = 2 * n_trials
    person = np.repeat(np.arange(n), per_person)
    treated = np.tile(np.repeat([0, 1], n_trials), n)
    s = sd_site * rng.standard_normal(n_sites)
    u = sd_participant * rng.standard_normal(n)
    e = sd_residual * rng.standard_normal(person.size)
    site = site_of[person]
    value = (intercept + effect * treated + setting_effect * university[site] + s[site]
             + u[person] + e)
    data = pd.DataFrame({
        "site": np.asarray(sites, dtype=object)[site],
        "setting": np.asarray(SETTINGS, dtype=object)[university[site]],
        "participant": np.asarray(people, dtype=object)[person],
        "condition": np.asarray(("control", "treatment"), dtype=object)[treated],
        "value": rounded(value),
    })
    truth = {
        "fixef": {"(Intercept)": float(intercept), "conditiontreatment": float(effect),
                  "settinguniversity": float(setting_effect)},
        "varcomp": {"participant": {"sd_(Intercept)": float(sd_participant)},
                    "site": {"sd_(Intercept)": float(sd_site)},
                    "residual_sd": float(sd_residual)},
        "university_sites": [sites[i] for i in np.flatnonzero(university)],
        "n_participants": int(n),
    }
    description = (f"{n} participants at {n_sites} sites (clinics and university labs), each "
                   f"measured {n_trials} time{'s' if n_trials > 1 else ''} in a control and in "
                   "a treatment condition.")
    return Draft(data, truth, FORMULA, description)


SPECS = (
    ScenarioSpec(
        "multisite",
        "Participants at several sites (clinics and university labs), two conditions each.",
        (
            Param("n_sites", "int", 10, "number of sites (half of them university labs)", 2,
                  200),
            Param("n_per_site", "int", 6, "participants per site", 1, 200),
            Param("n_trials", "int", 2, "measurements per participant and condition", 1, 50),
            Param("intercept", "float", 50.0, "mean value at a clinic, control condition",
                  -1000, 1000),
            Param("effect", "float", 3.0, "treatment mean minus control mean", -100, 100),
            Param("setting_effect", "float", 0.0, "university labs minus clinics", -100, 100),
            Param("sd_site", "float", 4.0, "SD of the sites' baselines", 0, 100),
            Param("sd_participant", "float", 4.0, "SD of participants' baselines", 0, 100),
            Param("sd_residual", "float", 3.0, "SD of a single measurement", 0.1, 100),
        ),
        multisite,
    ),
)
