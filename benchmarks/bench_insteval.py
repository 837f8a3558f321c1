"""Time InstEval, lme4's largest example, in lmm_core and lme4 in one run; and Satterthwaite's
df in lmm_core and lmerTest.

    python benchmarks/bench_insteval.py              # lmm_core best of 3, lme4 best of 2
    python benchmarks/bench_insteval.py --r-repeat 1

Model: y ~ service + (1 | s) + (1 | d) + (1 | dept:service), REML (73,421 ratings of 1,128
lecturers by 2,972 students). InstEval comes from R: Rscript writes it into benchmarks/.cache
on the first run. Goals (issue 9): the fit in at most 0.1x lme4's time with the same REML
criterion; Satterthwaite's df for the coefficient table in under a tenth of the fit's time.
Both sides are timed from data frame to fitted model (lme4 inside R with system.time). The
number of deviance evaluations is printed for both: it follows the optimizer's settings.
Satterthwaite's df: lmm_core's coefficient table's df with the fit's blocked factor (as after
lmer(); "cold" rebuilds it, as for a fit loaded from a cache) against lmerTest's
as_lmerModLmerTest (its numerical Hessian and Jacobian) plus summary(); the df are compared
at lme4's theta, where only the df computation differs. Wall and CPU seconds are both given:
on a loaded machine CPU time is the steadier measure.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as lmm_core and the app run (see README)

import argparse
import copy
import dataclasses
import time

import numpy as np
from common import have_r, insteval, ratio, run_r, timing_line

import lmm_core

FORMULA = "y ~ service + (1 | s) + (1 | d) + (1 | dept:service)"

LME4_R = """
suppressMessages(library(lme4))
best <- c(Inf, Inf)
for (r in 1:{repeat}) {{
  t <- system.time(m <- lmer(y ~ service + (1 | s) + (1 | d) + (1 | dept:service),
                             InstEval))
  if (t[["elapsed"]] < best[1]) best <- c(t[["elapsed"]], t[["user.self"]] + t[["sys.self"]])
}}
t <- system.time(df <- summary(lmerTest::as_lmerModLmerTest(m))$coefficients[, "df"])
numbers <- function(x) paste(sprintf("%.12g", x), collapse = ", ")
cat(sprintf(paste0('{{"seconds": %.4f, "cpu": %.4f, "objective": %.6f, "feval": %d, ',
                   '"theta": [%s], "satt_seconds": %.4f, "satt_cpu": %.4f, "df": [%s]}}\\n'),
            best[1], best[2], REMLcrit(m), m@optinfo$feval, numbers(getME(m, "theta")),
            t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], numbers(df)))
"""


def timed(fn) -> tuple[float, float]:
    """(wall, CPU) seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def satterthwaite_seconds(fit, cold: bool = False) -> tuple[float, float]:
    """(wall, CPU) for the df: the Satterthwaite coefficient table once the plain one exists
    (its estimates and standard errors solved), nothing else cached; cold: not even the
    blocked factor lmer() left (a copy of the fit, as after pickling)."""
    fresh = copy.deepcopy(fit) if cold else dataclasses.replace(fit, _cache={})
    fresh.coef_table()
    return timed(lambda: fresh.coef_table(ddf="Satterthwaite"))


def df_at(fit, theta) -> np.ndarray:
    """Satterthwaite's df of the same model at another theta (lme4's)."""
    theta = np.asarray(theta, dtype=float)
    opt = dataclasses.replace(fit.opt, theta=theta)
    other = dataclasses.replace(fit, opt=opt, _cache={})
    return other.coef_table(ddf="Satterthwaite")["df"].to_numpy()


def main(repeat: int, r_repeat: int) -> None:
    data = insteval()
    print(f"InstEval: {len(data)} rows, {FORMULA}, REML (wall seconds, CPU in brackets)")
    fits, runs = [], []
    for _ in range(repeat):
        runs.append(timed(lambda: fits.append(lmm_core.lmer(FORMULA, data))))
    (ours, ours_cpu), fit = min(runs), fits[-1]
    print(f"  lmm_core  {ours:8.3f} s ({ours_cpu:.3f})  REML {fit.objective:.6f}  "
          f"{fit.opt.feval} evaluations ({ours / fit.opt.feval * 1e3:.1f} ms per evaluation, "
          f"all stages included)")
    satt, satt_cpu = min(satterthwaite_seconds(fit) for _ in range(repeat))
    cold, cold_cpu = satterthwaite_seconds(fit, cold=True)
    print(f"  Satterthwaite df: {satt:.3f} s ({satt_cpu:.3f}) with the fit's factor, "
          f"{cold:.3f} s ({cold_cpu:.3f}) cold")
    if not have_r():
        print("  lme4: Rscript with lme4 not found, skipped")
        return
    r = run_r(LME4_R.format(repeat=r_repeat))
    print(f"  lme4      {r['seconds']:8.3f} s ({r['cpu']:.3f})  REML {r['objective']:.6f}  "
          f"{r['feval']} evaluations ({r['seconds'] / r['feval'] * 1e3:.1f} ms per evaluation, "
          f"all stages included)")
    print(f"  REML criteria differ by {fit.objective - r['objective']:+.2e}")
    print(f"  lmerTest df: {r['satt_seconds']:.3f} s ({r['satt_cpu']:.3f}); lmm_core/lmerTest = "
          f"{ratio(satt, r['satt_seconds'])} (CPU {ratio(satt_cpu, r['satt_cpu'])})")
    ours_df, ref_df = df_at(fit, r["theta"]), np.asarray(r["df"])
    print(f"  df at lme4's theta: lmm_core {np.round(ours_df, 6).tolist()}, lmerTest "
          f"{np.round(ref_df, 6).tolist()}: largest relative difference "
          f"{np.max(np.abs(ours_df - ref_df) / ref_df):.1e} (goal 1e-3)")
    share, share_cpu = satt / ours, satt_cpu / ours_cpu
    print(f"{'Satterthwaite df / fit':<28} wall {share:6.3f}  CPU {share_cpu:6.3f}  goal < 0.1: "
          f"{'meets' if max(share, share_cpu) < 0.1 else 'MISSES'}")
    per_eval = (ours / fit.opt.feval) / (r["seconds"] / r["feval"])
    print(f"{'InstEval, per evaluation':<28} ratio {per_eval:6.3f} (the fit's ratio at equal "
          f"evaluation counts; lmm_core {fit.opt.feval}, lme4 {r['feval']})")
    print(timing_line("InstEval fit", ours, r["seconds"], 0.1))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="lmm_core fits (best counts)")
    parser.add_argument("--r-repeat", type=int, default=2, help="lme4 fits (best counts)")
    args = parser.parse_args()
    main(args.repeat, args.r_repeat)
