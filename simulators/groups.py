"""Participants who come from different populations: the mixture and the unequal spreads.

Both scenarios break the assumption behind ``(1 | participant)`` that all baselines come from
one normal distribution. In ``mixture`` there are two populations with different means (a
missing fixed effect, which the random intercept then has to soak up); in
``heterogeneous_variance`` the populations share a mean but differ in spread, which no single
normal distribution can describe.
"""

from __future__ import annotations

import numpy as np

from .base import Draft, Param, ScenarioSpec, rounded
from .layouts import within_conditions

__all__ = ["mixture", "heterogeneous_variance", "SPECS", "MIXTURE_GROUPS", "SITES"]

# Level names sort so that lme4 makes "average" the baseline and names the term "grouphigh".
MIXTURE_GROUPS = ("average", "high")
SITES = ("A", "B", "C", "D")


def mixture(
    *, rng, n_participants, n_trials, share_high, group_difference, intercept, effect,
    sd_participant, sd_residual,
) -> Draft:
    """The course's df.mixed: participants from two latent groups whose means differ.

    Exactly ``round(share_high * n_participants)`` participants (at least one, and at least
    one left over) are in the "high" group, assigned at random. Fitted without ``group``,
    the participant intercept variance absorbs the group difference (about
    ``share * (1 - share) * group_difference²`` extra); with it, it is back to
    ``sd_participant²``. truth adds ``wrong_formula`` (the model without the group term) and
    ``group_sizes``.
    """
    layout = within_conditions(n_participants, n_trials)
    n_high = min(max(1, round(share_high * n_participants)), n_participants - 1)
    high = np.zeros(n_participants, dtype=int)
    high[rng.permutation(n_participants)[:n_high]] = 1
    u = sd_participant * rng.standard_normal(n_participants) + group_difference * high
    e = sd_residual * rng.standard_normal(len(layout.frame))
    values = intercept + effect * layout.treated + u[layout.participant] + e
    data = layout.frame.assign(
        group=np.asarray(MIXTURE_GROUPS, dtype=object)[high[layout.participant]],
        value=rounded(values),
    )[["participant", "group", "condition", "value"]]
    truth = {
        "fixef": {
            "(Intercept)": float(intercept),
            "conditiontreatment": float(effect),
            "grouphigh": float(group_difference),
        },
        "varcomp": _varcomp(sd_participant, sd_residual),
        "wrong_formula": "value ~ 1 + condition + (1 | participant)",
        "group_sizes": {"average": n_participants - n_high, "high": n_high},
    }
    description = (
        f"{n_participants} participants, each measured in a control and a treatment "
        "condition, come from two kinds of people whose typical values differ."
    )
    return Draft(data, truth, "value ~ 1 + condition + group + (1 | participant)", description)


def heterogeneous_variance(
    *, rng, component, n_sites, n_per_site, n_trials, sd_ratio, intercept, effect,
    sd_participant, sd_residual,
) -> Draft:
    """Sites whose participants' baselines (or measurements) spread very differently.

    The varying SD grows geometrically from the baseline value (``sd_participant`` or
    ``sd_residual``) to ``sd_ratio`` times it across the sites, and which site gets which
    spread is shuffled by the seed, so the widest site is not always the last. The means do
    not differ, so ``formula`` has no site term. truth["varcomp"] holds the pooled SD that a
    one-normal model aims at (root mean variance); truth adds ``component`` ("intercepts" or
    "residuals"), ``site_sd`` ({site: true SD of the varying component}), ``widest_site``,
    ``narrowest_site`` and ``varcomp_by_site`` ({site: varcomp}).
    """
    sites = SITES[:n_sites]
    base = sd_participant if component == "intercepts" else sd_residual
    spreads = base * sd_ratio ** (np.arange(n_sites) / (n_sites - 1))
    spreads = spreads[rng.permutation(n_sites)]
    layout = within_conditions(n_sites * n_per_site, n_trials)
    site_of = np.repeat(np.arange(n_sites), n_per_site)
    row_site = site_of[layout.participant]
    sd_u, sd_e = _split(component, spreads, sd_participant, sd_residual)
    u = (sd_u[site_of] if np.ndim(sd_u) else sd_u) * rng.standard_normal(site_of.size)
    e = (sd_e[row_site] if np.ndim(sd_e) else sd_e) * rng.standard_normal(row_site.size)
    values = intercept + effect * layout.treated + u[layout.participant] + e
    data = layout.frame.assign(
        site=np.asarray(sites, dtype=object)[row_site], value=rounded(values)
    )[["participant", "site", "condition", "value"]]
    truth = {
        "fixef": {"(Intercept)": float(intercept), "conditiontreatment": float(effect)},
        **_spread_truth(component, sites, spreads, sd_participant, sd_residual),
    }
    what = "baselines" if component == "intercepts" else "measurements"
    description = (
        f"Participants from {n_sites} sites were measured in a control and a treatment "
        f"condition, but the {what} spread far more at some sites than at others."
    )
    return Draft(data, truth, "value ~ 1 + condition + (1 | participant)", description)


