"""Shared helpers for the side-by-side benchmarks: timing, peak memory, lme4 through Rscript."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def best_time(fn, repeat: int, inner: int = 1) -> float:
    """Best of `repeat` runs of `inner` calls, seconds per call (least disturbed by load)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        best = min(best, (time.perf_counter() - start) / inner)
    return best


def have_r() -> bool:
    if shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(["Rscript", "-e", "library(lme4)"], capture_output=True)
    return probe.returncode == 0


def run_r(script: str, data: pd.DataFrame, timeout: float = 1800) -> dict:
    """Run an R script that reads `data.csv` and prints one JSON line; return it parsed."""
    with tempfile.TemporaryDirectory() as tmp:
        data.to_csv(Path(tmp) / "data.csv", index=False)
        (Path(tmp) / "bench.R").write_text(script)
        out = subprocess.run(["Rscript", "bench.R"], cwd=tmp, capture_output=True, text=True,
                             timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def ratio(a: float, b: float) -> str:
    return f"{a / b:.3f}" if b else "n/a"
