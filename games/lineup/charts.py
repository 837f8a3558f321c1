"""The lineup as one faceted chart (numbered panels, one shared y scale, a fixed grid that fits
a 390 px phone) and the real data with its problem marked."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..charts import ACCENT, INK, MUTED

__all__ = ["lineup_chart", "grid_rows", "marked_chart", "y_domain", "with_x", "COLUMNS",
           "PANEL_WIDTH"]

COLUMNS = 3  # panels per row, on every screen: three fit a 390 px phone
PANEL_WIDTH, PANEL_HEIGHT, SPACING = 92, 150, 10

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


def grid_rows(panels: pd.DataFrame, real: int | None = None) -> pd.DataFrame:
    """The rows :func:`lineup_chart` draws: ``x`` and each panel's title (``label``)."""
    return with_x(panels).assign(
        label=lambda d: "Panel " + d["panel"].astype(str)
        + np.where(d["panel"] == real, " (real)", ""))


def lineup_chart(panels: pd.DataFrame, real: int | None = None) -> alt.FacetChart:
    """Every panel in one grid of COLUMNS columns, numbered; ``real`` (after the answer) is
    drawn in orange and titled "(real)". The y scale is shared, so spreads compare by eye;
    the x axis says C (control) and T (treatment) to fit narrow panels."""
    frame = grid_rows(panels, real)
    order = list(dict.fromkeys(frame.sort_values("panel")["label"]))
    domain = y_domain(panels)
    y_scale = alt.Scale(domain=domain, nice=False, zero=False)
    x_scale = alt.Scale(domain=[-0.4, 1.4], nice=False)
    x = alt.X("x:Q", title=None, scale=x_scale,
              axis=alt.Axis(values=[0, 1], labelExpr="datum.value == 0 ? 'C' : 'T'",
                            labelAngle=0, grid=False))
    colour = alt.condition(alt.datum.panel == (real or -1), alt.value(ACCENT), alt.value(INK))
    # Each participant's line is one rule from their control to their treatment mean: a line
    # mark per participant would be a group of its own, and cost a fifth more to draw.
    lines = alt.Chart().transform_aggregate(
        mean="mean(value)", groupby=["participant", "condition"]).transform_pivot(
        "condition", value="mean", groupby=["participant"]).mark_rule(
        color=MUTED, strokeWidth=1, opacity=0.8).encode(
        x=alt.XDatum(0, type="quantitative", scale=x_scale), x2=alt.X2Datum(1),
        y=alt.Y("control:Q", scale=y_scale, title=None), y2="treatment:Q")
    dots = alt.Chart().mark_circle(size=22, opacity=0.75).encode(
        x=x, y=alt.Y("value:Q", scale=y_scale, title=None), color=colour,
        tooltip=["participant:N", "condition:N", "value:Q"])
    return alt.layer(lines, dots, data=frame).properties(
        width=PANEL_WIDTH, height=PANEL_HEIGHT).facet(
        facet=alt.Facet("label:N", sort=order, title=None,
                        header=alt.Header(labelFontSize=15, labelFontWeight="bold",
                                          labelPadding=4)),
        columns=COLUMNS, spacing=SPACING)


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
