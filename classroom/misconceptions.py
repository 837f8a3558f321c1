"""One line per misconception code: what the class fell for, and what to re-teach (pure).

The games name a misconception with each wrong answer (``Score.misconception``); the projector
counts them after the reveal and shows these lines. A code this table does not know (a new
game's) is shown in words made from the code itself, so nothing is ever hidden.
"""

from __future__ import annotations

import re

__all__ = ["explain", "EXPLANATIONS"]

EXPLANATIONS = {
    "no_answer": "Did not answer every part of the question.",
    # tails
    "two_tailed_for_directional": "A directional hypothesis allows a one-tailed test: all 5% "
    "goes into the predicted tail.",
    "one_tailed_wrong_direction": "A one-tailed test must put its 5% in the tail the "
    "hypothesis predicts, not the other one.",
    "one_tailed_for_nondirectional": "'Different' names no direction: a one-tailed test would "
    "miss an effect the other way.",
    "f_test_two_tailed": "An F test (ANOVA) rejects only for large F: its rejection region is "
    "the upper tail.",
    "f_test_lower_tail": "Small F values mean the groups differ less than chance: only large F "
    "speaks against the null.",
    # lineup
    "saw_problem_in_good_fit": "Real data always look a little odd; a problem is only real if "
    "the fakes never show it.",
    "picked_simulated_panel": "Named the problem but picked a simulated panel: look for what "
    "no fake panel shows.",
    # pooling
    "misjudged_shrinkage": "The direction of shrinkage was right, the amount not: it depends "
    "on how much data a person has.",
    "overshot_population": "Partial pooling stops between a person's own line and the "
    "population line; it never goes past it.",
    "moved_away_from_population": "Partial pooling moves estimates toward the population "
    "line, never away from it.",
    "ignored_sample_size": "Less data, more shrinkage: a person with few days is pulled "
    "further toward the population.",
    "chose_no_pooling": "Keeping each person's own line is no pooling; the mixed model pulls "
    "it toward the population line.",
    "chose_complete_pooling": "Putting everyone on the population line is complete pooling; "
    "the mixed model keeps part of each person's own line.",
    # mixture
    "group_as_random_with_two_levels": "A random effect needs many groups to estimate a "
    "variance; two known groups are a fixed effect.",
    "ignored_hidden_groups": "Ignoring two kinds of participants pushes their difference "
    "into the random-effect SD.",
    "two_spreads_for_two_means": "Groups that differ in their means need a fixed effect, not "
    "two SDs.",
    "slope_for_between_participant_variable": "A between-participant variable cannot have a "
    "random slope by participant.",
    "one_normal_for_two_spreads": "One random-intercept SD cannot describe two groups that "
    "spread differently.",
    "mean_shift_for_spread": "A fixed effect moves a mean; groups that differ in spread need "
    "their own SDs.",
    # nesting
    "nested_for_crossed": "When everybody meets the same items, participants and items are "
    "crossed, not nested.",
    "ignored_items": "Items vary too: without (1 | item) the standard errors are far too "
    "small.",
    "ignored_participants": "Repeated measures of one person are not independent: "
    "(1 | participant) is needed.",
    "slope_for_between_item_variable": "A property of an item (frequent or rare) cannot have "
    "a random slope by item.",
    "ignored_classes": "Pupils of one class are more alike than pupils of one school: the "
    "class level must be in the model.",
    "crossed_for_nested_labels": "Labels that repeat across schools (class 1 in every school) "
    "are still nested: a class belongs to one school.",
    "nesting_reversed": "(1 | outer/inner): the slash reads from the larger unit to the "
    "smaller.",
    # convergence
    "rescale_for_singular": "Rescaling changes units, not what the data can estimate: a "
    "singular fit stays singular.",
    "relevel_for_singular": "The reference level matters for factor predictors only; it "
    "cannot cure a singular fit.",
    "optimizer_for_singular": "A singular fit is the data's answer, not an optimizer failure: "
    "every optimizer lands there.",
    "kept_zero_variance": "Dropping the correlation is not enough when the slope variance "
    "itself is zero.",
    "drop_data_to_converge": "A warning describes the model, not bad data: simplify the "
    "model instead of deleting groups.",
    "simplify_hides_real_slope": "Dropping a slope that really varies hides it; find the "
    "cause before simplifying.",
    "blamed_scale": "Predictors that are already standardized are not the cause; too many "
    "variance parameters are.",
    "blamed_optimizer": "The message comes from the model and the data, not the optimizer.",
    "confused_zero_variance_with_overfit": "Zero variance and too many parameters both give "
    "singular fits; here the slopes really vary.",
    "relevel_for_scale": "Releveling a grouping factor changes nothing; a predictor far from "
    "zero needs centring.",
    "optimizer_for_scale": "Other optimizers check a gradient warning but cannot cure a "
    "predictor's bad scale.",
    "drop_correlation_for_scale": "Dropping the correlation does not fix a predictor in the "
    "thousands: centre and scale it.",
    "missed_scale": "A predictor far from zero (in the thousands) causes gradient warnings: "
    "centre and scale it.",
    # syntax
    "random_effect_in_fixed_part": "A grouping variable in the fixed part estimates one "
    "coefficient per group, not a variance.",
    "unneeded_random_slope": "A random slope lets each group have its own slope: add it only "
    "where the design asks for it.",
    "slope_without_intercept": "(0 + x | g) drops the random intercept; most designs need "
    "both.",
    "forgot_random_slope": "A within-group predictor usually needs a random slope: "
    "(x | g), not (1 | g).",
    "added_random_intercept": "The formula had an extra random intercept the description "
    "did not ask for.",
    "nested_vs_crossed": "A unit inside another is nested: (1 | school/class), not two "
    "crossed terms.",
    "missing_grouping_factor": "Every level of the design that repeats needs its own "
    "random term.",
    "duplicated_random_effect": "One grouping factor in two terms estimates its intercept "
    "twice.",
    "correlated_vs_uncorrelated": "(x | g) estimates a correlation; (x || g) does not.",
    "wrong_response": "The outcome goes left of the ~.",
    "grouped_by_predictor": "A random effect is grouped by a grouping factor (people, items), "
    "not by a predictor.",
    "extra_grouping_factor": "A random term for a grouping the design does not have.",
    "missing_fixed_effect": "A predictor of interest must be in the fixed part to get its "
    "estimate and test.",
    "extra_fixed_effect": "The formula had a fixed effect the description did not ask for.",
    "fixed_intercept": "The fixed intercept was removed or added against the description.",
    "other_random_structure": "The random part differs from what the design needs: compare "
    "term by term.",
    # bootstrap
    "interval_too_narrow": "An interval narrower than the data justify claims more "
    "certainty than there is.",
    "confused_ci_and_pi": "A confidence interval is about the average effect, not about "
    "where single people fall.",
    "interval_too_wide": "An interval wider than needed wastes the information in the "
    "data.",
    "missed_the_estimate": "A confidence interval always contains the estimate it is "
    "built around.",
    "counted_measurements_as_people": "Counting every measurement as a new person makes an "
    "interval far too narrow.",
    "used_one_standard_error": "A 95% interval spans about two standard errors either side, "
    "not one.",
    "off_centre": "The width was right, but the interval must be centred on the estimate.",
    "case_bootstrap_overconfident": "Resampling rows ignores that rows of one person belong "
    "together: too narrow.",
    "blamed_parametric_bootstrap": "The parametric bootstrap is right when the model is "
    "right.",
    "row_resampling_always_overconfident": "Resampling rows only goes wrong for effects that "
    "vary between people.",
    "blamed_participant_resampling": "Resampling participants is the safe choice; it is not "
    "too narrow.",
    # pvalues
    "missed_significant_effect": "Compare |t| with the cut-off for its df: beyond it, the "
    "effect is significant.",
    "t_below_cutoff": "A |t| below the cut-off is not significant, whatever the df.",
    "misjudged_df": "Satterthwaite df count the units at the level where the effect varies.",
    "ignored_small_df": "The df count the units the effect varies between, not all "
    "measurements.",
    "z_test_overconfident": "With few groups a z test (1.96) is too liberal; the t "
    "distribution with small df is wider.",
    "used_number_of_groups": "An effect that varies within people gets df from the "
    "measurements, not the number of people.",
}

_LINEUP_PROBLEMS = {"outliers": "a few outliers", "mixture": "a hidden mixture",
                    "unequal_variances": "unequal variances", "nothing": "a good fit"}


def explain(code: str) -> str:
    """The one-line explanation of a misconception code."""
    if code in EXPLANATIONS:
        return EXPLANATIONS[code]
    missed = re.fullmatch(r"missed_(\w+)", code)
    if missed and missed[1] in _LINEUP_PROBLEMS:
        return (f"Took the real data for a good fit and missed {_LINEUP_PROBLEMS[missed[1]]}: "
                "compare the real panel with the fakes.")
    confused = re.fullmatch(r"confused_(\w+?)_with_(\w+)", code)
    if confused and {confused[1], confused[2]} <= set(_LINEUP_PROBLEMS):
        return (f"Saw {_LINEUP_PROBLEMS[confused[2]]} where the data had "
                f"{_LINEUP_PROBLEMS[confused[1]]}.")
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:] + "."
