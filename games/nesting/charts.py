"""Pictures for the nesting game: the design as a diagram (two columns of boxes joined by lines),
class averages by school, and word and participant averages.

The diagram tells nested from crossed by shape: a tree (each class joined to one school) or a
web (each programme or word joined to every school or participant).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..charts import ACCENT, GOOD, INK, MUTED, dot_rows

__all__ = ["diagram_chart", "class_means_chart", "reading_chart", "diagram_height",
           "spread_chart", "spread_rows", "SOURCES"]

SOURCES = {"schools": {"school": "schools", "class": "classes", "residual": "residual"},
           "items": {"participant": "participants", "item": "words", "residual": "residual"}}
LETTER_STYLE = {"a": (GOOD, [1, 0]), "b": (ACCENT, [8, 4]), "c": ("#7570b3", [2, 3]),
                "d": (INK, [12, 3, 2, 3])}


def _nodes(diagram: dict) -> int:
    return max(len(diagram["left"]), len(diagram["right"]))


def diagram_height(diagram: dict) -> int:
    """Enough height for the longer column of boxes: 36 px per box when there are few (room
    for labels like "P01"), 24 px when there are many."""
    n = _nodes(diagram)
    return int(max(300, 130 + (36 if n <= 10 else 24) * n))


def diagram_chart(diagram: dict) -> alt.LayerChart:
    """Left boxes (schools or participants) joined by lines to right boxes (classes,
    programmes or words)."""
    left = pd.DataFrame(diagram["left"]).assign(x=0.0)
    right = pd.DataFrame(diagram["right"]).assign(x=1.0)
    edges = pd.DataFrame(diagram["edges"], columns=["y", "y2"]).assign(x=0.0, x2=1.0)
    heads = pd.DataFrame({"x": [0.0, 1.0], "y": [-0.15, -0.15], "text": diagram["titles"]})
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.3, 1.3], nice=False))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[1.06, -0.22], nice=False))
    square, circle = (900, 800) if _nodes(diagram) <= 10 else (620, 400)
    lines = alt.Chart(edges).mark_rule(color=MUTED, strokeWidth=1.5, opacity=0.8).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q")
    boxes = [
        alt.Chart(left).mark_square(size=square, color="white", stroke=INK, strokeWidth=2,
                                    opacity=1).encode(x=x, y=y, tooltip=["who:N"]),
        alt.Chart(right).mark_circle(size=circle, color="white", stroke=INK, strokeWidth=2,
                                     opacity=1).encode(x=x, y=y, tooltip=["who:N"]),
    ]
    labels = [alt.Chart(frame).mark_text(fontSize=12, fontWeight="bold", color=INK).encode(
        x=x, y=y, text="label:N") for frame in (left, right)]
    header = alt.Chart(heads).mark_text(fontSize=15, fontWeight="bold", color=INK).encode(
        x=x, y=y, text="text:N")
    return alt.layer(lines, *boxes, *labels, header).properties(title="The design")


def class_means_chart(data: pd.DataFrame, schools: list[str]) -> alt.LayerChart:
    """Each class's average extraversion minus its school's average, by school, written as its
    letter; lines join the classes that share a letter. Taking off the school's average leaves
    what is special about the class: shared programmes show as letters that stay high (or
    low) in every school, separate classes as letters that jump about."""
    means = data.groupby(["school", "class"], as_index=False)["extraversion"].mean()
    means["extraversion"] -= means.groupby("school")["extraversion"].transform("mean")
    letters = sorted(means["class"].unique())
    x = alt.X("school:O", title="school", sort=schools, axis=alt.Axis(labelAngle=0))
    y = alt.Y("extraversion:Q", title="class average − school average",
              scale=alt.Scale(zero=False, padding=12))
    lines = alt.Chart(means).mark_line(strokeWidth=1.5, opacity=0.55).encode(
        x=x, y=y, detail="class:N",
        color=alt.Color("class:N", legend=None,
                        scale=alt.Scale(domain=letters,
                                        range=[LETTER_STYLE.get(c, (INK,))[0] for c in letters])),
        strokeDash=alt.StrokeDash("class:N", legend=None, scale=alt.Scale(
            domain=letters, range=[LETTER_STYLE.get(c, (INK, [1, 0]))[1] for c in letters])))
    text = alt.Chart(means).mark_text(fontSize=16, fontWeight="bold").encode(
        x=x, y=y, text="class:N",
        color=alt.Color("class:N", legend=None, scale=alt.Scale(
            domain=letters, range=[LETTER_STYLE.get(c, (INK,))[0] for c in letters])),
        tooltip=["school:N", "class:N", alt.Tooltip("extraversion:Q", format=".1f")])
    zero = alt.Chart(pd.DataFrame({"extraversion": [0.0]})).mark_rule(
        color=MUTED, strokeDash=[2, 2]).encode(y="extraversion:Q")
    return alt.layer(zero, lines, text).properties(
        title="Classes against their school's average")


def reading_chart(data: pd.DataFrame) -> alt.LayerChart:
    """Every word's average reading time (frequent and rare) and every participant's."""
    words = data.groupby(["item", "frequency"], as_index=False)["rt"].mean()
    people = data.groupby("participant", as_index=False)["rt"].mean()
    frame = pd.concat([
        pd.DataFrame({"value": words["rt"], "row": words["frequency"] + " words",
                      "kind": words["frequency"] + " word", "label": words["item"]}),
        pd.DataFrame({"value": people["rt"], "row": "participants", "kind": "participant",
                      "label": people["participant"]}),
    ], ignore_index=True)
    styles = {"frequent word": (GOOD, "circle", [1, 0]),
              "rare word": (ACCENT, "triangle-up", [1, 0]),
              "participant": (INK, "square", [1, 0])}
    return dot_rows(frame, ["frequent words", "rare words", "participants"],
                    "average reading time (ms)", "", styles,
                    title="Word and participant averages")


def spread_rows(fits: pd.DataFrame, names: dict, family: str) -> pd.DataFrame:
    """Long table of (model, source of variation, SD) from the fits table's "SD ..." rows.

    ``names`` maps the fits table's columns to the model names shown. Rows for slopes and
    correlations are left out; classes by any name (class:school, class, class_id) are one
    source, "classes (or programmes)".
    """
    sources = SOURCES[family]
    rows = []
    for quantity, values in fits.iterrows():
        group = quantity[3:].split(" (")[0]
        if not quantity.startswith("SD ") or group.endswith("slope"):
            continue
        key = "class" if "class" in group else group
        for column, name in names.items():
            value = values.get(column)
            if key in sources and pd.notna(value):
                rows.append({"model": name, "source": sources[key], "sd": float(value)})
    return pd.DataFrame(rows)


def spread_chart(rows: pd.DataFrame, models: list[str], sources: list[str]) -> alt.LayerChart:
    """One bar per model and source of variation, each labelled with its model's letter (the
    text before ":" in its name) and its SD."""
    colours = [GOOD, ACCENT, "#7570b3", INK][: len(models)]
    rows = rows.assign(text=[f"{m.split(':')[0]}: {v:.2f}"
                             for m, v in zip(rows["model"], rows["sd"], strict=True)])
    y = alt.Y("source:N", title=None, sort=sources,
              axis=alt.Axis(labelFontWeight="bold", labelLimit=200))
    offset = alt.YOffset("model:N", sort=models)
    colour = alt.Color("model:N", title="model", sort=models,
                       scale=alt.Scale(domain=models, range=colours))
    bars = alt.Chart(rows).mark_bar(height={"band": 0.85}).encode(
        x=alt.X("sd:Q", title="SD (how much they differ)",
                scale=alt.Scale(domain=[0, 1.3 * float(rows["sd"].max())], nice=False)),
        y=y, yOffset=offset, color=colour,
        tooltip=["model:N", "source:N", alt.Tooltip("sd:Q", format=".2f")])
    text = alt.Chart(rows).mark_text(align="left", dx=4, fontSize=13, color=INK).encode(
        x="sd:Q", y=y, yOffset=offset, text="text:N")
    return alt.layer(bars, text).properties(title="Where each model puts the variation")
