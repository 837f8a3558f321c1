"""lmm_core: linear mixed-effects models fitted exactly as R's lme4 fits them.

    import lmm_core
    fit = lmm_core.lmer("Reaction ~ Days + (Days | Subject)", data)
    print(fit.summary())
"""

from .api import lmer
from .errors import (
    ColumnNotFoundError,
    DataError,
    FitError,
    FormulaError,
    LmmError,
    ModelSpecError,
)
from .formula import parse_formula
from .results import LmerFit

__all__ = [
    "lmer",
    "LmerFit",
    "parse_formula",
    "LmmError",
    "FormulaError",
    "DataError",
    "ColumnNotFoundError",
    "ModelSpecError",
    "FitError",
]
