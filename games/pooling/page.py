"""Be the BLUP: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from games import charts
from games.base import Question, Round, Score
from games.pooling import GAME
from games.pooling import charts as pool_charts
from games.ui import Form, layered_reveal, paragraphs, play, round_cache, show_chart, style_table

GIVEN = ("own data only (no pooling)", "population line")


def _max_day(round_: Round) -> int:
    return int(round_.data["days"].max())


def _y_domain(round_: Round) -> list[float]:
    values = round_.data["reaction"].dropna()
    return [float(values.min()) - 20, float(values.max()) + 20]


def _points(round_: Round, subject: str) -> pd.DataFrame:
    data = round_.data
    return data[data["subject"] == subject].dropna()


def _given_lines(round_: Round, subject: str) -> dict:
    target = round_.context["targets"][subject]
    return {
        GIVEN[0]: (target["intercept"]["own"], target["slope"]["own"]),
        GIVEN[1]: (target["intercept"]["population"], target["slope"]["population"]),
    }


@round_cache
def _guess_template(round_: Round, subject: str) -> dict:
    """The guess picture of one person; the page swaps in the lines for each new guess."""
    lines = _given_lines(round_, subject) | {"your guess": _given_lines(round_, subject)[GIVEN[0]]}
    chart = pool_charts.person_chart(_points(round_, subject), lines, _max_day(round_),
                                     f"{subject}: your guess so far", _y_domain(round_))
    return charts.to_spec(charts.style(chart, height=400))


def _rows(round_: Round) -> list[list[str]]:
    """Each highlighted person's two numbers side by side."""
    return [[f"{s}.intercept", f"{s}.slope"] for s in round_.context["highlighted"]]


def _subject(row: list[str]) -> str:
    return row[0].rsplit(".", 1)[0]


def _start(round_: Round, q: Question) -> float:
    """Each box starts at the person's own line (no pooling), inside the allowed range."""
    subject, param = q.id.rsplit(".", 1)
    own = round_.context["targets"][subject][param]["own"]
    return float(min(max(round(own, 1), q.low), q.high))


def _before_row(round_: Round, row: list[str], columns) -> None:
    subject = _subject(row)
    st.subheader(f"{subject}: {round_.context['targets'][subject]['n']} days of data")


def _after_row(round_: Round, row: list[str], columns, values: dict) -> None:
    """Under each box the two given lines; under the pair, the picture with the guess."""
    subject = _subject(row)
    target = round_.context["targets"][subject]
    for column, question_id in zip(columns, row, strict=True):
        param, q = question_id.rsplit(".", 1)[1], round_.question(question_id)
        column.caption(f"own line {target[param]['own']:.1f} · population "
                       f"{target[param]['population']:.1f} {q.unit}")
    lines = _given_lines(round_, subject) | {"your guess": (values[row[0]], values[row[1]])}
    spec = charts.with_rows(_guess_template(round_, subject),
                            pool_charts.lines_frame(lines, _max_day(round_)), having="line")
    show_chart(spec, f"{subject}'s measurements with their own line, the population line "
                     "and your guessed line.")


FORM = Form(rows=_rows, before_row=_before_row, after_row=_after_row, start=_start, live=True)


@round_cache
def _reveal_specs(round_: Round, answer: tuple) -> dict:
    guess = dict(answer)
    coefficients = round_.reveal.tables["coefficients"]
    out = {}
    for subject in round_.context["highlighted"]:
        rows = coefficients[coefficients["subject"] == subject].set_index("method")
        pick = ["intercept", "slope"]
        lines = {
            "one line for all (complete pooling)": tuple(rows.loc["complete pooling", pick]),
            "own data only (no pooling)": tuple(rows.loc["no pooling", pick]),
            "mixed model (partial pooling)": tuple(rows.loc["partial pooling", pick]),
            "your guess": (guess[f"{subject}.intercept"], guess[f"{subject}.slope"]),
        }
        out[subject] = charts.to_spec(charts.style(pool_charts.person_chart(
            _points(round_, subject), lines, _max_day(round_),
            f"{subject}: the three kinds of pooling", _y_domain(round_)), height=420))
    num, details = round_.reveal.numbers, round_.reveal.details
    out["shrinkage"] = charts.to_spec(charts.style(pool_charts.shrinkage_chart(
        coefficients, details["ellipses"], details["chosen"],
        (num["population_intercept"], num["population_slope"])), height=500))
    out["everyone"] = charts.to_spec(charts.style(pool_charts.everyone_chart(
        round_.data.dropna(), coefficients, _max_day(round_)), height=None))
    return out


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    tables, explanation = round_.reveal.tables, round_.reveal.explanation
    specs = _reveal_specs(round_, tuple(sorted(answer.items())))
    chosen = round_.context["highlighted"]
    pulled = tables["highlighted"].set_index(["who", "coefficient"])["pulled %"]
    numbers = [(f"{s}: slope pulled", f"{pulled[s].iloc[1]:.0f}%",
                "how far of the way from the person's own slope to the population's the "
                "mixed model moved it") for s in chosen]

    def people() -> None:
        for subject in chosen:
            show_chart(specs[subject], f"{subject}'s measurements with the complete, no and "
                                       "partial pooling lines and your guess.")

    def guesses() -> None:
        table = tables["highlighted"].copy()
        table.insert(4, "your guess", [answer[f"{s}.{c.split()[0]}"]
                                       for s, c in zip(table["who"], table["coefficient"],
                                                       strict=True)])
        st.dataframe(style_table(table, 1), hide_index=True)
        st.caption("own line: no pooling · mixed model: partial pooling · pulled %: how far of "
                   "the way from the own line to the population the mixed model moved.")

    def shrinkage() -> None:
        show_chart(specs["shrinkage"], "Each person's intercept and slope: a line from their "
                                       "own estimate to the mixed model's, inside the model's "
                                       "50% and 95% population contours.")
        st.caption("Each line runs from a person's own estimate (open circle) to the mixed "
                   "model's (filled circle). Dashed rings: where the model expects 50% and 95% "
                   "of people's (intercept, slope) pairs. People with one day of data have no "
                   "own slope and no line.")
        st.markdown("**Spread across people**")
        st.dataframe(style_table(tables["spread"], 1))
        st.caption("own lines: no pooling · mixed model: partial pooling · model's SD: the "
                   "subject standard deviations of the fitted model (VarCorr).")

    def everyone() -> None:
        st.vega_lite_chart(spec=specs["everyone"], alt="Every person's own line and "
                                                       "mixed-model line in small panels.")
        st.dataframe(style_table(tables["everyone"], 1))

    layered_reveal(
        numbers, paragraphs(explanation, 0, 1 + len(chosen)), main=people,
        sections=[("Your guesses beside the mixed model", guesses),
                  ("Why, in words", lambda: st.markdown(
                      paragraphs(explanation, 1 + len(chosen)))),
                  ("Shrinkage: everybody at once", shrinkage),
                  ("Everybody's lines", everyone)])


if __name__ == "__main__":  # st.Page runs this file; the class projector imports it
    play(GAME, show_reveal, form=FORM)
