"""The nesting game's reveal: every offered random-effects structure fitted to the same data,
the right one beside its tempting wrong twin, and (for nested classes) the fix for reused
labels: unique class names, which make the crossed-looking formula fit exactly like the nested
one."""

from __future__ import annotations

import pandas as pd

import lmm_core

from .. import candidates
from ..base import Reveal
from ..text import p_words
from .designs import FIXED, RANDOM, family, letter_share

__all__ = ["build_reveal", "fit_all", "model_column", "formula", "r_printouts", "UNIQUE",
           "UNIQUE_RANDOM"]

UNIQUE = "unique_labels"
UNIQUE_RANDOM = "(1 | school) + (1 | class_id)"
CELLS = {"nested": "SD class:school (", "written": "SD school:class ("}  # lme4's names
RESIDUAL = "SD residual"
SE, DF, P = "its standard error", "its df (Satterthwaite)", "its p-value"
FIXED_ROWS = {"frequencyrare": "frequency effect (rare − frequent, ms)",
              "openness": "openness slope"}


def formula(fam: str, key: str) -> str:
    random = UNIQUE_RANDOM if key == UNIQUE else RANDOM[fam][key]
    return f"{FIXED[fam]} + {random}"


def with_unique_labels(data: pd.DataFrame) -> pd.DataFrame:
    """The data with ``class_id`` = school and letter ("I-a"): one name per real class."""
    return data.assign(class_id=data["school"] + "-" + data["class"])


def fit_all(data: pd.DataFrame, fam: str, keys) -> dict:
    """REML fits of the given structures; one that lme4 refuses is kept as its reason."""
    return candidates.fit_candidates({k: formula(fam, k) for k in keys}, data,
                                     _relabelled(data, keys))


def r_printouts(data: pd.DataFrame, fam: str, keys) -> dict:
    """R's print(summary(fit)) of the given structures (pages call it after the answer,
    cached)."""
    return candidates.r_printouts({k: formula(fam, k) for k in keys}, data,
                                  _relabelled(data, keys))


def _relabelled(data: pd.DataFrame, keys) -> dict:
    return {UNIQUE: with_unique_labels(data)} if UNIQUE in keys else {}


def _sd_rows(fit) -> dict:
    out, groups, vc = {}, fit.ngroups, fit.varcorr()
    for grp, var1, var2, sdcor in zip(vc["grp"], vc["var1"], vc["var2"], vc["sdcor"],
                                      strict=True):
        if grp == "Residual":
            out[RESIDUAL] = sdcor
        elif var2:
            out[f"correlation {grp}: intercept and {var2}"] = sdcor
        elif var1 != "(Intercept)":
            out[f"SD {grp}: {var1} slope"] = sdcor
        else:
            out[f"SD {grp} ({groups[grp]} groups)"] = sdcor
    return out


def model_column(fit, satterthwaite: bool) -> pd.Series:
    """The numbers of one fit that the side-by-side table shows, by row name.

    Satterthwaite's df (lmerTest) cost ~0.1 s per crossed fit, so only the fits the reveal
    discusses get them."""
    out = {"REML criterion": fit.objective, **_sd_rows(fit)}
    table = fit.coef_table(ddf="Satterthwaite" if satterthwaite else None)
    for term, name in FIXED_ROWS.items():
        if term in table.index:
            out[name] = table.loc[term, "Estimate"]
            out[SE] = table.loc[term, "Std. Error"]
            if satterthwaite:
                out[DF] = table.loc[term, "df"]
                out[P] = table.loc[term, "Pr(>|t|)"]
    return pd.Series(out, dtype=float)


def _table(cols: dict) -> pd.DataFrame:
    """Models as columns; rows: REML criterion, group SDs, residual SD, the fixed effect."""
    rows = list(dict.fromkeys(r for c in cols.values() for r in c.index))
    sds = [r for r in rows if r.startswith(("SD", "correlation")) and r != RESIDUAL]
    fixed = [r for r in (*FIXED_ROWS.values(), SE, DF, P) if r in rows]
    table = pd.DataFrame(cols).loc[["REML criterion", *sds, RESIDUAL, *fixed]]
    table.index.name = "quantity"
    return table


