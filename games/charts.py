"""Altair pictures shared by the games (no streamlit import: pages draw the specs).

Everything is drawn to be read on a projector and on a phone: large fonts, words on the axes,
and every colour doubled by a label, a shape or a dash so that nothing relies on colour alone.

Building an Altair chart costs ~100 ms (schema handling), so pages build a chart once per round
as a Vega-Lite spec (a dict, :func:`to_spec`), cache it, and swap in new rows with
:func:`with_rows` for the panels or guesses that differ only in their data.
"""

from __future__ import annotations

import copy
import json

import altair as alt
import numpy as np
import pandas as pd

__all__ = ["style", "condition_plot", "dot_rows", "dot_levels", "nice_width", "to_spec",
           "with_rows", "INK", "ACCENT", "MUTED", "GOOD"]

INK = "#1f2937"
ACCENT = "#d95f02"  # orange: "yours" / highlighted
GOOD = "#1b9e77"  # teal: "the right one" / partial pooling
MUTED = "#8a919c"


def style(chart: alt.TopLevelMixin, height: int | None = 300) -> alt.TopLevelMixin:
    """Big, plain fonts for projectors; the width follows the page (phones too).

    ``height`` is the whole picture's (title, axes and legend included), as Streamlit sizes it.

    ``height=None`` keeps the chart's own sizes (facets size their panels themselves)."""
    if height is not None:
        chart = chart.properties(height=height)
    return (
        chart.configure_axis(labelFontSize=14, titleFontSize=15, grid=False)
        .configure_legend(labelFontSize=14, titleFontSize=14, orient="bottom", columns=1,
                          labelLimit=320, symbolStrokeWidth=3, symbolSize=300)
        .configure_title(fontSize=17, anchor="start")
        .configure_header(labelFontSize=14, titleFontSize=14)
        .configure_view(stroke=None)
    )


def condition_plot(data: pd.DataFrame, response: str, unit: str, title: str = "") -> alt.Chart:
    """Each participant's values in both conditions joined by a line, with the condition means.

    The means are drawn as large black diamonds with their value written next to them.
    """
    y = alt.Y(f"{response}:Q", title=f"{response.replace('_', ' ')} ({unit})",
              scale=alt.Scale(zero=False))
    x = alt.X("condition:N", title="condition", sort=["control", "treatment"],
              axis=alt.Axis(labelAngle=0))
    base = alt.Chart(data)
    lines = base.mark_line(color=MUTED, strokeWidth=1.2, opacity=0.7).encode(
        x=x, y=f"mean({response}):Q", detail="participant:N"
    )
    points = base.mark_circle(color=INK, size=50, opacity=0.6).encode(
        x=x, y=y, tooltip=["participant:N", "condition:N", alt.Tooltip(f"{response}:Q")]
    )
    means = data.groupby("condition", as_index=False)[response].mean()
    means["label"] = [f"mean {v:.1f}" for v in means[response]]
    mean_marks = alt.Chart(means).mark_point(
        shape="diamond", size=260, filled=True, color=ACCENT, stroke=INK, strokeWidth=1
    ).encode(x=x, y=alt.Y(f"{response}:Q"))
    mean_text = alt.Chart(means).mark_text(dx=14, align="left", fontSize=14,
                                           fontWeight="bold").encode(
        x=x, y=alt.Y(f"{response}:Q"), text="label:N"
    )
    return (lines + points + mean_marks + mean_text).properties(title=title)


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


def to_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart as a plain Vega-Lite dict (JSON-safe), for st.vega_lite_chart and caching."""
    return json.loads(chart.to_json())


def with_rows(spec: dict, rows: pd.DataFrame, *, having: str | None = None,
              title: str | None = None, name: str | None = None) -> dict:
    """A copy of ``spec`` with one dataset's rows replaced by ``rows`` (and a new title).

    The dataset replaced is the one whose rows have the column ``having`` (the only dataset
    when ``having`` is None); its other columns must match what the chart encodes. Its rows
    are written as Altair writes them. ``name`` renames it (and every reference to it), so
    that copies of one template can sit side by side in a compound chart.
    """
    out = copy.deepcopy(spec)
    names = [k for k, v in out["datasets"].items()
             if having is None or (v and having in v[0])]
    if len(names) != 1:
        raise ValueError(f"expected one dataset with column {having!r}, found {len(names)}")
    values = alt.utils.sanitize_pandas_dataframe(rows.reset_index(drop=True))
    del out["datasets"][names[0]]
    out["datasets"][name or names[0]] = json.loads(json.dumps(values.to_dict(orient="records")))
    if name:
        _rename_data(out, names[0], name)
    if title is not None:
        out["title"] = title
    return out


def _rename_data(node, old: str, new: str) -> None:
    """Point every ``"data": {"name": old}`` in a spec at ``new`` instead."""
    if isinstance(node, dict):
        if node.get("data") == {"name": old}:
            node["data"] = {"name": new}
        for value in node.values():
            _rename_data(value, old, new)
    elif isinstance(node, list):
        for value in node:
            _rename_data(value, old, new)
