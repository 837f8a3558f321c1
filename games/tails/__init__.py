"""One tail or two: pick the test that matches a research hypothesis."""

from ..spec import GameSpec
from . import logic

__all__ = ["GAME"]

GAME = GameSpec(
    id="tails",
    title="One tail or two?",
    topic="Hypothesis tests",
    summary="Read a research hypothesis and pick a two-tailed or a one-tailed test and its "
            "direction; see why an ANOVA's F test has only one tail.",
    make_round_fn=logic.make_round,
    score_fn=logic.score,
)
