"""The bootstrap game's feedback on interval guesses: the code names what the guess's width or
position looks like (a prediction range for people, SD / √(measurements), ± 1 SE, ...).
Feedback on judging bootstraps lives in judge.py.
"""

__all__ = ["INTERVAL_FEEDBACK"]

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
