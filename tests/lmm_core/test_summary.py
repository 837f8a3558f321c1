"""summary(): R's printout line for line, and tables that hold lme4's numbers.

The texts are lme4 1.1-31 / lmerTest 3.1-3 printouts (R 4.2.2) stored by
tests/reference/make_reference.R as ``print(summary(m))``; each case quotes its R call.
Where a number differs from lme4's in the 5th significant digit, the printed last digit can
differ: those cases are listed in NUMERIC_NOISE and compared with the layout exact and
numbers within 1e-4 relative. On the flat likelihoods of tests/reference/cases.FLAT only the
layout is compared (numbers masked).
test_r_numbers_print_exactly proves the formatting itself is exact for every case by
printing lme4's own estimates.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

import lmm_core
from lmm_core import rformat as R
from lmm_core.summary import LmerSummary, build_summary, deparse_lines, random_effects_table
from tests.reference.cases import (
    FLAT,
    ILL_CONDITIONED,
    case,
    case_data,
    data_name,
    model_case_ids,
    objective_tolerance,
    tolerance,
)

CASES = model_case_ids()
SATT_COLUMNS = ["Estimate", "Std. Error", "df", "t value", "Pr(>|t|)"]
# (With lme4's optimizer settings every other case now prints digit for digit.)
NUMERIC_NOISE: dict[str, str] = {}
_DF = "Satterthwaite df differ from lmerTest's in the 6th digit (numerical derivatives)"
NUMERIC_NOISE_SATTERTHWAITE = {**NUMERIC_NOISE, "cake_numeric": _DF}


@pytest.fixture(scope="module")
def fits():
    return {cid: lmm_core.lmer(case(cid)["formula"], case_data(cid), reml=case(cid)["reml"],
                               data_name=data_name(cid)) for cid in CASES}


# ----- comparing texts ---------------------------------------------------------------------
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]\d+)?")


def noise(cid: str, satterthwaite: bool = False) -> str | None:
    """How a case's printout is compared: exactly (None), "digits" or "layout"."""
    if cid in FLAT or (satterthwaite and cid in ILL_CONDITIONED):  # df to 2e-4 there
        return "layout"
    noisy = NUMERIC_NOISE_SATTERTHWAITE if satterthwaite else NUMERIC_NOISE
    return "digits" if cid in noisy or cid in ILL_CONDITIONED else None


def first_difference(got: str, want: str, noisy: bool | str | None = None) -> str | None:
    """None if the texts agree, else the first differing line (1-based) of each. noisy:
    "digits" (or True) allows last-digit differences, "layout" compares numbers masked."""
    same = {True: _same_but_last_digits, "digits": _same_but_last_digits,
            "layout": _same_layout}.get(noisy)
    ours, theirs = got.split("\n"), want.split("\n")
    for i in range(max(len(ours), len(theirs))):
        a = ours[i] if i < len(ours) else "<no line>"
        b = theirs[i] if i < len(theirs) else "<no line>"
        if a != b and not (same and same(a, b)):
            return f"line {i + 1} differs\n  ours: {a!r}\n  R:    {b!r}"
    return None


def _same_layout(a: str, b: str) -> bool:
    """The same words in the same order, numbers and spacing aside."""
    return _NUMBER.sub("#", a).split() == _NUMBER.sub("#", b).split()


def _same_but_last_digits(a: str, b: str) -> bool:
    """Same layout, and every number within 1e-4 relative (or one unit in its last digit)."""
    if len(a) != len(b) or _NUMBER.sub("#", a) != _NUMBER.sub("#", b):
        return False
    for x, y in zip(_NUMBER.findall(a), _NUMBER.findall(b), strict=True):
        unit = 10.0 ** -len(y.split("e")[0].partition(".")[2])
        if abs(float(x) - float(y)) > 1e-4 * abs(float(y)) + unit * 1.01:
            return False
    return True


