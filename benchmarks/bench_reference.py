"""Time every reference model (tests/reference/cases.py) in lmm_core and lme4 in one run.

    python benchmarks/bench_reference.py             # best of 5 x 10 fits per model and side
    python benchmarks/bench_reference.py --repeat 3 --inner 5

Goal (issue 9): each model in at most 0.5x lme4's time. The data are the reference cases'
own: the package's copies of sleepstudy and sleep_seed (simulators.load), the rest from
tests/reference/data. Both sides fit from a data frame (lme4 inside one R process, timed with
system.time); the REML or ML criterion of both is printed to show they fit the same model.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as lmm_core and the app run (see README)

import argparse
import json
import tempfile
from pathlib import Path

import pandas as pd
from common import ROOT, best_time, have_r, timing_line

import lmm_core
import simulators
from tests.reference.cases import FACTOR_COLUMNS, case, model_case_ids

LME4_R = """
suppressMessages(library(lme4))
cases <- jsonlite::fromJSON("cases.json", simplifyVector = FALSE)
out <- list()
for (cid in names(cases)) {{
  c <- cases[[cid]]
  d <- read.csv(paste0(cid, ".csv"), stringsAsFactors = TRUE)
  for (v in unlist(c$factors)) d[[v]] <- factor(d[[v]])
  form <- as.formula(c$formula)
  f <- function() lmer(form, d, REML = c$reml)
  m <- f()
  best <- Inf
  for (r in 1:{repeat}) {{
    best <- min(best, system.time(for (i in 1:{inner}) m <- f())[["elapsed"]] / {inner})
  }}
  out[[cid]] <- list(seconds = best, objective = if (c$reml) REMLcrit(m) else deviance(m),
                     feval = m@optinfo$feval)
}}
cat(jsonlite::toJSON(out, auto_unbox = TRUE, digits = NA), "\\n")
"""


def case_frame(cid: str) -> pd.DataFrame:
    """A case's data as the tests read it, from the copies a clone of the project has."""
    path = case(cid)["data"]
    shipped = path.startswith("../")  # sleepstudy and sleep_seed: the package ships them
    data = simulators.load(Path(path).stem) if shipped else pd.read_csv(ROOT / path)
    for name in data.columns:
        if data[name].dtype == object or name in ("Subject", "subject"):
            data[name] = data[name].astype(str)
    for name in FACTOR_COLUMNS.get(cid, []):
        levels = sorted(data[name].unique())
        data[name] = pd.Categorical(data[name].astype(str), [str(v) for v in levels])
    return data


def lme4_times(frames: dict, fits: dict, repeat: int, inner: int) -> dict:
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        spec = {}
        for cid, data in frames.items():
            data.to_csv(Path(tmp) / f"{cid}.csv", index=False)
            factors = sorted(set(fits[cid].mm.formula.grouping_variables)
                             | set(FACTOR_COLUMNS.get(cid, [])))
            spec[cid] = {"formula": case(cid)["formula"], "reml": case(cid)["reml"],
                         "factors": factors}
        (Path(tmp) / "cases.json").write_text(json.dumps(spec))
        (Path(tmp) / "bench.R").write_text(LME4_R.format(repeat=repeat, inner=inner))
        out = subprocess.run(["Rscript", "bench.R"], cwd=tmp, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(repeat: int, inner: int) -> None:
    frames = {cid: case_frame(cid) for cid in model_case_ids()}
    fits, ours = {}, {}
    for cid, data in frames.items():
        c = case(cid)
        fit = lambda c=c, data=data: lmm_core.lmer(c["formula"], data, reml=c["reml"])  # noqa: E731
        fits[cid] = fit()
        ours[cid] = best_time(fit, repeat, inner)
    if not have_r():
        for cid, seconds in ours.items():
            print(f"{cid:<22} lmm_core {seconds * 1e3:8.2f} ms  (lme4: Rscript not found)")
        return
    theirs = lme4_times(frames, fits, repeat, inner)
    print(f"{'case':<22} {'lmm_core':>10} {'lme4':>10}  evaluations   criterion difference")
    for cid in frames:
        r = theirs[cid]
        print(f"{cid:<22} {ours[cid] * 1e3:8.2f}ms {r['seconds'] * 1e3:8.2f}ms  "
              f"{fits[cid].opt.feval:4d} vs {r['feval']:<4d}  "
              f"{fits[cid].objective - r['objective']:+.1e}")
    print("\nlmm_core / lme4, best times of one run:")
    ratios = {cid: ours[cid] / theirs[cid]["seconds"] for cid in frames}
    for cid in frames:
        print(timing_line(cid, ours[cid], theirs[cid]["seconds"], 0.5))
    worst = max(ratios, key=ratios.get)
    verdict = "meets" if ratios[worst] <= 0.5 else "MISSES"
    print(f"{'every reference model':<28} worst ratio {ratios[worst]:.3f} ({worst}), "
          f"goal <= 0.5: {verdict}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (best counts)")
    parser.add_argument("--inner", type=int, default=10, help="fits per timed run")
    args = parser.parse_args()
    main(args.repeat, args.inner)
