"""What the formula game talks about: study settings, random-effects structures and their words.

A *setting* is a cover story with its column names (``reaction``, ``days``, ``subject``) and
the sizes and effects its data are simulated with. A *structure* is a model template such as
``{y} ~ {x} + ({x} | {g})`` with a plain-words description; filled with a setting's words it
becomes one formula and one sentence. Single-factor settings have one grouping factor ``g``
and a predictor ``x`` that varies within it; nested settings have ``b`` (class) inside ``a``
(school); crossed settings have every ``a`` (participant) meet every ``b`` (word), and ``x``
is a property of the ``b``.

Pure data and string formatting: no numbers are fitted here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "SETTINGS",
    "STRUCTURES",
    "Structure",
    "TARGETS",
    "DISTRACTORS",
    "formula_of",
    "describe",
    "words_of",
    "study_text",
    "columns_of",
]


@dataclass(frozen=True)
class Structure:
    """A model template: its formula, other spellings of the same model, and its meaning."""

    kind: str  # "single", "nested" or "crossed": which settings it fits
    formula: str
    description: str
    spellings: tuple[str, ...] = ()  # the same model written another way (tricky options)


# ----- settings ----------------------------------------------------------------------------
# Single-factor settings: x runs 0..9 within every g (x = 0 is the start).
SETTINGS: dict[str, dict] = {
    "sleep": {
        "kind": "single", "y": "reaction", "y_word": "reaction time", "unit": "ms",
        "x": "days", "x_word": "days of sleep deprivation", "x_per": "per day",
        "x_unit": "day", "x_zero": "day 0, before any sleep loss",
        "g": "subject", "g_one": "participant", "g_many": "participants", "label": "s",
        "b0": 260.0, "b1": 10.0, "sd_a": 30.0, "sd_b": 6.0, "sigma": 18.0,
        "study": "{n} participants had their **reaction time** (`reaction`, ms) measured on "
                 "each of 10 days of sleep deprivation (`days` = 0 to 9; day 0 is before any "
                 "sleep loss). `subject` says whose measurement it is.",
    },
    "tutoring": {
        "kind": "single", "y": "score", "y_word": "maths score", "unit": "points",
        "x": "week", "x_word": "weeks of tutoring", "x_per": "per week",
        "x_unit": "week", "x_zero": "week 0, before tutoring started",
        "g": "pupil", "g_one": "pupil", "g_many": "pupils", "label": "p",
        "b0": 50.0, "b1": 2.5, "sd_a": 8.0, "sd_b": 1.6, "sigma": 4.0,
        "study": "{n} pupils took a short **maths test** (`score`, points) in each of 10 "
                 "weeks of tutoring (`week` = 0 to 9; week 0 is before tutoring started). "
                 "`pupil` says whose test it is.",
    },
    "therapy": {
        "kind": "single", "y": "anxiety", "y_word": "anxiety score", "unit": "points",
        "x": "session", "x_word": "therapy sessions", "x_per": "per session",
        "x_unit": "session", "x_zero": "session 0, the intake interview",
        "g": "client", "g_one": "client", "g_many": "clients", "label": "c",
        "b0": 60.0, "b1": -3.0, "sd_a": 9.0, "sd_b": 1.6, "sigma": 5.0,
        "study": "{n} clients rated their **anxiety** (`anxiety`, points) at each of 10 "
                 "therapy sessions (`session` = 0 to 9; session 0 is the intake interview). "
                 "`client` says whose rating it is.",
    },
    # Nested: b labels repeat in every a, but mean a different b in each.
    "schools": {
        "kind": "nested", "y": "score", "y_word": "test score", "unit": "points",
        "x": "homework", "x_word": "hours of homework", "x_per": "per hour",
        "a": "school", "a_one": "school", "a_many": "schools",
        "b": "class", "b_one": "class", "b_many": "classes", "b_ex": "a",
        "a_labels": ("I", "II", "III", "IV", "V", "VI", "VII"), "b_labels": "abcd",
        "b0": 50.0, "b1": 1.5, "sd_a": 6.0, "sd_b": 4.0, "sigma": 5.0, "per_cell": 8,
        "x_range": (0, 10),
        "study": "{n} pupils in {n_a} schools reported their weekly **hours of homework** "
                 "(`homework`) and took a **test** (`score`, points). Every school has four "
                 "classes and calls them `a`, `b`, `c` and `d`: class `a` of school `I` and "
                 "class `a` of school `II` are different classes that share a letter.",
    },
    "hospitals": {
        "kind": "nested", "y": "recovery", "y_word": "recovery time", "unit": "days",
        "x": "age", "x_word": "age", "x_per": "per year",
        "a": "hospital", "a_one": "hospital", "a_many": "hospitals",
        "b": "ward", "b_one": "ward", "b_many": "wards", "b_ex": "1",
        "a_labels": ("H1", "H2", "H3", "H4", "H5", "H6", "H7"), "b_labels": "1234",
        "b0": 4.0, "b1": 0.12, "sd_a": 1.5, "sd_b": 1.0, "sigma": 1.8, "per_cell": 8,
        "x_range": (20, 80),
        "study": "{n} patients in {n_a} hospitals: their **recovery time** (`recovery`, "
                 "days) after an operation and their **age** (`age`, years). Every hospital "
                 "numbers its four wards `1` to `4`: ward `1` of hospital `H1` and ward `1` "
                 "of hospital `H2` are different wards that share a number.",
    },
    # Crossed: every a meets every b once; x is a property of the b.
    "reading": {
        "kind": "crossed", "y": "rt", "y_word": "reading time", "unit": "ms",
        "x": "length", "x_word": "word length", "x_per": "per letter",
        "a": "subject", "a_one": "participant", "a_many": "participants",
        "b": "word", "b_one": "word", "b_many": "words", "b_ex": "w01",
        "n_a": 16, "n_b": 14, "x_range": (3, 10),
        "b0": 420.0, "b1": 22.0, "sd_a": 50.0, "sd_b": 35.0, "sd_slope": 9.0, "sigma": 40.0,
        "study": "{n_a} participants (`subject`) each read the same {n_b} words (`word`), "
                 "one at a time; for each we have the **reading time** (`rt`, ms) and the "
                 "**word length** (`length`, letters), a property of the word.",
    },
    "essays": {
        "kind": "crossed", "y": "grade", "y_word": "grade", "unit": "points",
        "x": "length", "x_word": "essay length", "x_per": "per 100 words",
        "a": "rater", "a_one": "rater", "a_many": "raters",
        "b": "essay", "b_one": "essay", "b_many": "essays", "b_ex": "e01",
        "n_a": 12, "n_b": 18, "x_range": (3, 12),
        "b0": 55.0, "b1": 2.0, "sd_a": 5.0, "sd_b": 7.0, "sd_slope": 1.0, "sigma": 3.0,
        "study": "{n_a} raters (`rater`) each graded the same {n_b} essays (`essay`): the "
                 "**grade** (`grade`, points) and the **essay length** (`length`, hundreds of "
                 "words), a property of the essay.",
    },
}

# ----- structures --------------------------------------------------------------------------
STRUCTURES: dict[str, Structure] = {
    # one grouping factor
    "intercepts": Structure(
        "single", "{y} ~ {x} + (1 | {g})",
        "Each {g_one} has their own starting level of {y_word}, but {x_word} change "
        "{y_word} by the same amount {x_per} for every {g_one}.",
        ("{y} ~ 1 + {x} + (1 | {g})",)),
    "slopes": Structure(
        "single", "{y} ~ {x} + (0 + {x} | {g})",
        "Every {g_one} starts from the same {y_word} at {x_zero}, but the effect of {x_word} "
        "differs from one {g_one} to the next.",
        ("{y} ~ 1 + {x} + (-1 + {x} | {g})",)),
    "correlated": Structure(
        "single", "{y} ~ {x} + ({x} | {g})",
        "{G_many} differ in their starting {y_word} and in the effect of {x_word}, and the "
        "model also estimates how the two go together (do {g_many} who start higher change "
        "faster?).",
        ("{y} ~ 1 + {x} + (1 + {x} | {g})",)),
    "uncorrelated": Structure(
        "single", "{y} ~ {x} + ({x} || {g})",
        "{G_many} differ in their starting {y_word} and in the effect of {x_word}, but the "
        "model treats the two as unrelated: no correlation between them is estimated.",
        ("{y} ~ {x} + (1 | {g}) + (0 + {x} | {g})",)),
    "no_fixed_slope": Structure(
        "single", "{y} ~ 1 + ({x} | {g})",
        "{G_many} differ in their starting {y_word} and in the effect of {x_word}, but on "
        "average {x_word} are assumed to have no effect at all."),
    "group_as_fixed": Structure(
        "single", "{y} ~ {x} + {g}",
        "Every {g_one} gets their own fixed coefficient, as in lm(): nothing is said about "
        "{g_many} in general, and there is no random effect."),
    "group_both": Structure(
        "single", "{y} ~ {x} + {g} + (1 | {g})",
        "Each {g_one}'s level is estimated twice: once as a fixed coefficient and once as a "
        "random intercept."),
    "intercept_twice": Structure(
        "single", "{y} ~ {x} + (1 | {g}) + ({x} | {g})",
        "Each {g_one} gets two separate random intercepts, one of them correlated with a "
        "random slope for {x_word}."),
    "grouped_by_predictor": Structure(
        "single", "{y} ~ {x} + (1 | {x})",
        "Each value of {x} (each {x_unit}) gets its own random level; {g_many} are not in "
        "the model at all."),
    # two grouping factors
    "nested": Structure(
        "two", "{y} ~ {x} + (1 | {a}/{b})",
        "{B_many} are nested in {a_many}: {b_one} \"{b_ex}\" of one {a_one} is a different "
        "{b_one} from {b_one} \"{b_ex}\" of another. {A_many} differ, and {b_many} within "
        "the same {a_one} differ too.",
        ("{y} ~ {x} + (1 | {a}) + (1 | {a}:{b})",)),
    "crossed": Structure(
        "two", "{y} ~ {x} + (1 | {a}) + (1 | {b})",
        "{A_many} and {b_many} are crossed: {b_one} \"{b_ex}\" is the same {b_one} wherever "
        "it occurs. {A_many} differ in their overall {y_word}, {b_many} differ in theirs, and "
        "{x_word} has the same effect for every {a_one}.",
        ("{y} ~ 1 + {x} + (1 | {b}) + (1 | {a})",)),
    "crossed_slope": Structure(
        "two", "{y} ~ {x} + ({x} | {a}) + (1 | {b})",
        "{A_many} and {b_many} are crossed. {A_many} differ in their overall {y_word} and "
        "in the effect of {x_word} (with a correlation between the two); {b_many} differ "
        "only in their overall {y_word}: the {x_word} is a property of the {b_one}, so its "
        "effect cannot differ within one {b_one}.",
        ("{y} ~ 1 + {x} + (1 + {x} | {a}) + (1 | {b})",)),
    "outer_only": Structure(
        "two", "{y} ~ {x} + (1 | {a})",
        "Only {a_many} differ: all {b_many} are alike, so {b_many} get no random effect."),
    "inner_only": Structure(
        "two", "{y} ~ {x} + (1 | {b})",
        "Only {b_many} differ, and every {b_one} label means one {b_one}, whatever the "
        "{a_one}; {a_many} get no random effect."),
    "interaction_only": Structure(
        "two", "{y} ~ {x} + (1 | {a}:{b})",
        "Every {a_one}-{b_one} combination has its own level, but {a_many} as a whole are "
        "not allowed to differ."),
    "slope_on_item": Structure(
        "two", "{y} ~ {x} + (1 | {a}) + ({x} | {b})",
        "{B_many} differ in their overall {y_word} and in the effect of {x_word}; {a_many} "
        "differ only in their overall {y_word}."),
    "both_slopes": Structure(
        "two", "{y} ~ {x} + ({x} | {a}) + ({x} | {b})",
        "{A_many} and {b_many} both differ in their overall {y_word} and in the effect of "
        "{x_word}."),
}

# The structures that can be the right answer, per setting kind and difficulty.
TARGETS = {
    "single": {"gentle": ("intercepts", "correlated"),
               "normal": ("intercepts", "slopes", "correlated", "uncorrelated"),
               "tricky": ("slopes", "correlated", "uncorrelated")},
    "nested": {"gentle": ("nested",), "normal": ("nested",), "tricky": ("nested",)},
    "crossed": {"gentle": ("crossed",), "normal": ("crossed",),
                "tricky": ("crossed", "crossed_slope")},
}

# The tempting wrong answers for each right one, most instructive first. "read" rounds use
# only those with a natural description (not the ones marked odd below).
DISTRACTORS = {
    "intercepts": ("correlated", "group_as_fixed", "slopes", "grouped_by_predictor",
                   "group_both"),
    "slopes": ("correlated", "intercepts", "uncorrelated", "no_fixed_slope"),
    "correlated": ("intercepts", "slopes", "uncorrelated", "no_fixed_slope",
                   "intercept_twice"),
    "uncorrelated": ("correlated", "intercept_twice", "intercepts", "slopes"),
    "nested": ("crossed", "inner_only", "outer_only", "interaction_only"),
    "crossed": ("nested", "inner_only", "outer_only", "interaction_only"),
    "crossed_slope": ("crossed", "slope_on_item", "both_slopes", "nested"),
}
ODD = frozenset({"intercept_twice", "grouped_by_predictor", "group_both"})


def words_of(setting: str) -> dict:
    """The setting's words, with capitalised plurals (``G_many``) for sentence starts."""
    words = dict(SETTINGS[setting])
    for key in ("g_many", "a_many", "b_many"):
        if key in words:
            words[key[0].upper() + key[1:]] = words[key].capitalize()
    return words


