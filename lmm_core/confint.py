"""confint(): lme4's confidence intervals for a fit, as a table indexed like R's.

Rows follow ``confint(fit, oldNames = FALSE)``: the random-effect standard deviations and
correlations ("sd_(Intercept)|Subject", "cor_Days.(Intercept)|Subject", ...), "sigma", then the
fixed effects; columns are R's percent labels ("2.5 %", "97.5 %").

- "Wald": estimate +- z * SE for fixed effects; NaN for variance parameters, as in lme4 (their
  sampling distributions are too skewed for a symmetric interval).
- "profile": profile-likelihood intervals (lmm_core.profile), lme4's default.
- "boot": parametric bootstrap percentile intervals (lmm_core.bootstrap).
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
import scipy.stats

from .bootstrap import bootstrap
from .errors import LmmError
from .parameters import parameter_names, variance_names
from .profile import profile_confint

__all__ = ["METHODS", "confint", "percent_labels"]

METHODS = ("profile", "Wald", "boot")


def confint(fit, method: str = "profile", level: float = 0.95, *, parm=None, nsim: int = 500,
            boot_type: str = "perc", rng=None, **kwargs) -> pd.DataFrame:
    """Confidence intervals like lme4's confint(fit, parm, level, method, oldNames = FALSE).

    parm: parameter names to keep, or "beta_" (fixed effects) / "theta_" (variance
    parameters), as in lme4. nsim, boot_type ("perc", "basic" or "norm", as lme4) and rng are
    for method="boot"; other keyword arguments go to lmm_core.bootstrap.bootstrap.
    """
    method = _match_method(method)
    _check_level(level)
    names = parameter_names(fit.mm)
    keep = _select(names, len(variance_names(fit.mm)), parm)
    if method == "boot":
        values = _boot(fit, level, nsim, boot_type, rng, kwargs).reindex(names).to_numpy()
    elif method == "Wald":
        values = _wald(fit, level)
    else:
        values = profile_confint(fit, level, keep)
    table = pd.DataFrame(values, index=names, columns=percent_labels(level))
    return table.iloc[keep]


def _boot(fit, level, nsim, boot_type, rng, kwargs) -> pd.DataFrame:
    types = {"perc": "percentile", "basic": "basic", "norm": "normal"}
    if boot_type not in types:
        raise LmmError(f"Unknown boot_type {boot_type!r}. Choose one of: "
                       + ", ".join(repr(t) for t in types) + " (as in lme4's confint).")
    result = bootstrap(fit, n=nsim, kind="parametric", rng=rng, **kwargs)
    return result.ci(level, method=types[boot_type])


def _match_method(method) -> str:
    for name in METHODS:
        if isinstance(method, str) and method.lower() == name.lower():
            return name
    raise LmmError(
        f"Unknown confidence-interval method {method!r}. Choose one of: "
        + ", ".join(repr(m) for m in METHODS)
        + " ('profile' is lme4's default; 'Wald' is fast but gives no intervals for variance "
        "parameters; 'boot' simulates new data sets and is slow)."
    )


def _check_level(level) -> None:
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise LmmError(
            f"level must be a probability strictly between 0 and 1 (such as 0.95 for a 95% "
            f"interval), got {level!r}."
        )


def _select(names: list[str], nvp: int, parm) -> list[int]:
    """Row positions for parm (None = all), accepting lme4's "beta_" and "theta_"."""
    if parm is None:
        return list(range(len(names)))
    wanted = [parm] if isinstance(parm, str) else list(parm)
    keep = set()
    for p in wanted:
        if p == "theta_":
            keep |= set(range(nvp))
        elif p == "beta_":
            keep |= set(range(nvp, len(names)))
        elif p in names:
            keep.add(names.index(p))
        else:
            raise LmmError(f"No parameter named {p!r}. The parameters are: "
                           + ", ".join(repr(n) for n in names) + " (or 'beta_', 'theta_').")
    return sorted(keep)


def _wald(fit, level: float) -> np.ndarray:
    z = scipy.stats.norm.ppf(0.5 + level / 2.0)
    se = np.sqrt(np.diag(fit.vcov().to_numpy()))
    beta = fit.pls.beta
    nvp = len(variance_names(fit.mm))
    fixed = np.column_stack([beta - z * se, beta + z * se])
    return np.vstack([np.full((nvp, 2), np.nan), fixed])


def percent_labels(level: float) -> list[str]:
    """R's column names for a level: format(100 * c(a, 1 - a), digits = 3,
    scientific = FALSE) and ' %'."""
    a = (1.0 - level) / 2.0
    values = [100 * a, 100 * (1 - a)]
    shown = [np.format_float_positional(v, precision=3, fractional=False, trim="-")
             for v in values]
    decimals = max(len(s.partition(".")[2]) for s in shown)  # a common number of decimals
    return [f"{v:.{decimals}f} %" for v in values]
