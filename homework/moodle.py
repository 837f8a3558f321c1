"""Moodle XML of N variants per item, as R/exams' exams2moodle: one question category per
item, one question per variant, importable with Moodle's "Moodle XML format" question import.

A round with one question becomes Moodle's own type: ``multichoice`` (each option's fraction
and feedback come from the game's own ``score()`` of that option), ``numerical`` (full marks
within the game's tolerance, partial marks in its wider band; see homework.questions) or
``shortanswer``. A round with several questions becomes one ``cloze`` question with embedded
answers, so the parts stay together. The round's data are attached as a CSV file and its
picture as a PNG (vl-convert, no browser) or SVG; the explanation is the general feedback.
Element names follow Moodle's importer (question/format/xml/format.php).
"""

from __future__ import annotations

import base64
import html
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from games import GAMES
from games.base import Question, Round

from .material import Material, figure_png, figure_svg, markdown_html, material
from .model import Item
from .questions import tolerance
from .seeds import personal_seed

__all__ = ["moodle_xml", "variant_seeds", "question_xml", "MOODLE_FRACTIONS", "IMAGE_KINDS"]

IMAGE_KINDS = ("png", "svg", "none")
# The grades Moodle's question editor offers; imported fractions are snapped down to these.
MOODLE_FRACTIONS = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25,
                    20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0)


@dataclass(frozen=True)
class _Job:
    position: int
    variant: int
    game: str
    seed: int
    difficulty: str
    images: str


def variant_seeds(secret: str, position: int, n: int) -> list[int]:
    """n seeds for item ``position``: reproducible from the assignment's secret, and apart
    from every student's own (a different key space)."""
    return [personal_seed(secret, "#moodle-variants", position, k) for k in range(1, n + 1)]


