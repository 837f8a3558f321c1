"""Every game at every difficulty over many seeds: rounds build, their own solution scores 100,
a wrong answer does not, and right answers are spread over the options; run by hand.

    .venv/bin/python benchmarks/answer_balance.py [--seeds 200] [--games pooling lineup ...]

For each choice question it reports how often each option is the right one, and flags a
question where one option is right in more than 60% of the rounds (a learner could score by
habit). A "wrong answer" is the first option that is not the solution (choice questions), the
solution moved far out of its band (number questions) or a formula that is clearly off (text).
Also reports the median and worst make_round time.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as streamlit_app.py does

import argparse
import collections
import time

import common  # noqa: F401  (puts the project on sys.path)
import numpy as np

from games import DIFFICULTIES, GAMES

SHARE_MAX = 0.6


def _wrong(round_) -> dict:
    """An answer that differs from the solution in every question."""
    out = {}
    for q in round_.questions:
        right = round_.solution[q.id]
        if q.kind == "choice":
            out[q.id] = next(o.value for o in q.options if o.value != right)
        elif q.kind == "number":
            far = right + (q.high - q.low) * 0.45
            out[q.id] = far if far <= q.high else right - (q.high - q.low) * 0.45
        else:
            out[q.id] = "y ~ 1"
    return out


def check(game, difficulty: str, seeds: int) -> tuple[list[str], dict, list[float]]:
    problems, shares, times = [], collections.defaultdict(collections.Counter), []
    for seed in range(seeds):
        start = time.perf_counter()
        try:
            round_ = game.make_round(seed, difficulty)
        except Exception as error:  # noqa: BLE001 - a report, not a test run
            problems.append(f"seed {seed}: make_round failed: {type(error).__name__}: {error}")
            continue
        times.append(time.perf_counter() - start)
        if game.score(round_, round_.solution).points != 100:
            problems.append(f"seed {seed}: its own solution does not score 100")
        if game.score(round_, _wrong(round_)).points == 100:
            problems.append(f"seed {seed}: a wrong answer scores 100")
        for q in round_.questions:
            if q.kind == "choice":
                shares[q.id][round_.solution[q.id]] += 1
    return problems, shares, times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--games", nargs="*", default=list(GAMES))
    args = parser.parse_args(argv)
    flagged = 0
    for game_id in args.games:
        for difficulty in DIFFICULTIES:
            problems, shares, times = check(GAMES[game_id], difficulty, args.seeds)
            head = (f"{game_id:<12} {difficulty:<7} make_round median "
                    f"{1000 * np.median(times):5.0f} ms, max {1000 * max(times):6.0f} ms")
            parts = []
            for qid, counts in shares.items():
                n = sum(counts.values())
                top, k = counts.most_common(1)[0]
                mark = "  <-- over 60%" if k / n > SHARE_MAX else ""
                flagged += bool(mark)
                parts.append(f"  {qid}: " + ", ".join(f"{v} {c / n:.0%}"
                                                       for v, c in counts.most_common()) + mark)
            print(head)
            print("\n".join(parts + [f"  PROBLEM {p}" for p in problems]))
            flagged += len(problems)
    return 1 if flagged else 0


if __name__ == "__main__":
    raise SystemExit(main())