def satterthwaite_table(cid: str) -> pd.DataFrame:
    return pd.DataFrame(case(cid)["satterthwaite"]).T[SATT_COLUMNS].astype(float)


# ----- R's printouts -----------------------------------------------------------------------
@pytest.mark.parametrize("cid", CASES)
def test_lme4_text(fits, cid):
    """str(fit.summary()) == print(summary(lmer(...))) in R."""
    diff = first_difference(str(fits[cid].summary()), case(cid)["summary_text"], noise(cid))
    assert diff is None, f"{case(cid)['call']}: {diff}"


@pytest.mark.parametrize("cid", CASES)
def test_lmertest_layout_with_lmertests_table(fits, cid):
    """lmerTest's layout around lmerTest's own df and p-values."""
    summary = build_summary(fits[cid], satterthwaite_table(cid), "Satterthwaite")
    diff = first_difference(str(summary), case(cid)["summary_lmertest_text"], noise(cid))
    assert diff is None, f"lmerTest::{case(cid)['call']}: {diff}"


@pytest.mark.parametrize("cid", CASES)
def test_lmertest_text(fits, cid):
    """str(fit.summary(ddf="Satterthwaite")) == print(summary(lmerTest::lmer(...)))."""
    diff = first_difference(str(fits[cid].summary(ddf="Satterthwaite")),
                            case(cid)["summary_lmertest_text"], noise(cid, True))
    assert diff is None, f"lmerTest::{case(cid)['call']}: {diff}"


def lme4_numbers(fit, cid: str, ddf: str | None) -> LmerSummary:
    """Our summary with every number replaced by lme4's (residual quantiles excepted)."""
    ref = case(cid)
    names = ref["vcov_names"]
    vcov = pd.DataFrame(ref["vcov"], index=names, columns=names)
    sd = np.sqrt(np.diag(vcov))
    if ddf is None:
        est, se = np.array([ref["fixef"][n] for n in names]), sd
        coefs = pd.DataFrame({"Estimate": est, "Std. Error": se, "t value": est / se},
                             index=names)
    else:
        coefs = satterthwaite_table(cid)
    stats = pd.Series({"AIC": ref["aic"], "BIC": ref["bic"], "logLik": ref["loglik"],
                       "deviance": ref["objective"],
                       "df.resid": ref["nobs"] - ref["loglik_df"]})
    return dataclasses.replace(
        build_summary(fit, coefs, ddf),
        random_effects=random_effects_table(pd.DataFrame(ref["varcorr"])),
        correlation=vcov / np.outer(sd, sd),
        reml_criterion=ref["objective"] if ref["reml"] else None,
        fit_stats=None if ref["reml"] else stats,
        convergence_messages=tuple(ref["optinfo_conv"]),
    )


@pytest.mark.parametrize("ddf", [None, "Satterthwaite"])
@pytest.mark.parametrize("cid", CASES)
def test_r_numbers_print_exactly(fits, cid, ddf):
    """The formatting alone: lme4's numbers print exactly as R printed them."""
    want = case(cid)["summary_text" if ddf is None else "summary_lmertest_text"].split("\n")
    got = str(lme4_numbers(fits[cid], cid, ddf)).split("\n")
    quantile_line = want.index("Scaled residuals: ") + 2  # the one line of our own numbers
    got[quantile_line] = want[quantile_line]
    assert first_difference("\n".join(got), "\n".join(want)) is None, case(cid)["call"]


