"""Why a mixed model? Two lecture topics as rounds that need the data.

- "factor" (:mod:`.factor`): a multi-site study and one factor (site, or condition): should it
  be a random effect, a fixed effect, or left out? The sites were drawn from many; how many
  there are and what the question is about decide. Every option is fitted for the reveal.
- "shortcut" (:mod:`.shortcuts`): a sleep-deprivation study; would separate regressions per
  person, or one regression on the daily means, give the mixed model's answer? Whether people
  differ in their slopes and whether some dropped out decide, and the answer is computed from
  the fits.

Difficulty sets which cases come up, and the study sizes.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..base import Round, Score, check_difficulty, check_seed, sub_seed
from . import factor, shortcuts
from .reveal import factor_reveal, shortcut_reveal

__all__ = ["make_round", "score", "LEVELS", "FEEDBACK"]

LEVELS = {
    "gentle": {"shortcut": 0.5, "factor": {"between": 0.5, "condition": 0.5},
               "cases": {"differ_balanced": 0.5, "same_balanced": 0.5}, "people": (14, 18)},
    "normal": {"shortcut": 0.5,
               "factor": {"between": 0.25, "within_many": 0.25, "within_few": 0.25,
                          "condition": 0.25},
               "cases": {"differ_balanced": 0.35, "same_balanced": 0.3,
                         "differ_dropouts": 0.35}, "people": (10, 14)},
    "tricky": {"shortcut": 0.5,
               "factor": {"between": 0.3, "within_many": 0.2, "within_few": 0.3,
                          "condition": 0.2},
               "cases": {"differ_balanced": 0.25, "same_balanced": 0.25,
                         "differ_dropouts": 0.25, "same_dropouts": 0.25},
               "people": (7, 10)},
}
MAX_ATTEMPTS = 12


def _pick(rng, weights: dict) -> str:
    names = list(weights)
    return str(rng.choice(names, p=[weights[n] for n in names]))


def make_round(seed: int, difficulty: str = "normal") -> Round:
    """A round, fixed by (seed, difficulty)."""
    seed, level = check_seed(seed), LEVELS[check_difficulty(difficulty)]
    rng, case_rng = sub_seed(seed, 0), sub_seed(seed, 3)
    if rng.random() < level["shortcut"]:
        return _shortcut_round(seed, difficulty, level, _pick(case_rng, level["cases"]))
    return _factor_round(seed, difficulty, _pick(case_rng, level["factor"]))


def _factor_round(seed: int, difficulty: str, case: str) -> Round:
    scenario = factor.make_study(case, sub_seed(seed, 1))
    data = scenario.data
    right = next(k for k, (p, _) in factor.VERDICTS[case].items() if p == 100)
    context = {"variant": "factor", "case": case, "factor": factor.factor_of(case),
               "n_sites": int(data["site"].nunique()),
               "formulas": factor.FORMULAS[factor.factor_of(case)], "term": factor.TERM[case]}
    return Round(
        game="why_mixed", seed=seed, difficulty=difficulty,
        prompt=_factor_prompt(case, data), questions=(factor.question(case),),
        solution={"factor": right}, reveal=factor_reveal(case, data),
        data=data, context=context)


def _shortcut_round(seed: int, difficulty: str, level: dict, case: str) -> Round:
    for attempt in range(MAX_ATTEMPTS):
        rng = sub_seed(seed, 2, attempt)
        people = int(rng.integers(level["people"][0], level["people"][1] + 1))
        scenario = shortcuts.make_study(case, people, rng)
        est = shortcuts.estimates(scenario.data)
        if not shortcuts.on_the_edge(est):
            break
    context = {"variant": "shortcut", "case": case, "estimates": est,
               "verdicts": shortcuts.verdicts(est), "formula": shortcuts.FORMULA}
    return Round(
        game="why_mixed", seed=seed, difficulty=difficulty,
        prompt=_shortcut_prompt(scenario.data), questions=(shortcuts.question(),),
        solution={"shortcut": shortcuts.answer(est)},
        reveal=shortcut_reveal(est),
        data=scenario.data, context=context)


def _factor_prompt(case: str, data) -> str:
    n = data["participant"].nunique()
    what = {"between": "Do university labs and clinics (the `setting`) differ in their "
                       "participants' values?",
            "within_many": "Does the treatment change the value, at sites like these?",
            "within_few": "Does the treatment change the value?",
            "condition": "Does the treatment change the value?"}[case]
    return "\n\n".join([
        f"**The study.** {n} participants were recruited at a number of sites (clinics and "
        "university labs), drawn from many sites that could have taken part. Each "
        "participant was measured twice in a control and twice in a treatment condition. "
        "The table and the picture below show the data.",
        f"**The question.** {what}",
        f"**Your job.** The model will have `(1 | participant)`. Decide how "
        f"`{factor.factor_of(case)}` should enter it: count what the data give you, and "
        "think about what the question is about.",
    ])


def _shortcut_prompt(data) -> str:
    return "\n\n".join([
        f"**The study.** {data['subject'].nunique()} people had their reaction time measured "
        "on up to 10 days of sleep deprivation. The mixed model `reaction ~ days + (days | "
        "subject)` estimates the average slope (ms per day) and its standard error.",
        "**Two shortcuts.** (1) Fit a separate regression line to each person, and average "
        "their slopes (SE: their SD / √people). (2) Average everybody on each day, and fit "
        "one line through the daily means.",
        "**Your job.** Look at the data below. Which shortcut lands *close* to the mixed "
        "model: an average slope within half of the model's standard error, and a standard "
        "error within a factor of 1.5 of the model's?",
    ])


# ----- scoring -----------------------------------------------------------------------------
def score(round: Round, answer: Mapping) -> Score:  # noqa: A002
    ctx = round.context
    if ctx["variant"] == "factor":
        pick = answer["factor"]
        points, code = factor.VERDICTS[ctx["case"]][pick]
    else:
        pick = answer["shortcut"]
        points, code = shortcuts.score_pick(ctx["estimates"], pick)
    words = FEEDBACK[code] if code else RIGHT[ctx["variant"]]
    return Score(points, points == 100, words.format(**_fill(round)), code)


def _fill(round: Round) -> dict:  # noqa: A002
    ctx, num = round.context, round.reveal.numbers
    out = dict(num) | {"n_sites": int(ctx.get("n_sites", 0)), "factor": ctx.get("factor", "")}
    if ctx["variant"] == "shortcut":
        est = ctx["estimates"]
        out |= {"ratio": est["means"]["se"] / est["model"]["se"],
                "days_min": min(est["days_per_person"]), "days_max": max(est["days_per_person"])}
    return out


RIGHT = {
    "factor": "Right. Below: each option fitted to these data, and what it does.",
    "shortcut": "Right. Below: the mixed model and both shortcuts on these data.",
}
FEEDBACK = {
    "fixed_absorbs_site_predictor":
        "With site as a fixed effect, one dummy per site already fixes each site's level, "
        "setting included: the setting cannot be estimated at all (lme4 drops a column). A "
        "question about sites needs site as a random effect.",
    "ignored_clustering":
        "Participants from the same site share that site's level. Leaving site out treats "
        "them as independent evidence, which overstates what {n_sites} sites can tell.",
    "fixed_cannot_generalize":
        "Fixed sites estimate the treatment well, but only for these {n_sites} sites. They "
        "were drawn from many, and the question is about sites like them: random (half "
        "points).",
    "variance_from_too_few_levels":
        "A random effect would estimate the SD of sites from only {n_sites} site averages: "
        "its 95% interval runs from about {sd_factor_low:.2f} to {sd_factor_high:.1f} times "
        "the estimate. With so few levels, fixed is the honest choice (half points).",
    "random_effect_for_levels_of_interest":
        "The two conditions were chosen on purpose and their difference is the question: "
        "they are fixed. A random effect would estimate a spread of conditions from two "
        "levels, and report no treatment effect.",
    "dropped_the_manipulation":
        "Leaving out condition leaves out the question: the model could not say whether the "
        "treatment works.",
    "means_hide_how_people_differ":
        "The regression on the daily means is too confident here: its SE is {ratio:.2f} "
        "times the model's. The same people are in every daily mean, and how much their "
        "slopes differ never enters.",
    "means_mix_people_and_days":
        "The regression on the daily means is off here: people dropped out, so later means "
        "come from other people than earlier ones.",
    "means_too_cautious":
        "The regression on the daily means is too cautious here: its SE is {ratio:.2f} times "
        "the model's.",
    "short_series_count_fully":
        "The separate regressions are off here: people were measured on {days_min} to "
        "{days_max} days, and a line through two or three days counts as much as a line "
        "through ten.",
    "separate_too_cautious":
        "The separate regressions are too cautious here: their SE is larger than the model's.",
    "means_fine_when_people_agree":
        "The regression on the daily means works too here: people hardly differ in their "
        "slopes, so the daily means lose nothing.",
    "separate_fine_when_balanced":
        "The separate regressions work too here: everybody was measured on the same days, "
        "so each own line is equally trustworthy.",
}
