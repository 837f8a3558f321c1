"""The current homework and practice tables (what homework/ queries).

The migrations m0020_homework and m0021_practice create them; each keeps its own frozen copy,
and tests/store/test_homework_tables.py checks that a migrated database matches these.
"""

from sqlalchemy import MetaData, Table

from .migrations import m0020_homework, m0021_practice

__all__ = ["metadata", "assignment", "item", "student", "draft", "submission", "learner",
           "practice_round"]

# Today's schema is exactly what the two migrations made; a later migration that changes a
# table redefines it here.
metadata = MetaData()
for _source in (m0020_homework.metadata, m0021_practice.metadata):
    for _table in _source.tables.values():
        _table.to_metadata(metadata)

assignment: Table = metadata.tables["hw_assignment"]
item: Table = metadata.tables["hw_item"]
student: Table = metadata.tables["hw_student"]
draft: Table = metadata.tables["hw_draft"]
submission: Table = metadata.tables["hw_submission"]
learner: Table = metadata.tables["practice_learner"]
practice_round: Table = metadata.tables["practice_round"]