def build_reveal(data: pd.DataFrame, design: str, offered, right: str, trap: str,
                 truth: dict) -> Reveal:
    """Fit every offered structure (plus unique class labels for nested classes)."""
    fam = family(design)
    keys = list(offered) + ([UNIQUE] if design == "schools_nested" else [])
    fits = fit_all(data, fam, keys)
    items = fam == "items"
    cols = {k: model_column(f, items and k in (right, trap))
            for k, f in candidates.fitted(fits).items()}
    num = _numbers(cols, fits, design, right, trap)
    details = {
        "formulas": {k: formula(fam, k) for k in keys},
        "errors": candidates.refused(fits),
        "notes": candidates.notes(fits),
        "truth": truth,
    }
    tables = {"fits": _table(cols)}
    if items:
        test = lmm_core.anova(fits[trap], fits[right], names=["without items", "crossed"])
        tables["lrt"] = test.table.rename_axis("model")
        details["anova"] = str(test)
        num |= {"chisq": float(test.table["Chisq"].iloc[1]),
                "p_lrt": float(test.table["Pr(>Chisq)"].iloc[1])}
    text = {"schools_nested": _nested_words, "schools_crossed": _crossed_words,
            "items_crossed": _items_words}[design](num, details, data)
    return Reveal(text, num, tables, details)


def _sd(col: pd.Series, prefix: str) -> float:
    return float(next(v for k, v in col.items() if k.startswith(prefix)))


def _numbers(cols: dict, fits: dict, design: str, right: str, trap: str) -> dict:
    good, bad = cols[right], cols[trap]
    num = {"reml_right": good["REML criterion"], "reml_trap": bad["REML criterion"],
           "resid_right": good[RESIDUAL], "resid_trap": bad[RESIDUAL]}
    if design == "items_crossed":
        effect = "frequency effect (rare − frequent, ms)"
        num |= {"effect": good[effect], "sd_item": _sd(good, "SD item ("),
                "sd_participant": _sd(good, "SD participant ("),
                "se_right": good[SE], "se_trap": bad[SE], "p_right": good[P], "p_trap": bad[P],
                "df_right": good[DF], "df_trap": bad[DF]}
        return {k: float(v) for k, v in num.items()}
    num["sd_school"] = _sd(good, "SD school (")
    num["letter_share"] = letter_share(fits[right].mm.data)
    if design == "schools_nested":
        num |= {"sd_classes": _sd(good, CELLS[right]),
                "sd_letters": _sd(bad, "SD class ("),
                "reml_unique": cols[UNIQUE]["REML criterion"],
                "sd_unique": _sd(cols[UNIQUE], "SD class_id (")}
    else:
        num |= {"sd_programmes": _sd(good, "SD class ("), "sd_cells": _sd(bad, CELLS[trap])}
    return {k: float(v) for k, v in num.items()}


def _nested_words(num: dict, details: dict, data: pd.DataFrame) -> str:
    n_classes = data.groupby(["school", "class"]).ngroups
    letters = data["class"].nunique()
    return "\n\n".join([
        f"**What the data showed.** The letters explain only {num['letter_share']:.0%} of how "
        "the classes differ within their schools, about what chance gives (17%): class a is "
        "high in one school and low in the next. So a letter is just each school's name for "
        "its own class.",
        f"**Reused labels.** The data call {n_classes} different classes by only {letters} "
        "letters: class a of school I and class a of school II share nothing but a name. "
        "Classes sit inside schools: they are *nested*.",
        f"**Fitted as crossed, the letters lump classes together.** `(1 | school) + "
        f"(1 | class)` believes there are {letters} classes, each spread over all schools. "
        f"It finds a class SD of only {num['sd_letters']:.2f} (the nested model: "
        f"{num['sd_classes']:.2f}), and the real class differences leak into the residual: "
        f"SD {num['resid_trap']:.2f} instead of {num['resid_right']:.2f}.",
        f"**The data say so too.** Both models have the same fixed effects and the same number "
        f"of parameters, so their REML criteria compare directly: {num['reml_right']:.1f} "
        f"nested against {num['reml_trap']:.1f} crossed (lower is better).",
        "**What the slash means.** `(1 | school/class)` is shorthand for `(1 | school) + "
        "(1 | school:class)`: one effect per school, and one per class *within* its school "
        "(lme4 calls that factor `class:school`).",
        f"**The fix for reused labels.** Give every class its own name (I-a, I-b, …, in a "
        f"column `class_id`). Then even the crossed-looking `(1 | school) + (1 | class_id)` "
        f"fits exactly like the nested model: REML criterion {num['reml_unique']:.1f}, class "
        f"SD {num['sd_unique']:.2f}. Unique labels make nesting impossible to get wrong.",
    ])


