"""Points, misconception codes and feedback for each remedy and cause (pure).

A remedy's verdict depends on the truth *and* on what its refit shows, and never says that a
remedy works when its refit still warns:

- the truth's best remedy: 100 (make_round keeps only data on which its refit is clean);
- simplifying or dropping the correlation when that is not the cure: 50 when the refit has
  no message (it silences the warning but gives up something the truth says is real), else 0;
- rescaling a model whose trouble is not scale: 0 (same model in other units, still warns);
- other optimizers: 25 for a badly scaled fit (a sound check of a gradient warning, not a
  cure), 0 for a singular fit (the boundary *is* the optimum);
- changing the reference level (there is no factor predictor) and deleting data: 0.
"""

from __future__ import annotations

from ..base import Option
from .fits import sig

__all__ = ["BEST", "CAUSE_OF", "CAUSES", "remedy_verdicts", "cause_options", "cause_verdict",
           "SLOPE_WORDS"]

BEST = {"scale": "center_scale", "singular": "simplify", "overparameterized": "drop_correlation"}
CAUSE_OF = {"scale": "scale", "singular": "zero_variance", "overparameterized": "too_many"}
CAUSES = {
    "scale": "The predictor's numbers are large and far from zero, so the model's parameters "
             "differ by orders of magnitude",
    "zero_variance": "Schools hardly differ in a slope: the data cannot support that variance",
    "too_many": "Too many variances and correlations for this few schools",
    "optimizer": "The optimizer stopped too early: model and data are fine",
}
SLOPE_WORDS = {"(Intercept)": "intercept"}


def _v(points: int, code: str | None, feedback: str) -> dict:
    return {"points": points, "code": code, "feedback": feedback}


def remedy_verdicts(problem, original, refits, truth, options, predictors) -> dict:
    """{remedy: {"points", "code", "feedback"}} for every offered remedy."""
    make = {"center_scale": _center_scale, "relevel": _relevel,
            "drop_correlation": _drop_correlation, "simplify": _simplify,
            "optimizers": _optimizers, "drop_data": _drop_data}
    args = {"problem": problem, "original": original, "refits": refits, "truth": truth,
            "x": predictors}
    return {key: make[key](**args) for key in options}


def _quote(fit: dict) -> str:
    parts = fit["said"].split("; ")
    return f"'{parts[0]}'" + (f" and {len(parts) - 1} more" if len(parts) > 1 else "")


def _school_sds(truth: dict) -> dict:
    return truth["varcomp"]["school"]


# ----- one function per remedy --------------------------------------------------------------
def _center_scale(problem, original, refits, truth, x):
    fit = refits["center_scale"]
    if problem == "scale":
        return _v(100, None,
                  "Right: R asks 'Rescale variables?', and income (in the thousands, far "
                  "from zero) is the cause. After scale(income) the refit has no message, and "
                  f"in income units it is the same model (income's slope {sig(fit['fixef'][x[0]])}"
                  f", maximal fit {sig(original['fixef'][x[0]])}).")
    what = " and ".join(x) + (" are" if len(x) > 1 else " is")
    if not fit["warns"]:
        return _v(50, "rescale_for_singular",
                  f"The message happens to go away, but {what} already standardized: "
                  "rescaling is the same model in other units, so it cannot create the "
                  "variance the data lack.")
    return _v(0, "rescale_for_singular",
              f"{what.capitalize()} already standardized, and rescaling gives the same model "
              f"in other units: the refit still says {_quote(fit)}. A singular fit is about "
              "what the data can support, not about units.")


def _relevel(problem, original, refits, truth, x):
    fit = refits["relevel"]
    if problem == "scale":
        return _v(0, "relevel_for_scale",
                  "The reference level says what the intercept means for a *factor*, and this "
                  "model has no factor predictor: releveling school, the grouping factor, "
                  f"refits the same model, which still warns ({_quote(fit)}). The numeric "
                  "way to move the intercept to the data is centering income.")
    return _v(0, "relevel_for_singular",
              "The reference level only matters for factor predictors, and this model has "
              "none: releveling school, the grouping factor, refits the same model, which "
              f"still warns ({_quote(fit)}). A singular fit is about the random-effect "
              "variances, which no relabelling changes.")


