"""pooling(): complete, no and partial pooling of a per-group regression, side by side.

The classic picture of what a mixed model does (Gelman & Hill 2007, ch. 12; the sleepstudy
"shrinkage" plot): one regression line for everybody (complete pooling) ignores the groups;
one line per group (no pooling) trusts every group's few points; the mixed model
``response ~ predictor + (predictor | group)`` (partial pooling) pulls each group's line toward
the population line, more so when the group's own data say little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.stats

from .api import lmer
from .errors import DataError, LmmError
from .variables import as_factor, column, is_factor_column

__all__ = ["pooling", "PoolingResult", "BivariateNormal"]

ONE_OBSERVATION = "only 1 observation: no slope"
CONSTANT_PREDICTOR = "predictor constant in this group: no slope"


@dataclass(frozen=True, eq=False)
class BivariateNormal:
    """The population of (intercept, slope) pairs the model estimates: N(mean, cov).

    mean is the fixed effects, cov the group's random-effects covariance (VarCorr). A
    singular fit gives a degenerate (flat) ellipse, which is what the model claims.
    """

    mean: np.ndarray
    cov: np.ndarray
    names: tuple[str, str] = ("intercept", "slope")

    def density(self, x, y) -> np.ndarray:
        """Density at points (x, y) (arrays of the same shape)."""
        x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
        pts = np.stack([x, y], axis=-1)
        dist = scipy.stats.multivariate_normal(self.mean, self.cov, allow_singular=True)
        return np.asarray(dist.pdf(pts)).reshape(x.shape)

    def grid(self, n: int = 60, extent: float = 3.0) -> pd.DataFrame:
        """Long table x, y, density on an n x n grid spanning mean +- extent SDs (contours)."""
        sd = np.sqrt(np.maximum(np.diag(self.cov), 0.0))
        sd = np.where(sd > 0, sd, 1e-6 * np.maximum(np.abs(self.mean), 1.0))
        gx = np.linspace(self.mean[0] - extent * sd[0], self.mean[0] + extent * sd[0], n)
        gy = np.linspace(self.mean[1] - extent * sd[1], self.mean[1] + extent * sd[1], n)
        X, Y = np.meshgrid(gx, gy)
        return pd.DataFrame({"x": X.ravel(), "y": Y.ravel(), "density": self.density(X, Y).ravel()})

    def ellipse(self, level: float = 0.95, n_points: int = 100) -> pd.DataFrame:
        """Points x, y of the region holding `level` of the population (a closed path)."""
        if not 0 < level < 1:
            raise LmmError(f"level must be between 0 and 1, such as 0.95, not {level!r}.")
        radius = np.sqrt(scipy.stats.chi2.ppf(level, df=2))
        values, vectors = np.linalg.eigh(self.cov)
        root = vectors * np.sqrt(np.maximum(values, 0.0))
        t = np.linspace(0.0, 2.0 * np.pi, n_points)
        pts = self.mean[:, None] + radius * root @ np.vstack([np.cos(t), np.sin(t)])
        return pd.DataFrame({"x": pts[0], "y": pts[1], "order": np.arange(n_points)})


@dataclass(frozen=True, eq=False)
class PoolingResult:
    """Per-group intercepts and slopes under the three kinds of pooling.

    ``groups``: one row per group (index = level, in the model's order) with ``n``, the
    ``complete_``, ``no_pool_`` and ``partial_`` intercept and slope, the ``shrinkage_``
    of each, and a ``note`` where a no-pooling coefficient cannot be estimated.
    ``spread``: SD across groups (ddof=1, R's sd()) of the no- and partial-pooling
    coefficients: partial pooling is less spread out. ``population`` is the model's
    fixed effects; ``population_normal`` the bivariate normal of groups' coefficients.
    """

    response: str
    predictor: str
    group: str
    groups: pd.DataFrame
    complete: pd.Series
    population: pd.Series
    spread: pd.DataFrame
    population_normal: BivariateNormal
    fit: object

    def long(self) -> pd.DataFrame:
        """groups as a long table (group, method, intercept, slope) for plotting."""
        parts = []
        for method, prefix in (("complete pooling", "complete"), ("no pooling", "no_pool"),
                               ("partial pooling", "partial")):
            part = pd.DataFrame({"group": self.groups.index, "method": method,
                                 "intercept": self.groups[f"{prefix}_intercept"].to_numpy(),
                                 "slope": self.groups[f"{prefix}_slope"].to_numpy()})
            parts.append(part)
        return pd.concat(parts, ignore_index=True)


def _quoted(name: str) -> str:
    """A column name as formula text: backticks unless it is a plain R name."""
    return name if re.fullmatch(r"[A-Za-z.][A-Za-z0-9._]*", name) else f"`{name}`"


def _numeric(data: pd.DataFrame, name: str, role: str) -> None:
    if is_factor_column(column(data, name)):
        raise DataError(
            f"The {role} {name!r} must be numeric for a regression line, but it holds values "
            f"like {data[name].dropna().iloc[0]!r}. Choose a numeric column."
        )


def _ols(x: np.ndarray, y: np.ndarray) -> tuple[float, float, str]:
    """Intercept, slope and note of y ~ x; R's lm() gives NA for a slope it cannot estimate."""
    if len(x) == 1:
        return float(y[0]), np.nan, ONE_OBSERVATION
    if np.ptp(x) == 0:
        return float(y.mean()), np.nan, CONSTANT_PREDICTOR
    coef, *_ = np.linalg.lstsq(np.column_stack([np.ones_like(x), x]), y, rcond=None)
    return float(coef[0]), float(coef[1]), ""


def shrinkage(partial, no_pool, population) -> np.ndarray:
    """1 - |partial - population| / |no_pool - population|, per group.

    0: the mixed model keeps the group's own estimate; 1: it replaces it by the population
    value; in between: how far of the way to the population it pulls the group. A value
    outside [0, 1] can happen for one coefficient when the intercept-slope correlation moves
    it past the population value or away from it. NaN when the group's own estimate is
    missing or equals the population value (nothing to shrink).
    """
    partial, no_pool = np.asarray(partial, float), np.asarray(no_pool, float)
    gap = np.abs(no_pool - population)
    ok = np.isfinite(gap) & (gap > 0)
    out = np.full(gap.shape, np.nan)
    out[ok] = 1.0 - np.abs(partial[ok] - population) / gap[ok]
    return out


def pooling(data: pd.DataFrame, response: str, predictor: str, group: str, *,
            reml: bool = True) -> PoolingResult:
    """Complete, no and partial pooling of ``response ~ predictor`` across ``group``.

    Rows with a missing value in any of the three columns are left out of all three fits.
    """
    if not isinstance(data, pd.DataFrame):
        raise DataError("The data must be a pandas DataFrame.")
    for name in (response, predictor, group):
        column(data, name)  # ColumnNotFoundError with close matches
    _numeric(data, response, "response")
    _numeric(data, predictor, "predictor")
    rows = data.loc[data[[response, predictor, group]].notna().all(axis=1)]
    formula = (f"{_quoted(response)} ~ {_quoted(predictor)} + "
               f"({_quoted(predictor)} | {_quoted(group)})")
    fit = lmer(formula, rows, reml=reml)
    partial = fit.coef()[group]
    x, y = rows[predictor].to_numpy(float), rows[response].to_numpy(float)
    complete = _ols(x, y)
    factor = as_factor(rows[group])
    per_group = [_ols(x[factor.codes == k], y[factor.codes == k]) for k in range(factor.nlevels)]
    groups = pd.DataFrame(per_group, columns=["no_pool_intercept", "no_pool_slope", "note"],
                          index=pd.Index(factor.levels, name=group))
    return _result(fit, partial, complete, groups, factor, response, predictor, group)


def _result(fit, partial, complete, groups, factor, response, predictor, group) -> PoolingResult:
    population = fit.fixef.copy()
    pop = population.to_numpy()
    partial = partial.reindex(groups.index)
    groups.insert(0, "n", np.bincount(factor.codes, minlength=factor.nlevels))
    groups.insert(1, "complete_intercept", complete[0])
    groups.insert(2, "complete_slope", complete[1])
    groups["partial_intercept"] = partial.iloc[:, 0].to_numpy()
    groups["partial_slope"] = partial.iloc[:, 1].to_numpy()
    for j, what in enumerate(("intercept", "slope")):
        groups[f"shrinkage_{what}"] = shrinkage(groups[f"partial_{what}"],
                                                groups[f"no_pool_{what}"], pop[j])
    groups = groups[[c for c in groups.columns if c != "note"] + ["note"]]
    spread = pd.DataFrame(
        {"intercept": [groups["no_pool_intercept"].std(ddof=1),
                       groups["partial_intercept"].std(ddof=1)],
         "slope": [groups["no_pool_slope"].std(ddof=1), groups["partial_slope"].std(ddof=1)]},
        index=pd.Index(["no pooling", "partial pooling"], name="method"))
    lam = fit.cp.blocks[0].lam(fit.theta)  # one grouping factor: VarCorr's 2 x 2 matrix
    cov = fit.sigma**2 * lam @ lam.T
    return PoolingResult(response, predictor, group, groups,
                         pd.Series(complete[:2], index=population.index, name="complete"),
                         population, spread, BivariateNormal(pop, cov), fit)

