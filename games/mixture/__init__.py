"""Pick the model: two groups of participants that differ in their mean or in their spread."""

from ..spec import GameSpec
from . import logic

__all__ = ["GAME"]

GAME = GameSpec(
    id="mixture",
    title="Pick the model",
    topic="Choosing the model",
    summary="Participants come from two groups. Do the groups differ in their typical value, "
            "or in how much they spread? Pick the model, then see it side by side with the "
            "one that ignores the groups.",
    make_round_fn=logic.make_round,
    score_fn=logic.score,
)
