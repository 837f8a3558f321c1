"""What every game hands to pages, class mode and homework: Round, Score, Reveal and Game.

A game is a pair of pure functions: ``make_round(seed, difficulty) -> Round`` and
``score(round, answer) -> Score``. A Round is a pure function of (game, seed, difficulty), so it
can be replayed from a URL, shown to a whole class or handed out as homework, and it survives a
trip through JSON (``Round.from_dict(json.loads(json.dumps(r.to_dict())))``).

An answer is a plain dict ``{question id: value}``; each :class:`Question` says what kind of value
it takes ("choice" from its options, "number" within ``low``..``high``, or "text": free text such
as a typed formula, which the game itself checks), so that a generic form (a phone in class
mode) can ask it without knowing the game.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DIFFICULTIES",
    "Option",
    "Question",
    "Reveal",
    "Round",
    "Score",
    "check_seed",
    "check_difficulty",
    "band_points",
    "jsonable",
    "frame_to_dict",
    "frame_from_dict",
    "sub_seed",
]

DIFFICULTIES = ("gentle", "normal", "tricky")


# ----- JSON helpers ------------------------------------------------------------------------
def jsonable(value: Any) -> Any:
    """``value`` as plain JSON types: numpy scalars to Python, NaN/inf to None, tuples to lists."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [jsonable(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{type(value).__name__} is not JSON-friendly: {value!r}")


def frame_to_dict(frame: pd.DataFrame) -> dict:
    """A DataFrame as JSON: columns, dtypes, index and column-wise values (NaN as None)."""
    return {
        "columns": [str(c) for c in frame.columns],
        "dtypes": [str(t) for t in frame.dtypes],
        "index": jsonable(list(frame.index)),
        "index_name": frame.index.name,
        "data": {str(c): jsonable(frame[c].tolist()) for c in frame.columns},
    }


def frame_from_dict(payload: Mapping) -> pd.DataFrame:
    """The inverse of :func:`frame_to_dict` (same values, dtypes and index)."""
    frame = pd.DataFrame(
        {
            c: pd.Series(payload["data"][c], dtype=object).astype(t)
            for c, t in zip(payload["columns"], payload["dtypes"], strict=True)
        },
        columns=payload["columns"],
    )
    frame.index = pd.Index(payload["index"], name=payload.get("index_name"))
    return frame


# ----- the round -------------------------------------------------------------------------
@dataclass(frozen=True)
class Option:
    """One answer a learner can pick: the stored ``value`` and the words shown."""

    value: str
    label: str


@dataclass(frozen=True)
class Question:
    """One thing the learner answers. ``kind`` is "choice" (one of ``options``), "number" or
    "text" (a line of free text; ``help`` says what to type)."""

    id: str
    text: str
    kind: str = "choice"
    options: tuple[Option, ...] = ()
    low: float | None = None
    high: float | None = None
    step: float | None = None
    unit: str = ""
    help: str = ""

    def to_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["options"] = [{"value": o.value, "label": o.label} for o in self.options]
        return jsonable(out)

    @classmethod
    def from_dict(cls, payload: Mapping) -> Question:
        args = dict(payload)
        args["options"] = tuple(Option(**o) for o in payload.get("options", ()))
        return cls(**args)

    def label_of(self, value) -> str:
        """The words for an option value (the value itself for numbers or unknown values)."""
        return next((o.label for o in self.options if o.value == value), str(value))


@dataclass(frozen=True, eq=False)
class Reveal:
    """What the page shows after the answer: plain-words text, named numbers and tables.

    ``details`` holds JSON-friendly data for the game's own pictures (curves, panels, arrows).
    """

    explanation: str
    numbers: Mapping[str, float] = field(default_factory=dict)
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "explanation": self.explanation,
            "numbers": jsonable(self.numbers),
            "tables": {k: frame_to_dict(v) for k, v in self.tables.items()},
            "details": jsonable(self.details),
        }

    @classmethod
    def from_dict(cls, payload: Mapping) -> Reveal:
        return cls(
            explanation=payload["explanation"],
            numbers=dict(payload["numbers"]),
            tables={k: frame_from_dict(v) for k, v in payload["tables"].items()},
            details=dict(payload["details"]),
        )


@dataclass(frozen=True, eq=False)
class Round:
    """One playable round: what is asked, on which data, the solution and the reveal.

    ``context`` holds what the page needs to draw the question (JSON-friendly); ``solution``
    maps question ids to the correct value (numbers for "number" questions).
    """

    game: str
    seed: int
    difficulty: str
    prompt: str
    questions: tuple[Question, ...]
    solution: Mapping[str, Any]
    reveal: Reveal
    data: pd.DataFrame | None = None
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int, str]:
        """(game, seed, difficulty): all a round is a function of (what caches key it by)."""
        return (self.game, int(self.seed), self.difficulty)

    @property
    def answer_kinds(self) -> dict[str, str]:
        return {q.id: q.kind for q in self.questions}

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    def to_dict(self) -> dict:
        return {
            "game": self.game,
            "seed": int(self.seed),
            "difficulty": self.difficulty,
            "prompt": self.prompt,
            "questions": [q.to_dict() for q in self.questions],
            "solution": jsonable(self.solution),
            "reveal": self.reveal.to_dict(),
            "data": None if self.data is None else frame_to_dict(self.data),
            "context": jsonable(self.context),
        }

    @classmethod
    def from_dict(cls, payload: Mapping) -> Round:
        return cls(
            game=payload["game"],
            seed=int(payload["seed"]),
            difficulty=payload["difficulty"],
            prompt=payload["prompt"],
            questions=tuple(Question.from_dict(q) for q in payload["questions"]),
            solution=dict(payload["solution"]),
            reveal=Reveal.from_dict(payload["reveal"]),
            data=None if payload["data"] is None else frame_from_dict(payload["data"]),
            context=dict(payload["context"]),
        )


@dataclass(frozen=True)
class Score:
    """The verdict on one answer: 0-100 points, plain-words feedback and a misconception code."""

    points: int
    correct: bool
    feedback: str
    misconception: str | None = None

    def __post_init__(self):
        if not 0 <= self.points <= 100:
            raise ValueError(f"points must be from 0 to 100, got {self.points}")

    def to_dict(self) -> dict:
        return {"points": self.points, "correct": self.correct, "feedback": self.feedback,
                "misconception": self.misconception}


# ----- shared checks and scoring ---------------------------------------------------------
def check_seed(seed) -> int:
    """``seed`` as an int >= 0, or a ValueError saying what a seed must be."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"A round's seed must be a whole number from 0 up, got {seed!r}.")
    return int(seed)


def check_difficulty(difficulty) -> str:
    if difficulty not in DIFFICULTIES:
        raise ValueError(
            f"Unknown difficulty {difficulty!r}: choose one of " + ", ".join(DIFFICULTIES) + "."
        )
    return difficulty


def band_points(error: float, tight: float, wide: float, partial: int = 50) -> int:
    """100 within the tight band, ``partial`` within the wide band, else 0 (like Guess the
    Correlation: closeness in bands, never speed)."""
    if not math.isfinite(error):
        return 0
    if error <= tight:
        return 100
    if error <= wide:
        return partial
    return 0


def sub_seed(seed: int, *path: int) -> np.random.Generator:
    """An independent generator for one part of a round, fixed by the round's seed."""
    return np.random.default_rng(np.random.SeedSequence([seed, *path]))
