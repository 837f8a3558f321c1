"""What statsmodels' MixedLM says about the same model, beside lme4 and lmerTest (pure).

Python users meet statsmodels first, and its ``MixedLM`` prints p-values where lme4 prints
none. For the same model and data it reaches the same REML (or ML) estimates and standard
errors, but its p-values are z-based: the t value read against the normal distribution, as if
the standard error were known exactly. lmerTest reads the same t value against a t
distribution with Satterthwaite's degrees of freedom, which knows the standard error was
estimated from a limited number of groups. With few groups the z p-values are too small.

:func:`compare_with_statsmodels` fits the LmerFit's own model matrices with MixedLM (no
formula translation: the same X, the same random-effect columns) and returns a
:class:`PeerComparison` of tables and plain words. statsmodels is a peer, not the truth: its
warnings become notes, a structure it cannot fit or a failure becomes an explanation, never an
exception. Supported: one grouping factor with any correlated random terms (``exog_re``), or
several random intercepts (crossed or nested, as variance components of one group). Names
from the data are kept out of the explanation (a page shows them only in tables).
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

import lmm_core

__all__ = ["PeerComparison", "compare_with_statsmodels", "compare", "MAX_ROWS", "MAX_LEVELS"]

MAX_ROWS = 20_000  # beyond this statsmodels' fit is too slow to run beside a page
MAX_LEVELS = 400  # variance components build one dummy column per level
AGREE_DIGITS = 3


@dataclass(frozen=True, eq=False)
class PeerComparison:
    """lme4/lmerTest and statsmodels side by side.

    ``fixed``: one row per fixed effect (lme4's names), lmerTest's estimate, SE, df and p and
    statsmodels' estimate, SE, z and p. ``random``: the SDs (and correlations) of both.
    ``supported`` is False when statsmodels could not fit the model; then the statsmodels
    columns are empty and ``explanation`` says why. ``agree``: both reach the same estimates
    and standard errors (so a page may show them once). ``notes``: statsmodels' warnings in
    plain words. ``seconds``: statsmodels' fitting time.
    """

    supported: bool
    fixed: pd.DataFrame
    random: pd.DataFrame
    explanation: str
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    agree: bool = False

    def compact(self) -> pd.DataFrame:
        """One table for a page: estimate, SE and t (= MixedLM's z) once, then each peer's
        degrees of freedom and p-value (the full ``fixed`` table when the fits disagree)."""
        if not (self.supported and self.agree):
            return self.fixed
        f = self.fixed
        return pd.DataFrame({"estimate": f["lme4 estimate"], "SE": f["lme4 SE"],
                             "t (= z)": f["lme4 estimate"] / f["lme4 SE"],
                             "lmerTest df": f["lmerTest df"], "lmerTest p": f["lmerTest p"],
                             "statsmodels p": f["statsmodels p"]})


def compare(formula: str, data: pd.DataFrame, reml: bool = True,
            focus: str | None = None) -> PeerComparison:
    """Fit ``formula`` with lmm_core (as lmer) and compare with statsmodels."""
    return compare_with_statsmodels(lmm_core.lmer(formula, data, reml=reml), focus)


def compare_with_statsmodels(fit, focus: str | None = None) -> PeerComparison:
    """The comparison for an LmerFit (see the module docstring). The explanation's numbers
    are about the fixed effect ``focus`` (by default the one with the fewest degrees of
    freedom that is not the intercept)."""
    ours = fit.coef_table(ddf="Satterthwaite")
    fixed = pd.DataFrame({
        "lme4 estimate": ours["Estimate"], "lme4 SE": ours["Std. Error"],
        "lmerTest df": ours["df"], "lmerTest p": ours["Pr(>|t|)"]})
    fixed.index.name = "term"
    random = pd.DataFrame({"lme4": _lme4_sds(fit)})
    random.index.name = "quantity"
    problem = _unsupported(fit.mm)
    if problem:
        return _without(fixed, random, problem)
    start = time.perf_counter()
    try:
        result, notes = _fit(fit)
    except Exception as error:  # noqa: BLE001 - a peer's failure is a finding, not a crash
        return _without(fixed, random, "statsmodels' MixedLM failed on this model ("
                        f"{type(error).__name__}), so there is nothing to compare.")
    seconds = time.perf_counter() - start
    fe = np.asarray(result.fe_params, float)
    se = np.asarray(result.bse_fe, float)
    z = fe / se
    fixed = fixed.assign(**{"statsmodels estimate": fe, "statsmodels SE": se,
                            "statsmodels z": z,
                            "statsmodels p": 2 * stats.norm.sf(np.abs(z))})
    random = random.assign(statsmodels=pd.Series(_statsmodels_sds(fit, result)))
    agree = _agree(fixed)
    text = _explanation(fixed, fit, result, agree, _focus(fixed, focus))
    return PeerComparison(True, fixed, random, text, notes, seconds, agree)


# ----- which models statsmodels can fit -----------------------------------------------------
def _unsupported(mm) -> str | None:
    """Why statsmodels' MixedLM cannot fit this model quickly, or None."""
    terms = mm.reterms
    if mm.n > MAX_ROWS:
        return (f"The data have {mm.n:,} rows; statsmodels' MixedLM would take too long "
                f"beside the page (the comparison runs up to {MAX_ROWS:,}).")
    if len(terms) == 1:
        return None
    if all(t.q == 1 for t in terms):
        levels = sum(t.nlevels for t in terms)
        if levels > MAX_LEVELS:
            return (f"The random intercepts have {levels} groups in all; statsmodels fits "
                    "several grouping factors as variance components with one column per "
                    f"group, which is too slow beyond {MAX_LEVELS}.")
        return None
    return ("statsmodels' MixedLM fits correlated random effects for one grouping factor, or "
            "random intercepts for several; this model has random slopes for more than one "
            "term or grouping factor, which it cannot express.")


def _fit(fit):
    """MixedLM on fit's own matrices: exog_re for one term, variance components otherwise."""
    from statsmodels.regression.mixed_linear_model import MixedLM, VCSpec

    mm = fit.mm
    if len(mm.reterms) == 1:
        term = mm.reterms[0]
        model = MixedLM(mm.y, mm.X, groups=term.factor.codes, exog_re=term.Xi)
    else:
        mats = [[_dummies(t)] for t in mm.reterms]
        vc = VCSpec([f"v{i}" for i in range(len(mats))],
                    [[[str(j) for j in range(m[0].shape[1])]] for m in mats], mats)
        model = MixedLM(mm.y, mm.X, groups=np.zeros(mm.n), exog_vc=vc)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = model.fit(reml=fit.reml, maxiter=200)
    notes = tuple(dict.fromkeys(_note(str(w.message)) for w in caught))
    return result, notes


def _dummies(term) -> np.ndarray:
    """The variance-component design of a one-column term: a column per level of its factor
    (the term's values, 1 for an intercept, in its level's column)."""
    out = np.zeros((len(term.factor.codes), term.nlevels))
    out[np.arange(len(term.factor.codes)), term.factor.codes] = term.Xi[:, 0]
    return out


def _note(message: str) -> str:
    text = message.lower()
    if "boundary" in text:
        return "statsmodels says a variance is at zero (the fit is on the boundary)."
    if "hessian" in text or "positive definite" in text:
        return ("statsmodels could not compute every standard error (its Hessian is not "
                "positive definite).")
    if "retrying" in text:
        return "statsmodels' first optimizer failed, so it retried with another one."
    if "converge" in text:
        return "statsmodels' optimizer reports that it did not converge."
    return "statsmodels warned: " + " ".join(message.split())[:200]


# ----- the random part ----------------------------------------------------------------------
def _lme4_sds(fit) -> dict:
    out = {}
    for grp, var1, var2, sdcor in fit.varcorr()[["grp", "var1", "var2", "sdcor"]].itertuples(
            index=False):
        if grp == "Residual":
            out["SD residual"] = float(sdcor)
        elif var2:
            out[f"correlation {grp}: {var1}, {var2}"] = float(sdcor)
        else:
            out[f"SD {grp}: {var1}"] = float(sdcor)
    return out


def _statsmodels_sds(fit, result) -> dict:
    """statsmodels' SDs and correlations, under the row names of :func:`_lme4_sds` (lme4 lists
    the terms in the same order, naming a second term of one factor "subject.1")."""
    names = [k for k in _lme4_sds(fit) if k != "SD residual"]
    sd_names = [k for k in names if k.startswith("SD ")]
    if len(fit.mm.reterms) == 1:
        cov = np.atleast_2d(np.asarray(result.cov_re, float))
        sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        out = dict(zip(sd_names, sd.tolist(), strict=True))
        pairs = [(i, j) for j in range(len(sd)) for i in range(j + 1, len(sd))]
        for name, (i, j) in zip([k for k in names if k.startswith("correlation")], pairs,
                                strict=True):
            out[name] = float(cov[i, j] / (sd[i] * sd[j])) if sd[i] * sd[j] > 0 else math.nan
    else:
        variances = np.clip(np.asarray(result.vcomp, float), 0.0, None)
        out = dict(zip(sd_names, np.sqrt(variances).tolist(), strict=True))
    out["SD residual"] = float(np.sqrt(result.scale))
    return out


# ----- the words ----------------------------------------------------------------------------
def _without(fixed, random, why: str) -> PeerComparison:
    return PeerComparison(False, fixed, random,
                          why + " lmerTest's Satterthwaite p-values are shown alone.")


def _p(p: float) -> str:
    return "below 0.001" if p < 0.001 else f"{p:.3f}"


def _agree(fixed: pd.DataFrame) -> bool:
    return bool(np.allclose(fixed["lme4 estimate"], fixed["statsmodels estimate"],
                            rtol=10.0**-AGREE_DIGITS, atol=10.0**-AGREE_DIGITS)
                and np.allclose(fixed["lme4 SE"], fixed["statsmodels SE"], rtol=0.01))


def _focus(fixed: pd.DataFrame, focus: str | None) -> int:
    """The row the explanation's numbers are about."""
    names = list(fixed.index)
    if focus in names:
        return names.index(focus)
    df = fixed["lmerTest df"].to_numpy(float).copy()
    if len(names) > 1 and names[0] == "(Intercept)":
        df[0] = np.inf
    return int(np.nanargmin(df)) if np.isfinite(df).any() else 0


def _explanation(fixed: pd.DataFrame, fit, result, same: bool, i: int) -> str:
    criterion = "REML" if fit.reml else "maximum likelihood"
    lines = [
        (f"**Same model, same estimates.** statsmodels' MixedLM maximises the same "
         f"{criterion} criterion, and its estimates and standard errors agree with lme4's."
         if same else
         f"**Same model, different numbers.** statsmodels' MixedLM maximises the same "
         f"{criterion} criterion but stopped somewhere else (its {criterion} log-likelihood "
         f"is {result.llf:.3f}, lme4's {fit.loglik:.3f}); lme4's optimum is the one R "
         "reports."),
    ]
    df = fixed["lmerTest df"].to_numpy(float)
    crit = float(stats.t.ppf(0.975, df[i]))
    p_ours, p_theirs = fixed["lmerTest p"].to_numpy(float), fixed["statsmodels p"].to_numpy(
        float)
    lines.append(
        "**Different p-values.** MixedLM reads each t value as a z value: against the normal "
        "curve, as if the standard error were known exactly (infinitely many degrees of "
        "freedom). lmerTest reads the same t value against a t distribution with "
        "Satterthwaite's degrees of freedom, because the standard error was itself estimated "
        f"from a limited number of groups. For the effect in question lmerTest counts "
        f"{df[i]:.1f} degrees of freedom: there |t| must pass {crit:.2f} to reach p < 0.05, "
        f"not 1.96, and MixedLM's p is {_p(p_theirs[i])} where lmerTest's is "
        f"{_p(p_ours[i])}."
        + (" MixedLM's p-values are always the smaller ones: too small when there are few "
           "groups." if df[i] < 30 else
           " With this many degrees of freedom the two hardly differ."))
    lines.append(
        "**Which to report.** lmerTest's (or a likelihood-ratio test or a parametric "
        "bootstrap). MixedLM's z p-values are fine only when every effect has many degrees of "
        "freedom, that is, many groups.")
    return "\n\n".join(lines)
