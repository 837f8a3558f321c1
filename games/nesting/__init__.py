"""Nested or crossed? Read a design and pick its random-effects structure."""

from ..spec import GameSpec
from . import logic

__all__ = ["GAME"]

GAME = GameSpec(
    id="nesting",
    title="Nested or crossed?",
    topic="Choosing the model",
    summary="Pupils in classes in schools, or words read by every participant: read the "
            "design, pick the random effects, then see both fits on the same data, and the "
            "trap of class labels a-d reused in every school.",
    make_round_fn=logic.make_round,
    score_fn=logic.score,
)
