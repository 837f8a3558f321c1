"""How visible the lineup's problem is at each difficulty, measured; run by hand.

    .venv/bin/python benchmarks/lineup_signal.py [--seeds 200]

For every round with a problem (outliers, mixture, unequal variances) it reports the signal of
games.lineup.signal: the real panel's p-value among 999 panels simulated from the fitted model
(a "visual p-value" on statistics of what the eye sees), its share inside the level's band,
the strength the calibration settled on, how many attempts make_round needed, and how long
make_round took. An ideal observer who ranks panels by the statistic picks the real one of a
lineup of k panels with probability about (1 - p)^(k - 1): the last column.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as streamlit_app.py does

import argparse
import collections
import time

import common  # noqa: F401  (puts the project on sys.path)
import numpy as np

from games.lineup import logic


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200, help="rounds per difficulty")
    args = parser.parse_args(argv)
    print(f"{'difficulty':<10} {'problem':<18} {'n':>4} {'in band':>8} {'p 10%':>7} "
          f"{'median':>7} {'p 90%':>7} {'strength':>9} {'ideal':>6}")
    for difficulty, level in logic.LEVELS.items():
        lo, hi = level["band"]
        rows, strengths, attempts, times = (collections.defaultdict(list),
                                            collections.defaultdict(list), [], [])
        for seed in range(args.seeds):
            start = time.perf_counter()
            round_ = logic.make_round(seed, difficulty)
            times.append(1000 * (time.perf_counter() - start))
            seen = round_.context["signal"]
            if seen is None:
                continue
            problem = round_.context["problem"]
            rows[problem].append(seen["p"])
            strengths[problem].append(abs(next(iter(seen["strength"].values()))))
            attempts.append(seen["attempt"] + 1)
        for problem, ps in rows.items():
            p = np.array(ps)
            ideal = np.mean((1 - p) ** (level["panels"] - 1))
            print(f"{difficulty:<10} {problem:<18} {p.size:4d} {np.mean((p > lo) & (p <= hi)):8.2f}"
                  f" {np.percentile(p, 10):7.4f} {np.median(p):7.4f} {np.percentile(p, 90):7.4f}"
                  f" {np.median(strengths[problem]):9.2f} {ideal:6.2f}")
        print(f"{difficulty:<10} band {lo} < p <= {hi}; attempts median "
              f"{np.median(attempts):.0f}, max {max(attempts)}; make_round ms median "
              f"{np.median(times):.0f}, 90% {np.percentile(times, 90):.0f}, max {max(times):.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
