"""Nested or crossed? Read a design, then pick the random-effects structure.

A round is one of three designs (see :mod:`games.nesting.designs`): pupils in classes in
schools with the class letters a-d reused in every school (nested); the same letters as teaching
programmes run by every school (crossed); participants who all read the same words (crossed,
``simulators`` "items_crossed"). The prompt does not say which: the learner reads it from the
data (for schools, whether a letter's class sits above or below its school in every school,
shown in a picture of the class averages; for words, a table counting who read which word).
The study is redrawn until its data show the design (``designs.shows_design``). The diagram of
the design is drawn in the reveal, where it no longer gives the answer away.

The learner picks the random part of the model (the fixed part is given). Every offered
structure is fitted to the round's data for the reveal, which puts the right fit beside the
tempting wrong one: for nested classes, the reused labels fitted as crossed, and the fix
(unique class labels).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..base import (
    Option,
    Question,
    Round,
    Score,
    check_difficulty,
    check_seed,
    sub_seed,
)
from . import designs
from .designs import DESIGNS, FIXED, LEVELS, OFFERED, RANDOM, VERDICTS
from .reveal import build_reveal

__all__ = ["make_round", "score", "DESIGNS", "VERDICTS", "FEEDBACK", "DESIGN_SHARES"]

# How often each design comes up (schools_nested, schools_crossed, items_crossed): two of the
# three are crossed, so nested rounds come up more often and no answer is right most of the time.
DESIGN_SHARES = (0.5, 0.25, 0.25)


def make_round(seed: int, difficulty: str = "normal") -> Round:
    """A nesting round, fixed by (seed, difficulty)."""
    seed, level = check_seed(seed), LEVELS[check_difficulty(difficulty)]
    rng = sub_seed(seed, 0)
    design = str(rng.choice(DESIGNS, p=DESIGN_SHARES))
    fam = designs.family(design)
    scenario = _study(seed, design, level, rng)
    data = scenario.data
    offered = OFFERED[(fam, difficulty)]
    order = [offered[i] for i in sub_seed(seed, 1).permutation(len(offered))]
    right, trap = designs.right_key(design, difficulty), designs.trap_key(design, offered)
    question = Question(
        "structure", "Which random effects complete the model?",
        options=tuple(Option(k, RANDOM[fam][k]) for k in order),
        help=f"Every option has the same fixed part: {FIXED[fam]}")
    context = {
        "design": design,
        "family": fam,
        "fixed": FIXED[fam],
        "response": "rt" if fam == "items" else "extraversion",
        "right": right,
        "trap": trap,
        "options": list(order),
        "diagram": designs.diagram(design, data),
        "scenario": scenario.name,
    }
    return Round(
        game="nesting",
        seed=seed,
        difficulty=difficulty,
        prompt=_prompt(design, data, difficulty, FIXED[fam]),
        questions=(question,),
        solution={"structure": right},
        reveal=build_reveal(data, design, order, right, trap, _truth(scenario.truth)),
        data=data,
        context=context,
    )


def _study(seed: int, design: str, level: dict, rng):
    """The first study (attempt 0 from the round's generator, then sub-seeds) whose data show
    the design."""
    scenario = designs.make_scenario(design, level, int(rng.integers(2**31)), rng)
    for attempt in range(1, 20):
        if designs.shows_design(design, scenario.data):
            break
        again = sub_seed(seed, 2, attempt)
        scenario = designs.make_scenario(design, level, int(again.integers(2**31)), again)
    return scenario


def _truth(truth: dict) -> dict:
    """The simulation's SDs, by lme4 group name (for the reveal's 'truth' line)."""
    out = {g: v["sd_(Intercept)"] for g, v in truth["varcomp"].items() if g != "residual_sd"}
    out["residual"] = truth["varcomp"]["residual_sd"]
    return out


def _prompt(design: str, data: pd.DataFrame, difficulty: str, fixed: str) -> str:
    where = ("the table below" if designs.family(design) == "items"
             else "the picture of the class averages below")
    return "\n\n".join([
        designs.describe(design, data, difficulty),
        f"**Your job.** Read the design from {where}, then pick the random-effects part of "
        f"the model. The fixed part is the same for every option: `{fixed}`.",
    ])


# ----- scoring -----------------------------------------------------------------------------
def score(round: Round, answer: Mapping) -> Score:  # noqa: A002
    """Full points for the right structure; 50 for crossed participants and words with a
    meaningless slope on top; 25 for nesting programmes that are shared (a valid but blind
    description); none otherwise. Each wrong structure names its misconception."""
    chosen = answer.get("structure")
    offered = [o.value for o in round.question("structure").options]
    if chosen not in offered:
        return Score(0, False, "No structure was chosen: pick one of the options.",
                     "no_answer")
    design = round.context["design"]
    points, code = VERDICTS[design][chosen]
    words = dict(round.reveal.numbers) | {"right": RANDOM[round.context["family"]][
        round.context["right"]]}
    if code is None:
        return Score(points, True, RIGHT_WORDS[design].format(**words))
    text = FEEDBACK_FOR_DESIGN.get((design, code), FEEDBACK[code])
    return Score(points, False, text.format(**words), code)


RIGHT_WORDS = {
    "schools_nested": "Right: the letters explain only {letter_share:.0%} of how classes "
                      "differ within schools, so each school names its own classes, which are "
                      "nested in schools: {right}. Fitted as crossed instead, the class SD "
                      "would shrink to {sd_letters:.2f} (nested: {sd_classes:.2f}).",
    "schools_crossed": "Right: a letter's class sits above or below its school in school "
                       "after school (the letters explain {letter_share:.0%} of how classes "
                       "differ within schools), so a letter is a programme shared by all "
                       "schools, and schools and programmes are crossed: {right}. The "
                       "programmes differ with an SD of {sd_programmes:.2f}.",
    "items_crossed": "Right: every participant read every word, so participants and words "
                     "are crossed: {right}. The words differ with an SD of {sd_item:.0f} ms.",
}

FEEDBACK = {
    "crossed_for_nested_labels":
        "The letters explain only {letter_share:.0%} of how classes differ within their "
        "schools, about chance: they are reused names, and class a of school I is not class "
        "a of school II. Crossed "
        "random effects treat the letters as 4 classes shared by all schools, so the class SD "
        "shrinks to {sd_letters:.2f} (nested: {sd_classes:.2f}) and the residual SD grows to "
        "{resid_trap:.2f} (nested: {resid_right:.2f}). The classes are nested: {right}.",
    "ignored_classes":
        "This leaves the classes out: pupils of the same class are more alike than pupils of "
        "the same school, and the model must say so. The right structure is {right}.",
    "nesting_reversed":
        "The slash reads 'outer/inner': (1 | class/school) puts schools inside classes. "
        "Classes (or programmes) do not contain schools. The right structure is {right}.",
    "nested_for_crossed":
        "The labels are shared, not reused: a letter's class sits above or below its school "
        "in school after school, so the same programme appears in every school, and "
        "schools and programmes are crossed. The nested model can describe the data (hence "
        "some points), but it treats every school-programme pair as an unrelated class and "
        "never sees the programmes: crossed is {right}.",
    "ignored_items":
        "Words differ too (SD {sd_item:.0f} ms), and every word was read by everybody. "
        "Without (1 | item), the frequency effect's standard error shrinks from "
        "{se_right:.1f} to {se_trap:.1f} ms: far too confident. The right structure is "
        "{right}.",
    "ignored_participants":
        "Participants differ (SD {sd_participant:.0f} ms), and each read many words: their "
        "readings are not independent. The right structure is {right}.",
    "slope_for_between_item_variable":
        "Participants and words are crossed, yes, but a word is either frequent or rare: it "
        "cannot have its own frequency slope. That slope cannot be told apart from the word's "
        "intercept. The right structure is {right}.",
}
# Where one misconception needs other words in one design.
FEEDBACK_FOR_DESIGN = {
    ("items_crossed", "nested_for_crossed"):
        "Words are not inside participants: everybody read the same words, so participants "
        "and words are crossed. 'Word within participant' is a single reading here, which "
        "cannot be told apart from the residual: lme4 refuses to fit it. The right structure "
        "is {right}.",
}
