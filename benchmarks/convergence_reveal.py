"""How long the convergence game's allFit reveal takes, over many rounds; run by hand.

    .venv/bin/python benchmarks/convergence_reveal.py [--seeds 100]

The reveal refits the round's maximal model with lme4's allFit() optimizers
(games.convergence.optimizers.optimizer_reveal). Its budget is 3 s in the worst case; the
table gives the median, the 90th percentile and the worst round per difficulty (seconds,
one BLAS thread as the app runs), and which round was the slowest.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as streamlit_app.py does

import argparse
import time

import common  # noqa: F401  (puts the project on sys.path)
import numpy as np

from games.convergence import logic, optimizers

BUDGET_S = 3.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100, help="rounds per difficulty")
    args = parser.parse_args(argv)
    print(f"{'difficulty':<10} {'rounds':>6} {'median':>7} {'90%':>7} {'max':>7}  slowest")
    worst_all = 0.0
    for difficulty in logic.LEVELS:
        times = {}
        for seed in range(args.seeds):
            round_ = logic.make_round(seed, difficulty)
            start = time.perf_counter()
            optimizers.optimizer_reveal(round_)
            times[seed] = time.perf_counter() - start
        values = np.array(list(times.values()))
        slowest = max(times, key=times.get)
        worst_all = max(worst_all, values.max())
        print(f"{difficulty:<10} {values.size:6d} {np.median(values):7.2f} "
              f"{np.percentile(values, 90):7.2f} {values.max():7.2f}  "
              f"/convergence?seed={slowest}&difficulty={difficulty}")
    print(f"budget {BUDGET_S:.0f} s per reveal: "
          + ("all within" if worst_all <= BUDGET_S else f"OVER ({worst_all:.2f} s)"))
    return 0 if worst_all <= BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