def _spread_truth(component, sites, spreads, sd_participant, sd_residual) -> dict:
    """The varcomp a one-normal model aims at (root mean variance) and the per-site truth."""
    pooled = float(np.sqrt(np.mean(spreads**2)))
    return {
        "varcomp": _varcomp(*_split(component, pooled, sd_participant, sd_residual)),
        "component": component,
        "site_sd": {s: float(spreads[i]) for i, s in enumerate(sites)},
        "widest_site": sites[int(np.argmax(spreads))],
        "narrowest_site": sites[int(np.argmin(spreads))],
        "varcomp_by_site": {
            s: _varcomp(*_split(component, spreads[i], sd_participant, sd_residual))
            for i, s in enumerate(sites)
        },
    }


def _split(component, spread, sd_participant, sd_residual):
    """(participant SD, residual SD) when ``spread`` replaces the varying component."""
    if component == "intercepts":
        return spread, sd_residual
    return sd_participant, spread


def _varcomp(sd_participant: float, sd_residual: float) -> dict:
    return {
        "participant": {"sd_(Intercept)": float(sd_participant)},
        "residual_sd": float(sd_residual),
    }


def _common(sd_participant: float, sd_residual: float) -> tuple[Param, ...]:
    return (
        Param("intercept", "float", 50.0, "mean value in the control condition", -1000, 1000),
        Param("effect", "float", 5.0, "treatment mean minus control mean", -100, 100),
        Param("sd_participant", "float", sd_participant, "SD of participants' baselines",
              0, 100),
        Param("sd_residual", "float", sd_residual, "SD of a single measurement", 0.1, 100),
    )


SPECS = (
    ScenarioSpec(
        "mixture",
        "Participants from two latent groups with different means (df.mixed).",
        (
            Param("n_participants", "int", 20, "number of participants", 6, 500),
            Param("n_trials", "int", 1, "measurements per participant and condition", 1, 50),
            Param("share_high", "float", 0.5, "share of participants in the high group",
                  0.1, 0.9),
            Param("group_difference", "float", 30.0, "high-group mean minus average-group mean",
                  -200, 200),
        )
        + _common(4.0, 4.0),
        mixture,
    ),
    ScenarioSpec(
        "heterogeneous_variance",
        "Sites whose participants' intercepts (or residuals) spread very differently.",
        (
            Param("component", "choice", "intercepts", "which spread differs between sites",
                  choices=("intercepts", "residuals")),
            Param("n_sites", "int", 2, "number of sites", 2, len(SITES)),
            Param("n_per_site", "int", 15, "participants per site", 4, 200),
            Param("n_trials", "int", 2, "measurements per participant and condition", 1, 50),
            Param("sd_ratio", "float", 6.0, "widest SD divided by narrowest SD", 1, 50),
        )
        + _common(5.0, 2.0),
        heterogeneous_variance,
    ),
)