def moodle_xml(title: str, items: Iterable[Item], n: int, secret: str, images: str = "png",
               jobs: int = 1, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The whole quiz file (UTF-8 bytes). ``progress(done, total)`` is called after each
    question (one process only): a page's progress bar, since 100 variants take ~5-30 s."""
    if images not in IMAGE_KINDS:
        raise ValueError(f"images is one of {', '.join(IMAGE_KINDS)}, not {images!r}.")
    items = list(items)
    work = [_Job(p, k, item.game, seed, item.difficulty, images)
            for p, item in enumerate(items, 1)
            for k, seed in enumerate(variant_seeds(secret, p, n), 1)]
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    done = _run(work, jobs, progress)
    for p, item in enumerate(items, 1):
        parts.append(_category(title, f"{p}. {item.title} ({item.difficulty})"))
        parts += [xml for job, xml in done if job.position == p]
    parts.append("</quiz>")
    return "\n".join(parts).encode("utf-8")


def _run(work: list[_Job], jobs: int, progress=None) -> list[tuple[_Job, str]]:
    if jobs <= 1:
        done = []
        for job in work:
            done.append((job, _variant(job)))
            if progress is not None:
                progress(len(done), len(work))
        return done
    with ProcessPoolExecutor(jobs) as pool:
        return list(zip(work, pool.map(_variant, work, chunksize=4), strict=True))


def _variant(job: _Job) -> str:
    round_ = GAMES[job.game].make_round(job.seed, job.difficulty)
    name = f"{GAMES[job.game].title} ({job.difficulty}) · variant {job.variant} · seed {job.seed}"
    return question_xml(round_, name, job.images)


def _category(*names: str) -> str:
    """A category question; a "/" inside a name is written "//" (Moodle's escape)."""
    question = ET.Element("question", type="category")
    path = "/".join(" ".join(n.split()).replace("/", "//") for n in names)
    _text(ET.SubElement(question, "category"), f"$course$/top/{path}")
    return ET.tostring(question, encoding="unicode")


def question_xml(round_: Round, name: str, images: str = "png") -> str:
    """One <question> element for a round."""
    stuff = material(round_)
    files = _files(round_, stuff, images)
    asked, shown_after = ({}, files) if stuff.after_answer else (files, {})
    qtype = _qtype(round_)
    question = ET.Element("question", type=qtype)
    _text(ET.SubElement(question, "name"), name)
    text = ET.SubElement(question, "questiontext", format="html")
    _text(text, "\n".join([stuff.prompt_html, *_printouts_html(stuff),
                           *_files_html(round_, stuff, asked),
                           _questions_html(round_, cloze=qtype == "cloze")]))
    _attach(text, asked)
    feedback = ET.SubElement(question, "generalfeedback", format="html")
    _text(feedback, "\n".join([markdown_html(round_.reveal.explanation),
                               _solution_html(round_), *_files_html(round_, stuff, shown_after)]))
    _attach(feedback, shown_after)
    ET.SubElement(question, "penalty").text = "0"
    ET.SubElement(question, "hidden").text = "0"
    ET.SubElement(question, "idnumber").text = f"{round_.game}-{round_.difficulty}-{round_.seed}"
    if qtype != "cloze":
        ET.SubElement(question, "defaultgrade").text = "1"
        {"multichoice": _multichoice, "numerical": _numerical,
         "shortanswer": _shortanswer}[qtype](question, round_, round_.questions[0])
    return ET.tostring(question, encoding="unicode")


def _qtype(round_: Round) -> str:
    if len(round_.questions) > 1:
        return "cloze"
    return {"choice": "multichoice", "number": "numerical",
            "text": "shortanswer"}[round_.questions[0].kind]


# ----- the question text ----------------------------------------------------------------------
def _files(round_: Round, stuff: Material, images: str) -> dict[str, bytes]:
    files = {}
    if round_.data is not None:
        files["data.csv"] = round_.data.to_csv(index=False).encode("utf-8")
    if stuff.figure is not None and images == "png":
        files["chart.png"] = figure_png(stuff.figure)
    elif stuff.figure is not None and images == "svg":
        files["chart.svg"] = figure_svg(stuff.figure)
    return files


def _attach(parent: ET.Element, files: dict[str, bytes]) -> None:
    for filename, data in files.items():
        ET.SubElement(parent, "file", name=filename, path="/", encoding="base64").text = \
            base64.b64encode(data).decode("ascii")


def _printouts_html(stuff: Material) -> list[str]:
    """The printouts and tables the game page shows with its question."""
    parts = [f"<p><strong>{html.escape(title)}</strong></p><pre>{html.escape(text)}</pre>"
             for title, text in stuff.printouts]
    parts += [f"<p><strong>{html.escape(title)}</strong></p>"
              + table.to_html(index=False, border=1, float_format="{:.2f}".format)
              for title, table in stuff.tables]
    return parts


def _files_html(round_: Round, stuff: Material, files: dict) -> list[str]:
    parts = []
    chart = next((f for f in files if f.startswith("chart.")), None)
    if chart:
        parts.append(f'<p><img src="@@PLUGINFILE@@/{chart}" alt="{html.escape(stuff.figure_alt)}"'
                     ' style="max-width:100%"></p>')
    if "data.csv" in files:
        parts.append('<p>The data: <a href="@@PLUGINFILE@@/data.csv">data.csv</a> '
                     f"({len(round_.data)} rows; open it in R with read.csv()).</p>")
    return parts


def _questions_html(round_: Round, cloze: bool) -> str:
    if cloze:
        return "\n".join(f"<p>{html.escape(q.text)}{_unit(q)} {_cloze(round_, q)}</p>"
                         for q in round_.questions)
    q = round_.questions[0]
    return f"<p><strong>{html.escape(q.text)}{_unit(q)}</strong></p>"


def _unit(q: Question) -> str:
    return f" ({html.escape(q.unit)})" if q.unit else ""


def _solution_html(round_: Round) -> str:
    rows = []
    for q in round_.questions:
        right = round_.solution[q.id]
        shown = q.label_of(right) if q.kind == "choice" else f"{right:.4g}" \
            if q.kind == "number" else str(right)
        if q.kind == "number":
            shown += f" (full marks within ± {tolerance(round_, q.id).full:g})"
        rows.append(f"<li>{html.escape(q.text)}: <strong>{html.escape(shown)}</strong></li>")
    return "<p>The answer:</p><ul>" + "".join(rows) + "</ul>"


# ----- answers ---------------------------------------------------------------------------------
def snap(points: float) -> float:
    """The largest Moodle grade not above ``points`` (so an import never gives more)."""
    return next(f for f in MOODLE_FRACTIONS if f <= points + 1e-9)


def _choice_scores(round_: Round, q: Question) -> Iterator[tuple[str, float, str]]:
    base = {x.id: round_.solution[x.id] for x in round_.questions}
    game = GAMES[round_.game]
    for option in q.options:
        score = game.score(round_, base | {q.id: option.value})
        fraction = 100.0 if option.value == round_.solution[q.id] else snap(score.points)
        yield option.label, fraction, score.feedback


def _multichoice(question: ET.Element, round_: Round, q: Question) -> None:
    for tag, value in (("single", "true"), ("shuffleanswers", "0"), ("answernumbering", "abc"),
                       ("showstandardinstruction", "0")):
        ET.SubElement(question, tag).text = value
    for label, fraction, feedback in _choice_scores(round_, q):
        answer = ET.SubElement(question, "answer", fraction=_fraction(fraction), format="html")
        _text(answer, html.escape(label))
        _text(ET.SubElement(answer, "feedback", format="html"), markdown_html(feedback))
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(ET.SubElement(question, tag, format="html"), "")


def _numerical(question: ET.Element, round_: Round, q: Question) -> None:
    right = float(round_.solution[q.id])
    band = tolerance(round_, q.id)
    answers = [(100.0, band.full)]
    if band.partial is not None and snap(band.partial_points) > 0:
        answers.append((snap(band.partial_points), band.partial))
    for fraction, tol in answers:
        answer = ET.SubElement(question, "answer", fraction=_fraction(fraction))
        _text(answer, f"{right:.10g}")
        ET.SubElement(answer, "tolerance").text = f"{tol:.10g}"
        _text(ET.SubElement(answer, "feedback", format="html"), "")
    ET.SubElement(question, "unitgradingtype").text = "0"
    ET.SubElement(question, "showunits").text = "3"  # no units asked


def _shortanswer(question: ET.Element, round_: Round, q: Question) -> None:
    ET.SubElement(question, "usecase").text = "0"
    for text in _spellings(str(round_.solution[q.id])):
        answer = ET.SubElement(question, "answer", fraction="100", format="moodle_auto_format")
        _text(answer, text)
        _text(ET.SubElement(answer, "feedback", format="html"), "")


def _spellings(text: str) -> list[str]:
    """The solution as written and without spaces (Moodle compares text as typed)."""
    return list(dict.fromkeys([text, "".join(text.split())]))


def _cloze(round_: Round, q: Question) -> str:
    """One embedded answer in Moodle's cloze syntax, e.g. {1:NUMERICAL:=2.5:0.1}.

    Moodle grades each part on its own, so a part is right (within the game's full-marks
    tolerance for numbers) or wrong; the game's partial credit, which depends on the other
    parts, is kept only in one-question rounds."""
    right = round_.solution[q.id]
    if q.kind == "choice":
        parts = [("=" if o.value == right else "") + _esc(o.label) for o in q.options]
        return "{1:MULTICHOICE:" + "~".join(parts) + "}"
    if q.kind == "number":
        return (f"{{1:NUMERICAL:={float(right):.10g}:"
                f"{tolerance(round_, q.id).full:.10g}}}")
    answers = [f"={_esc(t)}" for t in _spellings(str(right))]
    return "{1:SHORTANSWER:" + "~".join(answers) + "}"


def _esc(text: str) -> str:
    """Escape cloze's special characters (} # ~ / " \\) and HTML in an embedded answer."""
    out = html.escape(" ".join(str(text).split()), quote=False)
    for ch in '\\}#~/"':
        out = out.replace(ch, "\\" + ch)
    return out


def _fraction(value: float) -> str:
    return f"{value:g}"


def _text(parent: ET.Element, value: str) -> None:
    ET.SubElement(parent, "text").text = value
