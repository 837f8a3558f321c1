"""Time a parametric bootstrap: lmm_core against lme4's bootMer (through Rscript, when present)
and a loop of statsmodels MixedLM fits; also time the case and cluster bootstraps.

    python benchmarks/bench_bootstrap.py            # 1000 refits of sleepstudy (Days | Subject)
    python benchmarks/bench_bootstrap.py --n 200    # fewer

Goal (issue): 1000 parametric refits in at most a tenth of bootMer's time (~1 s). lmm_core's
time is the best of three runs (least disturbed by other load); lme4's is the elapsed time of
the bootMer call alone, measured inside R with system.time. statsmodels refits 50 simulated
responses and is scaled up to n (a loop of MixedLM fits is what a Python user would write).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as lmm_core and the app run (see README)

import argparse
import time
import warnings

import pandas as pd
from common import ROOT, best_time, have_r, ratio, run_r

import lmm_core
from lmm_core.bootstrap import bootstrap

FORMULA = "Reaction ~ Days + (Days | Subject)"

BOOTMER_R = """
suppressMessages(library(lme4))
d <- read.csv("data.csv"); d$Subject <- factor(d$Subject)
m <- lmer(Reaction ~ Days + (Days | Subject), d)
set.seed(1)
t <- system.time(b <- bootMer(m, function(x) c(fixef(x), sigma = sigma(x)), nsim = {n}))
cat(sprintf('{{"seconds": %.4f, "failed": %d}}\\n', t[["elapsed"]],
            sum(!stats::complete.cases(b$t))))
"""


def sleepstudy() -> pd.DataFrame:
    data = pd.read_csv(ROOT.parent / "shared" / "data" / "sleepstudy.csv")
    return data.assign(Subject=data.Subject.astype(str))


def time_lmm_core(fit, n: int) -> float:
    bootstrap(fit, 20, rng=0)  # warm up imports and caches
    return best_time(lambda: bootstrap(fit, n, rng=1), repeat=3)


def time_statsmodels(data, fit, n: int, n_fits: int = 50) -> float:
    """Seconds for n refits, from n_fits MixedLM fits to responses simulated from the fit."""
    import statsmodels.formula.api as smf

    sims = fit.simulate(n_fits, rng=2)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for j in range(n_fits):
            frame = data.assign(Reaction=sims[:, j])
            smf.mixedlm("Reaction ~ Days", frame, groups=frame["Subject"],
                        re_formula="~Days").fit(reml=True)
    return (time.perf_counter() - start) * n / n_fits


def main(n: int) -> None:
    data = sleepstudy()
    fit = lmm_core.lmer(FORMULA, data)
    print(f"parametric bootstrap, {n} refits of sleepstudy {FORMULA}")
    ours = time_lmm_core(fit, n)
    print(f"  lmm_core            {ours:8.3f} s   ({ours / n * 1e3:.2f} ms per refit)")
    sm = time_statsmodels(data, fit, n)
    print(f"  statsmodels MixedLM {sm:8.3f} s   (50 fits scaled to {n})   "
          f"lmm_core/statsmodels = {ratio(ours, sm)}")
    if have_r():
        r = run_r(BOOTMER_R.format(n=n), data)
        print(f"  lme4 bootMer        {r['seconds']:8.3f} s   lmm_core/lme4 = "
              f"{ratio(ours, r['seconds'])}   (goal <= 0.1)")
    else:
        print("  lme4: Rscript with lme4 not found, skipped")
    for kind in ("case", "cluster"):
        start = time.perf_counter()
        result = bootstrap(fit, n, kind, rng=1)
        seconds = time.perf_counter() - start
        print(f"  lmm_core {kind:<10} {seconds:8.3f} s   failed {result.n_failed}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of bootstrap refits")
    main(parser.parse_args().n)
