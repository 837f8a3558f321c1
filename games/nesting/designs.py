"""The three designs of the nesting game: what is offered, what is right, what each wrong
answer means, the words that describe each design, and its diagram.

- ``schools_nested`` (``simulators``): pupils in classes in schools; every school calls its own
  classes a-d, so class a of school I is not class a of school II. Right: ``(1 | school/class)``
  (or, written out, ``(1 | school) + (1 | school:class)``).
- ``schools_crossed`` (``simulators``): the letters a-d are teaching programmes that every school
  runs, the same programme everywhere. Right: ``(1 | school) + (1 | class)``.
- ``items_crossed`` (``simulators``): every participant reads every word.
  Right: ``(1 | participant) + (1 | item)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import simulators

__all__ = ["DESIGNS", "FIXED", "RANDOM", "OFFERED", "VERDICTS", "LEVELS", "family", "right_key",
           "trap_key", "make_scenario", "describe", "diagram", "letter_share", "shows_design",
           "reading_counts"]

DESIGNS = ("schools_nested", "schools_crossed", "items_crossed")
FIXED = {"schools": "extraversion ~ openness + agreeableness + social", "items": "rt ~ frequency"}
RANDOM = {
    "schools": {
        "nested": "(1 | school/class)",
        "written": "(1 | school) + (1 | school:class)",
        "crossed": "(1 | school) + (1 | class)",
        "school_only": "(1 | school)",
        "reversed": "(1 | class/school)",
    },
    "items": {
        "crossed": "(1 | participant) + (1 | item)",
        "participant_only": "(1 | participant)",
        "nested": "(1 | participant/item)",
        "item_only": "(1 | item)",
        "item_slope": "(1 | participant) + (1 + frequency | item)",
    },
}
OFFERED = {
    ("schools", "gentle"): ("nested", "crossed", "school_only"),
    ("schools", "normal"): ("nested", "crossed", "school_only", "reversed"),
    ("schools", "tricky"): ("written", "crossed", "school_only", "reversed"),
    ("items", "gentle"): ("crossed", "participant_only", "nested"),
    ("items", "normal"): ("crossed", "participant_only", "nested", "item_only"),
    ("items", "tricky"): ("crossed", "participant_only", "nested", "item_slope", "item_only"),
}
# design -> picked option -> (points, misconception)
VERDICTS = {
    "schools_nested": {
        "nested": (100, None), "written": (100, None),
        "crossed": (0, "crossed_for_nested_labels"),
        "school_only": (0, "ignored_classes"),
        "reversed": (0, "nesting_reversed"),
    },
    "schools_crossed": {
        "crossed": (100, None),
        "nested": (25, "nested_for_crossed"), "written": (25, "nested_for_crossed"),
        "school_only": (0, "ignored_classes"),
        "reversed": (0, "nesting_reversed"),
    },
    "items_crossed": {
        "crossed": (100, None),
        "participant_only": (0, "ignored_items"),
        "nested": (0, "nested_for_crossed"),
        "item_only": (0, "ignored_participants"),
        "item_slope": (50, "slope_for_between_item_variable"),
    },
}
# Per difficulty: study sizes and spreads (schools: SDs of classes, in points on the
# extraversion scale; items: ms), and whether the prompt says where to look in the data.
LEVELS = {
    "gentle": {"hint": True, "pupils": 15, "sd_class": 4.0,
               "participants": 24, "items": 16, "sd_item": 50.0},
    "normal": {"hint": False, "pupils": 12, "sd_class": 3.0,
               "participants": 20, "items": 16, "sd_item": 40.0},
    "tricky": {"hint": False, "pupils": 10, "sd_class": 2.5,
               "participants": 16, "items": 12, "sd_item": 35.0},
}
# How much of the classes' differences within their schools the letters explain (see
# letter_share): what the data must show for each school design, else the study is redrawn.
# By chance (no shared meaning) the share is about 3 / 18 = 0.17.
SHARE_NESTED_MAX, SHARE_CROSSED_MIN = 0.33, 0.6
N_SCHOOLS, N_CLASSES, SD_SCHOOL, SD_PUPIL = 6, 4, 5.0, 2.0
SHOWN_MAX = 8  # participants and words drawn in the diagram


def family(design: str) -> str:
    return "items" if design == "items_crossed" else "schools"


def right_key(design: str, difficulty: str) -> str:
    if design == "schools_nested":
        return "written" if difficulty == "tricky" else "nested"
    return "crossed"


def trap_key(design: str, offered) -> str:
    """The tempting wrong structure whose fit the reveal shows beside the right one."""
    if design == "schools_nested":
        return "crossed"
    if design == "schools_crossed":
        return "nested" if "nested" in offered else "written"
    return "participant_only"


def make_scenario(design: str, level: dict, seed: int, rng):
    """The round's study (a simulators.Scenario)."""
    if design == "items_crossed":
        return simulators.generate(
            "items_crossed", seed=seed, n_participants=level["participants"],
            n_items=level["items"], sd_item=level["sd_item"],
            frequency_effect=float(rng.choice([30.0, 40.0, 50.0])))
    return simulators.generate(design, seed=seed, n_schools=N_SCHOOLS, n_classes=N_CLASSES,
                               n_pupils=level["pupils"], sd_school=SD_SCHOOL,
                               sd_class=level["sd_class"], sd_residual=SD_PUPIL)


