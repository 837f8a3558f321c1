"""The convergence game's fits: the maximal model, each remedy's refit, and the numbers of every
fit in the original units of the data (pure: no streamlit).

A fit is summarised as a JSON-friendly dict (see :func:`summarize`), so that rounds can carry
them: formula, lme4's messages (and a short form), fixed effects with their standard errors,
random-effect SDs and correlations, residual SD and the REML log-likelihood.

After ``center_scale`` the model is the same model in other units, so its numbers are
translated back: fixed effects b_raw = T b with T = [[1, -m/s], [0, 1/s]] per scaled column
(m, s: the column's mean and SD), their covariance T V T', the random effects' covariance
T S T', and the REML log-likelihood minus sum(log s) (REML's log|X'V^-1 X| term changes by
2 log|det T| when X becomes X T^-1).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

import lmm_core

__all__ = ["REFITTED", "summarize", "short_messages", "refit", "unusual_school",
           "problem_shown", "fit_maximal", "sig"]

# Remedies refitted in make_round ("optimizers" is all_fit, run for the reveal only).
REFITTED = ("center_scale", "relevel", "drop_correlation", "simplify", "drop_data")
SINGULAR = "boundary (singular) fit"


def fit_maximal(formula: str, data: pd.DataFrame):
    """lmer with lme4's defaults (REML, bobyqa)."""
    return lmm_core.lmer(formula, data)


def problem_shown(fit, problem: str) -> bool:
    """Does the fit show the scenario's problem with lme4's words?

    "scale": the Hessian's "very large eigenvalue - Rescale variables?" (and not singular);
    "singular" and "overparameterized": "boundary (singular) fit".
    """
    if problem == "scale":
        return not fit.is_singular and any("very large eigenvalue" in m for m in fit.messages)
    return fit.is_singular


# ----- messages ---------------------------------------------------------------------------------
def _short(message: str) -> str:
    if message.startswith(SINGULAR):
        return "singular fit"
    if message.startswith("Model failed to converge with max|grad|"):
        grad = float(message.split("=")[1].split("(")[0])
        return f"failed to converge (max|grad| {sig(grad)})"
    if "very large eigenvalue" in message:
        return "very large eigenvalue"
    if "large eigenvalue ratio" in message:
        return "large eigenvalue ratio"
    if message.startswith("convergence code"):
        return "optimizer stopped early"
    return message.splitlines()[0].strip()


def short_messages(messages) -> str:
    """lme4's messages in a few words each, or "no message"."""
    return "; ".join(_short(m) for m in messages) or "no message"


# ----- numbers in the original units ------------------------------------------------------------
def _transform(names, scaling: pd.DataFrame | None) -> np.ndarray:
    """T with raw = T @ scaled for coefficients ``names`` (identity when nothing was scaled)."""
    t = np.eye(len(names))
    if scaling is None:
        return t
    for j, name in enumerate(names):
        if name in scaling.index and bool(scaling.loc[name, "scaled"]):
            mean, sd = float(scaling.loc[name, "mean"]), float(scaling.loc[name, "sd"])
            t[j, j] = 1.0 / sd
            if "(Intercept)" in names:
                t[list(names).index("(Intercept)"), j] = -mean / sd
    return t


def _random_parts(fit, scaling) -> tuple[dict, dict]:
    """SD per random-effect column and correlation per pair, in the original units."""
    groups: dict[str, list] = {}
    for grp, var1, var2, vcov, _ in fit.varcorr().itertuples(index=False, name=None):
        if grp != "Residual":
            groups.setdefault(grp, []).append((var1, var2, float(vcov)))
    sds, cors = {}, {}
    for rows in groups.values():
        names = [v1 for v1, v2, _ in rows if v2 == ""]
        cov = np.zeros((len(names), len(names)))
        for v1, v2, vcov in rows:
            i, j = names.index(v1), names.index(v2 or v1)
            cov[i, j] = cov[j, i] = vcov
        t = _transform(names, scaling)
        cov = t @ cov @ t.T
        sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        sds |= {n: float(s) for n, s in zip(names, sd, strict=True)}
        for j in range(len(names)):
            for i in range(j + 1, len(names)):
                denom = sd[i] * sd[j]
                cors[f"{names[j]}, {names[i]}"] = float(cov[i, j] / denom) if denom > 0 else None
    return sds, cors


