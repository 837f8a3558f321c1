"""The pooling game's reveal: numbers, tables and plain words about borrowing strength."""

from __future__ import annotations

import pandas as pd

from ..base import Reveal

__all__ = ["build_reveal", "coefficient_sds"]

PARAMS = ("intercept", "slope")
UNITS = {"intercept": "ms", "slope": "ms/day"}


def coefficient_sds(fit) -> dict:
    """The model's SDs of people's intercepts and slopes, their correlation, and the residual
    SD (VarCorr)."""
    vc = fit.varcorr()
    single = vc[(vc["var2"] == "") & (vc["grp"] != "Residual")]
    sds = single["sdcor"].to_numpy(dtype=float)
    pair = vc.loc[vc["var2"] != "", "sdcor"].to_numpy(dtype=float)
    return {"intercept": float(sds[0]), "slope": float(sds[1]), "residual": float(fit.sigma),
            "correlation": float(pair[0]) if pair.size else 0.0}


def _pulled(own: float, partial: float, population: float) -> float:
    """The share of the way from the own estimate to the population that the model moved."""
    gap = population - own
    return float((partial - own) / gap) if abs(gap) > 1e-9 else float("nan")


def _highlight_table(groups: pd.DataFrame, chosen: list[str], population,
                     sds: dict) -> pd.DataFrame:
    """The guessed numbers; "pulled %" is left empty where the own value is already near the
    population's (a quarter of the SD of people), where a share of a tiny gap means nothing."""
    rows = []
    for s in chosen:
        for p, pop in zip(PARAMS, population, strict=True):
            own, part = groups.loc[s, f"no_pool_{p}"], groups.loc[s, f"partial_{p}"]
            near = abs(own - pop) < 0.25 * sds[p]
            rows.append({"who": s, "coefficient": f"{p} ({UNITS[p]})",
                         "days": int(groups.loc[s, "n"]), "own line": own,
                         "mixed model": part, "population": float(pop),
                         "pulled %": float("nan") if near else 100 * _pulled(own, part, pop)})
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


def build_reveal(result, chosen: list[str], data: pd.DataFrame) -> Reveal:
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
               "sd_residual": sds["residual"], "correlation": sds["correlation"],
               "spread_own_intercept": result.spread.loc["no pooling", "intercept"],
               "spread_model_intercept": result.spread.loc["partial pooling", "intercept"],
               "spread_own_slope": result.spread.loc["no pooling", "slope"],
               "spread_model_slope": result.spread.loc["partial pooling", "slope"]}
    tables = {"highlighted": _highlight_table(groups, chosen, pop, sds),
              "spread": _spread_table(result, sds),
              "coefficients": _coefficients(result),
              "everyone": _everyone(groups)}
    centres = data.dropna().groupby("subject")["days"].mean()
    return Reveal(_explanation(groups, chosen, pop, numbers, centres), numbers, tables, details)


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


def _outside(p: str, row, pop: float, sd: float) -> float:
    """How far the model's estimate lies outside the range from the own estimate to the
    population's (0 inside), as a share of that range (at least half an SD of people)."""
    own, partial = row[f"no_pool_{p}"], row[f"partial_{p}"]
    outside = max(min(own, pop) - partial, partial - max(own, pop), 0.0)
    return outside / max(abs(own - pop), 0.5 * sd)


def _together(s: str, row, pop, num: dict, centre: float) -> str:
    """Two-dimensional shrinkage in words, for a person with a number that leaves the range
    between their own estimate and the population's (named with the numbers on screen)."""
    odd = max(PARAMS, key=lambda p: _outside(p, row, pop[PARAMS.index(p)], num[f"sd_{p}"]))
    lead = PARAMS[1 - PARAMS.index(odd)]
    own, partial, target = (row[f"no_pool_{odd}"], row[f"partial_{odd}"],
                            pop[PARAMS.index(odd)])
    where = ("moved *away* from the population's" if abs(partial - target) > abs(own - target)
             else "went *past* the population's")
    up = "up" if row["partial_intercept"] > row["no_pool_intercept"] else "down"
    how = ("when the slope turns, the line pivots there and the intercept (day 0) swings "
           "with it" if lead == "slope" else
           f"when the intercept (day 0) is pulled {up}, the slope has to change for the line "
           "to stay close to their data")
    share = ("" if abs(own - target) < 0.25 * num[f"sd_{odd}"]
             else f" ({100 * _pulled(own, partial, target):.0f}% of the way)")
    text = (
        f"**Two numbers move together.** {s}'s {lead} was pulled from "
        f"{row[f'no_pool_{lead}']:.1f} to {row[f'partial_{lead}']:.1f} {UNITS[lead]}. "
        f"{s}'s data pin the line down near the middle of their days (day {centre:.1f}), so "
        f"{how}. That is why {s}'s {odd} {where} {target:.1f}: {own:.1f} → {partial:.1f} "
        f"{UNITS[odd]}{share}.")
    return text


def _pairs_words(num: dict) -> str:
    """The general point behind two-dimensional shrinkage, said once."""
    r = num["correlation"]
    text = ("**Shrinkage acts on the pair** (intercept, slope): in the picture below, each "
            "person's point moves toward the population's centre as a whole, not one number "
            "at a time.")
    if abs(r) >= 0.2:
        text += (f" The model also estimates that people's intercepts and slopes are "
                 f"correlated (r = {r:.2f}: people who start "
                 f"{'higher' if r > 0 else 'lower'} tend to slow down "
                 f"{'faster' if r > 0 else 'less'}), which adds a pull of its own.")
    return text


def _explanation(groups, chosen, pop, num, centres) -> str:
    lines = [
        f"**Borrowing strength.** The model estimates that people really differ with an SD "
        f"of {num['sd_intercept']:.1f} ms in their day-0 reaction time and "
        f"{num['sd_slope']:.1f} ms/day in their slope, while one measurement scatters around "
        f"a person's own line with an SD of {num['sd_residual']:.1f} ms. It weighs each "
        "person's own line against that knowledge about people in general.",
    ]
    together = False
    for s in chosen:
        row = groups.loc[s]
        parts = [_pull_words(p, row, pv, num[f"sd_{p}"]) for p, pv in zip(PARAMS, pop, strict=True)]
        lines.append(f"**{s}** ({int(row['n'])} days of data): " + "; ".join(parts) + ".")
        if any(_outside(p, row, pv, num[f"sd_{p}"]) > 0.02
               for p, pv in zip(PARAMS, pop, strict=True)):
            lines.append(_together(s, row, pop, num, float(centres[s])))
            together = True
    if together:
        lines.append(_pairs_words(num))
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

