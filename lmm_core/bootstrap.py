"""bootstrap(): parametric (lme4's bootMer), case and cluster bootstraps of a fitted model.

Three ways to ask "how much would the estimates move in another sample?":

- ``parametric``: simulate responses from the fit (new groups, new noise) and refit, as
  lme4's bootMer(type = "parametric", use.u = FALSE). Trusts the model's assumptions.
- ``case``: resample rows with replacement and refit. This is the naive way: it treats
  observations as independent, breaks up the groups, and so gives intervals that are too
  narrow for anything that varies between groups (the teaching point).
- ``cluster``: resample whole groups of a grouping factor with replacement; a group drawn
  twice becomes two distinct groups. Respects the dependence the model is about.

Speed: a parametric bootstrap changes only y, so X'X, Z'Z and Z'X are computed once and all
responses are simulated in one draw. Where the model has one grouping factor with q <= 2,
batch_refit.refit_many refits all replicates at once (Newton steps on the exact deviance,
to its optimum). The replicates it leaves (see there), and every other model's, are refitted
one by one: each minimises devfun.fast_deviance (the fastest exact deviance for the model's
structure, as lmer() does) with lme4's optimizer, started at the original theta with a
smaller first step, and skips lme4's finite-difference convergence check (it would cost
more evaluations than the fit itself); the optimizer's own failures are still counted.
Failed refits leave NaN rows and are counted, never dropped.
"""

from __future__ import annotations

import math
import numbers
import time
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import scipy.stats

from .batch_refit import refit_many
from .devfun import fast_deviance
from .deviance import design_products
from .errors import LmmError
from .optimize import optimize_theta
from .parameters import sdcor, variance_names
from .simulate import as_generator, random_effects_matrix, resampled_design, simulate_matrix

__all__ = ["bootstrap", "BootstrapResult", "parameter_names", "sdcor_values", "KINDS",
           "CI_METHODS"]

KINDS = ("parametric", "case", "cluster")
CI_METHODS = ("percentile", "basic", "normal")
_CHUNK_VALUES = 2_000_000  # simulated values held in memory at once


# ----- parameter names and values: fixed effects first, then parameters.variance_names -----
def parameter_names(mm) -> list[str]:
    """Fixed effects, then per term sd_/cor_ names (theta's order), then sigma."""
    return list(mm.xnames) + variance_names(mm)


def sdcor_values(mm, thetas: np.ndarray, sigmas: np.ndarray) -> np.ndarray:
    """SDs and correlations (columns as parameter_names, sigma left out) for rows of theta
    and sigma; a correlation with a zero SD is NaN, as in R."""
    thetas = np.atleast_2d(thetas)
    sigmas = np.asarray(sigmas, dtype=float).reshape(-1)
    return sdcor(mm, thetas, sigmas)[:, :-1]


def _estimate(fit) -> pd.Series:
    values = np.concatenate([fit.pls.beta, sdcor_values(fit.mm, fit.theta, [fit.sigma])[0],
                             [fit.sigma]])
    return pd.Series(values, index=parameter_names(fit.mm), name="estimate")


# ----- the result ----------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class BootstrapResult:
    """Bootstrap replicates of every parameter, and intervals from them.

    ``replicates`` has one row per replicate (NaN where the refit failed); ``status`` says
    "ok", "not converged" (the optimizer stopped early; values kept) or "failed" per row,
    ``messages`` the distinct reasons for failures.
    """

    kind: str
    n: int
    replicates: pd.DataFrame
    estimate: pd.Series
    n_failed: int
    n_not_converged: int
    status: pd.Series
    messages: tuple[str, ...]
    seconds: float

    def ci(self, level: float = 0.95, method: str = "percentile") -> pd.DataFrame:
        """Intervals per parameter (columns lower, upper); failed replicates are ignored.

        percentile: the replicates' quantiles (numpy/R type 7). basic: reflected around the
        estimate, 2*est - q. normal: est - bias +- z * SD of the replicates, with bias = mean
        of the replicates - est (boot.ci's "norm").
        """
        if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
            raise LmmError(f"level must be a number between 0 and 1, such as 0.95, not {level!r}.")
        if method not in CI_METHODS:
            raise LmmError(f"Unknown interval method {method!r}. Choose one of: "
                           f"{', '.join(CI_METHODS)}.")
        alpha = 1.0 - level
        reps, est = self.replicates, self.estimate
        if method == "normal":
            z = scipy.stats.norm.ppf(1.0 - alpha / 2)
            center, half = 2.0 * est - reps.mean(), z * reps.std(ddof=1)
            lower, upper = center - half, center + half
        else:
            lo, hi = reps.quantile(alpha / 2), reps.quantile(1.0 - alpha / 2)
            lower, upper = (lo, hi) if method == "percentile" else (2 * est - hi, 2 * est - lo)
        table = pd.DataFrame({"lower": lower, "upper": upper}).reindex(est.index)
        table.index.name = "parameter"
        return table

    def __repr__(self) -> str:
        return (f"<BootstrapResult {self.kind}, n={self.n}, failed={self.n_failed}, "
                f"not converged={self.n_not_converged}>")