def summarize(fit, *, formula: str, note: str = "", scaling: pd.DataFrame | None = None,
              comparable: bool = True, printout: bool = False) -> dict:
    """A fit as plain numbers in the original units (see the module docstring).

    ``comparable=False`` (another data set) leaves the log-likelihood out; ``printout=True``
    adds R's summary() text as "r_summary" (20 ms, so only for the fits a page prints).
    """
    names = list(fit.fixef.index)
    t = _transform(names, scaling)
    beta = t @ fit.fixef.to_numpy(dtype=float)
    se = np.sqrt(np.diag(t @ fit.vcov().to_numpy(dtype=float) @ t.T))
    sds, cors = _random_parts(fit, scaling)
    coef = fit.coef()["school"][names]
    school_coef = {str(s): dict(zip(names, (t @ row).tolist(), strict=True))
                   for s, row in zip(coef.index, coef.to_numpy(dtype=float), strict=True)}
    shift = 0.0 if scaling is None else float(np.log(scaling.loc[scaling["scaled"], "sd"]).sum())
    return {
        "formula": formula,
        "note": note,
        "messages": list(fit.messages),
        "said": short_messages(fit.messages),
        "warns": bool(fit.messages),
        "singular": bool(fit.is_singular),
        "fixef": {n: float(b) for n, b in zip(names, beta, strict=True)},
        "se": {n: float(s) for n, s in zip(names, se, strict=True)},
        "sd": sds,
        "cor": cors,
        "coef": school_coef,
        "sigma": float(fit.sigma),
        "loglik": float(fit.loglik - shift) if comparable else None,
        "nobs": int(fit.nobs),
        "n_groups": int(next(iter(fit.ngroups.values()))),
        "r_summary": str(fit.summary()) if printout else "",
    }


# ----- the remedies ---------------------------------------------------------------------------
def unusual_school(data: pd.DataFrame, predictor: str) -> str:
    """The school whose own least-squares slope on ``predictor`` is furthest from the median
    school's (the one a worried analyst would be tempted to delete)."""
    slopes = {s: float(np.polyfit(g[predictor].to_numpy(float), g["score"].to_numpy(float), 1)[0])
              for s, g in data.groupby("school", sort=True)}
    middle = float(np.median(list(slopes.values())))
    return max(slopes, key=lambda s: (abs(slopes[s] - middle), s))


def refit(key: str, formula: str, data: pd.DataFrame, predictors: list[str],
          printout: bool = False) -> dict:
    """Apply one remedy with lmm_core's helpers and refit; the summary in original units
    (and R's printout of the refit with ``printout=True``)."""
    if key == "center_scale":
        remedy = lmm_core.center_scale(formula, data)
        fit = lmm_core.lmer(remedy.formula, remedy.data)
        return summarize(fit, formula=remedy.formula, note=remedy.note, scaling=remedy.scaling,
                         printout=printout)
    if key == "relevel":
        last = sorted(data["school"].unique())[-1]
        remedy = lmm_core.relevel(formula, data, "school", last)
    elif key == "drop_correlation":
        remedy = lmm_core.drop_correlation(formula, data)
    elif key == "simplify":
        remedy = lmm_core.drop_random_slopes(formula, data)
    elif key == "drop_data":
        school = unusual_school(data, predictors[0])
        kept = data[data["school"] != school].reset_index(drop=True)
        fit = lmm_core.lmer(formula, kept)
        out = summarize(fit, formula=formula, comparable=False, printout=printout,
                        note=f"Deleted {school} ({int((data['school'] == school).sum())} pupils).")
        return out | {"dropped": school}
    else:
        raise ValueError(f"Unknown remedy {key!r}: choose one of {', '.join(REFITTED)}.")
    fit = lmm_core.lmer(remedy.formula, remedy.data)
    return summarize(fit, formula=remedy.formula, note=remedy.note, printout=printout)


def sig(value, digits: int = 3) -> str:
    """A number with ``digits`` significant digits for reading aloud (no exponent below 1e6)."""
    if value is None or not math.isfinite(value):
        return "–"
    if value == 0:
        return "0"
    decimals = max(digits - 1 - math.floor(math.log10(abs(value))), 0)
    rounded = round(value, decimals)  # 0.99999 -> 1.00 has one digit less to show: 1.0
    if rounded != 0:
        decimals = max(digits - 1 - math.floor(math.log10(abs(rounded))), 0)
    return f"{rounded:.{decimals}f}"
