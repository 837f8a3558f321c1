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
           "trap_key", "make_scenario", "describe", "diagram"]

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
# Per difficulty: study sizes and spreads. Schools: SDs of schools, classes, pupils (points on
# the extraversion scale). Items: ms.
LEVELS = {
    "gentle": {"diagram": True, "pupils": 15, "sd_class": 4.0,
               "participants": 24, "items": 16, "sd_item": 50.0},
    "normal": {"diagram": True, "pupils": 12, "sd_class": 3.0,
               "participants": 20, "items": 16, "sd_item": 40.0},
    "tricky": {"diagram": False, "pupils": 10, "sd_class": 2.5,
               "participants": 16, "items": 12, "sd_item": 35.0},
}
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


def describe(design: str, data: pd.DataFrame, difficulty: str) -> str:
    """The design in words (the prompt's first paragraph)."""
    plain = difficulty == "tricky"
    if design == "items_crossed":
        n, k = data["participant"].nunique(), data["item"].nunique()
        if plain:
            return (f"**The study.** {n} participants read a list of {k} words (half frequent, "
                    "half rare) and their reading time was recorded, in ms. Everybody got the "
                    "same list.")
        return (f"**The study.** {n} participants each read the same {k} words, one at a time, "
                "and their reading time was recorded, in ms. Half the words are frequent, half "
                "are rare. **Every participant read every word**, once.")
    schools = data["school"].nunique()
    pupils = len(data) // (schools * N_CLASSES)
    head = (f"**The study.** {len(data)} pupils in {schools} schools filled in a personality "
            f"questionnaire. Each school has {N_CLASSES} classes of {pupils} pupils, called "
            "**a, b, c, d**.")
    if design == "schools_nested":
        return head + (" Each school names its own classes." if plain else
                       " Each school names its own classes: class a of school I and class a "
                       "of school II are *different classes*, with different pupils and "
                       "teachers; they only share a letter.")
    return head + (" The letter is the teaching programme the class follows; all schools "
                   "run the same programmes." if plain else
                   " The letter is the class's teaching programme, and every school runs the "
                   "same four programmes: programme a is *the same programme* in every "
                   "school, and could make pupils more or less extraverted everywhere.")


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