def _crossed_words(num: dict, details: dict, data: pd.DataFrame) -> str:
    letters = data["class"].nunique()
    cells = data.groupby(["school", "class"]).ngroups
    return "\n\n".join([
        f"**What the data showed.** The letters explain {num['letter_share']:.0%} of how the "
        "classes differ within their schools (chance gives about 17%): a letter's class sits "
        "above or below its school's average in school after school. So the letter means "
        "the same thing everywhere.",
        f"**Shared labels.** Here a letter is a teaching programme, and programme a is the "
        f"same in every school. Schools and programmes are *crossed*: every school runs every "
        f"programme, so the {letters} programmes each appear in all schools.",
        f"**The crossed model finds the programmes.** `(1 | school) + (1 | class)` estimates "
        f"how much the {letters} programmes differ: SD {num['sd_programmes']:.2f}, on top of "
        f"the schools' SD {num['sd_school']:.2f}.",
        f"**The nested model cannot see them.** `(1 | school/class)` treats the {cells} "
        f"school-programme combinations as unrelated classes (SD {num['sd_cells']:.2f}): it "
        "estimates every class afresh and never learns that programme a raises or lowers "
        "pupils in every school alike. It can describe these data, less well and less "
        "usefully, which is why it earns a few points.",
        f"**The data say so too.** Same fixed effects, same number of parameters: REML "
        f"criterion {num['reml_right']:.1f} crossed against {num['reml_trap']:.1f} nested "
        "(lower is better).",
        "**Read the design, not the letters.** Nested and crossed data can look identical in "
        "a table (school I, class a …). Only what a label means decides: the same class, or "
        "the same name? When a study's documents say, believe them; here the data had to.",
    ])


def _items_words(num: dict, details: dict, data: pd.DataFrame) -> str:
    k = data["item"].nunique()
    error = details["errors"].get("nested")
    lines = [
        "**Participants and words are crossed.** The table showed it: every participant read "
        f"all {k} words, and every word was read by all {data['participant'].nunique()} "
        "participants. So each reading belongs to one participant *and* one word, and neither "
        "sits inside the other.",
        f"**Words differ too.** The crossed model finds a word SD of {num['sd_item']:.0f} ms "
        f"beside the participant SD of {num['sd_participant']:.0f} ms. Without `(1 | item)` "
        f"those word differences land in the residual: SD {num['resid_trap']:.0f} ms instead "
        f"of {num['resid_right']:.0f} ms.",
        f"**Ignoring words overstates the evidence.** The frequency effect is "
        f"{num['effect']:.0f} ms in both models, but its standard error is "
        f"{num['se_trap']:.1f} ms without words and {num['se_right']:.1f} ms with them "
        f"({num['df_trap']:.0f} against {num['df_right']:.1f} degrees of freedom): "
        f"{p_words(num['p_trap'])} against {p_words(num['p_right'])}. Frequency is a property "
        f"of the {k} words, so the words, not the {len(data)} readings, are its sample. Leaving "
        "them out, as if these were the only words that matter, is Clark's (1973) "
        "language-as-fixed-effect fallacy.",
        f"**The test for words.** `anova()` compares the models (ML refits): "
        f"χ²(1) = {num['chisq']:.1f}, {p_words(num['p_lrt'])}. (A variance cannot go below zero, "
        "so this p-value is conservative: roughly twice as large as it should be.)",
    ]
    if error:
        lines.append(
            "**Why not `(1 | participant/item)`?** It asks for an effect of every word within "
            "every participant, but each participant read each word once: that effect is "
            f"the reading itself. lme4 refuses, and so does this app: *{error}*")
    return "\n\n".join(lines)
