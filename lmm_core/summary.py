"""lme4's summary(): the numbers as tables, and a str() that prints exactly like R.

Pages draw the tables (``st.dataframe``) and never parse the text; the text exists so that a
student can hold our output next to R's ``print(summary(m))`` and see the same thing, line
for line. With ``ddf="Satterthwaite"`` the text is lmerTest's layout (df and p-value columns,
significance stars). Printing follows lme4 1.1-31's print.summary.merMod; the R formatting
rules it relies on live in rformat.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import rformat as R
from .checks import SCALE_MESSAGE
from .formula import parse_formula

__all__ = ["LmerSummary", "summarize", "build_summary"]

DIGITS = 4  # lme4: max(3, getOption("digits") - 3)
COR_MAX = 12  # getOption("lme4.summary.cor.max")
QUANTILES = ("Min", "1Q", "Median", "3Q", "Max")
DDF_METHODS = {"Satterthwaite": "Satterthwaite's method", "Kenward-Roger": "Kenward-Roger's method"}


@dataclass(frozen=True)
class LmerSummary:
    """summary(fit) as plain values; ``str()`` gives R's printout.

    title/object_class: R's header ("Linear mixed model fit by REML", "lmerMod");
    formula: as R prints it (lme4 shows ``||`` expanded, lmerTest as written), and
    formula_lines: the same, broken over lines as R's deparse() does;
    reml_criterion (REML fits) or fit_stats (ML fits: AIC, BIC, logLik, deviance, df.resid);
    residuals: quantiles of the scaled residuals; random_effects: Groups, Name, Variance,
    Std.Dev. and correlations (Corr, Corr.1, ...); coefficients: fit.coef_table(ddf);
    correlation: of the fixed effects (None without fixed effects); fit_warnings,
    convergence_messages and the optimizer's code: what R prints at the end.
    """

    title: str
    object_class: str
    formula: str
    data_name: str
    reml: bool
    reml_criterion: float | None
    fit_stats: pd.Series | None
    residuals: pd.Series
    random_effects: pd.DataFrame
    nobs: int
    ngroups: dict[str, int]
    coefficients: pd.DataFrame
    correlation: pd.DataFrame | None
    ddf: str | None
    fit_warnings: tuple[str, ...]
    convergence_messages: tuple[str, ...]
    optimizer: str
    convergence_code: int
    optimizer_message: str
    messages: tuple[str, ...]
    formula_lines: tuple[str, ...] = ()  # the formula as R breaks it over lines

    def __str__(self) -> str:
        return "\n".join(render(self))


# ----- building ------------------------------------------------------------------------------
def summarize(fit, ddf: str | None = None) -> LmerSummary:
    """summary(fit), or lmerTest's summary(fit, ddf = ...) when ddf is given."""
    return build_summary(fit, fit.coef_table(ddf), ddf)


def build_summary(fit, coefficients: pd.DataFrame, ddf: str | None = None) -> LmerSummary:
    """The summary of `fit` around a given coefficient table (the rest comes from the fit)."""
    reml = fit.reml and fit.mm.p > 0  # lme4: without fixed effects REML is ML
    design = set(fit.mm.messages)
    conv = tuple(m for m in fit.messages
                 if m not in design and m != fit.opt.warning)
    lines = tuple(fit.mm.formula.deparse_lines(expand_bars=ddf is None))
    return LmerSummary(
        title=_title(reml, ddf),
        object_class="lmerMod" if ddf is None else "lmerModLmerTest",
        formula="".join(lines),
        data_name=fit.data_name,
        reml=reml,
        reml_criterion=fit.objective if reml else None,
        fit_stats=None if reml else _fit_stats(fit),
        residuals=pd.Series(np.quantile(fit.residuals() / fit.sigma, [0, .25, .5, .75, 1]),
                            index=list(QUANTILES), name="Scaled residuals"),
        random_effects=random_effects_table(fit.varcorr()),
        nobs=fit.nobs,
        ngroups=dict(fit.ngroups),
        coefficients=coefficients,
        correlation=_correlation(fit.vcov()),
        ddf=ddf,
        fit_warnings=tuple(m for m in fit.mm.messages
                           if "rank deficient" in m or m == SCALE_MESSAGE),
        convergence_messages=conv,
        optimizer=fit.opt.family,
        convergence_code=fit.opt.code,
        optimizer_message=fit.opt.message,
        messages=tuple(fit.messages),
        formula_lines=lines,
    )


