"""Printable sheets: a student's own version on paper, and its solutions (self-contained HTML
that prints cleanly: A4/Letter margins, each round kept on one page where it fits, pictures
as inline SVG so they print sharp; open it in a browser and print, or save as PDF).

Names and ids typed by people are escaped; game text is the games' own Markdown.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable

from games.base import Question, Round

from .material import figure_svg, markdown_html, material
from .questions import tolerance

__all__ = ["sheet_html", "CSS"]

CSS = """
body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; color: #111; max-width: 48em;
       margin: 2em auto; padding: 0 1em; }
h1 { font-size: 18pt; margin: 0 0 .2em; } h2 { font-size: 14pt; margin: 1.4em 0 .4em; }
h3 { font-size: 12pt; margin: 1em 0 .3em; }
.who { border-bottom: 1px solid #999; padding-bottom: .4em; margin-bottom: 1em; }
.round { break-inside: avoid; page-break-inside: avoid; margin-bottom: 1.2em; }
.student + .student { break-before: page; page-break-before: always; }
pre { font: 9pt/1.3 'DejaVu Sans Mono', monospace; background: #f4f4f4; padding: .5em;
      white-space: pre-wrap; }
table { border-collapse: collapse; font-size: 9pt; } td, th { border: 1px solid #aaa;
      padding: 2px 6px; }
img.chart { max-width: 100%; height: auto; }
.q { margin: .5em 0; } .box { display: inline-block; min-width: 10em;
      border-bottom: 1px solid #333; height: 1.2em; }
ul.options { list-style: none; padding-left: 1em; } ul.options li::before { content: '☐ '; }
.answer { background: #eef7f1; border-left: 4px solid #1b9e77; padding: .3em .6em; }
.explanation { font-size: 10pt; }
@page { size: auto; margin: 18mm 16mm; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
"""


def sheet_html(title: str, people: Iterable[tuple[str, str, list[tuple[str, Round]]]],
               solutions: bool = False, due: str = "") -> str:
    """One document: for each (student id, name, [(round heading, Round)]) a section that
    starts on a new page; with ``solutions`` the right answers and explanations follow each
    round."""
    kind = "Solutions" if solutions else "Homework"
    sections = [_student(title, sid, name, rounds, solutions, due)
                for sid, name, rounds in people]
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(kind)}: {html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body>" + "".join(sections) + "</body></html>")


def _student(title, student_id, name, rounds, solutions, due) -> str:
    who = html.escape(name or "") + (f" · student id {html.escape(student_id)}"
                                     if student_id else "")
    head = (f"<h1>{html.escape(title)}{' — solutions' if solutions else ''}</h1>"
            f"<p class='who'>{who}{' · due ' + html.escape(due) if due else ''}</p>")
    return ("<section class='student'>" + head
            + "".join(_round(h, r, solutions) for h, r in rounds) + "</section>")


def _round(heading: str, round_: Round, solutions: bool) -> str:
    stuff = material(round_)
    parts = [f"<h2>{html.escape(heading)}</h2>",
             f"<p><small>Round {round_.seed} · {html.escape(round_.difficulty)}</small></p>",
             stuff.prompt_html]
    for caption, text in stuff.printouts:
        parts.append(f"<h3>{html.escape(caption)}</h3><pre>{html.escape(text)}</pre>")
    for caption, table in stuff.tables:
        parts.append(f"<h3>{html.escape(caption)}</h3>"
                     + table.to_html(index=False, float_format="{:.2f}".format))
    picture = _picture(stuff) if stuff.figure is not None else ""
    if not stuff.after_answer:
        parts.append(picture)
    if round_.data is not None and not solutions:
        parts.append(f"<p><small>The data ({len(round_.data)} rows) are on the homework "
                     "page, where you can also answer online.</small></p>")
    parts += [_question(q) for q in round_.questions]
    if solutions:
        parts.append(_answer(round_))
        if stuff.after_answer:
            parts.append(picture)
    return "<div class='round'>" + "".join(parts) + "</div>"


def _picture(stuff) -> str:
    svg = base64.b64encode(figure_svg(stuff.figure)).decode("ascii")
    return (f"<img class='chart' alt='{html.escape(stuff.figure_alt)}' "
            f"src='data:image/svg+xml;base64,{svg}'>")


def _question(q: Question) -> str:
    text = f"<p class='q'><strong>{html.escape(q.text)}</strong>"
    if q.kind == "choice":
        return text + "</p><ul class='options'>" + "".join(
            f"<li>{html.escape(o.label)}</li>" for o in q.options) + "</ul>"
    unit = f" {html.escape(q.unit)}" if q.unit else ""
    return text + f"<br><span class='box'></span>{unit}</p>"


def _answer(round_: Round) -> str:
    items = []
    for q in round_.questions:
        right = round_.solution[q.id]
        if q.kind == "choice":
            shown = q.label_of(right)
        elif q.kind == "number":
            shown = f"{float(right):.4g} (full marks within ± {tolerance(round_, q.id).full:g})"
        else:
            shown = str(right)
        items.append(f"<li>{html.escape(q.text)}: <strong>{html.escape(shown)}</strong></li>")
    return ("<div class='answer'><p><strong>Answer</strong></p><ul>" + "".join(items)
            + "</ul><div class='explanation'>" + markdown_html(round_.reveal.explanation)
            + "</div></div>")
