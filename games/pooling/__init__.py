"""Be the BLUP: guess where the mixed model puts a participant's line (partial pooling)."""

from ..spec import GameSpec
from . import logic

__all__ = ["GAME"]

GAME = GameSpec(
    id="pooling",
    title="Be the BLUP",
    topic="Random effects and shrinkage",
    summary="Some people gave only a day or two of data. Place their line between their own "
            "estimate and the population's, then see how the mixed model borrows strength.",
    make_round_fn=logic.make_round,
    score_fn=logic.score,
)
