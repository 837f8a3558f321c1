"""Formula match: the page (run by st.Page; the round logic is in logic.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from games import charts
from games.base import Round, Score
from games.syntax import GAME, logic
from games.syntax import catalogue as cat
from games.syntax import charts as syntax_charts
from games.syntax.fits import N_X
from games.syntax.reveal import fits_table
from games.ui import Form, layered_reveal, paragraphs, play, round_cache, show_chart, user_text
from lmm_core.errors import FormulaError

HEIGHT = 390
LEGEND = ("Thin dark lines: one fitted line per {g_one} (lmer's coef()). Thick dashed orange "
          "line: the average line (fixed effects). Grey dots: the measurements.")


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers rounded for reading aloud, as text; a dash where a model has no such number
    (st.dataframe would print "None")."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_numeric_dtype(out[column]):
            out[column] = [("–" if pd.isna(v) else f"{v:.2f}") for v in out[column]]
    return out.fillna("")


def _words(round_: Round) -> dict:
    return cat.words_of(round_.context["setting"])


def _points(round_: Round, data: pd.DataFrame) -> pd.DataFrame:
    w = _words(round_)
    return data.rename(columns={w["x"]: "x", w["y"]: "y"})[["x", "y"]]


def _frame(round_: Round, lines: dict, fixef) -> pd.DataFrame:
    return syntax_charts.lines_frame(lines, list(fixef), N_X - 1, _words(round_)["g_one"])


def _spec(round_: Round, frame, points, title, domain) -> dict:
    chart = syntax_charts.lines_chart(frame, points, _words(round_), title, domain)
    return charts.to_spec(charts.style(chart, height=HEIGHT))


@round_cache
def _study_specs(round_: Round, titled: bool) -> dict:
    """One picture per study (titled with its formula for the reveal), on one y scale."""
    ctx, data = round_.context, round_.data
    frames = {k: _frame(round_, ctx["lines"][k], ctx["fixef"][k]) for k in ctx["studies"]}
    domain = syntax_charts.y_domain(pd.concat([*(f["y"] for f in frames.values()),
                                               data[_words(round_)["y"]]]))
    out = {}
    for label in ctx["studies"]:
        truth = ctx["formulas"][round_.solution[label]]
        title = [f"Study {label}", truth] if titled else f"Study {label}"
        out[label] = _spec(round_, frames[label],
                           _points(round_, data[data["study"] == label]), title, domain)
    return out


def _study_alt(label: str, round_: Round) -> str:
    return (f"Study {label}: one fitted line per {_words(round_)['g_one']} over the "
            "measurements, with the average line dashed.")


def _pairs(items: list) -> list[list]:
    return [items[i:i + 2] for i in range(0, len(items), 2)]


# ----- asking ------------------------------------------------------------------------------
def _rows(round_: Round) -> list[list[str]]:
    """Plot rounds: the studies two by two, each question under its picture."""
    if round_.context["variant"] != "plot":
        return [[q.id] for q in round_.questions]
    return _pairs(round_.context["studies"])


def _before_row(round_: Round, row: list[str], columns) -> None:
    if round_.context["variant"] != "plot":
        return
    specs = _study_specs(round_, False)
    for column, label in zip(columns, row, strict=True):
        show_chart(specs[label], _study_alt(label, round_), where=column)


def show_question(round_: Round) -> None:
    if round_.context["variant"] == "plot":
        st.caption(LEGEND.format(**_words(round_)))


FORM = Form(rows=_rows, before_row=_before_row)


# ----- the reveal --------------------------------------------------------------------------
@round_cache(show_spinner="Fitting your formula…")
def _typed(round_: Round, text: str) -> dict | None:
    try:
        return logic.typed_report(round_, text)
    except FormulaError:
        return None


def _reveal_plot(round_: Round, answer: dict) -> None:
    ctx = round_.context
    specs = _study_specs(round_, True)
    right = sum(answer[label] == round_.solution[label] for label in ctx["studies"])

    def studies() -> None:
        for row in _pairs(ctx["studies"]):
            for col, label in zip(st.columns(2), row, strict=False):
                show_chart(specs[label], _study_alt(label, round_), where=col)
                ok = answer[label] == round_.solution[label]
                col.markdown(f"**Your pick:** `{ctx['formulas'][answer[label]]}` "
                             f"({'right' if ok else 'wrong'})")
                col.markdown(round_.reveal.details["sentences"][label])

    def numbers() -> None:
        st.dataframe(_table(round_.reveal.tables["studies"].rename(columns={"which": "study"})),
                     hide_index=True)
        st.caption("SD columns: how much the groups' intercepts or slopes vary (VarCorr); "
                   "corr.: the estimated correlation of intercepts and slopes; –: not in that "
                   "model.")

    layered_reveal([("Studies matched", f"{right} of {len(ctx['studies'])}")],
                   paragraphs(round_.reveal.explanation, 0, 1), main=studies,
                   sections=[("The fitted numbers of each study", numbers)])


def _your_summary(round_: Round, answer: dict) -> tuple[str, dict | None, dict | None]:
    """The learner's formula, its fit summary and (typed rounds) the full report."""
    ctx = round_.context
    if ctx["variant"] == "write":
        report = _typed(round_, answer["formula"])
        return answer["formula"], (report or {}).get("summary"), report
    picked = answer[round_.questions[0].id]
    return ctx["formulas"][picked], round_.reveal.details["summaries"].get(picked), None


