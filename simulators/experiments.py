"""Within-participant experiments: the course's df.test, its outlier variants and the tails game.

All three share one generating model, ``value ~ 1 + condition + (1 | participant)``: each
participant has their own baseline ``u ~ N(0, sd_participant)`` and every measurement adds
``e ~ N(0, sd_residual)``. Only what is done to that clean data differs.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from .base import (
    Draft,
    Param,
    ScenarioError,
    ScenarioSpec,
    add_missing,
    random_choice,
    rounded,
)
from .layouts import within_conditions

__all__ = ["two_condition", "outliers", "tails", "SPECS"]

FORMULA = "{y} ~ 1 + condition + (1 | participant)"


def _n_participants(low: int) -> Param:
    return Param("n_participants", "int", 20, "number of participants", low, 500)


def _model_params() -> tuple[Param, ...]:
    return (
        Param("intercept", "float", 50.0, "mean value in the control condition", -1000, 1000),
        Param("effect", "float", 5.0, "treatment mean minus control mean", -100, 100),
        Param("sd_participant", "float", 8.0, "SD of participants' baselines", 0, 100),
        Param("sd_residual", "float", 4.0, "SD of a single measurement around it", 0.1, 100),
    )


def _clean_parts(rng, n_participants, intercept, effect, sd_participant, sd_residual, n_trials=1):
    """The layout, each participant's baseline shift u and each row's noise e."""
    layout = within_conditions(n_participants, n_trials)
    u = sd_participant * rng.standard_normal(n_participants)
    e = sd_residual * rng.standard_normal(len(layout.frame))
    mean = intercept + effect * layout.treated
    return layout, mean, u, e


def _truth(intercept, effect, sd_participant, sd_residual) -> dict:
    return {
        "fixef": {"(Intercept)": float(intercept), "conditiontreatment": float(effect)},
        "varcomp": {
            "participant": {"sd_(Intercept)": float(sd_participant)},
            "residual_sd": float(sd_residual),
        },
    }


def two_condition(
    *, rng, n_participants, n_trials, intercept, effect, sd_participant, sd_residual,
    missing_fraction,
) -> Draft:
    """The course's df.test: every participant measured in a control and a treatment condition.

    truth adds ``missing_rows`` (positions whose ``value`` was blanked, empty by default).
    """
    layout, mean, u, e = _clean_parts(
        rng, n_participants, intercept, effect, sd_participant, sd_residual, n_trials
    )
    data = layout.frame.assign(value=rounded(mean + u[layout.participant] + e))
    missing = add_missing(data, "value", missing_fraction, rng=rng)
    truth = _truth(intercept, effect, sd_participant, sd_residual) | {"missing_rows": missing}
    times = "once" if n_trials == 1 else f"{n_trials} times"
    description = (
        f"Each of {n_participants} participants was measured {times} in a control and "
        f"{times} in a treatment condition."
    )
    return Draft(data, truth, FORMULA.format(y="value"), description)


def _check_outliers(params: dict) -> None:
    limit = params["n_participants"] // 4
    if params["n_outliers"] > limit:
        raise ScenarioError(
            f"n_outliers={params['n_outliers']} is too many: with "
            f"n_participants={params['n_participants']} it must be from 1 to {limit} "
            "(at most a quarter of the participants), or they stop being outliers."
        )


def outliers(
    *, rng, n_participants, kind, n_outliers, size, intercept, effect, sd_participant,
    sd_residual,
) -> Draft:
    """The df.test design with a few outlying measurements or whole outlying participants.

    Each outlier is pushed ``size`` total SDs (``sqrt(sd_participant² + sd_residual²)``)
    further in the direction it already leaned, so it is always extreme. ``truth["fixef"]``
    is the clean process: estimates from the contaminated data are biased on purpose.
    truth adds ``kind``, ``altered_rows``, ``outlier_participants`` (empty for single
    observations) and ``original_values`` (the clean values of ``altered_rows``).
    """
    layout, mean, u, e = _clean_parts(
        rng, n_participants, intercept, effect, sd_participant, sd_residual
    )
    shift = size * float(np.hypot(sd_participant, sd_residual))
    clean = mean + u[layout.participant] + e
    values = clean.copy()
    if kind == "participants":
        who = np.sort(rng.choice(n_participants, size=n_outliers, replace=False))
        rows = np.flatnonzero(np.isin(layout.participant, who))
        values[rows] += _away(u[layout.participant[rows]]) * shift
        outlying = [layout.ids[i] for i in who]
    else:
        rows = np.sort(rng.choice(len(values), size=n_outliers, replace=False))
        values[rows] += _away(u[layout.participant[rows]] + e[rows]) * shift
        outlying = []
    data = layout.frame.assign(value=rounded(values))
    truth = _truth(intercept, effect, sd_participant, sd_residual) | {
        "kind": kind,
        "altered_rows": [int(r) for r in rows],
        "outlier_participants": outlying,
        "original_values": [float(v) for v in rounded(clean[rows])],
    }
    what = "participants" if kind == "participants" else "measurements"
    description = (
        f"{n_participants} participants were each measured in a control and a treatment "
        f"condition, but a few {what} look very different from the rest."
    )
    return Draft(data, truth, FORMULA.format(y="value"), description)


def _away(deviation: np.ndarray) -> np.ndarray:
    """+1 or -1: the direction a value already deviates in (+1 for an exact zero)."""
    return np.where(deviation < 0, -1.0, 1.0)


MEASURES = MappingProxyType({
    # name: (higher is better, intercept, sd_participant, sd_residual, wording)
    "score": (True, 60.0, 10.0, 6.0, "test scores, where higher is better"),
    "reaction_time": (False, 650.0, 80.0, 40.0, "reaction times in ms, where faster is better"),
})
HYPOTHESES = MappingProxyType({
    "better": "do better with the treatment than in the control condition",
    "worse": "do worse with the treatment than in the control condition",
    "different": "do differently (better or worse) with the treatment than in the control "
    "condition",
})
SIGNS = MappingProxyType({"positive": 1.0, "negative": -1.0, "zero": 0.0})


def alternative_for(hypothesis: str, higher_is_better: bool) -> str:
    """The test direction that matches a research hypothesis on this measure.

    "Better" means a larger value for scores but a smaller one for reaction times, so the
    one-sided alternative depends on the measure as well as on the words.
    """
    if hypothesis == "different":
        return "two-sided"
    up = (hypothesis == "better") == higher_is_better
    return "greater" if up else "less"


def tails(*, rng, n_participants, hypothesis, effect, effect_size, measure) -> Draft:
    """A treatment-versus-control experiment and a research hypothesis about its direction.

    "random" choices are drawn from the seed, so a round is still fixed by its seed. The
    response column is named after the measure (``score`` or ``reaction_time``).
    truth adds ``hypothesis``, ``alternative`` (the matching test direction: "greater",
    "less" or "two-sided", for treatment minus control), ``true_effect`` (treatment minus
    control), ``effect`` ("positive"/"negative"/"zero"), ``measure``, ``higher_is_better`` and
    ``hypothesis_true`` (whether the true effect lies in the predicted direction).
    """
    measure = random_choice(measure, tuple(MEASURES), rng=rng)
    hypothesis = random_choice(hypothesis, tuple(HYPOTHESES), rng=rng)
    effect = random_choice(effect, tuple(SIGNS), rng=rng)
    higher_is_better, intercept, sd_participant, sd_residual, wording = MEASURES[measure]
    true_effect = float(rounded(SIGNS[effect] * effect_size * sd_residual))
    layout, mean, u, e = _clean_parts(
        rng, n_participants, intercept, true_effect, sd_participant, sd_residual
    )
    data = layout.frame.assign(**{measure: rounded(mean + u[layout.participant] + e)})
    alternative = alternative_for(hypothesis, higher_is_better)
    truth = _truth(intercept, true_effect, sd_participant, sd_residual) | {
        "hypothesis": hypothesis,
        "alternative": alternative,
        "true_effect": true_effect,
        "effect": effect,
        "measure": measure,
        "higher_is_better": higher_is_better,
        "hypothesis_true": _holds(alternative, true_effect),
    }
    description = (
        f"Researchers predict that people {HYPOTHESES[hypothesis]}; each of {n_participants} "
        f"participants was tested in both conditions ({wording})."
    )
    return Draft(data, truth, FORMULA.format(y=measure), description)


def _holds(alternative: str, true_effect: float) -> bool:
    if alternative == "greater":
        return true_effect > 0
    if alternative == "less":
        return true_effect < 0
    return true_effect != 0


SPECS = (
    ScenarioSpec(
        "two_condition",
        "Participants measured in a control and a treatment condition (df.test).",
        (
            _n_participants(4),
            Param("n_trials", "int", 1, "measurements per participant and condition", 1, 50),
        )
        + _model_params()
        + (Param("missing_fraction", "float", 0.0, "share of values left missing", 0, 0.5),),
        two_condition,
    ),
    ScenarioSpec(
        "outliers",
        "The two-condition design with outlying measurements or outlying participants.",
        (
            _n_participants(8),
            Param("kind", "choice", "observations", "what is outlying",
                  choices=("observations", "participants")),
            Param("n_outliers", "int", 2, "how many measurements or participants", 1, 125),
            Param("size", "float", 6.0, "how far out, in total SDs", 3, 20),
        )
        + _model_params(),
        outliers,
        check=_check_outliers,
    ),
    ScenarioSpec(
        "tails",
        "A treatment-versus-control experiment with a directional or two-sided hypothesis.",
        (
            _n_participants(4),
            Param("hypothesis", "choice", "random", "the research hypothesis",
                  choices=(*HYPOTHESES, "random")),
            Param("effect", "choice", "random", "direction of the true effect",
                  choices=(*SIGNS, "random")),
            Param("effect_size", "float", 0.8, "size of a non-zero effect, in residual SDs",
                  0.1, 3),
            Param("measure", "choice", "random", "what was measured",
                  choices=(*MEASURES, "random")),
        ),
        tails,
    ),
)
