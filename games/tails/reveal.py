"""One tail or two: the reveal (the matching test in words, and every possible test on the
data with its p-value)."""

from __future__ import annotations

import pandas as pd

from ..base import Reveal

__all__ = ["build_reveal", "ALPHA", "TEST_WORDS"]

ALPHA = 0.05
TEST_WORDS = {
    "two-sided": "two-tailed (treatment differs from control, either way)",
    "greater": "one-tailed, upper tail (treatment higher than control)",
    "less": "one-tailed, lower tail (treatment lower than control)",
}


def build_reveal(num: dict, context: dict, truth: dict) -> Reveal:
    """The reveal of a round: the words for its variant and every possible test's p-value."""
    if context["variant"] == "anova":
        text = _anova_explanation(num, context.get("statistic", "F"))
    else:
        text = _t_explanation(num, context, truth["alternative"])
    table = pd.DataFrame(
        {
            "Test": [TEST_WORDS[k] for k in ("two-sided", "greater", "less")]
            + ["F test (upper tail)"],
            "Statistic": [f"t = {num['t']:.2f}"] * 3 + [f"F = {num['F']:.2f}"],
            "p-value": [num["p_two-sided"], num["p_greater"], num["p_less"],
                        num["p_two-sided"]],
        }
    )
    table["p < 0.05?"] = ["yes" if p < ALPHA else "no" for p in table["p-value"]]
    return Reveal(
        explanation=text,
        numbers=num,
        tables={"tests": table},
        details={"true_effect": truth["true_effect"], "alternative": truth["alternative"]},
    )


def _direction_words(context: dict, alternative: str) -> str:
    if alternative == "two-sided":
        return ("The hypothesis says *different* without a direction, so a difference either "
                "way counts: the matching test is **two-tailed**.")
    word = context["hypothesis"]
    sign = "higher" if alternative == "greater" else "lower"
    why = ("higher scores are better" if context["higher_is_better"]
           else "lower (faster) reaction times are better")
    return (f"The hypothesis says *{word}*, and {why}, so it predicts treatment values "
            f"**{sign}** than control: the matching test is **one-tailed, {sign} side** "
            f"(treatment − control {'>' if sign == 'higher' else '<'} 0).")


def _t_explanation(num: dict, context: dict, alternative: str) -> str:
    unit = context["unit"]
    right_p = num[f"p_{alternative}"]
    verdict = "below" if right_p < ALPHA else "not below"
    lines = [
        _direction_words(context, alternative),
        f"The mixed model `{context['response']} ~ condition + (1 | participant)` estimates "
        f"treatment − control = {num['estimate']:.1f} {unit} (standard error "
        f"{num['se']:.1f}), so t = {num['t']:.2f} on {num['df']:.0f} degrees of freedom.",
        f"With the matching test, p = {right_p:.3g}, {verdict} 0.05.",
    ]
    if alternative != "two-sided":
        lines.append(
            f"A two-tailed test splits the 5% over both tails (cut-offs ±{num['t_crit_two']:.2f}"
            f"); a one-tailed test puts all 5% on the predicted side (cut-off "
            f"{num['t_crit_one']:.2f}), so it finds a predicted effect more easily, but can "
            "never call an effect in the other direction significant."
        )
        wrong_side = (num["t"] > 0) != (alternative == "greater")
        if wrong_side and num["p_two-sided"] < ALPHA:
            lines.append(
                "Here the effect went the *other* way: only a two-tailed test would flag it. "
                "Switching to that test after seeing the data is not allowed, which is why "
                "the choice comes first."
            )
    return "\n\n".join(lines)


def _anova_explanation(num: dict, statistic: str = "F") -> str:
    head = ("The t test of a hypothesis without a direction is **two-tailed**: 2.5% in each "
            "tail. The same comparison as an F test is **one-tailed (upper tail only)**:"
            if statistic == "t" else
            "The F test is **one-tailed (upper tail only)** even though the hypothesis has no "
            "direction.")
    return "\n\n".join([
        head,
        "F compares how far apart the condition means are with how much they would differ "
        "by noise alone. With two conditions F = t²: squaring removes the sign, so a "
        "treatment that is much higher *and* one that is much lower both give a large F. "
        "Both tails of t end up in the upper tail of F.",
        "A very small F (near 0) means the means are *closer* than noise would predict: "
        "that is no evidence of a difference, so the lower tail is not part of the "
        "rejection region.",
        f"Here t = {num['t']:.2f}, so F = {num['F']:.2f} on 1 and {num['df']:.0f} degrees of "
        f"freedom; the cut-off is F = {num['F_crit']:.2f} (= {num['t_crit_two']:.2f}²) and "
        f"p = {num['p_two-sided']:.3g}: exactly the two-tailed t test's p-value.",
    ])
