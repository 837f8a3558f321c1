"""Time make_round (simulation + fits) and score per game and difficulty; run by hand.

    /work/venv/bin/python benchmarks/bench_rounds.py [--seeds 20]

Like streamlit_app.py it runs with one BLAS thread (OPENBLAS_NUM_THREADS=1, unless set).
The budget is 300 ms per make_round at normal difficulty. The first call of each game is
timed separately (imports, first fits); the rest give the median and the worst case.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as streamlit_app.py does

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from games import DIFFICULTIES, GAMES  # noqa: E402

BUDGET_MS = 300.0


def _ms(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn(*args)
    return 1000 * (time.perf_counter() - start), out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="rounds per game and difficulty")
    args = parser.parse_args(argv)
    print(f"{'game':<9} {'difficulty':<10} {'first':>8} {'median':>8} {'max':>8} "
          f"{'score':>7}  (ms, {args.seeds} seeds)")
    over = []
    for game_id, game in GAMES.items():
        for difficulty in DIFFICULTIES:
            first, _ = _ms(game.make_round, 10_000, difficulty)
            times, score_times = [], []
            for seed in range(args.seeds):
                took, round_ = _ms(game.make_round, seed, difficulty)
                times.append(took)
                score_times.append(_ms(game.score, round_, round_.solution)[0])
            worst = max(times)
            flag = ""
            if difficulty == "normal" and worst > BUDGET_MS:
                flag = "  OVER BUDGET"
                over.append(game_id)
            print(f"{game_id:<9} {difficulty:<10} {first:8.1f} {statistics.median(times):8.1f} "
                  f"{worst:8.1f} {statistics.median(score_times):7.2f}{flag}")
    print(f"budget: {BUDGET_MS:.0f} ms per make_round at normal difficulty: "
          + ("all within" if not over else "over in " + ", ".join(over)))
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
