"""The convergence game's reveal: what R's message means, why it happens here, what the truth
is, and what every remedy's refit shows, with the fitted numbers (pure: no streamlit).

All numbers are in the data's own units; the center-and-scale refit is translated back (see
fits.py), so that its rows can be read beside the others.
"""

from __future__ import annotations

import pandas as pd

from ..base import Reveal
from .fits import sig

__all__ = ["build_reveal", "remedy_table", "table_row", "truth_row", "LABELS", "coef_words"]

LABELS = {
    "original": "your model (maximal)",
    "center_scale": "center and scale",
    "relevel": "change the reference level",
    "drop_correlation": "drop the correlations (||)",
    "simplify": "simplify to (1 | school)",
    "optimizers": "other optimizers (allFit)",
    "drop_data": "delete the most unusual school",
    "truth": "truth (the simulation)",
}
ORDER = ("original", "center_scale", "relevel", "drop_correlation", "simplify", "optimizers",
         "drop_data")


def coef_words(name: str) -> str:
    """'(Intercept)' -> 'intercepts', 'income' -> 'income slopes'."""
    return "intercepts" if name == "(Intercept)" else f"{name} slopes"


def _pair_words(pair: str) -> str:
    a, b = pair.split(", ")
    return f"{coef_words(a)} and {coef_words(b)}"


# ----- the table --------------------------------------------------------------------------------
def table_row(label: str, fit: dict, re_names: list[str], model: str | None = None) -> dict:
    """One row of the remedies table (text cells, numbers to 3 significant digits)."""
    row = {"remedy": label, "still warns?": "yes" if fit["warns"] else "no",
           "R says": fit["said"]}
    model = model or fit["formula"]
    row |= {f"{n} (SE)": f"{sig(b)} ({sig(fit['se'][n], 2)})" for n, b in fit["fixef"].items()}
    row |= {f"SD {coef_words(c)}": sig(fit["sd"][c]) if c in fit["sd"] else "–"
            for c in re_names}
    cors = [sig(r, 2) for r in fit["cor"].values()]
    row["correlations"] = ", ".join(cors) if cors else ("none (||)" if "||" in model else "–")
    row["residual SD"] = sig(fit["sigma"])
    row["log-likelihood"] = (f"{fit['loglik']:.3f}" if fit["loglik"] is not None
                             else "other data")
    row["model"] = model
    return row


def truth_row(truth: dict, re_names: list[str]) -> dict:
    school = truth["varcomp"]["school"]
    row = {"remedy": LABELS["truth"], "still warns?": "", "R says": ""}
    row |= {f"{n} (SE)": sig(b) for n, b in truth["fixef"].items()}
    row |= {f"SD {coef_words(c)}": sig(school[f"sd_{c}"]) for c in re_names}
    cors = [sig(v, 2) for k, v in school.items() if k.startswith("cor")]
    row["correlations"] = ", ".join(cors)
    row["residual SD"] = sig(truth["varcomp"]["residual_sd"])
    row["log-likelihood"] = ""
    row["model"] = "what generated the data"
    return row


def remedy_table(original: dict, refits: dict, truth: dict, extra: dict | None = None
                 ) -> pd.DataFrame:
    """Rows: the maximal fit, each remedy's refit (``extra`` adds rows such as the allFit
    summary), and the truth."""
    re_names = list(original["sd"])
    formulas = truth["remedy_formulas"]
    fits = {"original": original} | refits | (extra or {})
    models = {"center_scale": formulas["center_scale"] + "  (numbers in original units)",
              "relevel": "same formula; " + refits["relevel"]["note"],
              "drop_data": f"same formula, without {refits['drop_data']['dropped']}"}
    rows = [table_row(LABELS[k] if k != "drop_data" else f"delete {fits[k]['dropped']}",
                      fits[k], re_names, models.get(k, fits[k].get("model")))
            for k in ORDER if k in fits]
    rows.append(truth_row(truth, re_names))
    return pd.DataFrame(rows)


# ----- the words --------------------------------------------------------------------------------
def _boundary(fit: dict) -> str:
    """Where a singular fit sits on the boundary, in words."""
    parts = [f"the correlation between {_pair_words(p)} is {r:.2f}"
             for p, r in fit["cor"].items() if r is not None and abs(r) > 0.99]
    parts += [f"the SD of the {coef_words(c)} is {sig(s)}, practically zero"
              for c, s in fit["sd"].items() if s < 0.01 * fit["sigma"]]
    if not parts:
        return ("one combination of the school intercepts and slopes has zero variance: "
                "their covariance matrix is not of full rank")
    return "; ".join(parts)


