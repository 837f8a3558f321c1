"""The projector's pictures of the class's answers (pure Altair specs; pages draw them).

Built on games.charts' style (large fonts; colour always doubled by a label or a mark). The
right answer is marked only when ``reveal`` is true, so a chart drawn during the question
gives nothing away.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from games.charts import ACCENT, GOOD, INK, MUTED, style, to_spec

from .aggregates import PollResult, Spread
from .scoring import Standing

__all__ = ["choice_bars", "number_dots", "leaderboard_bars", "poll_bars"]


def choice_bars(spread: Spread, reveal: bool) -> dict:
    rows = pd.DataFrame({
        "option": [c.label.replace("`", "") for c in spread.choices],
        "count": [c.count for c in spread.choices],
        "mark": [("right answer" if c.right else "other") if reveal else "answers"
                 for c in spread.choices],
    })
    rows["label"] = [f"{n}  ✓ right" if reveal and m == "right answer" else str(n)
                     for n, m in zip(rows["count"], rows["mark"], strict=True)]
    order = list(rows["option"])
    y = alt.Y("option:N", sort=order, title=None, axis=alt.Axis(labelLimit=420))
    colour = alt.Color("mark:N", scale=alt.Scale(domain=["right answer", "other", "answers"],
                                                 range=[GOOD, MUTED, INK]), legend=None)
    bars = alt.Chart(rows).mark_bar().encode(
        y=y, x=alt.X("count:Q", title="students", axis=alt.Axis(tickMinStep=1)), color=colour)
    text = alt.Chart(rows).mark_text(align="left", dx=6, fontSize=18, fontWeight="bold"
                                     ).encode(y=y, x="count:Q", text="label:N")
    height = max(120, 48 * len(rows) + 40)
    return to_spec(style((bars + text).properties(title=_title(spread)), height=height))


def number_dots(spread: Spread, reveal: bool, truth: float | None = None) -> dict:
    """Each guess a dot (stacked where they pile up); after the reveal the model's value and
    the class average as labelled rules."""
    values = pd.Series(spread.numbers, dtype=float)
    step = _bin(values, spread.solution if reveal else None)
    binned = (values / step).round() * step
    rows = pd.DataFrame({"guess": binned, "stack": binned.groupby(binned).cumcount() + 1})
    x = alt.X("guess:Q", title=f"guess ({spread.question.unit})" if spread.question.unit
              else "guess", scale=alt.Scale(zero=False))
    dots = alt.Chart(rows).mark_circle(size=140, color=INK, opacity=0.8).encode(
        x=x, y=alt.Y("stack:Q", title="students", axis=alt.Axis(tickMinStep=1)))
    layers = [dots]
    if reveal:
        marks = [("model", spread.solution, GOOD), ("class average", values.mean(), ACCENT)]
        if truth is not None:
            marks.append(("truth", truth, INK))
        ref = pd.DataFrame([{"what": f"{w}: {v:.3g}", "value": float(v), "colour": c}
                            for w, v, c in marks if v is not None])
        layers += [
            alt.Chart(ref).mark_rule(strokeWidth=3, strokeDash=[6, 3]).encode(
                x="value:Q", color=alt.Color("colour:N", scale=None)),
            alt.Chart(ref).mark_text(angle=0, dy=-8, dx=4, align="left", fontSize=15,
                                     fontWeight="bold").encode(
                x="value:Q", y=alt.value(10), text="what:N",
                color=alt.Color("colour:N", scale=None)),
        ]
    return to_spec(style(alt.layer(*layers).properties(title=_title(spread)), height=260))


def leaderboard_bars(standings: tuple[Standing, ...]) -> dict:
    rows = pd.DataFrame({"player": [f"{s.rank}. {s.nickname}" for s in standings],
                         "points": [s.points for s in standings]})
    y = alt.Y("player:N", sort=list(rows["player"]), title=None, axis=alt.Axis(labelLimit=360))
    bars = alt.Chart(rows).mark_bar(color=GOOD).encode(y=y, x=alt.X("points:Q", title="points"))
    text = alt.Chart(rows).mark_text(align="left", dx=6, fontSize=18, fontWeight="bold"
                                     ).encode(y=y, x="points:Q", text="points:Q")
    return to_spec(style(bars + text, height=max(120, 44 * len(rows) + 40)))


def poll_bars(result: PollResult) -> tuple[dict, dict]:
    pace = pd.DataFrame(result.pace, columns=["pace", "students"])
    happy = pd.DataFrame([(f"{h} of 5", n) for h, n in result.happiness],
                         columns=["happiness", "students"])
    return (_bars(pace, "pace", "The pace was"), _bars(happy, "happiness", "How happy"))


def _bars(rows: pd.DataFrame, column: str, title: str) -> dict:
    y = alt.Y(f"{column}:N", sort=list(rows[column]), title=None)
    bars = alt.Chart(rows).mark_bar(color=INK).encode(y=y, x=alt.X("students:Q",
                                                                    axis=alt.Axis(tickMinStep=1)))
    text = alt.Chart(rows).mark_text(align="left", dx=6, fontSize=16).encode(
        y=y, x="students:Q", text="students:Q")
    return to_spec(style((bars + text).properties(title=title), height=220))


def _title(spread: Spread) -> str:
    text = spread.question.text.replace("`", "").replace("*", "")
    return text if len(text) <= 90 else text[:89] + "…"


def _bin(values: pd.Series, solution) -> float:
    """A bin width that stacks close guesses: about 40 bins over the guesses' range."""
    lo, hi = float(values.min()), float(values.max())
    if solution is not None:
        lo, hi = min(lo, float(solution)), max(hi, float(solution))
    span = hi - lo
    return span / 40 if span > 0 else 1.0
