"""The p-values game's reveal: five tests of one fixed effect and why they differ.

``test_numbers`` (called by make_round) gives the Satterthwaite, z, residual-df and
likelihood-ratio tests. ``reveal_numbers`` adds a parametric bootstrap of the likelihood-ratio
test: simulate responses from the model *without* the effect (ML fit), refit both models by ML
to each, and see how often the likelihood ratio is at least the observed one. It is pure
(generators fixed by the round's seed) and heavy, so the page runs it on demand under a
progress bar. Each simulated response only changes y: ``lmm_core.refit(fit, y)`` (lme4's
refit) reuses the model matrices and starts lme4's optimizer at the fitted theta.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import stats

import lmm_core

from ..base import Reveal, sub_seed

__all__ = ["test_numbers", "build_reveal", "reveal_numbers", "tests_table", "bootstrap_words",
           "chi2_verdict", "PBOOT_N", "ALPHA"]

ALPHA = 0.05
PBOOT_N = 300
FLOAT_KEYS = ("estimate", "se", "t", "df_satt", "p_satt", "p_z", "df_resid", "p_resid",
              "chisq", "p_lrt", "crit_t", "crit_resid")


def test_numbers(fit, small, term: str) -> dict:
    """Every test of ``term`` that needs no simulation."""
    table = fit.coef_table(ddf="Satterthwaite")
    row = table.loc[term]
    t, df = float(row["t value"]), float(row["df"])
    df_resid = float(fit.nobs - fit.mm.p)
    lrt = lmm_core.anova(small, fit).table.iloc[1]
    return {
        "estimate": float(row["Estimate"]), "se": float(row["Std. Error"]), "t": t,
        "df_satt": df, "p_satt": float(row["Pr(>|t|)"]),
        "p_z": float(2 * stats.norm.sf(abs(t))),
        "df_resid": df_resid, "p_resid": float(2 * stats.t.sf(abs(t), df_resid)),
        "chisq": float(lrt["Chisq"]), "p_lrt": float(lrt["Pr(>Chisq)"]),
        "crit_t": float(stats.t.ppf(1 - ALPHA / 2, df)),
        "crit_resid": float(stats.t.ppf(1 - ALPHA / 2, df_resid)),
        "coefficients": table,
    }


def build_reveal(num: dict, context: dict) -> Reveal:
    numbers = {k: float(num[k]) for k in FLOAT_KEYS}
    coefficients = num["coefficients"].copy()
    coefficients.index.name = "term"
    return Reveal(_explanation(num, context), numbers,
                  {"tests": tests_table(numbers), "coefficients": coefficients}, {})


def _significant(p: float) -> str:
    return "yes" if p < ALPHA else "no"


def tests_table(num: dict, boot: dict | None = None) -> pd.DataFrame:
    """The tests side by side; the bootstrap row once it has been computed."""
    rows = [
        ("lmerTest: Satterthwaite t", f"t = {num['t']:.2f}", f"{num['df_satt']:.1f}",
         num["p_satt"]),
        ("z test", f"z = {num['t']:.2f}", "∞", num["p_z"]),
        ("t, residual df (n − p)", f"t = {num['t']:.2f}", f"{num['df_resid']:.0f}",
         num["p_resid"]),
        ("likelihood ratio, χ²", f"χ² = {num['chisq']:.2f}", "1",
         num["p_lrt"]),
    ]
    if boot is not None:
        rows.append((f"likelihood ratio, bootstrap ({boot['n_ok']})",
                     f"χ² = {num['chisq']:.2f}", "simulated", boot["p"]))
    table = pd.DataFrame(rows, columns=["test", "statistic", "df", "p-value"])
    table["p < 0.05?"] = [_significant(p) for p in table["p-value"]]
    return table


def _df_words(num: dict, context: dict) -> str:
    n = context["n_groups"]
    df = num["df_satt"]
    if context["design"] == "between":
        return (f"**Why {df:.1f} df?** Each participant is in only one group, so the group "
                f"difference is a comparison of {n} participants' averages: two group means "
                f"estimated from {n} people leave {n} − 2 = {n - 2}. Measuring each person more "
                "often does not add people. (Look at `conditiontreatment` in the table below: "
                "it varies *within* people and gets far more df.)")
    if context["design"] == "slope":
        return (f"**Why {df:.1f} df?** People differ in their slopes, so the average slope is "
                f"known only as well as {n} people's slopes let us know it: about {n} − 1 = "
                f"{n - 1} df, however many days each person was measured.")
    return (f"**Why {df:.1f} df?** The condition effect is measured within each person and is "
            "the same for everybody (no random slope), so every measurement informs it: the "
            f"{context['n_obs']} measurements, minus one baseline per participant ({n}), minus "
            f"the effect itself, leave about {context['n_obs'] - n - 1}.")


def _explanation(num: dict, context: dict) -> str:
    term, df, t = context["term"], num["df_satt"], num["t"]
    verdict = "below" if num["p_satt"] < ALPHA else "not below"
    lines = [
        f"**lmerTest's answer.** For {term}, t = {t:.2f} on {df:.1f} Satterthwaite degrees of "
        f"freedom gives p = {num['p_satt']:.3g}, {verdict} 0.05. With {df:.1f} df, |t| must "
        f"pass {num['crit_t']:.2f} to be significant.",
        _df_words(num, context),
        f"**The z test** treats t as if its standard error were known exactly (infinite df): "
        f"cut-off 1.96, p = {num['p_z']:.3g}. The standard error is itself estimated from the "
        "data. " + (f"With {df:.1f} df that estimate is shaky, so the t distribution has "
                    f"heavier tails and a cut-off of {num['crit_t']:.2f}: the z test is "
                    "overconfident." if df < 30 else
                    f"With {df:.1f} df that estimate is good, so z and t agree closely; the z "
                    "test goes wrong only when the df are small."),
        f"**The residual df** (n − p = {num['df_resid']:.0f}) count every measurement as "
        f"independent, as lm() would: p = {num['p_resid']:.3g}, almost the z test. They ignore "
        "that measurements of the same person share that person's deviation.",
        f"**The likelihood-ratio test** refits the model with and without {term} by maximum "
        f"likelihood and compares: χ² = {num['chisq']:.2f} on 1 df, p = {num['p_lrt']:.3g}. "
        "Its χ² distribution is a large-sample approximation; with few "
        f"{context['people']} it, too, tends to give p-values that are too small. A "
        "parametric bootstrap (below) checks it on this very design.",
    ]
    return "\n\n".join(lines)


# ----- the parametric bootstrap of the likelihood ratio ------------------------------------
def _ml_deviance(fit, y: np.ndarray) -> float:
    """The minimised ML deviance of fit's model for a new response y (fit is ML)."""
    try:
        return float(lmm_core.refit(fit, y, check_conv=False).objective)
    except lmm_core.LmmError:
        return float("nan")


