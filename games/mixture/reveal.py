"""The mixture game's reveal: every offered model fitted (games.candidates), the trap and the
right model side by side, lme4's likelihood-ratio test between them, and what each model
believes about the participants' baselines (for the pictures)."""

from __future__ import annotations

import pandas as pd

import lmm_core
from lmm_core.anova import AnovaLRT

from .. import candidates
from ..base import Reveal
from ..text import p_words

__all__ = ["MODELS", "SHORT", "ROWS", "build_reveal", "fit_models", "model_column", "lrt",
           "r_printouts"]

MODELS = {
    "no_group": "value ~ 1 + condition + (1 | participant)",
    "group_fixed": "value ~ 1 + group + condition + (1 | participant)",
    "group_random": "value ~ 1 + condition + (1 | group) + (1 | participant)",
    "two_sds": "value ~ 1 + condition + (0 + in_A | participant) + (0 + in_B | participant)",
    "group_slope": "value ~ 1 + condition + (1 + group | participant)",
    "group_nest": "value ~ 1 + condition + (1 | group/participant)",
}
SHORT = {
    "no_group": "without group",
    "group_fixed": "group as fixed effect",
    "group_random": "group as random effect",
    "two_sds": "one participant SD per group",
    "group_slope": "random slope for group",
    "group_nest": "participants nested in groups",
}
ROWS = {  # table row -> what it means, for the caption
    "REML criterion": "lower fits better; comparable only between models with the same "
                      "fixed effects",
    "participant SD": "how much baselines differ between participants",
    "participant SD, group A": "the same, for group A's participants only",
    "participant SD, group B": "the same, for group B's participants only",
    "participant SD of the intercept (group A)": "in the random-slope model: the SD of "
                                                 "group A's baselines",
    "participant SD of a group-B slope": "a per-participant 'group effect' (each participant "
                                         "is in one group only)",
    "its correlation with the intercept": "of that slope with the participant intercept",
    "SD between the two groups": "a variance estimated from two group means",
    "residual SD": "how much single measurements scatter around a participant's level",
    "condition effect (treatment − control)": "the fixed effect conditiontreatment",
    "its standard error": "of the condition effect",
    "group effect (B − A)": "the fixed effect groupB",
}
FIXED_ROWS = {"conditiontreatment": "condition effect (treatment − control)",
              "groupB": "group effect (B − A)"}


def fit_models(data: pd.DataFrame, keys) -> dict:
    """REML fits of the named models; a model lme4 refuses is kept as its reason (text)."""
    return candidates.fit_candidates({k: MODELS[k] for k in keys}, data)


def r_printouts(data: pd.DataFrame, keys) -> dict:
    """R's print(summary(fit)) of the named models (pages call it after the answer, cached)."""
    return candidates.r_printouts({k: MODELS[k] for k in keys}, data)


def _sd_row(grp: str, var1: str, var2: str, slope: bool) -> str:
    if grp == "Residual":
        return "residual SD"
    if var2:
        return "its correlation with the intercept"
    if grp == "group":
        return "SD between the two groups"
    if var1 in ("in_A", "in_B"):
        return f"participant SD, group {var1[-1]}"
    if var1 == "groupB":
        return "participant SD of a group-B slope"
    if slope:
        return "participant SD of the intercept (group A)"
    return "participant SD"


def model_column(fit) -> pd.Series:
    """The numbers of one fit that the side-by-side table shows, by row name (ROWS)."""
    out = {"REML criterion": fit.objective}
    vc = fit.varcorr()
    slope = bool((vc["var1"] == "groupB").any())
    for grp, var1, var2, sdcor in zip(vc["grp"], vc["var1"], vc["var2"], vc["sdcor"],
                                      strict=True):
        out[_sd_row(grp, var1, var2, slope)] = sdcor
    table = fit.coef_table()
    for term, name in FIXED_ROWS.items():
        if term in table.index:
            out[name] = table.loc[term, "Estimate"]
            if term == "conditiontreatment":
                out["its standard error"] = table.loc[term, "Std. Error"]
    return pd.Series(out, dtype=float)


def _table(columns: dict, truth: dict, variant: str) -> pd.DataFrame:
    columns = dict(columns)
    true = {"residual SD": truth["sd_residual"],
            "condition effect (treatment − control)": truth["condition_effect"],
            "group effect (B − A)": truth["group_difference"]}
    if variant == "means":
        true["participant SD"] = truth["sd_participant"]
    else:
        true["participant SD, group A"] = truth["sd_A"]
        true["participant SD, group B"] = truth["sd_B"]
    columns["truth"] = pd.Series(true, dtype=float)
    table = pd.DataFrame(columns)
    table = table.loc[[r for r in ROWS if r in table.index]]
    table.index.name = "quantity"
    return table


