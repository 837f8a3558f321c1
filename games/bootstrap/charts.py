"""Pictures for the bootstrap game: people's own effects with a guessed interval, every
interval side by side, and one bootstrap distribution per panel.

Every mark that carries meaning is named in words (an axis label, a legend entry or a text
next to it), so nothing relies on colour alone.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..charts import ACCENT, GOOD, INK, MUTED

__all__ = ["people_chart", "guess_rows", "intervals_chart", "histogram_chart", "words_chart",
           "KIND_COLOURS"]

KIND_COLOURS = {"your guess": ACCENT, "model": GOOD, "bootstrap": "#7570b3"}


def _stacked(values: np.ndarray, bins: int = 24) -> pd.DataFrame:
    """A dot plot's positions: values binned, dots in a bin stacked 1, 2, 3, ..."""
    lo, hi = float(values.min()), float(values.max())
    width = (hi - lo) / bins if hi > lo else 1.0
    idx = np.floor((values - lo) / width).clip(0, bins - 1)
    order = np.argsort(values, kind="stable")
    height = np.zeros(len(values))
    counts: dict[float, int] = {}
    for i in order:
        counts[idx[i]] = counts.get(idx[i], 0) + 1
        height[i] = counts[idx[i]]
    return pd.DataFrame({"value": values, "stack": height})


def guess_rows(lower: float | None, upper: float | None) -> pd.DataFrame:
    """The guessed interval as the one row the people chart's guess layer draws."""
    ok = lower is not None and upper is not None
    lo, hi = (min(lower, upper), max(lower, upper)) if ok else (np.nan, np.nan)
    return pd.DataFrame({"start": [lo], "end": [hi], "level": [0.0],
                         "text": ["your 95% interval" if ok else ""]})


def people_chart(own: dict, estimate: float, unit: str, what: str,
                 guess: tuple[float | None, float | None] = (None, None)) -> alt.LayerChart:
    """Each person's own estimate as a dot (stacked where they pile up), the model's average
    as a labelled line, and the guessed interval as a bar under the dots."""
    dots = _stacked(np.array(list(own.values()), dtype=float))
    dots["who"] = list(own)
    top = float(dots["stack"].max()) + 1.5
    x = alt.X("value:Q", title=f"{what} ({unit})", scale=alt.Scale(zero=False, nice=True))
    y = alt.Y("stack:Q", title=None, axis=None, scale=alt.Scale(domain=[-1.6, top]))
    points = alt.Chart(dots).mark_circle(size=150, color=INK, opacity=0.75).encode(
        x=x, y=y, tooltip=[alt.Tooltip("who:N", title="person"),
                           alt.Tooltip("value:Q", title=f"own ({unit})", format=".1f")])
    mean = pd.DataFrame({"value": [estimate], "stack": [top - 0.4],
                         "text": [f"model's average {estimate:.1f}"]})
    rule = alt.Chart(mean).mark_rule(color=GOOD, strokeWidth=3).encode(x="value:Q")
    label = alt.Chart(mean).mark_text(dx=6, align="left", fontSize=14, fontWeight="bold",
                                      color=GOOD).encode(x="value:Q", y=y, text="text:N")
    rows = guess_rows(*guess)
    bar = alt.Chart(rows).mark_rule(color=ACCENT, strokeWidth=9).encode(
        x=alt.X("start:Q"), x2="end:Q", y=alt.Y("level:Q", scale=alt.Scale(domain=[-1.6, top])))
    bar_text = alt.Chart(rows).mark_text(dy=-14, fontSize=14, fontWeight="bold",
                                         color=ACCENT).encode(
        x=alt.X("start:Q"), y=alt.Y("level:Q"), text="text:N")
    return alt.layer(rule, points, label, bar, bar_text).properties(
        title=f"Each dot: one person's own {what}")


def intervals_chart(rows: pd.DataFrame, estimate: float, truth: float, unit: str,
                    what: str) -> alt.LayerChart:
    """Every 95% interval as a horizontal bar with its name and width written above it (no
    axis labels to squeeze a phone's width); the estimate as a solid line and the
    simulation's true value as a dashed one, each named at its end."""
    k = len(rows)
    rows = rows.reset_index(drop=True).assign(
        row=np.arange(k, dtype=float),
        label=[f"{name}: {hi - lo:.1f} wide" for name, lo, hi in
               zip(rows["interval"], rows["lower"], rows["upper"], strict=True)])
    y_scale = alt.Scale(domain=[-1.1, k - 0.25], reverse=True, nice=False, zero=False)
    y = alt.Y("row:Q", title=None, axis=None, scale=y_scale)
    kinds = [c for c in KIND_COLOURS if c in set(rows["kind"])]
    bars = alt.Chart(rows).mark_rule(strokeWidth=10).encode(
        x=alt.X("lower:Q", title=f"{what} ({unit})", scale=alt.Scale(zero=False)),
        x2="upper:Q", y=y,
        color=alt.Color("kind:N", legend=None, scale=alt.Scale(
            domain=kinds, range=[KIND_COLOURS[c] for c in kinds])),
        tooltip=["interval:N", alt.Tooltip("lower:Q", format=".2f"),
                 alt.Tooltip("upper:Q", format=".2f")])
    names = _haloed(alt.Chart(rows.assign(row=rows["row"] - 0.42)), dict(
        align="left", baseline="middle", x=0, fontSize=13), dict(
        y=alt.Y("row:Q", scale=y_scale), text="label:N"))
    # The estimate and the true value as short ticks across every bar (a line through the
    # whole chart would cut through the names), named once at the top and the bottom.
    ticks = pd.DataFrame([{"x": x, "what": what, "top": i - 0.24, "bottom": i + 0.24}
                          for i in range(k)
                          for x, what in ((estimate, "estimate"), (truth, "true value"))])
    marks = alt.Chart(ticks).mark_rule(strokeWidth=2.5, color=INK).encode(
        x="x:Q", y=alt.Y("top:Q", scale=y_scale), y2="bottom:Q",
        strokeDash=alt.StrokeDash("what:N", legend=None, scale=alt.Scale(
            domain=["estimate", "true value"], range=[[1, 0], [4, 3]])))
    ends = pd.DataFrame({"x": [estimate, truth], "at": [-0.9, k - 0.45],
                         "text": [f"estimate {estimate:.1f} (solid)",
                                  f"true value {truth:.1f} (dashed)"]})
    marks_text = _haloed(alt.Chart(ends), dict(fontSize=13, fontWeight="bold",
                                               baseline="middle"),
                         dict(x="x:Q", y=alt.Y("at:Q", scale=y_scale), text="text:N"))
    return alt.layer(bars, marks, *names, *marks_text).properties(title="Every 95% interval")


