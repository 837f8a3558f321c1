"""Pictures for the formula game: each group's fitted line, with the average line.

The group lines are thin and dark, the average line (fixed effects) thick, orange and dashed;
the legend names both, so nothing relies on colour alone. The raw measurements are faint dots.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..charts import ACCENT, INK, MUTED

__all__ = ["lines_frame", "lines_chart", "y_domain", "KINDS"]


def KINDS(g_one: str) -> dict:  # noqa: N802 - a table of line kinds, built per setting
    """Line kind -> (colour, dash, width)."""
    return {f"one fitted line per {g_one}": (INK, [1, 0], 2),
            "average line (fixed effects)": (ACCENT, [9, 5], 4.5)}


def lines_frame(lines: dict, fixef: list[float], x_max: float, g_one: str) -> pd.DataFrame:
    """Two points per line, from x = 0 to x_max: every group's line, then the average line."""
    kinds = list(KINDS(g_one))
    xs = np.array([0.0, float(x_max)])
    rows = [pd.DataFrame({"x": xs, "y": a + b * xs, "who": str(g), "line": kinds[0]})
            for g, a, b in zip(lines["group"], lines["intercept"], lines["slope"], strict=True)]
    rows.append(pd.DataFrame({"x": xs, "y": fixef[0] + fixef[1] * xs, "who": "average",
                              "line": kinds[1]}))
    return pd.concat(rows, ignore_index=True)


def y_domain(values) -> list[float]:
    values = np.asarray(list(values), dtype=float)
    values = values[np.isfinite(values)]
    pad = 0.05 * (values.max() - values.min() or 1.0)
    return [float(values.min() - pad), float(values.max() + pad)]


def lines_chart(frame: pd.DataFrame, points: pd.DataFrame | None, words: dict, title: str,
                domain: list[float] | None = None) -> alt.LayerChart:
    """The fitted lines of one study (``frame`` from lines_frame) over its measurements
    (``points`` with columns x and y, or None)."""
    kinds = KINDS(words["g_one"])
    names = list(kinds)
    scale = alt.Scale(domain=domain, zero=False, nice=False) if domain else alt.Scale(zero=False)
    x = alt.X("x:Q", title=words["x_word"] + f" ({words['x']})",
              axis=alt.Axis(tickMinStep=1), scale=alt.Scale(nice=False))
    y = alt.Y("y:Q", title=f"{words['y_word']} ({words['unit']})", scale=scale)
    layers = []
    if points is not None:
        layers.append(alt.Chart(points).mark_circle(size=18, color=MUTED, opacity=0.45)
                      .encode(x=x, y=y))
    layers.append(alt.Chart(frame).mark_line().encode(
        x=x, y=y, detail="who:N",
        color=alt.Color("line:N", title=None,
                        scale=alt.Scale(domain=names, range=[kinds[k][0] for k in names])),
        strokeDash=alt.StrokeDash("line:N", title=None, scale=alt.Scale(
            domain=names, range=[kinds[k][1] for k in names])),
        strokeWidth=alt.StrokeWidth("line:N", title=None, scale=alt.Scale(
            domain=names, range=[kinds[k][2] for k in names])),
        opacity=alt.condition(alt.datum.who == "average", alt.value(1.0), alt.value(0.75)),
        tooltip=[alt.Tooltip("who:N", title=words["g"])],
    ))
    return alt.layer(*layers).properties(title=title)
