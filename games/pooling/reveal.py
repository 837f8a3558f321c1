"""The pooling game's reveal: numbers, tables and plain words about borrowing strength."""

from __future__ import annotations

import pandas as pd

from ..base import Reveal

__all__ = ["build_reveal", "coefficient_sds"]

PARAMS = ("intercept", "slope")
UNITS = {"intercept": "ms", "slope": "ms/day"}


def coefficient_sds(fit) -> dict:
    """The model's SDs of people's intercepts and slopes, and the residual SD (VarCorr)."""
    vc = fit.varcorr()
    single = vc[(vc["var2"] == "") & (vc["grp"] != "Residual")]
    sds = single["sdcor"].to_numpy(dtype=float)
    return {"intercept": float(sds[0]), "slope": float(sds[1]), "residual": float(fit.sigma)}


def _pulled(own: float, partial: float, population: float) -> float:
    """The share of the way from the own estimate to the population that the model moved."""
    gap = population - own
    return float((partial - own) / gap) if abs(gap) > 1e-9 else float("nan")


def _highlight_table(groups: pd.DataFrame, chosen: list[str], population) -> pd.DataFrame:
    rows = []
    for s in chosen:
        for p, pop in zip(PARAMS, population, strict=True):
            own, part = groups.loc[s, f"no_pool_{p}"], groups.loc[s, f"partial_{p}"]
            rows.append({"who": s, "coefficient": f"{p} ({UNITS[p]})",
                         "days": int(groups.loc[s, "n"]), "own line": own,
                         "mixed model": part, "population": float(pop),
                         "pulled %": 100 * _pulled(own, part, pop)})
    return pd.DataFrame(rows)


def _spread_table(result, sds: dict) -> pd.DataFrame:
    spread = result.spread.copy()
    spread.loc["model's SD of people (VarCorr)"] = [sds["intercept"], sds["slope"]]
    spread.columns = [f"intercepts ({UNITS['intercept']})", f"slopes ({UNITS['slope']})"]
    spread.index = ["own lines", "mixed model", "model's SD (VarCorr)"]
    spread.index.name = "SD across people"
    return spread


def _coefficients(result) -> pd.DataFrame:
    long = result.long().rename(columns={"group": "subject"})
    n = result.groups["n"]
    long["days of data"] = n.reindex(long["subject"]).to_numpy()
    return long


def build_reveal(result, chosen: list[str]) -> Reveal:
    """The Reveal: tables for the page, the contours' ellipses and the explanation."""
    groups, pop = result.groups, result.population.to_numpy(dtype=float)
    sds = coefficient_sds(result.fit)
    normal = result.population_normal
    details = {
        "ellipses": {f"{int(100 * lv)}%": normal.ellipse(lv, 80)[["x", "y"]].to_dict("list")
                     for lv in (0.5, 0.95)},
        "chosen": list(chosen),
    }
    numbers = {"population_intercept": pop[0], "population_slope": pop[1],
               "sd_intercept": sds["intercept"], "sd_slope": sds["slope"],
               "sd_residual": sds["residual"],
               "spread_own_intercept": result.spread.loc["no pooling", "intercept"],
               "spread_model_intercept": result.spread.loc["partial pooling", "intercept"],
               "spread_own_slope": result.spread.loc["no pooling", "slope"],
               "spread_model_slope": result.spread.loc["partial pooling", "slope"]}
    tables = {"highlighted": _highlight_table(groups, chosen, pop),
              "spread": _spread_table(result, sds),
              "coefficients": _coefficients(result),
              "everyone": _everyone(groups)}
    return Reveal(_explanation(groups, chosen, pop, numbers), numbers, tables, details)


def _everyone(groups: pd.DataFrame) -> pd.DataFrame:
    table = groups[["n", "no_pool_intercept", "partial_intercept", "no_pool_slope",
                    "partial_slope"]].copy()
    table.columns = ["days of data", "own intercept", "model intercept", "own slope",
                     "model slope"]
    return table


def _pull_words(p: str, row, pop: float, sd: float) -> str:
    own, partial = row[f"no_pool_{p}"], row[f"partial_{p}"]
    head = f"{p} {partial:.1f} {UNITS[p]} (own {own:.1f}"
    if abs(own - pop) < 0.25 * sd:
        return f"{head}, already near the population's {pop:.1f})"
    return f"{head}, pulled {100 * _pulled(own, partial, pop):.0f}% of the way to {pop:.1f})"


def _overshoot(p: str, row, pop: float, sd: float) -> bool:
    own, partial = row[f"no_pool_{p}"], row[f"partial_{p}"]
    outside = max(min(own, pop) - partial, partial - max(own, pop), 0.0)
    return outside > 0.15 * max(abs(own - pop), 0.5 * sd, 2.0 if p == "intercept" else 0.5)


def _explanation(groups, chosen, pop, num) -> str:
    lines = [
        f"**Borrowing strength.** The model estimates that people really differ with an SD "
        f"of {num['sd_intercept']:.1f} ms in their day-0 reaction time and "
        f"{num['sd_slope']:.1f} ms/day in their slope, while one measurement scatters around "
        f"a person's own line with an SD of {num['sd_residual']:.1f} ms. It weighs each "
        "person's own line against that knowledge about people in general.",
    ]
    for s in chosen:
        row = groups.loc[s]
        parts = [_pull_words(p, row, pv, num[f"sd_{p}"]) for p, pv in zip(PARAMS, pop, strict=True)]
        lines.append(f"**{s}** ({int(row['n'])} days of data): " + "; ".join(parts) + ".")
        if any(_overshoot(p, row, pv, num[f"sd_{p}"]) for p, pv in zip(PARAMS, pop, strict=True)):
            lines.append(
                f"For {s} the model goes clearly *past* the range between the two. Intercept "
                "and slope are estimated together: when the slope is pulled a long way, the "
                "intercept shifts so that the line still passes close to this person's few "
                "points (and the model's intercept-slope correlation adds its own pull).")
    lines += [
        "**Fewer observations, more pull.** A line through two or three noisy days says "
        "little about the person, so the model leans on the population; after ten days the "
        "person's own line is trusted more. Slopes need more days than intercepts, so they "
        "are usually pulled harder.",
        "**Far from the mean, pulled further.** The pull is a share of the distance to the "
        "population line, so an extreme own estimate moves by the most milliseconds. Extreme "
        "estimates are the likeliest to be partly luck.",
        f"**Less spread.** The own lines' intercepts spread with an SD of "
        f"{num['spread_own_intercept']:.1f} ms, the mixed model's with "
        f"{num['spread_model_intercept']:.1f} ms (slopes: {num['spread_own_slope']:.1f} "
        f"versus {num['spread_model_slope']:.1f} ms/day). Own lines add measurement noise to "
        "real differences between people; partial pooling removes much of it.",
    ]
    return "\n\n".join(lines)