def formula_of(structure: str, setting: str, spelling: int = -1) -> str:
    """The formula of ``structure`` in ``setting``'s column names (``spelling`` >= 0 picks
    another way of writing the same model)."""
    spec = STRUCTURES[structure]
    template = spec.formula if spelling < 0 else spec.spellings[spelling]
    return template.format(**words_of(setting))


def describe(structure: str, setting: str) -> str:
    """What ``structure`` assumes, in plain words about ``setting``."""
    return STRUCTURES[structure].description.format(**words_of(setting))


def study_text(setting: str, n: int, n_a: int = 0) -> str:
    words = SETTINGS[setting]
    return words["study"].format(n=n, n_a=n_a, n_b=words.get("n_b", 0))


def columns_of(setting: str) -> list[dict]:
    """The data's columns and what each holds (for the "write the formula" rounds)."""
    w = SETTINGS[setting]
    rows = [{"column": w["y"], "what it holds": f"{w['y_word']} ({w['unit']}): the outcome"},
            {"column": w["x"], "what it holds": w["x_word"]}]
    if w["kind"] == "single":
        rows.append({"column": w["g"], "what it holds": f"which {w['g_one']}"})
    else:
        rows.append({"column": w["a"], "what it holds": f"which {w['a_one']}"})
        rows.append({"column": w["b"], "what it holds": f"which {w['b_one']}"})
    return rows
