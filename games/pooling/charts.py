"""Pictures for the pooling game: one person's lines, shrinkage arrows with the population's
contours, and everybody's lines in small multiples.

Every line kind has its own colour *and* dash pattern, named in the legend.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..charts import ACCENT, GOOD, INK, MUTED

__all__ = ["person_chart", "lines_frame", "shrinkage_chart", "everyone_chart", "y_domain",
           "given_lines", "guess_chart", "reveal_chart", "LINES", "GIVEN"]

# line kind -> (colour, dash pattern)
LINES = {
    "own data only (no pooling)": (ACCENT, [8, 4]),
    "population line": (MUTED, [2, 3]),
    "mixed model (partial pooling)": (GOOD, [1, 0]),
    "your guess": (INK, [12, 3, 2, 3]),
    "one line for all (complete pooling)": ("#7570b3", [4, 4]),
}


GIVEN = ("own data only (no pooling)", "population line")
# lines that must show whole; the others (a sparse person's own line, a guess) may run off the
# picture and are clipped at its edge
KEEP_WHOLE = ("population line", "mixed model (partial pooling)",
              "one line for all (complete pooling)")


def y_domain(data: pd.DataFrame, lines: dict[str, tuple[float, float]], max_day: int
             ) -> list[float]:
    """One y range for a person's picture: every measurement of the study (so that people can
    be compared) and the lines in KEEP_WHOLE, with a margin. Other lines are clipped."""
    keep = {k: v for k, v in lines.items() if k in KEEP_WHOLE}
    values = np.concatenate([data["reaction"].dropna().to_numpy(float),
                             lines_frame(keep, max_day)["reaction"].to_numpy(float)
                             if keep else np.array([])])
    lo, hi = float(values.min()), float(values.max())
    pad = max(0.05 * (hi - lo), 10.0)
    return [lo - pad, hi + pad]


def given_lines(round_, subject: str) -> dict[str, tuple[float, float]]:
    """The own line and the population line the learner is shown, {kind: (intercept, slope)}."""
    target = round_.context["targets"][subject]
    return {
        GIVEN[0]: (target["intercept"]["own"], target["slope"]["own"]),
        GIVEN[1]: (target["intercept"]["population"], target["slope"]["population"]),
    }


def _max_day(round_) -> int:
    return int(round_.data["days"].max())


def _points(round_, subject: str) -> pd.DataFrame:
    data = round_.data
    return data[data["subject"] == subject].dropna()


def guess_chart(round_, subject: str) -> alt.LayerChart:
    """The question's picture of one person: their data, own line, population line and the
    guess (drawn first on the own line; pages swap in each new guess)."""
    lines = given_lines(round_, subject) | {"your guess": given_lines(round_, subject)[GIVEN[0]]}
    return person_chart(_points(round_, subject), lines, _max_day(round_),
                        f"{subject}: your guess so far",
                        y_domain(round_.data, lines, _max_day(round_)))


def reveal_chart(round_, subject: str, guess: tuple[float, float]) -> alt.LayerChart:
    """The reveal's picture of one person: the three kinds of pooling and the guess."""
    coefficients = round_.reveal.tables["coefficients"]
    rows = coefficients[coefficients["subject"] == subject].set_index("method")
    pick = ["intercept", "slope"]
    lines = {
        "one line for all (complete pooling)": tuple(rows.loc["complete pooling", pick]),
        "own data only (no pooling)": tuple(rows.loc["no pooling", pick]),
        "mixed model (partial pooling)": tuple(rows.loc["partial pooling", pick]),
        "your guess": tuple(guess),
    }
    return person_chart(_points(round_, subject), lines, _max_day(round_),
                        f"{subject}: the three kinds of pooling",
                        y_domain(round_.data, lines, _max_day(round_)))


def _line_rows(kind: str, intercept: float, slope: float, days: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"days": days, "reaction": intercept + slope * days, "line": kind})


def lines_frame(lines: dict[str, tuple[float, float]], max_day: int) -> pd.DataFrame:
    """Two points per line ({kind: (intercept, slope)}), from day 0 to max_day."""
    days = np.array([0.0, float(max_day)])
    return pd.concat([_line_rows(k, float(a), float(b), days) for k, (a, b) in lines.items()
                      if np.isfinite(a) and np.isfinite(b)], ignore_index=True)


def person_chart(points: pd.DataFrame, lines: dict[str, tuple[float, float]], max_day: int,
                 title: str, y_domain: list[float] | None = None) -> alt.LayerChart:
    """One person's measurements and the given lines ({kind: (intercept, slope)}); lines are
    clipped to the plot, so one that runs off never covers the title or the axes."""
    frame = lines_frame(lines, max_day)
    kinds = [k for k in LINES if k in set(frame["line"])]
    scale = alt.Scale(domain=y_domain, zero=False) if y_domain else alt.Scale(zero=False)
    x = alt.X("days:Q", title="days of sleep deprivation", scale=alt.Scale(domain=[0, max_day]),
              axis=alt.Axis(tickMinStep=1))
    line_marks = alt.Chart(frame).mark_line(strokeWidth=3, clip=True).encode(
        x=x,
        y=alt.Y("reaction:Q", title="reaction time (ms)", scale=scale),
        color=alt.Color("line:N", title=None,
                        scale=alt.Scale(domain=kinds, range=[LINES[k][0] for k in kinds])),
        strokeDash=alt.StrokeDash("line:N", title=None,
                                  scale=alt.Scale(domain=kinds,
                                                  range=[LINES[k][1] for k in kinds])),
    )
    dots = alt.Chart(points).mark_circle(size=110, color=INK, opacity=0.9).encode(
        x=x, y=alt.Y("reaction:Q", scale=scale), tooltip=["days:Q", "reaction:Q"])
    return alt.layer(line_marks, dots).properties(title=title)


