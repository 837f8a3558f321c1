"""Data simulated from a random-effects structure, and what lmm_core's fit of a formula says.

Single-factor data are drawn so that the picture shows the structure without luck: the
groups' true intercept and slope deviations have exactly the SDs and the correlation asked
for (standardised, then orthogonalised draws). Every fit is summarised as a JSON-friendly dict
(:func:`summarize`), with each group's fitted line from ``coef()`` for single-factor data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

import lmm_core

from .catalogue import SETTINGS

__all__ = ["simulate", "exact_pair", "fit_summary", "group_lines", "N_X"]

N_X = 10  # x = 0..9 in single-factor settings


def exact_pair(rng: np.random.Generator, n: int, rho: float) -> tuple[np.ndarray, np.ndarray]:
    """Two vectors of n values with mean 0, SD 1 and correlation exactly ``rho``."""
    z = rng.standard_normal((2, n))
    z -= z.mean(axis=1, keepdims=True)
    first = z[0] / np.linalg.norm(z[0])
    other = z[1] - (z[1] @ first) * first
    other /= np.linalg.norm(other)
    scale = math.sqrt(n - 1)
    return scale * first, scale * (rho * first + math.sqrt(1 - rho * rho) * other)


def simulate(setting: str, structure: str, rng: np.random.Generator, *, n_groups: int = 8,
             rho: float = 0.0, noise: float = 1.0) -> pd.DataFrame:
    """Data of ``setting`` drawn from ``structure`` (a key of catalogue.TARGETS)."""
    w = SETTINGS[setting]
    if w["kind"] == "single":
        return _single(w, structure, rng, n_groups, rho, noise)
    if w["kind"] == "nested":
        return _nested(w, rng, n_groups)
    return _crossed(w, structure, rng)


def _single(w, structure, rng, n_groups, rho, noise) -> pd.DataFrame:
    dev_a, dev_b = exact_pair(rng, n_groups, rho)
    a = w["sd_a"] * dev_a * (structure != "slopes")
    b = w["sd_b"] * dev_b * (structure != "intercepts")
    group = np.repeat(np.arange(n_groups), N_X)
    x = np.tile(np.arange(N_X), n_groups).astype(float)
    e = noise * w["sigma"] * rng.standard_normal(group.size)
    y = w["b0"] + w["b1"] * x + a[group] + b[group] * x + e
    names = np.array([f"{w['label']}{i + 1:02d}" for i in range(n_groups)], dtype=object)
    return pd.DataFrame({w["g"]: names[group], w["x"]: x, w["y"]: np.round(y, 1) + 0.0})


def _nested(w, rng, n_a) -> pd.DataFrame:
    n_b, per = len(w["b_labels"]), w["per_cell"]
    a_idx = np.repeat(np.arange(n_a), n_b * per)
    b_idx = np.tile(np.repeat(np.arange(n_b), per), n_a)
    lo, hi = w["x_range"]
    x = np.round(rng.uniform(lo, hi, a_idx.size), 1)
    u_a = w["sd_a"] * rng.standard_normal(n_a)
    u_ab = w["sd_b"] * rng.standard_normal((n_a, n_b))
    y = (w["b0"] + w["b1"] * x + u_a[a_idx] + u_ab[a_idx, b_idx]
         + w["sigma"] * rng.standard_normal(a_idx.size))
    return pd.DataFrame({
        w["a"]: np.asarray(w["a_labels"][:n_a], dtype=object)[a_idx],
        w["b"]: np.asarray(list(w["b_labels"]), dtype=object)[b_idx],
        w["x"]: x + 0.0,
        w["y"]: np.round(y, 1) + 0.0,
    })


def _crossed(w, structure, rng) -> pd.DataFrame:
    n_a, n_b = w["n_a"], w["n_b"]
    a_idx = np.repeat(np.arange(n_a), n_b)
    b_idx = np.tile(np.arange(n_b), n_a)
    lo, hi = w["x_range"]
    length = rng.integers(lo, hi + 1, n_b).astype(float)
    u_a, slope_a = exact_pair(rng, n_a, 0.4)
    u_b = w["sd_b"] * rng.standard_normal(n_b)
    x = length[b_idx]
    slope = w["sd_slope"] * slope_a * (structure == "crossed_slope")
    y = (w["b0"] + w["b1"] * x + w["sd_a"] * u_a[a_idx] + slope[a_idx] * (x - length.mean())
         + u_b[b_idx] + w["sigma"] * rng.standard_normal(a_idx.size))
    a_names = np.array([f"{w['a'][0]}{i + 1:02d}" for i in range(n_a)], dtype=object)
    b_names = np.array([f"{w['b'][0]}{i + 1:02d}" for i in range(n_b)], dtype=object)
    return pd.DataFrame({w["a"]: a_names[a_idx], w["b"]: b_names[b_idx], w["x"]: x,
                         w["y"]: np.round(y, 1) + 0.0})


# ----- fits --------------------------------------------------------------------------------
def fit_summary(formula: str, data: pd.DataFrame, x: str, group: str | None = None) -> dict:
    """What the REML fit of ``formula`` says, as plain numbers; ``ok`` False with lmm_core's
    message when the model cannot be fitted. ``group``: draw each of its levels' line."""
    try:
        fit = lmm_core.lmer(formula, data)
    except (lmm_core.LmmError, np.linalg.LinAlgError, ArithmeticError) as error:
        return {"formula": formula, "ok": False, "error": str(error)}
    fixef = fit.fixef
    table = fit.coef_table()
    vc = fit.varcorr()
    sds, corrs = {}, {}
    for row in vc.itertuples(index=False):
        if row.grp == "Residual":
            continue
        if row.var2 in ("", None) or (isinstance(row.var2, float) and math.isnan(row.var2)):
            sds[f"{row.grp}: {row.var1}"] = float(row.sdcor)
        else:
            corrs[f"{row.grp}: {row.var1} ~ {row.var2}"] = float(row.sdcor)
    out = {
        "formula": formula, "ok": True, "error": None,
        "fixef": {k: float(v) for k, v in fixef.items()},
        "se": {k: float(v) for k, v in table["Std. Error"].items()},
        "sd": sds, "corr": corrs, "sigma": float(fit.sigma),
        "singular": bool(fit.is_singular), "messages": [str(m) for m in fit.messages],
        "loglik": float(fit.loglik), "n_par": int(len(fit.theta) + len(fixef) + 1),
    }
    if group is not None:
        try:
            out["lines"] = group_lines(fit, data, x, group)
        except (lmm_core.LmmError, KeyError, np.linalg.LinAlgError):
            out["lines"] = None  # a picture we cannot draw is left out, never guessed
    return out