def _line_pictures(round_: Round, yours: str, summary: dict | None, correct: bool) -> None:
    right = round_.reveal.details["summaries"][round_.context["target"]]
    if "g" not in _words(round_) or not right.get("lines"):
        return
    shown = [("The right formula's lines", round_.context["shown"], right)]
    if not correct and summary and summary.get("ok") and summary.get("lines"):
        shown.append(("Your formula's lines", yours, summary))
    frames = [_frame(round_, s["lines"], (s["fixef"].get("(Intercept)", 0.0),
                                          s["fixef"].get(_words(round_)["x"], 0.0)))
              for _, _, s in shown]
    points = _points(round_, round_.data)
    domain = syntax_charts.y_domain(pd.concat([*(f["y"] for f in frames), points["y"]]))
    st.markdown("**What the formulas do to these data**")
    for col, (title, formula, _), frame in zip(st.columns(len(shown)), shown, frames,
                                               strict=True):
        show_chart(_spec(round_, frame, points, [title, formula], domain),
                   f"{title}: {formula}, one fitted line per {_words(round_)['g_one']}.",
                   where=col)
    st.caption(LEGEND.format(**_words(round_)))


def _reveal_formula(round_: Round, answer: dict, score: Score) -> None:
    ctx, details = round_.context, round_.reveal.details
    yours, summary, report = _your_summary(round_, answer)
    why_not = details["summaries"].get(details.get("why_not") or "", {}).get("formula")
    repeated = why_not is not None and logic.same_model(yours, why_not)

    def right() -> None:
        st.markdown("**The right formula**")
        st.code(ctx["shown"], language=None)

    def your_formula() -> None:
        st.markdown(f"**Your formula, {user_text(yours)}, on these data.**")
        if report is not None:
            st.markdown("\n".join(f"- {line}" for line in report["read"]))
            st.markdown(f"Written out in full: {user_text(report['spelled'])}")
            if report["contrast"]:
                st.markdown(report["contrast"])
        else:
            st.markdown(details["contrasts"][answer[round_.questions[0].id]])

    def fits() -> None:
        table = round_.reveal.tables["fits"]
        if (report is not None and report["summary"] is not None and not score.correct
                and not any(logic.same_model(yours, f) for f in table["formula"])):
            table = pd.concat([table, fits_table([("yours", report["summary"])],
                                                 _words(round_))], ignore_index=True)
        st.dataframe(_table(table), hide_index=True)
        st.caption("which: right = the design's formula, option = another answer on offer, "
                   "yours = what you typed. SD: how much intercepts or slopes vary between "
                   "groups (VarCorr); corr.: their correlation; SE: standard error of the fixed "
                   "effect; –: not in that model.")

    sections = [("Why, in words", lambda: st.markdown(
        paragraphs(round_.reveal.explanation, 1)))]
    if not score.correct and not repeated:
        sections.append(("Your formula, read aloud", your_formula))
    if "g" in _words(round_) and details["summaries"][ctx["target"]].get("lines"):
        sections.append(("What the formulas do to these data (pictures)",
                         lambda: _line_pictures(round_, yours, summary, score.correct)))
    sections += [("Every formula of this round, fitted to the same data", fits),
                 ("The simulated data",
                  lambda: st.dataframe(round_.data, hide_index=True, height=260))]
    layered_reveal([], paragraphs(round_.reveal.explanation, 0, 1), main=right,
                   sections=sections)


def show_reveal(round_: Round, answer: dict, score: Score) -> None:
    if round_.context["variant"] == "plot":
        _reveal_plot(round_, answer)
    else:
        _reveal_formula(round_, answer, score)


if __name__ == "__main__":  # st.Page runs this file; the class projector imports it
    play(GAME, show_reveal, show_question=show_question, form=FORM)
