"""Why a mixed model?: the reveal of each variant (pure): every option fitted, or the mixed
model beside both shortcuts, with the numbers named in plain words."""

from __future__ import annotations

import pandas as pd

from ..base import Reveal
from . import factor, shortcuts

__all__ = ["factor_reveal", "shortcut_reveal"]


def factor_reveal(case: str, data: pd.DataFrame) -> Reveal:
    """Random, fixed and left out, each fitted: the term asked about and the SDs."""
    num, table = factor.numbers(case, factor.fit_options(case, data), data)
    return Reveal(factor.explanation(case, num), {k: float(v) for k, v in num.items()},
                  {"fits": table})


def shortcut_reveal(est: dict) -> Reveal:
    """The mixed model's average slope and SE beside the two shortcuts'."""
    numbers = {f"{k}_{q}": float(est[k][q]) for k in ("model", "separate", "means")
               for q in ("estimate", "se")}
    return Reveal(shortcuts.explanation(est), numbers, {"shortcuts": shortcuts.table(est)})
