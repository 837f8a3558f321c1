"""The formula game's reveal: what each fit says, in plain words and real numbers.

Every number named here comes from a fit summary (fits.fit_summary) of lmm_core's fit of the
formula to the round's simulated data.
"""

from __future__ import annotations

import math

import pandas as pd

from .compare import INTERCEPT, meaning

__all__ = ["num", "sd_of", "corr_of", "fit_sentence", "contrast", "fits_table",
           "panel_sentence", "slope_unit"]


def num(value) -> str:
    """A number for reading aloud: about three significant digits, no exponent."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if value == 0:
        return "0"
    digits = min(3, max(0, 2 - math.floor(math.log10(abs(value)))))
    text = f"{value:.{digits}f}"
    return "0" if float(text) == 0 else text


def slope_unit(w: dict) -> str:
    return f"{w['unit']} {w['x_per']}"


def _group_vars(grp: str) -> frozenset:
    return frozenset(grp.split(".")[0].split(":"))


def sd_of(summary: dict, group, var: str = INTERCEPT) -> float | None:
    """The SD of ``var`` by the grouping variables ``group`` (a set), or None."""
    for key, value in summary.get("sd", {}).items():
        grp, name = key.split(": ", 1)
        if _group_vars(grp) == frozenset(group) and name == var:
            return value
    return None


def corr_of(summary: dict, group) -> float | None:
    for key, value in summary.get("corr", {}).items():
        if _group_vars(key.split(": ", 1)[0]) == frozenset(group):
            return value
    return None


def fit_sentence(summary: dict, w: dict, rows: int) -> str:
    """The right model's numbers, in words."""
    x, unit = w["x"], w["unit"]
    parts = []
    for key, value in summary["sd"].items():
        grp, var = key.split(": ", 1)
        grp = grp.split(".")[0]
        if var == INTERCEPT:
            parts.append(f"`{grp}` intercepts vary with an SD of {num(value)} {unit}")
        else:
            parts.append(f"`{grp}` slopes for `{var}` vary with an SD of {num(value)} "
                         f"{slope_unit(w)}")
    for key, value in summary["corr"].items():
        parts.append(f"the correlation of `{key.split(': ', 1)[0].split('.')[0]}` intercepts "
                     f"and slopes is {value:.2f}")
    text = (f"**What the fit says.** Fitted to this round's simulated data ({rows} rows), the "
            f"right model estimates an average effect of `{x}` of "
            f"{num(summary['fixef'][x])} {slope_unit(w)} (standard error "
            f"{num(summary['se'][x])}); ")
    return text + "; ".join(parts) + (f"; single measurements scatter around their line with "
                                      f"an SD of {num(summary['sigma'])} {unit}.")


def _vs(name: str, right: float | None, other: float | None, unit: str, formula: str) -> str:
    """"<name> is 0.84 ms with `formula`, against 1.90 ms with the right formula"."""
    return (f"{name} is {num(other)} {unit} with `{formula}`, against {num(right)} {unit} "
            "with the right formula")


def _generic(right: dict, other: dict, w: dict) -> str:
    x, formula = w["x"], other["formula"]
    if x in other["se"]:
        effect = _vs(f"The standard error of the `{x}` effect", right["se"][x],
                     other["se"][x], slope_unit(w), formula)
    else:
        effect = f"`{formula}` estimates no average `{x}` effect at all"
    return effect + "; " + _vs("the residual SD", right["sigma"], other["sigma"], w["unit"],
                               formula) + "."


def _extra(code: str, right: dict, other: dict, w: dict, singular: str) -> str | None:
    """An extra random slope or intercept: how big it came out, against what the setting's
    real differences are (so "only" is said only when it is small)."""
    x = w["x"]
    var = x if code == "unneeded_random_slope" else INTERCEPT
    found = [v for k, v in other["sd"].items() if k.endswith(f": {var}")
             and sd_of(right, _group_vars(k.split(": ")[0]), var) is None]
    if not found:
        return None
    what, unit = ("slope", slope_unit(w)) if var == x else ("intercept", w["unit"])
    scale = w.get("sd_slope", w.get("sd_b")) if var == x else w["sd_a"]
    head = f"The extra random {what} in `{other['formula']}` comes out with an SD of"
    if found[0] < 0.3 * scale:
        return (f"{head} only {num(found[0])} {unit}{singular}: these data give no sign "
                "that it is needed.")
    return (f"{head} {num(found[0])} {unit}{singular}, a variance the design does not have: "
            "the data cannot pin it down, so it only adds noise to the estimates and makes "
            "the fit less stable.")


