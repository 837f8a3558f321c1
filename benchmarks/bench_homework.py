"""Homework timings against the issue's budgets; run by hand:

    .venv/bin/python benchmarks/bench_homework.py [--students 300] [--variants 100] [--jobs 1]

1. Building a 5-item assignment's versions for 300 students (< 10 s): parse a 300-line roster,
   create the assignment, enrol everyone (hashed derived links), list every student's personal
   seeds and links. Rounds themselves are built when a student opens them (cached), so the
   per-round cost is printed beside it.
2. The gradebook of 300 students (< 1 s): read every attempt from the store, the gradebook,
   the item statistics and the three CSV files.
3. Moodle XML of 100 variants per item (< 30 s per item): per game, PNG pictures; wall time
   and CPU time (one process), or wall time with ``--jobs`` worker processes. ``--stages``
   adds where the CPU time goes: building the rounds, the pictures' specs
   (homework.material) and drawing them (vl-convert).

Runs on a temporary SQLite file (``--url`` for another database). R/exams, the model for this
part, is not installed here, so there is no side-by-side peer.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

import store  # noqa: E402
from games import GAMES  # noqa: E402
from homework import assignments as hw  # noqa: E402
from homework.gradebook import gradebook, item_stats, to_csv  # noqa: E402
from homework.material import figure_png, material  # noqa: E402
from homework.model import AssignmentSpec, Item  # noqa: E402
from homework.moodle import moodle_xml, variant_seeds  # noqa: E402
from homework.roster import parse_roster  # noqa: E402
from homework.submissions import attempts_of, rounds_of  # noqa: E402
from store import homework_tables as t  # noqa: E402

ITEMS = (Item("tails", "normal", 2), Item("lineup", "normal", 1), Item("pooling", "normal", 1),
         Item("mixture", "normal", 1), Item("syntax", "normal", 2))


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _cpu(fn):
    """(wall seconds, CPU seconds of this process, result): on a shared machine the CPU time
    is what an idle core would take."""
    start = time.process_time()
    wall, out = _timed(fn)
    return wall, time.process_time() - start, out


def build_versions(engine, n: int):
    now = datetime.now(UTC)
    roster = "student id,name,email\n" + "".join(
        f"{100000 + i},Student {i},s{i}@uni.example\n" for i in range(n))

    def work():
        students = parse_roster(roster.encode())
        created = hw.create_assignment(engine, AssignmentSpec(
            "Bench week", ITEMS, now - timedelta(days=1), now + timedelta(days=6)))
        hw.add_students(engine, created.lecturer_key, students)
        assignment = hw.for_lecturer(engine, created.lecturer_key)
        versions = {s.student_id: rounds_of(assignment, s.student_id) for s in students}
        links = hw.student_links(engine, created.lecturer_key, "https://example/homework")
        return assignment, versions, links

    seconds, cpu, (assignment, versions, links) = _cpu(work)
    seeds = [r.seed for refs in versions.values() for r in refs]
    print(f"1. versions of a {len(ITEMS)}-item assignment ({len(seeds) // n} rounds each) for "
          f"{n} students: wall {seconds:.2f} s, CPU {cpu:.2f} s (budget 10 s); "
          f"{len(links)} links; "
          f"{len(seeds)} seeds, {len(seeds) - len(set(seeds))} shared")
    sample = [r for refs in list(versions.values())[:3] for r in refs]
    build, _ = _timed(lambda: [GAMES[r.game].make_round(r.seed, r.difficulty) for r in sample])
    print(f"   each round is built when opened: {1000 * build / len(sample):.0f} ms per round "
          f"(mean of {len(sample)})")
    return assignment


def fake_attempts(engine, assignment, rng: random.Random) -> int:
    people = hw.students_of(engine, assignment.id)
    rows = []
    now = datetime.now(UTC)
    for p in people:
        for ref in rounds_of(assignment, p.student_id):
            for attempt in range(1, rng.choice((1, 1, 2)) + 1):
                points = rng.choice((0, 50, 100, 100))
                rows.append({"student": p.key, "position": ref.position,
                             "round_no": ref.round_no, "attempt": attempt, "seed": ref.seed,
                             "answer_json": '{"test": "two-sided"}', "points": points,
                             "correct": points == 100,
                             "misconception": None if points == 100 else "one_tailed",
                             "submitted_at": now, "late": rng.random() < 0.1})
    with store.write(engine) as conn:
        conn.execute(insert(t.submission), rows)
    return len(rows)


def bench_gradebook(engine, assignment, n: int) -> None:
    count = fake_attempts(engine, assignment, random.Random(1))

    def work():
        people = hw.students_of(engine, assignment.id)
        attempts = attempts_of(engine, assignment_id=assignment.id)
        book = gradebook(assignment, people, attempts)
        item_stats(assignment, attempts)
        return [to_csv(book, kind) for kind in ("full", "moodle", "canvas")]

    work()  # warm imports
    runs = [_cpu(work)[:2] for _ in range(3)]
    print(f"2. gradebook of {n} students ({count} attempts): wall {min(w for w, _ in runs):.3f}"
          f" s, CPU {min(c for _, c in runs):.3f} s (budget 1 s; best of 3), store read + "
          "tables + item statistics + three CSV files")


def bench_moodle(variants: int, jobs: int, games: list[str]) -> None:
    """Wall time, and CPU time of the work itself: on a machine shared with other work the
    wall time says little, while CPU seconds / jobs is what two idle cores would take."""
    print(f"3. Moodle XML, {variants} variants per item, PNG pictures, {jobs} process(es):")
    wall_total = cpu_total = 0.0
    for game in games:
        items = (Item(game, "normal", 1),)
        if jobs > 1:
            wall, data = _timed(lambda i=items: moodle_xml("Bench", i, variants, "secret",
                                                           "png", jobs))
            cpu = float("nan")
        else:
            start = time.process_time()
            wall, data = _timed(lambda i=items: moodle_xml("Bench", i, variants, "secret",
                                                           "png", 1))
            cpu = time.process_time() - start
        wall_total += wall
        cpu_total += cpu
        print(f"   {game:12s} wall {wall:6.1f} s, CPU {cpu:6.1f} s (budget 30 s; two idle "
              f"cores ≈ CPU / 2 = {cpu / 2:5.1f} s)  {len(data) / 1e6:5.1f} MB")
    print(f"   all {len(games)} items: wall {wall_total:.1f} s, CPU {cpu_total:.1f} s")


def bench_stages(variants: int, games: list[str]) -> None:
    """CPU seconds per 100 variants of each stage of a game's export."""
    print(f"   where the CPU time goes (s per 100 variants, from {variants}):")
    seeds, per_100 = variant_seeds("secret", 1, variants), 100 / variants
    for game in games:
        make = GAMES[game].make_round
        _, build, rounds = _cpu(lambda f=make: [f(s, "normal") for s in seeds])
        _, spec, stuff = _cpu(lambda r=rounds: [material(x) for x in r])
        _, draw, _ = _cpu(lambda m=stuff: [figure_png(x.figure) for x in m if x.figure])
        print(f"   {game:12s} rounds {build * per_100:5.1f}, picture specs "
              f"{spec * per_100:5.1f}, PNG {draw * per_100:5.1f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--variants", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=1,
                        help="worker processes for the Moodle export (1 also measures CPU)")
    parser.add_argument("--games", nargs="*", default=list(GAMES))
    parser.add_argument("--stages", action="store_true",
                        help="also time the Moodle export's stages (rounds, specs, PNG)")
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        engine = store.make_engine(args.url or f"sqlite:///{tmp}/bench.sqlite3")
        store.migrate(engine)
        assignment = build_versions(engine, args.students)
        bench_gradebook(engine, assignment, args.students)
        engine.dispose()
    bench_moodle(args.variants, args.jobs, args.games)
    if args.stages:
        bench_stages(args.variants, args.games)
    return 0


if __name__ == "__main__":
    sys.exit(main())
