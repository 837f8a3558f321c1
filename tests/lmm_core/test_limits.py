"""Work limits: lmer(max_seconds=, callback=) and estimate_cost(), for pages serving many users.

The expensive model is the issue's: seven random effects per subject on sleepstudy, k = 28
covariance parameters (lme4 1.1-31 needs 25,105 deviance evaluations for it).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

import lmm_core
from lmm_core import FitCost, FitProgress, FitTimeLimit, LmmError, estimate_cost
from tests.reference.cases import ROOT

SLEEP = pd.read_csv(ROOT / "simulators" / "data" / "sleepstudy.csv")
SMALL = "Reaction ~ Days + (Days | Subject)"
BIG = ("Reaction ~ Days + (Days + I(Days^2) + I(Days^3) + sqrt(Days) + log1p(Days) "
       "+ abs(Days - 4) | Subject)")


def test_a_long_fit_stops_at_the_limit_with_what_to_do():
    start = time.perf_counter()
    with pytest.raises(FitTimeLimit, match=r"stopped after 0\.\d s .*limit here is 0.3 s") as err:
        lmm_core.lmer(BIG, SLEEP, max_seconds=0.3)
    assert time.perf_counter() - start < 2.0
    assert isinstance(err.value, LmmError)
    assert "random slopes" in str(err.value) and "||" in str(err.value)
    assert err.value.limit == 0.3 and err.value.seconds > 0.3 and err.value.evaluations > 0


def test_a_fit_within_its_limit_is_the_same_fit():
    seen = []
    fit = lmm_core.lmer(SMALL, SLEEP, max_seconds=60, callback=seen.append)
    plain = lmm_core.lmer(SMALL, SLEEP)
    np.testing.assert_array_equal(fit.theta, plain.theta)
    assert fit.messages == plain.messages
    # every evaluation reported, the optimizer's and lme4's derivative check's (2 k^2 = 18)
    assert [p.evaluations for p in seen] == list(range(1, len(seen) + 1))
    assert len(seen) >= plain.opt.feval + 18 and all(isinstance(p, FitProgress) for p in seen)
    assert all(a.seconds <= b.seconds for a, b in zip(seen, seen[1:], strict=False))


def test_a_callback_cancels_by_raising():
    class Cancelled(Exception):
        pass

    def cancel_after_50(progress):
        if progress.evaluations == 50:
            raise Cancelled

    with pytest.raises(Cancelled):
        lmm_core.lmer(BIG, SLEEP, callback=cancel_after_50)


@pytest.mark.parametrize(("kwargs", "error", "words"), [
    ({"max_seconds": -1}, LmmError, "positive number of seconds"),
    ({"max_seconds": float("nan")}, LmmError, "positive number of seconds"),
    ({"max_seconds": "10"}, TypeError, "number of seconds"),
    ({"max_seconds": True}, TypeError, "number of seconds"),
    ({"callback": 3}, TypeError, "function"),
])
def test_bad_limits_are_plain_errors(kwargs, error, words):
    with pytest.raises(error, match=words):
        lmm_core.lmer(SMALL, SLEEP, **kwargs)


def test_estimate_cost_sizes_the_model_without_fitting():
    small, big = estimate_cost(SMALL, SLEEP), estimate_cost(BIG, SLEEP)
    assert isinstance(small, FitCost)
    assert (small.n_obs, small.n_fixed, small.n_random, small.n_theta) == (180, 2, 36, 3)
    assert (big.n_random, big.n_theta) == (7 * 18, 28)
    assert small.seconds < 0.5 and big.seconds > 3  # it takes ~8 s on one core
    assert not small.too_big(3) and small.refusal(3) is None
    assert big.too_big(3)
    assert "28 variance and correlation parameters" in big.refusal(3)
    assert "fewer random slopes" in big.refusal(3)


def test_estimate_cost_takes_a_parsed_formula_and_checks_the_data():
    parsed = lmm_core.parse_formula(SMALL)
    assert estimate_cost(parsed, SLEEP) == estimate_cost(SMALL, SLEEP)
    with pytest.raises(lmm_core.ColumnNotFoundError, match="Days"):
        estimate_cost("Reaction ~ days + (1 | Subject)", SLEEP)
