"""Two shortcuts to a mixed model, judged on the data: separate regressions per person, and one
regression on the daily means (``simulators`` "sleep").

- Separate regressions: fit each person's own line, average the slopes, SE = SD of the slopes
  / √(people). With complete, balanced data this is close to the mixed model; with people
  who dropped out, a line through two or three days counts as much as one through ten.
- One regression on the daily means: average everybody per day, fit one line through the
  means. The same people are in every mean, so when people differ in their slopes the means
  hide it and the standard error is far too small; when people's slopes do not differ it is
  about right; with dropouts, later means come from other people.

A shortcut is *close* to the mixed model when its average slope is within half of the model's
standard error and its standard error within a factor of 1.5 of the model's. The round's
answer is computed from the fits, never assumed; a study on the edge of a verdict is redrawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import lmm_core
import simulators

from ..base import Option, Question

__all__ = ["CASES", "FORMULA", "make_study", "estimates", "verdicts", "answer", "question",
           "score_pick", "explanation", "OPTIONS", "table"]

FORMULA = "reaction ~ days + (days | subject)"
CASES = {
    "differ_balanced": {"sd_slope": (6.0, 9.0), "n_incomplete": 0},
    "same_balanced": {"sd_slope": (0.0, 0.0), "n_incomplete": 0},
    "differ_dropouts": {"sd_slope": (6.0, 9.0), "n_incomplete": 5},
    "same_dropouts": {"sd_slope": (0.0, 0.0), "n_incomplete": 5},
}
SHIFT, RATIO = 0.5, 1.5  # close: |estimate - model's| <= SHIFT SE, SE within a factor RATIO
EDGE = 0.15  # a study this close (relative) to a verdict's border is redrawn
OPTIONS = {
    "separate": "The separate regressions: each person's own slope, averaged",
    "means": "The one regression on the daily means",
    "both": "Both shortcuts",
    "neither": "Neither shortcut",
}
CLAIMS = {"separate": {"separate"}, "means": {"means"}, "both": {"separate", "means"},
          "neither": set()}


def make_study(case: str, n_subjects: int, rng):
    spec = CASES[case]
    return simulators.generate(
        "sleep", seed=int(rng.integers(2**31)), n_subjects=n_subjects,
        n_incomplete=spec["n_incomplete"],
        sd_slope=round(float(rng.uniform(*spec["sd_slope"])), 1))


def estimates(data: pd.DataFrame) -> dict:
    """Average slope and its SE from the mixed model and from each shortcut."""
    data = data.dropna()
    fit = lmm_core.lmer(FORMULA, data)
    row = fit.coef_table().loc["days"]
    slopes = np.array([np.polyfit(g["days"], g["reaction"], 1)[0]
                       for _, g in data.groupby("subject") if g["days"].nunique() >= 2])
    means = data.groupby("days")["reaction"].mean()
    x, y = means.index.to_numpy(float), means.to_numpy(float)
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (intercept + slope * x)
    se_means = np.sqrt(resid @ resid / (len(x) - 2) / np.sum((x - x.mean()) ** 2))
    return {
        "model": {"estimate": float(row["Estimate"]), "se": float(row["Std. Error"])},
        "separate": {"estimate": float(slopes.mean()),
                     "se": float(slopes.std(ddof=1) / np.sqrt(len(slopes))),
                     "n": int(len(slopes)), "sd": float(slopes.std(ddof=1)),
                     "lowest": float(slopes.min()), "highest": float(slopes.max())},
        "means": {"estimate": float(slope), "se": float(se_means), "n": int(len(x))},
        "n_people": int(data["subject"].nunique()),
        "days_per_person": data.groupby("subject").size().tolist(),
        "sd_slope_model": _sd_slope(fit),
    }


def _sd_slope(fit) -> float:
    vc = fit.varcorr()
    return float(vc.loc[(vc["var1"] == "days") & (vc["var2"] == ""), "sdcor"].iloc[0])


def _measures(est: dict, key: str) -> tuple[float, float]:
    """(shift in the model's SEs, SE ratio) of one shortcut."""
    m = est["model"]
    return (abs(est[key]["estimate"] - m["estimate"]) / m["se"], est[key]["se"] / m["se"])


def verdicts(est: dict) -> dict:
    """For each shortcut: "close", "too confident" (SE too small), "too cautious" (SE too
    large) or "off" (estimate too far)."""
    out = {}
    for key in ("separate", "means"):
        shift, ratio = _measures(est, key)
        out[key] = ("off" if shift > SHIFT else "too confident" if ratio < 1 / RATIO
                    else "too cautious" if ratio > RATIO else "close")
    return out


def on_the_edge(est: dict) -> bool:
    """A verdict the data only just support (redrawn for a clear round)."""
    for key in ("separate", "means"):
        shift, ratio = _measures(est, key)
        if abs(shift / SHIFT - 1) < EDGE or min(abs(ratio * RATIO - 1),
                                                abs(ratio / RATIO - 1)) < EDGE:
            return True
    return False


def answer(est: dict) -> str:
    close = {k for k, v in verdicts(est).items() if v == "close"}
    return next(k for k, v in CLAIMS.items() if v == close)


def question() -> Question:
    return Question(
        "shortcut", "Which shortcut gives nearly the mixed model's average slope and standard "
                    "error on these data?",
        options=tuple(Option(k, v) for k, v in OPTIONS.items()))


def score_pick(est: dict, pick: str) -> tuple[int, str | None]:
    """(points, misconception): 100 for the right set; 50 for claiming only shortcuts that
    work but missing one; 0 for claiming one that fails (named by why it fails)."""
    truth = CLAIMS[answer(est)]
    claimed = CLAIMS[pick]
    if claimed == truth:
        return 100, None
    wrong = claimed - truth
    if wrong:
        verdict = verdicts(est)
        if "means" in wrong:
            return 0, {"too confident": "means_hide_how_people_differ",
                       "off": "means_mix_people_and_days",
                       "too cautious": "means_too_cautious"}[verdict["means"]]
        return 0, {"off": "short_series_count_fully", "too confident": "short_series_count_fully",
                   "too cautious": "separate_too_cautious"}[verdict["separate"]]
    missed = truth - claimed
    points = 50 if claimed else 0
    return points, ("means_fine_when_people_agree" if "means" in missed
                    else "separate_fine_when_balanced")


def table(est: dict) -> pd.DataFrame:
    verdict = verdicts(est)
    rows = {"mixed model": est["model"], "separate regressions": est["separate"],
            "regression on the daily means": est["means"]}
    out = pd.DataFrame({
        "average slope (ms/day)": [r["estimate"] for r in rows.values()],
        "its SE": [r["se"] for r in rows.values()],
        "SE vs the model's": [f"{r['se'] / est['model']['se']:.2f} ×" for r in rows.values()],
        "verdict": ["the reference", verdict["separate"], verdict["means"]],
    }, index=pd.Index(list(rows), name="method"))
    return out


def explanation(est: dict) -> str:
    m, sep, means = est["model"], est["separate"], est["means"]
    verdict = verdicts(est)
    counts = est["days_per_person"]
    lines = [
        f"**The mixed model** estimates an average slope of {m['estimate']:.2f} ms/day (SE "
        f"{m['se']:.2f}), from {est['n_people']} people whose own slopes spread with an SD "
        f"of {est['sd_slope_model']:.2f} ms/day (the model's estimate).",
    ]
    balanced = min(counts) == max(counts)
    if verdict["separate"] == "close":
        lines.append(
            f"**Separate regressions: close.** {sep['n']} own slopes average "
            f"{sep['estimate']:.2f}, SE {sep['se']:.2f}. " + (
                "With every person measured on the same days, each own line is equally "
                "trustworthy, so a plain average does what the mixed model does."
                if balanced else
                f"Some people have only {min(counts)} to "
                f"{max(c for c in counts if c < max(counts))} days and "
                "wild slopes, but here they roughly cancel out: close by luck, not by design "
                "(the average still counts a short line as much as a long one)."))
    else:
        lines.append(
            f"**Separate regressions: {verdict['separate']}.** {sep['n']} own slopes average "
            f"{sep['estimate']:.2f} (SE {sep['se']:.2f}), ranging from {sep['lowest']:.0f} to "
            f"{sep['highest']:.0f} ms/day. People measured on {min(counts)} to {max(counts)} "
            "days: a line through two or three noisy days is wild, yet it counts as much as "
            "a line through ten. The mixed model weighs each line by what its data say, and "
            "pulls the short ones toward the others.")
    if verdict["means"] == "close":
        lines.append(
            f"**Regression on the means: close.** The line through the {means['n']} daily "
            f"means has slope {means['estimate']:.2f}, SE {means['se']:.2f}. People hardly "
            "differ in their slopes here, so the means lose nothing.")
    elif verdict["means"] == "too confident":
        lines.append(
            f"**Regression on the means: too confident.** Slope {means['estimate']:.2f} with "
            f"SE {means['se']:.2f}, only {means['se'] / m['se']:.2f} times the model's. The "
            f"{means['n']} means look like {means['n']} independent points, but the same "
            "people are in every one, and how much *their* slopes differ never enters.")
    elif not balanced:
        lines.append(
            f"**Regression on the means: {verdict['means']}.** Slope {means['estimate']:.2f} "
            f"(SE {means['se']:.2f}). People dropped out, so the later days' means come from "
            "fewer, other people: the line through the means mixes up who was measured with "
            "how long they had gone without sleep.")
    else:
        lines.append(
            f"**Regression on the means: {verdict['means']}.** Slope {means['estimate']:.2f} "
            f"(SE {means['se']:.2f}, {means['se'] / m['se']:.2f} times the model's). Its SE "
            f"rests on how {means['n']} means scatter around a line, which says little about "
            "how people differ.")
    lines.append(
        "**Why the mixed model.** It does both jobs at once: each person gets a line, and the "
        "lines borrow strength from each other in proportion to how much data they have.")
    return "\n\n".join(lines)