def _haloed(chart: alt.Chart, mark: dict, encoding: dict) -> list:
    """Text with a white outline underneath, so lines behind it never cut through words."""
    halo = chart.mark_text(color="white", stroke="white", strokeWidth=5, strokeJoin="round",
                           **mark).encode(**encoding)
    return [halo, chart.mark_text(color=INK, **mark).encode(**encoding)]


def histogram_chart(values: list[float], lower: float, upper: float, profile: tuple,
                    domain: list[float], title: str, unit: str, what: str,
                    colour: str) -> alt.LayerChart:
    """One bootstrap distribution: histogram, its percentile interval (dashed lines, ends
    written) and the profile interval as a grey band for comparison."""
    frame = pd.DataFrame({"value": np.asarray(values, dtype=float)})
    x = alt.X("value:Q", bin=alt.Bin(extent=domain, maxbins=30), title=f"{what} ({unit})",
              scale=alt.Scale(domain=domain, nice=False))
    band = alt.Chart(pd.DataFrame({"lo": [profile[0]], "hi": [profile[1]]})).mark_rect(
        color=MUTED, opacity=0.22).encode(x=alt.X("lo:Q", scale=alt.Scale(domain=domain)),
                                          x2="hi:Q")
    bars = alt.Chart(frame).mark_bar(color=colour, opacity=0.85).encode(
        x=x, y=alt.Y("count():Q", title="refits"))
    ends = pd.DataFrame({"x": [lower, upper], "text": [f"{lower:.1f}", f"{upper:.1f}"],
                         "align": ["right", "left"]})
    rules = alt.Chart(ends).mark_rule(color=INK, strokeWidth=2.5, strokeDash=[6, 3]).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=domain)))
    labels = [alt.Chart(ends.iloc[[i]]).mark_text(
        dy=-6, dx=3 if side == "left" else -3, align=side, baseline="bottom", fontSize=13,
        fontWeight="bold", color=INK).encode(x="x:Q", y=alt.value(0), text="text:N")
        for i, side in enumerate(ends["align"])]
    return alt.layer(band, bars, rules, *labels).properties(title=title)


def words_chart(word_means: dict, rare: list[str]) -> alt.LayerChart:
    """Each word's average as a dot, frequent and rare words in two rows (stacked where they
    pile up), with each row's average as a labelled tick."""
    frames = []
    for row, name in enumerate(("frequent", "rare")):
        who = [w for w in word_means if (w in rare) == (name == "rare")]
        dots = _stacked(np.array([word_means[w] for w in who], dtype=float), bins=20)
        frames.append(dots.assign(word=who, frequency=name,
                                  level=row * 4.0 + 0.35 * dots["stack"]))
    dots = pd.concat(frames, ignore_index=True)
    x = alt.X("value:Q", title="a word's average reading time (ms)",
              scale=alt.Scale(zero=False, nice=True))
    y = alt.Y("level:Q", title=None, axis=None,
              scale=alt.Scale(domain=[-1.2, float(dots["level"].max()) + 1.0]))
    points = alt.Chart(dots).mark_circle(size=150, opacity=0.75).encode(
        x=x, y=y, color=alt.Color("frequency:N", legend=None,
                                  scale=alt.Scale(domain=["frequent", "rare"],
                                                  range=[GOOD, ACCENT])),
        tooltip=["word:N", "frequency:N", alt.Tooltip("value:Q", format=".0f")])
    means = dots.groupby("frequency", as_index=False).agg(value=("value", "mean"),
                                                          level=("level", "min"))
    means["text"] = [f"{f} words: average {v:.0f}" for f, v in zip(
        means["frequency"], means["value"], strict=True)]
    ticks = alt.Chart(means).mark_tick(color=INK, thickness=3, size=28).encode(x=x, y=y)
    labels = alt.Chart(means.assign(level=means["level"] - 1.25)).mark_text(
        fontSize=13, fontWeight="bold", color=INK).encode(x=x, y=y, text="text:N")
    return alt.layer(points, ticks, labels).properties(
        title="Each dot: one word's average reading time")
