"""lmm_core against lme4 1.1-31 on the formula language and names (make_reference_syntax.R).

Each case fits one lme4 formula (its R call is in the JSON under "call") on a CSV read as is,
so that R and pandas see the same columns: text stays text (factors sorted by R's collation),
TRUE/FALSE/NA stays logical. Tolerances as test_reference.py: objective 1e-6 relative, fixed
effects 1e-5, standard errors and variance components 2e-4; names exactly.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

import lmm_core
from lmm_core.variables import sort_text
from tests.reference import cases
from tests.reference.cases import rel

ROOT = Path(__file__).resolve().parents[2]


def reference() -> dict:
    return cases.reference("lme4_reference_syntax.json")


@cache
def data(path: str) -> pd.DataFrame:
    return pd.read_csv(ROOT / path)


CASES = list(reference()["cases"])


@pytest.fixture(scope="module")
def fits():
    out = {}
    for cid in CASES:
        c = reference()["cases"][cid]
        out[cid] = lmm_core.lmer(c["formula"], data(c["data"]), reml=c["reml"])
    return out


def test_every_case_fitted_in_r():
    errors = {cid: c["error"] for cid, c in reference()["cases"].items() if "error" in c}
    assert not errors


@pytest.mark.parametrize("cid", CASES)
def test_objective_fixed_effects_and_standard_errors(fits, cid):
    fit, ref = fits[cid], reference()["cases"][cid]
    assert fit.objective == pytest.approx(ref["objective"], rel=1e-6), ref["call"]
    assert fit.nobs == ref["nobs"]
    assert list(fit.fixef.index) == list(ref["fixef"]), "lme4's coefficient names"
    assert rel(fit.fixef.values, list(ref["fixef"].values())) < 1e-5
    se = fit.coef_table()["Std. Error"]
    assert rel(se.values, [ref["se"][k] for k in se.index]) < 2e-4
    assert fit.sigma == pytest.approx(ref["sigma"], rel=2e-4)


@pytest.mark.parametrize("cid", CASES)
def test_groups_levels_and_variance_components(fits, cid):
    fit, ref = fits[cid], reference()["cases"][cid]
    assert fit.ngroups == ref["ngroups"], "group names as lme4 prints them"
    assert fit.mm.theta_names == ref["theta_names"]
    ranef = fit.ranef()
    assert list(ranef) == list(ref["ranef"])
    for group, table in ranef.items():
        assert list(table.index) == ref["ranef"][group]["levels"], "levels in R's order"
        assert list(table.columns) == ref["ranef"][group]["columns"]
    vc, expected = fit.varcorr(), pd.DataFrame(ref["varcorr"])
    assert vc[["grp", "var1", "var2"]].values.tolist() == \
        expected[["grp", "var1", "var2"]].values.tolist()
    assert rel(vc["vcov"], expected["vcov"], floor=1e-2) < 2e-4
    assert rel(vc["sdcor"], expected["sdcor"], floor=1e-2) < 2e-4


@pytest.mark.parametrize("cid", CASES)
def test_summary_formula_line(fits, cid):
    lines = str(fits[cid].summary()).splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("Formula:"))
    expected = reference()["cases"][cid]["formula_line"]
    assert lines[start : start + len(expected)] == expected


PREDICTED = [cid for cid in CASES if "predict" in reference()["cases"][cid]]


@pytest.mark.parametrize("cid", PREDICTED)
def test_predictions_on_new_data(fits, cid):
    """poly() and scale() reuse the fitted data's coefficients; offsets are added; a new
    group gets the population prediction (allow.new.levels = TRUE)."""
    ref = reference()["cases"][cid]["predict"]
    newdata = pd.DataFrame(ref["newdata"])
    fit = fits[cid]
    assert rel(fit.predict(newdata), ref["with_re"]) < 1e-5
    assert rel(fit.predict(newdata, re_form="~0"), ref["population"]) < 1e-5


def test_text_sorts_as_r_sorts_it():
    """R 4.2 in C.UTF-8 with ICU (see meta.collate): apple < Apple < Banana < cherry."""
    expected = reference()["meta"]["collation"]
    assert sort_text(sorted(expected)) == expected