def _meaning(problem: str, original: dict) -> str:
    if problem != "scale":
        return ("**What R is telling you.** 'boundary (singular) fit' means the estimated "
                "covariance of the school effects sits on the edge of what is possible: here "
                f"{_boundary(original)}. The model asks for more than the data can tell.")
    grad = [m for m in original["messages"] if "max|grad|" in m]
    head = "**What R is telling you.** "
    if grad:
        head += (f"'{original['said'].split(';')[0]}' means the optimizer stopped where the "
                 "deviance still slopes; ")
    return (head + "'very large eigenvalue - Rescale variables?' means the deviance is "
            "extremely curved in one direction and nearly flat in another. Both point at the "
            "units of the predictors, and R even names the cure.")


def _scale_words(original, refits, truth, data) -> list[str]:
    sd0, sd1 = original["sd"]["(Intercept)"], original["sd"]["income"]
    cor = next(iter(original["cor"].values()))
    cs = refits["center_scale"]
    mean, spread = data["income"].mean(), data["income"].std(ddof=1)
    higher = cs["loglik"] - original["loglik"]
    gap = (f" ({sig(higher, 2)} higher: the original optimizer had stopped short of the top)"
           if higher > 1e-3 else " (the same)")
    school, centred = truth["varcomp"]["school"], truth["varcomp_centered"]["school"]
    return [
        f"**Why.** Income runs from {data['income'].min()} to {data['income'].max()}, so the "
        "intercept is a school's score at income 0, far below the poorest family (and "
        f"{mean:.0f} below the average one). "
        "Traced back that far, a small difference in slopes becomes a huge difference in "
        f"intercepts: the fit has an intercept SD of {sig(sd0)} and an income-slope SD of "
        f"{sig(sd1)}, tied together by a correlation of {sig(cor, 2)}. The optimizer must "
        "tune numbers that differ by orders of magnitude.",
        f"**The cure: center and scale.** scale(income) puts zero at the average family "
        f"({mean:.0f}) and measures income in SDs ({spread:.0f}). It is the same model in "
        f"other units: the refit has {_no_message(cs)}, and translated back to income units "
        f"its income slope is {sig(cs['fixef']['income'])} (maximal: "
        f"{sig(original['fixef']['income'])}) and its log-likelihood {cs['loglik']:.3f} "
        f"(maximal: {original['loglik']:.3f}){gap}.",
        f"**What the simulation put in.** Schools differ in their average score (SD "
        f"{sig(centred['sd_(Intercept)'])} at income {truth['centered_at']:.0f}) and in their "
        f"income slope (SD {sig(centred['sd_income'])} per unit), independently. Seen from "
        f"income 0 that is an intercept SD of {sig(school['sd_(Intercept)'])} and a "
        f"correlation of {sig(school['cor'], 2)}: real, but lopsided in raw units.",
        "**The other remedies.**\n"
        "- *Change the reference level:* that is the factor version of moving zero; income "
        "is a number, so centering is its numeric version. Releveling school, the grouping "
        f"factor, refits the same model, which still warns: {_said(refits['relevel'])}.\n"
        f"- *Drop the correlation:* {_said(refits['drop_correlation'])}; in raw units that "
        "correlation is real.\n"
        f"- *Simplify to (1 | school):* {_said(refits['simplify'])}, but it pretends every "
        "school shares one income slope.",
    ]


def _said(fit: dict) -> str:
    """What a refit says, for prose: its first message (and how many more)."""
    if not fit["warns"]:
        return "no message"
    parts = fit["said"].split("; ")
    more = f" and {len(parts) - 1} more" if len(parts) > 1 else ""
    return f"'{parts[0]}'{more}"


def _no_message(fit: dict) -> str:
    return "no message" if not fit["warns"] else f"the message {_said(fit)}"


