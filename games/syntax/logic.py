"""Formula match: lme4 formulas, matched to designs, descriptions and fitted lines.

A round is one of four kinds (rounds.py): match studies' fitted lines to formulas (``plot``),
pick the formula for a design (``describe``), pick the description of a formula (``read``),
or type the formula for a design (``write``). Every answer is graded by *meaning*: both
formulas go through ``lmm_core.parse_formula`` and their structures are compared
(compare.py, re-exported here: :func:`same_model`, :func:`differences`, :func:`misconception`),
so ``(1 | a/b)`` equals ``(1 | a) + (1 | a:b)``, ``(x || g)`` equals ``(1 | g) + (0 + x | g)``
and ``1 +`` is implied.

A typed formula that does not parse, or names a column the data do not have, is not scored:
:func:`check_answer` returns the parser's message with a caret under the problem, and the page
shows it and keeps what was typed (the answer is not used up).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

import lmm_core
from lmm_core.errors import FormulaError, close_matches_hint
from lmm_core.formula import tokenize
from lmm_core.terms import BinOp, Call, Formula, Name, Neg

from ..answers import InvalidAnswer
from ..base import Round, Score, band_points, check_difficulty, check_seed, sub_seed
from . import catalogue as cat
from .compare import CODES, compare, differences, misconception, same_model
from .explain import read_aloud, spell_out
from .fits import fit_summary
from .reveal import contrast
from .rounds import describe_round, plot_round, read_round, write_round

__all__ = ["make_round", "score", "same_model", "differences", "misconception",
           "check_formula", "check_answer", "typed_report", "VARIANTS", "NEAR_MISSES"]

VARIANTS = ("plot", "describe", "read", "write")
BUILDERS = {"plot": plot_round, "describe": describe_round, "read": read_round,
            "write": write_round}
WEIGHTS = {"gentle": (0.3, 0.3, 0.15, 0.25), "normal": (0.25, 0.25, 0.2, 0.3),
           "tricky": (0.25, 0.25, 0.2, 0.3)}
# A choice one step away in one of these ways earns half points: the random effects are right.
NEAR_MISSES = frozenset({"correlated_vs_uncorrelated", "fixed_intercept", "extra_fixed_effect"})


def make_round(seed: int, difficulty: str = "normal") -> Round:
    """A formula-match round, fixed by (seed, difficulty)."""
    seed, difficulty = check_seed(seed), check_difficulty(difficulty)
    rng = sub_seed(seed, 0)
    variant = VARIANTS[int(rng.choice(len(VARIANTS), p=WEIGHTS[difficulty]))]
    return Round(game="syntax", seed=seed, difficulty=difficulty,
                 **BUILDERS[variant](seed, rng, difficulty))


# ----- typed formulas ------------------------------------------------------------------------
def _names(expr) -> list[str]:
    if isinstance(expr, Name):
        return [expr.id]
    if isinstance(expr, Call):
        return [n for a in expr.args for n in _names(a)]
    if isinstance(expr, BinOp):
        return _names(expr.left) + _names(expr.right)
    if isinstance(expr, Neg):
        return _names(expr.operand)
    return []


def check_formula(text: str, columns) -> Formula:
    """``text`` parsed, or a FormulaError with a caret: the parser's own errors, a whole
    lmer(...) call typed instead of its formula, or a name that is not a column."""
    if re.match(r"\s*lmer\s*\(", text):
        raise FormulaError("Type only the formula, without lmer( ... ) and data = ...: for "
                           "example  y ~ x + (1 | group).", text, text.index("lmer"))
    comma = text.find(",")
    if comma >= 0 and "`" not in text[:comma]:
        raise FormulaError("Type only the formula: leave out the comma and what follows it "
                           "(such as data = ...).", text, comma)
    formula = lmm_core.parse_formula(text)
    for label, expr in formula.variables.items():
        if not isinstance(expr, Name):  # log(x), scale(x), I(x^2): not what the design says
            where = next((t.pos for t in tokenize(text) if t.kind == "name"
                          and t.text == getattr(expr, "func", "")), None)
            raise FormulaError(f"This round asks for the columns as they are in the data: "
                               f"write the plain column instead of `{label}` (a transformed "
                               "variable changes what the intercepts and slopes mean).",
                               text, where)
    used = [n for expr in formula.variables.values() for n in _names(expr)]
    used += list(formula.grouping_variables)
    columns = [str(c) for c in columns]
    for name in dict.fromkeys(used):
        if name not in columns:
            where = next((t.pos for t in tokenize(text) if t.kind == "name" and t.text == name),
                         None)
            raise FormulaError(f"The data have no column `{name}`."
                               + close_matches_hint(name, columns), text, where)
    return formula


def caret_block(error: FormulaError) -> str:
    """The formula and a caret under the problem, for a code block (monospace aligns it)."""
    lines = [error.formula]
    if error.position is not None and error.formula:
        lines.append(" " * max(0, min(error.position, len(error.formula))) + "^")
    return "\n".join(lines)


def check_answer(round: Round, answer: Mapping) -> None:  # noqa: A002
    """Raise InvalidAnswer when a typed formula cannot be scored yet: the reason as its message,
    the formula with a caret under the problem as its detail (GameSpec.score calls this)."""
    if round.context["variant"] != "write":
        return
    text = answer.get("formula")
    if not isinstance(text, str) or not text.strip():
        return
    try:
        check_formula(text, round.context["data_columns"])
    except FormulaError as error:
        raise InvalidAnswer(f"Not scored yet. {error.reason} Fix it and check again: nothing "
                            "is lost.", "formula", detail=caret_block(error)) from None


def typed_report(round: Round, text: str) -> dict:  # noqa: A002
    """What a typed formula says and what its fit gives on the round's data (for the reveal
    of a "write" round); pure, so a page can cache it."""
    w = cat.words_of(round.context["setting"])
    formula = check_formula(text, round.context["data_columns"])
    shown = round.context["shown"]
    right = round.reveal.details["summaries"][round.context["target"]]
    summary = fit_summary(text, round.data, w["x"], w.get("g"))
    code = misconception(formula, shown)
    groups = {"g": {w["g"]}} if "g" in w else {"a": {w["a"]}, "b": {w["b"]},
                                                "ab": {w["a"], w["b"]}}
    return {"formula": text, "spelled": spell_out(formula), "read": read_aloud(formula),
            "differences": differences(formula, shown), "code": code, "summary": summary,
            "contrast": None if code is None else contrast(code, right, summary, w, groups)}


# ----- scoring -------------------------------------------------------------------------------
NO_ANSWER = Score(0, False, "No answer was given: pick or type one, then check.", "no_answer")


def score(round: Round, answer: Mapping) -> Score:  # noqa: A002
    """Plot rounds: the share of studies matched, in bands. Choice rounds: full points for the
    same model, half for a near miss (NEAR_MISSES), else none. Typed rounds: full points for
    the same model, half for one difference, else none."""
    variant = round.context["variant"]
    if variant == "plot":
        return _score_plot(round, answer)
    if variant == "write":
        return _score_write(round, answer)
    return _score_choice(round, answer)


def _score_plot(round_: Round, answer: Mapping) -> Score:
    formulas, solution = round_.context["formulas"], round_.solution
    picks = {k: answer.get(k) for k in solution}
    if any(p not in formulas for p in picks.values()):
        return NO_ANSWER
    wrong = [k for k in solution if not same_model(formulas[picks[k]], formulas[solution[k]])]
    points = band_points(len(wrong) / len(solution), 0.0, 0.5)
    head = f"{len(solution) - len(wrong)} of {len(solution)} studies matched."
    if not wrong:
        return Score(100, True, head + " You read every picture right.")
    codes = [misconception(formulas[picks[k]], formulas[solution[k]]) for k in wrong]
    counts = Counter(codes)
    code = min(counts, key=lambda c: (-counts[c], CODES.index(c)))
    notes = [f"- Study {k} was drawn by `{formulas[solution[k]]}`, not `{formulas[picks[k]]}`"
             f". {differences(formulas[picks[k]], formulas[solution[k]])[0]}" for k in wrong]
    return Score(points, False, head + "\n\n" + "\n".join(notes), code)


def _score_choice(round_: Round, answer: Mapping) -> Score:
    question = round_.questions[0]
    picked, formulas = answer.get(question.id), round_.context["formulas"]
    if picked not in formulas:
        return NO_ANSWER
    shown, yours = round_.context["shown"], formulas[picked]
    found = compare(yours, shown)
    if not found:
        return Score(100, True, f"Right: `{shown}` says exactly this design.")
    points = 50 if len(found) == 1 and found[0].code in NEAR_MISSES else 0
    if round_.context["variant"] == "read":
        head = (f"That description is the model `{yours}`, not `{shown}`. Taking that model "
                "as yours: ")
    else:
        head = f"`{yours}` is a different model. "
    return Score(points, False, head + " ".join(d.text for d in found), found[0].code)


def _score_write(round_: Round, answer: Mapping) -> Score:
    text = answer.get("formula")
    if not isinstance(text, str) or not text.strip():
        return NO_ANSWER
    shown = round_.context["shown"]
    try:
        formula = check_formula(text, round_.context["data_columns"])
    except FormulaError as error:
        return Score(0, False, f"This formula cannot be graded: {error.reason}",
                     "formula_error")
    found = compare(formula, shown)
    if not found:
        same_text = re.sub(r"\s+", "", text) == re.sub(r"\s+", "", shown)
        return Score(100, True, "Right: " + (f"`{shown}` is exactly the model." if same_text
                     else f"written differently from `{shown}`, but the same model, and "
                          "the meaning is what counts."))
    points = band_points(len(found), 0, 1)
    lead = "Close: one thing differs." if points else "Not yet: several things differ."
    return Score(points, False, lead + "\n\n" + "\n".join(f"- {d.text}" for d in found),
                 found[0].code)