def _title(reml: bool, ddf: str | None) -> str:
    # lme4's methTitle pastes a NULL onto "maximum likelihood", leaving a trailing space.
    title = "Linear mixed model fit by " + ("REML" if reml else "maximum likelihood ")
    if ddf is None:
        return title
    return f"{title}. t-tests use {DDF_METHODS.get(ddf, ddf + ' df')}"


def _fit_stats(fit) -> pd.Series:
    return pd.Series({"AIC": fit.aic, "BIC": fit.bic, "logLik": fit.loglik,
                      "deviance": fit.deviance, "df.resid": fit.df_resid})


def _correlation(vcov: pd.DataFrame) -> pd.DataFrame | None:
    if vcov.empty:
        return None
    sd = np.sqrt(np.diag(vcov.to_numpy()))
    return vcov / np.outer(sd, sd)


def random_effects_table(varcorr: pd.DataFrame) -> pd.DataFrame:
    """VarCorr as R's summary shows it: one row per effect, correlations to the right."""
    rows, corr_cols = [], 0
    for grp, block in varcorr.groupby("grp", sort=False):
        own = block[block["var2"] == ""]
        names = list(own["var1"])
        corr = {(r.var1, r.var2): r.sdcor for r in block[block["var2"] != ""].itertuples()}
        corr_cols = max(corr_cols, len(names) - 1)
        for i, r in enumerate(own.itertuples()):
            rows.append({"Groups": grp, "Name": r.var1, "Variance": r.vcov,
                         "Std.Dev.": r.sdcor,
                         **{_corr_name(j): corr.get((names[j], r.var1), np.nan)
                            for j in range(i)}})
    columns = ["Groups", "Name", "Variance", "Std.Dev."] + [_corr_name(j)
                                                           for j in range(corr_cols)]
    return pd.DataFrame(rows).reindex(columns=columns)


def _corr_name(j: int) -> str:
    return "Corr" if j == 0 else f"Corr.{j}"


# ----- the formula as R's deparse() prints it --------------------------------------------------
def formula_text(formula, expand_bars: bool = False) -> str:
    """The formula on one line with R's spacing; lme4 (expand_bars) expands ``||`` terms."""
    return "".join(deparse_lines(formula, expand_bars))


def deparse_lines(formula, expand_bars: bool = False) -> list[str]:
    """R's deparse(formula) of a Formula or formula text (formula.deparse does the work)."""
    return parse_formula(formula).deparse_lines(expand_bars)


# ----- printing ----------------------------------------------------------------------------------
def render(s: LmerSummary) -> list[str]:
    """print(summary(m)) line by line (lme4's print.summary.merMod)."""
    lines = _header(s.title, s.object_class)
    lines += R.cat_fill(["Formula:", *(s.formula_lines or [s.formula])])
    lines += R.cat_fill(["   Data:", s.data_name]) + [""]
    lines += _criterion(s) + [""]
    q = R.zapsmall(list(s.residuals), DIGITS + 1)
    lines += ["Scaled residuals: ", *R.print_named(QUANTILES, R.format_real(q, DIGITS)), ""]
    lines += ["Random effects:", *_random_lines(s.random_effects)]
    groups = "; ".join(f"{g}, {n}" for g, n in s.ngroups.items())
    lines += R.cat_fill([f"Number of obs: {s.nobs}, groups: ", groups])
    lines += _fixed_lines(s.coefficients, s.correlation)
    if s.fit_warnings:
        lines += ["fit warnings:", *s.fit_warnings]
    if s.convergence_code or s.convergence_messages:
        code = "(OK)" if s.convergence_code == 0 else f"({s.optimizer_message})"
        lines += [f"optimizer ({s.optimizer}) convergence code: {s.convergence_code} {code}",
                  *s.convergence_messages, ""]
    return lines


