"""The bootstrap game's feedback: what each answer gets told, and the misconception codes.

Interval guesses: the code names what the guess's width or position looks like (a prediction
range for people, SD / √(measurements), ± 1 SE, ...). Bootstrap picks: keyed by (solution,
pick); a wrong pick in a "case" round means the learner trusted row resampling, whose interval
is overconfident ("case_bootstrap_overconfident").
"""

__all__ = ["INTERVAL_FEEDBACK", "KIND_FEEDBACK", "KIND_CODES"]

INTERVAL_FEEDBACK = {
    "missed_the_estimate": "Your interval does not even contain the model's estimate. A "
                           "confidence interval is built around the estimate: it is the "
                           "estimate give or take about two standard errors.",
    "confused_ci_and_pi": "Your interval is about as wide as the spread of the people "
                          "themselves: that is where 95% of *people's* slopes lie (a "
                          "prediction range). The interval for the *average* is narrower by "
                          "√(number of people): SE = SD of people / √n.",
    "interval_too_wide": "Your interval is wider than the data justify: about two standard "
                         "errors either side of the estimate is enough.",
    "counted_measurements_as_people": "Your interval is about as narrow as if every "
                                      "measurement came from a new person (SD / √ of the "
                                      "number of measurements). Measurements of the same "
                                      "person share that person's slope: the information "
                                      "about the average comes from the number of people.",
    "used_one_standard_error": "Your interval is about one standard error either side of "
                               "the estimate: that covers only about 68%. A 95% interval "
                               "needs about 1.96 (≈ 2) standard errors either side.",
    "interval_too_narrow": "Your interval is narrower than the data justify: the estimate is "
                           "less certain than that.",
    "off_centre": "The width is about right, but the interval is shifted: centre it on the "
                  "model's estimate.",
}


KIND_FEEDBACK = {
    ("case", "case"): "Right: resampling rows keeps the same people and only reshuffles their "
                      "measurements, so it misses how much the average would change with "
                      "other people. Its interval is far too narrow.",
    ("none", "none"): "Right: here the effect is measured within each person and people do "
                      "not differ in it, so resampling rows only reshuffles noise that really "
                      "is independent. All three intervals are about the same.",
    ("case", "parametric"): "The parametric bootstrap simulates *new people* from the fitted "
                            "model, so it includes the between-people variation. The "
                            "overconfident one is resampling rows: it keeps the same people "
                            "and treats their measurements as independent.",
    ("case", "cluster"): "Resampling participants draws whole people, so each bootstrap "
                         "study has different people, just as a real replication would. The "
                         "overconfident one is resampling rows: it keeps the same people and "
                         "treats their measurements as independent.",
    ("case", "none"): "Resampling rows keeps the same people and only reshuffles their "
                      "measurements, so for an average slope that differs between people it "
                      "misses the main source of uncertainty: its interval is far too narrow.",
    ("none", "case"): "Resampling rows goes wrong for effects that vary between people. This "
                      "effect is measured within each person and people do not differ in it "
                      "(the model has no random slope for condition), so row resampling is "
                      "fine here: all three intervals agree.",
    ("none", "parametric"): "The parametric bootstrap is right when the model is right, and "
                            "here the data come from exactly this model. None of the three "
                            "is too narrow for this within-person effect.",
    ("none", "cluster"): "Resampling participants is the safe choice; it is not too narrow. "
                         "For this within-person effect none of the three is.",
}

KIND_CODES = {
    ("case", "parametric"): "case_bootstrap_overconfident",
    ("case", "cluster"): "case_bootstrap_overconfident",
    ("case", "none"): "case_bootstrap_overconfident",
    ("none", "case"): "row_resampling_always_overconfident",
    ("none", "parametric"): "blamed_parametric_bootstrap",
    ("none", "cluster"): "blamed_participant_resampling",
}
