"""Pictures for the why-mixed game: the sites' condition averages, and every person's reaction
times over the days with the daily means (no streamlit: pages draw the specs)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..charts import ACCENT, GOOD, INK, MUTED

__all__ = ["sites_chart", "site_counts", "people_chart"]


def site_counts(data: pd.DataFrame) -> pd.DataFrame:
    """How many sites, of which setting, and how many participants at each."""
    per_site = data.groupby("site")["participant"].nunique()
    settings = data.groupby("site")["setting"].first().value_counts()
    span = (f"{per_site.min()}" if per_site.min() == per_site.max()
            else f"{per_site.min()} to {per_site.max()}")
    return pd.DataFrame({"count": [
        str(data["site"].nunique()), str(settings.get("clinic", 0)),
        str(settings.get("university", 0)), span, str(data["participant"].nunique()),
        str(len(data))]}, index=pd.Index([
            "sites", "clinics", "university labs", "participants per site", "participants",
            "measurements"], name="in the data"))


def sites_chart(data: pd.DataFrame) -> alt.LayerChart:
    """Each site's control and treatment averages joined by a line; colour and dash by
    setting, named in the legend."""
    means = data.groupby(["site", "setting", "condition"], as_index=False)["value"].mean()
    settings = ["clinic", "university"]
    x = alt.X("condition:N", title=None, sort=["control", "treatment"],
              axis=alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", title="site average", scale=alt.Scale(zero=False))
    colour = alt.Color("setting:N", title="setting", scale=alt.Scale(
        domain=settings, range=[GOOD, ACCENT]))
    dash = alt.StrokeDash("setting:N", title="setting", scale=alt.Scale(
        domain=settings, range=[[1, 0], [6, 3]]))
    lines = alt.Chart(means).mark_line(strokeWidth=2, point=True).encode(
        x=x, y=y, detail="site:N", color=colour, strokeDash=dash,
        tooltip=["site:N", "setting:N", "condition:N", alt.Tooltip("value:Q", format=".1f")])
    return lines.properties(title="Each line: one site's averages")


def people_chart(data: pd.DataFrame) -> alt.LayerChart:
    """Every person's reaction times joined over the days (thin grey lines), and the daily
    means (orange diamonds, joined)."""
    data = data.dropna()
    means = data.groupby("days", as_index=False)["reaction"].mean().assign(
        what="daily mean of everybody")
    x = alt.X("days:Q", title="days of sleep deprivation", axis=alt.Axis(tickMinStep=1))
    y = alt.Y("reaction:Q", title="reaction time (ms)", scale=alt.Scale(zero=False))
    people = alt.Chart(data).mark_line(color=MUTED, strokeWidth=1.2, opacity=0.8,
                                       point=alt.OverlayMarkDef(color=INK, size=18)).encode(
        x=x, y=y, detail="subject:N",
        tooltip=["subject:N", "days:Q", alt.Tooltip("reaction:Q", format=".0f")])
    mean_line = alt.Chart(means).mark_line(color=ACCENT, strokeWidth=3).encode(x=x, y=y)
    mean_points = alt.Chart(means).mark_point(shape="diamond", size=160, filled=True,
                                              color=ACCENT).encode(
        x=x, y=y, tooltip=[alt.Tooltip("reaction:Q", format=".0f", title="daily mean")])
    return alt.layer(people, mean_line, mean_points).properties(
        title="Grey: each person · orange diamonds: the daily means")
