"""Lineup panels (all on one shared y scale) and the real data with its problem marked."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..charts import ACCENT, INK, MUTED

__all__ = ["panel_chart", "marked_chart", "y_domain", "with_x"]

# Conditions on a numeric axis (0 = control, 1 = treatment): a discrete axis would size the
# chart by its steps instead of by the page, and shrink the panels on narrow columns.
X = alt.X("x:Q", title=None, scale=alt.Scale(domain=[-0.35, 1.35], nice=False),
          axis=alt.Axis(values=[0, 1], labelExpr="datum.value == 0 ? 'control' : 'treatment'",
                        labelAngle=0, grid=False))


def with_x(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(x=(frame["condition"] == "treatment").astype(float))


def y_domain(panels: pd.DataFrame) -> list[float]:
    """One y range for every panel, so that spreads can be compared by eye."""
    lo, hi = float(panels["value"].min()), float(panels["value"].max())
    pad = 0.05 * (hi - lo or 1.0)
    return [lo - pad, hi + pad]


def panel_chart(panel: pd.DataFrame, domain: list[float], title: str,
                highlight: bool = False) -> alt.LayerChart:
    """One panel: every value as a dot, each participant's condition means joined by a line."""
    y = alt.Y("value:Q", title="value", scale=alt.Scale(domain=domain, nice=False, zero=False))
    base = alt.Chart(with_x(panel))
    lines = base.mark_line(color=MUTED, strokeWidth=1, opacity=0.8).encode(
        x=X, y=alt.Y("mean(value):Q", scale=alt.Scale(domain=domain, nice=False, zero=False)),
        detail="participant:N")
    dots = base.mark_circle(size=30, opacity=0.75, color=ACCENT if highlight else INK).encode(
        x=X, y=y, tooltip=["participant:N", "condition:N", "value:Q"])
    return alt.layer(lines, dots).properties(title=title)


def marked_chart(real: pd.DataFrame, domain: list[float]) -> alt.LayerChart:
    """The real data with what is special about each value shown by shape, colour and legend."""
    marks = sorted(real["mark"].unique(), key=lambda m: (m != "typical", m))
    shapes = ["circle", "triangle-up", "square", "diamond"][: len(marks)]
    colours = [INK, ACCENT, "#1b9e77", "#7570b3"][: len(marks)]
    if "typical" not in marks:  # two kinds of people or sites: neither is the plain one
        shapes, colours = shapes[1:] + shapes[:1], colours[1:] + colours[:1]
    scale = alt.Scale(domain=domain, nice=False, zero=False)
    base = alt.Chart(with_x(real))
    lines = base.mark_line(color=MUTED, strokeWidth=1).encode(
        x=X, y=alt.Y("mean(value):Q", scale=scale), detail="participant:N")
    dots = base.mark_point(size=90, filled=True, opacity=0.85).encode(
        x=X,
        y=alt.Y("value:Q", title="value", scale=scale),
        shape=alt.Shape("mark:N", title="", scale=alt.Scale(domain=marks, range=shapes)),
        color=alt.Color("mark:N", title="", scale=alt.Scale(domain=marks, range=colours)),
        tooltip=["participant:N", "condition:N", "value:Q", "mark:N"],
    )
    title = "The real data, with what the model missed marked"
    return alt.layer(lines, dots).properties(title=title)
