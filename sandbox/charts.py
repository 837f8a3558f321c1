"""Pictures of pooling for any data: one group up close, every group in small panels, and the
shrinkage of every group's (intercept, slope) toward the population.

The pooling game's pictures (games/pooling/charts.py) are drawn for the sleep study's columns
and units; these take the column names from the data. They share the game's line kinds
(colour *and* dash pattern, named in the legend) so that the two read the same way.
"""

from __future__ import annotations

import textwrap

import altair as alt
import numpy as np
import pandas as pd

from games.charts import ACCENT, GOOD, INK, MUTED
from games.pooling.charts import LINES

__all__ = ["KINDS", "line_rows", "group_chart", "panels_chart", "shrinkage_chart",
           "interval_chart"]

# prefix of PoolingResult.groups' columns -> the line's name in the legend (a key of LINES)
KINDS = {
    "complete": "one line for all (complete pooling)",
    "no_pool": "own data only (no pooling)",
    "partial": "mixed model (partial pooling)",
}


def _title(name: str) -> str:
    return str(name).replace("_", " ").replace(".", " ")


def line_rows(groups: pd.DataFrame, x_range: tuple[float, float]) -> pd.DataFrame:
    """Two points per group and line kind (x at both ends of the range); no row for a line a
    group does not have (no own slope from one observation)."""
    xs = np.asarray(x_range, float)
    parts = []
    for prefix, kind in KINDS.items():
        a = groups[f"{prefix}_intercept"].to_numpy(float)
        b = groups[f"{prefix}_slope"].to_numpy(float)
        ok = np.isfinite(a) & np.isfinite(b)
        for x in xs:
            parts.append(pd.DataFrame({"group": groups.index[ok].astype(str), "line": kind,
                                       "x": x, "y": a[ok] + b[ok] * x}))
    return pd.concat(parts, ignore_index=True)


def _line_encoding(kinds: list[str]) -> dict:
    return {
        "color": alt.Color("line:N", title=None,
                           scale=alt.Scale(domain=kinds, range=[LINES[k][0] for k in kinds])),
        "strokeDash": alt.StrokeDash("line:N", title=None,
                                     scale=alt.Scale(domain=kinds,
                                                     range=[LINES[k][1] for k in kinds])),
    }


def _points(data: pd.DataFrame, response: str, predictor: str, group: str) -> pd.DataFrame:
    rows = data[[group, predictor, response]].dropna()
    return pd.DataFrame({"group": rows[group].astype(str).to_numpy(),
                         "x": rows[predictor].to_numpy(float),
                         "y": rows[response].to_numpy(float)})


def _x(data: pd.DataFrame, pool, x_range) -> alt.X:
    """The predictor's axis; whole-number predictors (days) get whole-number ticks."""
    whole = pd.api.types.is_integer_dtype(data[pool.predictor])
    return alt.X("x:Q", title=_title(pool.predictor), scale=alt.Scale(domain=list(x_range)),
                 axis=alt.Axis(tickMinStep=1) if whole else alt.Axis())


def group_chart(data: pd.DataFrame, pool, group: str, x_range, y_domain) -> alt.LayerChart:
    """One group's observations with its three lines: complete, no and partial pooling."""
    lines = line_rows(pool.groups.loc[[group]], x_range)
    kinds = [k for k in KINDS.values() if k in set(lines["line"])]
    x = _x(data, pool, x_range)
    y = alt.Y("y:Q", title=_title(pool.response), scale=alt.Scale(domain=list(y_domain)))
    drawn = alt.Chart(lines).mark_line(strokeWidth=3).encode(x=x, y=y, **_line_encoding(kinds))
    points = _points(data, pool.response, pool.predictor, pool.group)
    dots = alt.Chart(points[points["group"] == str(group)]).mark_circle(
        size=120, color=INK, opacity=0.9).encode(x=x, y=y, tooltip=[
            alt.Tooltip("x:Q", title=_title(pool.predictor)),
            alt.Tooltip("y:Q", title=_title(pool.response))])
    n = int(pool.groups.loc[group, "n"])
    return alt.layer(drawn, dots).properties(
        title=f"{pool.group} {group}: {n} observation{'s' if n != 1 else ''}")


def panels_chart(data: pd.DataFrame, pool, groups: list[str], x_range, columns: int = 3,
                 highlight: tuple[str, ...] = ()) -> alt.FacetChart:
    """Small panels, one per group, each with its points and three lines."""
    lines = line_rows(pool.groups.loc[groups], x_range)
    points = _points(data, pool.response, pool.predictor, pool.group)
    points = points[points["group"].isin([str(g) for g in groups])]
    n = pool.groups["n"]
    title = {str(g): f"{g} ({int(n[g])})" + (" ◀" if str(g) in highlight else "")
             for g in groups}
    both = pd.concat([lines, points.assign(line="observations")], ignore_index=True)
    both["panel"] = both["group"].map(title)
    kinds = list(KINDS.values())
    x = _x(data, pool, x_range)
    y = alt.Y("y:Q", title=_title(pool.response), scale=alt.Scale(zero=False))
    drawn = alt.Chart().transform_filter(alt.datum.line != "observations").mark_line(
        strokeWidth=2).encode(x=x, y=y, **_line_encoding(kinds))
    dots = alt.Chart().transform_filter(alt.datum.line == "observations").mark_circle(
        size=18, color=INK).encode(x=x, y=y)
    # 3 columns of 78 px fit a 390 px phone beside the axis (a facet cannot follow the width)
    return alt.layer(drawn, dots, data=both).properties(width=78, height=80).facet(
        facet=alt.Facet("panel:N", title=None, sort=[title[str(g)] for g in groups]),
        columns=columns, spacing=10)


