"""How sure are we? The page (run by st.Page; the round logic is in logic.py).

The bootstraps are the game's slow reveal (GAME.slow, reveal.reveal_numbers): the round loop
runs them once per round after the answer, under a progress bar; show_reveal reads them with
slow_result.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from games import charts
from games.base import Round, Score
from games.bootstrap import GAME
from games.bootstrap import charts as boot_charts
from games.bootstrap.logic import KIND_WORDS
from games.bootstrap.reveal import TOO_NARROW, bootstrap_story, bootstrap_table, too_narrow
from games.ui import (
    Form,
    layered_reveal,
    paragraphs,
    play,
    round_cache,
    show_chart,
    slow_result,
    style_table,
)

WHAT = {"slope": "slope", "within": "treatment − control difference",
        "crossed": "average reading time"}
HIST_COLOURS = {"parametric": charts.GOOD, "cluster": "#7570b3", "case": charts.ACCENT}


def _what(round_: Round) -> str:
    return WHAT[round_.context["design"]]


@round_cache
def _people_template(round_: Round) -> dict:
    """The people picture of a round; the guess layer's row is swapped in on every rerun."""
    ctx = round_.context
    chart = boot_charts.people_chart(ctx["own"], ctx["estimate"], ctx["unit"], _what(round_),
                                     guess=(ctx["estimate"], ctx["estimate"]))
    return charts.to_spec(charts.style(chart, height=300))


@round_cache
def _words_spec(round_: Round) -> dict:
    ctx = round_.context
    return charts.to_spec(charts.style(boot_charts.words_chart(ctx["own"], ctx["rare"]),
                                       height=260))


def _words(round_: Round) -> None:
    ctx = round_.context
    show_chart(_words_spec(round_),
               f"Dot plot of the {ctx['n_items']} words' average reading times, frequent "
               "words in one row and rare words in the other, each row's average marked.")
    st.caption(f"Each dot is one word: its average reading time over the {ctx['n_people']} "
               "participants. The frequency effect is the difference between the two rows' "
               "averages.")


def _people(round_: Round, lower=None, upper=None) -> None:
    ctx = round_.context
    if ctx["design"] == "crossed":
        _words(round_)
        return
    spec = charts.with_rows(_people_template(round_),
                            boot_charts.guess_rows(lower, upper), having="end")
    show_chart(spec, f"Dot plot of the {ctx['n_people']} {ctx['people']}'s own "
                     f"{_what(round_)}s with the model's average marked"
                     + (f" and your interval from {lower:.1f} to {upper:.1f} below them."
                        if lower is not None and upper is not None else "."))
    st.caption(f"Each dot is one of the {ctx['n_people']} {ctx['people']}: their own "
               f"{_what(round_)} from their data alone. They spread with an SD of "
               f"{ctx['sd_people']:.1f} {ctx['unit']}.")


def show_question(round_: Round) -> None:
    if round_.context["variant"] == "judge":
        _people(round_)
    elif round_.context["show_se"]:
        st.markdown("**lme4's summary: the fixed effects**")
        st.dataframe(style_table(round_.reveal.tables["coefficients"], 2))


def _rows(round_: Round) -> list[list[str]]:
    """Both ends of an interval side by side."""
    return [[q.id for q in round_.questions]]


def _guess_picture(round_: Round, row: list[str], columns, values: dict) -> None:
    """Interval rounds: the people picture follows the typed interval."""
    if round_.context["variant"] == "judge":
        return
    lower, upper = values.get("lower"), values.get("upper")
    ready = lower is not None and upper is not None and lower < upper
    _people(round_, lower if ready else None, upper if ready else None)


FORM = Form(rows=_rows, after_row=_guess_picture, live=True)


def _interval_rows(round_: Round, boot: dict, answer: dict) -> pd.DataFrame:
    table = bootstrap_table(round_, boot)
    kinds = ["model"] * (len(table) - len(boot)) + ["bootstrap"] * len(boot)
    rows = table[["interval", "lower", "upper"]].assign(kind=kinds)
    if round_.context["variant"] == "interval":
        lo, hi = sorted((float(answer["lower"]), float(answer["upper"])))
        rows = pd.concat([pd.DataFrame({"interval": ["your guess"], "lower": [lo],
                                        "upper": [hi], "kind": ["your guess"]}), rows],
                         ignore_index=True)
    return rows


