"""Nested or crossed?: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from games import charts
from games.base import Round, Score
from games.nesting import GAME
from games.nesting import charts as nest_charts
from games.nesting.designs import RANDOM, reading_counts
from games.nesting.reveal import UNIQUE, UNIQUE_RANDOM, r_printouts
from games.ui import (
    layered_reveal,
    p_value_text,
    paragraphs,
    play,
    round_cache,
    show_chart,
    style_table,
)

ROW_HELP = {
    "REML criterion": "lower fits better; comparable here because the fixed effects are the "
                      "same in every model",
    "SD residual": "how much single pupils (or readings) scatter around what the model "
                   "expects",
}


@round_cache
def _diagram_spec(round_: Round) -> dict:
    diagram = round_.context["diagram"]
    return charts.to_spec(charts.style(nest_charts.diagram_chart(diagram),
                                       height=nest_charts.diagram_height(diagram)))


@round_cache
def _data_spec(round_: Round) -> dict:
    data = round_.data
    if round_.context["family"] == "items":
        chart = nest_charts.reading_chart(data)
    else:
        chart = nest_charts.class_means_chart(data, list(dict.fromkeys(data["school"])))
    return charts.to_spec(charts.style(chart, height=360))


@round_cache
def _printouts(round_: Round) -> dict:
    context = round_.context
    return r_printouts(round_.data, context["family"], [context["right"], context["trap"]])


def _diagram(round_: Round) -> None:
    show_chart(_diagram_spec(round_),
               f"Diagram of the design: {round_.context['diagram']['titles'][0]} on the left, "
               f"{round_.context['diagram']['titles'][1]} on the right, joined by lines; each "
               f"line is {round_.context['diagram']['note']}.")
    st.caption(f"Each line in the diagram is {round_.context['diagram']['note']}.")


def _data_picture(round_: Round) -> None:
    items = round_.context["family"] == "items"
    show_chart(_data_spec(round_),
               "Stacked dots: each word's and each participant's average reading time."
               if items else "Each class's average extraversion minus its school's, per "
                             "school, written as its letter, with lines joining classes that "
                             "share a letter.")
    st.caption("Each dot is one word's average over all participants (top rows) or one "
               "participant's average over all words (bottom row)." if items else
               "Each letter is one class's average minus its school's average, in its "
               "school's column (above the dotted line: above its school). Lines join the "
               "classes with the same letter across schools.")


def show_question(round_: Round) -> None:
    data = round_.data
    if round_.context["family"] == "items":
        st.markdown("**Who read which word**")
        st.table(reading_counts(data))
    _data_picture(round_)
    if round_.context["family"] == "schools":
        counts = pd.crosstab(data["school"], data["class"]).reindex(
            list(dict.fromkeys(data["school"])))
        st.markdown("**Pupils per school and class letter**")
        st.table(counts)
    st.markdown("**The first rows of the data**")
    st.dataframe(data.head(10), hide_index=True)


def _styled(frame: pd.DataFrame, digits: int = 2):
    """st.table wraps long headers on phones; a dash where a model has no such quantity."""
    return style_table(frame, digits, na_rep="–")


def _tags(key: str, round_: Round, answer: dict) -> list[str]:
    tags = []
    if key == round_.context["right"]:
        tags.append("right")
    if key == answer.get("structure"):
        tags.append("yours")
    elif key == round_.context["trap"]:
        tags.append("the trap")
    if key == UNIQUE:
        tags.append("unique labels")
    return tags


def _name(key: str, round_: Round, answer: dict) -> str:
    """The random part with its tags, e.g. "(1 | school/class) (right, yours)"."""
    random = UNIQUE_RANDOM if key == UNIQUE else RANDOM[round_.context["family"]][key]
    tags = _tags(key, round_, answer)
    return random + (f" ({', '.join(tags)})" if tags else "")


def _lettered(keys: list[str], round_: Round, answer: dict) -> tuple[list[str], list[str]]:
    """Table headers ("A: formula (tags)") and the chart's short legend ("A: tags")."""
    letters = [chr(65 + i) for i in range(len(keys))]
    headers = [f"{c}: {_name(k, round_, answer)}" for c, k in zip(letters, keys, strict=True)]
    legend = [f"{c}: {', '.join(_tags(k, round_, answer))}"
              for c, k in zip(letters, keys, strict=True)]
    return headers, legend