def _arrows(groups: pd.DataFrame, highlight) -> pd.DataFrame:
    frame = pd.DataFrame({
        "group": groups.index.astype(str), "n": groups["n"].to_numpy(),
        "x": groups["no_pool_intercept"].to_numpy(float),
        "y": groups["no_pool_slope"].to_numpy(float),
        "x2": groups["partial_intercept"].to_numpy(float),
        "y2": groups["partial_slope"].to_numpy(float)})
    frame["who"] = np.where(frame["group"].isin([str(h) for h in highlight]),
                            "highlighted", "others")
    return frame


def shrinkage_chart(pool, highlight: tuple[str, ...] = ()) -> alt.LayerChart:
    """Each group's (intercept, slope): an arrow from its own estimate (open circle) to the mixed
    model's (filled), inside the population's 50% and 95% contours; highlighted groups named."""
    frame = _arrows(pool.groups, highlight)
    own = frame.dropna(subset=["x", "y"])
    response, predictor = _title(pool.response), _title(pool.predictor)
    x = alt.X("x:Q", title=f"intercept ({response} when {predictor} = 0)",
              scale=alt.Scale(zero=False))
    y = alt.Y("y:Q", title=f"slope (change in {response} per unit of {predictor})",
              scale=alt.Scale(zero=False))
    layers = []
    for level in (0.5, 0.95):
        ring = pool.population_normal.ellipse(level, 80)
        layers.append(alt.Chart(ring).mark_line(color=MUTED, strokeDash=[3, 3]).encode(
            x=x, y=y, order="order:Q"))
        top = ring.iloc[[int(np.argmax(ring["y"]))]].assign(text=f"{int(100 * level)}% of groups")
        layers.append(alt.Chart(top).mark_text(dy=-8, fontSize=12, color=INK).encode(
            x=x, y=y, text="text:N"))
    emphasis = alt.condition(alt.datum.who == "highlighted", alt.value(ACCENT), alt.value(MUTED))
    tip = [alt.Tooltip("group:N", title=_title(pool.group)),
           alt.Tooltip("n:Q", title="observations")]
    layers += [
        alt.Chart(own).mark_rule(strokeWidth=2).encode(x=x, y=y, x2="x2:Q", y2="y2:Q",
                                                      color=emphasis),
        alt.Chart(own).mark_point(size=70, filled=False, strokeWidth=2).encode(
            x=x, y=y, color=emphasis, tooltip=tip),
        alt.Chart(frame).mark_point(size=70, filled=True, color=GOOD).encode(
            x=alt.X("x2:Q"), y=alt.Y("y2:Q"), tooltip=tip),
    ]
    centre = pd.DataFrame({"x": [float(pool.population.iloc[0])],
                           "y": [float(pool.population.iloc[1])], "text": ["population"]})
    layers += [
        alt.Chart(centre).mark_point(shape="cross", size=260, filled=True, color=INK).encode(
            x=x, y=y),
        alt.Chart(centre).mark_text(dy=18, fontSize=13, fontWeight="bold").encode(
            x=x, y=y, text="text:N"),
    ]
    named = frame[frame["who"] == "highlighted"]
    for halo in (True, False):  # a white outline first, so that names stay readable on marks
        layers.append(alt.Chart(named).mark_text(
            dx=9, dy=-10, align="left", fontSize=15, fontWeight="bold", color=ACCENT,
            **({"stroke": "white", "strokeWidth": 4} if halo else {})).encode(
            x=alt.X("x2:Q"), y=alt.Y("y2:Q"), text="group:N"))
    return alt.layer(*layers).properties(title="Own estimate → mixed model")


def interval_chart(table: pd.DataFrame, name: str) -> alt.LayerChart:
    """One parameter's intervals, one method per row, with its estimate as a dashed line.

    ``table`` is sandbox.fitting.interval_table's (columns "<method> from"/"<method> to");
    a method without an interval for this parameter (Wald for an SD) gets no row.
    """
    row = table.loc[name]
    methods = [c[: -len(" from")] for c in table.columns if c.endswith(" from")]
    frame = pd.DataFrame([{"method": m, "from": float(row[f"{m} from"]),
                           "to": float(row[f"{m} to"])} for m in methods
                          if np.isfinite(row[f"{m} from"]) and np.isfinite(row[f"{m} to"])])
    frame["estimate"] = float(row["estimate"])
    y = alt.Y("method:N", title=None, sort=methods,
              axis=alt.Axis(labelFontSize=13, labelOverlap=False))
    x = alt.X("from:Q", title=None, scale=alt.Scale(zero=False, nice=False, padding=12))
    tip = ["method:N", alt.Tooltip("from:Q", format=".4g"), alt.Tooltip("to:Q", format=".4g")]
    base = alt.Chart(frame)
    return alt.layer(
        base.mark_rule(strokeWidth=4, color=INK).encode(x=x, x2="to:Q", y=y, tooltip=tip),
        base.mark_tick(thickness=2, size=16, color=INK).encode(x=x, y=y),
        base.mark_tick(thickness=2, size=16, color=INK).encode(x="to:Q", y=y),
        base.mark_rule(color=ACCENT, strokeDash=[4, 3], strokeWidth=2).encode(
            x="estimate:Q"),
    ).properties(title=alt.TitleParams(textwrap.wrap(str(row["parameter"]), 34), fontSize=15))
