"""Formula match: lme4 formulas matched to designs, descriptions and fitted lines."""

from ..spec import GameSpec
from . import logic

__all__ = ["GAME"]

GAME = GameSpec(
    id="syntax",
    title="Formula match",
    topic="Writing lme4 formulas",
    summary="Random intercepts or slopes, correlated or not, nested or crossed: match lme4 "
            "formulas to designs and to pictures of fitted lines, then write your own, "
            "graded by what it means rather than how it is typed.",
    make_round_fn=logic.make_round,
    score_fn=logic.score,
    check_fn=logic.check_answer,
)