@round_cache(max_entries=64)
def _reveal_specs(round_: Round, answer: tuple) -> dict:
    """The reveal's pictures."""
    boot, num, ctx = slow_result(round_), round_.reveal.numbers, round_.context
    rows = _interval_rows(round_, boot, dict(answer))
    out = {"intervals": charts.to_spec(charts.style(boot_charts.intervals_chart(
        rows, num["estimate"], num["truth"], ctx["unit"], ctx["effect"]),
        height=170 + 50 * len(rows)))}
    model = rows[rows["kind"] != "your guess"]  # a far-off guess must not squeeze the bars
    everything = [v for k in boot for v in boot[k]["values"]] + list(model["lower"]) \
        + list(model["upper"])
    pad = 0.03 * (max(everything) - min(everything))
    domain = [min(everything) - pad, max(everything) + pad]
    for kind in boot:
        title = f"{KIND_WORDS[kind]}: {boot[kind]['n']} refits"
        out[kind] = charts.to_spec(charts.style(boot_charts.histogram_chart(
            boot[kind]["values"], boot[kind]["lower"], boot[kind]["upper"],
            (num["profile_lower"], num["profile_upper"]), domain, title, ctx["unit"],
            ctx["effect"], HIST_COLOURS[kind]), height=250))
    return out


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    ctx, num, explanation = round_.context, round_.reveal.numbers, round_.reveal.explanation
    boot = slow_result(round_)
    specs = _reveal_specs(round_, tuple(sorted(answer.items())))
    count = {2: "two", 3: "three"}[len(boot)]
    reference = "Wald" if ctx["reference_kind"] == "Wald" else "profile"
    numbers = [(f"The model's 95% interval ({reference})",
                f"{num['profile_lower']:.1f} to {num['profile_upper']:.1f}", ctx["unit"])]
    if ctx["variant"] == "interval":
        lo, hi = sorted((float(answer["lower"]), float(answer["upper"])))
        numbers.insert(0, ("Your interval", f"{lo:.1f} to {hi:.1f}", ctx["unit"]))
    else:
        narrow = [KIND_WORDS[k].lower() for k in too_narrow(boot)]
        numbers.append(("Bootstraps too narrow here", f"{len(narrow)} of {len(boot)}",
                        (", ".join(narrow) if narrow else "none of them")
                        + f": under {TOO_NARROW:.0%} of the {reference} interval's width"))

    def intervals() -> None:
        show_chart(specs["intervals"], "Every 95% interval as a horizontal bar: "
                   + ("your guess, " if ctx["variant"] == "interval" else "")
                   + f"the model's and the {count} bootstrap percentile intervals, with the "
                     "estimate and the true value as vertical lines.")
        st.caption("Solid line: the model's estimate. Dashed line: the true value the data "
                   f"were simulated with. Green bars: lme4's intervals; purple: the {count} "
                   "bootstraps" + ("; orange: your guess." if ctx["variant"] == "interval"
                                   else "."))

    def histograms() -> None:
        for kind in boot:
            show_chart(specs[kind], f"Histogram of the {KIND_WORDS[kind].lower()} bootstrap's "
                                    f"estimates, with its 95% percentile interval from "
                                    f"{boot[kind]['lower']:.1f} to {boot[kind]['upper']:.1f}.")
        st.caption("Bars: the estimate in each refit. Dashed lines: the middle 95% of them (the "
                   f"percentile interval). Grey band: the model's {reference} interval, the "
                   "same in every panel.")

    def story() -> None:
        st.markdown(bootstrap_story(round_, boot))
        st.dataframe(style_table(bootstrap_table(round_, boot), 2), hide_index=True)

    layered_reveal(
        numbers, paragraphs(explanation, 0, 1), main=intervals,
        sections=[("What the bootstraps tell us", story),
                  ("What the model says, in words", lambda: st.markdown(
                      paragraphs(explanation, 1))),
                  (f"The {count} bootstraps, refit by refit", histograms),
                  ("The data", lambda: st.dataframe(round_.data, hide_index=True,
                                                    height=260))])


if __name__ == "__main__":  # st.Page runs this file; the class projector imports it
    play(GAME, show_reveal, show_question=show_question, form=FORM)
