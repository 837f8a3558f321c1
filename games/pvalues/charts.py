"""Pictures for the p-values game: where the cut-offs of z and t lie, and the likelihood
ratio's simulated null distribution against the χ² curve.

Curves differ in colour *and* dash pattern and are named in the legend; lines that mark a
value carry their number in text.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from ..charts import ACCENT, GOOD, INK, MUTED

__all__ = ["cutoff_chart", "null_chart"]


def _marker(x: float, text: str, y: float, colour: str, dash=(1, 0), side: str = "right"
            ) -> list:
    """A vertical line from 0 up to height y at x, its text beside its top (on ``side``)."""
    frame = pd.DataFrame({"x": [x], "y": [y], "zero": [0.0], "text": [text]})
    rule = alt.Chart(frame).mark_rule(color=colour, strokeWidth=2.5,
                                      strokeDash=list(dash)).encode(
        x="x:Q", y="zero:Q", y2="y:Q")
    label = alt.Chart(frame).mark_text(
        align="left" if side == "right" else "right", dx=5 if side == "right" else -5,
        baseline="middle", fontSize=13, fontWeight="bold", color=colour).encode(
        x="x:Q", y="y:Q", text="text:N")
    return [rule, label]


def cutoff_chart(t_obs: float, df: float, title: str) -> alt.LayerChart:
    """The standard normal (z test) and the t distribution on df (lmerTest), each with its
    two-sided 5% cut-off, and the observed t."""
    limit = max(4.5, abs(t_obs) + 1.0)
    x = np.linspace(-limit, limit, 301)
    names = ["z test: normal", f"lmerTest: t on {df:.1f} df"]
    curves = pd.concat([
        pd.DataFrame({"t": x, "density": stats.norm.pdf(x), "curve": names[0]}),
        pd.DataFrame({"t": x, "density": stats.t.pdf(x, df), "curve": names[1]}),
    ])
    lines = alt.Chart(curves).mark_line(strokeWidth=3).encode(
        x=alt.X("t:Q", title="t value (estimate / standard error)",
                scale=alt.Scale(domain=[-limit, limit], nice=False)),
        y=alt.Y("density:Q", title="how likely with no effect",
                scale=alt.Scale(domain=[0, 0.48]), axis=alt.Axis(labels=False, ticks=False)),
        color=alt.Color("curve:N", title=None, scale=alt.Scale(domain=names,
                                                               range=[MUTED, GOOD])),
        strokeDash=alt.StrokeDash("curve:N", title=None, scale=alt.Scale(
            domain=names, range=[[6, 4], [1, 0]])))
    crit = float(stats.t.ppf(0.975, df))
    sign = 1.0 if t_obs >= 0 else -1.0
    inner, outer = ("left", "right") if sign > 0 else ("right", "left")
    layers = [lines]
    layers += _marker(sign * 1.96, f"z: {sign * 1.96:.2f}", 0.36, MUTED, (6, 4), side=inner)
    layers += _marker(sign * crit, f"t: {sign * crit:.2f}", 0.21, GOOD, side=outer)
    toward_centre = "left" if t_obs > 0 else "right"
    layers += _marker(t_obs, f"your data: t = {t_obs:.2f}", 0.44, ACCENT, (2, 2),
                      side=toward_centre if abs(t_obs) > 1.6 else outer)
    return alt.layer(*layers).properties(title=title)


def null_chart(values: list[float], observed: float, title: str) -> alt.LayerChart:
    """The simulated likelihood ratios (histogram, as a density), the χ² curve with 1 df that
    the likelihood-ratio test assumes, and the observed ratio."""
    values = np.asarray(values, dtype=float)
    top = float(max(np.quantile(values, 0.99) if values.size else 4.0, observed, 4.0)) * 1.1
    heights, edges = np.histogram(values, bins=30, range=(0.0, top), density=True)
    bars = pd.DataFrame({"lo": edges[:-1], "hi": edges[1:], "density": heights, "zero": 0.0})
    ceiling = float(max(heights.max() if heights.size else 1.0, 0.5)) * 1.15
    grid = np.linspace(top / 300, top, 300)
    curve = pd.DataFrame({"x": grid, "density": np.minimum(stats.chi2.pdf(grid, 1), ceiling),
                          "what": "χ² with 1 df (what the test assumes)"})
    x = alt.X("lo:Q", title="likelihood ratio χ² (bigger: the effect helps more)",
              scale=alt.Scale(domain=[0, top], nice=False))
    y = alt.Y("density:Q", title="share of simulations", scale=alt.Scale(domain=[0, ceiling]),
              axis=alt.Axis(labels=False, ticks=False))
    hist = alt.Chart(bars).mark_rect(color=GOOD, opacity=0.55, stroke="white").encode(
        x=x, x2="hi:Q", y=y, y2="zero:Q")
    line = alt.Chart(curve).mark_line(color=INK, strokeWidth=2.5, strokeDash=[6, 3]).encode(
        x="x:Q", y="density:Q",
        strokeDash=alt.StrokeDash("what:N", title=None, scale=alt.Scale(range=[[6, 3]])))
    layers = [hist, line]
    layers += _marker(observed, f"your data: χ² = {observed:.2f}", 0.8 * ceiling, ACCENT,
                      (2, 2))
    crit = float(stats.chi2.ppf(0.95, 1))
    layers += _marker(crit, f"χ² cut-off {crit:.2f}", 0.6 * ceiling, MUTED, (6, 4))
    return alt.layer(*layers).properties(title=title)