def _shown(round_: Round, answer: dict) -> list[str]:
    """The fits the reveal compares: right, trap, the learner's, unique labels (nested)."""
    fits = round_.reveal.tables["fits"]
    keys = [round_.context["right"], round_.context["trap"]]
    chosen = answer.get("structure")
    if chosen not in keys and chosen in fits.columns:
        keys.append(chosen)
    if UNIQUE in fits.columns:
        keys.append(UNIQUE)
    return keys


@round_cache
def _spread_spec(round_: Round, keys: tuple, names: tuple) -> dict:
    family = round_.context["family"]
    rows = nest_charts.spread_rows(round_.reveal.tables["fits"], dict(zip(keys, names,
                                                                          strict=True)), family)
    sources = [s for s in nest_charts.SOURCES[family].values() if s in set(rows["source"])]
    chart = nest_charts.spread_chart(rows, list(names), sources)
    return charts.to_spec(charts.style(chart, height=190 + 32 * len(rows)))


def _side_by_side(round_: Round, answer: dict) -> None:
    fits = round_.reveal.tables["fits"]
    keys = _shown(round_, answer)
    table = fits[keys].dropna(how="all")
    table.columns = _lettered(keys, round_, answer)[0]
    digits = 3 if round_.context["family"] == "schools" else 2
    st.table(_styled(table, digits).format(p_value_text, subset=(
        [r for r in table.index if r.endswith("p-value")], table.columns)))
    st.caption(f"Every model: `{round_.context['fixed']} + …`. "
               + " · ".join(f"**{r}**: {h}" for r, h in ROW_HELP.items())
               + " · **SD name (k groups)**: how much the k groups differ, as lme4 names "
                 "the grouping factor · –: not in this model.")
    chosen = answer.get("structure")
    error = round_.reveal.details["errors"].get(chosen)
    if error:
        st.info(f"Your structure, `{RANDOM[round_.context['family']][chosen]}`, cannot be "
                f"fitted to these data: {error}")


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    explanation, num = round_.reveal.explanation, round_.reveal.numbers
    details, tables = round_.reveal.details, round_.reveal.tables
    keys = _shown(round_, answer)
    names = tuple(_lettered(keys, round_, answer)[1])

    def spread() -> None:
        show_chart(_spread_spec(round_, tuple(keys), names),
                   "Bars: the SD each model gives each source of variation, one bar per model, "
                   "labelled with the model's letter and the SD.")

    def test() -> None:
        st.markdown("`anova()`, maximum-likelihood refits")
        st.table(_styled(tables["lrt"], 3).format(p_value_text, subset=["Pr(>Chisq)"]))

    def printouts() -> None:
        for key, text in _printouts(round_).items():
            st.markdown(f"**{_name(key, round_, answer)}**")
            st.code(text, language=None)
        if "anova" in details:
            st.code(details["anova"], language=None)

    def every_structure() -> None:
        fits = tables["fits"]
        shown = fits.copy()
        shown.columns = [_name(k, round_, answer) for k in fits.columns]
        st.table(_styled(shown, 3))
        for key, error in details["errors"].items():
            st.caption(f"{_name(key, round_, answer)}: cannot be fitted. {error}")
        for key, notes in details["notes"].items():
            for note in notes:
                st.caption(f"{_name(key, round_, answer)}: lme4 says: {note}")

    def truth() -> None:
        st.markdown("The round's data were simulated with these SDs: "
                    + ", ".join(f"**{g}** {v:g}" for g, v in details["truth"].items()) + ".")

    sections = [("Why, in words", lambda: st.markdown(paragraphs(explanation, 1))),
                ("The design, drawn", lambda: _diagram(round_)),
                ("Each source of variation, model by model (picture)", spread)]
    if "lrt" in tables:
        sections.append(("Do the words differ? The likelihood-ratio test", test))
    sections += [("The two main fits as R prints them", printouts),
                 ("Every structure on offer, fitted", every_structure),
                 ("Where the data came from", truth)]
    layered_reveal(
        [("REML criterion: right, trap", f"{num['reml_right']:.1f}, {num['reml_trap']:.1f}",
          "lower fits better (same fixed effects, so comparable)")],
        paragraphs(explanation, 0, 1), main=lambda: _side_by_side(round_, answer),
        sections=sections)


if __name__ == "__main__":  # st.Page runs this file; the class projector imports it
    play(GAME, show_reveal, show_question=show_question)
