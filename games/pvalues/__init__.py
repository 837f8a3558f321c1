"""Reviewer #2 wants p-values: judge significance and the df from an lme4 summary without p."""

from ..spec import GameSpec, SlowReveal
from . import logic, reveal

__all__ = ["GAME"]

GAME = GameSpec(
    id="pvalues",
    title="Reviewer #2 wants p-values",
    topic="Uncertainty and inference",
    summary="lme4 prints t values but no p-values. Judge whether the effect is significant "
            "and how many degrees of freedom it has; then compare Satterthwaite, z, "
            "residual-df, likelihood-ratio and bootstrap tests.",
    make_round_fn=logic.make_round,
    score_fn=logic.score,
    slow=SlowReveal(reveal.reveal_numbers, "Simulating studies without the effect"),
)
