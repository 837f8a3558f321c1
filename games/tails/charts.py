"""The t and F distributions with rejection regions shaded and labelled, and the observed value."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from ..charts import ACCENT, GOOD, INK

__all__ = ["t_chart", "f_chart", "f_points", "REGION_WORDS", "F_TOP"]

REGION_WORDS = {
    "two-sided": "two-tailed: 2.5% in each tail",
    "greater": "one-tailed, upper: 5% in the upper tail",
    "less": "one-tailed, lower: 5% in the lower tail",
}


def _regions(alternative: str, crit_two: float, crit_one: float, lo: float, hi: float):
    if alternative == "two-sided":
        return [(lo, -crit_two, "2.5%"), (crit_two, hi, "2.5%")]
    if alternative == "greater":
        return [(crit_one, hi, "5%")]
    return [(lo, -crit_one, "5%")]


def t_chart(df: float, t_obs: float, alternative: str, title: str, fill: str = GOOD,
            alpha: float = 0.05) -> alt.LayerChart:
    """The t distribution on ``df`` degrees of freedom with the test's rejection region(s)."""
    limit = max(4.5, abs(t_obs) + 0.8)
    x = np.linspace(-limit, limit, 401)
    curve = pd.DataFrame({"t": x, "density": stats.t.pdf(x, df)})
    crit_two = stats.t.ppf(1 - alpha / 2, df)
    crit_one = stats.t.ppf(1 - alpha, df)
    layers = [
        alt.Chart(curve).mark_line(color=INK, strokeWidth=2).encode(
            x=alt.X("t:Q", title="t value (treatment − control, in standard errors)",
                    scale=alt.Scale(domain=[-limit, limit], nice=False)),
            y=alt.Y("density:Q", title="how likely if there is no effect",
                    axis=alt.Axis(labels=False, ticks=False)),
        )
    ]
    for lo, hi, share in _regions(alternative, crit_two, crit_one, -limit, limit):
        part = curve[(curve["t"] >= lo) & (curve["t"] <= hi)]
        layers.insert(0, _band(lo, hi, "t", fill))
        layers.append(alt.Chart(part).mark_area(color=fill, opacity=0.55).encode(
            x="t:Q", y="density:Q"))
        mid = hi - 0.6 if lo == -limit else lo + 0.6
        label = pd.DataFrame({"t": [mid], "density": [0.07], "text": [f"reject: {share}"]})
        layers.append(alt.Chart(label).mark_text(fontSize=13, fontWeight="bold",
                                                 color=INK).encode(
            x="t:Q", y="density:Q", text="text:N"))
    layers += _observed(t_obs, f"your data: t = {t_obs:.2f}", "t", 0.42)
    return alt.layer(*layers).properties(title=title)


F_TOP = 1.0  # the y axis stops here; F(1, df)'s density rises without limit toward F = 0


def f_points(df: float, limit: float) -> np.ndarray:
    """Where to draw F(1, df)'s density: densely near 0, where it climbs steeply (spaced
    geometrically from where it passes F_TOP), evenly beyond."""
    near = np.geomspace(1e-4, 1.0, 160)
    return np.unique(np.concatenate([near, np.linspace(1.0, limit, 300)]))


def f_chart(df: float, f_obs: float, title: str, alpha: float = 0.05) -> alt.LayerChart:
    """The F(1, df) distribution with its single, upper rejection region.

    With 1 numerator df the density has a pole at 0: the y axis stops at F_TOP, the curve is
    clipped there (not flattened), and a note says that it keeps rising."""
    f_crit = stats.f.ppf(1 - alpha, 1, df)
    limit = max(8.0, f_obs + 1.5)
    x = f_points(df, limit)
    curve = pd.DataFrame({"F": x, "density": stats.f.pdf(x, 1, df)})
    region = curve[curve["F"] >= f_crit]
    label = pd.DataFrame({"F": [f_crit + 0.3], "density": [0.2], "text": ["reject: 5%"]})
    pole = pd.DataFrame({"F": [0.45], "density": [0.93 * F_TOP],
                         "text": ["← keeps rising toward F = 0 (off the chart)"]})
    y = alt.Y("density:Q", title="how likely if there is no effect",
              scale=alt.Scale(domain=[0, F_TOP], nice=False),
              axis=alt.Axis(labels=False, ticks=False))
    layers = [
        _band(f_crit, limit, "F", GOOD),
        alt.Chart(curve).mark_line(color=INK, strokeWidth=2, clip=True).encode(
            x=alt.X("F:Q", title="F value (differences between the means ÷ noise)",
                    scale=alt.Scale(domain=[0, limit], nice=False)),
            y=y),
        alt.Chart(region).mark_area(color=GOOD, opacity=0.55, clip=True).encode(
            x="F:Q", y=y),
        alt.Chart(label).mark_text(fontSize=13, fontWeight="bold", color=INK, align="left").encode(
            x="F:Q", y="density:Q", text="text:N"),
        alt.Chart(pole).mark_text(fontSize=12, color=INK, align="left").encode(
            x="F:Q", y="density:Q", text="text:N"),
    ]
    layers += _observed(f_obs, f"your data: F = {f_obs:.2f}", "F", 0.5)
    return alt.layer(*layers).properties(title=title)


def _band(lo: float, hi: float, axis: str, fill: str) -> alt.Chart:
    """A light full-height band over a rejection region, so that it shows even where the
    curve is almost flat."""
    frame = pd.DataFrame({axis: [lo], "end": [hi]})
    return alt.Chart(frame).mark_rect(color=fill, opacity=0.14).encode(
        x=f"{axis}:Q", x2="end:Q")


def _observed(value: float, text: str, axis: str, height: float) -> list[alt.Chart]:
    """A dashed line at the observed statistic with its value written beside it."""
    frame = pd.DataFrame({axis: [value], "density": [height], "text": [text]})
    rule = alt.Chart(frame).mark_rule(color=ACCENT, strokeWidth=3, strokeDash=[6, 4]).encode(
        x=f"{axis}:Q")
    label = alt.Chart(frame).mark_text(
        align="left" if value <= 0 else "right", dx=6 if value <= 0 else -6, fontSize=14,
        fontWeight="bold", color=ACCENT
    ).encode(x=f"{axis}:Q", y="density:Q", text="text:N")
    return [rule, label]

