"""Pictures for the mixture game: participants' averages as stacked dots (everybody, then per
group), and what a fitted model believes about participants: their estimated baselines with the
normal curve(s) the model assumes drawn over them.

Groups are told apart by shape *and* colour, and every curve carries a label with its SD.
:func:`dot_rows` is generic (any rows of values) and is also used by the nesting game.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from ..charts import ACCENT, GOOD, INK

__all__ = ["dot_levels", "dot_rows", "averages_chart", "baselines_chart", "GROUP_STYLE",
           "nice_width"]

# group -> (colour, shape, curve dash)
GROUP_STYLE = {
    "A": (GOOD, "circle", [1, 0]),
    "B": (ACCENT, "triangle-up", [8, 4]),
    "everybody": (INK, "circle", [1, 0]),
}


def nice_width(lo: float, hi: float, bins: int) -> float:
    """A round bin width (1, 2 or 5 times a power of ten) giving about ``bins`` bins."""
    raw = max(hi - lo, 1e-9) / bins
    power = 10 ** np.floor(np.log10(raw))
    return float(min((m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw),
                     default=10 * power))


def dot_levels(values, width: float, origin: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Bin centres and stack heights (1, 2, ...) for a stacked dot plot, in the given order."""
    values = np.asarray(values, dtype=float)
    bins = np.floor((values - origin) / width).astype(int)
    centres = origin + (bins + 0.5) * width
    levels = np.zeros(len(values), dtype=int)
    seen: dict[int, int] = {}
    for i, b in enumerate(bins):
        seen[b] = seen.get(b, 0) + 1
        levels[i] = seen[b]
    return centres, levels


def dot_rows(frame: pd.DataFrame, rows: list[str], x_title: str, kind_title: str,
             styles: dict, title: str = "", height: int = 340) -> alt.LayerChart:
    """Stacked dots of ``frame["value"]`` in one horizontal strip per entry of ``rows`` (column
    ``row``), each dot styled by its ``kind`` (``styles``: kind -> (colour, shape, dash))."""
    lo, hi = float(frame["value"].min()), float(frame["value"].max())
    width = nice_width(lo, hi, 22)
    origin = np.floor(lo / width) * width
    parts = []
    for row in rows:
        part = frame[frame["row"] == row].sort_values(["kind", "value"])
        x, level = dot_levels(part["value"], width, origin)
        parts.append(part.assign(x=x, level=level))
    dots = pd.concat(parts, ignore_index=True)
    gap = int(dots["level"].max()) + 2
    centre = {row: (len(rows) - 1 - i) * gap for i, row in enumerate(rows)}
    dots["y"] = dots["row"].map(centre) + dots["level"] - 0.5 * gap
    kinds = [k for k in styles if k in set(dots["kind"])]
    pixels = (height - 90) / (len(rows) * gap)
    size = float(np.clip((0.85 * pixels) ** 2, 20, 170))
    labels = " : ".join(f"datum.value == {c} ? '{r}'" for r, c in centre.items())
    y = alt.Y("y:Q", title=None, scale=alt.Scale(domain=[-0.5 * gap, (len(rows) - 0.5) * gap],
                                                  nice=False),
              axis=alt.Axis(values=list(centre.values()), labelExpr=f"{labels} : ''",
                            ticks=False, domain=False, labelFontWeight="bold"))
    points = alt.Chart(dots).mark_point(filled=True, size=size, opacity=0.9).encode(
        x=alt.X("x:Q", title=x_title, scale=alt.Scale(zero=False, padding=10)),
        y=y,
        color=alt.Color("kind:N", title=kind_title,
                        scale=alt.Scale(domain=kinds, range=[styles[k][0] for k in kinds])),
        shape=alt.Shape("kind:N", title=kind_title,
                        scale=alt.Scale(domain=kinds, range=[styles[k][1] for k in kinds])),
        tooltip=[alt.Tooltip("label:N", title="who"), alt.Tooltip("value:Q", format=".1f")],
    )
    rules = pd.DataFrame({"y": [c - 0.5 * gap + 0.4 for c in centre.values()]})
    baseline = alt.Chart(rules).mark_rule(color="#d1d5db").encode(y=alt.Y("y:Q"))
    return alt.layer(baseline, points).properties(title=title)


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
