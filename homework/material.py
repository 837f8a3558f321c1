"""What a student sees with a round, outside the app: the prompt, printouts and tables the
game page shows before the answer, the question's picture and the data (pure; no streamlit).

Game pages draw their questions themselves, so this module has one small adapter per game
(:data:`ADAPTERS`) that picks the same material with the games' own chart functions. A game
without an adapter (a new one) still exports: its prompt, its questions and its data as CSV;
an adapter that fails says why in ``Material.notes`` instead of breaking an export.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import pandas as pd
from markdown_it import MarkdownIt

from games import charts
from games.base import Round

__all__ = ["Material", "material", "markdown_html", "ADAPTERS", "figure_png", "figure_svg"]

log = logging.getLogger("lmm_games")
_MD = MarkdownIt("commonmark", {"html": False})  # game text only; raw HTML is not passed
WIDTH, HEIGHT = 520, 320


@dataclass(frozen=True, eq=False)
class Material:
    prompt_html: str
    printouts: tuple[tuple[str, str], ...] = ()            # (title, preformatted text)
    tables: tuple[tuple[str, pd.DataFrame], ...] = ()
    figure: dict | None = None                             # a Vega-Lite spec
    figure_alt: str = ""
    after_answer: bool = False  # the figure and data belong to the feedback, not the question
    notes: tuple[str, ...] = ()


def markdown_html(text: str) -> str:
    """A game's Markdown (prompts, explanations) as HTML; HTML in the text is escaped."""
    return _MD.render(text or "").strip()


def material(round_: Round) -> Material:
    base = Material(prompt_html=markdown_html(round_.prompt))
    adapter = ADAPTERS.get(round_.game)
    if adapter is None:
        return base
    try:
        extra = adapter(round_)
    except Exception as error:  # noqa: BLE001 - a missing picture must not stop an export
        log.warning("No export material for %s seed %s: %s", round_.game, round_.seed, error)
        return Material(base.prompt_html, notes=(
            f"{round_.game}: the question's picture could not be drawn ({error}); the data "
            "are attached as CSV.",))
    return Material(base.prompt_html, **extra)


def _spec(chart: alt.TopLevelMixin, height: int = HEIGHT) -> dict:
    """A plain Vega-Lite dict, sized for paper and LMS pages."""
    spec = _plain(chart.properties(width=WIDTH))
    if height:
        spec.setdefault("height", height)
    return spec


def _plain(chart: alt.TopLevelMixin) -> dict:
    """The chart styled as :func:`games.charts.style` does, as a JSON-safe dict at its own
    sizes. Validation is skipped: the games' charts are validated by the app's own tests, and
    it costs ~0.1 s per chart."""
    spec = chart.to_dict(validate=False)
    spec["config"] = spec.get("config", {}) | _style_config()
    return json.loads(json.dumps(spec))


@functools.cache
def _style_config() -> dict:
    """The config that games.charts.style sets, computed once: set through Altair, it copies
    every sub-chart of a compound chart per setting (~0.05 s for the pooling game's stack)."""
    return charts.style(alt.Chart(), height=None).to_dict(validate=False)["config"]


def figure_png(spec: dict, scale: float = 1.0) -> bytes:
    """PNG at the chart's own size (scale 1.5 costs 1.7x the time for the big lineup grid)."""
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=scale)


def figure_svg(spec: dict) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


# ----- one adapter per game: what its page shows before the answer --------------------------
def _tails(r: Round) -> dict:
    chart = charts.condition_plot(r.data, r.context["response"], r.context["unit"])
    return {"figure": _spec(chart), "after_answer": True,  # "the data appear after you answer"
            "figure_alt": "Each participant's values in the control and treatment conditions, "
                          "joined by a line, with the condition means as diamonds."}


def _lineup(r: Round) -> dict:
    """The game's grid of numbered panels. Its chart is built once per set of panels (Altair
    takes ~0.1 s a chart) and each round swaps in its rows and its shared y range."""
    from games.lineup import charts as lc

    spec = charts.with_rows(_grid_template(tuple(sorted(r.data["panel"].unique()))),
                            lc.grid_rows(r.data))
    for layer in spec["spec"]["layer"]:
        layer["encoding"]["y"]["scale"]["domain"] = lc.y_domain(r.data)
    return {"figure": spec, "figure_alt": "A grid of numbered panels, each with the control "
                                          "and treatment values of every participant."}


