"""Shared helpers for the side-by-side benchmarks: timing, data, lme4 through Rscript, ratios."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(__file__).resolve().parent / ".cache"  # git-ignored: data fetched from R
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


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def have_r() -> bool:
    if shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(["Rscript", "-e", "library(lme4)"], capture_output=True)
    return probe.returncode == 0


def run_r(script: str, data: pd.DataFrame | None = None, timeout: float = 3600) -> dict:
    """Run an R script (that reads `data.csv`, if data is given) printing one JSON line last."""
    with tempfile.TemporaryDirectory() as tmp:
        if data is not None:
            data.to_csv(Path(tmp) / "data.csv", index=False)
        (Path(tmp) / "bench.R").write_text(script)
        out = subprocess.run(["Rscript", "bench.R"], cwd=tmp, capture_output=True, text=True,
                             timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def ratio(a: float, b: float) -> str:
    return f"{a / b:.3f}" if b else "n/a"


def verdict(value: float, goal: float) -> str:
    return "meets" if value <= goal else "MISSES"


def sleepstudy() -> pd.DataFrame:
    """lme4's sleepstudy as the package ships it (Subject as text, as R's factor)."""
    import simulators

    return simulators.load("sleepstudy")


INSTEVAL_R = """
suppressMessages(library(lme4))
d <- InstEval
write.csv(data.frame(y = d$y, s = d$s, d = d$d, dept = d$dept, service = d$service),
          "{path}", row.names = FALSE)
cat('{{"rows": ', nrow(d), '}}\\n')
"""


def insteval() -> pd.DataFrame:
    """lme4's InstEval (73,421 ratings), written by R into benchmarks/.cache once."""
    path = CACHE / "InstEval.csv"
    if not path.exists():
        if not have_r():
            raise SystemExit("InstEval comes from R's lme4: install Rscript with lme4 first.")
        CACHE.mkdir(exist_ok=True)
        run_r(INSTEVAL_R.format(path=path.as_posix()))
    return pd.read_csv(path, dtype={"s": str, "d": str, "dept": str, "service": str})


def seconds_text(seconds: float) -> str:
    return f"{seconds:8.3f} s " if seconds >= 1 else f"{seconds * 1e3:8.2f} ms"


def timing_line(label: str, ours: float, theirs: float, goal: float) -> str:
    r = ours / theirs
    return (f"{label:<28} lmm_core {seconds_text(ours)}  lme4 {seconds_text(theirs)}  "
            f"ratio {r:6.3f}  goal <= {goal:g}: {verdict(r, goal)}")
