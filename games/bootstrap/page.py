"""How sure are we? The page (run by st.Page; the round logic is in logic.py).

The bootstraps are computed on demand after the answer, under a progress bar, and cached by
(seed, difficulty): reveal.reveal_numbers is pure, so the cache is exact.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from games import charts
from games.base import Round, Score
from games.bootstrap import charts as boot_charts
from games.bootstrap.logic import KIND_WORDS
from games.bootstrap.reveal import bootstrap_story, bootstrap_table, reveal_numbers
from games.ui import (
    cached_round,
    choice_form,
    play,
    run_with_progress,
    show_chart,
    style_table,
)

GAME = "bootstrap"
WHAT = {"slope": "slope", "within": "treatment − control difference",
        "crossed": "average reading time"}
HIST_COLOURS = {"parametric": charts.GOOD, "cluster": "#7570b3", "case": charts.ACCENT}


def _what(round_: Round) -> str:
    return WHAT[round_.context["design"]]


@st.cache_data(max_entries=256, show_spinner=False)
def _people_template(seed: int, difficulty: str) -> dict:
    """The people picture of a round; the guess layer's row is swapped in on every rerun."""
    round_ = cached_round(GAME, seed, difficulty)
    ctx = round_.context
    chart = boot_charts.people_chart(ctx["own"], ctx["estimate"], ctx["unit"], _what(round_),
                                     guess=(ctx["estimate"], ctx["estimate"]))
    return charts.to_spec(charts.style(chart, height=300))


@st.cache_data(max_entries=256, show_spinner=False)
def _words_spec(seed: int, difficulty: str) -> dict:
    ctx = cached_round(GAME, seed, difficulty).context
    return charts.to_spec(charts.style(boot_charts.words_chart(ctx["own"], ctx["rare"]),
                                       height=260))


def _words(round_: Round) -> None:
    ctx = round_.context
    show_chart(_words_spec(round_.seed, round_.difficulty),
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
    spec = charts.with_rows(_people_template(round_.seed, round_.difficulty),
                            boot_charts.guess_rows(lower, upper), having="end")
    show_chart(spec, f"Dot plot of the {ctx['n_people']} {ctx['people']}'s own "
                     f"{_what(round_)}s with the model's average marked"
                     + (f" and your interval from {lower:.1f} to {upper:.1f} below them."
                        if lower is not None and upper is not None else "."))
    st.caption(f"Each dot is one of the {ctx['n_people']} {ctx['people']}: their own "
               f"{_what(round_)} from their data alone. They spread with an SD of "
               f"{ctx['sd_people']:.1f} {ctx['unit']}.")


def ask(round_: Round):
    if round_.context["variant"] == "judge":
        _people(round_)
        return choice_form(round_, f"{GAME}.form")
    return _ask_interval(round_)


def _ask_interval(round_: Round):
    ctx = round_.context
    if ctx["show_se"]:
        st.markdown("**lme4's summary: the fixed effects**")
        st.dataframe(style_table(round_.reveal.tables["coefficients"], 2))
    values = {}
    left, right = st.columns(2)
    for col, q in zip((left, right), round_.questions, strict=True):
        values[q.id] = col.number_input(
            q.text, min_value=float(q.low), max_value=float(q.high), value=None,
            step=float(q.step), format="%.1f", key=f"{GAME}.form.{q.id}", help=q.help,
            placeholder=f"between {q.low:.0f} and {q.high:.0f}")
    lower, upper = values["lower"], values["upper"]
    ready = lower is not None and upper is not None and lower < upper
    _people(round_, lower if ready else None, upper if ready else None)
    if not st.button("Check my answer", type="primary", key=f"{GAME}.check"):
        return None
    if lower is None or upper is None:
        st.warning("Type both ends of your interval first.")
        return None
    if lower >= upper:
        st.warning(f"The lower end ({lower:.1f}) must be below the upper end ({upper:.1f}): "
                   "swap or change them.")
        return None
    return values


@st.cache_data(max_entries=64, show_spinner=False)
def _bootstraps(seed: int, difficulty: str) -> dict:
    """The round's bootstraps (up to about a thousand refits), with a progress bar."""
    round_ = cached_round(GAME, seed, difficulty)
    return run_with_progress(lambda progress: reveal_numbers(round_, progress=progress),
                             "Running the bootstraps (refits)")


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


@st.cache_data(max_entries=64, show_spinner=False)
def _reveal_specs(seed: int, difficulty: str, answer: tuple, _boot: dict) -> dict:
    """The reveal's pictures (``_boot`` is not hashed: it is fixed by seed and difficulty)."""
    round_ = cached_round(GAME, seed, difficulty)
    boot, num, ctx = _boot, round_.reveal.numbers, round_.context
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
    ctx = round_.context
    st.subheader("What the model says")
    st.markdown(round_.reveal.explanation)
    boot = _bootstraps(round_.seed, round_.difficulty)
    count = {2: "two", 3: "three"}[len(boot)]
    reference = "Wald" if ctx["reference_kind"] == "Wald" else "profile"
    st.subheader(f"The {count} bootstraps")
    specs = _reveal_specs(round_.seed, round_.difficulty, tuple(sorted(answer.items())),
                           boot)
    show_chart(specs["intervals"], "Every 95% interval as a horizontal bar: "
               + ("your guess, " if ctx["variant"] == "interval" else "")
               + f"the model's and the {count} bootstrap percentile intervals, with the "
                 "estimate and the true value as vertical lines.")
    st.caption("Solid line: the model's estimate. Dashed line: the true value the data were "
               f"simulated with. Green bars: lme4's intervals; purple: the {count} bootstraps"
               + ("; orange: your guess." if ctx["variant"] == "interval" else "."))
    for kind in boot:
        show_chart(specs[kind], f"Histogram of the {KIND_WORDS[kind].lower()} bootstrap's "
                                f"estimates, with its 95% percentile interval from "
                                f"{boot[kind]['lower']:.1f} to {boot[kind]['upper']:.1f}.")
    st.caption("Bars: the estimate in each refit. Dashed lines: the middle 95% of them (the "
               f"percentile interval). Grey band: the model's {reference} interval, the same "
               "in every panel.")
    st.markdown(bootstrap_story(round_, boot))
    st.dataframe(style_table(bootstrap_table(round_, boot), 2), hide_index=True)
    with st.expander("The data"):
        st.dataframe(round_.data, hide_index=True, height=260)


play(GAME, ask=ask, show_reveal=show_reveal)