def shrinkage_chart(coefficients: pd.DataFrame, ellipses: dict, chosen: list[str],
                    population: tuple[float, float]) -> alt.LayerChart:
    """Each person's (intercept, slope): an arrow from their own estimate (open circle) to the
    mixed model's (filled), inside the model's population contours (50% and 95%)."""
    wide = coefficients.pivot(index="subject", columns="method", values=["intercept", "slope"])
    arrows = pd.DataFrame({
        "subject": wide.index,
        "x": wide[("intercept", "no pooling")], "y": wide[("slope", "no pooling")],
        "x2": wide[("intercept", "partial pooling")], "y2": wide[("slope", "partial pooling")],
    }).dropna()
    arrows["who"] = np.where(arrows["subject"].isin(chosen), "your participants", "others")
    x = alt.X("x:Q", title="intercept: reaction time on day 0 (ms)", scale=alt.Scale(zero=False))
    y = alt.Y("y:Q", title="slope: change per day (ms/day)", scale=alt.Scale(zero=False))
    rings = []
    for level, pts in ellipses.items():
        ring = pd.DataFrame(pts).assign(order=lambda d: np.arange(len(d)), ring=level)
        rings.append(alt.Chart(ring).mark_line(color=MUTED, strokeDash=[3, 3]).encode(
            x=x, y=y, order="order:Q"))
        label = ring.iloc[[int(np.argmax(ring["y"]))]].assign(text=f"{level} of people")
        rings.append(alt.Chart(label).mark_text(dy=-8, fontSize=12, color=INK).encode(
            x=x, y=y, text="text:N"))
    emphasis = alt.condition(alt.datum.who == "your participants", alt.value(ACCENT),
                             alt.value(MUTED))
    rules = alt.Chart(arrows).mark_rule(strokeWidth=2).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q", color=emphasis)
    own = alt.Chart(arrows).mark_point(size=70, filled=False, strokeWidth=2).encode(
        x=x, y=y, color=emphasis, tooltip=["subject:N"])
    model = alt.Chart(arrows).mark_point(size=70, filled=True, color=GOOD).encode(
        x=alt.X("x2:Q"), y=alt.Y("y2:Q"), tooltip=["subject:N"])
    names = alt.Chart(arrows[arrows["who"] == "your participants"]).mark_text(
        dx=8, dy=-8, align="left", fontSize=14, fontWeight="bold", color=ACCENT).encode(
        x=x, y=y, text="subject:N")
    centre = pd.DataFrame({"x": [population[0]], "y": [population[1]], "text": ["population"]})
    cross = alt.Chart(centre).mark_point(shape="cross", size=260, filled=True, color=INK).encode(
        x=x, y=y)
    cross_label = alt.Chart(centre).mark_text(dy=18, fontSize=13, fontWeight="bold").encode(
        x=x, y=y, text="text:N")
    return alt.layer(*rings, rules, own, model, names, cross, cross_label).properties(
        title="Own estimate → mixed model")


def everyone_chart(data: pd.DataFrame, coefficients: pd.DataFrame, max_day: int,
                   columns: int = 3) -> alt.FacetChart:
    """Everybody's own and mixed-model lines, one small panel per person."""
    days = np.array([0.0, float(max_day)])
    kinds = {"no pooling": "own data only (no pooling)",
             "partial pooling": "mixed model (partial pooling)"}
    rows = [
        _line_rows(kinds[r.method], r.intercept, r.slope, days).assign(subject=r.subject)
        for r in coefficients.itertuples()
        if r.method in kinds and np.isfinite(r.intercept) and np.isfinite(r.slope)
    ]
    points = data[["subject", "days", "reaction"]].assign(line="measurements")
    combined = pd.concat([*rows, points], ignore_index=True)
    names = list(kinds.values())
    keep = pd.concat([points["reaction"], *[r["reaction"] for r in rows
                                             if r["line"].iloc[0] == names[1]]])
    pad = max(0.05 * float(keep.max() - keep.min()), 10.0)
    domain = [float(keep.min()) - pad, float(keep.max()) + pad]
    x = alt.X("days:Q", title="days", scale=alt.Scale(domain=[0, max_day]))
    y = alt.Y("reaction:Q", title="ms", scale=alt.Scale(domain=domain, zero=False))
    lines = alt.Chart().transform_filter(alt.datum.line != "measurements").mark_line(
        strokeWidth=2, clip=True).encode(
        x=x, y=y,
        color=alt.Color("line:N", title=None,
                        scale=alt.Scale(domain=names, range=[LINES[k][0] for k in names])),
        strokeDash=alt.StrokeDash("line:N", title=None,
                                  scale=alt.Scale(domain=names,
                                                  range=[LINES[k][1] for k in names])))
    dots = alt.Chart().transform_filter(alt.datum.line == "measurements").mark_circle(
        size=16, color=INK).encode(x=x, y=y)
    return alt.layer(lines, dots, data=combined).properties(width=88, height=85).facet(
        facet=alt.Facet("subject:N", title=None), columns=columns, spacing=8)