def contrast(code: str | None, right: dict, other: dict, w: dict, groups: dict) -> str:
    """One sentence on what a wrong formula does to these data (``groups``: the design's
    grouping variables, {"g": {...}} or {"a": {...}, "b": {...}, "ab": {...}})."""
    formula = other["formula"]
    if not other["ok"]:
        first = other["error"].split("\n")[0]
        return f"lmer cannot even fit `{formula}` to these data: {first}"
    x, unit = w["x"], w["unit"]
    response = meaning(formula).response
    if response != w["y"]:
        return (f"`{formula}` models `{response}` instead of `{w['y']}`: it answers a "
                "different question, so its numbers cannot be set beside the right model's.")
    singular = " (a singular fit: lme4 warns that it is at the edge)" if other["singular"] else ""
    single = groups.get("g") or groups.get("a")
    if code == "forgot_random_slope" and x in other["se"]:
        se_r, se_o = right["se"][x], other["se"][x]
        verdict = ("the model is more certain of the average effect than the data allow, "
                   "because it ignores how much the effect differs" if se_o < 0.8 * se_r else
                   "the SE moves little here, but the model now claims that the effect is "
                   "the same for everyone")
        return _vs(f"Without the random slope, the standard error of the `{x}` effect", se_r,
                   se_o, slope_unit(w), formula) + f": {verdict}."
    if code in ("unneeded_random_slope", "added_random_intercept"):
        text = _extra(code, right, other, w, singular)
        if text:
            return text
    if code == "slope_without_intercept":
        return ("Without own intercepts every line must start at the same point, so the "
                "differences in starting level end up in the noise: "
                + _vs("the residual SD", right["sigma"], other["sigma"], unit, formula) + ".")
    if code == "correlated_vs_uncorrelated":
        r = corr_of(right, single)
        r = corr_of(other, single) if r is None else r
        return (f"The formula with one term estimates the correlation of intercepts and "
                f"slopes (here r = {num(r)}); `||` fixes it at 0. The rest barely moves: "
                + _vs(f"the standard error of the `{x}` effect", right["se"][x],
                      other["se"][x], slope_unit(w), formula) + ".")
    if code == "nested_vs_crossed" and "ab" in groups:
        r_sd = next(v for v in (sd_of(right, groups["ab"]), sd_of(right, groups["b"]))
                    if v is not None)
        o_sd = next((v for v in (sd_of(other, groups["ab"]), sd_of(other, groups["b"]))
                     if v is not None), None)
        return (_vs(f"The SD of {w['b_many']}", r_sd, o_sd, unit, formula) + "; "
                + _vs("the residual SD", right["sigma"], other["sigma"], unit, formula)
                + f". The wrong coding mixes up which observations share a {w['b_one']}.")
    if code == "missing_fixed_effect":
        r_sd = next((v for k, v in right["sd"].items() if k.endswith(f": {x}")), None)
        o_sd = next((v for k, v in other["sd"].items() if k.endswith(f": {x}")), None)
        if r_sd is not None and o_sd is not None:
            return (f"Without `{x}` in the fixed part the average slope is forced to 0, so the "
                    "random slopes must carry the whole effect: "
                    + _vs("their SD", r_sd, o_sd, slope_unit(w), formula) + ".")
    if code == "random_effect_in_fixed_part":
        found = sd_of(other, single)
        if found is not None:
            name = next(iter(single))
            return (f"With `{name}` in both parts, the same differences are estimated twice: "
                    f"a fixed coefficient for every `{name}` and a random intercept compete "
                    f"for them, so the random intercept's SD (here {num(found)} {unit}"
                    f"{singular}) no longer means anything.")
    if code == "duplicated_random_effect":
        values = [v for k, v in other["sd"].items() if k.endswith(f": {INTERCEPT}")]
        return ("The intercept is split into " + " and ".join(num(v) for v in values)
                + f" {unit}: two SDs that the data cannot tell apart"
                + (f" (the fit warns: {other['messages'][0].splitlines()[0]})"
                   if other["messages"] else "") + ".")
    if code in ("missing_grouping_factor", "extra_grouping_factor"):
        lead = ("Leaving out a grouping term pushes its differences into the other terms and "
                "the noise. " if code == "missing_grouping_factor" else
                "An extra grouping term takes differences away from the others. ")
        return lead + _generic(right, other, w)
    return _generic(right, other, w)