def letter_share(data: pd.DataFrame) -> float:
    """The share of the class averages' variation within schools that the letters explain:
    near 1 when a letter means the same in every school (a programme), near chance (about
    0.17 with 6 schools and 4 letters) when each school names its own classes."""
    means = data.groupby(["school", "class"])["extraversion"].mean().unstack()
    within = means.sub(means.mean(axis=1), axis=0)
    by_letter = within.mean(axis=0)
    return float(within.shape[0] * (by_letter**2).sum() / (within.to_numpy() ** 2).sum())


def shows_design(design: str, data: pd.DataFrame) -> bool:
    """The data show what the design is (the learner is asked to read it from them)."""
    if design == "schools_nested":
        return letter_share(data) <= SHARE_NESTED_MAX
    if design == "schools_crossed":
        return letter_share(data) >= SHARE_CROSSED_MIN
    return True


def reading_counts(data: pd.DataFrame) -> pd.DataFrame:
    """Who read what, counted: the table that shows whether participants and words cross."""
    pairs = data.groupby(["participant", "item"]).size()
    per_person = data.groupby("participant")["item"].nunique()
    per_word = data.groupby("item")["participant"].nunique()

    def span(s) -> str:
        return f"{s.min()}" if s.min() == s.max() else f"{s.min()} to {s.max()}"

    return pd.DataFrame({"count": [
        str(data["participant"].nunique()), str(data["item"].nunique()), span(per_person),
        span(per_word), span(pairs), str(len(data))]}, index=pd.Index([
            "participants", "different words", "words each participant read",
            "participants who read each word", "readings of one word by one participant",
            "readings in all"], name="in the data"))


def describe(design: str, data: pd.DataFrame, difficulty: str) -> str:
    """The design in words (the prompt's first paragraph), neutral about its structure: the
    data, not the words, tell nested from crossed."""
    hint = LEVELS[difficulty]["hint"]
    if design == "items_crossed":
        text = (f"**The study.** {data['participant'].nunique()} participants read words, one "
                "at a time, and their reading time was recorded, in ms. Half the words are "
                "frequent, half rare. The table below counts who read which word.")
        return text + (" *Where to look:* did everybody read the same words, or each "
                       "participant words of their own?" if hint else "")
    schools = data["school"].nunique()
    pupils = len(data) // (schools * N_CLASSES)
    text = (f"**The study.** {len(data)} pupils in {schools} schools filled in a personality "
            f"questionnaire. Each school has {N_CLASSES} classes of {pupils} pupils, labelled "
            "**a, b, c, d**. The school register does not say what a letter means: a teaching "
            "programme that every school runs (class a is then *the same programme* in "
            "every school), or just the name each school gives its own classes. The class "
            "averages below can tell.")
    return text + (" *Where to look:* if a letter's class sits above (or below) its school's "
                   "average in nearly every school, the letter means something shared."
                   if hint else "")


# ----- the diagram -------------------------------------------------------------------------
def _spread(n: int, top: float = 0.0, bottom: float = 1.0) -> list[float]:
    return [float(v) for v in np.linspace(top, bottom, n)] if n > 1 else [0.5]


def diagram(design: str, data: pd.DataFrame) -> dict:
    """Nodes (two columns) and edges of the design's picture, JSON-friendly."""
    if design == "items_crossed":
        return _crossed_diagram(data, "participant", "item", "participants", "words",
                                "one reading: that participant read that word")
    schools = list(dict.fromkeys(data["school"]))
    letters = sorted(data["class"].unique())
    if design == "schools_crossed":
        return _crossed_diagram(data, "school", "class", "schools", "programmes",
                                "one class: that programme, taught in that school")
    ys = _spread(len(schools) * len(letters))
    right = [{"label": f"{c}", "y": ys[i * len(letters) + j], "who": f"class {c} of school {s}"}
             for i, s in enumerate(schools) for j, c in enumerate(letters)]
    left = [{"label": s, "y": float(np.mean(ys[i * len(letters):(i + 1) * len(letters)])),
             "who": f"school {s}"} for i, s in enumerate(schools)]
    edges = [[left[i]["y"], right[i * len(letters) + j]["y"]]
             for i in range(len(schools)) for j in range(len(letters))]
    return {"left": left, "right": right, "edges": edges, "titles": ["schools", "classes"],
            "note": "a class in its school (every school has its own a, b, c, d)"}


def _crossed_diagram(data, left_col, right_col, left_title, right_title, note) -> dict:
    left_all, right_all = sorted(data[left_col].unique()), sorted(data[right_col].unique())
    left_names, right_names = left_all[:SHOWN_MAX], right_all[:SHOWN_MAX]
    ly, ry = _spread(len(left_names)), _spread(len(right_names))
    left = [{"label": n, "y": y, "who": n} for n, y in zip(left_names, ly, strict=True)]
    right = [{"label": n, "y": y, "who": n} for n, y in zip(right_names, ry, strict=True)]
    pairs = set(zip(data[left_col], data[right_col], strict=True))
    edges = [[a["y"], b["y"]] for a in left for b in right if (a["label"], b["label"]) in pairs]
    shown = ""
    if len(left_all) > len(left_names) or len(right_all) > len(right_names):
        shown = (f". Only the first {len(left_names)} of {len(left_all)} {left_title} and "
                 f"{len(right_names)} of {len(right_all)} {right_title} are drawn")
    return {"left": left, "right": right, "edges": edges, "titles": [left_title, right_title],
            "note": note + shown}
