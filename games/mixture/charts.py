"""Pictures for the mixture game: participants' averages as stacked dots (everybody, then per
group), and what a fitted model believes about participants: their estimated baselines with the
normal curve(s) the model assumes drawn over them.

Groups are told apart by shape *and* colour, and every curve carries a label with its SD.
The stacked dots themselves are games.charts.dot_rows, shared with the nesting game.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from ..charts import ACCENT, GOOD, INK, dot_levels, dot_rows, nice_width

__all__ = ["averages_chart", "baselines_chart", "GROUP_STYLE"]

# group -> (colour, shape, curve dash)
GROUP_STYLE = {
    "A": (GOOD, "circle", [1, 0]),
    "B": (ACCENT, "triangle-up", [8, 4]),
    "everybody": (INK, "circle", [1, 0]),
}


def averages_chart(data: pd.DataFrame) -> alt.LayerChart:
    """Every participant's average: all participants in one strip, then one strip per group."""
    means = data.groupby(["participant", "group"], as_index=False)["value"].mean()
    frame = pd.concat([
        means.assign(row="everybody"),
        means.assign(row="group " + means["group"]),
    ], ignore_index=True).rename(columns={"group": "kind"})
    frame["kind"] = "group " + frame["kind"]
    frame["label"] = frame["participant"]
    styles = {f"group {g}": GROUP_STYLE[g] for g in ("A", "B")}
    return dot_rows(frame, ["everybody", "group A", "group B"], "participant's average value",
                    "", styles, title="Each dot is one participant's average")


def baselines_chart(baselines: list[float], groups: list[str], curves: list[dict],
                    title: str, domain: list[float]) -> alt.LayerChart:
    """The model's estimate of each participant's control level (stacked dots per bin) and the
    normal curve(s) it assumes for them, scaled to participants per bin."""
    frame = pd.DataFrame({"value": baselines, "group": groups}).sort_values(["group", "value"])
    width = nice_width(domain[0], domain[1], 22)
    origin = np.floor(domain[0] / width) * width
    x, level = dot_levels(frame["value"], width, origin)
    frame = frame.assign(x=x, level=level - 0.5, kind="group " + frame["group"])
    grid = np.linspace(domain[0], domain[1], 200)
    lines, style_of = [], {}
    for c in curves:
        sd = max(float(c["sd"]), 1e-6)
        who = "everybody" if c["group"] == "everybody" else f"group {c['group']}"
        name = f"curve for {who}: SD {c['sd']:.1f}"
        style_of[name] = GROUP_STYLE[c["group"]]
        height = c["n"] * width * stats.norm.pdf(grid, c["mean"], sd)
        lines.append(pd.DataFrame({"x": grid, "height": height, "curve": name}))
    curve_frame = pd.concat(lines, ignore_index=True)
    names = list(style_of)
    x_enc = alt.X("x:Q", title="participant's estimated control level",
                  scale=alt.Scale(domain=domain, nice=False))
    top = max(float(curve_frame["height"].max()), float(frame["level"].max()) + 0.5) * 1.15
    y_scale = alt.Scale(domain=[0, top], nice=False)
    kinds = [f"group {g}" for g in ("A", "B")]
    dots = alt.Chart(frame).mark_point(filled=True, size=110, opacity=0.85).encode(
        x=x_enc, y=alt.Y("level:Q", title="participants", scale=y_scale),
        color=alt.Color("kind:N", title="participants",
                        scale=alt.Scale(domain=kinds, range=[GROUP_STYLE[g][0] for g in "AB"])),
        shape=alt.Shape("kind:N", title="participants",
                        scale=alt.Scale(domain=kinds, range=[GROUP_STYLE[g][1] for g in "AB"])),
        tooltip=[alt.Tooltip("kind:N", title="who"),
                 alt.Tooltip("value:Q", title="estimate", format=".1f")])
    curve_marks = alt.Chart(curve_frame).mark_line(strokeWidth=3).encode(
        x=x_enc, y=alt.Y("height:Q", scale=y_scale),
        color=alt.Color("curve:N", title="the model's normal curves",
                        scale=alt.Scale(domain=names, range=[style_of[n][0] for n in names])),
        strokeDash=alt.StrokeDash("curve:N", title="the model's normal curves",
                                  scale=alt.Scale(domain=names,
                                                  range=[style_of[n][2] for n in names])))
    return alt.layer(curve_marks, dots).resolve_scale(
        color="independent", shape="independent", strokeDash="independent").properties(
        title=title)
