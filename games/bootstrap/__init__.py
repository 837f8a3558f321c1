"""How sure are we? Guess a 95% interval, or judge which bootstrap to believe."""

from ..spec import GameSpec, SlowReveal
from . import logic, reveal

__all__ = ["GAME"]

GAME = GameSpec(
    id="bootstrap",
    title="How sure are we?",
    topic="Uncertainty and inference",
    summary="Guess the 95% interval of an effect, or judge which bootstrap is too narrow "
            "or can be trusted for an effect between people, within people or between "
            "words; then watch the bootstraps run next to lme4's intervals.",
    make_round_fn=logic.make_round,
    score_fn=logic.score,
    check_fn=logic.check_answer,
    slow=SlowReveal(reveal.reveal_numbers, "Running the bootstraps (refits)"),
)
