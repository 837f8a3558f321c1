"""Fix my model: read a convergence or singular-fit message and pick the remedy."""

from ..spec import GameSpec, SlowReveal
from . import logic, optimizers

__all__ = ["GAME"]

GAME = GameSpec(
    id="convergence",
    title="Fix my model",
    topic="Convergence and singular fits",
    summary="lmer() answers with a warning. Read the output, find the cause and pick the "
            "remedy; then see every remedy refitted, and lme4's allFit optimizers side by "
            "side.",
    make_round_fn=logic.make_round,
    score_fn=logic.score,
    slow=SlowReveal(optimizers.optimizer_reveal, "Refitting with lme4's allFit optimizers"),
)
