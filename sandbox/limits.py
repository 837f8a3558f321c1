"""How long the sandbox lets one piece of work run, and estimates said in words before it starts.

The sandbox fits models on a server a whole class shares, so a fit or a bootstrap the learner
asks for has a time limit: :data:`FIT_SECONDS` for one fit (lmm_core.lmer's ``max_seconds``),
:data:`BOOT_SECONDS` for a bootstrap. Work estimated under :data:`QUICK_SECONDS` just runs;
longer work waits for a click, with its estimate on the button, and can be stopped.

A bootstrap's estimate is its number of refits times one refit's measured time; for a model
that takes :data:`MEASURE_REFIT_BELOW` seconds or more to fit, the fit's own time stands in for
it (a refit starts from the fit's estimates, so it is usually quicker), rather than spending
that long on measuring. Profile intervals, which cannot be stopped, are left out when their
estimate is over :data:`PROFILE_SECONDS`. lmm_core.bootstrap
calls ``progress(done, total)`` about 100 times; :class:`Deadline` is such a callback that
raises :class:`OverTime` once the limit has passed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["FIT_SECONDS", "BOOT_SECONDS", "QUICK_SECONDS", "PROFILE_SECONDS", "OverTime",
           "Deadline", "duration", "bootstrap_seconds", "samples_within", "profile_seconds"]

FIT_SECONDS = 60.0
BOOT_SECONDS = 120.0
QUICK_SECONDS = 3.0
PROFILE_SECONDS = 30.0  # profiles cannot be stopped: longer ones are left out
MEASURE_REFIT_BELOW = 2.0  # fits quicker than this get one refit timed for the estimate
PROFILE_FITS_PER_PARAMETER = 5  # measured: 28x the fit's time for 6 parameters (course model)


def duration(seconds: float, short: bool = False) -> str:
    """A time in words, rounded as one would say it: "under a second", "25 s", "4 min", "18 h";
    ``short`` times (one refit) under a second in milliseconds: "40 ms"."""
    if not math.isfinite(seconds):
        return "forever"
    if seconds < 1:
        return f"{max(seconds * 1000, 1):.0f} ms" if short else "under a second"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


def bootstrap_seconds(n: int, refit_seconds: float) -> float:
    """n refits at about one fit's time each."""
    return n * max(refit_seconds, 1e-3)


def profile_seconds(n_parameters: int, fit_seconds: float) -> float:
    """About how long lme4-style profiling takes: several refits per parameter."""
    return PROFILE_FITS_PER_PARAMETER * n_parameters * fit_seconds


def samples_within(limit: float, refit_seconds: float, sizes) -> int | None:
    """The largest of ``sizes`` whose bootstrap fits within ``limit`` (None if none does)."""
    fitting = [n for n in sizes if bootstrap_seconds(n, refit_seconds) <= limit]
    return max(fitting, default=None)


class OverTime(Exception):
    """Work stopped at its time limit, after ``done`` of ``total`` steps and ``seconds``."""

    def __init__(self, done: int, total: int, seconds: float, limit: float):
        super().__init__(f"stopped at the {duration(limit)} limit after {done} of {total} "
                         f"steps ({duration(seconds)})")
        self.done, self.total, self.seconds, self.limit = done, total, seconds, limit


@dataclass
class Deadline:
    """A ``progress(done, total)`` callback with a time limit: it passes each call on to
    ``show`` (which may draw a progress bar) and raises OverTime once ``limit`` seconds have
    passed since it was made."""

    limit: float
    show: Callable[[int, int, float], None] | None = None
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self):
        self.start = self.clock()

    def elapsed(self) -> float:
        return self.clock() - self.start

    def __call__(self, done: int, total: int) -> None:
        seconds = self.elapsed()
        if self.show is not None:
            self.show(done, total, seconds)
        if seconds > self.limit and done < total:
            raise OverTime(done, total, seconds, self.limit)
