"""Reference values from R (lme4 1.1-31, lmerTest 3.1-3), read by the tests.

Made by tests/reference/make_reference.R; each case records the R call that produced it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).with_name("lme4_reference.json")

# Columns R holds as factors although the CSV stores numbers.
FACTOR_COLUMNS = {"cake_factor": ["temperature"]}


@cache
def reference() -> dict:
    return json.loads(REFERENCE.read_text())


def case(case_id: str) -> dict:
    return reference()["cases"][case_id]


def model_case_ids() -> list[str]:
    """Ids of the cases that are single lmer fits (they have a formula)."""
    return [cid for cid, c in reference()["cases"].items() if "formula" in c and "error" not in c]


def data_path(recorded: str) -> Path:
    """Where a case's CSV is: R read ../shared/data/X, which ships as simulators/data/X (the
    same bytes), so that no test reads outside the project."""
    path = Path(recorded)
    if path.parts[:3] == ("..", "shared", "data"):
        return ROOT / "simulators" / "data" / path.name
    return ROOT / path


def case_data(case_id: str) -> pd.DataFrame:
    """The data of a case, with R's factor columns as strings (numeric-looking ones sorted)."""
    path = data_path(case(case_id)["data"])
    data = pd.read_csv(path)
    for name in data.columns:
        if data[name].dtype == object:
            data[name] = data[name].astype(str)
    for name in FACTOR_COLUMNS.get(case_id, []):
        levels = sorted(data[name].unique())
        data[name] = pd.Categorical(data[name].astype(str), [str(v) for v in levels])
    if "Subject" in data:
        data["Subject"] = data["Subject"].astype(str)
    if "subject" in data:
        data["subject"] = data["subject"].astype(str)
    return data


def data_name(case_id: str) -> str:
    """The name R printed after 'Data:' (the second argument of the lmer call)."""
    call = case(case_id).get("fit_call") or case(case_id)["call"]
    inside = call[call.index("(") + 1 :]
    return inside.split(",")[1].strip()
