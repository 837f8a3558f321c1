"""Stage 4 of lmer(), like lme4's mkMerMod: the fitted model and what users read from it.

Names follow lme4 so that a student can look each one up in R's documentation:
fixef, ranef, coef, VarCorr (varcorr), vcov, sigma, logLik, AIC, BIC, fitted, residuals.
summary(), confint(), simulate(), predict() and coef_table(ddf=) are the inference layer's,
reached through generics.py: this module imports none of that layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from . import generics
from .convergence import ConvergenceCheck, Derivatives, is_singular
from .design import ModelMatrices
from .deviance import CrossProducts, PlsSolution, profiled_deviance, solve_pls
from .optimize import OptSummary
from .parameters import parameter_names, sdcor, split_theta

__all__ = ["LmerFit"]


@dataclass(frozen=True, eq=False)
class LmerFit:
    """A fitted linear mixed model (lme4's merMod)."""

    mm: ModelMatrices
    cp: CrossProducts
    reml: bool
    opt: OptSummary
    messages: tuple[str, ...]
    conv: ConvergenceCheck | None = None  # lme4's checkConv; None when not checked
    data_name: str = "data"
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def pls(self) -> PlsSolution:
        """beta, u, b, sigma and the factor at theta (deviance.solve_pls), computed once, when
        first needed (a refit that only wants the deviance never needs it)."""
        return solve_pls(self.cp, self.theta, self.reml)

    # ----- scalars -------------------------------------------------------------------------
    @property
    def formula(self) -> str:
        return self.mm.formula.text

    @property
    def theta(self) -> np.ndarray:
        return self.opt.theta

    @property
    def objective(self) -> float:
        """REML criterion for REML fits, deviance (-2 log-likelihood) for ML fits."""
        return self.opt.fmin

    @property
    def sigma(self) -> float:
        return self.pls.sigma

    @property
    def nobs(self) -> int:
        return self.mm.n

    @property
    def npar(self) -> int:
        """Number of parameters: fixed effects, theta and sigma (R's logLik df)."""
        return self.mm.p + len(self.theta) + 1

    @property
    def loglik(self) -> float:
        """lme4's logLik: minus half the objective (the REML criterion for REML fits)."""
        return -0.5 * self.objective

    @property
    def aic(self) -> float:
        return -2.0 * self.loglik + 2.0 * self.npar

    @property
    def bic(self) -> float:
        return -2.0 * self.loglik + np.log(self.nobs) * self.npar

    @property
    def deviance(self) -> float:
        """-2 log-likelihood at the ML scale (for REML fits: lme4's deviance(REML = FALSE))."""
        if not self.reml:
            return self.objective
        f = self.pls.factor
        return profiled_deviance(f.ldL2, f.ldRX2, f.pwrss, self.nobs, self.mm.p, reml=False)

    @property
    def df_resid(self) -> int:
        return self.nobs - self.npar

    @property
    def derivs(self) -> Derivatives | None:
        """lme4's deriv12 at the optimum (gradient and Hessian of the deviance in theta)."""
        return self.conv.derivs if self.conv else None

    @property
    def converged(self) -> bool:
        """The optimizer's convergence code is 0 and no lme4 check failed (a singular fit
        or "nearly unidentifiable" alone counts as converged, as in lme4's codes)."""
        return self.opt.converged and not (self.conv and self.conv.failed)

    @property
    def is_singular(self) -> bool:
        return is_singular(self.theta, self.mm.lower)

    @property
    def ngroups(self) -> dict[str, int]:
        """Number of levels per grouping factor, in lme4's order (ngrps)."""
        return {b.group: b.m for b in self.cp.blocks}

    # ----- fixed effects -------------------------------------------------------------------
    @cached_property
    def fixef(self) -> pd.Series:
        return pd.Series(self.pls.beta, index=list(self.mm.xnames), name="Estimate")

    def vcov(self) -> pd.DataFrame:
        """Covariance of the fixed-effect estimates: sigma^2 (RX'RX)^-1."""
        rx_inv = np.linalg.inv(self.pls.factor.RX)
        names = list(self.mm.xnames)
        return pd.DataFrame(self.sigma**2 * rx_inv.T @ rx_inv, index=names, columns=names)

    def coef_table(self, ddf: str | None = None) -> pd.DataFrame:
        """Estimate, Std. Error and t value per fixed effect (summary(fit)$coefficients).

        ddf adds ``df`` and ``Pr(>|t|)`` columns: "Satterthwaite" (lmerTest's default),
        "residual" (n - p) or "Wald" (a z test, infinite df).
        """
        se = np.sqrt(np.diag(self.vcov().to_numpy()))
        beta = self.pls.beta
        table = pd.DataFrame({"Estimate": beta, "Std. Error": se, "t value": beta / se},
                             index=list(self.mm.xnames))
        if ddf is None:
            return table
        return generics.add_ddf(self, table, ddf)

    def confint(self, method: str = "profile", level: float = 0.95, **kwargs) -> pd.DataFrame:
        """Confidence intervals like lme4's confint(): "profile", "Wald" or "boot"."""
        return generics.confint(self, method=method, level=level, **kwargs)

    def simulate(self, nsim: int = 1, *, rng=None, use_u: bool = False, as_frame: bool = False):
        """New responses from the fitted model (lme4's simulate): an (n, nsim) array."""
        return generics.simulate(self, nsim, rng=rng, use_u=use_u, as_frame=as_frame)

    def parameters(self) -> pd.Series:
        """Every parameter, named and ordered as lme4's confint(oldNames = FALSE): each
        term's SDs and correlations, sigma, then the fixed effects."""
        values = np.concatenate([sdcor(self.mm, self.theta, self.sigma), self.pls.beta])
        return pd.Series(values, index=parameter_names(self.mm), name="estimate")

    # ----- random effects ------------------------------------------------------------------
    def _covariances(self) -> list[tuple[str, tuple[str, ...], np.ndarray]]:
        """(VarCorr group name, column names, covariance matrix) per term, lme4's order."""
        out, seen = [], {}
        for t, theta in zip(self.mm.reterms, split_theta(self.mm, self.theta), strict=True):
            count = seen.get(t.group, 0)
            seen[t.group] = count + 1
            name = t.group if count == 0 else f"{t.group}.{count}"  # R's make.unique
            out.append((name, t.cnames,
                        self.sigma**2 * t.covariance.relative_covariance(theta)))
        return out

    def varcorr(self) -> pd.DataFrame:
        """as.data.frame(VarCorr(fit)): grp, var1, var2, vcov, sdcor ('' where R has NA)."""
        rows = []
        for name, cnames, cov in self._covariances():
            sd = np.sqrt(np.diag(cov))
            rows += [(name, c, "", cov[i, i], sd[i]) for i, c in enumerate(cnames)]
            for j in range(len(cnames)):
                for i in range(j + 1, len(cnames)):
                    corr = cov[i, j] / (sd[i] * sd[j]) if sd[i] * sd[j] > 0 else np.nan
                    rows.append((name, cnames[j], cnames[i], cov[i, j], corr))
        rows.append(("Residual", "", "", self.sigma**2, self.sigma))
        return pd.DataFrame(rows, columns=["grp", "var1", "var2", "vcov", "sdcor"])

    def ranef(self) -> dict[str, pd.DataFrame]:
        """Conditional modes of the random effects per grouping factor (rows = levels)."""
        out = {}
        for blk, b in zip(self.cp.blocks, self.pls.b, strict=True):
            names = [c for k, _ in blk.term_slices for c in self.mm.reterms[k].cnames]
            levels = self.mm.reterms[blk.term_slices[0][0]].factor.levels
            out[blk.group] = pd.DataFrame(b, index=pd.Index(levels, name=blk.group),
                                          columns=names)
        return out

    def coef(self) -> dict[str, pd.DataFrame]:
        """Per-group coefficients: fixed effects plus that group's random effects.

        As lme4's coef(): a random effect without a fixed counterpart gets a fixed part of
        zero, in columns placed before the fixed effects, for every grouping factor.
        """
        ranef = self.ranef()
        xnames = list(self.mm.xnames)
        missing = list(dict.fromkeys(c for re in ranef.values() for c in re.columns
                                     if c not in xnames))
        fixed = np.concatenate([np.zeros(len(missing)), self.pls.beta])
        out = {}
        for group, re in ranef.items():
            table = pd.DataFrame(np.tile(fixed, (len(re), 1)), index=re.index,
                                 columns=missing + xnames)
            for j, col in enumerate(re.columns):  # by position: (1|g) + (x|g) repeats a name
                table[col] += re.iloc[:, j].to_numpy()
            out[group] = table
        return out

    # ----- predictions ---------------------------------------------------------------------
    def _re_part(self) -> np.ndarray:
        total = np.zeros(self.nobs)
        for blk, b in zip(self.cp.blocks, self.pls.b, strict=True):
            total += np.einsum("nq,nq->n", blk.Zi, b[blk.codes])
        return total

    def fitted(self) -> np.ndarray:
        """X beta + Z b (+ any offset) for the rows used in the fit."""
        return self.mm.X @ self.pls.beta + self._re_part() + self.mm.offset

    def residuals(self) -> np.ndarray:
        return self.mm.y + self.mm.offset - self.fitted()  # mm.y is the response - offset

    def predict(self, newdata: pd.DataFrame | None = None, re_form: str | None = None):
        """Predictions; re_form='~0' gives the population level. New levels get b = 0."""
        return generics.predict(self, newdata, re_form)

    def summary(self, ddf: str | None = None):
        """lme4's summary(): tables, and a str() that prints like R.

        With ddf="Satterthwaite" it prints lmerTest's layout (df and p-value columns).
        """
        return generics.summary(self, ddf=ddf)

    def __repr__(self) -> str:
        kind = "REML" if self.reml else "ML"
        return f"<LmerFit {self.formula!r} ({kind}), objective={self.objective:.4f}>"
