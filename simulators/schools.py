"""Pupils in classes in schools (the course's df.school): nested versus crossed class labels.

Both scenarios have the same columns and the same class letters ``a, b, c, d`` in every
school; only what a letter means differs. In ``schools_nested`` class "a" of school I and
class "a" of school II are different classes that happen to share a letter, so the right
model is ``(1 | school/class)``, and ``(1 | school) + (1 | class)`` wrongly lumps 24 classes
into 4: the class variance comes out far too small and the residual far too large. In
``schools_crossed`` the letters are four teaching methods used in every school, with the same
effect everywhere, so ``(1 | school) + (1 | class)`` is right.

The pupil-level slopes are fixed at small but real values (``SLOPES``); the interesting part
of these scenarios is the random structure.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd

from .base import Draft, Param, ScenarioSpec, labels, rounded

__all__ = ["schools_nested", "schools_crossed", "SPECS", "SLOPES", "ROMAN"]

ROMAN = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
)
CLASS_LETTERS = "abcdefgh"
INTERCEPT = 45.0
SLOPES = MappingProxyType({"openness": 0.2, "agreeableness": 0.1, "social": 0.05})
# mean and SD of each pupil-level score, close to the course's data
SCORES = MappingProxyType(
    {"openness": (40.0, 9.0), "agreeableness": (35.0, 10.0), "social": (100.0, 12.0)}
)
FIXED = "extraversion ~ openness + agreeableness + social"
NESTED = FIXED + " + (1 | school/class)"
CROSSED = FIXED + " + (1 | school) + (1 | class)"


def _pupils(rng, n_schools, n_classes, n_pupils):
    """Table of pupils with their scores, plus each pupil's school and class numbers."""
    school = np.repeat(np.arange(n_schools), n_classes * n_pupils)
    klass = np.tile(np.repeat(np.arange(n_classes), n_pupils), n_schools)
    frame = pd.DataFrame(
        {
            "pupil": labels("", school.size, width=4),
            "school": np.asarray(ROMAN, dtype=object)[school],
            "class": np.asarray(list(CLASS_LETTERS), dtype=object)[klass],
        }
    )
    for name, (mean, sd) in SCORES.items():
        frame[name] = rounded(mean + sd * rng.standard_normal(school.size))
    return frame, school, klass


def _make(rng, nested, n_schools, n_classes, n_pupils, sd_school, sd_class, sd_residual):
    frame, school, klass = _pupils(rng, n_schools, n_classes, n_pupils)
    school_effect = sd_school * rng.standard_normal(n_schools)
    if nested:  # one effect per (school, letter): 24 different classes by default
        class_effect = sd_class * rng.standard_normal((n_schools, n_classes))[school, klass]
    else:  # one effect per letter, shared by every school
        class_effect = sd_class * rng.standard_normal(n_classes)[klass]
    fixed = INTERCEPT + sum(SLOPES[c] * frame[c].to_numpy() for c in SLOPES)
    noise = sd_residual * rng.standard_normal(school.size)
    frame["extraversion"] = rounded(fixed + school_effect[school] + class_effect + noise)
    class_key = "class:school" if nested else "class"
    truth = {
        "fixef": {"(Intercept)": INTERCEPT, **SLOPES},
        "varcomp": {
            class_key: {"sd_(Intercept)": float(sd_class)},
            "school": {"sd_(Intercept)": float(sd_school)},
            "residual_sd": float(sd_residual),
        },
        "structure": "nested" if nested else "crossed",
        "right_formula": NESTED if nested else CROSSED,
        "wrong_formula": CROSSED if nested else NESTED,
        "n_classes_real": n_schools * n_classes if nested else n_classes,
    }
    return frame, truth


def schools_nested(
    *, rng, n_schools, n_classes, n_pupils, sd_school, sd_class, sd_residual
) -> Draft:
    """Classes within schools that reuse the letters a-d: ``(1 | school/class)`` is right.

    truth adds ``structure`` ("nested"), ``right_formula``, ``wrong_formula`` (the crossed
    one, which treats the reused letters as one shared factor) and ``n_classes_real``.
    """
    data, truth = _make(
        rng, True, n_schools, n_classes, n_pupils, sd_school, sd_class, sd_residual
    )
    description = (
        f"Extraversion of {len(data)} pupils in {n_schools} schools, where each school "
        f"labels its own {n_classes} classes with the same letters."
    )
    return Draft(data, truth, NESTED, description)


def schools_crossed(
    *, rng, n_schools, n_classes, n_pupils, sd_school, sd_class, sd_residual
) -> Draft:
    """Class letters that are teaching methods shared by all schools: crossed factors.

    truth adds ``structure`` ("crossed"), ``right_formula``, ``wrong_formula`` (the nested
    one, which spreads one shared method effect over unrelated school-class cells) and
    ``n_classes_real``.
    """
    data, truth = _make(
        rng, False, n_schools, n_classes, n_pupils, sd_school, sd_class, sd_residual
    )
    description = (
        f"Extraversion of {len(data)} pupils in {n_schools} schools, where the class letters "
        f"stand for {n_classes} teaching methods used in every school."
    )
    return Draft(data, truth, CROSSED, description)


_PARAMS = (
    Param("n_schools", "int", 6, "number of schools", 2, len(ROMAN)),
    Param("n_classes", "int", 4, "classes (letters) per school", 2, len(CLASS_LETTERS)),
    Param("n_pupils", "int", 50, "pupils per class", 5, 200),
    Param("sd_school", "float", 10.0, "SD of school means", 0, 50),
    Param("sd_class", "float", 3.0, "SD of class (or method) effects", 0, 50),
    Param("sd_residual", "float", 1.0, "SD of pupils around their class", 0.1, 50),
)

SPECS = (
    ScenarioSpec(
        "schools_nested",
        "Pupils in classes within schools; class letters reused, classes nested (df.school).",
        _PARAMS,
        schools_nested,
    ),
    ScenarioSpec(
        "schools_crossed",
        "Pupils in schools and classes; class letters are a shared factor, crossed.",
        _PARAMS,
        schools_crossed,
    ),
)