# ----- refitting -----------------------------------------------------------------------------
@dataclass
class _Tally:
    """Fixed effects, theta, sigma and status per replicate (local to one bootstrap call)."""

    beta: np.ndarray  # (n, p)
    theta: np.ndarray  # (n, ntheta)
    sigma: np.ndarray  # (n,)
    status: list[str]
    messages: dict

    @classmethod
    def empty(cls, mm, n: int) -> _Tally:
        return cls(np.full((n, mm.p), np.nan), np.full((n, len(mm.theta0)), np.nan),
                   np.full(n, np.nan), ["failed"] * n, {})

    def fail(self, i: int, err: Exception) -> None:
        self.status[i] = "failed"
        text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        self.messages.setdefault(text, None)

    def store(self, i: int, theta, beta, sigma, converged: bool) -> None:
        """One replicate (every sample keeps the fit's columns of X and Z, so its layout)."""
        self.beta[i], self.theta[i], self.sigma[i] = beta, theta, sigma
        self.status[i] = "ok" if converged else "not converged"

    def table(self, mm, names: list[str]) -> pd.DataFrame:
        values = np.column_stack([self.beta, sdcor_values(mm, self.theta, self.sigma),
                                  self.sigma])
        return pd.DataFrame(values, columns=names)


def _warm_start_step(theta0: np.ndarray) -> np.ndarray:
    """optimize_theta's first step for a refit that starts at the original estimates.

    nlopt's default first step is 0.75 |theta| (|theta| below the diagonal). A bootstrap
    replicate's optimum is within sampling error of the original theta, and a first step of
    max(|theta| / 4, 0.05) needs about 40% fewer evaluations on sleepstudy (39 against 66)
    and stops at least as close to the optimum, checked against tightly converged fits: with
    the default step, 1 of 1000 sleepstudy replicates stopped 0.28 deviance units short.
    """
    return np.maximum(0.25 * np.abs(theta0), 0.05)


def _refit(model, theta0: np.ndarray, lower: np.ndarray):
    """(theta, beta, sigma, converged) minimising the model's deviance; raises if it fails."""
    opt = optimize_theta(model.deviance, theta0, lower, initial_step=_warm_start_step(theta0))
    if not math.isfinite(opt.fmin):
        raise LmmError("the deviance is not finite at the estimates")
    return (opt.theta, *model.beta_sigma(opt.theta), opt.converged)


def _with_response(cp, zty: np.ndarray, xty: np.ndarray, yty: float, offset: np.ndarray):
    """The cross-products for a new response: only their y columns change (Z'y, X'y, y'y).

    As in deviance.cross_products, y is the response minus its least-squares fit X offset.
    """
    m1q1 = cp.A1t.shape[0] * cp.A1t.shape[1]
    A1t, Art, Att = cp.A1t.copy(), cp.Art.copy(), cp.Att.copy()
    A1t[:, :, -1] = zty[:m1q1].reshape(cp.A1t.shape[:2])
    Art[:, -1] = zty[m1q1:]
    Att[-1, :-1] = Att[:-1, -1] = xty
    Att[-1, -1] = yty
    return replace(cp, A1t=A1t, Art=Art, Att=Att, beta_offset=offset)


