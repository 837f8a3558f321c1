"""Time single lmer fits in lmm_core and lme4 (through Rscript) in one run, as ratios.

    python benchmarks/bench_fit.py                   # all three designs below
    python benchmarks/bench_fit.py --only slope      # one of: sleep, slope, crossed

- sleep: sleepstudy, Reaction ~ Days + (Days | Subject) (also statsmodels MixedLM);
- slope: 20,000 rows, 200 subjects x 100 items fully crossed, y ~ x + (x | subj) + (1 | item);
  goal (issue 9): at most 0.5x lme4's time;
- crossed: 70,000 rows, 3,000 items x 1,000 subjects drawn at random, y ~ x + (1 | item) +
  (1 | subj), with lmm_core's peak memory (goal of issue 2: faster than lme4, under 2 GB).

Both sides are timed from data frame to fitted model: lmm_core best of several runs, lme4 best
of several inside R (system.time). The REML criterion and the number of deviance evaluations
are printed for both: the optimizer's settings decide the latter.
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
from common import ROOT, best_time, have_r, ratio, run_r, sleepstudy, timing_line

import lmm_core

LME4_R = """
suppressMessages(library(lme4))
d <- read.csv("data.csv")
for (v in c({factors})) d[[v]] <- factor(d[[v]])
f <- function() lmer({formula}, d)
m <- f()
best <- Inf
for (r in 1:{repeat}) {{
  best <- min(best, system.time(for (i in 1:{inner}) m <- f())[["elapsed"]] / {inner})
}}
cat(sprintf('{{"seconds": %.6f, "objective": %.8f, "feval": %d}}\\n', best, REMLcrit(m),
            m@optinfo$feval))
"""


def lme4_fit(formula: str, data: pd.DataFrame, factors: list[str], repeat: int,
             inner: int = 1) -> dict:
    quoted = ", ".join(f'"{f}"' for f in factors)
    return run_r(LME4_R.format(formula=formula, factors=quoted, repeat=repeat, inner=inner),
                 data)


def report(label, formula, data, factors, goal, repeat=3, inner=1, r_repeat=3) -> str | None:
    fits = []
    ours = best_time(lambda: fits.append(lmm_core.lmer(formula, data)), repeat, inner)
    fit = fits[-1]
    print(f"{label}: {len(data)} rows, {formula}")
    print(f"  lmm_core  {ours:9.4f} s  REML {fit.objective:.6f}  {fit.opt.feval} evaluations")
    if not have_r():
        print("  lme4: Rscript with lme4 not found, skipped")
        return None
    r = lme4_fit(formula, data, factors, r_repeat, inner)
    print(f"  lme4      {r['seconds']:9.4f} s  REML {r['objective']:.6f}  {r['feval']} evaluations"
          f"   (REML differs by {fit.objective - r['objective']:+.1e})")
    return timing_line(label, ours, r["seconds"], goal)


def statsmodels_sleep(data: pd.DataFrame) -> float:
    import statsmodels.formula.api as smf

    def fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            smf.mixedlm("Reaction ~ Days", data, groups=data["Subject"],
                        re_formula="~Days").fit(reml=True)

    return best_time(fit, repeat=3, inner=3)


def bench_sleep() -> str | None:
    data = sleepstudy()
    line = report("sleepstudy", "Reaction ~ Days + (Days | Subject)", data, ["Subject"], 0.5,
                  repeat=7, inner=20, r_repeat=5)
    ours = best_time(lambda: lmm_core.lmer("Reaction ~ Days + (Days | Subject)", data), 5, 20)
    sm = statsmodels_sleep(data)
    print(f"  statsmodels MixedLM {sm * 1e3:.2f} ms: lmm_core/statsmodels = {ratio(ours, sm)}")
    return line


def slope_data(n_subj: int = 200, n_item: int = 100, seed: int = 1) -> pd.DataFrame:
    """Every subject sees every item; x varies within subjects, with a random slope."""
    rng = np.random.default_rng(seed)
    subj, item = np.repeat(np.arange(n_subj), n_item), np.tile(np.arange(n_item), n_subj)
    x = rng.normal(size=subj.size)
    u0, u1 = rng.normal(0, 0.6, n_subj), rng.normal(0, 0.3, n_subj)
    w = rng.normal(0, 0.5, n_item)
    y = 1.0 + 0.4 * x + u0[subj] + u1[subj] * x + w[item] + rng.normal(0, 1.0, subj.size)
    return pd.DataFrame({"y": y, "x": x, "subj": subj.astype(str), "item": item.astype(str)})


def bench_slope() -> str | None:
    return report("crossed slope (20,000 rows)", "y ~ x + (x | subj) + (1 | item)",
                  slope_data(), ["subj", "item"], 0.5)


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


CROSSED = "y ~ x + (1 | item) + (1 | subj)"


def bench_crossed() -> str | None:
    data = crossed_data()
    print(f"crossed (70,000 rows): {data.item.nunique()} items x {data.subj.nunique()} subjects, "
          f"{CROSSED}")
    child = subprocess.run([sys.executable, __file__, "--crossed-child"], capture_output=True,
                           text=True, cwd=ROOT)
    if child.returncode != 0:
        print(child.stderr[-2000:])
        return None
    seconds, objective, feval, peak_mb = map(float, child.stdout.split())
    print(f"  lmm_core  {seconds:9.4f} s  REML {objective:.6f}  {feval:.0f} evaluations  "
          f"peak memory {peak_mb:.0f} MB")
    if not have_r():
        return None
    r = lme4_fit(CROSSED, data, ["item", "subj"], repeat=1)
    print(f"  lme4      {r['seconds']:9.4f} s  REML {r['objective']:.6f}  {r['feval']} evaluations")
    return timing_line("crossed (70,000 rows)", seconds, r["seconds"], 1.0)


def crossed_child() -> None:
    """Fit in a fresh process so that its peak memory is this fit's alone."""
    import time

    data = crossed_data().astype({"item": str, "subj": str})
    start = time.perf_counter()
    fit = lmm_core.lmer(CROSSED, data)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(seconds, fit.objective, fit.opt.feval, peak_mb)


BENCHES = {"sleep": bench_sleep, "slope": bench_slope, "crossed": bench_crossed}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=list(BENCHES), action="append",
                        help="run only these designs (repeatable)")
    parser.add_argument("--crossed-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.crossed_child:
        crossed_child()
    else:
        lines = [BENCHES[name]() for name in (args.only or BENCHES)]
        print("\nlmm_core / lme4, best times of one run:")
        for line in filter(None, lines):
            print(line)
