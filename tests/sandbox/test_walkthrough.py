"""The worked example: every number in the steps comes from the fit it describes."""

from __future__ import annotations

import lmm_core
import simulators
from sandbox import COURSE_FORMULA
from sandbox.fitting import fit_model
from sandbox.walkthrough import course_steps, incomplete_groups


def _steps(data):
    report = fit_model(data, COURSE_FORMULA)
    return course_steps(data, report, lmm_core.pooling(data, "reaction", "days", "subject"))


def test_the_course_example_names_its_numbers():
    steps = _steps(simulators.load("sleep_seed"))
    assert len(steps) == 5
    text = "\n".join(s.text for s in steps)
    for number in ("183 reaction times from 20 people", "18 of them", "1771.4", "252.5 ms",
                   "10.45 ms per day", "17.2 Satterthwaite", "SD of 24.1 ms",
                   "SD of 5.92 ms per day", "correlation of 0.07", "residual SD of 25.5 ms",
                   "**373** only on day 0 (1 observation)",
                   "**374** only on days 0 and 1 (2 observations)"):
        assert number in text, number
    dropouts = steps[3]
    assert "slope of **10.39**" in dropouts.text  # 373: no slope of its own
    assert "249.0 ms" in dropouts.text and "53% of the way" in dropouts.text
    assert "**11.08**" in dropouts.text and "a little past it" in dropouts.text  # 374
    assert dropouts.table["who"].tolist() == ["373", "373", "374", "374"]


def test_other_data_give_other_words():
    """The sleep simulator makes the same columns with other people: the steps follow."""
    made = simulators.generate("sleep", seed=5)
    steps = _steps(made.data)
    text = "\n".join(s.text for s in steps)
    who = sorted(made.truth["incomplete_participants"])
    assert all(f"**{w}**" in text for w in who)
    assert "373" not in text and "1771.4" not in text


def test_incomplete_groups_fewest_first():
    pool = lmm_core.pooling(simulators.load("sleep_seed"), "reaction", "days", "subject")
    assert incomplete_groups(pool.groups) == ["373", "374"]
    full = lmm_core.pooling(simulators.load("sleepstudy"), "Reaction", "Days", "Subject")
    assert incomplete_groups(full.groups) == []
