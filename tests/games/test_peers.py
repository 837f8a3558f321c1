"""games.peers: statsmodels' MixedLM beside lme4 and lmerTest, on the same model matrices."""

import numpy as np
import pytest
from scipy import stats

import lmm_core
import simulators
from games import peers


@pytest.fixture(scope="module")
def sleep():
    return simulators.generate("sleep", seed=4, n_subjects=12, n_incomplete=0).data


def test_same_estimates_and_standard_errors_but_z_based_p_values(sleep):
    fit = lmm_core.lmer("reaction ~ days + (days | subject)", sleep)
    out = peers.compare_with_statsmodels(fit)
    assert out.supported and not out.notes
    fixed = out.fixed
    assert np.allclose(fixed["statsmodels estimate"], fixed["lme4 estimate"], rtol=1e-4)
    assert np.allclose(fixed["statsmodels SE"], fixed["lme4 SE"], rtol=1e-2)
    z = fixed["statsmodels estimate"] / fixed["statsmodels SE"]
    assert np.allclose(fixed["statsmodels p"], 2 * stats.norm.sf(np.abs(z)))
    satt = fit.coef_table(ddf="Satterthwaite")
    assert np.allclose(fixed["lmerTest p"], satt["Pr(>|t|)"])
    assert (fixed["statsmodels p"] <= fixed["lmerTest p"]).all()  # z is the liberal one
    assert np.allclose(out.random["statsmodels"], out.random["lme4"], rtol=1e-2)
    assert list(out.random.index) == ["SD subject: (Intercept)", "SD subject: days",
                                      "correlation subject: (Intercept), days", "SD residual"]
    text = out.explanation
    assert "Same model, same estimates" in text and "Satterthwaite" in text
    assert f"{fixed['lmerTest df']['days']:.1f} degrees of freedom" in text
    assert out.agree and list(out.compact().columns)[-1] == "statsmodels p"


def test_several_random_intercepts_are_variance_components():
    scenario = simulators.generate("items_crossed", seed=1, n_participants=10, n_items=8)
    out = peers.compare(scenario.formula, scenario.data)
    assert out.supported
    assert np.allclose(out.random["statsmodels"], out.random["lme4"], rtol=2e-2)
    assert list(out.random.index) == ["SD participant: (Intercept)", "SD item: (Intercept)",
                                      "SD residual"]


def test_uncorrelated_terms_of_one_factor_keep_lme4s_names(sleep):
    out = peers.compare("reaction ~ days + (1 | subject) + (0 + days | subject)", sleep)
    assert out.supported
    assert "SD subject.1: days" in out.random.index
    assert np.allclose(out.random["statsmodels"], out.random["lme4"], rtol=2e-2)


def test_a_structure_statsmodels_cannot_express_is_said_not_raised():
    scenario = simulators.generate("items_crossed", seed=1, n_participants=10, n_items=8)
    out = peers.compare("rt ~ frequency + (1 + frequency | participant) + (1 | item)",
                        scenario.data)
    assert not out.supported and "cannot express" in out.explanation
    assert "statsmodels p" not in out.fixed and "lmerTest p" in out.fixed


def test_a_failing_or_too_big_fit_is_a_finding(monkeypatch, sleep):
    fit = lmm_core.lmer("reaction ~ days + (1 | subject)", sleep)

    def broken(_fit):
        raise np.linalg.LinAlgError("singular matrix")

    monkeypatch.setattr(peers, "_fit", broken)
    out = peers.compare_with_statsmodels(fit)
    assert not out.supported and "failed" in out.explanation and "LinAlgError" in out.explanation
    monkeypatch.setattr(peers, "MAX_ROWS", 10)
    assert "too long" in peers.compare_with_statsmodels(fit).explanation


def test_statsmodels_warnings_become_plain_notes():
    data = simulators.generate("two_condition", seed=2, sd_participant=0.0, n_trials=2).data
    out = peers.compare("value ~ condition + (1 | participant)", data)
    assert out.supported and out.notes
    assert all(n.startswith("statsmodels") for n in out.notes)
