"""Spot the real data: find the real panel among fakes simulated from the fitted model."""

from ..spec import GameSpec
from . import logic

__all__ = ["GAME"]

GAME = GameSpec(
    id="lineup",
    title="Spot the real data",
    topic="Checking a model",
    summary="One panel is real, the rest are simulated from the mixed model fitted to it. "
            "Find the real one and say what the model misses: outliers, a hidden mixture, "
            "unequal variances, or nothing.",
    make_round_fn=logic.make_round,
    score_fn=logic.score,
)
