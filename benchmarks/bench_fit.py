"""Time one lmer fit: lmm_core against lme4 (through Rscript, when present) and statsmodels.

    python benchmarks/bench_fit.py            # sleepstudy (Days | Subject), all peers
    python benchmarks/bench_fit.py --crossed  # also the 70,000-row crossed design

Goals (issue 2): sleepstudy at most half of lme4's time and a tenth of statsmodels MixedLM's;
the crossed design faster than lme4 and under 2 GB. Times are the best of several runs.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as lmm_core and the app run (see README)

import argparse
import resource
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
from common import ROOT, best_time, have_r, ratio, run_r

import lmm_core

SLEEP_R = """
suppressMessages(library(lme4))
d <- read.csv("data.csv"); d$Subject <- factor(d$Subject)
f <- function() lmer(Reaction ~ Days + (Days | Subject), d)
for (i in 1:5) f()
best <- Inf
for (r in 1:5) best <- min(best, system.time(for (i in 1:20) f())[["elapsed"]] / 20)
cat(sprintf('{"seconds": %.6f}\\n', best))
"""

CROSSED_R = """
suppressMessages(library(lme4))
d <- read.csv("data.csv"); d$item <- factor(d$item); d$subj <- factor(d$subj)
t <- system.time(m <- lmer(y ~ x + (1 | item) + (1 | subj), d))[["elapsed"]]
cat(sprintf('{"seconds": %.4f, "objective": %.8f}\\n', t, REMLcrit(m)))
"""


def sleepstudy() -> pd.DataFrame:
    data = pd.read_csv(ROOT.parent / "shared" / "data" / "sleepstudy.csv")
    return data.assign(Subject=data.Subject.astype(str))


def bench_sleepstudy() -> None:
    data = sleepstudy()
    formula = "Reaction ~ Days + (Days | Subject)"
    ours = best_time(lambda: lmm_core.lmer(formula, data), repeat=7, inner=20)
    print(f"sleepstudy {formula}")
    print(f"  lmm_core            {ours * 1e3:8.2f} ms")
    sm = _statsmodels_time(data)
    print(f"  statsmodels MixedLM {sm * 1e3:8.2f} ms   lmm_core/statsmodels = {ratio(ours, sm)}")
    if have_r():
        r = run_r(SLEEP_R, data)["seconds"]
        print(f"  lme4 (Rscript)      {r * 1e3:8.2f} ms   lmm_core/lme4 = {ratio(ours, r)}")
    else:
        print("  lme4: Rscript with lme4 not found, skipped")


def _statsmodels_time(data: pd.DataFrame) -> float:
    import statsmodels.formula.api as smf

    def fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            smf.mixedlm("Reaction ~ Days", data, groups=data["Subject"],
                        re_formula="~Days").fit(reml=True)

    return best_time(fit, repeat=3, inner=3)


def crossed_data(n: int = 70_000, n_item: int = 3_000, n_subj: int = 1_000,
                 seed: int = 1) -> pd.DataFrame:
    """A synthetic crossed design: every row one (item, subject) pair, both random."""
    rng = np.random.default_rng(seed)
    item = rng.integers(0, n_item, n)
    subj = rng.integers(0, n_subj, n)
    x = rng.normal(size=n)
    y = (2.0 + 0.5 * x + rng.normal(0, 0.7, n_item)[item] + rng.normal(0, 0.4, n_subj)[subj]
         + rng.normal(0, 1.0, n))
    return pd.DataFrame({"y": y, "x": x, "item": item, "subj": subj})


def bench_crossed() -> None:
    data = crossed_data()
    print(f"crossed: {len(data)} rows, {data.item.nunique()} items x {data.subj.nunique()} "
          "subjects, y ~ x + (1 | item) + (1 | subj)")
    child = subprocess.run([sys.executable, __file__, "--crossed-child"], capture_output=True,
                           text=True, cwd=ROOT)
    if child.returncode != 0:
        print(child.stderr[-2000:])
        return
    seconds, objective, peak_mb = map(float, child.stdout.split())
    print(f"  lmm_core  {seconds:8.2f} s   peak memory {peak_mb:7.0f} MB   REML {objective:.6f}")
    if have_r():
        r = run_r(CROSSED_R, data)
        print(f"  lme4      {r['seconds']:8.2f} s   lmm_core/lme4 = {ratio(seconds, r['seconds'])}"
              f"   REML {r['objective']:.6f}")


def crossed_child() -> None:
    """Fit in a fresh process so that its peak memory is this fit's alone."""
    import time

    data = crossed_data()
    start = time.perf_counter()
    fit = lmm_core.lmer("y ~ x + (1 | item) + (1 | subj)", data)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(seconds, fit.objective, peak_mb)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crossed", action="store_true", help="also the large crossed design")
    parser.add_argument("--crossed-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.crossed_child:
        crossed_child()
    else:
        bench_sleepstudy()
        if args.crossed:
            bench_crossed()