def lrt(small, big, names: list[str]) -> AnovaLRT:
    """lme4's likelihood-ratio test of ``small`` against ``big`` (ML refits).

    ``lmm_core.anova`` checks nesting by the model terms, and ``(1 | participant)`` is not
    written inside ``(0 + in_A | participant) + (0 + in_B | participant)``, although it is
    its special case of equal SDs; lme4's anova() does not check, nor does check_nested=False.
    """
    return lmm_core.anova(small, big, names=names, check_nested=False)


def _baselines(fit, people: pd.DataFrame) -> list[float]:
    """Each participant's level in the control condition as the model estimates it (fixed
    part plus their random effects)."""
    return [float(v) for v in fit.predict(people.assign(condition="control"))]


def _curves(fit, table: pd.Series, variant_key: str, sizes: dict) -> list[dict]:
    """The normal distribution(s) the model assumes for the participants' control levels."""
    fixef = fit.fixef
    base = float(fixef["(Intercept)"])
    if variant_key == "two_sds":
        return [{"group": g, "mean": base, "sd": float(table[f"participant SD, group {g}"]),
                 "n": sizes[g]} for g in ("A", "B")]
    if variant_key == "group_fixed":
        shift = {"A": 0.0, "B": float(fixef["groupB"])}
        return [{"group": g, "mean": base + shift[g], "sd": float(table["participant SD"]),
                 "n": sizes[g]} for g in ("A", "B")]
    return [{"group": "everybody", "mean": base, "sd": float(table["participant SD"]),
             "n": sizes["A"] + sizes["B"]}]


def _raw(data: pd.DataFrame) -> pd.DataFrame:
    """Participants' own averages, summarised per group."""
    means = data.groupby(["group", "participant"])["value"].mean().reset_index()
    table = means.groupby("group")["value"].agg(["count", "mean", "std"])
    table.columns = ["participants", "mean of their averages", "SD of their averages"]
    return table


def build_reveal(data: pd.DataFrame, variant: str, order: list[str], context: dict) -> Reveal:
    """Fit every offered model and compare the trap with the right model."""
    fits = fit_models(data, order)
    cols = {k: model_column(f) for k, f in candidates.fitted(fits).items()}
    small, big = fits[context["trap"]], fits[context["right"]]
    test = lrt(small, big, [SHORT[context["trap"]], SHORT[context["right"]]])
    people = data.drop_duplicates("participant")[["participant", "group", "in_A", "in_B"]]
    sizes = context["group_sizes"]
    raw = _raw(data)
    num = _numbers(fits, cols, context, test, raw)
    details = {
        "participants": people["participant"].tolist(),
        "groups": people["group"].tolist(),
        "baselines": {k: _baselines(fits[k], people) for k in (context["trap"],
                                                                context["right"])},
        "curves": {context["trap"]: _curves(small, cols[context["trap"]], "no_group", sizes),
                   context["right"]: _curves(big, cols[context["right"]], context["right"],
                                             sizes)},
        "notes": candidates.notes(fits),
        "errors": candidates.refused(fits),
        "anova": str(test),
    }
    lrt_table = test.table.copy()
    lrt_table.index.name = "model"
    tables = {"fits": _table(cols, context["truth"], variant), "lrt": lrt_table, "raw": raw}
    text = (_means_words if variant == "means" else _spreads_words)(num, context)
    return Reveal(text, num, tables, details)


def _numbers(fits: dict, cols: dict, context: dict, test, raw: pd.DataFrame) -> dict:
    small, big = cols[context["trap"]], cols[context["right"]]
    fixed = fits["group_fixed"].coef_table().loc["groupB"]
    second = test.table.iloc[1]
    num = {
        "sd_small": small["participant SD"], "sigma_small": small["residual SD"],
        "reml_small": small["REML criterion"], "sigma_big": big["residual SD"],
        "reml_big": big["REML criterion"],
        "effect_small": small["condition effect (treatment − control)"],
        "se_small": small["its standard error"],
        "effect_big": big["condition effect (treatment − control)"],
        "se_big": big["its standard error"],
        "group_effect": float(fixed["Estimate"]), "group_se": float(fixed["Std. Error"]),
        "chisq": float(second["Chisq"]), "lrt_df": float(second["Df"]),
        "p_value": float(second["Pr(>Chisq)"]),
        "aic_small": float(test.table.iloc[0]["AIC"]), "aic_big": float(second["AIC"]),
    }
    if context["right"] == "group_fixed":
        num["sd_big"] = big["participant SD"]
    else:
        num["sd_big_A"] = big["participant SD, group A"]
        num["sd_big_B"] = big["participant SD, group B"]
    for g in ("A", "B"):
        num[f"raw_mean_{g}"] = float(raw.loc[g, "mean of their averages"])
        num[f"raw_sd_{g}"] = float(raw.loc[g, "SD of their averages"])
    if "group_random" in cols:
        num["sd_groups"] = float(cols["group_random"]["SD between the two groups"])
    return {k: float(v) for k, v in num.items()}


