"""The "try other optimizers" remedy: lme4's allFit on the round's maximal model (pure).

all_fit refits with lme4's allFit optimizers (five of its seven; under 0.1 s on these
models), so this is not part of make_round (which stays under 300 ms): it is the game's
slow reveal (GameSpec.slow), which the round loop runs once per round after the answer.
The result is a pure function of the round.
"""

from __future__ import annotations

import pandas as pd

import lmm_core
from lmm_core.optimize import ALL_FIT

from ..base import Round
from .fits import sig, summarize
from .reveal import coef_words

__all__ = ["optimizer_reveal", "OPTIMIZER_WORDS", "NOT_PORTED"]

DEFAULT_IN_ALL_FIT = "nloptwrap.NLOPT_LN_BOBYQA"  # what lmer() uses: optimizer = "nloptwrap"

# lme4's own names, as summary(allFit(fit)) prints them; lmer's default marked
OPTIMIZER_WORDS = {name: name for name in ALL_FIT} | {
    DEFAULT_IN_ALL_FIT: f"{DEFAULT_IN_ALL_FIT} (lmer's default)"}
# in lme4's allFit list, but from R packages this app has no port of
NOT_PORTED = ("nlminbwrap", "nmkbw")
AGREE = 0.01  # log-likelihood units: closer than this counts as the same optimum


def _row(name: str, fit: dict | None, error: list[str], seconds: float, re_names) -> dict:
    row = {"optimizer": OPTIMIZER_WORDS.get(name, name)}
    if fit is None:
        return row | {"still warns?": "failed", "R says": "; ".join(error)}
    row |= {"still warns?": "yes" if fit["warns"] else "no", "R says": fit["said"]}
    row |= {n: sig(b, 4) for n, b in fit["fixef"].items()}
    row |= {f"SD {coef_words(c)}": sig(fit["sd"].get(c), 4) for c in re_names}
    row["correlations"] = ", ".join(sig(r, 3) for r in fit["cor"].values())
    row["residual SD"] = sig(fit["sigma"], 4)
    row["log-likelihood"] = f"{fit['loglik']:.3f}"
    row["seconds"] = f"{seconds:.2f}"
    return row


def optimizer_reveal(round_: Round, progress=None) -> dict:
    """allFit on the round's maximal model: a table, the points for a chart, the words, the
    numbers, and a summary row for the remedies table ("row"). ``progress(done, total)`` hears
    of the start and the end (all_fit reports nothing in between)."""
    if progress is not None:
        progress(0, 1)
    ctx = round_.context
    fit = lmm_core.lmer(ctx["formula"], round_.data)
    result = lmm_core.all_fit(fit)
    fits = {n: summarize(f, formula=ctx["formula"]) for n, f in result.fits.items()
            if f is not None}
    re_names = list(round_.reveal.details["original"]["sd"])
    table = pd.DataFrame([_row(n, fits.get(n), result.messages[n], result.times[n], re_names)
                          for n in result.fits])
    ok = list(fits)
    warn = [n for n in ok if fits[n]["warns"]]
    lls = {n: fits[n]["loglik"] for n in ok}
    top = max(lls, key=lls.get)
    numbers = {"n_optimizers": len(result.fits), "n_ok": len(ok), "n_warn": len(warn),
               "loglik_min": min(lls.values()), "loglik_max": max(lls.values()),
               "loglik_spread": max(lls.values()) - min(lls.values()),
               "agree": bool(result.agree())}
    points = pd.DataFrame({
        "optimizer": list(ok),  # lme4's names, short enough for a phone's axis
        "loglik": [lls[n] for n in ok],
        "status": ["still warns" if fits[n]["warns"] else "no message" for n in ok],
        "said": [fits[n]["said"] for n in ok],
    })
    row = fits[top] | {
        "said": f"{len(warn)} of {len(ok)} optimizers still warn; highest logLik "
                f"({OPTIMIZER_WORDS[top]}): {fits[top]['said']}",
        "warns": bool(warn),
        "model": "same formula, refitted with each of "
                 f"{len(result.fits)} optimizers (numbers: {OPTIMIZER_WORDS[top]})",
    }
    text = _explanation(round_, fits, warn, numbers)
    if progress is not None:
        progress(1, 1)
    return {"table": table, "points": points, "explanation": text, "numbers": numbers,
            "row": row}


