"""What the page shows of a pooling result: the three pictures as Vega-Lite specs, the group
to look at first, the numbers per group and a few words about one group."""

from __future__ import annotations

import pandas as pd

from games import charts
from games.text import plain

from . import charts as sandbox_charts

__all__ = ["first_focus", "panels", "pooling_specs", "pool_table", "focus_words", "MAX_PANELS"]

MAX_PANELS = 24


def first_focus(pool, few: list[str]) -> str:
    """The sparsest group that still has a line of its own (374 in the course data)."""
    lined = [g for g in few if pool.groups.loc[g, "n"] >= 2]
    return (lined or list(few) or [str(g) for g in pool.groups.index])[0]


def panels(pool, few: list[str]) -> list[str]:
    """The groups in the small panels: the sparsest first, at most MAX_PANELS."""
    groups = [str(g) for g in pool.groups.index]
    return (list(few) + [g for g in groups if g not in few])[:MAX_PANELS]


def pooling_specs(data: pd.DataFrame, pool, focus: str, shown: list[str],
                  highlight: tuple[str, ...]) -> dict:
    """The pictures: one group up close, the shrinkage of every group, and the panels."""
    rows = data[[pool.response, pool.predictor]].dropna().astype(float)
    x, y = rows[pool.predictor], rows[pool.response]
    pad = 0.08 * max(float(y.max() - y.min()), 1e-9)
    x_range = (float(x.min()), float(x.max()))
    y_domain = (float(y.min()) - pad, float(y.max()) + pad)
    return {
        "focus": charts.to_spec(charts.style(sandbox_charts.group_chart(
            data, pool, focus, x_range, y_domain), height=420)),
        "shrinkage": charts.to_spec(charts.style(
            sandbox_charts.shrinkage_chart(pool, highlight), height=500)),
        "panels": charts.to_spec(charts.style(sandbox_charts.panels_chart(
            data, pool, shown, x_range, highlight=highlight), height=None)),
    }


def pool_table(pool) -> pd.DataFrame:
    """Per group: observations, own and model coefficients, and how far each was pulled."""
    g = pool.groups
    return pd.DataFrame({
        "observations": g["n"], "own intercept": g["no_pool_intercept"],
        "model intercept": g["partial_intercept"],
        "intercept pulled %": 100 * g["shrinkage_intercept"],
        "own slope": g["no_pool_slope"], "model slope": g["partial_slope"],
        "slope pulled %": 100 * g["shrinkage_slope"]})


def focus_words(pool, focus: str) -> str:
    """One group's own and model coefficients in a sentence or two (Markdown; the group's
    label is escaped, since uploads name their own groups)."""
    row, pop = pool.groups.loc[focus], pool.population
    name = plain(focus)
    n = int(row["n"])
    model = (f"the mixed model gives intercept **{row['partial_intercept']:.2f}** and slope "
             f"**{row['partial_slope']:.2f}** (population: {pop.iloc[0]:.2f} and "
             f"{pop.iloc[1]:.2f})")
    if pd.isna(row["no_pool_slope"]):
        return (f"**{name}** has {n} observation{'s' if n != 1 else ''}, too few for a line "
                f"of its own ({plain(row['note'])}); {model}. With nothing to go on for the slope, "
                "the model uses what the other groups show.")
    return (f"**{name}** has {n} observations. Its own line: intercept "
            f"{row['no_pool_intercept']:.2f}, slope {row['no_pool_slope']:.2f}; {model}. The "
            "fewer and noisier a group's observations, the further the model pulls its line "
            "toward the population's.")
