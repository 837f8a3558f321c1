"""lmm_core: linear mixed-effects models fitted exactly as R's lme4 fits them.

    import lmm_core
    fit = lmm_core.lmer("Reaction ~ Days + (Days | Subject)", data)
    print(fit.summary(ddf="Satterthwaite"))
    lmm_core.anova(small_fit, fit)              # likelihood-ratio test
    lmm_core.bootstrap(fit, n=1000).ci()        # parametric bootstrap intervals
"""

import os

# One BLAS thread unless the user chose otherwise. lmm_core's matrices are small or handled
# block by block, and on small machines OpenBLAS's threads cost more than they give: the
# 70,000-row crossed benchmark fits in 3.4 s with one thread and 26 s with two on 2 cores.
# This only takes effect if numpy has not been imported yet (the app and tests set it first).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from . import methods  # noqa: E402, F401 - registers LmerFit's summary(), confint(), ...
from .allfit import all_fit
from .anova import anova, anova_type3
from .api import lmer
from .bootstrap import bootstrap
from .errors import (
    ColumnNotFoundError,
    DataError,
    FitError,
    FitTimeLimit,
    FormulaError,
    LmmError,
    ModelSpecError,
)
from .formula import Formula, parse_formula
from .limits import FitCost, FitProgress, estimate_cost
from .pooling import pooling
from .refit import refit
from .remedies import center_scale, drop_correlation, drop_random_slopes, relevel
from .results import LmerFit

__all__ = [
    "lmer",
    "LmerFit",
    "anova",
    "anova_type3",
    "refit",
    "bootstrap",
    "pooling",
    "all_fit",
    "center_scale",
    "relevel",
    "drop_correlation",
    "drop_random_slopes",
    "parse_formula",
    "Formula",
    "LmmError",
    "FormulaError",
    "DataError",
    "ColumnNotFoundError",
    "ModelSpecError",
    "FitError",
    "FitTimeLimit",
    "estimate_cost",
    "FitCost",
    "FitProgress",
]