def _header(title: str, cls: str) -> list[str]:
    """.prt.methTit: one line, or wrapped when longer than the console."""
    if len(title) + 5 + len(cls) > R.WIDTH:
        return R.cat_fill([*R.strwrap(title, R.WIDTH - 2, exdent=2), " [", cls, "]"], sep="")
    return [f"{title} ['{cls}']"]


def _criterion(s: LmerSummary) -> list[str]:
    """.prt.aictab: the REML criterion, or the AIC/BIC/logLik/deviance/df.resid row."""
    if s.fit_stats is None:
        value = R.format_number(R.r_round(s.reml_criterion, 1))
        return R.cat_fill(["REML criterion at convergence:", value])
    rounded = [R.r_round(v, 1) for v in s.fit_stats]
    cells = R.format_real(rounded)
    cells[-1] = R.format_number(rounded[-1])
    return R.print_named(list(s.fit_stats.index), cells)


def _random_lines(table: pd.DataFrame) -> list[str]:
    """formatVC + print: variances and SDs to 4 digits, correlations to 2 decimals."""
    groups = list(table["Groups"])
    shown = [g if k == 0 or g != groups[k - 1] else "" for k, g in enumerate(groups)]
    rows = [shown, list(table["Name"]), R.format_real(table["Variance"], DIGITS),
            R.format_real(table["Std.Dev."], DIGITS)]
    corr_cols = [c for c in table.columns if c.startswith("Corr")]
    rows += _corr_cells(table, corr_cols)
    names = ["Groups", "Name", "Variance", "Std.Dev."] + ["Corr" if j == 0 else ""
                                                        for j in range(len(corr_cols))]
    cells = [list(r) for r in zip(*rows, strict=True)]
    cells[-1][1] = ""
    return R.print_matrix(cells, [""] * len(cells), names, right=False)


def _corr_cells(table: pd.DataFrame, corr_cols: list[str]) -> list[list[str]]:
    """Per grouping term, format(round(corr, 2), nsmall = 2) over its whole matrix."""
    out = [[""] * len(table) for _ in corr_cols]
    groups = table["Groups"].to_numpy()
    for grp in dict.fromkeys(groups):
        idx = np.flatnonzero(groups == grp)
        block = table.iloc[idx][corr_cols].to_numpy(dtype=float)
        lower = [(i, j) for i in range(len(idx)) for j in range(i)]
        values = [1.0] * len(idx) + [R.r_round(block[i, j], 2) for i, j in lower] * 2
        cells = R.format_real(values, nsmall=2)[len(idx):len(idx) + len(lower)]
        for (i, j), cell in zip(lower, cells, strict=True):
            out[j][idx[i]] = cell
    return out


def _fixed_lines(coefficients: pd.DataFrame, correlation: pd.DataFrame | None) -> list[str]:
    p = len(coefficients)
    if p == 0:
        return []
    lines = ["", "Fixed effects:", *R.print_coefmat(coefficients, DIGITS)]
    if p > COR_MAX:
        return lines + ["", f"Correlation matrix not shown by default, as p = {p} > {COR_MAX}.",
                        "Use print(summary(m), correlation=TRUE)  or",
                        "    vcov(summary(m))        if you need it", ""]
    if correlation is None or p < 2:
        return lines
    names = [str(n) for n in correlation.index]
    values = correlation.to_numpy()
    cells = R.format_real([R.r_round(v, 3) for v in values.flatten()], nsmall=3)
    grid = [[cells[i * p + j] if j < i else "" for j in range(p - 1)] for i in range(1, p)]
    return lines + ["", "Correlation of Fixed Effects:",
                    *R.print_matrix(grid, R.abbreviate(names, 11)[1:],
                                    R.abbreviate(names, 6)[:-1], right=False)]
