"""How sure are we? Guess a 95% interval, or spot the bootstrap that is overconfident."""

from ..spec import GameSpec, SlowReveal
from . import logic, reveal

__all__ = ["GAME"]

GAME = GameSpec(
    id="bootstrap",
    title="How sure are we?",
    topic="Uncertainty and inference",
    summary="Guess the 95% interval of an effect, or spot which of three bootstraps is "
            "overconfident; then watch the bootstraps run next to lme4's Wald and profile "
            "intervals.",
    make_round_fn=logic.make_round,
    score_fn=logic.score,
    check_fn=logic.check_answer,
    slow=SlowReveal(reveal.reveal_numbers, "Running the three bootstraps (refits)"),
)
