"""all_fit(): refit with every optimizer, as lme4's allFit(), to tell real trouble from noise.

lme4's advice for a convergence warning: refit with several optimizers. If they all reach the
same estimates (to a few digits), the warning was a false alarm; if they disagree, the model
is not well identified and should be simplified or rescaled. The tables mirror
``summary(allFit(fit))``: fixef, llik, sdcor, theta, times, msgs, which.OK.

The optimizers are lme4's allFit() list with lme4's names and settings (optimize.ALL_FIT:
all but nlminbwrap and nmkbw, which have no Python implementation). As in allFit, each one
starts where lmer starts and takes lmer's boundary steps; every refit reuses the fit's
cross-products (refit.refit), so nothing about the model is rebuilt.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import LmmError
from .optimize import ALL_FIT, OPTIMIZERS
from .parameters import sdcor, variance_names
from .refit import refit
from .start import start_theta

__all__ = ["all_fit", "AllFitResult"]


@dataclass(frozen=True, eq=False)
class AllFitResult:
    """One row per optimizer; an optimizer that raised has NaN rows and which_ok False.

    sdcor columns are named like confint(oldNames = FALSE) ("sd_(Intercept)|Subject",
    "cor_Days.(Intercept)|Subject", ..., "sigma"); lme4's own summary(allFit) labels them
    with theta's names in a different order than its values, which this does not copy.
    """

    fixef: pd.DataFrame
    llik: pd.Series
    sdcor: pd.DataFrame
    theta: pd.DataFrame
    times: pd.Series
    messages: dict[str, list[str]]
    which_ok: pd.Series
    fits: dict

    def spread(self) -> pd.Series:
        """Largest difference between optimizers per quantity (successful fits only)."""
        ok = self.which_ok.to_numpy()
        tables = [self.fixef[ok], self.sdcor[ok], self.llik[ok].to_frame("logLik")]
        both = pd.concat(tables, axis=1)
        return both.max() - both.min()

    def agree(self, tol: float = 1e-4) -> bool:
        """True when every successful optimizer gives the same fixed effects and logLik
        within tol, relative to the size of each value (at least 1)."""
        ok = self.which_ok.to_numpy()
        if not ok.any():
            return False
        both = pd.concat([self.fixef[ok], self.llik[ok].to_frame("logLik")], axis=1)
        scale = np.maximum(both.abs().max(), 1.0)
        return bool(((both.max() - both.min()) / scale <= tol).all())


def _one(fit, start: np.ndarray, name: str):
    began = time.perf_counter()
    try:
        new = refit(fit, start=start, optimizer=name, edge_checks=True)
    except Exception as err:  # noqa: BLE001 - a failing optimizer is a result, not a crash
        return None, [f"{type(err).__name__}: {err}"], time.perf_counter() - began
    return new, list(new.messages), time.perf_counter() - began


def all_fit(fit, optimizers=None) -> AllFitResult:
    """Refit ``fit`` with each optimizer (default: lme4's allFit list, optimize.ALL_FIT)."""
    names = list(ALL_FIT) if optimizers is None else list(optimizers)
    unknown = [n for n in names if n not in OPTIMIZERS]
    if unknown:
        raise LmmError(f"Unknown optimizer {unknown[0]!r}. Choose from: {', '.join(OPTIMIZERS)}.")
    mm, start = fit.mm, start_theta(fit.mm)
    vc_names = variance_names(mm)
    fixef = pd.DataFrame(np.nan, index=names, columns=list(mm.xnames))
    sdcors = pd.DataFrame(np.nan, index=names, columns=vc_names)
    theta = pd.DataFrame(np.nan, index=names, columns=mm.theta_names)
    llik, times = pd.Series(np.nan, index=names), pd.Series(np.nan, index=names)
    messages, fits = {}, {}
    for name in names:
        new, messages[name], times[name] = _one(fit, start, name)
        fits[name] = new
        if new is None:
            continue
        fixef.loc[name] = new.pls.beta
        sdcors.loc[name] = sdcor(mm, new.theta, new.sigma)
        theta.loc[name] = new.theta
        llik[name] = new.loglik
    which_ok = pd.Series({n: fits[n] is not None for n in names})
    for table in (fixef, sdcors, theta, llik, times, which_ok):
        table.index.name = "optimizer"
    return AllFitResult(fixef, llik.rename("logLik"), sdcors, theta, times.rename("seconds"),
                        messages, which_ok.rename("ok"), fits)
