"""The host's downloads after class: results and poll as CSV (pure).

Results: one row per answer (player, round, game, answer, points, misconception, time); the poll:
one row per player who answered it. Cells that a spreadsheet would run as a formula (text
starting with =, +, -, @) get a leading apostrophe: a nickname is never code.
"""

from __future__ import annotations

import csv
import io
import json

from games import GAMES

from .models import Snapshot
from .scoring import speed_bonus

__all__ = ["results_csv", "poll_csv", "safe_cell"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def results_csv(snap: Snapshot) -> str:
    names = {p.id: p.nickname for p in snap.players}
    removed = {p.id for p in snap.players if p.removed_at is not None}
    rounds = {r.id: r for r in snap.rounds}
    window = float(snap.game.countdown) if snap.game.countdown else None
    header = ["player", "round", "game", "difficulty", "seed", "answer", "points", "correct",
              "misconception", "seconds", "answered_at_utc", "removed"]
    if snap.game.speed_bonus:
        header.insert(7, "speed_bonus")
    rows = []
    for a in sorted(snap.answers, key=lambda a: (rounds[a.round_id].position,
                                                 names[a.player_id].casefold())):
        r = rounds[a.round_id]
        row = [names[a.player_id], r.position + 1, GAMES[r.game].title if r.game in GAMES
               else r.game, r.difficulty, r.seed, json.dumps(a.answer, ensure_ascii=False),
               a.points, a.correct, a.misconception or "", round(a.seconds, 2),
               a.answered_at.isoformat(), a.player_id in removed]
        if snap.game.speed_bonus:
            row.insert(7, speed_bonus(a, window))
        rows.append(row)
    return _csv(header, rows)


def poll_csv(snap: Snapshot) -> str:
    names = {p.id: p.nickname for p in snap.players}
    rows = [[names[p.player_id], p.pace or "", p.happiness or "", p.comment or "",
             p.answered_at.isoformat()] for p in snap.poll]
    return _csv(["player", "pace", "happiness", "comment", "answered_at_utc"], rows)


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    return out.getvalue()
