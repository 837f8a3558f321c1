"""bootstrap(): determinism, intervals, failure counting, agreement with lme4's bootMer.

Reference (tests/reference/make_reference.R, case "boot_sleepstudy"):
    m <- lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE)
    set.seed(101); b <- bootMer(m, fixef, nsim = 1000); confint(b, type = "perc")
R's random streams cannot be reproduced, so intervals are compared within Monte-Carlo error.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lmm_core
import simulators
from lmm_core import batch_refit, devfun
from lmm_core.api import fit_matrices
from lmm_core.bootstrap import BootstrapResult, bootstrap, parameter_names
from lmm_core.devfun import fast_deviance
from lmm_core.deviance import cross_products, make_deviance
from lmm_core.errors import LmmError

# the module, not the function lmm_core.bootstrap that the package exports under its name
boot = importlib.import_module("lmm_core.bootstrap")

ROOT = Path(__file__).resolve().parents[2]
REF = json.loads((ROOT / "tests" / "reference" / "lme4_reference.json").read_text())["cases"]
DATA = ROOT / "tests" / "reference" / "data"
NAMES = ["(Intercept)", "Days", "sd_(Intercept)|Subject", "cor_Days.(Intercept)|Subject",
         "sd_Days|Subject", "sigma"]


@pytest.fixture(scope="module")
def sleep():
    return simulators.load("sleepstudy")  # the copy the package ships


@pytest.fixture(scope="module")
def fit(sleep):
    return lmm_core.lmer("Reaction ~ Days + (Days | Subject)", sleep)


@pytest.fixture(scope="module")
def small(fit):
    return bootstrap(fit, 40, rng=1)


# ----- names and layout ------------------------------------------------------------------------
def test_parameter_names_like_confint(fit, sleep):
    assert parameter_names(fit.mm) == NAMES
    uncorr = lmm_core.lmer("Reaction ~ Days + (Days || Subject)", sleep)
    assert parameter_names(uncorr.mm) == ["(Intercept)", "Days", "sd_(Intercept)|Subject",
                                          "sd_Days|Subject", "sigma"]


def test_result_layout(fit, small):
    assert isinstance(small, BootstrapResult)
    assert (small.kind, small.n, small.n_failed, small.n_not_converged) == ("parametric", 40, 0, 0)
    assert list(small.replicates.columns) == NAMES and small.replicates.shape == (40, 6)
    vc = fit.varcorr()
    expected = [*fit.fixef, vc.sdcor[0], vc.sdcor[2], vc.sdcor[1], fit.sigma]
    np.testing.assert_allclose(small.estimate.to_numpy(), expected, rtol=1e-12)
    assert list(small.estimate.index) == NAMES
    assert small.status.eq("ok").all()


# ----- the refits ------------------------------------------------------------------------------
def test_dense_and_sparse_paths_agree(monkeypatch):
    pen = pd.read_csv(DATA / "Penicillin.csv")
    fit = lmm_core.lmer("diameter ~ 1 + (1 | plate) + (1 | sample)", pen)
    dense = bootstrap(fit, 3, rng=1).replicates
    monkeypatch.setattr(devfun, "DENSE_MAX", 0)
    sparse = bootstrap(fit, 3, rng=1).replicates
    np.testing.assert_allclose(dense, sparse, rtol=1e-4)


def test_parametric_replicates_are_refits(fit):
    """Replicate i is the fit to simulate(fit, n, rng=seed)[:, i]: same fixed effects, and an
    optimum at least as good as fit_matrices' (both stop within BOBYQA's tolerance)."""
    result = bootstrap(fit, 4, rng=11)
    sims = fit.simulate(4, rng=11)
    for i in range(4):
        ref = fit_matrices(fit.mm, True, y=sims[:, i], check_conv=False)
        row = result.replicates.iloc[i]
        np.testing.assert_allclose(row[["(Intercept)", "Days"]], ref.pls.beta, rtol=1e-8)
        np.testing.assert_allclose(row["sigma"], ref.sigma, rtol=1e-3)
        cp = cross_products(fit.mm, sims[:, i])
        theta, *_ = boot._refit(fast_deviance(cp, True), fit.theta, fit.mm.lower)
        assert make_deviance(cp, True)(theta) <= ref.objective + 1e-6


def test_warm_start_step_needs_fewer_evaluations(fit):
    """The refits' first step (see _warm_start_step) reaches the cold fit's optimum sooner."""
    y = fit.simulate(1, rng=3)[:, 0]
    model = fast_deviance(cross_products(fit.mm, y), True)
    cold = fit_matrices(fit.mm, True, y=y, check_conv=False)
    warm = boot.optimize_theta(model.deviance, fit.theta, fit.mm.lower,
                               initial_step=boot._warm_start_step(fit.theta))
    assert warm.converged and warm.fmin == pytest.approx(cold.objective, abs=1e-6)
    assert warm.feval < boot.optimize_theta(model.deviance, fit.theta, fit.mm.lower).feval


def test_batch_and_one_by_one_refits_agree(fit, small, monkeypatch):
    """batch_refit's Newton optimum and BOBYQA's (within its tolerance) are the same refit;
    replicates the batch leaves are refitted one by one."""
    one_by_one(monkeypatch)
    sequential = bootstrap(fit, 40, rng=1)
    np.testing.assert_allclose(small.replicates, sequential.replicates, rtol=2e-3, atol=1e-6)
    real = batch_refit.refit_many

    def leaves_some(*args):
        result = real(*args)
        return replace(result, ok=result.ok & (np.arange(len(result.ok)) % 3 != 0))

    monkeypatch.setattr(boot, "refit_many", leaves_some)
    mixed = bootstrap(fit, 40, rng=1)
    pd.testing.assert_frame_equal(mixed.replicates.iloc[::3], sequential.replicates.iloc[::3])
    pd.testing.assert_frame_equal(mixed.replicates.drop(index=range(0, 40, 3)),
                                  small.replicates.drop(index=range(0, 40, 3)))
    assert mixed.status.eq("ok").all()


def test_chunked_simulation_gives_same_replicates(fit, small, monkeypatch):
    monkeypatch.setattr(boot, "_CHUNK_VALUES", 180 * 7)  # chunks of 7 simulations
    pd.testing.assert_frame_equal(bootstrap(fit, 40, rng=1).replicates, small.replicates)


# ----- determinism and arguments ---------------------------------------------------------------
@pytest.mark.parametrize("kind", boot.KINDS)
def test_same_seed_same_replicates(fit, kind):
    a, b = bootstrap(fit, 5, kind, rng=3), bootstrap(fit, 5, kind, rng=3)
    pd.testing.assert_frame_equal(a.replicates, b.replicates)
    assert not bootstrap(fit, 5, kind, rng=4).replicates.equals(a.replicates)


@pytest.mark.parametrize("n", [0, -5, 2.5, True, "10", None])
def test_bad_n(fit, n):
    with pytest.raises(LmmError, match="whole number"):
        bootstrap(fit, n)


def test_bad_kind_group_progress(fit):
    with pytest.raises(LmmError, match="parametric, case, cluster"):
        bootstrap(fit, 5, "wild")
    with pytest.raises(LmmError, match="Subject"):
        bootstrap(fit, 5, "cluster", group="School")
    with pytest.raises(LmmError, match="progress"):
        bootstrap(fit, 5, progress="yes")


def test_progress_is_called_at_most_about_100_times(fit):
    calls = []
    bootstrap(fit, 250, rng=1, progress=lambda done, total: calls.append((done, total)))
    assert 50 <= len(calls) <= 101
    assert calls[-1] == (250, 250)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


# ----- intervals -------------------------------------------------------------------------------
def test_ci_layout_and_methods(small):
    reps, est = small.replicates, small.estimate
    perc = small.ci()
    assert list(perc.columns) == ["lower", "upper"] and list(perc.index) == NAMES
    assert (perc.lower <= perc.upper).all()
    np.testing.assert_allclose(perc.lower, np.quantile(reps, 0.025, axis=0))
    np.testing.assert_allclose(small.ci(0.9).upper, np.quantile(reps, 0.95, axis=0))
    basic = small.ci(method="basic")
    np.testing.assert_allclose(basic.lower, 2 * est - np.quantile(reps, 0.975, axis=0))
    normal = small.ci(method="normal")
    center = 2 * est - reps.mean()
    np.testing.assert_allclose((normal.lower + normal.upper) / 2, center)
    np.testing.assert_allclose(normal.upper - normal.lower, 2 * 1.959963985 * reps.std(), rtol=1e-8)


@pytest.mark.parametrize("level", [0, 1, 95, -0.5, "0.95"])
def test_ci_bad_level(small, level):
    with pytest.raises(LmmError, match="level"):
        small.ci(level)


def test_ci_bad_method(small):
    with pytest.raises(LmmError, match="percentile, basic, normal"):
        small.ci(method="bca")


# ----- failures are counted, never dropped -----------------------------------------------------
def one_by_one(monkeypatch):
    """Refit every replicate one by one (no batch_refit), as models with more factors are."""
    monkeypatch.setattr(boot, "refit_many", lambda *args: None)


def test_failed_refits_are_nan_rows_and_counted(fit, monkeypatch):
    one_by_one(monkeypatch)
    real, calls = boot._refit, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) in (2, 5):
            raise np.linalg.LinAlgError("forced failure")
        return real(*args, **kwargs)

    monkeypatch.setattr(boot, "_refit", flaky)
    result = bootstrap(fit, 8, rng=2)
    assert result.n_failed == 2 and result.n_not_converged == 0
    assert result.replicates.iloc[[1, 4]].isna().all().all()
    assert result.replicates.drop(index=[1, 4]).notna().all().all()
    assert result.status.tolist().count("failed") == 2
    assert result.messages == ("forced failure",)
    ok = result.replicates.dropna()
    np.testing.assert_allclose(result.ci().lower, np.quantile(ok, 0.025, axis=0))


def test_not_converged_is_counted_and_kept(fit, monkeypatch):
    one_by_one(monkeypatch)
    real, calls = boot.optimize_theta, []

    def tired(*args, **kwargs):
        calls.append(1)
        return replace(real(*args, **kwargs), converged=len(calls) != 3)

    monkeypatch.setattr(boot, "optimize_theta", tired)
    result = bootstrap(fit, 5, rng=2)
    assert (result.n_failed, result.n_not_converged) == (0, 1)
    assert result.status[2] == "not converged" and result.replicates.iloc[2].notna().all()


def test_case_bootstrap_counts_samples_that_miss_a_level(sleep):
    """A factor level in one row only: a case sample often leaves it out (collinear X)."""
    data = sleep.assign(rare=np.where(np.arange(len(sleep)) == 0, "b", "a"))
    fit = lmm_core.lmer("Reaction ~ Days + rare + (1 | Subject)", data)
    result = bootstrap(fit, 20, "case", rng=1)
    assert 0 < result.n_failed < 20
    assert any("collinear" in m for m in result.messages)
    assert result.replicates[result.status == "failed"].isna().all().all()


# ----- the statistics --------------------------------------------------------------------------
def test_parametric_ci_close_to_bootmer(fit):
    """Percentile intervals of 1000 replicates vs bootMer's, within Monte-Carlo error
    (SE of a 2.5% quantile of 1000 draws is about 0.09 SD; two independent runs differ by
    about 0.13 SD, so 0.45 SD is > 3 SE)."""
    result = bootstrap(fit, 1000, rng=101)
    ref = REF["boot_sleepstudy"]
    ci = result.ci()
    for name, (lo, hi) in ref["bootmer_ci"].items():
        tol = 0.45 * ref["bootmer_sd"][name]
        assert ci.loc[name, "lower"] == pytest.approx(lo, abs=tol)
        assert ci.loc[name, "upper"] == pytest.approx(hi, abs=tol)
        assert result.replicates[name].std() == pytest.approx(ref["bootmer_sd"][name], rel=0.1)
    assert result.n_failed == 0


def test_case_bootstrap_is_overconfident_for_the_intercept(fit):
    """The teaching point: resampling rows ignores that rows of a subject belong together."""
    case = bootstrap(fit, 150, "case", rng=5).ci()
    cluster = bootstrap(fit, 150, "cluster", rng=5).ci()
    width = lambda ci: ci.loc["(Intercept)", "upper"] - ci.loc["(Intercept)", "lower"]  # noqa: E731
    assert width(case) < 0.7 * width(cluster)


def test_multiple_grouping_factors():
    pen = pd.read_csv(DATA / "Penicillin.csv")
    fit = lmm_core.lmer("diameter ~ 1 + (1 | plate) + (1 | sample)", pen)
    for kind in boot.KINDS:
        result = bootstrap(fit, 3, kind, rng=1)
        assert result.n_failed == 0, result.messages
    assert list(result.replicates.columns) == ["(Intercept)", "sd_(Intercept)|plate",
                                               "sd_(Intercept)|sample", "sigma"]


def test_cluster_on_the_outer_factor_of_a_nested_design():
    pastes = pd.read_csv(DATA / "Pastes.csv")
    fit = lmm_core.lmer("strength ~ 1 + (1 | batch/cask)", pastes)
    result = bootstrap(fit, 3, "cluster", rng=1, group="batch")
    assert result.n_failed == 0, result.messages


def test_singular_original_fit_still_bootstraps():
    dye2 = pd.read_csv(DATA / "Dyestuff2.csv")
    fit = lmm_core.lmer("Yield ~ 1 + (1 | Batch)", dye2)
    assert fit.is_singular
    result = bootstrap(fit, 20, rng=1)
    assert result.n_failed == 0
    assert (result.replicates["sd_(Intercept)|Batch"] >= 0).all()


@pytest.mark.parametrize("crossed", [False, True])
def test_with_response_equals_cross_products(fit, crossed):
    """Only the y columns change with the response: the same as cross_products with new y."""
    if crossed:
        pen = pd.read_csv(DATA / "Penicillin.csv")
        fit = lmm_core.lmer("diameter ~ 1 + (1 | plate) + (1 | sample)", pen)
    y = fit.simulate(1, rng=9)[:, 0]
    ref = cross_products(fit.mm, y)
    Zt = boot.random_effects_matrix(fit).T
    offset = np.linalg.lstsq(fit.mm.X, y, rcond=None)[0]
    yc = y - fit.mm.X @ offset
    got = boot._with_response(fit.cp, Zt @ yc, fit.mm.X.T @ yc, yc @ yc, offset)
    for field in ("A11", "A1t", "Art", "Att", "beta_offset"):
        np.testing.assert_allclose(getattr(got, field), getattr(ref, field), rtol=1e-12,
                                   atol=1e-9)
    for field in ("A1r", "Arr"):  # sparse with a second grouping factor, else empty arrays
        got_, ref_ = getattr(got, field), getattr(ref, field)
        assert got_.shape == ref_.shape
        assert (abs(got_ - ref_)).sum() == 0