def _parametric(fit, n, gen, tally, tick):
    cp, mm, reml, theta0, lower = fit.cp, fit.mm, fit.reml, fit.theta, fit.mm.lower
    Zt = random_effects_matrix(fit).T.tocsr()
    model = fast_deviance(cp, reml)
    chunk = max(1, min(n, _CHUNK_VALUES // max(mm.n, 1)))
    for start in range(0, n, chunk):
        Y = simulate_matrix(fit, min(chunk, n - start), gen)
        offsets = np.linalg.lstsq(mm.X, Y, rcond=None)[0]
        Y = Y - mm.X @ offsets
        ZtY, XtY, yty = Zt @ Y, mm.X.T @ Y, np.einsum("ij,ij->j", Y, Y)
        batch = refit_many(model, cp, ZtY, XtY, yty, theta0, lower)
        for j in range(Y.shape[1]):
            i = start + j
            if batch is not None and batch.ok[j]:
                tally.store(i, batch.theta[j], batch.beta[j] + offsets[:, j], batch.sigma[j], True)
                tick(i + 1)
                continue
            try:
                sample = _with_response(cp, ZtY[:, j], XtY[:, j], yty[j], offsets[:, j])
                tally.store(i, *_refit(model.with_response(sample), theta0, lower))
            except Exception as err:  # noqa: BLE001 - a failed replicate is data, not a crash
                tally.fail(i, err)
            tick(i + 1)


# ----- resampling rows or groups -------------------------------------------------------------
def _group_term(fit, group: str | None):
    terms = {t.group: t for t in fit.mm.reterms}
    name = fit.mm.formula.random[0].group_name if group is None else group
    if name not in terms:
        raise LmmError(f"The model has no grouping factor {name!r}. Choose one of: "
                       f"{', '.join(terms)}.")
    return terms[name]


def _resampling(fit, n, gen, tally, tick, kind, group):
    term, theta0, lower = _group_term(fit, group), fit.theta, fit.mm.lower
    for i in range(n):
        try:
            cp = design_products(*resampled_design(fit.mm, kind, term, gen)[:3])
            tally.store(i, *_refit(fast_deviance(cp, fit.reml), theta0, lower))
        except Exception as err:  # noqa: BLE001 - a failed replicate is data, not a crash
            tally.fail(i, err)
        tick(i + 1)


# ----- the entry point -----------------------------------------------------------------------
def _progress_ticker(progress, n):
    if progress is None:
        return lambda done: None
    if not callable(progress):
        raise LmmError("progress must be a function progress(done, total), or None.")
    every = max(1, math.ceil(n / 100))
    return lambda done: progress(done, n) if done % every == 0 or done == n else None


def bootstrap(fit, n: int = 1000, kind: str = "parametric", *, rng=None, progress=None,
              group: str | None = None) -> BootstrapResult:
    """Refit the model on n bootstrap samples and collect every parameter.

    kind: "parametric" (simulate from the fit, like lme4's bootMer), "case" (resample rows:
    naive, intervals too narrow) or "cluster" (resample whole groups of ``group``, by default
    the first grouping factor in the formula). progress(done, total) is called at most
    about 100 times. Failed refits give NaN rows, counted in n_failed.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise LmmError(f"n must be a whole number of bootstrap samples (at least 1), not {n!r}.")
    if kind not in KINDS:
        raise LmmError(f"Unknown bootstrap kind {kind!r}. Choose one of: {', '.join(KINDS)}.")
    n, gen, tick = int(n), as_generator(rng), _progress_ticker(progress, int(n))
    estimate = _estimate(fit)
    tally = _Tally.empty(fit.mm, n)
    start = time.perf_counter()
    if kind == "parametric":
        _parametric(fit, n, gen, tally, tick)
    else:
        _resampling(fit, n, gen, tally, tick, kind, group)
    status = pd.Series(tally.status, name="status")
    return BootstrapResult(
        kind, n, tally.table(fit.mm, list(estimate.index)), estimate,
        int((status == "failed").sum()), int((status == "not converged").sum()), status,
        tuple(tally.messages), time.perf_counter() - start)