def _lrt_words(num: dict, what: str) -> str:
    verdict = ("so the data clearly prefer the right model" if num["p_value"] < 0.05
               else "not significant here: with this few participants the test has little "
                    "power, but the picture and the design still say which model is right")
    return (f"**The likelihood-ratio test.** `anova()` refits both models by maximum "
            f"likelihood and compares them: χ²({num['lrt_df']:.0f}) = {num['chisq']:.1f}, "
            f"{p_words(num['p_value'])}, {verdict}. AIC: {num['aic_small']:.1f} without group, "
            f"{num['aic_big']:.1f} {what} (lower is better).")


def _means_words(num: dict, context: dict) -> str:
    sign = "above" if num["group_effect"] > 0 else "below"
    lines = [
        f"**Two groups, two centres.** Group B's participants sit "
        f"{abs(num['group_effect']):.1f} units {sign} group A's (the fixed effect groupB, "
        f"standard error {num['group_se']:.1f}). A known difference between two kinds of "
        "people is a fixed effect, as it would be in lm().",
        f"**Without group, the participant SD swallows it.** The participant SD is "
        f"{num['sd_small']:.1f} without group and {num['sd_big']:.1f} with it. The model "
        "without group says all baselines come from one normal distribution; the picture "
        "shows two clumps under one wide bell instead.",
        f"**The condition effect hardly moves:** {num['effect_small']:.2f} (SE "
        f"{num['se_small']:.2f}) without group, {num['effect_big']:.2f} (SE "
        f"{num['se_big']:.2f}) with it. Every participant is measured in both conditions, so "
        "who they are cancels out of the comparison. What the group term fixes is the "
        "description of the participants, and the test of the groups.",
        f"**REML criteria are not comparable here:** {num['reml_small']:.1f} versus "
        f"{num['reml_big']:.1f}. The models have different fixed effects, and REML's "
        "likelihood depends on them. That is why the test below refits with ML.",
        _lrt_words(num, "with group as a fixed effect"),
    ]
    if "sd_groups" in num:
        lines.append(
            f"**Why not `(1 | group)`?** It estimates the SD of group centres from two groups "
            f"(here {num['sd_groups']:.1f}): a spread worked out from two numbers. A random "
            "effect pays off when there are many groups drawn from a population, like "
            "participants.")
    return "\n\n".join(lines)


def _spreads_words(num: dict, context: dict) -> str:
    wide = "A" if num["sd_big_A"] > num["sd_big_B"] else "B"
    narrow = "B" if wide == "A" else "A"
    return "\n\n".join([
        f"**Same centre, different spread.** The participants' own averages spread with an "
        f"SD of {num['raw_sd_A']:.1f} in group A and {num['raw_sd_B']:.1f} in group B, while "
        f"the group centres differ by only {abs(num['group_effect']):.1f} (a chance "
        "difference: both were simulated with the same mean).",
        f"**One normal distribution cannot be both.** `(1 | participant)` gives every "
        f"participant's baseline one SD, {num['sd_small']:.1f}: too wide for group {narrow}, "
        f"too narrow for group {wide}. The picture shows one bell that fits neither group.",
        f"**One SD per group.** `(0 + in_A | participant)` applies only to group A's "
        f"participants (in_A is 0 for the others) and `(0 + in_B | participant)` only to "
        f"group B's, so each group gets its own SD: {num['sd_big_A']:.1f} for A and "
        f"{num['sd_big_B']:.1f} for B. This is lme4's `dummy()` trick written with plain "
        "columns.",
        f"**Shrinkage follows the spread.** With one SD, group {narrow}'s participants are "
        f"pulled toward the mean too little and group {wide}'s too much. The REML criterion "
        f"drops from {num['reml_small']:.1f} to {num['reml_big']:.1f}; here the fixed "
        "effects are the same, so the two criteria can be compared directly.",
        f"**The condition effect hardly moves:** {num['effect_small']:.2f} (SE "
        f"{num['se_small']:.2f}) with one SD, {num['effect_big']:.2f} (SE "
        f"{num['se_big']:.2f}) with two. What changes is the description of the participants.",
        _lrt_words(num, "with one SD per group"),
        "lme4 can give groups their own *participant* SD this way, but not their own "
        "*residual* SD; for that, R users turn to nlme's `weights = varIdent(form = ~ 1 | "
        "group)` or glmmTMB.",
    ])