def _drop_correlation(problem, original, refits, truth, x):
    fit = refits["drop_correlation"]
    sds = _school_sds(truth)
    if problem == "overparameterized":
        slopes = ", ".join(sig(fit["sd"][c]) for c in x)
        return _v(100, None,
                  f"Right: {truth['n_groups']} schools cannot pin down 6 variance parameters. "
                  "Without the 3 correlations the refit has no message and keeps both slope "
                  f"variances, which are real (estimated SDs {slopes}; simulation 4 and 4).")
    if problem == "scale":
        start = ("The message goes away here, but" if not fit["warns"] else
                 f"Without the correlation the refit still says {_quote(fit)}:")
        return _v(50 if not fit["warns"] else 0, "drop_correlation_for_scale",
                  f"{start} in raw units the intercept (a school's score at income 0) and the "
                  f"slope really are correlated (simulation: {sig(sds['cor'], 2)}), because "
                  "income 0 is far from the data. Centering moves zero to the data and removes "
                  "the cause.")
    if not fit["warns"]:
        return _v(50, "kept_zero_variance",
                  "The message goes away, but the model keeps a motivation-slope variance "
                  f"(estimated SD {sig(fit['sd'][x[0]])}) that the simulation set to 0. "
                  "(1 | school) drops what the data cannot support.")
    return _v(0, "kept_zero_variance",
              f"With || the refit still says {_quote(fit)}: the slope variance itself is "
              "(nearly) zero, not just the correlation. (1 | school) drops it.")


def _se_clause(best: dict, simple: dict, name: str) -> str:
    a, b = best["se"][name], simple["se"][name]
    if b < 0.9 * a:
        return (f" Without the random slope, {name}'s standard error shrinks from {sig(a)} to "
                f"{sig(b)}: overconfident.")
    return ""


def _simplify(problem, original, refits, truth, x):
    fit = refits["simplify"]
    if problem == "singular":
        return _v(100, None,
                  "Right: the singular fit says the data cannot support a motivation slope "
                  "that varies between schools (the simulation's SD is 0). (1 | school) "
                  "refits without a message.")
    best = refits[BEST[problem]]
    if problem == "scale":
        real = (f"the simulation gave schools really different income slopes (SD "
                f"{sig(_school_sds(truth)['sd_income'])} per unit of income)")
        cure = "Centering and scaling income keeps the slope."
    else:
        real = "the simulation gave schools really different slopes for both (SDs 4 and 4)"
        cure = "Dropping only the correlations (||) keeps them."
    if fit["warns"]:
        return _v(0, "simplify_hides_real_slope",
                  f"(1 | school) still says {_quote(fit)}, and {real}. {cure}")
    return _v(50, "simplify_hides_real_slope",
              f"The message goes away, but (1 | school) pretends every school shares one "
              f"slope, while {real}.{_se_clause(best, fit, x[0])} {cure}")


def _optimizers(problem, original, refits, truth, x):
    if problem == "scale":
        return _v(25, "optimizer_for_scale",
                  "Trying other optimizers (allFit) is a sound check of a gradient warning, "
                  "but not a cure: the messages come from income's scale, which no optimizer "
                  "changes. See the allFit table below, and compare with centering and "
                  "scaling.")
    return _v(0, "optimizer_for_singular",
              "A singular fit is not an optimizer failure: the likelihood really is highest "
              "on the boundary, so every optimizer ends up there (see the allFit table "
              "below). Change the model instead.")


def _drop_data(problem, original, refits, truth, x):
    fit = refits["drop_data"]
    school = fit["dropped"]
    lost = f"{original['nobs'] - fit['nobs']} of {original['nobs']} pupils"
    if fit["warns"]:
        head = f"Deleting {school} does not help (the refit still says {_quote(fit)}), "
    else:
        head = (f"Deleting {school} happens to silence the message here, but only by "
                "changing the data; ")
    return _v(0, "drop_data_to_converge",
              f"{head}and it throws away {lost}. A warning describes the model, not bad "
              "data: change the model, not the data.")


# ----- the cause (tricky) ----------------------------------------------------------------------
def cause_options(predictors) -> tuple:
    words = dict(CAUSES)
    if predictors == ["income"]:
        words["scale"] = ("Income's numbers are large and far from zero, so the model's "
                          "parameters differ by orders of magnitude")
    return tuple(Option(k, w) for k, w in words.items())


def cause_verdict(problem: str, cause) -> dict | None:
    """{"points", "code", "feedback"} for a cause, None when no cause was given."""
    if not isinstance(cause, str) or cause not in CAUSES:
        return None
    right = CAUSE_OF[problem]
    if cause == right:
        return _v(100, None, "The cause is right.")
    if cause == "optimizer":
        return _v(0, "blamed_optimizer",
                  "The cause is not the optimizer: the message comes from the model and "
                  "the data (the allFit table below refits with five optimizers).")
    if {cause, right} == {"zero_variance", "too_many"}:
        return _v(50, "confused_zero_variance_with_overfit",
                  "Close on the cause: both make a singular fit, but "
                  + ("here the slope variance is really zero." if right == "zero_variance"
                     else "here the slopes really vary; it is the number of parameters "
                          "that is too large for so few schools."))
    if right == "scale":
        return _v(0, "missed_scale",
                  "The cause is income's scale (thousands, far from zero), not the variances.")
    return _v(0, "blamed_scale",
              "The cause is not scale: the predictors are already standardized.")
