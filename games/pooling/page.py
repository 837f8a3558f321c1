"""Be the BLUP: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import streamlit as st

from games import charts
from games.base import Question, Round, Score
from games.pooling import GAME
from games.pooling import charts as pool_charts
from games.pooling.logic import PARAMS, covered
from games.ui import Form, layered_reveal, play, round_cache, show_chart, style_table


@round_cache
def _guess_template(round_: Round, subject: str) -> dict:
    """The guess picture of one person; the page swaps in the lines for each new guess."""
    return charts.to_spec(charts.style(pool_charts.guess_chart(round_, subject), height=400))


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
    lines = pool_charts.given_lines(round_, subject) | {
        "your guess": (values[row[0]], values[row[1]])}
    spec = charts.with_rows(_guess_template(round_, subject),
                            pool_charts.lines_frame(lines, int(round_.data["days"].max())),
                            having="line")
    show_chart(spec, f"{subject}'s measurements with their own line, the population line "
                     "and your guessed line.")
    st.caption("The picture keeps everybody's measurements in view; a line that runs steeper "
               "than that is cut at the picture's edge.")


FORM = Form(rows=_rows, before_row=_before_row, after_row=_after_row, start=_start, live=True)


@round_cache
def _reveal_specs(round_: Round, answer: tuple) -> dict:
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


def _numbers_table(highlighted, answer: dict):
    """The guessed numbers beside the model's, narrow enough for a phone."""
    number = [f"{w} {c}" for w, c in zip(highlighted["who"], highlighted["coefficient"],
                                          strict=True)]
    guess = [answer[f"{w}.{c.split()[0]}"] for w, c in zip(
        highlighted["who"], highlighted["coefficient"], strict=True)]
    table = highlighted.assign(number=number, yours=guess).set_index("number")[
        ["own line", "yours", "mixed model", "population", "pulled %"]]
    table.columns = ["own", "yours", "model", "population", "pulled %"]
    return table


def _covered(round_: Round, answer: dict, subject: str) -> float:
    """The share of the way from the own line to the model's that the guessed line covered
    (what the score is made of)."""
    target = round_.context["targets"][subject]
    own = tuple(target[p]["own"] for p in PARAMS)
    right = tuple(round_.solution[f"{subject}.{p}"] for p in PARAMS)
    guess = tuple(answer[f"{subject}.{p}"] for p in PARAMS)
    return covered(guess, own, right, round_.context["max_day"], target["floor"])


def _split(explanation: str, chosen: list[str]) -> tuple[str, str]:
    """The lead (how much the model trusts people, and each highlighted person's numbers)
    and the rest."""
    paras = explanation.split("\n\n")
    lead = [p for p in paras if p.startswith("**Borrowing")
            or any(p.startswith(f"**{s}**") for s in chosen)]
    return "\n\n".join(lead), "\n\n".join(p for p in paras if p not in lead)


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    tables = round_.reveal.tables
    specs = _reveal_specs(round_, tuple(sorted(answer.items())))
    chosen = round_.context["highlighted"]
    lead, why = _split(round_.reveal.explanation, chosen)
    numbers = [(f"{s}: your line covered", f"{max(0.0, _covered(round_, answer, s)):.0%}",
                "how much of the way from the person's own line to the mixed model's line "
                "your line went (the score)") for s in chosen]

    def people() -> None:
        for subject in chosen:
            show_chart(specs[subject], f"{subject}'s measurements with the complete, no and "
                                       "partial pooling lines and your guess.")

    def guesses() -> None:
        st.table(style_table(_numbers_table(tables["highlighted"], answer), 1, na_rep="–"))
        st.caption("own: no pooling · model: partial pooling · pulled: how much of the way "
                   "from the own line to the population the mixed model moved the number (–: "
                   "the own number is already near the population's).")

    def shrinkage() -> None:
        show_chart(specs["shrinkage"], "Each person's intercept and slope: a line from their "
                                       "own estimate to the mixed model's, inside the model's "
                                       "50% and 95% population contours.")
        st.caption("Each line runs from a person's own estimate (open circle) to the mixed "
                   "model's (filled circle). Dashed rings: where the model expects 50% and 95% "
                   "of people's (intercept, slope) pairs. People with one day of data have no "
                   "own slope and no line.")
        st.markdown("**Spread across people**")
        st.table(style_table(tables["spread"], 1))
        st.caption("own lines: no pooling · mixed model: partial pooling · model's SD: the "
                   "subject standard deviations of the fitted model (VarCorr).")

    def everyone() -> None:
        st.vega_lite_chart(spec=specs["everyone"], width="content",
                           alt="Every person's own line and mixed-model line in small "
                               "panels.")
        st.dataframe(style_table(tables["everyone"], 1))

    layered_reveal(
        numbers, lead, main=people,
        sections=[("Your guesses beside the mixed model", guesses),
                  ("Why, in words", lambda: st.markdown(why)),
                  ("Shrinkage: everybody at once", shrinkage),
                  ("Everybody's lines", everyone)])


if __name__ == "__main__":  # st.Page runs this file; the class projector imports it
    play(GAME, show_reveal, form=FORM)
