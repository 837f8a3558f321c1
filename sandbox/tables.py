"""Tables as the page shows them: numbers rounded for reading aloud, p-values as R prints
them, blanks for missing values (pandas Styler, which st.dataframe draws)."""

from __future__ import annotations

import pandas as pd

__all__ = ["p_value", "styled"]


def p_value(p) -> str:
    """R's way: "< 2e-16" for the tiniest, else three significant digits."""
    if pd.isna(p):
        return ""
    return "< 2e-16" if p < 2e-16 else f"{p:.3g}"


def styled(frame: pd.DataFrame, digits: int = 2):
    """The frame with its decimal columns rounded to ``digits``; "Pr(...)" columns as p."""
    def number(value) -> str:
        return "" if pd.isna(value) else f"{value:,.{digits}f}"

    formats = {c: (p_value if str(c).startswith("Pr(") else number) for c in frame.columns
               if pd.api.types.is_float_dtype(frame[c])}
    return frame.style.format(formats, na_rep="")