def group_lines(fit, data: pd.DataFrame, x: str, group: str) -> dict | None:
    """Each level of ``group``'s fitted line (intercept at x = 0, slope), from coef() when the
    model has random effects by ``group`` only, else from predict() at x = 0 and 1."""
    terms = fit.mm.formula.random
    grouping = fit.mm.formula.grouping_variables
    # coef() needs one term per grouping factor (lmm_core's coef() fails on two terms with
    # the same factor, e.g. (1 | g) + (x | g)); predict() handles every case.
    effects = [e for t in terms for e in ((("1",),) if t.effects.intercept else ())
               + t.effects.terms]
    if grouping == (group,) and len(effects) == len(set(effects)):
        table = fit.coef()[group]  # as lme4: fixed effects + that group's random effects
        slope = table[x] if x in table else pd.Series(0.0, index=table.index)
        start = table["(Intercept)"] if "(Intercept)" in table else 0.0 * slope
        return {"group": [str(g) for g in table.index],
                "intercept": [float(v) for v in start],
                "slope": [float(v) for v in slope]}
    if set(grouping) - {group}:
        return None
    levels = sorted(data[group].unique())
    new = pd.DataFrame({group: np.repeat(levels, 2), x: np.tile([0.0, 1.0], len(levels))})
    at = fit.predict(new).reshape(-1, 2)
    return {"group": [str(g) for g in levels], "intercept": [float(v) for v in at[:, 0]],
            "slope": [float(v) for v in at[:, 1] - at[:, 0]]}