@functools.lru_cache(maxsize=8)
def _grid_template(panels: tuple[int, ...]) -> dict:
    """The lineup grid drawn from one placeholder row per panel."""
    from games.lineup import charts as lc

    rows = pd.DataFrame({"panel": panels, "participant": "P", "condition": "control",
                         "value": 0.0})
    return _plain(lc.lineup_chart(rows))


def _pooling(r: Round) -> dict:
    """One picture per highlighted person, stacked. Each is the game's person_chart built once
    per set of line kinds and days (Altair takes ~0.04 s a chart) with the person's rows,
    title and the study's y range swapped in."""
    from games.pooling import charts as pc

    data = r.data
    days = int(data["days"].max())
    domain = [float(data["reaction"].min()) - 20, float(data["reaction"].max()) + 20]
    people = []
    for i, subject in enumerate(r.context["highlighted"]):
        target = r.context["targets"][subject]
        frame = pc.lines_frame({"own data only (no pooling)": (target["intercept"]["own"],
                                                               target["slope"]["own"]),
                                "population line": (target["intercept"]["population"],
                                                    target["slope"]["population"])}, days)
        kinds = tuple(k for k in pc.LINES if k in set(frame["line"]))
        spec = charts.with_rows(_person_template(kinds, days), frame, having="line",
                                name=f"person{i}-lines")
        spec = charts.with_rows(spec, data[data["subject"] == subject].dropna(),
                                having="subject", name=f"person{i}-points",
                                title=f"{subject}: {target['n']} days")
        for layer in spec["layer"]:
            layer["encoding"]["y"]["scale"]["domain"] = domain
        people.append(spec)
    datasets = {k: v for person in people for k, v in person.pop("datasets").items()}
    head = {k: people[0].pop(k) for k in ("$schema", "config")}
    for person in people[1:]:
        person.pop("$schema"), person.pop("config")
    figure = people[0] | head if len(people) == 1 else head | {"vconcat": people}
    return {"figure": figure | {"datasets": datasets},
            "figure_alt": "Each highlighted person's measurements with their own line and the "
                          "population line."}


@functools.lru_cache(maxsize=16)
def _person_template(kinds: tuple[str, ...], days: int) -> dict:
    from games.pooling import charts as pc

    points = pd.DataFrame({"subject": ["S"], "days": [0], "reaction": [0.0]})
    return _plain(pc.person_chart(points, dict.fromkeys(kinds, (0.0, 0.0)), days, "",
                                  [0.0, 1.0]).properties(width=WIDTH, height=260))


def _mixture(r: Round) -> dict:
    from games.mixture import charts as mc

    return {"figure": _spec(mc.averages_chart(r.data)),
            "figure_alt": "Stacked dots: each participant's average, all together and by group."}


def _nesting(r: Round) -> dict:
    from games.nesting import charts as nc

    if r.context["family"] == "items":
        chart = nc.reading_chart(r.data)
    else:
        chart = nc.class_means_chart(r.data, list(dict.fromkeys(r.data["school"])))
    tables = ()
    if r.context["family"] == "schools":
        counts = pd.crosstab(r.data["school"], r.data["class"])
        tables = (("Pupils per school and class letter", counts.reset_index()),)
    return {"figure": _spec(chart), "tables": tables,
            "figure_alt": "The design's group averages, as the game page shows them."}


def _pvalues(r: Round) -> dict:
    return {"printouts": (("summary(model), as lme4 prints it", r.context["summary"]),)}


def _convergence(r: Round) -> dict:
    from games.convergence import charts as cc

    said = "\n".join(" ".join(line.strip() for line in m.splitlines())
                     for m in r.context["messages"])
    return {"printouts": (("What R printed", r.context["r_summary"]), ("R's messages", said)),
            "figure": _plain(cc.data_chart(r.data, r.context["predictors"])),
            "figure_alt": "Each school's pupils with the school's own line."}


def _bootstrap(r: Round) -> dict:
    if r.context.get("show_se") and "coefficients" in r.reveal.tables:
        return {"tables": (("lme4's summary: the fixed effects",
                            r.reveal.tables["coefficients"].round(2).reset_index()),)}
    return {}


ADAPTERS: dict[str, Callable[[Round], dict]] = {
    "tails": _tails, "lineup": _lineup, "pooling": _pooling, "mixture": _mixture,
    "nesting": _nesting, "pvalues": _pvalues, "convergence": _convergence,
    "bootstrap": _bootstrap,
}
# syntax: the formulas are the options and the data go as CSV; its pictures are the answer.