def _singular_words(original, refits, truth, x) -> list[str]:
    best = refits["simplify"]
    dc = refits["drop_correlation"]
    b, b0 = best["fixef"][x], original["fixef"][x]
    dc_words = (f"leaves a slope variance the simulation set to 0 (estimated SD "
                f"{sig(dc['sd'][x])}), though R no longer complains" if not dc["warns"] else
                f"still says {_said(dc)}: the slope variance itself is (nearly) zero")
    return [
        f"**Why.** With only {original['n_groups']} schools, the model estimates 3 numbers "
        "about how schools differ (2 SDs and a correlation). Schools barely differ in their "
        "motivation slope, so the likelihood is highest on the edge: that is the estimate, "
        "not a failure to find it.",
        f"**The cure: simplify.** (1 | school) drops what the data cannot support. The refit "
        f"has {_no_message(best)}; motivation's effect is {sig(b)} (SE "
        f"{sig(best['se'][x], 2)}), against {sig(b0)} (SE {sig(original['se'][x], 2)}) in "
        "the maximal model.",
        "**What the simulation put in.** Schools differ in their average score (SD "
        f"{sig(truth['varcomp']['school']['sd_(Intercept)'])}) but not at all in their "
        "motivation slope (SD 0): the simpler model is the true one.",
        "**The other remedies.**\n"
        "- *Center and scale:* the same model in other units, so it stays singular "
        f"({_said(refits['center_scale'])}).\n"
        f"- *Drop the correlation:* it {dc_words}.\n"
        "- *Change the reference level:* there is no factor predictor; releveling school "
        f"refits the same model, which still warns ({_said(refits['relevel'])}).",
    ]


def _overparameterized_words(original, refits, truth, x) -> list[str]:
    best, simple = refits["drop_correlation"], refits["simplify"]
    sds = ", ".join(f"{coef_words(c)} {sig(s)}" for c, s in best["sd"].items())
    se_best, se_simple = best["se"][x[0]], simple["se"][x[0]]
    shrink = (f" and {x[0]}'s standard error shrinks from {sig(se_best, 2)} to "
              f"{sig(se_simple, 2)}: overconfident" if se_simple < 0.9 * se_best else "")
    return [
        f"**Why.** (1 + motivation + anxiety | school) asks {original['n_groups']} schools "
        "for 6 numbers: 3 SDs and 3 correlations. A correlation estimated from "
        f"{original['n_groups']} schools is little more than a guess, and the 6 cannot all be "
        "pinned down.",
        f"**The cure: drop the correlations.** (1 + motivation + anxiety || school) keeps the "
        f"3 SDs and drops the 3 correlations. The refit has {_no_message(best)}; SDs: {sds}.",
        "**What the simulation put in.** Schools differ in intercepts (SD 6), motivation "
        "slopes (SD 4) and anxiety slopes (SD 4), independently (all correlations 0): "
        "exactly the || model.",
        "**The other remedies.**\n"
        f"- *Simplify to (1 | school):* {_said(simple)}, but it throws away two slope "
        f"variances that are really there{shrink}.\n"
        "- *Center and scale:* the same model in other units "
        f"({_said(refits['center_scale'])}).\n"
        "- *Change the reference level:* there is no factor predictor; releveling school "
        f"refits the same model, which still warns ({_said(refits['relevel'])}).",
    ]


def _closing(refits: dict) -> str:
    dropped = refits["drop_data"]
    return (f"**Deleting data is no remedy.** Without {dropped['dropped']} the refit says "
            f"{_said(dropped)}; either way the model would then describe other data. A "
            "message is about the model you asked for, so change the model.")


def build_reveal(problem, original, refits, truth, data, verdicts) -> Reveal:
    """The static reveal (the allFit part is computed on demand: optimizers.py)."""
    x = [c for c in original["fixef"] if c != "(Intercept)"]
    if problem == "scale":
        body = _scale_words(original, refits, truth, data)
    elif problem == "singular":
        body = _singular_words(original, refits, truth, x[0])
    else:
        body = _overparameterized_words(original, refits, truth, x)
    text = "\n\n".join([_meaning(problem, original), *body, _closing(refits)])
    best = {"scale": "center_scale", "singular": "simplify",
            "overparameterized": "drop_correlation"}[problem]
    numbers = {"loglik_original": original["loglik"], "loglik_best": refits[best]["loglik"],
               "sigma_original": original["sigma"]}
    numbers |= {f"sd_original_{c}": s for c, s in original["sd"].items()}
    numbers |= {f"sd_best_{c}": s for c, s in refits[best]["sd"].items()}
    details = {
        "original": original,
        "refits": refits,
        "best": best,
        "truth": truth,
        "points": {k: v["points"] for k, v in verdicts.items()},
    }
    tables = {"remedies": remedy_table(original, refits, truth)}
    return Reveal(text, numbers, tables, details)
