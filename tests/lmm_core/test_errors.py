"""Bad input gets an lmm_core error that says what is wrong and how to fix it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lmm_core
from lmm_core.errors import ColumnNotFoundError, DataError, FormulaError, LmmError, ModelSpecError


def sleepstudy() -> pd.DataFrame:
    from tests.reference.cases import case_data

    return case_data("sleep_slopes_reml")


def test_unparseable_formula_shows_a_caret():
    with pytest.raises(FormulaError) as err:
        lmm_core.lmer("Reaction ~ Days + (Days | Subject", sleepstudy())
    text = str(err.value)
    assert "Reaction ~ Days + (Days | Subject" in text
    assert "^" in text.splitlines()[-1]


def test_unknown_column_names_close_matches():
    with pytest.raises(ColumnNotFoundError) as err:
        lmm_core.lmer("Reaction ~ days + (1 | Subject)", sleepstudy())
    assert "'days'" in str(err.value)
    assert "Did you mean 'Days'" in str(err.value)


def test_non_numeric_response():
    data = sleepstudy().assign(label=lambda d: np.where(d.Reaction > 300, "slow", "fast"))
    with pytest.raises(DataError, match="response 'label' must be numeric"):
        lmm_core.lmer("label ~ Days + (1 | Subject)", data)


def test_grouping_factor_with_one_level():
    data = sleepstudy().assign(lab="only")
    with pytest.raises(DataError, match="only 1 level"):
        lmm_core.lmer("Reaction ~ Days + (1 | lab)", data)


def test_as_many_random_effects_as_observations():
    data = sleepstudy().head(20)  # 2 subjects x 10 days
    data = data.assign(pair=np.repeat(np.arange(10), 2))
    with pytest.raises(ModelSpecError, match="number of random effects"):
        lmm_core.lmer("Reaction ~ Days + (Days | pair)", data)


def test_every_row_its_own_group():
    data = sleepstudy().assign(row=np.arange(180))
    with pytest.raises(DataError, match="every observation is its own group"):
        lmm_core.lmer("Reaction ~ Days + (1 | row)", data)


def test_empty_after_dropping_missing_rows():
    data = sleepstudy().assign(Days=np.nan)
    with pytest.raises(DataError, match="No rows are left"):
        lmm_core.lmer("Reaction ~ Days + (1 | Subject)", data)


def test_missing_rows_are_dropped_with_a_message():
    data = sleepstudy()
    data.loc[[0, 5, 7], "Reaction"] = np.nan
    fit = lmm_core.lmer("Reaction ~ Days + (1 | Subject)", data)
    assert fit.nobs == 177
    assert "3 rows with missing values removed before fitting." in fit.messages


def test_missing_values_in_unused_columns_do_not_drop_rows():
    data = sleepstudy().assign(unused=np.nan)
    assert lmm_core.lmer("Reaction ~ Days + (1 | Subject)", data).nobs == 180


def test_no_random_effects_term():
    with pytest.raises(ModelSpecError, match="no random-effects term"):
        lmm_core.lmer("Reaction ~ Days", sleepstudy())


def test_log_of_non_positive_values():
    data = sleepstudy().assign(shifted=lambda d: d.Days - 3)
    with pytest.raises(DataError, match="not finite"):
        lmm_core.lmer("Reaction ~ log(shifted) + (1 | Subject)", data)


def test_arithmetic_on_a_text_column():
    with pytest.raises(DataError, match="not numeric"):
        lmm_core.lmer("Reaction ~ log(Subject) + (1 | Subject)", sleepstudy())


def test_data_must_be_a_dataframe():
    with pytest.raises(DataError, match="DataFrame"):
        lmm_core.lmer("Reaction ~ Days + (1 | Subject)", sleepstudy().to_dict())


def test_predict_with_an_unseen_fixed_factor_level():
    data = sleepstudy().assign(half=lambda d: np.where(d.Days < 5, "early", "late"))
    fit = lmm_core.lmer("Reaction ~ half + (1 | Subject)", data)
    with pytest.raises(DataError, match="not fitted with: 'middle'"):
        fit.predict(pd.DataFrame({"half": ["middle"], "Subject": ["308"]}))


def test_all_errors_share_one_base_class():
    for cls in (FormulaError, DataError, ColumnNotFoundError, ModelSpecError):
        assert issubclass(cls, LmmError)
        assert issubclass(cls, ValueError)


def test_coef_adds_every_random_part_when_a_group_repeats_a_term():
    """(1 | g) + (x | g): two intercepts for one group; coef() adds both to the fixed one."""
    fit = lmm_core.lmer("Reaction ~ Days + (1 | Subject) + (Days | Subject)", sleepstudy())
    re, coef = fit.ranef()["Subject"], fit.coef()["Subject"]
    assert list(re.columns) == ["(Intercept)", "(Intercept)", "Days"]
    expected = fit.fixef["(Intercept)"] + re.iloc[:, 0] + re.iloc[:, 1]
    assert np.allclose(coef["(Intercept)"], expected)
