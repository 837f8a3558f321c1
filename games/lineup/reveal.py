"""The lineup's reveal: the shown model beside a better one, and the real data marked up.

Each problem has its own "better model":

- outliers: the same model without the outlying measurements or participants;
- mixture: the group as a fixed effect, ``value ~ 1 + condition + group + (1 | participant)``
  (compared by AIC from maximum-likelihood refits, as R's anova() does: REML criteria of
  models with different fixed effects cannot be compared);
- unequal variances: one fit per site, which shows how different the SDs are (lme4 has no
  per-site variances; nlme's varIdent or glmmTMB would model them);
- nothing: the fitted model beside the truth the data were simulated from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import lmm_core

from ..base import Reveal
from .signal import N_NULL

__all__ = ["build_reveal", "model_column", "marked_data", "printouts", "visibility_words",
           "MODEL"]

MODEL = "value ~ 1 + condition + (1 | participant)"


def model_column(fit) -> pd.Series:
    """The numbers of one fit that the side-by-side table shows, by row name."""
    out = {f"fixed: {k}": v for k, v in fit.fixef.items()}
    vc = fit.varcorr()
    for _, row in vc.iterrows():
        if row["var2"] == "":
            name = "SD residual" if row["grp"] == "Residual" else f"SD {row['grp']}"
            out[name] = row["sdcor"]
    out["REML criterion"] = fit.objective
    return pd.Series(out, dtype=float)


def _table(columns: dict[str, pd.Series]) -> pd.DataFrame:
    table = pd.DataFrame(columns)
    order = [r for r in table.index if r.startswith("fixed")] + [
        r for r in table.index if r.startswith("SD")] + [
        r for r in table.index if not r.startswith(("fixed", "SD"))]
    table = table.loc[order]
    table.index.name = "quantity"
    return table


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _sd(fit, group: str = "participant") -> float:
    vc = fit.varcorr()
    row = vc[(vc["grp"] == group) & (vc["var2"] == "")]
    return float(row["sdcor"].iloc[0])


def build_reveal(problem: str, scenario, fit, seen: dict | None = None) -> Reveal:
    """The Reveal for one lineup round; ``seen`` is the round's measured signal (see
    games.lineup.signal), told in words after the explanation."""
    build = {"outliers": _outliers, "mixture": _mixture,
             "unequal_variances": _unequal, "nothing": _nothing}[problem]
    out = build(scenario, fit)
    if seen is None:
        return out
    numbers = dict(out.numbers) | {"signal_p": seen["p"], "signal_z": seen["z"]}
    return Reveal(out.explanation + "\n\n" + visibility_words(seen), numbers, out.tables,
                  out.details)


def visibility_words(seen: dict) -> str:
    """How clearly the real panel showed its problem, as a visual p-value in plain words."""
    beaten = round(seen["p"] * (N_NULL + 1)) - 1
    head = (f"**How visible was it?** Measured by the {seen['statistic']}, ")
    if beaten == 0:
        return head + (f"the real panel went beyond all {N_NULL} panels simulated from the model "
                       f"(a visual p-value of {seen['p']:.3f}): a clear signal.")
    return head + (f"{beaten} of {N_NULL} panels simulated from the model went as far as the real "
                   f"one (a visual p-value of {seen['p']:.3f}): the more fakes that match it, "
                   "the harder the real panel is to spot.")


def printouts(problem: str, real: pd.DataFrame) -> dict:
    """R's print(summary(fit)) of the reveal's models, refitted from the real data as marked
    by :func:`marked_data` (~15 ms a model plus its printout: pages call this on demand and
    cache it, so make_round stays quick)."""
    fits = {"shown model": lmm_core.lmer(MODEL, real)}
    marks = real["mark"].astype(str)
    if problem == "outliers":
        fits["without the outliers"] = lmm_core.lmer(MODEL, real[marks != "outlier"])
    elif problem == "mixture":
        grouped = real.assign(group=marks.str.removeprefix("group: "))
        fits["with the group term"] = lmm_core.lmer(
            "value ~ 1 + condition + group + (1 | participant)", grouped)
    elif problem == "unequal_variances":
        for site in sorted(marks.unique()):
            fits[f"{site} alone"] = lmm_core.lmer(MODEL, real[marks == site])
    return {name: str(fit.summary()) for name, fit in fits.items()}


def _outliers(scenario, fit) -> Reveal:
    truth, data = scenario.truth, scenario.data
    rows = truth["altered_rows"]
    clean = data.drop(index=data.index[rows])
    refit = lmm_core.lmer(MODEL, clean)
    who = truth["outlier_participants"]
    what = (f"{_count(len(who), 'participant')} ({', '.join(who)})"
            if truth["kind"] == "participants" else _count(len(rows), "measurement"))
    shift = np.abs(data["value"].to_numpy()[rows] - np.asarray(truth["original_values"]))
    num = {"sd_resid_with": fit.sigma, "sd_resid_without": refit.sigma,
           "sd_part_with": _sd(fit), "sd_part_without": _sd(refit),
           "effect_with": fit.fixef["conditiontreatment"],
           "effect_without": refit.fixef["conditiontreatment"], "shift": float(shift.mean())}
    key, which = (("part", "participant SD (how much baselines differ)")
                  if truth["kind"] == "participants"
                  else ("resid", "residual SD (how much single measurements scatter)"))
    num["sd_affected_with"], num["sd_affected_without"] = (num[f"sd_{key}_with"],
                                                           num[f"sd_{key}_without"])
    text = "\n\n".join([
        f"**Outliers.** In the real data, {what} sat about {num['shift']:.0f} units away from "
        "where the rest of the study would put them.",
        "The model's participant and residual distributions are normal, so values that far "
        "from the rest are rare in data simulated from it. The outliers also inflate the "
        "model's SDs, so the fakes spread a little wider than they should: look for points "
        "cut off from the crowd, not just for a wide spread.",
        f"The outliers inflate the {which}: {num['sd_affected_with']:.1f} with them, "
        f"{num['sd_affected_without']:.1f} without. The treatment effect moves from "
        f"{num['effect_with']:.1f} to {num['effect_without']:.1f}.",
        "What to do: check those values first (a typo? a participant who misunderstood?). "
        "Never drop data silently: report the analysis with and without them.",
    ])
    table = _table({"shown model, all data": model_column(fit),
                    "same model, outliers removed": model_column(refit)})
    return Reveal(text, num, {"side_by_side": table})


def _mixture(scenario, fit) -> Reveal:
    data, truth = scenario.data, scenario.truth
    good = lmm_core.lmer(scenario.formula, data)
    ml_shown = lmm_core.lmer(MODEL, data, reml=False)
    ml_good = lmm_core.lmer(scenario.formula, data, reml=False)
    num = {"sd_part_shown": _sd(fit), "sd_part_better": _sd(good),
           "group_effect": good.fixef["grouphigh"], "aic_shown": ml_shown.aic,
           "aic_better": ml_good.aic, "n_high": truth["group_sizes"]["high"],
           "n_average": truth["group_sizes"]["average"]}
    text = "\n\n".join([
        f"**A hidden mixture.** The real participants came from two kinds of people: "
        f"{num['n_average']} 'average' and {num['n_high']} 'high', whose typical values differ "
        f"by about {abs(num['group_effect']):.0f} units.",
        "The shown model says every participant's baseline comes from *one* normal "
        "distribution, so its simulated participants form one cloud. The real panel shows "
        "two clusters of participants, one above the other.",
        f"The model squeezes the group difference into the participant SD: "
        f"{num['sd_part_shown']:.1f} without the group term, {num['sd_part_better']:.1f} with "
        f"it (`{scenario.formula}`).",
        f"Comparing the two models (maximum-likelihood refits, as `anova()` does): AIC "
        f"{num['aic_shown']:.1f} without the group, {num['aic_better']:.1f} with it; lower is "
        "better. The REML criteria in the table cannot be compared because the fixed effects "
        "differ.",
    ])
    table = _table({"shown model": model_column(fit), "with the group term": model_column(good)})
    table.loc["AIC (ML refit)"] = [num["aic_shown"], num["aic_better"]]
    return Reveal(text, num, {"side_by_side": table})


def _unequal(scenario, fit) -> Reveal:
    data, truth = scenario.data, scenario.truth
    component = truth["component"]
    columns = {"shown model, all sites": model_column(fit)}
    site_fits = {}
    for site in sorted(data["site"].unique()):
        site_fits[site] = lmm_core.lmer(MODEL, data[data["site"] == site])
        columns[f"site {site} alone"] = model_column(site_fits[site])
    what = "participant" if component == "intercepts" else "residual"
    pick = (lambda f: _sd(f)) if component == "intercepts" else (lambda f: f.sigma)
    sds = {s: pick(f) for s, f in site_fits.items()}
    wide, narrow = max(sds, key=sds.get), min(sds, key=sds.get)
    num = {"sd_shown": pick(fit), "sd_wide": sds[wide], "sd_narrow": sds[narrow]}
    spread = ("participants' baselines" if component == "intercepts"
              else "measurements around each participant's own level")
    text = "\n\n".join([
        f"**Unequal variances.** The real participants came from two sites, and their "
        f"{spread} spread very differently: the {what} SD is {num['sd_wide']:.1f} at site "
        f"{wide} but only {num['sd_narrow']:.1f} at site {narrow}.",
        f"The shown model has one {what} SD for everybody ({num['sd_shown']:.1f}): too wide "
        f"for site {narrow}, too narrow for site {wide}. Its simulated panels have one even "
        "spread; the real one has a tight core with far-flung values around it.",
        "lme4 cannot give each site its own SD. Fitting the sites separately (the table) shows "
        "the difference; in R, nlme's `lme(..., weights = varIdent(form = ~ 1 | site))` or "
        "glmmTMB can model it.",
    ])
    return Reveal(text, num, {"side_by_side": _table(columns)})


def _nothing(scenario, fit) -> Reveal:
    truth = scenario.truth
    true = {f"fixed: {k}": v for k, v in truth["fixef"].items()}
    true["SD participant"] = truth["varcomp"]["participant"]["sd_(Intercept)"]
    true["SD residual"] = truth["varcomp"]["residual_sd"]
    num = {"sd_part": _sd(fit), "sd_part_true": true["SD participant"],
           "sd_resid": fit.sigma, "sd_resid_true": true["SD residual"]}
    text = "\n\n".join([
        "**Nothing was wrong.** The real data were simulated from exactly the kind of model "
        "that was fitted: normal participant baselines, normal noise, one spread for all.",
        "So data simulated from the fit look just like the real data: the real panel cannot "
        "stand out. That is what a good fit looks like in a lineup.",
        f"The fit lands near the truth, give or take what 20 people can tell: participant "
        f"SD {num['sd_part']:.1f} (true "
        f"{num['sd_part_true']:.1f}), residual SD {num['sd_resid']:.1f} (true "
        f"{num['sd_resid_true']:.1f}).",
    ])
    table = _table({"fitted model": model_column(fit),
                    "truth of the simulation": pd.Series(true, dtype=float)})
    return Reveal(text, num, {"side_by_side": table})


def marked_data(problem: str, scenario) -> pd.DataFrame:
    """The real data with a ``mark`` column naming what is special about each row."""
    data = scenario.data
    out = data[["participant", "condition", "value"]].copy()
    if problem == "outliers":
        mark = np.full(len(data), "typical", dtype=object)
        mark[scenario.truth["altered_rows"]] = "outlier"
    elif problem == "mixture":
        mark = ("group: " + data["group"].astype(str)).to_numpy(dtype=object)
    elif problem == "unequal_variances":
        mark = ("site " + data["site"].astype(str)).to_numpy(dtype=object)
    else:
        mark = np.full(len(data), "typical", dtype=object)
    out["mark"] = mark
    return out.reset_index(drop=True)
