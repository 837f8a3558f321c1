"""The four kinds of formula-match round, built from a seed (logic.make_round picks one).

- ``plot``: 2-4 studies, each simulated from one structure and fitted with its formula; the
  learner matches each study's fitted lines to its formula.
- ``describe``: a design in words; pick the formula that says it.
- ``read``: a formula; pick the description that says what it assumes.
- ``write``: a design in words and the data's columns; type the formula (graded by meaning).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..base import Option, Question, Reveal, sub_seed
from . import catalogue as cat
from .compare import misconception
from .explain import read_aloud, spell_out
from .fits import fit_summary, simulate
from .reveal import contrast, fit_sentence, fits_table, panel_sentence, sd_of

__all__ = ["plot_round", "describe_round", "read_round", "write_round", "PANELS", "LEVELS"]

PANELS = {"gentle": ("intercepts", "correlated"),
          "normal": ("intercepts", "slopes", "correlated"),
          "tricky": ("intercepts", "slopes", "correlated", "uncorrelated")}
# Per difficulty: groups per study in plots, noise, options in choice rounds, the share of
# single-factor settings, the correlation of "correlated" plot studies.
LEVELS = {
    "gentle": {"n_groups": 6, "noise": 0.7, "options": 3, "single": 0.7, "rho": 0.6},
    "normal": {"n_groups": 8, "noise": 1.0, "options": 4, "single": 0.6, "rho": 0.6},
    "tricky": {"n_groups": 8, "noise": 1.0, "options": 4, "single": 0.5, "rho": 0.85},
}
SINGLE = tuple(k for k, v in cat.SETTINGS.items() if v["kind"] == "single")
TWO = tuple(k for k, v in cat.SETTINGS.items() if v["kind"] != "single")


def _groups(w: dict) -> dict:
    if w["kind"] == "single":
        return {"g": frozenset({w["g"]})}
    return {"a": frozenset({w["a"]}), "b": frozenset({w["b"]}),
            "ab": frozenset({w["a"], w["b"]})}


# ----- plot ----------------------------------------------------------------------------------
def _honest(structure: str, summary: dict, w: dict) -> bool:
    """The fit shows what the structure is about (a fit that collapsed a variance to ~0
    would draw, say, parallel lines for a random-slope study)."""
    if not summary["ok"]:
        return False
    sd_i, sd_s = sd_of(summary, {w["g"]}), sd_of(summary, {w["g"]}, w["x"])
    wide_i = sd_i is None or sd_i > 0.5 * w["sd_a"]
    wide_s = sd_s is None or sd_s > 0.5 * w["sd_b"]
    return wide_i and wide_s and not summary["singular"]


def _panel(seed: int, index: int, setting: str, structure: str, level: dict, sign: float):
    w = cat.words_of(setting)
    rho = {"correlated": sign * level["rho"], "uncorrelated": 0.0}.get(structure, 0.0)
    for attempt in range(8):
        rng = sub_seed(seed, 1, index, attempt)
        data = simulate(setting, structure, rng, n_groups=level["n_groups"], rho=rho,
                        noise=level["noise"])
        summary = fit_summary(cat.formula_of(structure, setting), data, w["x"], w["g"])
        if _honest(structure, summary, w):
            break
    return data, summary


def plot_round(seed: int, rng: np.random.Generator, difficulty: str) -> dict:
    level = LEVELS[difficulty]
    setting = str(rng.choice(SINGLE))
    w = cat.words_of(setting)
    kinds = PANELS[difficulty]
    labels = "ABCD"[:len(kinds)]
    order = [kinds[i] for i in rng.permutation(len(kinds))]
    sign = float(rng.choice([-1.0, 1.0]))
    frames, summaries = [], {}
    for i, (label, structure) in enumerate(zip(labels, order, strict=True)):
        data, summaries[label] = _panel(seed, i, setting, structure, level, sign)
        frames.append(data.assign(study=label))
    data = pd.concat(frames, ignore_index=True)[["study", w["g"], w["x"], w["y"]]]
    option_order = [kinds[i] for i in rng.permutation(len(kinds))]
    formulas = {k: cat.formula_of(k, setting) for k in kinds}
    options = tuple(Option(k, f"`{formulas[k]}`") for k in option_order)
    questions = tuple(Question(label, f"Study {label}: which formula drew these lines?",
                               options=options) for label in labels)
    solution = dict(zip(labels, order, strict=True))
    prompt = (cat.study_text(setting, level["n_groups"]).replace(
        f"{level['n_groups']} ", f"In each of {len(labels)} studies, {level['n_groups']} ", 1)
        + "\n\n**Your job.** Each picture shows one study: a line per "
        f"{w['g_one']}, fitted by lmer with one of the formulas below, and the average line "
        "(fixed effects). Match each study to the formula that drew its lines.")
    numbers = {}
    for label, s in summaries.items():
        numbers |= {f"{label}.intercept": s["fixef"]["(Intercept)"],
                    f"{label}.slope": s["fixef"][w["x"]], f"{label}.sigma": s["sigma"],
                    f"{label}.sd_intercept": sd_of(s, {w["g"]}) or 0.0,
                    f"{label}.sd_slope": sd_of(s, {w["g"]}, w["x"]) or 0.0}
        corr = s["corr"]
        numbers[f"{label}.corr"] = next(iter(corr.values())) if corr else 0.0
    reveal = Reveal(_plot_explanation(order, labels, summaries, w), numbers,
                    {"studies": fits_table([(f"study {k}", summaries[k]) for k in labels], w)},
                    {"sentences": {k: panel_sentence(k, solution[k], summaries[k], w)
                                   for k in labels}})
    lines = {k: summaries[k]["lines"] for k in labels}
    fixef = {k: [summaries[k]["fixef"]["(Intercept)"], summaries[k]["fixef"][w["x"]]]
             for k in labels}
    context = {"variant": "plot", "setting": setting, "formulas": formulas,
               "studies": list(labels), "lines": lines, "fixef": fixef}
    return {"prompt": prompt, "questions": questions, "solution": solution, "reveal": reveal,
            "data": data, "context": context}


def _plot_explanation(order, labels, summaries, w) -> str:
    ideas = {
        "intercepts": "**parallel** lines mean random intercepts only, `(1 | "
                      f"{w['g']})`",
        "slopes": f"lines that all **start from one point** at `{w['x']}` = 0 mean random "
                  f"slopes only, `(0 + {w['x']} | {w['g']})`",
        "correlated": "lines that differ **both** in start and steepness mean random "
                      f"intercepts and slopes, `({w['x']} | {w['g']})`",
        "uncorrelated": f"`({w['x']} || {w['g']})` also lets both differ, but estimates no "
                        "correlation between them",
    }
    head = ("**How to read fitted lines.** In these pictures, "
            + "; ".join(ideas[k] for k in PANELS_ORDER if k in order) + ".")
    body = [panel_sentence(label, s, summaries[label], w)
            for label, s in zip(labels, order, strict=True)]
    return "\n\n".join([head, *body])


PANELS_ORDER = ("intercepts", "slopes", "correlated", "uncorrelated")


# ----- describe, read, write ----------------------------------------------------------------
def _target(rng, difficulty: str, level: dict) -> tuple[str, str]:
    kind_pool = SINGLE if rng.random() < level["single"] else TWO
    setting = str(rng.choice(kind_pool))
    kind = cat.SETTINGS[setting]["kind"]
    return setting, str(rng.choice(cat.TARGETS[kind][difficulty]))


def _data(seed: int, setting: str, target: str, rng) -> pd.DataFrame:
    sign = float(rng.choice([-1.0, 1.0]))
    rho = {"correlated": 0.5 * sign}.get(target, 0.0)
    n_groups = 12 if cat.SETTINGS[setting]["kind"] == "single" else 6
    return simulate(setting, target, sub_seed(seed, 2), n_groups=n_groups, rho=rho)


def _options(rng, target: str, difficulty: str, level: dict, readable: bool) -> list[str]:
    pool = [d for d in cat.DISTRACTORS[target] if not (readable and d in cat.ODD)]
    k = level["options"] - 1
    if difficulty == "tricky":
        rest = list(pool[1:])
        picked = [pool[0]] + [rest[i] for i in sorted(rng.permutation(len(rest))[:k - 1])]
    else:
        picked = pool[:k]
    return picked


def _spelled(key: str, setting: str, alternative: bool) -> str:
    spellings = cat.STRUCTURES[key].spellings
    return cat.formula_of(key, setting, 0 if alternative and spellings else -1)


def _formula_reveal(setting, target, shown, data, others: dict[str, str]) -> Reveal:
    """The reveal of a describe/read/write round: the right model, its spellings, its fit,
    and what each of ``others`` ({key: formula}) does instead."""
    w = cat.words_of(setting)
    group = w.get("g")
    summaries = {target: fit_summary(shown, data, w["x"], group)}
    for key, formula in others.items():
        summaries[key] = fit_summary(formula, data, w["x"], group)
    right = summaries[target]
    codes = {k: misconception(f, shown) for k, f in others.items()}
    contrasts = {k: contrast(codes[k], right, summaries[k], w, _groups(w)) for k in others}
    spellings = list(dict.fromkeys([cat.formula_of(target, setting), shown,
                                    *(cat.formula_of(target, setting, i) for i in
                                      range(len(cat.STRUCTURES[target].spellings))),
                                    spell_out(shown)]))
    first = next(iter(others)) if others else None
    parts = [f"**What the design needs.** {cat.describe(target, setting)}",
             f"**The right formula, part by part:** `{shown}`",
             "\n".join(f"- {line}" for line in read_aloud(shown)),
             "**Other ways to write it.** " + ", ".join(f"`{s}`" for s in spellings)
             + " all say the same model, so each of them counts as right.",
             fit_sentence(right, w, len(data))]
    if first is not None:
        parts.append(f"**Why not `{others[first]}`?** {contrasts[first]}")
    numbers = {"x_effect": right["fixef"][w["x"]], "x_se": right["se"][w["x"]],
               "sigma": right["sigma"]}
    numbers |= {f"sd {k}": v for k, v in right["sd"].items()}
    numbers |= {f"corr {k}": v for k, v in right["corr"].items()}
    table = fits_table([("right", right)] + [("option", summaries[k]) for k in others], w)
    details = {"summaries": summaries, "contrasts": contrasts, "codes": codes,
               "spellings": spellings, "right": target, "why_not": first}
    return Reveal("\n\n".join(parts), numbers, {"fits": table}, details)


def _context(variant: str, setting: str, target: str, shown: str, formulas: dict) -> dict:
    return {"variant": variant, "setting": setting, "target": target, "shown": shown,
            "formulas": formulas, "columns": cat.columns_of(setting)}


def _sizes(setting: str, data: pd.DataFrame) -> tuple[int, int]:
    w = cat.SETTINGS[setting]
    if w["kind"] == "single":
        return data[w["g"]].nunique(), 0
    return len(data), data[w["a"]].nunique()


def describe_round(seed: int, rng, difficulty: str) -> dict:
    level = LEVELS[difficulty]
    setting, target = _target(rng, difficulty, level)
    data = _data(seed, setting, target, rng)
    keys = [target, *_options(rng, target, difficulty, level, readable=False)]
    tricky = difficulty == "tricky"
    formulas = {k: _spelled(k, setting, tricky and (k == target or rng.random() < 0.5))
                for k in keys}
    order = [keys[i] for i in rng.permutation(len(keys))]
    question = Question("formula", "Which formula says exactly this?",
                        options=tuple(Option(k, f"`{formulas[k]}`") for k in order))
    prompt = (cat.study_text(setting, *_sizes(setting, data)) + "\n\n**The design.** "
              + cat.describe(target, setting) + "\n\n**Your job.** Pick the lme4 formula "
              "that says exactly this." + (" Careful: a right answer may be written in an "
                                          "unusual way." if tricky else ""))
    reveal = _formula_reveal(setting, target, formulas[target], data,
                             {k: formulas[k] for k in keys[1:]})
    return {"prompt": prompt, "questions": (question,), "solution": {"formula": target},
            "reveal": reveal, "data": data,
            "context": _context("describe", setting, target, formulas[target], formulas)}


def read_round(seed: int, rng, difficulty: str) -> dict:
    level = LEVELS[difficulty]
    setting, target = _target(rng, difficulty, level)
    data = _data(seed, setting, target, rng)
    keys = [target, *_options(rng, target, difficulty, level, readable=True)]
    shown = _spelled(target, setting, difficulty == "tricky")
    formulas = {k: (shown if k == target else cat.formula_of(k, setting)) for k in keys}
    order = [keys[i] for i in rng.permutation(len(keys))]
    question = Question("description", "What does this formula assume?",
                        options=tuple(Option(k, cat.describe(k, setting)) for k in order))
    prompt = (cat.study_text(setting, *_sizes(setting, data)) + "\n\n**The formula.**\n\n"
              f"```\n{shown}\n```\n\n**Your job.** Which description says what this formula "
              "assumes?")
    reveal = _formula_reveal(setting, target, shown, data,
                             {k: formulas[k] for k in keys[1:]})
    return {"prompt": prompt, "questions": (question,), "solution": {"description": target},
            "reveal": reveal, "data": data,
            "context": _context("read", setting, target, shown, formulas)}


def write_round(seed: int, rng, difficulty: str) -> dict:
    level = LEVELS[difficulty]
    setting, target = _target(rng, difficulty, level)
    data = _data(seed, setting, target, rng)
    shown = cat.formula_of(target, setting)
    w = cat.words_of(setting)
    example = "y ~ x + (1 | group)"
    question = Question("formula", "Your formula", kind="text",
                        help=f"Type it as you would inside lmer(), for example `{example}`. "
                             "Spaces do not matter, and any way of writing the same model "
                             "counts.")
    table = "\n".join(["| column | what it holds |", "|---|---|"]
                      + [f"| `{c['column']}` | {c['what it holds']} |"
                         for c in cat.columns_of(setting)])
    prompt = (cat.study_text(setting, *_sizes(setting, data)) + "\n\n**The design.** "
              + cat.describe(target, setting) + "\n\n" + table + "\n\n**Your job.** Type "
              f"the lme4 formula for this design, with `{w['y']}` as the outcome. It is "
              "graded by meaning, not by text: any way of writing the same model counts.")
    first = cat.DISTRACTORS[target][0]
    reveal = _formula_reveal(setting, target, shown, data,
                             {first: cat.formula_of(first, setting)})
    context = _context("write", setting, target, shown, {target: shown})
    context["data_columns"] = [str(c) for c in data.columns]
    return {"prompt": prompt, "questions": (question,), "solution": {"formula": shown},
            "reveal": reveal, "data": data, "context": context}