def fits_table(summaries: list[tuple[str, dict]], w: dict) -> pd.DataFrame:
    """One row per fitted formula: the x effect, its SE, every SD and correlation, notes."""
    x = w["x"]
    rows = []
    for role, s in summaries:
        row = {"formula": s["formula"], "which": role}
        if not s["ok"]:
            row["note"] = "cannot be fitted: " + s["error"].split("\n")[0].split(". ")[0]
            rows.append(row)
            continue
        row[f"{x} effect"] = s["fixef"].get(x, 0.0)
        row["SE"] = s["se"].get(x)
        for key, value in s["sd"].items():
            grp, var = key.split(": ", 1)
            what = "intercepts" if var == INTERCEPT else f"{var} slopes"
            name = f"SD {grp.split('.')[0]} {what}"  # lme4 names a 2nd term "g.1"
            row[name if name not in row else f"{name} (2nd)"] = value
        for key, value in s["corr"].items():
            name = f"corr. {key.split(': ', 1)[0].split('.')[0]}"
            row[name if name not in row else f"{name} (2nd)"] = value
        row["residual SD"] = s["sigma"]
        row["note"] = "singular fit" if s["singular"] else ""
        rows.append(row)
    frame = pd.DataFrame(rows)
    first = ["formula", "which", f"{x} effect", "SE"]
    rest = sorted((c for c in frame.columns if c not in first + ["residual SD", "note"]),
                  key=lambda c: (c.startswith("corr."), c.split()[1], "intercepts" not in c))
    return frame[[c for c in first + rest + ["residual SD", "note"] if c in frame.columns]]


def panel_sentence(label: str, structure: str, summary: dict, w: dict) -> str:
    """What one study's lines show, with its fitted numbers."""
    g, x, unit = w["g"], w["x"], w["unit"]
    head = f"**Study {label}** was fitted with `{summary['formula']}`:"
    sd_i, sd_s = sd_of(summary, {g}), sd_of(summary, {g}, x)
    b0, b1 = summary["fixef"]["(Intercept)"], summary["fixef"][x]
    if structure == "intercepts":
        return (f"{head} the lines are **parallel**. Every {w['g_one']} has the same slope, "
                f"{num(b1)} {slope_unit(w)}; only their intercepts differ, with an SD of "
                f"{num(sd_i)} {unit}.")
    if structure == "slopes":
        return (f"{head} all lines **start from one point**, {num(b0)} {unit} at {x} = 0, "
                f"because no {w['g_one']} has an own intercept; their slopes spread around "
                f"{num(b1)} with an SD of {num(sd_s)} {slope_unit(w)}.")
    text = (f"{head} the lines differ **both** in where they start (SD {num(sd_i)} {unit}) and "
            f"in how steep they are (SD {num(sd_s)} {slope_unit(w)}).")
    if structure == "uncorrelated":
        return (text + " `||` estimates no correlation between the two (it is fixed at 0): a "
                f"{w['g_one']}'s start says nothing about their slope, so the lines cross "
                "without a pattern.")
    r = corr_of(summary, {g})
    if r is not None and r > 0.3:
        shape = (f"{w['g_many']} who start higher also have higher slopes, so the lines "
                 f"spread further apart as `{x}` grows (they fan out)")
    elif r is not None and r < -0.3:
        shape = (f"{w['g_many']} who start higher have lower slopes, so the lines draw "
                 f"closer together as `{x}` grows")
    else:
        shape = "a weak correlation, with no clear pattern in the lines"
    return text + f" The model also estimates their correlation, r = {num(r)}: {shape}."
