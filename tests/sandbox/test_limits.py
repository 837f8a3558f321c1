"""Time limits and estimates in words."""

from __future__ import annotations

import pytest

from sandbox.limits import (
    Deadline,
    OverTime,
    bootstrap_seconds,
    duration,
    profile_seconds,
    samples_within,
)


@pytest.mark.parametrize(("seconds", "words"), [
    (0.2, "under a second"), (25.4, "25 s"), (240, "4 min"), (18 * 3600, "18 h"),
    (5 * 86400, "5 days"), (float("inf"), "forever"),
])
def test_duration_in_words(seconds, words):
    assert duration(seconds) == words


def test_short_durations_in_milliseconds():
    assert duration(0.0404, short=True) == "40 ms" and duration(25.4, short=True) == "25 s"


def test_bootstrap_estimates_and_the_largest_size_within_the_limit():
    assert bootstrap_seconds(2000, 33.0) == 66_000  # six random slopes: hours, not seconds
    assert samples_within(120, 0.05, (100, 500, 1000, 2000)) == 2000
    assert samples_within(120, 0.1, (100, 500, 1000, 2000)) == 1000
    assert samples_within(120, 33.0, (100, 500)) is None
    assert profile_seconds(6, 0.05) == pytest.approx(1.5)


def test_a_deadline_passes_progress_on_and_stops_after_its_limit():
    now = [0.0]
    seen = []
    deadline = Deadline(10.0, show=lambda done, total, s: seen.append((done, total, s)),
                        clock=lambda: now[0])
    deadline(1, 100)
    now[0] = 10.5
    with pytest.raises(OverTime) as over:
        deadline(20, 100)
    assert (over.value.done, over.value.total, over.value.limit) == (20, 100, 10.0)
    assert seen == [(1, 100, 0.0), (20, 100, 10.5)]
    deadline(100, 100)  # the last step finished: no reason to throw the work away
