"""Be the BLUP: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import streamlit as st

from games import charts
from games.base import Round, Score
from games.pooling import charts as pool_charts
from games.ui import cached_round, play, show_chart, style_table

FORMATS = {"intercept": "%.0f", "slope": "%.1f"}


@st.cache_data(max_entries=256, show_spinner=False)
def _guess_template(seed: int, difficulty: str, subject: str) -> dict:
    """The guess picture of one person; the page swaps in the lines for each new guess."""
    round_ = cached_round("pooling", seed, difficulty)
    return charts.to_spec(charts.style(pool_charts.guess_chart(round_, subject), height=400))


def ask(round_: Round):
    guesses = {}
    for subject in round_.context["highlighted"]:
        target = round_.context["targets"][subject]
        st.subheader(f"{subject}: {target['n']} days of data")
        left, right = st.columns(2)
        for col, param in zip((left, right), ("intercept", "slope"), strict=True):
            q = round_.question(f"{subject}.{param}")
            start = min(max(round(target[param]["own"], 1), q.low), q.high)
            guesses[q.id] = col.number_input(
                q.text, min_value=float(q.low), max_value=float(q.high), value=float(start),
                step=float(q.step), format=FORMATS[param], key=f"pooling.form.{q.id}",
                help=q.help)
            col.caption(f"own line {target[param]['own']:.1f} · population "
                        f"{target[param]['population']:.1f} {q.unit}")
        lines = pool_charts.given_lines(round_, subject) | {
            "your guess": (guesses[f"{subject}.intercept"], guesses[f"{subject}.slope"])}
        spec = charts.with_rows(_guess_template(round_.seed, round_.difficulty, subject),
                                pool_charts.lines_frame(lines, int(round_.data["days"].max())),
                                having="line")
        show_chart(spec, f"{subject}'s measurements with their own line, the population line "
                         "and your guessed line.")
        st.caption("The picture keeps everybody's measurements in view; a line that runs "
                   "steeper than that is cut at the picture's edge.")
    if st.button("Check my answer", type="primary", key="pooling.check"):
        return guesses
    return None


@st.cache_data(max_entries=256, show_spinner=False)
def _reveal_specs(seed: int, difficulty: str, answer: tuple) -> dict:
    round_ = cached_round("pooling", seed, difficulty)
    guess = dict(answer)
    coefficients = round_.reveal.tables["coefficients"]
    out = {s: charts.to_spec(charts.style(pool_charts.reveal_chart(
        round_, s, (guess[f"{s}.intercept"], guess[f"{s}.slope"])), height=420))
        for s in round_.context["highlighted"]}
    num, details = round_.reveal.numbers, round_.reveal.details
    out["shrinkage"] = charts.to_spec(charts.style(pool_charts.shrinkage_chart(
        coefficients, details["ellipses"], details["chosen"],
        (num["population_intercept"], num["population_slope"])), height=500))
    out["everyone"] = charts.to_spec(charts.style(pool_charts.everyone_chart(
        round_.data.dropna(), coefficients, int(round_.data["days"].max())), height=None))
    return out


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    tables = round_.reveal.tables
    specs = _reveal_specs(round_.seed, round_.difficulty, tuple(sorted(answer.items())))
    st.subheader("Where the mixed model puts them")
    for subject in round_.context["highlighted"]:
        show_chart(specs[subject], f"{subject}'s measurements with the complete, no and "
                                   "partial pooling lines and your guess.")
    table = tables["highlighted"].copy()
    table.insert(4, "your guess", [answer[f"{s}.{c.split()[0]}"]
                                   for s, c in zip(table["who"], table["coefficient"],
                                                   strict=True)])
    st.dataframe(style_table(table, 1), hide_index=True)
    st.caption("own line: no pooling · mixed model: partial pooling · pulled %: how far of the "
               "way from the own line to the population the mixed model moved.")
    st.markdown(round_.reveal.explanation)
    st.subheader("Shrinkage: everybody at once")
    show_chart(specs["shrinkage"], "Each person's intercept and slope: a line from their own "
                                   "estimate to the mixed model's, inside the model's 50% and "
                                   "95% population contours.")
    st.caption("Each line runs from a person's own estimate (open circle) to the mixed model's "
               "(filled circle). Dashed rings: where the model expects 50% and 95% of people's "
               "(intercept, slope) pairs. People with one day of data have no own slope and "
               "no line.")
    st.markdown("**Spread across people**")
    st.dataframe(style_table(tables["spread"], 1))
    st.caption("own lines: no pooling · mixed model: partial pooling · model's SD: the "
               "subject standard deviations of the fitted model (VarCorr).")
    with st.expander("Everybody's lines"):
        st.vega_lite_chart(spec=specs["everyone"], alt="Every person's own line and mixed-model "
                                                       "line in small panels.")
        st.dataframe(style_table(tables["everyone"], 1))


play("pooling", ask=ask, show_reveal=show_reveal)
