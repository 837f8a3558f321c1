"""Stress test of every game, as R/exams' ``stresstest_exercise``: ``python -m homework.stress
--n 200`` builds n variants of every game at every difficulty and checks each.

A variant passes when it builds, survives a JSON round trip (the store keeps seeds, but class
mode and exports rely on it), its own solution scores full marks and is "correct", a wrong
answer does not, and it builds within ``--slow`` seconds of CPU time (CPU, not wall time: on a
machine shared with other work the wall time measures the load, not the game). For every
choice question it counts how often each right answer occurs and flags a question whose most
common right answer is so frequent that students could learn the answer instead of the idea:
more than ``0.5 + 0.5 / k`` of the variants for k distinct options seen (e.g. 75% with two).
The last line is ``N variants, F failed``; the exit status is 1 when any failed.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the app runs; set before numpy loads

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from games import GAMES
from games.base import DIFFICULTIES, Round

from .questions import right_answer, wrong_answer
from .seeds import personal_seed

__all__ = ["Check", "check_variant", "run_groups", "report_group", "skewed", "main"]


@dataclass(frozen=True)
class Check:
    game: str
    difficulty: str
    seed: int
    seconds: float                      # CPU seconds to build (what the limit applies to)
    problems: tuple[str, ...] = ()
    right: dict = field(default_factory=dict)  # choice question id -> right option value


def stress_seeds(game: str, difficulty: str, n: int) -> list[int]:
    """n seeds shaped like homework seeds (48-bit keyed hashes), fixed for a rerun."""
    return [personal_seed("stress-test", f"{game}/{difficulty}", 1, i) for i in range(n)]


def check_variant(game_id: str, difficulty: str, seed: int, slow: float = 10.0) -> Check:
    game = GAMES[game_id]
    start = time.process_time()  # CPU time: wall time on a shared machine measures the load
    try:
        round_ = game.make_round(seed, difficulty)
    except Exception as error:  # noqa: BLE001 - a failure to report, not to raise
        return Check(game_id, difficulty, seed, time.process_time() - start,
                     (f"does not build: {type(error).__name__}: {error}",))
    seconds = time.process_time() - start
    problems = list(_problems(game, round_))
    if seconds > slow:
        problems.append(f"slow: {seconds:.1f} s of CPU to build (limit {slow:g} s)")
    right = {q.id: round_.solution.get(q.id) for q in round_.questions if q.kind == "choice"}
    return Check(game_id, difficulty, seed, seconds, tuple(problems), right)


def _problems(game, round_: Round) -> Iterator[str]:
    if not round_.questions:
        yield "asks no question"
        return
    try:
        back = Round.from_dict(json.loads(json.dumps(round_.to_dict())))
        if back.solution != round_.solution:
            yield "the solution changes in a JSON round trip"
    except Exception as error:  # noqa: BLE001
        yield f"no JSON round trip: {type(error).__name__}: {error}"
    for label, answer, want_full in (("its own solution", right_answer, True),
                                     ("a wrong answer", wrong_answer, False)):
        try:
            score = game.score(round_, answer(round_))
        except Exception as error:  # noqa: BLE001
            yield f"{label} cannot be scored: {type(error).__name__}: {error}"
            continue
        full = score.points == 100 and score.correct
        if want_full and not full:
            yield f"its own solution scores {score.points} (correct={score.correct})"
        if not want_full and (score.points == 100 or score.correct):
            yield f"a wrong answer scores {score.points} (correct={score.correct})"


def _chunk(args: tuple) -> list[Check]:
    game, difficulty, seeds, slow = args
    return [check_variant(game, difficulty, s, slow) for s in seeds]


def run_groups(n: int, games: list[str] | None = None, jobs: int = 1, slow: float = 10.0,
               difficulties: list[str] | None = None) -> Iterator[list[Check]]:
    """The checks of each game and difficulty, in registry order, as each group is done.

    With several jobs each group's seeds are split in ``jobs`` parts, so that one slow game
    does not leave the other workers idle."""
    groups = [(g, d) for g in (games or list(GAMES)) for d in GAMES[g].difficulties
              if difficulties is None or d in difficulties]
    parts = max(1, jobs)
    tasks = [(g, d, stress_seeds(g, d, n)[k::parts], slow) for g, d in groups
             for k in range(parts)]
    if jobs <= 1:
        yield from map(_chunk, tasks)
        return
    with ProcessPoolExecutor(jobs) as pool:
        done: list[Check] = []
        for i, part in enumerate(pool.map(_chunk, tasks), 1):
            done += part
            if i % parts == 0:
                yield done
                done = []


def skewed(counts: Counter) -> bool:
    """Whether the most common right answer is too common (see the module docstring)."""
    total = sum(counts.values())
    if total < 10:
        return False
    if len(counts) == 1:
        return True
    return counts.most_common(1)[0][1] / total > 0.5 + 0.5 / len(counts)


def report_group(group: list[Check]) -> list[str]:
    """The lines for one game and difficulty: counts, times, failures, right answers."""
    failed = [c for c in group if c.problems]
    times = sorted(c.seconds for c in group)
    lines = [f"{group[0].game:12s} {group[0].difficulty:7s} {len(group):4d} variants, "
             f"{len(failed)} failed; build mean {1000 * sum(times) / len(times):.0f} ms, "
             f"max {1000 * times[-1]:.0f} ms (CPU)"]
    lines += [f"    FAIL seed {c.seed}: " + "; ".join(c.problems) for c in failed[:5]]
    if len(failed) > 5:
        lines.append(f"    … {len(failed) - 5} more failures")
    for qid, counts in _right_counts(group).items():
        total = sum(counts.values())
        shares = ", ".join(f"{v} {100 * k / total:.0f}%" for v, k in counts.most_common(6))
        flag = "  <-- FLAG: the same right answer too often" if skewed(counts) else ""
        lines.append(f"    right answers of {qid}: {shares}{flag}")
    return lines


def _total(checks: list[Check]) -> str:
    return f"{len(checks)} variants, {sum(bool(c.problems) for c in checks)} failed"


def _right_counts(group: list[Check]) -> dict[str, Counter]:
    out: dict[str, Counter] = defaultdict(Counter)
    for c in group:
        for qid, value in c.right.items():
            out[qid][str(value)] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m homework.stress", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20, help="variants per game and difficulty")
    parser.add_argument("--games", nargs="*", choices=list(GAMES), help="default: every game")
    parser.add_argument("--difficulties", nargs="*", choices=list(DIFFICULTIES),
                        help="default: every difficulty")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--slow", type=float, default=10.0,
                        help="seconds a variant may take to build")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    checks: list[Check] = []
    for group in run_groups(args.n, args.games, args.jobs, args.slow, args.difficulties):
        checks += group
        print("\n".join(report_group(group)), flush=True)
    print(_total(checks), flush=True)
    return 1 if any(c.problems for c in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
