"""refit(): lme4's refit() and refitML(), and anova(check_nested=False).

References: lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = FALSE) has deviance
1751.939344 (tests/reference case sleep_slopes_ml); anova(fm_int, fm_slopes) refits both by ML
(case anova_lrt).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lmm_core
from lmm_core import LmmError, ModelSpecError, refit
from lmm_core.refit import refit_ml
from tests.reference.cases import ROOT, case

SLEEP = pd.read_csv(ROOT / "simulators" / "data" / "sleepstudy.csv")
FORMULA = "Reaction ~ Days + (Days | Subject)"


@pytest.fixture(scope="module")
def fit():
    return lmm_core.lmer(FORMULA, SLEEP)


def test_refit_ml_is_lme4s_refitml(fit):
    ml = refit(fit, reml=False)
    assert ml is not fit and not ml.reml and fit.reml
    assert ml.objective == pytest.approx(case("sleep_slopes_ml")["objective"], rel=1e-8)
    assert ml.opt.optimizer == "bobyqa"  # lme4's refitML(x, optimizer = "bobyqa")
    assert refit_ml(ml) is ml and refit_ml(fit).objective == pytest.approx(ml.objective)
    assert type(ml) is type(fit) and ml.data_name == fit.data_name


def test_refit_to_a_new_response_is_a_fresh_fit(fit):
    y = fit.simulate(1, rng=5)[:, 0]
    new = refit(fit, y)
    fresh = lmm_core.lmer(FORMULA, SLEEP.assign(Reaction=y))
    assert new.objective == pytest.approx(fresh.objective, rel=1e-7)
    np.testing.assert_allclose(new.fixef, fresh.fixef, rtol=1e-5)
    np.testing.assert_array_equal(new.mm.y, y)
    np.testing.assert_array_equal(fit.mm.y, SLEEP["Reaction"])  # the old fit is unchanged
    assert new.opt.optimizer == fit.opt.optimizer


def test_start_optimizer_and_checks(fit):
    from_far = refit(fit, start=[2.0, 0.5, 1.0], optimizer="Nelder_Mead")
    assert from_far.opt.optimizer == "Nelder_Mead"
    assert from_far.objective == pytest.approx(fit.objective, abs=1e-5)
    quick = refit(fit, check_conv=False)
    assert quick.conv is None and quick.objective == pytest.approx(fit.objective, abs=1e-8)


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"y": np.ones(3)}, "needs 180 values"),
    ({"y": np.full(180, np.nan)}, "missing or infinite"),
    ({"start": [1.0, 0.0]}, "3 finite numbers .*Subject.Days"),
    ({"optimizer": "newton"}, "Unknown optimizer"),
])
def test_bad_arguments(fit, kwargs, words):
    with pytest.raises(LmmError, match=words):
        refit(fit, **kwargs)


def test_nested_by_a_constraint_with_check_nested_false():
    """One subject SD against one per group: the first is the second with equal SDs, but its
    terms do not show it; lme4's anova() compares them, so does check_nested=False."""
    data = SLEEP.assign(in_a=(SLEEP["Subject"] % 2 == 0).astype(float))
    data["in_b"] = 1.0 - data["in_a"]
    small = lmm_core.lmer("Reaction ~ Days + (1 | Subject)", data)
    big = lmm_core.lmer("Reaction ~ Days + (0 + in_a | Subject) + (0 + in_b | Subject)", data)
    with pytest.raises(ModelSpecError, match="not nested"):
        lmm_core.anova(small, big)
    table = lmm_core.anova(small, big, check_nested=False).table
    ml = [refit_ml(small), refit_ml(big)]
    assert table["Df"].iloc[1] == 1
    assert table["Chisq"].iloc[1] == pytest.approx(max(0.0, 2 * (ml[1].loglik - ml[0].loglik)))