def _names(names) -> str:
    words = [OPTIMIZER_WORDS[n] for n in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _agreement(fits: dict, numbers: dict) -> str:
    if numbers["loglik_spread"] < AGREE:
        return (f"their log-likelihoods agree to within {AGREE} "
                f"({numbers['loglik_max']:.3f})")
    low = [n for n in fits if fits[n]["loglik"] < numbers["loglik_max"] - AGREE]
    return (f"their log-likelihoods range from {numbers['loglik_min']:.3f} to "
            f"{numbers['loglik_max']:.3f}: {_names(low)} "
            f"{'stops' if len(low) == 1 else 'stop'} short of the top")


def _singular_why(fits: dict, warn: list[str], numbers: dict) -> str:
    """Why no optimizer cures a singular fit, with what each optimizer did."""
    singular = [n for n in fits if fits[n]["singular"]]
    why = (f"**Why no optimizer fixes it.** {len(singular)} of {numbers['n_ok']} optimizers "
           "end on the boundary: a singular fit is where the likelihood really peaks, so there "
           "is no better spot for any optimizer to find.")
    top = numbers["loglik_max"]
    inside = [n for n in fits if not fits[n]["singular"]
              and fits[n]["loglik"] >= top - AGREE]
    gradient = [n for n in inside if n in warn]
    quiet = [n for n in inside if n not in warn]
    if gradient:
        why += (f" {_names(gradient)} {'stops' if len(gradient) == 1 else 'stop'} a hair "
                "inside the boundary and reports a small gradient instead, at the same "
                "estimates.")
    if quiet:
        why += (f" {_names(quiet)} {'stops' if len(quiet) == 1 else 'stop'} a hair inside "
                "the boundary, where lme4's singularity check (a variance parameter below "
                "0.0001) does not fire, so R stays silent; but the estimates and the "
                "log-likelihood are the same, and so is the problem.")
    return why + " Change the model, not the optimizer."


def _explanation(round_: Round, fits: dict, warn: list[str], numbers: dict) -> str:
    problem = round_.context["problem"]
    n_ok, clean = numbers["n_ok"], [n for n in fits if n not in warn]
    head = (f"**{numbers['n_optimizers']} optimizers, one model.** {len(warn)} of {n_ok} "
            "optimizers still warn")
    if clean:
        head += f" ({_names(clean)} {'finishes' if len(clean) == 1 else 'finish'} without one)"
    head += f", and {_agreement(fits, numbers)}."
    if problem == "scale":
        best = round_.reveal.details["refits"]["center_scale"]
        if clean:
            top = max(fits[n]["loglik"] for n in clean)
            head += (f" Finishing without a message is luck here: {_names(clean)} reaches a "
                     f"log-likelihood of {top:.3f}, against {numbers['loglik_max']:.3f} at "
                     "best.")
        slopes = [fits[n]["sd"]["income"] for n in fits]
        why = (
            "**Why no optimizer fixes it.** The eigenvalue check looks at the shape of the "
            "deviance, and that shape belongs to the model in raw units, not to the optimizer. "
            f"The income-slope SD ranges from {sig(min(slopes))} to {sig(max(slopes))} across "
            "optimizers: on a badly scaled surface each stops somewhere else along a long, "
            "flat valley. After centering and scaling, the default optimizer alone reaches a "
            f"log-likelihood of {best['loglik']:.3f} (in income units) with "
            f"{'no message' if not best['warns'] else repr(best['said'])}.")
    else:
        why = _singular_why(fits, warn, numbers)
    lesson = ("**When allFit does help.** If a *gradient* warning appears on a well-scaled, "
              "non-singular model and all optimizers agree, the warning was a false alarm "
              "and the estimates can be trusted.")
    if len(warn) == n_ok:
        lesson += " Here every optimizer warns: the trouble is real."
    which = (f"These are lme4's allFit() optimizers under lme4's names; allFit() in R also "
             f"tries {' and '.join(NOT_PORTED)}, from R packages this app has no version of.")
    return "\n\n".join([head, why, lesson, which])
