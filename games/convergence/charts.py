"""Pictures for the convergence game: the data per school, the schools' fitted lines before and
after the cure, and allFit's log-likelihoods per optimizer.

Models are told apart by panel titles (and colour); optimizers' verdicts by shape and words.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..charts import ACCENT, GOOD, INK, MUTED

__all__ = ["data_chart", "lines_chart", "line_rows", "optimizer_chart", "own_lines"]


def own_lines(data: pd.DataFrame, predictors: list[str]) -> pd.DataFrame:
    """Each school's own least-squares line per predictor, as two end points."""
    rows = []
    for (school, x), part in data.melt(id_vars=["school", "score"], value_vars=predictors,
                                       var_name="predictor").groupby(["school", "predictor"]):
        slope, intercept = np.polyfit(part["value"], part["score"], 1)
        ends = np.array([part["value"].min(), part["value"].max()])
        rows.append(pd.DataFrame({"school": school, "predictor": x, "value": ends,
                                  "score": intercept + slope * ends}))
    return pd.concat(rows, ignore_index=True)


def data_chart(data: pd.DataFrame, predictors: list[str]) -> alt.FacetChart:
    """Pupils' scores against each predictor, one panel per school, with the school's own
    least-squares line."""
    points = data.melt(id_vars=["school", "score"], value_vars=predictors,
                       var_name="predictor").assign(kind="pupil")
    lines = own_lines(data, predictors).assign(kind="line")
    both = pd.concat([points, lines], ignore_index=True)
    x = alt.X("value:Q", title=" / ".join(predictors), scale=alt.Scale(zero=False))
    y = alt.Y("score:Q", title="test score", scale=alt.Scale(zero=False))
    dots = alt.Chart().transform_filter(alt.datum.kind == "pupil").mark_circle(
        size=22, color=INK, opacity=0.45).encode(x=x, y=y, tooltip=["school:N", "score:Q"])
    line = alt.Chart().transform_filter(alt.datum.kind == "line").mark_line(
        color=ACCENT, strokeWidth=3).encode(x=x, y=y, detail="predictor:N")
    layer = alt.layer(dots, line, data=both).properties(width=130, height=110)
    if len(predictors) == 1:
        return layer.facet(facet=alt.Facet("school:N", title=None), columns=2)
    return layer.facet(row=alt.Row("school:N", title=None),
                       column=alt.Column("predictor:N", title=None))


def line_rows(coef: dict, predictor: str, x_domain: list[float]) -> pd.DataFrame:
    """Each school's fitted line on ``predictor`` (other predictors at 0) as two end points
    ({school: {coefficient: value}})."""
    xs = np.array(x_domain, dtype=float)
    return pd.concat([pd.DataFrame({"school": school, "value": xs,
                                    "score": c["(Intercept)"] + c.get(predictor, 0.0) * xs})
                      for school, c in coef.items()], ignore_index=True)


def lines_chart(data: pd.DataFrame, coef: dict, predictor: str, x_domain: list[float],
                y_domain: list[float], title: str, colour: str) -> alt.LayerChart:
    """One model's school lines over the pupils' scores (one chart per model, so that two
    models sit side by side on a screen and one above the other on a phone)."""
    x = alt.X("value:Q", title=predictor, scale=alt.Scale(domain=x_domain, nice=False))
    y = alt.Y("score:Q", title="test score", scale=alt.Scale(domain=y_domain, nice=False))
    pupils = pd.DataFrame({"value": data[predictor], "score": data["score"]})
    dots = alt.Chart(pupils).mark_circle(size=16, color=MUTED, opacity=0.5).encode(x=x, y=y)
    lines = alt.Chart(line_rows(coef, predictor, x_domain)).mark_line(
        strokeWidth=2.5, color=colour, clip=True).encode(
        x=x, y=y, detail="school:N", tooltip=["school:N"])
    return alt.layer(dots, lines).properties(title=title)


def optimizer_chart(points: pd.DataFrame, title: str) -> alt.LayerChart:
    """allFit: each optimizer's log-likelihood; shape and words say whether it still warns.

    The axis spans at least 1 log-likelihood unit, so that agreement looks like agreement."""
    lo, hi = float(points["loglik"].min()), float(points["loglik"].max())
    half = max(hi - lo, 1.0) * 0.6
    middle = (lo + hi) / 2
    domain = [middle - half, middle + 1.3 * half]  # room on the right for the labels
    y = alt.Y("optimizer:N", title=None, sort=list(points["optimizer"]),
              axis=alt.Axis(labelLimit=230, labelFontSize=12))
    x = alt.X("loglik:Q", title="log-likelihood (higher = better)",
              scale=alt.Scale(domain=domain, nice=False), axis=alt.Axis(format=".1f"))
    status = alt.Scale(domain=["still warns", "no message"], range=[ACCENT, GOOD])
    shapes = alt.Scale(domain=["still warns", "no message"], range=["triangle-up", "circle"])
    marks = alt.Chart(points).mark_point(size=220, filled=True, opacity=0.9).encode(
        x=x, y=y, color=alt.Color("status:N", title=None, scale=status),
        shape=alt.Shape("status:N", title=None, scale=shapes),
        tooltip=["optimizer:N", alt.Tooltip("loglik:Q", format=".4f"), "said:N"])
    labels = alt.Chart(points.assign(text=[f"{v:.3f}" for v in points["loglik"]])).mark_text(
        align="left", dx=12, fontSize=13, color=INK).encode(x=x, y=y, text="text:N")
    return alt.layer(marks, labels).properties(title=title)
