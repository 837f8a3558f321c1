"""The class games' tables as the code queries them (the current schema).

The migration m0010_classroom creates them and keeps its own frozen copy;
tests/store/test_classroom_schema.py checks that a migrated database matches these. The rules
that matter (one answer per player and round, no answer to a round that is not open, answers
never change) are in the database itself: unique constraints, and triggers that m0010 creates
on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import MetaData, Table

from .migrations import m0010_classroom

__all__ = ["metadata", "games", "rounds", "players", "answers", "poll", "host_failures",
           "PHASES", "PACES"]

PHASES = ("lobby", "question", "locked", "reveal", "leaderboard", "poll", "summary")
PACES = ("too_slow", "right", "too_fast")

# Today's schema is exactly what m0010 made; a later migration that changes a table redefines
# it here (as store/homework_tables.py does for its migrations).
metadata = MetaData()
for _table in m0010_classroom.metadata.tables.values():
    _table.to_metadata(metadata)

games: Table = metadata.tables["class_games"]
rounds: Table = metadata.tables["class_rounds"]
players: Table = metadata.tables["class_players"]
answers: Table = metadata.tables["class_answers"]
poll: Table = metadata.tables["class_poll"]
host_failures: Table = metadata.tables["class_host_failures"]