# ----- the tables ------------------------------------------------------------------------------
@pytest.mark.parametrize("cid", CASES)
def test_tables_hold_lme4s_numbers(fits, cid):
    s, ref = fits[cid].summary(), case(cid)
    vc = pd.DataFrame(ref["varcorr"])
    own = vc[vc["var2"] == ""]
    assert list(s.random_effects["Groups"]) == list(own["grp"])
    assert list(s.random_effects["Name"]) == list(own["var1"].where(own["grp"] != "Residual", ""))
    tol = tolerance(cid, 5e-4)
    np.testing.assert_allclose(s.random_effects["Variance"], own["vcov"], rtol=tol, atol=1e-6)
    np.testing.assert_allclose(s.random_effects["Std.Dev."], own["sdcor"], rtol=tol, atol=1e-6)
    for r in vc[vc["var2"] != ""].itertuples():
        row = s.random_effects[(s.random_effects["Groups"] == r.grp)
                               & (s.random_effects["Name"] == r.var2)]
        names = list(own.loc[own["grp"] == r.grp, "var1"])
        j = names.index(r.var1)  # lme4 prints the correlations with the j-th term in column j
        column = "Corr" if j == 0 else f"Corr.{j}"
        assert row[column].item() == pytest.approx(r.sdcor, abs=max(tol, 2e-3))
    names = list(ref["fixef"])
    assert list(s.coefficients.index) == names
    np.testing.assert_allclose(s.coefficients["Estimate"], list(ref["fixef"].values()),
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(s.coefficients["Std. Error"], [ref["se"][n] for n in names],
                               rtol=tolerance(cid))
    sd = np.sqrt(np.diag(ref["vcov"]))
    np.testing.assert_allclose(s.correlation, np.array(ref["vcov"]) / np.outer(sd, sd),
                               atol=max(1e-3, tolerance(cid, 0)))
    assert (s.nobs, s.ngroups, s.data_name) == (ref["nobs"], ref["ngroups"], data_name(cid))


@pytest.mark.parametrize("cid", CASES)
def test_criterion_and_residual_quantiles(fits, cid):
    s, ref = fits[cid].summary(), case(cid)
    if ref["reml"]:
        assert s.fit_stats is None
        assert s.reml_criterion == pytest.approx(ref["objective"], rel=objective_tolerance(cid))
    else:
        assert s.reml_criterion is None
        want = [ref["aic"], ref["bic"], ref["loglik"], ref["objective"],
                ref["nobs"] - ref["loglik_df"]]
        np.testing.assert_allclose(s.fit_stats.to_numpy(float), want, rtol=1e-6)
    text = ref["summary_text"].split("\n")
    printed = [float(v) for v in text[text.index("Scaled residuals: ") + 2].split()]
    assert list(s.residuals.index) == ["Min", "1Q", "Median", "3Q", "Max"]
    np.testing.assert_allclose(s.residuals, printed, atol=max(2e-4, tolerance(cid, 0)))


def test_messages_are_sorted_as_lme4_prints_them(fits):
    singular, rankdef = fits["dyestuff2_singular"].summary(), fits["sleep_rankdef"].summary()
    assert singular.convergence_messages == ("boundary (singular) fit: see help('isSingular')",)
    assert (singular.fit_warnings, singular.optimizer, singular.convergence_code) == (
        (), "nloptwrap", 0)
    assert rankdef.fit_warnings == (
        "fixed-effect model matrix is rank deficient so dropping 1 column / coefficient",)
    assert rankdef.convergence_messages == ()
    assert fits["sleep_slopes_reml"].summary().messages == ()


def test_summary_is_frozen_tables(fits):
    s = fits["sleep_slopes_reml"].summary()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.nobs = 1
    assert list(s.random_effects.columns) == ["Groups", "Name", "Variance", "Std.Dev.", "Corr"]
    assert s.title == "Linear mixed model fit by REML" and s.object_class == "lmerMod"
    assert s.formula == "Reaction ~ Days + (Days | Subject)"


def test_no_fixed_effects_is_an_ml_fit_as_in_lme4():
    """R: summary(lmer(Reaction ~ 0 + (1 | Subject), sleepstudy)) (REML = TRUE asked)."""
    fit = lmm_core.lmer("Reaction ~ 0 + (1 | Subject)", case_data("sleep_slopes_reml"),
                        data_name="sleepstudy")
    lines = str(fit.summary()).split("\n")
    assert lines[0] == "Linear mixed model fit by maximum likelihood  ['lmerMod']"
    assert lines[4:6] == ["     AIC      BIC   logLik deviance df.resid ",
                          "  1989.7   1996.1   -992.8   1985.7      178 "]
    assert lines[-1] == "Number of obs: 180, groups:  Subject, 18"


# ----- the formula as deparse() prints it ------------------------------------------------------
@pytest.mark.parametrize(("text", "expand", "lines"), [
    ("Reaction~Days+(Days|Subject)", False, ["Reaction ~ Days + (Days | Subject)"]),
    ("Reaction ~ Days + (Days || Subject)", True,
     ["Reaction ~ Days + ((1 | Subject) + (0 + Days | Subject))"]),
    ("Reaction ~ Days + (Days || Subject)", False, ["Reaction ~ Days + (Days || Subject)"]),
    ("log(Reaction) ~ I(Days^2) + (0 + Days || Subject)", True,
     ["log(Reaction) ~ I(Days^2) + ((0 + Days | Subject))"]),
    # R: deparse(lme4:::expandDoubleVerts(y ~ x*z + (x*z || g))); deparse breaks after the
    # first operator past 60 characters and indents the rest by 4
    ("y ~ x*z + (x*z || g)", True,
     ["y ~ x * z + ((1 | g) + (0 + x | g) + (0 + z | g) + (0 + x:z | ", "    g))"]),
    ("y ~ a_long_name_number_one + a_long_name_number_two + a_long_name_number_three + "
     "a_long_name_number_four + a_long_name_number_five + (1 | g)", False,
     ["y ~ a_long_name_number_one + a_long_name_number_two + a_long_name_number_three + ",
      "    a_long_name_number_four + a_long_name_number_five + (1 | ", "    g)"]),
    ("Reaction ~ Days + a_rather_long_covariate_name + noise + x2 + (1 | Subject) + "
     "(1 | very_long_grouping_factor_name_one)", False,
     ["Reaction ~ Days + a_rather_long_covariate_name + noise + x2 + ",
      "    (1 | Subject) + (1 | very_long_grouping_factor_name_one)"]),
])
def test_deparse(text, expand, lines):
    assert deparse_lines(text, expand) == lines


# ----- R's formatting rules (expected values printed by R 4.2.2) ---------------------------------
@pytest.mark.parametrize(("values", "digits", "want"), [
    ([251.405104848485, 10.467285959596], 4, ["251.41", " 10.47"]),
    ([0.0005093, 5.6670562, 160], 4, ["5.093e-04", "5.667e+00", "1.600e+02"]),
    ([1e-20, 0.5, 123456], 4, ["1.000e-20", "5.000e-01", "1.235e+05"]),
    ([-0.0809003, 2.0907051, 0.6688943], 4, ["-0.0809", " 2.0907", " 0.6689"]),
    ([99.995, 1.005], 4, [" 99.995", "  1.005"]),  # R scales in double: 99.995 -> "100"
    ([612.100158, 35.0717, 654.94], 4, ["612.10", " 35.07", "654.94"]),
])
def test_format_real(values, digits, want):
    """R: format(c(...), digits = 4)."""
    assert R.format_real(values, digits) == want


@pytest.mark.parametrize(("pvals", "want"), [
    ([2e-23, 0.434, 0.000409622695302472, 2.8095e-08, 0.00834],
     ["< 2e-16", "0.43400", "0.00041", "2.81e-08", "0.00834"]),
    ([1e-20, 3.26e-6], ["< 2e-16", "3.26e-06"]),
    ([1e-20, 1e-19], ["<2e-16", "<2e-16"]),
])
def test_format_pval(pvals, want):
    """R: format.pval(c(...), digits = 3)."""
    assert R.format_pval(pvals, 3) == want


def test_abbreviate():
    """R: abbreviate(c(...), 6) and abbreviate(c(...), 11)."""
    names = ["(Intercept)", "scale(Days)", "recipeB", "Days:grpodd", "I(Days^2)",
             "temperature185", "recipeB:temperature185", "recipeC:temperature185"]
    assert R.abbreviate(names, 6) == ["(Intr)", "scl(D)", "recipB", "Dys:gr", "I(D^2)",
                                      "tmp185", "rB:185", "rC:185"]
    assert R.abbreviate(["recipeB:temperature185", "recipeC:temperature185",
                         "temperature225"], 11) == ["rcpB:tmp185", "rcpC:tmp185", "tempertr225"]


def test_round_and_zapsmall():
    """R: round(2.5); round(0.125, 2); round(36.8380896, 2.43); round(-1.005, 2); zapsmall."""
    assert [R.r_round(2.5), R.r_round(0.125, 2), R.r_round(36.8380896, 2.43),
            R.r_round(-1.005, 2)] == [2.0, 0.12, 36.84, -1.0]
    assert R.zapsmall([-2.0792322, 0.0629225, 2.9795832], 5) == [-2.07923, 0.06292, 2.97958]


def test_print_coefmat():
    """R: printCoefmat(m, digits = 4), m with a tiny estimate, an NA and one small p-value."""
    m = pd.DataFrame({"Estimate": [1.5, 0.25, 1e-9], "Std. Error": [-3, 0.5, 0.01],
                      "t value": [np.nan, 2, 0.2], "Pr(>|t|)": [0.001, 0.3, 0.9]},
                     index=["a", "bb", "ccc"])
    assert R.print_coefmat(m) == [
        "    Estimate Std. Error t value Pr(>|t|)    ",
        "a    1.5e+00   -3.0e+00      NA    0.001 ***",
        "bb   2.5e-01    5.0e-01     2.0    0.300    ",
        "ccc  1.0e-09    1.0e-02     0.2    0.900    ",
        "---",
        "Signif. codes:  0 \u2018***\u2019 0.001 \u2018**\u2019 0.01 \u2018*\u2019 0.05 "
        "\u2018.\u2019 0.1 \u2018 \u2019 1",
    ]


def test_print_matrix_wraps_columns_at_80():
    """R: cm <- matrix(format(round(seq(-0.9, 0.9, length.out = 144), 3), nsmall = 3), 12,
    dimnames = list(paste0("coefficient", 1:12), paste0("cf", 1:12)));
    print(cm[-1, -12], quote = FALSE)."""
    cells = R.format_real([R.r_round(v, 3) for v in np.linspace(-0.9, 0.9, 144)], nsmall=3)
    grid = np.array(cells).reshape(12, 12, order="F")[1:, :-1].tolist()
    lines = R.print_matrix(grid, [f"coefficient{i}" for i in range(2, 13)],
                           [f"cf{j}" for j in range(1, 12)], right=False)
    assert lines[0] == " " * 14 + "".join(f"cf{j}    " for j in range(1, 10))[:-1]
    assert lines[1] == ("coefficient2  -0.887 -0.736 -0.585 -0.434 -0.283 -0.132  0.019  0.170"
                        "  0.321")
    assert lines[12] == "              cf10   cf11  "
    assert lines[23] == "coefficient12  0.598  0.749"
    assert len(lines) == 24


def test_long_title_wraps_like_lmertest():
    """lme4's .prt.methTit: strwrap to 78 then cat(fill = TRUE) at 80."""
    title = "Linear mixed model fit by maximum likelihood . t-tests use Satterthwaite's method"
    lines = R.cat_fill([*R.strwrap(title, 78, exdent=2), " [", "lmerModLmerTest", "]"], sep="")
    assert lines == ["Linear mixed model fit by maximum likelihood . t-tests use Satterthwaite's",
                     "  method [lmerModLmerTest]"]
