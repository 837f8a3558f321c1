"""The gradebook: points per student and item, totals, times, late flags, attempts; item
statistics; CSV files that Moodle's and Canvas's gradebooks import. Pure (pandas only).

A round's grade is its best attempt (0-100 points); an item's points are the sum over its
rounds, so an item of 3 rounds is worth 300 points.

LMS formats (each LMS maps columns on import):
- Moodle, "Import grades from CSV": one column identifies the user (we write "ID number" and
  "Email address" so either can be mapped), then one numeric column per grade item.
- Canvas, "Import" in the Gradebook: the columns Student, ID, SIS User ID, SIS Login ID,
  Section, then one column per assignment, and a "Points Possible" row under the header. We
  leave Canvas's own ID empty and put the student id in SIS User ID, which Canvas matches on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from .assignments import Assignment, Enrolled
from .submissions import Attempt

__all__ = ["Gradebook", "gradebook", "item_stats", "to_csv", "LMS_FORMATS", "item_column"]

LMS_FORMATS = ("full", "moodle", "canvas")


@dataclass(frozen=True, eq=False)
class Gradebook:
    """``table``: one row per student; ``item_columns``: the points column of each item."""

    table: pd.DataFrame
    item_columns: tuple[str, ...]
    max_points: dict[str, int]
    title: str


def item_column(assignment: Assignment, position: int) -> str:
    item = assignment.spec.items[position - 1]
    return f"{position}. {item.title} ({item.difficulty})"


def gradebook(assignment: Assignment, students: list[Enrolled],
              attempts: list[tuple[int, Attempt]]) -> Gradebook:
    items = assignment.spec.items
    columns = tuple(item_column(assignment, n) for n in range(1, len(items) + 1))
    maxima = {c: 100 * i.rounds for c, i in zip(columns, items, strict=True)}
    rows = pd.DataFrame([{"key": k, "position": a.position, "round_no": a.round_no,
                          "points": a.points, "late": a.late, "at": a.submitted_at}
                         for k, a in attempts],
                        columns=["key", "position", "round_no", "points", "late", "at"])
    best = rows.groupby(["key", "position", "round_no"])["points"].max()
    per_item = best.groupby(level=["key", "position"]).sum().unstack("position")
    per_item = per_item.reindex(columns=range(1, len(items) + 1)).fillna(0).astype(int)
    per_item.columns = list(columns)
    summary = rows.groupby("key").agg(last=("at", "max"), late=("late", "any"),
                                      attempts=("points", "size"))
    base = pd.DataFrame({"key": [s.key for s in students],
                         "student id": [s.student_id for s in students],
                         "name": [s.name for s in students],
                         "email": [s.email for s in students]}).set_index("key")
    table = base.join(per_item).join(summary)
    table[list(columns)] = table[list(columns)].fillna(0).astype(int)
    table["total"] = table[list(columns)].sum(axis=1)
    table["attempts"] = table["attempts"].fillna(0).astype(int)
    table["late"] = table["late"].astype("boolean").fillna(False).astype(bool)
    table = table.rename(columns={"last": "last submission (UTC)"})
    order = ["student id", "name", "email", *columns, "total", "last submission (UTC)",
             "late", "attempts"]
    return Gradebook(table[order].reset_index(drop=True), columns, maxima,
                     assignment.spec.title)


def item_stats(assignment: Assignment, attempts: list[tuple[int, Attempt]],
               top: int = 3) -> pd.DataFrame:
    """Per item: rounds answered, share right (best attempts), the answers' spread and the
    misconceptions met most (over all attempts)."""
    out = []
    for n in range(1, len(assignment.spec.items) + 1):
        mine = [a for _, a in attempts if a.position == n]
        best: dict[tuple, Attempt] = {}
        for key, a in ((k, a) for k, a in attempts if a.position == n):
            slot = (key, a.round_no)
            if slot not in best or a.points > best[slot].points:
                best[slot] = a
        misconceptions = Counter(a.misconception for a in mine if a.misconception)
        out.append({
            "item": item_column(assignment, n),
            "rounds answered": len(best),
            "share right": (sum(a.correct for a in best.values()) / len(best)
                            if best else float("nan")),
            "mean points": (sum(a.points for a in best.values()) / len(best)
                            if best else float("nan")),
            "answers": _spread([a.answer for a in best.values()], top),
            "misconceptions met most": "; ".join(f"{m} ({c})" for m, c in
                                                 misconceptions.most_common(top)) or "none",
        })
    return pd.DataFrame(out)


def _spread(answers: list[dict], top: int) -> str:
    """The most common answer per question ("test: two-sided 40, greater 12"), numbers as
    their median and middle half."""
    parts = []
    for qid in dict.fromkeys(k for a in answers for k in a):
        values = [a[qid] for a in answers if qid in a]
        if values and all(isinstance(v, int | float) and not isinstance(v, bool)
                          for v in values):
            s = pd.Series(values, dtype=float)
            parts.append(f"{qid}: median {s.median():.3g} (middle half {s.quantile(.25):.3g}"
                         f" to {s.quantile(.75):.3g})")
        else:
            common = Counter(str(v) for v in values).most_common(top)
            parts.append(f"{qid}: " + ", ".join(f"{v} {c}" for v, c in common))
    return "; ".join(parts)


def to_csv(book: Gradebook, kind: str = "full") -> str:
    """The gradebook as CSV text for ``kind`` in LMS_FORMATS."""
    table, items = book.table, list(book.item_columns)
    if kind == "full":
        out = table.copy()
        out["last submission (UTC)"] = out["last submission (UTC)"].map(
            lambda v: "" if pd.isna(v) else v.strftime("%Y-%m-%d %H:%M:%S"))
        return out.to_csv(index=False)
    if kind == "moodle":
        out = pd.DataFrame({"ID number": table["student id"], "Email address": table["email"],
                            "Full name": table["name"]})
        for c in items:
            out[c] = table[c]
        out[f"{book.title} (total)"] = table["total"]
        return out.to_csv(index=False)
    if kind == "canvas":
        columns = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *items,
                   f"{book.title} (total)"]
        possible = ["    Points Possible", "", "", "", "",
                    *(book.max_points[c] for c in items), sum(book.max_points.values())]
        body = [[_canvas_name(n, i), "", i, "", "", *map(int, points), int(total)]
                for n, i, points, total in zip(table["name"], table["student id"],
                                               table[items].to_numpy(), table["total"],
                                               strict=True)]
        return pd.DataFrame([possible, *body], columns=columns).to_csv(index=False)
    raise ValueError(f"Unknown gradebook format {kind!r}: one of {', '.join(LMS_FORMATS)}.")


def _canvas_name(name: str, student_id: str) -> str:
    """Canvas lists students as "Last, First"."""
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else (name or student_id)