def reveal_numbers(round_, progress: Callable[[int, int], None] | None = None,
                   n: int = PBOOT_N) -> dict:
    """The likelihood ratio under the null, n times: simulate from the ML fit without the
    effect, refit both models by ML. p = (1 + #{simulated >= observed}) / (1 + n)."""
    ctx = round_.context
    small = lmm_core.lmer(ctx["small"], round_.data, reml=False)
    big = lmm_core.lmer(ctx["formula"], round_.data, reml=False)
    observed = max(0.0, small.deviance - big.deviance)
    sims = small.simulate(n, rng=sub_seed(round_.seed, 30))
    values = np.full(n, np.nan)
    every = max(1, n // 100)
    for j in range(n):
        d_small, d_big = _ml_deviance(small, sims[:, j]), _ml_deviance(big, sims[:, j])
        if np.isfinite(d_small) and np.isfinite(d_big):
            values[j] = max(0.0, d_small - d_big)
        if progress is not None and ((j + 1) % every == 0 or j + 1 == n):
            progress(j + 1, n)
    ok = values[np.isfinite(values)]
    exceed = int(np.sum(ok >= observed - 1e-9))
    over = int(np.sum(ok >= stats.chi2.ppf(1 - ALPHA, 1)))
    return {"n": int(n), "n_ok": int(ok.size), "n_failed": int(n - ok.size),
            "observed": float(observed), "values": ok.tolist(), "exceed": exceed,
            "p": (1 + exceed) / (1 + ok.size),
            "p_interval": _interval(exceed, ok.size),
            "over_crit": over, "share_over_crit": over / ok.size if ok.size else float("nan"),
            "share_interval": _interval(over, ok.size)}


def _interval(hits: int, n: int) -> list[float]:
    """The exact (Clopper-Pearson) 95% interval of a share seen as hits of n simulations:
    the Monte Carlo uncertainty of a simulated rate."""
    if n == 0:
        return [float("nan"), float("nan")]
    ci = stats.binomtest(hits, n, ALPHA).proportion_ci(0.95, method="exact")
    return [float(ci.low), float(ci.high)]


def chi2_verdict(boot: dict) -> str:
    """What the simulated rejection rate supports: "liberal" when its 95% interval lies
    above 5%, "conservative" when below, "consistent" when it contains 5%."""
    low, high = boot["share_interval"]
    return "liberal" if low > ALPHA else "conservative" if high < ALPHA else "consistent"


def bootstrap_words(round_, boot: dict) -> str:
    """What the bootstrap shows, naming the numbers on screen."""
    num = round_.reveal.numbers
    crit = stats.chi2.ppf(1 - ALPHA, 1)
    share = 100 * boot["share_over_crit"]
    low, high = (100 * v for v in boot["share_interval"])
    p_low, p_high = boot["p_interval"]
    verdict = chi2_verdict(boot)
    lines = [
        f"**The parametric bootstrap.** {boot['n_ok']} studies were simulated from the model "
        f"*without* {round_.context['term']} (so the null hypothesis is true in them) and "
        f"both models refitted to each. {boot['exceed']} of them gave a likelihood ratio of "
        f"at least the observed χ² = {num['chisq']:.2f}: p = ({boot['exceed']} + 1) / "
        f"({boot['n_ok']} + 1) = {boot['p']:.3g}. With {boot['n_ok']} simulations that p is "
        f"itself uncertain: 95% interval {p_low:.3f} to {p_high:.3f}.",
        f"If the χ² approximation were exact, 5% of the simulated ratios would pass its "
        f"cut-off {crit:.2f}; here {boot['over_crit']} of {boot['n_ok']} do ({share:.1f}%, "
        f"95% interval {low:.1f}% to {high:.1f}%: the Monte Carlo uncertainty of "
        f"{boot['n_ok']} simulations). " + {
            "liberal": "The whole interval lies above 5%: the χ² test is too liberal for "
                       "this design, and the bootstrap p corrects it.",
            "conservative": "The whole interval lies below 5%: here the χ² test is, if "
                            "anything, conservative.",
            "consistent": "The interval contains 5%, so these simulations cannot tell the "
                          "χ² test from an exact one here: it may be a little off, but "
                          f"{boot['n_ok']} simulations are too few to say.",
        }[verdict],
    ]
    if boot["n_failed"]:
        lines.append(f"{boot['n_failed']} refits failed and were left out.")
    return "\n\n".join(lines)
