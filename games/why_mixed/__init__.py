"""Why a mixed model? Random or fixed, and why shortcuts fall short."""

from ..spec import GameSpec
from . import logic

__all__ = ["GAME"]

GAME = GameSpec(
    id="why_mixed",
    title="Why a mixed model?",
    topic="Random effects and shrinkage",
    summary="Should a factor be random or fixed? Would a regression per person, or one on the "
            "daily means, do as well? Read the data, decide, then see every option fitted.",
    make_round_fn=logic.make_round,
    score_fn=logic.score,
)
