"""The sandbox's logic (no streamlit): datasets and uploads, formula suggestions, fitting and
its notes, the pooling pictures, the formula memory and the worked example. app_pages/sandbox.py
draws it.
"""

from .datasets import (
    COURSE,
    COURSE_EXAMPLE,
    COURSE_FORMULA,
    Dataset,
    column_summary,
    course_dataset,
    simulated_dataset,
    uploaded_dataset,
)
from .fitting import FitReport, Note, estimates, explain, fit_model, interval_table
from .formulas import PoolingPlan, Suggestion, pooling_plan, suggest_formula
from .upload import MAX_BYTES, MAX_ROWS, WHY_LIMITS, UploadedTable, UploadError, read_upload

__all__ = [
    "COURSE",
    "COURSE_EXAMPLE",
    "COURSE_FORMULA",
    "Dataset",
    "column_summary",
    "course_dataset",
    "simulated_dataset",
    "uploaded_dataset",
    "FitReport",
    "Note",
    "estimates",
    "explain",
    "fit_model",
    "interval_table",
    "PoolingPlan",
    "Suggestion",
    "pooling_plan",
    "suggest_formula",
    "MAX_BYTES",
    "MAX_ROWS",
    "WHY_LIMITS",
    "UploadedTable",
    "UploadError",
    "read_upload",
]
